// npm run bench:incremental [-- --rounds N]: how long `build:index` takes on LibreOffice's German help (copied to a
// temporary project) without the build cache (--no-cache: every file read and analysed) and with it after one page
// changed (the page read and analysed again, the rest from the cache), each as its own process, as the shell runs it.
// Each round edits the page, builds with the cache, then without, and checks that both wrote the same bytes. Prints
// medians, the ratio, and the machine's load average before and after.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ARTIFACT_FILES } from "../common/artifact.js";
import { LIBREOFFICE, requireLibreOffice } from "./corpora.js";
import { median } from "./stats.js";

requireLibreOffice("bench:incremental");
const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Number(values.rounds);
/** The page each round edits: a help page of average length. */
const PAGE = "text/swriter/guide/insert_graphic.html";

const project = mkdtempSync(join(tmpdir(), "fundstelle-bench-incremental-"));
const corpus = join(project, "corpus");
const page = join(corpus, "libreoffice", PAGE);
const tsx = import.meta.resolve("tsx");

interface Build {
  /** Wall time of the process, and the time the command itself reports (without starting Node and loading the code). */
  wall: number;
  command: number;
  summary: string;
}

/** `build:index` in a process of its own, in the temporary project (so its cache is node_modules/.cache there). */
function build(out: string, ...flags: string[]): Build {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ["--import", tsx, join(ROOT, "index-builder/cli.ts"), "--corpus", corpus, "--out", out, ...flags],
    {
      cwd: project,
      encoding: "utf8",
    },
  );
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`build:index ${flags.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  const seconds = /warnings \d+, ([\d.]+) s/.exec(result.stdout);
  const summary = result.stdout.split("\n").find((line) => line.includes("unchanged since the last build")) ?? "";
  return { wall, command: Number(seconds?.[1] ?? Number.NaN) * 1000, summary: summary.trim() };
}

function artifactOf(out: string): string {
  return [ARTIFACT_FILES.index, ARTIFACT_FILES.store].map((name) => readFileSync(join(out, name)).toString("base64")).join("\n");
}

try {
  const loadBefore = loadavg();
  mkdirSync(corpus);
  cpSync(LIBREOFFICE, join(corpus, "libreoffice"), { recursive: true, dereference: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "bench-incremental", private: true, fundstelle: {} }));
  const original = readFileSync(page, "utf8");
  const paragraph = 'class="paragraph" dir="auto">';
  if (!original.includes(paragraph)) throw new Error(`${PAGE} has no paragraph to edit`);
  // Fills the cache (and warms the disk's cache of the copy): not counted.
  build(join(project, "out-warm-up"));
  const full: Build[] = [];
  const incremental: Build[] = [];
  for (let round = 1; round <= rounds; round++) {
    // A real edit each round: a sentence added to the page's first paragraph.
    writeFileSync(page, original.replace(paragraph, `${paragraph}Geändert in Runde ${round}: ein neuer Satz über Grafiken. `));
    incremental.push(build(join(project, `out-incremental-${round}`)));
    full.push(build(join(project, `out-full-${round}`), "--no-cache"));
    if (artifactOf(join(project, `out-incremental-${round}`)) !== artifactOf(join(project, `out-full-${round}`))) {
      throw new Error(`round ${round}: the build with the cache wrote other bytes than the build without it`);
    }
  }
  const loadAfter = loadavg();
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const row = (label: string, builds: Build[]) => {
    const walls = builds.map((b) => b.wall);
    console.log(
      `| ${label} | ${s(median(walls))} | ${s(Math.min(...walls))} | ${s(Math.max(...walls))} | ${s(median(builds.map((b) => b.command)))} |`,
    );
  };
  console.log(`build:index on a copy of LibreOffice's German help, one process per build, ${rounds} rounds (median, min, max)\n`);
  console.log("| build | wall median | min | max | the command's own time (median) |");
  console.log("|---|---|---|---|---|");
  row("full, --no-cache", full);
  row("one page changed, with the cache", incremental);
  console.log(`\n${incremental.at(-1)?.summary}`);
  const ratio = median(incremental.map((b) => b.wall)) / median(full.map((b) => b.wall));
  const commandRatio = median(incremental.map((b) => b.command)) / median(full.map((b) => b.command));
  console.log(`incremental / full: ${ratio.toFixed(3)} (wall), ${commandRatio.toFixed(3)} (the command's own time)`);
  console.log(`both builds wrote the same index.bin and store.json in every round`);
  console.log(
    `load average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(", ")}; after: ${loadAfter.map((l) => l.toFixed(2)).join(", ")}`,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
}
