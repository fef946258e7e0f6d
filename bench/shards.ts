// npm run bench:shards: a router and its shards against one Worker on the same corpus (LibreOffice's German help):
// requests per second and latency through `wrangler dev` on loopback in alternating rounds, and in process the time
// a request takes each way, where the router's extra time goes, and how many shard calls a search makes.
// Usage: npm run bench:shards [-- --shards 4 --queries 2000 --seconds 10 --rounds 3 --connections 10 --no-write]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { artifactModule, writeArtifact, writeShardedBuild } from "../index-builder/artifact-files.js";
import { buildArtifact, buildShards } from "../index-builder/build.js";
import { shardedWranglerFiles } from "../index-builder/project-config.js";
import { startWranglerDev, type WranglerDev } from "../test/browser/servers.js";
import { createApp, createBackendApp } from "../worker/app.js";
import { shardedBackend } from "../worker/router.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { inProcessShard, type ShardCall, shardWorker } from "../worker/shard.js";
import { loadAutocannon } from "./autocannon.js";
import { LIBREOFFICE, readLinkedCorpus, requireLibreOffice } from "./corpora.js";
import { writeSection } from "./report.js";
import { median, quantile } from "./stats.js";
import { alternateRounds, pathTarget, type ThroughputSummary } from "./throughput.js";
import { typedQueries } from "./typed-queries.js";
import { writeAppWorker } from "./worker-figures.js";

const ROOT = resolve(import.meta.dirname, "..");
const OUT = join(ROOT, "test-output/shards");
const { values } = parseArgs({
  options: {
    shards: { type: "string", default: "4" },
    queries: { type: "string", default: "2000" },
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "10" },
    "no-write": { type: "boolean", default: false },
  },
});
const shardCount = Math.max(2, Math.min(16, Number(values.shards)));
const queryCount = Math.max(10, Math.min(20_000, Number(values.queries)));
const seconds = Math.max(1, Math.min(120, Number(values.seconds)));
const rounds = Math.max(1, Math.min(10, Number(values.rounds)));
const connections = Math.max(1, Math.min(100, Number(values.connections)));

requireLibreOffice("bench:shards");
const autocannon = await loadAutocannon("bench:shards");
const log = (message: string) => console.log(`[bench:shards] ${message}`);

// ---------------------------------------------------------------------------------------------------------------
// One index and the same corpus in shards, written as Workers.
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
log("reading LibreOffice's German help, building one index and the shards …");
const corpus = await readLinkedCorpus({ libreoffice: LIBREOFFICE });
const paragraphs = corpus.documents.flatMap((doc) => doc.paragraphs.map((text) => ({ text })));
const one = buildArtifact(corpus, null, "bench");
const shards = buildShards(corpus, shardCount, null, "bench");
const ONE = join(OUT, "one");
writeArtifact(one, join(ONE, "build"));
writeAppWorker(ONE, "fundstelle-one");
// The project's layout (build-shards/ under a root), so that the generated wrangler.toml files point back at worker/.
const SHARDED = join(OUT, "build-shards");
writeShardedBuild(shards, SHARDED);
const files = shardedWranglerFiles(OUT, shardCount);
const queries = typedQueries(paragraphs, queryCount);
log(`${corpus.documents.length} pages, ${paragraphs.length} paragraphs, ${shardCount} shards; ${queries.length} queries`);

// ---------------------------------------------------------------------------------------------------------------
// In process: the same requests to one app and to a router whose service bindings call the shard apps directly,
// on one thread as a deployed router's bindings run. A shard call is recorded, so the shards' part can be timed alone.
const searchPath = (q: string) => `/search?q=${encodeURIComponent(q)}`;
interface InProcess {
  one: { cold: number[]; warm: number[] };
  router: { cold: number[]; warm: number[] };
  /** Per query: the time of the router's shard calls replayed on the shard apps alone (warm). */
  inShards: number[];
  calls: number[];
  bytes: number[];
}

