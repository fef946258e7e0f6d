// npm run bench:load: autocannon against `wrangler dev` on loopback: 30 s at 50 connections with a mix of ordinary,
// as-you-type and hostile requests. Counts errors and 5xx answers and samples workerd's memory.
// Usage: npm run bench:load [-- --seconds 30 --connections 50 --no-write]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startWranglerDev } from "../test/browser/servers.js";
import { loadQuestions } from "./query-sets.js";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    connections: { type: "string", default: "50" },
    "no-write": { type: "boolean", default: false },
    // CACHE_MAX_AGE=0: wrangler's local Cache API then does not hold every answer in memory.
    "no-edge-cache": { type: "boolean", default: false },
  },
});
const seconds = Math.min(120, Number(values.seconds));
const connections = Math.min(200, Number(values.connections));

// autocannon is a benchmark-only package (bench/package.json); imported by name so type checks do not need it.
const autocannonPackage = "autocannon";
const { default: autocannon } = (await import(autocannonPackage)) as {
  default: (options: unknown) => Promise<AutocannonResult> & { stop?: () => void };
};

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

// Deterministic pseudo-random numbers, so every run sends the same sequence.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
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
    return `/search?q=${encodeURIComponent(q)}&limit=10&offset=${counter % 5}`;
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

/**
 * The same load against an empty Worker under `wrangler dev`, for comparison: the local runtime's own memory
 * growth shows there, so fundstelle's can be told apart from it.
 */
async function emptyWorkerBaseline(): Promise<{ requests: number; rps: number; memory: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-empty-worker-"));
  writeFileSync(
    join(dir, "index.js"),
    'export default { fetch() { return new Response("{}", { headers: { "Content-Type": "application/json" } }); } };\n',
  );
  writeFileSync(join(dir, "wrangler.toml"), 'name = "empty"\nmain = "index.js"\ncompatibility_date = "2026-04-20"\n');
  const server = await startWranglerDev([], dir);
  try {
    const memory = [workerdMemory()];
    const sampler = setInterval(() => memory.push(workerdMemory()), 2000);
    const result = await autocannon({ url: `${server.origin}/`, connections, duration: seconds });
    clearInterval(sampler);
    memory.push(workerdMemory());
    return { requests: result.requests.total, rps: result.requests.average, memory };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const server = await startWranglerDev(values["no-edge-cache"] ? ["--var", "CACHE_MAX_AGE:0"] : []);
try {
  await fetch(`${server.origin}/search?q=warm`);
  const memory: number[] = [workerdMemory()];
  const sampler = setInterval(() => memory.push(workerdMemory()), 2000);
  const result = await autocannon({
    url: server.origin,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: nextPath() }) }],
  });
  clearInterval(sampler);
  memory.push(workerdMemory());
  const statuses = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}: ${count}`)
    .join(", ");
  const fivexx = Object.entries(result.statusCodeStats)
    .filter(([code]) => code.startsWith("5"))
    .reduce((sum, [, { count }]) => sum + count, 0);
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const report = [
    "<!-- load:start -->",
    "## Load (`npm run bench:load`)",
    "",
    `Command: \`npm run bench:load${values["no-edge-cache"] ? " -- --no-edge-cache" : ""}\` (${new Date().toISOString().slice(0, 10)}): autocannon against \`wrangler dev\` on loopback, ${seconds} s at ${connections} connections;`,
    "requests are 50% ordinary keyword searches, 30% as-you-type searches and suggestions, 20% hostile (invalid",
    "percent-encoding, control characters, 300-character queries, wrong and repeated parameters, path traversal in",
    "document ids, 2,000-character paths, twelve long words with fuzzy=2); every request is distinct.",
    "",
    "| requests | per second | latency p50 / p99 / max (ms) | errors | timeouts | 5xx | status codes | workerd memory start → end (MiB) |",
    "|---:|---:|---|---:|---:|---:|---|---|",
    `| ${result.requests.total} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} | ${result.errors} | ${result.timeouts} | ${fivexx} | ${statuses} | ${mib(memory[0] ?? 0)} → ${mib(memory.at(-1) ?? 0)} (peak ${mib(Math.max(...memory))}) |`,
    "<!-- load:end -->",
  ].join("\n");
  console.log(report);
  if (!values["no-write"]) {
    const path = join(ROOT, "docs/BENCHMARKS.md");
    const current = readFileSync(path, "utf8");
    writeFileSync(
      path,
      current.includes("<!-- load:start -->")
        ? current.replace(/<!-- load:start -->[\s\S]*<!-- load:end -->/, report)
        : `${current.trimEnd()}\n\n${report}\n`,
    );
  }
  if (result.errors > 0 || fivexx > 0) process.exitCode = 1;
  await server.stop();
  const baseline = await emptyWorkerBaseline();
  const baselineRow = `| ${baseline.requests} | ${baseline.rps.toFixed(0)} | ${mib(baseline.memory[0] ?? 0)} → ${mib(baseline.memory.at(-1) ?? 0)} (peak ${mib(Math.max(...baseline.memory))}) |`;
  const withBaseline = report.replace(
    "<!-- load:end -->",
    [
      "",
      "The same load against an empty Worker under `wrangler dev` (returns `{}`), run right after: `wrangler dev`'s local",
      "runtime grows with the number of requests even for a Worker that does nothing, so compare memory per request",
      "between the two rows rather than reading the growth above as fundstelle's.",
      "",
      "| requests | per second | workerd memory start → end (MiB) |",
      "|---:|---:|---|",
      baselineRow,
      "<!-- load:end -->",
    ].join("\n"),
  );
  console.log(baselineRow);
  if (!values["no-write"]) {
    const path = join(ROOT, "docs/BENCHMARKS.md");
    const current = readFileSync(path, "utf8");
    writeFileSync(path, current.replace(/<!-- load:start -->[\s\S]*<!-- load:end -->/, withBaseline));
  }
} finally {
  await server.stop();
}
