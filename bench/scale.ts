// npm run bench:scale: fundstelle beside plain MiniSearch on LibreOffice's German help (~48k paragraphs), in one run:
// bundle size, startup CPU (`wrangler check startup`), in-process search time, isolate heap after load, and
// requests per second through `wrangler dev` against an empty route of the same Worker.
// Usage: npm run bench:scale [-- --queries 3000 --seconds 10 --rounds 2 --no-write]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import MiniSearch from "minisearch";
import { analyze } from "../analyzer/index.js";
import { buildArtifact, writeArtifact } from "../index-builder/build.js";
import { readCorpus } from "../index-builder/corpus.js";
import { startWranglerDev } from "../test/browser/servers.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { search } from "../worker/search/search.js";
import { connectInspector } from "./inspector.js";
import { seededRandom } from "./random.js";
import { writeSection } from "./report.js";

const ROOT = resolve(import.meta.dirname, "..");
const LIBREOFFICE = "/usr/share/libreoffice/help/de";
const OUT = join(ROOT, "test-output/scale");
const { values } = parseArgs({
  options: {
    queries: { type: "string", default: "3000" },
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    connections: { type: "string", default: "10" },
    "no-write": { type: "boolean", default: false },
  },
});
const queryCount = Number(values.queries);
const seconds = Math.min(120, Number(values.seconds));
const rounds = Math.min(10, Number(values.rounds));
const connections = Math.min(100, Number(values.connections));

if (!existsSync(LIBREOFFICE)) {
  console.error(
    `bench:scale needs LibreOffice's German help in ${LIBREOFFICE}, which is missing. Install it with\n  apt-get install libreoffice-help-de\nand run again. Nothing was installed.`,
  );
  process.exit(1);
}
const autocannonPackage = "autocannon";
const { default: autocannon } = (await import(autocannonPackage).catch(() => {
  console.error("bench:scale needs the benchmark packages: npm ci --prefix bench (npm run bench:scale does it).");
  process.exit(1);
})) as { default: (options: unknown) => Promise<AutocannonResult> };

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const log = (message: string) => console.log(`[bench:scale] ${message}`);
const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

// ---------------------------------------------------------------------------------------------------------------
// The corpus and both indexes.
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const corpusDir = mkdtempSync(join(tmpdir(), "fundstelle-scale-"));
symlinkSync(LIBREOFFICE, join(corpusDir, "libreoffice"));
log("reading LibreOffice's German help …");
const corpus = readCorpus(corpusDir);
rmSync(corpusDir, { recursive: true, force: true });
let started = performance.now();
const artifact = buildArtifact(corpus, null, "bench");
const fundstelleBuildMs = performance.now() - started;
const FUNDSTELLE = join(OUT, "fundstelle");
writeArtifact(artifact, join(FUNDSTELLE, "build"));
const paragraphs = corpus.documents.flatMap((doc) => doc.paragraphs.map((text) => ({ title: doc.title, text })));
log(
  `${corpus.documents.length} documents, ${paragraphs.length} paragraphs; fundstelle built in ${(fundstelleBuildMs / 1000).toFixed(1)} s`,
);

// Plain MiniSearch as the issue measured it: default options, numeric ids, paragraph text outside the index.
const PLAIN_OPTIONS = { fields: ["title", "text"] };
started = performance.now();
const plain = new MiniSearch<{ id: number; title: string; text: string }>(PLAIN_OPTIONS);
plain.addAll(paragraphs.map((p, id) => ({ id, ...p })));
const plainBuildMs = performance.now() - started;
const PLAIN = join(OUT, "minisearch");
mkdirSync(PLAIN, { recursive: true });
const plainIndexJson = JSON.stringify(plain);
writeFileSync(join(PLAIN, "index.txt"), plainIndexJson);
writeFileSync(join(PLAIN, "store.txt"), JSON.stringify(paragraphs));

