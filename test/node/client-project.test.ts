// The typed client from another project's point of view: test/fixtures/client-project is installed with
// `file:` into a temporary folder, as a user's project would install fundstelle, then compiled with tsc and run.
// Needs `npm run build:client` (part of `npm test`), which writes the files package.json "exports" names.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArtifact } from "../../index-builder/artifact-files.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
let project = "";

/** Runs tsc on the project; answers its exit code and output. */
function tsc(...args: string[]): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [TSC, ...args], { cwd: project, encoding: "utf8", stdio: "pipe" });
    return { code: 0, output };
  } catch (error) {
    const { status, stdout, stderr } = error as { status: number; stdout: string; stderr: string };
    return { code: status, output: `${stdout}${stderr}` };
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "fundstelle-client-"));
  cpSync(join(ROOT, "test/fixtures/client-project"), project, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
  pkg.dependencies.fundstelle = `file:${ROOT}`;
  writeFileSync(join(project, "package.json"), JSON.stringify(pkg));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: project, stdio: "pipe" });
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("a separate project using fundstelle/client", () => {
  it("compiles the README's snippet with strict settings and no Workers types", () => {
    const result = tsc("-p", ".");
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 60_000);

  it("compiles it with the bundler's module resolution too", () => {
    const result = tsc("-p", ".", "--module", "ESNext", "--moduleResolution", "Bundler");
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 60_000);

  it("rejects a wrong parameter type, a misspelt field and an unknown route", () => {
    const result = tsc("-p", "tsconfig.wrong.json");
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/wrong\.ts\(5,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(result.output).toMatch(/wrong\.ts\(7,\d+\): error TS2339: Property 'hitz' does not exist/);
    expect(result.output).toMatch(/wrong\.ts\(8,\d+\): error TS2339: Property 'nosuchroute' does not exist/);
    expect(result.output.match(/error TS/g)).toHaveLength(3);
  }, 60_000);

  it("runs: the installed client searches a real app", async () => {
    const app = createApp(() => loadIndex(readArtifact(join(ROOT, "test-output/fixture-build"))));
    const entry = join(project, "node_modules/fundstelle/dist/client.js");
    const { createClient } = (await import(entry)) as typeof import("../../worker/client.js");
    const client = createClient("http://fundstelle.test", {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init),
    });
    const res = await client.search.$get({ query: { q: "Kasachstan", limit: "2" } });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const body = await res.json();
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits[0]?.snippetHtml).toContain("<mark>");
    const bad = await client.search.$get({ query: { q: "Kasachstan", limit: "500" } });
    expect(bad.status).toBe(400);
  });
});