async function inProcess(): Promise<InProcess> {
  const single = createApp(() => loaded);
  const loaded = loadIndex(artifactModule(one));
  const shardWorkers = shards.map((artifact) => shardWorker(artifactModule(artifact)));
  // Each call as RPC carries it (arguments and answer copied), its size as JSON (about what crosses between Workers).
  let recording: { shard: number; call: ShardCall; bytes: number }[] = [];
  const router = createBackendApp(
    shardedBackend(
      shardWorkers.map((shard, i) =>
        inProcessShard(shard.service, (call) => recording.push({ shard: i, call, bytes: Buffer.byteLength(JSON.stringify(call.answer)) })),
      ),
    ),
  );
  await router.request("/health"); // the router asks its shards for their info once; not part of a search
  const time = async (app: { request: (path: string) => Response | Promise<Response> }, path: string) => {
    const t = performance.now();
    await (await app.request(path)).arrayBuffer();
    return performance.now() - t;
  };
  const result: InProcess = {
    one: { cold: [], warm: [] },
    router: { cold: [], warm: [] },
    inShards: [],
    calls: [],
    bytes: [],
  };
  const calls: { shard: number; call: ShardCall }[][] = [];
  // First time each query is seen, alternating the two so that neither gets the quieter moments.
  for (const q of queries) {
    result.one.cold.push(await time(single, searchPath(q)));
    recording = [];
    result.router.cold.push(await time(router, searchPath(q)));
    calls.push(recording);
    result.calls.push(recording.length);
    result.bytes.push(recording.reduce((sum, call) => sum + call.bytes, 0));
  }
  const warm = {
    one: queries.map(() => [] as number[]),
    router: queries.map(() => [] as number[]),
    shards: queries.map(() => [] as number[]),
  };
  for (let round = 0; round < 3; round++) {
    for (const [i, q] of queries.entries()) {
      warm.one[i]?.push(await time(single, searchPath(q)));
      warm.router[i]?.push(await time(router, searchPath(q)));
      let inShards = 0;
      for (const { shard, call } of calls[i] ?? []) {
        const service = (shardWorkers[shard] as (typeof shardWorkers)[0]).service;
        const t = performance.now();
        await (service[call.method] as (...args: unknown[]) => Promise<unknown>)(...call.args);
        inShards += performance.now() - t;
      }
      warm.shards[i]?.push(inShards);
    }
  }
  result.one.warm = warm.one.map(median);
  result.router.warm = warm.router.map(median);
  result.inShards = warm.shards.map(median);
  return result;
}

log(`in process: ${queries.length} queries, first time then 3 warm rounds …`);
const local = await inProcess();

// ---------------------------------------------------------------------------------------------------------------
// Through workerd: both served by `wrangler dev` at once, rounds alternating, every round the same query sequence.
log("serving one Worker and the router with its shards under wrangler dev …");
const servers: WranglerDev[] = [];
let throughput: Map<string, ThroughputSummary>;
try {
  servers.push(await startWranglerDev([], ONE));
  servers.push(
    await startWranglerDev([...[files.router, ...files.shards].flatMap((file) => ["-c", file]), "--var", "CACHE_MAX_AGE:0"], OUT),
  );
  const [single, sharded] = servers as [WranglerDev, WranglerDev];
  for (const server of servers) await fetch(`${server.origin}${searchPath("warm")}`);
  const sequence = (round: number) => {
    let next = round * 7919;
    return () => searchPath(queries[next++ % queries.length] as string);
  };
  throughput = await alternateRounds(
    autocannon,
    [
      { name: "one Worker", options: (round) => pathTarget(single.origin, sequence(round)) },
      { name: "router + shards", options: (round) => pathTarget(sharded.origin, sequence(round)) },
    ],
    rounds,
    seconds,
    connections,
  );
} finally {
  for (const server of servers) await server.stop();
}