// ---------------------------------------------------------------------------------------------------------------
// Two Workers, each with an empty route beside search. fundstelle's is the real app around the LibreOffice index.
const posix = (path: string) => path.split("\\").join("/");
writeFileSync(
  join(FUNDSTELLE, "worker.ts"),
  `// Generated by bench/scale.ts: the fundstelle app with the LibreOffice index, plus an empty route.
import { createApp } from "${posix(relative(FUNDSTELLE, join(ROOT, "worker/app.js")))}";
import { loadIndex } from "${posix(relative(FUNDSTELLE, join(ROOT, "worker/search/loaded-index.js")))}";
import * as artifact from "./build/artifact.js";
const loaded = loadIndex(artifact);
const app = createApp(() => loaded);
export default {
  fetch(request: Request, env: unknown, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === "/empty") return new Response("{}", { headers: { "Content-Type": "application/json" } });
    return app.fetch(request, env, ctx);
  },
};
`,
);
writeFileSync(
  join(PLAIN, "worker.ts"),
  `// Generated by bench/scale.ts: plain MiniSearch (a Text module parsed with loadJSON), prefix + fuzzy 0.2, plus an empty route.
import MiniSearch from "minisearch";
import index from "./index.txt";
import store from "./store.txt";
const miniSearch = MiniSearch.loadJSON(index, ${JSON.stringify(PLAIN_OPTIONS)});
const paragraphs = JSON.parse(store);
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });
export default {
  fetch(request: Request) {
    const url = new URL(request.url);
    if (url.pathname === "/empty") return json({});
    if (url.pathname === "/health") return json({ ok: true });
    const hits = miniSearch.search(url.searchParams.get("q") ?? "", { prefix: true, fuzzy: 0.2 }).slice(0, 10);
    return json({ hits: hits.map((hit) => ({ id: hit.id, score: hit.score, ...paragraphs[hit.id] })) });
  },
};
`,
);
writeFileSync(join(PLAIN, "text.d.ts"), 'declare module "*.txt" {\n  const text: string;\n  export default text;\n}\n');
const wranglerToml = (name: string, rules = "") =>
  `name = "${name}"\nmain = "worker.ts"\ncompatibility_date = "2026-04-20"\ncompatibility_flags = ["nodejs_compat"]\nsend_metrics = false\n${rules}\n[vars]\nCACHE_MAX_AGE = "0"\n`;
writeFileSync(join(FUNDSTELLE, "wrangler.toml"), wranglerToml("fundstelle-scale"));
writeFileSync(join(PLAIN, "wrangler.toml"), wranglerToml("minisearch-scale", '\n[[rules]]\ntype = "Text"\nglobs = ["**/*.txt"]\n'));

const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

