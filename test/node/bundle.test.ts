// The exact bundle `wrangler deploy` would upload: built with --dry-run, then served by Miniflare (workerd).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const outdir = mkdtempSync(join(tmpdir(), "fundstelle-bundle-"));
let miniflare: Miniflare | undefined;
let dryRun: { status: number | null; output: string };

beforeAll(async () => {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    },
  );
  dryRun = { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  if (result.status !== 0) return;
  miniflare = new Miniflare({
    modules: true,
    scriptPath: join(outdir, "index.js"),
    modulesRoot: outdir,
    // wrangler uploads the index beside index.js as a Data module, as its default rules say for .bin files.
    modulesRules: [{ type: "Data", include: ["**/*.bin"] }],
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["nodejs_compat"],
    bindings: { CORS_ORIGINS: "*", CACHE_MAX_AGE: "300", LOG_QUERIES: "false" },
  });
}, 120_000);

afterAll(async () => {
  await miniflare?.dispose();
  rmSync(outdir, { recursive: true, force: true });
});

describe("the deployable bundle", () => {
  it("builds with wrangler deploy --dry-run", () => {
    expect(dryRun.status, dryRun.output).toBe(0);
    expect(dryRun.output).toMatch(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
    expect(existsSync(join(outdir, "index.js"))).toBe(true);
  });

  it("serves health and search under Miniflare", async () => {
    if (!miniflare) throw new Error(`no bundle: ${dryRun.output}`);
    const health = await miniflare.dispatchFetch("http://localhost/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", index: { documents: 49, paragraphs: 245 } });
    const search = await miniflare.dispatchFetch("http://localhost/search?q=Kasachstan%20Handel");
    expect(search.status).toBe(200);
    const body = (await search.json()) as { hits: { id: string; snippetHtml: string }[] };
    expect(body.hits[0]?.id).toBe("auswaertiges-amt/deutschland-kasachstan#1");
    expect(body.hits[0]?.snippetHtml).toContain("<mark>");
  });
});
