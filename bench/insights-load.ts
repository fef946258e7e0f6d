// npm run bench:insights: does counting search insights slow searches down? The same sequence of distinct search
// requests against `wrangler dev` with insights off and on (a local D1 database, one request in ten marked as a final
// query with analytics=true, as the widget marks them), alternating off, on, off, on, … in rounds of equal length;
// the edge cache is off, so every request searches. Reports each round and the medians per configuration.
// Usage: npm run bench:insights [-- --rounds 3 --seconds 20 --connections 20 --every 10 --no-write]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startWranglerDev, writeInsightsConfig } from "../test/browser/servers.js";
import { loadAutocannon } from "./autocannon.js";
import { loadQuestions } from "./query-sets.js";
import { seededRandom } from "./random.js";
import { writeSection } from "./report.js";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "20" },
    // One request in this many is a final query with analytics=true (0: none, to see what insights cost idle).
    every: { type: "string", default: "10" },
    "no-write": { type: "boolean", default: false },
  },
});
const rounds = Math.max(1, Math.min(10, Number(values.rounds)));
const seconds = Math.max(2, Math.min(120, Number(values.seconds)));
const connections = Math.max(1, Math.min(200, Number(values.connections)));
const every = Math.max(0, Math.min(1000, Number(values.every)));
const TOKEN = "bench-insights-token";

const autocannon = await loadAutocannon("bench:insights");
const questions = loadQuestions(join(ROOT, "bench/data/xquad-de-questions.jsonl")).map((q) => q.question);
const words = [...new Set(questions.flatMap((q) => q.match(/\p{L}{4,}/gu) ?? []))];

/** The request paths of one round: as-you-type and keyword searches, every tenth a final query to count. */
function paths(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const word = pick(words);
    const typed = random() < 0.5 ? word.slice(0, 2 + Math.floor(random() * (word.length - 1))) : word;
    const q = `${pick(words)} ${typed}`;
    return `/search?q=${encodeURIComponent(q)}&group=document&n=${seed}-${i}${every > 0 && i % every === 0 ? "&analytics=true" : ""}`;
  });
}

interface Round {
  insights: boolean;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const state = join(ROOT, "test-output/bench-insights/");
rmSync(state, { recursive: true, force: true });
mkdirSync(state, { recursive: true });
const onConfig = writeInsightsConfig(state, 5);
const cacheOff = ["--var", "CACHE_MAX_AGE:0"];
const servers = {
  off: await startWranglerDev(cacheOff),
  on: await startWranglerDev(["-c", onConfig, "--persist-to", join(state, "d1"), "--var", `INSIGHTS_TOKEN:${TOKEN}`, ...cacheOff]),
};
const results: Round[] = [];
try {
  for (const server of Object.values(servers)) await fetch(`${server.origin}/search?q=warm`);
  for (let round = 0; round < rounds; round++) {
    for (const insights of [false, true]) {
      const server = insights ? servers.on : servers.off;
      // Both configurations get the same requests in a round: a fresh sequence, so no memo stands in for search.
      const list = paths(round + 1, 200_000);
      let next = 0;
      const result = await autocannon({
        url: server.origin,
        connections,
        duration: seconds,
        requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: list[next++ % list.length] }) }],
      });
      results.push({
        insights,
        requests: result.requests.total,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx,
      });
      console.log(
        `round ${round + 1} insights ${insights ? "on " : "off"}: ${result.requests.average.toFixed(0)}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
      );
    }
  }
  // What the run counted: each request with analytics=true that the server answered is one search.
  const report = (await (
    await fetch(`${servers.on.origin}/insights.json?days=7`, { headers: { Authorization: `Bearer ${TOKEN}` } })
  ).json()) as {
    totals: { searches: number; zero: number };
  };
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const of = (insights: boolean) => results.filter((r) => r.insights === insights);
  const summary = (insights: boolean) => {
    const rs = of(insights);
    return { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) };
  };
  const off = summary(false);
  const on = summary(true);
  const text = [
    "<!-- insights:start -->",
    "## Search insights under load (`npm run bench:insights`)",
    "",
    `Command: \`npm run bench:insights${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` (${new Date().toISOString().slice(0, 10)}): the same distinct page searches (as you type and whole words; ${every > 0 ? `one in ${every} with \`analytics=true\`, a final query to count` : "none counted"}) against two \`wrangler dev\` servers of this project, one with insights off and one with insights on and a local D1 database, alternating off, on, off, on in ${rounds} rounds of ${seconds} s at ${connections} connections, edge cache off.`,
    "",
    "| round | insights | requests | per second | p50 (ms) | p99 (ms) | errors | non-2xx |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r, i) =>
        `| ${Math.floor(i / 2) + 1} | ${r.insights ? "on" : "off"} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`,
    ),
    "",
    `Medians: insights off ${off.rps.toFixed(0)} requests/s, p50 ${off.p50} ms, p99 ${off.p99} ms; on ${on.rps.toFixed(0)} requests/s (${((on.rps / off.rps) * 100).toFixed(0)}% of off), p50 ${on.p50} ms, p99 ${on.p99} ms. The database counted ${report.totals.searches} final searches (${report.totals.zero} without results).`,
    "<!-- insights:end -->",
  ].join("\n");
  console.log(text);
  if (!values["no-write"]) writeSection("insights", text);
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
}
