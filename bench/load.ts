// npm run bench:load: autocannon against `wrangler dev` on loopback: 30 s at 50 connections with a mix of ordinary,
// as-you-type and hostile requests. Counts errors and 5xx answers, and samples the Worker isolate's heap (through the
// DevTools inspector, after a full collection at start and end, and as it stands every 2 s under load) and workerd's
// resident memory.
// Usage: npm run bench:load [-- --seconds 30 --phases 3 --connections 50 --no-edge-cache --no-write]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startWranglerDev, type WranglerDev } from "../test/browser/servers.js";
import { type AutocannonResult, loadAutocannon } from "./autocannon.js";
import { connectInspector } from "./inspector.js";
import { type BenchProject, benchProject } from "./project.js";
import { loadQuestions } from "./query-sets.js";
import { seededRandom } from "./random.js";
import { writeSection } from "./report.js";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    // The run is cut into phases; between them the isolate is idle and its heap is read after a full collection.
    phases: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    "no-write": { type: "boolean", default: false },
    // CACHE_MAX_AGE=0: wrangler's local Cache API then does not hold every answer in memory.
    "no-edge-cache": { type: "boolean", default: false },
  },
});
const seconds = Math.min(600, Number(values.seconds));
const phases = Math.max(1, Math.min(20, Number(values.phases)));
const phaseSeconds = Math.max(1, Math.round(seconds / phases));
const connections = Math.min(200, Number(values.connections));

const autocannon = await loadAutocannon("bench:load");

// The project as `npm start` serves it: the corpus package.json's "fundstelle" section names, one Worker or a
// router and its shards.
let project: BenchProject;
try {
  project = benchProject(ROOT);
} catch (error) {
  console.error(`bench:load: ${(error as Error).message}`);
  process.exit(1);
}