/** Bundles a Worker the way `wrangler deploy` would and sums the gzip size of its modules. */
function bundle(dir: string): { raw: number; gzip: number } {
  const outdir = join(dir, "dist");
  execFileSync(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", outdir], { cwd: dir, env: wranglerEnv, stdio: "pipe" });
  let raw = 0;
  let gzip = 0;
  for (const file of readdirSync(outdir, { recursive: true }) as string[]) {
    const path = join(outdir, file);
    if (!statSync(path).isFile() || file.endsWith(".map") || file === "README.md") continue;
    const bytes = readFileSync(path);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

/**
 * Startup CPU as Cloudflare measures it: `wrangler check startup` profiles the Worker's global scope; the sum
 * of the profile's non-idle samples is the CPU it took.
 */
function startupCpu(dir: string): number {
  const outfile = join(dir, "startup.cpuprofile");
  execFileSync(process.execPath, [WRANGLER, "check", "startup", "--outfile", outfile], { cwd: dir, env: wranglerEnv, stdio: "pipe" });
  const profile = JSON.parse(readFileSync(outfile, "utf8")) as {
    nodes: { id: number; callFrame: { functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  let micros = 0;
  profile.samples.forEach((node, i) => {
    if (names.get(node) !== "(idle)") micros += profile.timeDeltas[i] ?? 0;
  });
  return micros / 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// Queries: keywords as you type with typos, drawn deterministically from the corpus; all distinct.
const random = seededRandom(7);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
function typo(word: string): string {
  const letters = [...word];
  const at = 1 + Math.floor(random() * (letters.length - 1));
  const kind = Math.floor(random() * 3);
  if (kind === 0) letters.splice(at, 1);
  else if (kind === 1) letters[at] = pick([..."aeinrstu"]);
  else if (at < letters.length - 1) [letters[at], letters[at + 1]] = [letters[at + 1] as string, letters[at] as string];
  return letters.join("");
}
function makeQueries(count: number): string[] {
  const queries = new Set<string>();
  for (let guard = 0; queries.size < count && guard < count * 20; guard++) {
    const words = analyze(pick(paragraphs).text)
      .filter((t) => t.kind === "word" && !t.stop && /^\p{L}{4,}$/u.test(t.exact))
      .map((t) => t.exact);
    if (words.length === 0) continue;
    const n = 1 + Math.floor(random() * Math.min(3, words.length));
    const start = Math.floor(random() * (words.length - n + 1));
    const chosen = words.slice(start, start + n).map((w) => (w.length >= 5 && random() < 0.25 ? typo(w) : w));
    const last = chosen.length - 1;
    const lastWord = chosen[last] as string;
    // The last word as typed so far: 3 letters up to the whole word.
    chosen[last] = lastWord.slice(0, 3 + Math.floor(random() * (lastWord.length - 2)));
    queries.add(chosen.join(" "));
  }
  return [...queries];
}
const queries = makeQueries(Math.max(queryCount, 30_000));
log(
  `${queries.length} distinct queries, e.g. ${queries
    .slice(0, 4)
    .map((q) => JSON.stringify(q))
    .join(", ")}`,
);

// ---------------------------------------------------------------------------------------------------------------
// In process (Node): load time and search time per query.
function timeLoads(load: () => unknown, times = 3): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    load();
    ms.push(performance.now() - t);
  }
  return median(ms);
}
const artifactModule = { manifest: artifact.files.manifest, index: artifact.files.index, store: artifact.files.store };
const fundstelleLoadMs = timeLoads(() => loadIndex(artifactModule));
const plainLoadMs = timeLoads(() => {
  MiniSearch.loadJSON(plainIndexJson, PLAIN_OPTIONS);
  JSON.parse(JSON.stringify(paragraphs));
});
const loaded = loadIndex(artifactModule);
const plainLoaded = MiniSearch.loadJSON(plainIndexJson, PLAIN_OPTIONS);

function timeQueries(run: (q: string) => unknown): number[] {
  for (const q of queries.slice(-200)) run(q);
  return queries.slice(0, queryCount).map((q) => {
    const t = performance.now();
    run(q);
    return performance.now() - t;
  });
}
log(`timing ${queryCount} queries in process …`);
const fundstelleTimes = timeQueries((q) => search(loaded, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true }));
const plainTimes = timeQueries((q) =>
  plainLoaded
    .search(q, { prefix: true, fuzzy: 0.2 })
    .slice(0, 10)
    .map((hit) => paragraphs[hit.id as number]),
);

// ---------------------------------------------------------------------------------------------------------------
// Through workerd: `wrangler dev` on loopback, search and the empty route alternating, then the isolate's heap.
interface Throughput {
  search: { rps: number; p50: number; p99: number };
  empty: { rps: number; p50: number; p99: number };
  errors: number;
  non2xx: number;
  requests: number;
  heapAfterLoad: number;
}
let nextQuery = 0;
async function throughput(dir: string): Promise<Throughput> {
  const server = await startWranglerDev([], dir);
  try {
    await fetch(`${server.origin}/search?q=warm`);
    const inspector = await connectInspector(server.inspectorPort);
    const heapAfterLoad = (await inspector.heapAfterGc()).used;
    inspector.close();
    const searchRuns: AutocannonResult[] = [];
    const emptyRuns: AutocannonResult[] = [];
    for (let round = 0; round < rounds; round++) {
      searchRuns.push(
        await autocannon({
          url: server.origin,
          connections,
          duration: seconds,
          requests: [
            {
              setupRequest: (request: Record<string, unknown>) => ({
                ...request,
                path: `/search?q=${encodeURIComponent(queries[nextQuery++ % queries.length] as string)}`,
              }),
            },
          ],
        }),
      );
      emptyRuns.push(await autocannon({ url: `${server.origin}/empty`, connections, duration: seconds }));
    }
    const summary = (runs: AutocannonResult[]) => ({
      rps: median(runs.map((r) => r.requests.average)),
      p50: median(runs.map((r) => r.latency.p50)),
      p99: median(runs.map((r) => r.latency.p99)),
    });
    const all = [...searchRuns, ...emptyRuns];
    return {
      search: summary(searchRuns),
      empty: summary(emptyRuns),
      errors: all.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
      non2xx: all.reduce((sum, r) => sum + r.non2xx, 0),
      requests: all.reduce((sum, r) => sum + r.requests.total, 0),
      heapAfterLoad,
    };
  } finally {
    await server.stop();
  }
}

interface EngineFigures {
  name: string;
  build: number;
  bundle: { raw: number; gzip: number };
  startup: number;
  load: number;
  times: number[];
  workerd: Throughput;
}
const figures: EngineFigures[] = [];
for (const [name, dir, build, load, times] of [
  ["fundstelle", FUNDSTELLE, fundstelleBuildMs, fundstelleLoadMs, fundstelleTimes],
  ["plain MiniSearch", PLAIN, plainBuildMs, plainLoadMs, plainTimes],
] as const) {
  log(`${name}: bundling, profiling startup, serving …`);
  figures.push({
    name,
    build,
    bundle: bundle(dir),
    startup: median([startupCpu(dir), startupCpu(dir), startupCpu(dir)]),
    load,
    times: [...times],
    workerd: await throughput(dir),
  });
}

// ---------------------------------------------------------------------------------------------------------------
const ms = (x: number) => (x < 1 ? x.toFixed(2) : x.toFixed(1));
const TARGETS = {
  startup: 150,
  gzip: 3 * 1024 * 1024,
  p50: 0.3,
  p99: 2,
  rpsShare: 0.85,
  p99Ratio: 2,
  heap: 64 * 1024 * 1024,
};
const met = (ok: boolean) => (ok ? "met" : "**not met**");
const row = (label: string, target: string, cell: (f: EngineFigures) => string, ok?: (f: EngineFigures) => boolean) =>
  `| ${label} | ${target} | ${figures.map((f) => cell(f)).join(" | ")} | ${ok && figures[0] ? met(ok(figures[0])) : ""} |`;
const share = (f: EngineFigures) => f.workerd.search.rps / f.workerd.empty.rps;
const p99Ratio = (f: EngineFigures) => f.workerd.search.p99 / Math.max(1, f.workerd.empty.p99);
const argv = process.argv.slice(2);
const report = [
  "<!-- scale:start -->",
  "## Scale (`npm run bench:scale`)",
  "",
  `Command: \`npm run bench:scale${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\` (${new Date().toISOString().slice(0, 10)}), on LibreOffice's German help`,
  `(libreoffice-help-de: ${corpus.documents.length.toLocaleString("en")} pages, ${paragraphs.length.toLocaleString("en")} paragraphs). Both Workers ran on this 2-core machine in one run.`,
  `Queries: ${queries.length.toLocaleString("en")} distinct keyword queries as typed, 1–3 words drawn from the corpus, the last cut to 3 letters or more,`,
  "a quarter of the longer words with one typo; fundstelle with typo tolerance `auto` and completion, plain MiniSearch",
  "with prefix and fuzzy 0.2 (its usual as-you-type settings). In-process times are Node on the same machine and",
  `include building the answer (snippets for fundstelle, the paragraph text for MiniSearch), ${queryCount.toLocaleString("en")} queries each.`,
  `Through workerd: \`wrangler dev\` on loopback, ${connections} connections, ${rounds} rounds of ${seconds} s of distinct searches alternating with`,
  "`/empty` (a route of the same Worker that answers `{}`), edge cache off; medians over the rounds. The heap is the",
  "isolate's V8 heap after a full collection, read through the DevTools inspector after the first search.",
  "",
  `| figure | target | ${figures.map((f) => f.name).join(" | ")} | fundstelle |`,
  `|---|---|${figures.map(() => "---:").join("|")}|---|`,
  row(
    "startup CPU (`wrangler check startup`, non-idle samples)",
    "≤ 150 ms",
    (f) => `${f.startup.toFixed(0)} ms`,
    (f) => f.startup <= TARGETS.startup,
  ),
  row(
    "bundle, gzip (raw)",
    "≤ 3 MiB",
    (f) => `${mib(f.bundle.gzip)} (${mib(f.bundle.raw)})`,
    (f) => f.bundle.gzip <= TARGETS.gzip,
  ),
  row(
    "search in process, p50",
    "≤ 0.3 ms",
    (f) => `${ms(quantile(f.times, 0.5))} ms`,
    (f) => quantile(f.times, 0.5) <= TARGETS.p50,
  ),
  row(
    "search in process, p99 (CPU per request)",
    "≤ 2 ms (≤ 10 ms)",
    (f) => `${ms(quantile(f.times, 0.99))} ms`,
    (f) => quantile(f.times, 0.99) <= TARGETS.p99,
  ),
  row("search in process, max", "", (f) => `${ms(Math.max(...f.times))} ms`),
  row("index load in process (Node, median of 3)", "", (f) => `${f.load.toFixed(0)} ms`),
  row(
    "isolate heap after load",
    "≤ 64 MB",
    (f) => mib(f.workerd.heapAfterLoad),
    (f) => f.workerd.heapAfterLoad <= TARGETS.heap,
  ),
  row("workerd: search requests/s (empty route)", "", (f) => `${f.workerd.search.rps.toFixed(0)} (${f.workerd.empty.rps.toFixed(0)})`),
  row(
    "workerd: search share of the empty route's requests/s",
    "≥ 85%",
    (f) => `${(share(f) * 100).toFixed(0)}%`,
    (f) => share(f) >= TARGETS.rpsShare,
  ),
  row(
    "workerd: search p99 (empty route p99)",
    "≤ 2×",
    (f) => `${f.workerd.search.p99} ms (${f.workerd.empty.p99} ms), ${p99Ratio(f).toFixed(1)}×`,
    (f) => p99Ratio(f) <= TARGETS.p99Ratio,
  ),
  row(
    "workerd: requests, errors, non-2xx",
    "no errors",
    (f) => `${f.workerd.requests}, ${f.workerd.errors}, ${f.workerd.non2xx}`,
    (f) => f.workerd.errors === 0 && f.workerd.non2xx === 0,
  ),
  row("index build (Node)", "", (f) => `${(f.build / 1000).toFixed(1)} s`),
  "<!-- scale:end -->",
].join("\n");
console.log(report);
if (!values["no-write"]) {
  writeSection("scale", report);
}
