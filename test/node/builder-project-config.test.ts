// The project's settings in package.json: read by the builder, overridden by a flag for one run, and an index of
// another corpus never replaced without a word; the size of each Worker against the plan's limit.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchProject } from "../../bench/project.js";
import { readProjectConfig } from "../../index-builder/project-config.js";
import { sizeVerdict } from "../../index-builder/size-budget.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with a package.json (its "fundstelle" section as given) and two small corpora. */
function project(section?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-project-"));
  dirs.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "amt", ...(section === undefined ? {} : { fundstelle: section }) }));
  const corpora: [string, string][] = [
    ["site", "Öffnungszeiten des Bürgeramts: Montag bis Freitag."],
    ["other", "Ein anderes Korpus über Kasachstan."],
  ];
  for (const [corpus, text] of corpora) {
    mkdirSync(join(dir, corpus, "seiten"), { recursive: true });
    writeFileSync(join(dir, corpus, "seiten", "a.md"), `# Seite\n\n${text}\n`);
  }
  return dir;
}

/** The build command run in a project folder, as npm scripts run it there. */
function build(dir: string, args: string[] = []) {
  const result = spawnSync(
    process.execPath,
    ["--import", join(ROOT, "node_modules/tsx/dist/loader.mjs"), join(ROOT, "index-builder/cli.ts"), ...args],
    {
      cwd: dir,
      encoding: "utf8",
    },
  );
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("package.json's fundstelle section", () => {
  it("has defaults, and names the setting at fault when it is wrong", () => {
    expect(readProjectConfig(project())).toEqual({
      corpus: "corpus",
      shards: 1,
      plan: "free",
      allowLinksInto: [],
      defaultCollection: null,
      exclude: [],
      limits: { fileMegabytes: 50, pdfPages: 500, blockCharacters: 10_000 },
      noResults: { links: [], popular: true },
    });
    expect(readProjectConfig(project({ corpus: "site", shards: 2, plan: "paid" }))).toMatchObject({
      corpus: "site",
      shards: 2,
      plan: "paid",
    });
    expect(() => readProjectConfig(project({ plan: "gratis" }))).toThrow(/package\.json: fundstelle\.plan: /);
    expect(() => readProjectConfig(project({ shard: 2 }))).toThrow(/package\.json: fundstelle: /);
    expect(() => readProjectConfig(project({ shards: 0 }))).toThrow(/package\.json: fundstelle\.shards: /);
    expect(() => readProjectConfig(project({ noResults: { links: [{ title: "Kontakt", url: "javascript:alert(1)" }] } }))).toThrow(
      /package\.json: fundstelle\.noResults\.links\.0\.url: a link's url /,
    );
    expect(() => readProjectConfig(project({ noResults: { links: [{ title: "", url: "/kontakt" }] } }))).toThrow(
      /fundstelle\.noResults\.links\.0\.title: a link needs a title/,
    );
  });

  it("names the corpus the builder reads, a flag overrides it for one run and says so, and --if-stale says when it replaces another corpus's index", () => {
    const dir = project({ corpus: "site" });
    // Before, the builder read corpus/ whatever the project, and npm start silently rebuilt a site's index from it.
    const first = build(dir, ["--if-stale"]);
    expect(first.status, first.out).toBe(0);
    expect(first.out).toContain("from site/");
    const other = build(dir, ["--corpus", "other"]);
    expect(other.out).toContain("Using --corpus other for this run (package.json's fundstelle.corpus is site).");
    const back = build(dir, ["--if-stale"]);
    expect(back.out).toContain("Replacing the index of other/ in build/ with one of site/.");
    expect(build(dir, ["--if-stale"]).out).toContain("is up to date");
    expect(build(dir, ["--if-stale", "--plan", "paid"]).out).toContain(
      "Using --plan paid for this run (package.json's fundstelle.plan is free).",
    );
  });

  it("is what the benchmarks measure: they refuse an index of another corpus and follow the shards", () => {
    const dir = project({ corpus: "site" });
    expect(() => benchProject(dir)).toThrow('No index in build/: run "npm run build:index" first.');
    expect(build(dir, ["--corpus", "other"]).status).toBe(0);
    expect(() => benchProject(dir)).toThrow(
      `build/ holds an index of other/, but package.json's "fundstelle" section names the corpus site/: run "npm run build:index" first.`,
    );
    expect(build(dir).status).toBe(0);
    expect(benchProject(dir)).toMatchObject({ corpus: "site", indexDirs: [join(dir, "build")], wranglerArgs: [], mode: "one Worker" });

    const sharded = project({ corpus: "site", shards: 2 });
    // One document cannot make two shards: a clear error (it was a stack trace), and nothing is written.
    const tooMany = build(sharded);
    expect(tooMany.status).toBe(1);
    expect(tooMany.out).toContain("error: 2 shards need at least 2 documents, but the corpus has 1: build with fewer shards");
    writeFileSync(join(sharded, "site/seiten/b.md"), "# Zweite Seite\n\nTermine im Bürgeramt.\n");
    expect(build(sharded).status).toBe(0);
    const bench = benchProject(sharded);
    expect(bench.indexDirs).toEqual([join(sharded, "build-shards/shard-0"), join(sharded, "build-shards/shard-1")]);
    expect(bench.wranglerArgs).toEqual([
      "-c",
      join(sharded, "build-shards/router/wrangler.toml"),
      "-c",
      join(sharded, "build-shards/shard-0/wrangler.toml"),
      "-c",
      join(sharded, "build-shards/shard-1/wrangler.toml"),
    ]);
  });

  it("stops on a wrong setting before reading anything", () => {
    const result = build(project({ corpus: 7 }));
    expect(result.status).toBe(2);
    expect(result.out).toContain("package.json: fundstelle.corpus: ");
  });
});

describe("the size budget", () => {
  const MiB = 1024 * 1024;

  it("reports each Worker's size against the plan's limit", () => {
    const lines: string[] = [];
    expect(sizeVerdict([1.2 * MiB], "free", true, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual(["  size: Worker about 1.20 MiB gzip of the free plan's 3.00 MiB"]);
  });

  it("over the limit, warns with the shards that should fit, and stops under --strict (as npm run deploy builds)", () => {
    const lines: string[] = [];
    const warn = console.warn;
    const error = console.error;
    const said: string[] = [];
    console.warn = (line: string) => said.push(line);
    console.error = (line: string) => said.push(line);
    try {
      expect(sizeVerdict([4.3 * MiB], "free", false, (line) => lines.push(line))).toBe(0);
      expect(sizeVerdict([4.3 * MiB], "free", true, (line) => lines.push(line))).toBe(1);
      expect(sizeVerdict([11 * MiB, 9 * MiB], "paid", true, (line) => lines.push(line))).toBe(1);
    } finally {
      console.warn = warn;
      console.error = error;
    }
    expect(said[0]).toMatch(
      /^warning: the Worker would be about 4\.30 MiB gzip, over the free plan's 3\.00 MiB: build with --shards 2 .*"plan": "paid"/,
    );
    expect(said[1]).toMatch(/^error: the Worker would be about 4\.30 MiB gzip/);
    expect(said[2]).toMatch(
      /^error: the largest of 2 Workers would be about 11\.00 MiB gzip, over the paid plan's 10\.00 MiB: build with --shards 3 /,
    );
    expect(said[2]).not.toContain('"plan": "paid"');
  });
});
