// The project's settings in package.json: read by the builder, overridden by a flag for one run, and an index of
// another corpus never replaced without a word; each Worker's size, memory and startup against the Workers limits.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchProject } from "../../bench/project.js";
import { readProjectConfig } from "../../index-builder/project-config.js";
import { memoryEstimate, sizeVerdict, startupEstimate, type WorkerFigures, workerSize } from "../../index-builder/size-budget.js";

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
  /** Runs sizeVerdict and collects what it logs, warns and errs. */
  function verdict(workers: WorkerFigures[], plan: "free" | "paid", strict: boolean) {
    const lines: string[] = [];
    const said: string[] = [];
    const warn = console.warn;
    const error = console.error;
    console.warn = (line: string) => said.push(line);
    console.error = (line: string) => said.push(line);
    try {
      return { code: sizeVerdict(workers, plan, strict, (line) => lines.push(line)), lines, said };
    } finally {
      console.warn = warn;
      console.error = error;
    }
  }
  const small: WorkerFigures = { index: 1_000_000, module: 500_000, store: 400_000, paragraphs: 5_000, terms: 20_000 };

  it("reports a Worker's size, memory and startup against the limits that bind, the free plan's CPU too, and names the nearest", () => {
    // Size 1,000,000 + 500,000 + 1,177,600 of code; memory 1,000,000 + 5 × 400,000 + 83 × 20,000 + 6,300,000;
    // startup 15.2 ms × 400,000 / 1 MiB + 32 ms.
    expect(workerSize(small)).toBe(2_677_600);
    expect(memoryEstimate(small)).toBe(10_960_000);
    expect(startupEstimate(small)).toBeCloseTo(37.8, 1);
    expect(verdict([small], "free", true)).toEqual({
      code: 0,
      lines: [
        "  limits: Worker 2.55 MiB of 64 MiB (4%), memory about 11 MB of 128 MB (9%), startup about 38 ms of 1 s (4%), CPU per request (free plan) 5,000 of about 92,000 paragraphs (5%); nearest: memory",
      ],
      said: [],
    });
    expect(verdict([small], "paid", true).lines).toEqual([
      "  limits: Worker 2.55 MiB of 64 MiB (4%), memory about 11 MB of 128 MB (9%), startup about 38 ms of 1 s (4%); nearest: memory",
    ]);
  });

  it("warns of a Worker over 64 MiB with the shards that should fit, and stops it under --strict (as npm run deploy builds)", () => {
    // 62,914,560 + 4,000,000 + 1,177,600 = 68,092,160 bytes; its memory (96.7 MB) and startup are within their limits.
    const large: WorkerFigures = { index: 60 * 1024 * 1024, module: 4_000_000, store: 3_000_000, paragraphs: 80_000, terms: 150_000 };
    const message =
      'the Worker would be 64.94 MiB, over the 64 MiB Cloudflare takes: build with --shards 2 (or "shards": 2 in package.json\'s "fundstelle" section).';
    const warned = verdict([large], "free", false);
    expect(warned.code).toBe(0);
    expect(warned.lines[0]).toMatch(
      /^ {2}limits: Worker 64\.94 MiB of 64 MiB \(101%\), memory about 97 MB of 128 MB \(76%\), .*; nearest: size$/,
    );
    expect(warned.said).toEqual([`warning: ${message}`]);
    expect(verdict([large], "free", true)).toMatchObject({ code: 1, said: [`error: ${message}`] });
    // A Worker of exactly 64 MiB passes.
    const fits = { ...large, index: large.index - (workerSize(large) - 64 * 1024 * 1024) };
    expect(workerSize(fits)).toBe(64 * 1024 * 1024);
    expect(verdict([fits], "free", true)).toMatchObject({ code: 0, said: [] });
  });

  it("stops a Worker whose estimated memory is over 128 MB under --strict, whatever the plan", () => {
    // 40,000,000 + 5 × 10,000,000 + 83 × 420,000 + 6,300,000 = 131,160,000 bytes; its size (50.71 MiB) fits.
    const heavy: WorkerFigures = { index: 40_000_000, module: 12_000_000, store: 10_000_000, paragraphs: 90_000, terms: 420_000 };
    expect(memoryEstimate(heavy)).toBe(131_160_000);
    const refused = verdict([heavy], "paid", true);
    expect(refused.code).toBe(1);
    expect(refused.lines).toEqual([
      "  limits: Worker 50.71 MiB of 64 MiB (79%), memory about 131 MB of 128 MB (102%), startup about 177 ms of 1 s (18%); nearest: memory",
    ]);
    expect(refused.said).toEqual([
      'error: the Worker would need about 131 MB of memory (estimated), over an isolate\'s 128 MB: build with --shards 2 (or "shards": 2 in package.json\'s "fundstelle" section).',
    ]);
    // A term list too large for any shard (every shard holds it whole: 83 × 1,200,000 + 6,300,000 > 96,000,000).
    const words: WorkerFigures = { index: 10_000_000, module: 4_000_000, store: 3_000_000, paragraphs: 50_000, terms: 1_200_000 };
    expect(verdict([words], "free", false).said).toEqual([
      "warning: the Worker would need about 131 MB of memory (estimated), over an isolate's 128 MB: no number of shards up to 64 fits (every shard holds the whole term list): index fewer files.",
    ]);
  });

  it("warns a free-plan corpus past the size where page searches passed 10 ms of CPU, and never stops it", () => {
    const many: WorkerFigures = { index: 20_000_000, module: 5_000_000, store: 4_000_000, paragraphs: 120_000, terms: 150_000 };
    const free = verdict([many], "free", true);
    expect(free.code).toBe(0);
    expect(free.lines[0]).toMatch(/, CPU per request \(free plan\) 120,000 of about 92,000 paragraphs \(130%\); nearest: CPU$/);
    expect(free.said).toEqual([
      'warning: the Worker has 120,000 paragraphs; from about 92,000, page searches seen for the first time took over 10 ms of CPU at their 99th percentile (bench:growth, on the machine that ran it), the free plan\'s limit per request, so some searches may fail on the free plan. On the paid plan (30 s by default) it does not bind: if the Worker runs there, set "plan": "paid" in package.json\'s "fundstelle" section.',
    ]);
    expect(verdict([many], "free", false)).toMatchObject({ code: 0, said: free.said });
    // The paid plan has no such limit: nothing to say.
    expect(verdict([many], "paid", true)).toMatchObject({ code: 0, said: [] });
  });

  it("for shards, reports the largest Worker's figures and advises the shards the binding limit needs", () => {
    // Each shard: 63.11 MiB (fits), memory 50,000,000 + 60,000,000 + 24,900,000 + 6,300,000 = 141,200,000 (over).
    // Memory needs ceil(2 × 110,000,000 / (96,000,000 - 6,300,000 - 24,900,000)) = 4 shards (every shard holds the
    // whole term list); size alone would need ceil(129,000,000 / (50,331,648 - 1,177,600)) = 3.
    const shard: WorkerFigures = { index: 50_000_000, module: 15_000_000, store: 12_000_000, paragraphs: 200_000, terms: 300_000 };
    const smaller: WorkerFigures = { ...shard, module: 14_000_000, paragraphs: 190_000 };
    const result = verdict([smaller, shard], "paid", true);
    expect(result).toEqual({
      code: 1,
      lines: [
        "  limits (largest of 2 Workers): Worker 63.11 MiB of 64 MiB (99%), memory about 141 MB of 128 MB (110%), startup about 206 ms of 1 s (21%); nearest: memory",
      ],
      said: [
        'error: the largest of 2 Workers would need about 141 MB of memory (estimated), over an isolate\'s 128 MB: build with --shards 4 (or "shards": 4 in package.json\'s "fundstelle" section).',
      ],
    });
  });
});