// Deterministic pseudo-random numbers, so every run sends the same sequence.
const random = seededRandom(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const questions = loadQuestions(join(ROOT, "bench/data/xquad-de-questions.jsonl")).map((q) => q.question);
const words = [...new Set(questions.flatMap((q) => q.match(/\p{L}{4,}/gu) ?? []))];
const HOSTILE = [
  "%E0%A4%A",
  "%00%01%02",
  `${"x".repeat(300)}`,
  encodeURIComponent('"""---'),
  encodeURIComponent("<script>alert(1)</script>"),
  encodeURIComponent("🙂 שלום مرحبا"),
  encodeURIComponent(
    Array.from({ length: 12 }, () => "Donaudampfschifffahrtsgesellschaftskapitän")
      .join(" ")
      .slice(0, 256),
  ),
];

let counter = 0;
/** The next request path: 50% ordinary, 30% as you type, 20% hostile; distinct so no cache stands in for search. */
function nextPath(): string {
  counter++;
  const roll = random();
  if (roll < 0.5) {
    const q = `${pick(words)} ${pick(words)} ${pick(words)}`;
    return `/search?q=${encodeURIComponent(q)}&limit=10&offset=${counter % 5}&n=${counter}`;
  }
  if (roll < 0.8) {
    const word = pick(words);
    const typed = word.slice(0, 2 + Math.floor(random() * (word.length - 1)));
    return random() < 0.5
      ? `/search?q=${encodeURIComponent(`${pick(words)} ${typed}`)}&n=${counter}`
      : `/suggest?q=${encodeURIComponent(typed)}&n=${counter}`;
  }
  const kind = Math.floor(random() * 5);
  if (kind === 0) return `/search?q=${pick(HOSTILE)}&n=${counter}`;
  if (kind === 1) return `/search?q=kasachstan&limit=${pick(["-1", "abc", "1e9", "2.5", "50"])}&limit=${counter}`;
  if (kind === 2) return `/documents/${encodeURIComponent(`../${pick(words)}/${counter}`)}`;
  if (kind === 3)
    return `/search?q=${encodeURIComponent(
      Array.from({ length: 12 }, () => pick(words))
        .join(" ")
        .slice(0, 256),
    )}&fuzzy=2&n=${counter}`;
  return `/${"a".repeat(1 + (counter % 2000))}`;
}

/** Resident memory of all workerd processes on this machine (the one wrangler dev started), in bytes. */
function workerdMemory(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("workerd")) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

interface Phase {
  requests: number;
  rps: number;
  latency: AutocannonResult["latency"];
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** Isolate heap after a full collection at the end of the phase. */
  heapAfterGc: number;
  /** Highest isolate heap read every 2 s during the phase (collected or not). */
  heapPeak: number;
  /** Resident memory of workerd at the end of the phase. */
  rss: number;
}

interface Run {
  /** Isolate heap after a full collection and resident memory before the first phase. */
  heapStart: number;
  rssStart: number;
  phases: Phase[];
}

/**
 * Runs the load in phases against a `wrangler dev` server. Between phases the isolate is idle and its heap is read
 * after a full collection: steady memory shows as that figure levelling off while requests keep coming.
 */
async function runPhases(server: WranglerDev, options: Record<string, unknown>): Promise<Run> {
  const inspector = await connectInspector(server.inspectorPort);
  try {
    const run: Run = { heapStart: (await inspector.heapAfterGc()).used, rssStart: workerdMemory(), phases: [] };
    for (let i = 0; i < phases; i++) {
      let heapPeak = 0;
      const sampler = setInterval(() => {
        inspector.heapUsage().then(
          (heap) => {
            heapPeak = Math.max(heapPeak, heap.used);
          },
          () => {},
        );
      }, 2000);
      const result = await autocannon({ ...options, connections, duration: phaseSeconds });
      clearInterval(sampler);
      run.phases.push({
        requests: result.requests.total,
        rps: result.requests.average,
        latency: result.latency,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
        heapAfterGc: (await inspector.heapAfterGc()).used,
        heapPeak,
        rss: workerdMemory(),
      });
    }
    return run;
  } finally {
    inspector.close();
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const mib1 = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const total = (run: Run) => run.phases.reduce((sum, p) => sum + p.requests, 0);
const fivexx = (phase: Phase) =>
  Object.entries(phase.statuses)
    .filter(([code]) => code.startsWith("5"))
    .reduce((sum, [, count]) => sum + count, 0);

/**
 * The same load against an empty Worker under `wrangler dev`, for comparison: the local runtime's own memory
 * growth shows there, so fundstelle's can be told apart from it.
 */
async function emptyWorkerBaseline(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-empty-worker-"));
  writeFileSync(
    join(dir, "index.js"),
    'export default { fetch() { return new Response("{}", { headers: { "Content-Type": "application/json" } }); } };\n',
  );
  writeFileSync(join(dir, "wrangler.toml"), 'name = "empty"\nmain = "index.js"\ncompatibility_date = "2026-04-20"\n');
  const server = await startWranglerDev([], dir);
  try {
    return await runPhases(server, { url: `${server.origin}/` });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(run: Run, baseline: Run | null): string {
  const phaseRows = run.phases.map((p, i) => {
    const statuses = Object.entries(p.statuses)
      .map(([code, count]) => `${code}: ${count}`)
      .join(", ");
    return `| ${i + 1} | ${p.requests} | ${p.rps.toFixed(0)} | ${p.latency.p50} / ${p.latency.p99} / ${p.latency.max} | ${p.errors} | ${p.timeouts} | ${fivexx(p)} | ${statuses} | ${mib1(p.heapAfterGc)} | ${mib1(p.heapPeak)} | ${mib(p.rss)} |`;
  });
  const memoryRow = (name: string, r: Run) =>
    `| ${name} | ${total(r)} | ${[r.heapStart, ...r.phases.map((p) => p.heapAfterGc)].map(mib1).join(" → ")} | ${[r.rssStart, ...r.phases.map((p) => p.rss)].map(mib).join(" → ")} |`;
  return [
    "<!-- load:start -->",
    "## Load (`npm run bench:load`)",
    "",
    `Command: \`npm run bench:load${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` (${new Date().toISOString().slice(0, 10)}): autocannon against \`wrangler dev\` on loopback (the project's corpus, ${project.corpus}/, as ${project.mode}), ${phases} phases of ${phaseSeconds} s at ${connections} connections;`,
    "requests are 50% ordinary keyword searches, 30% as-you-type searches and suggestions, 20% hostile (invalid",
    "percent-encoding, control characters, 300-character queries, wrong and repeated parameters, path traversal in",
    "document ids, 2,000-character paths, twelve long words with fuzzy=2); every request is distinct.",
    "Between phases the Worker is idle and its isolate's V8 heap is read through the DevTools inspector after a full",
    'collection; "peak" is the highest heap read every 2 s under load (garbage not yet collected included).',
    "",
    "| phase | requests | per second | latency p50 / p99 / max (ms) | errors | timeouts | 5xx | status codes | heap after GC (MiB) | heap peak (MiB) | workerd resident (MiB) |",
    "|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|",
    ...phaseRows,
    "",
    "Memory over the whole run, beside an empty Worker (returns `{}`) under the same load right after. The resident",
    "memory of the local runtime grows with the number of requests even for a Worker that does nothing; the isolate",
    "heap after a collection is what the Worker itself holds.",
    "",
    "| Worker | requests | isolate heap after GC: start → each phase (MiB) | workerd resident: start → each phase (MiB) |",
    "|---|---:|---|---|",
    memoryRow("fundstelle", run),
    ...(baseline ? [memoryRow("empty Worker", baseline)] : []),
    "<!-- load:end -->",
  ].join("\n");
}

function write(text: string): void {
  if (values["no-write"]) return;
  writeSection("load", text);
}

const server = await startWranglerDev([...project.wranglerArgs, ...(values["no-edge-cache"] ? ["--var", "CACHE_MAX_AGE:0"] : [])]);
let run: Run;
try {
  await fetch(`${server.origin}/search?q=warm`);
  run = await runPhases(server, {
    url: server.origin,
    requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: nextPath() }) }],
  });
} finally {
  await server.stop();
}
console.log(report(run, null));
write(report(run, null));
const baseline = await emptyWorkerBaseline();
const text = report(run, baseline);
console.log(text.split("\n").at(-2));
write(text);
if (run.phases.some((p) => p.errors > 0 || p.timeouts > 0 || fivexx(p) > 0)) {
  console.error("bench:load: errors, timeouts or 5xx answers under load");
  process.exitCode = 1;
}