// ---------------------------------------------------------------------------------------------------------------
// The report.
const ms = (x: number) => (x < 1 ? x.toFixed(2) : x.toFixed(1));
const pair = (values: number[]) => `${ms(quantile(values, 0.5))} / ${ms(quantile(values, 0.99))}`;
const mean = (values: number[]) => values.reduce((sum, x) => sum + x, 0) / values.length;
const oneW = throughput.get("one Worker") as ThroughputSummary;
const shardedW = throughput.get("router + shards") as ThroughputSummary;
const extra = (a: number[], b: number[]) => b.map((x, i) => x - (a[i] ?? 0));
const fanOutWarm = extra(local.one.warm, local.router.warm);
const routerOwn = extra(local.inShards, local.router.warm);
const typoShare = local.calls.filter((n) => n > shardCount).length / local.calls.length;
const SERVICE_BINDINGS = "https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/";
const OLD_SERVICE_BINDINGS = "https://developers.cloudflare.com/workers/runtime-apis/service-bindings/";
const argv = process.argv.slice(2);
const report = [
  "<!-- shards:start -->",
  "## Sharded throughput (`npm run bench:shards`)",
  "",
  `Command: \`npm run bench:shards${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\` (${new Date().toISOString().slice(0, 10)}), on this 2-core machine, in one`,
  `run. LibreOffice's German help (${corpus.documents.length.toLocaleString("en")} pages, ${paragraphs.length.toLocaleString("en")} paragraphs) as one Worker and as a router`,
  `with ${shardCount} shards (\`buildShards\`, as \`npm run build:index -- --shards ${shardCount}\` builds them), the same ${queries.length.toLocaleString("en")} distinct keyword queries as typed`,
  "(`bench/typed-queries.ts`) against both, 10 hits each, edge cache off.",
  "",
  `Through workerd: \`wrangler dev\` on loopback for each (the router's with all ${shardCount} shards: \`-c router -c shard-0 …\`), both`,
  `serving at once, autocannon with ${connections} connections, ${rounds} rounds of ${seconds} s alternating between them, each round the same`,
  "query sequence for both; medians over the rounds.",
  "",
  "| | one Worker | router + shards | router ÷ one |",
  "|---|---:|---:|---:|",
  `| requests/s | ${oneW.rps.toFixed(0)} | ${shardedW.rps.toFixed(0)} | ${(shardedW.rps / oneW.rps).toFixed(2)} |`,
  `| latency p50 / p99 (ms) | ${oneW.p50} / ${oneW.p99} | ${shardedW.p50} / ${shardedW.p99} | ${(shardedW.p99 / Math.max(1, oneW.p99)).toFixed(1)} (p99) |`,
  `| requests, errors, non-2xx | ${oneW.requests}, ${oneW.errors}, ${oneW.non2xx} | ${shardedW.requests}, ${shardedW.errors}, ${shardedW.non2xx} | |`,
  "",
  "In process (Node, one thread): the same requests through the app of one Worker and through the router's app",
  "whose service bindings call the shards' RPC methods directly (arguments and answers copied with structuredClone,",
  "as RPC copies them); the first time each query is seen, then each query's median over 3 warm rounds. The",
  "shards' part is the router's shard calls of each query replayed on the shards' services alone; the router's own",
  "part (merging, and copying every call's arguments and answer) is the rest.",
  "",
  "| per request (ms) | p50 / p99 |",
  "|---|---:|",
  `| one Worker, first time | ${pair(local.one.cold)} |`,
  `| router + shards, first time | ${pair(local.router.cold)} |`,
  `| one Worker, warm | ${pair(local.one.warm)} |`,
  `| router + shards, warm | ${pair(local.router.warm)} |`,
  `| fan-out cost (router + shards − one Worker), warm | ${pair(fanOutWarm)} |`,
  `| of the router + shards: in the shards, warm | ${pair(local.inShards)} |`,
  `| of the router + shards: in the router itself, warm | ${pair(routerOwn)} |`,
  "",
  `Shard calls per search: ${mean(local.calls).toFixed(1)} on average (${shardCount} per pass; the typo pass, a second round of calls, in ${(typoShare * 100).toFixed(0)}%`,
  `of the searches), carrying ${(mean(local.bytes) / 1024).toFixed(1)} KiB of shard answers (as JSON) per search on average.`,
  "",
  `A deployed router adds no network time to this: a [service binding](${SERVICE_BINDINGS}) runs the shard in the same`,
  "thread of the same server, by default. The same thread also means the shards do not search in parallel: their",
  "work adds up on that thread, so a deployed router's latency is about its in-process time above (the shards' and",
  "its own), where one Worker's is the one Worker's, and every search costs the fan-out on top. For the CPU limit",
  `the shards may not count apart either: an [older version of that page](${OLD_SERVICE_BINDINGS}) says that Workers`,
  "connected by service bindings share the CPU resources of the top-level request, which would hold the router and",
  "all its shards together to the free plan's 10 ms. A sharded corpus is worth it for what one Worker cannot hold",
  "(size, memory: see Growth), not for speed.",
  "<!-- shards:end -->",
].join("\n");
console.log(report);
if (!values["no-write"]) writeSection("shards", report);
