// npm run bench:growth: how search time, startup CPU, bundle size and memory grow with the corpus, from 10,000 to
// 500,000 paragraphs (LibreOffice's German help and XQuAD-de's articles, cut or grown by rewritten copies: see
// bench/growth-corpus.ts), against the Workers limits; writes docs/BENCHMARKS.md's "Growth" section and
// docs/growth.svg.
// Usage: npm run bench:growth [-- --sizes 10k,50k,150k,500k --queries 1000 --rounds 3 --no-workerd --no-write]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { artifactModule, writeArtifact } from "../index-builder/artifact-files.js";
import { buildArtifact } from "../index-builder/build.js";
import { memoryEstimate, startupEstimate } from "../index-builder/size-budget.js";
import { type LoadedIndex, loadIndex } from "../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../worker/search/search.js";
import { LIBREOFFICE, readLinkedCorpus, requireLibreOffice } from "./corpora.js";
import { type GrowthPoint, growthChart, type Limit } from "./growth-chart.js";
import { CorpusGrower, RARE_PARAGRAPHS } from "./growth-corpus.js";
import { writeSection } from "./report.js";
import { selfTimeByFile } from "./self-time.js";
import { median, quantile } from "./stats.js";
import { timeLoads, timeRounds } from "./timing.js";
import { typedQueries } from "./typed-queries.js";
import { bundleSize, isolateHeap, startupCpu, writeAppWorker } from "./worker-figures.js";

const ROOT = resolve(import.meta.dirname, "..");
const OUT = join(ROOT, "test-output/growth");
const CHART = join(ROOT, "docs/growth.svg");
const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10k,50k,150k,500k" },
    queries: { type: "string", default: "1000" },
    rounds: { type: "string", default: "3" },
    "no-workerd": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const sizes = values.sizes
  .split(",")
  .map((s) => Math.round(Number(s.trim().replace(/k$/i, "")) * (/k$/i.test(s.trim()) ? 1000 : 1)))
  .sort((a, b) => a - b);
if (sizes.some((n) => !Number.isFinite(n) || n < 1000 || n > 2_000_000)) {
  console.error(`bench:growth: --sizes takes paragraph counts from 1k to 2000k, such as 10k,50k; not "${values.sizes}"`);
  process.exit(2);
}
const queryCount = Math.max(10, Math.min(20_000, Number(values.queries)));
const warmRounds = Math.max(1, Math.min(10, Number(values.rounds)));
const workerd = !values["no-workerd"];

requireLibreOffice("bench:growth");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn("[bench:growth] run node with --expose-gc (npm run bench:growth does) to measure the Node heap of the index");

const started = performance.now();
const log = (message: string) => console.log(`[bench:growth ${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);
const MIB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 2 : 1)} MiB`;
const ms = (x: number) => (x < 1 ? x.toFixed(2) : x.toFixed(1));
const label = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));

// ---------------------------------------------------------------------------------------------------------------
// The base corpus, the grower, and one set of queries for every size (drawn from the pages in every corpus).
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
log("reading LibreOffice's German help and XQuAD-de's articles …");
const base = await readLinkedCorpus({ libreoffice: LIBREOFFICE, wikipedia: join(ROOT, "corpus/wikipedia") });
const grower = new CorpusGrower(base);
const baseParagraphs = base.documents.reduce((sum, doc) => sum + doc.paragraphs.length, 0);
const common: { text: string }[] = [];
for (const doc of grower.basePages()) {
  if (common.length >= 10_000) break;
  common.push(...doc.paragraphs.map((text) => ({ text })));
}
const allQueries = typedQueries(common, queryCount + 200);
const baseTexts = base.documents.flatMap((doc) => doc.paragraphs);
const repeated = 1 - new Set(baseTexts).size / baseTexts.length;
// One paragraph of the base and its first copy, for the report.
const example = (() => {
  const grown = grower.corpus(baseParagraphs + 500);
  const byId = new Map(base.documents.map((doc) => [doc.id, doc]));
  for (const doc of grown.documents.slice(base.documents.length)) {
    const original = byId.get(doc.id.replace("/kopie-1/", "/"));
    const at = doc.paragraphs.findIndex((text, i) => text !== original?.paragraphs[i] && text.length < 160);
    if (original && at >= 0) return { id: doc.id, before: original.paragraphs[at] as string, after: doc.paragraphs[at] as string };
  }
  return null;
})();
const queries = allQueries.slice(0, queryCount);
const warmUp = allQueries.slice(queryCount);
log(
  `base: ${base.documents.length} pages, ${baseParagraphs} paragraphs; Heaps' beta ${grower.stats.beta.toFixed(3)}; ${queries.length} queries, e.g. ${queries
    .slice(0, 3)
    .map((q) => JSON.stringify(q))
    .join(", ")}`,
);

// ---------------------------------------------------------------------------------------------------------------
// Each size: build, time in process, then the Worker's figures through wrangler.
type Mode = "paragraphs" | "pages" | "rank";
const REQUESTS: Record<Mode, Omit<SearchRequest, "q">> = {
  paragraphs: { limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true },
  pages: { limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true, group: "document" },
  // One hit: ranking with nearly no snippet work.
  rank: { limit: 1, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true },
};

interface Times {
  /** Each query's time the first time it is seen, on a freshly loaded index. */
  cold: number[];
  /** Each query's median over the warm rounds after that. */
  warm: number[];
}

interface SizeFigures {
  /** The size asked for (--sizes); `paragraphs` is what the cut after a whole page gave. */
  size: number;
  paragraphs: number;
  pages: number;
  copies: number;
  unchanged: number;
  terms: number;
  vocabulary: number;
  buildMs: number;
  indexBytes: number;
  storeBytes: number;
  loadMs: number;
  nodeHeap: number | null;
  times: Record<Mode, Times>;
  selfTime: Map<string, number>;
  bundle: { raw: number; gzip: number } | null;
  startup: number | null;
  heap: number | null;
  notes: string[];
}

/** Times `mode` on a freshly loaded index, so the first round is the first time the index sees each query. */
function timeMode(module: ReturnType<typeof artifactModule>, mode: Mode): Times {
  const loaded = loadIndex(module);
  const request = REQUESTS[mode];
  const samples = timeRounds((q) => search(loaded, { ...request, q }), queries, 1 + warmRounds, warmUp);
  return { cold: samples.map((s) => s[0] ?? 0), warm: samples.map((s) => median(s.slice(1))) };
}

/** Bytes the V8 heap grows by when the index is loaded and has answered the warm-up queries (after collections). */
function nodeHeapOf(module: ReturnType<typeof artifactModule>): number | null {
  if (!gc) return null;
  gc();
  const before = process.memoryUsage().heapUsed;
  let loaded: LoadedIndex | null = loadIndex(module);
  for (const q of warmUp) search(loaded, { ...REQUESTS.paragraphs, q });
  gc();
  const after = process.memoryUsage().heapUsed;
  loaded = null;
  return after - before;
}

/** Runs a wrangler step, or says why it could not be measured. */
async function attempt<T>(what: string, notes: string[], step: () => T | Promise<T>): Promise<T | null> {
  const t = performance.now();
  try {
    const result = await step();
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(0)} s`);
    return result;
  } catch (error) {
    const reason = (
      (error as Error).message.split("\n").find((line) => /error|limit|memory|exceed/i.test(line)) ?? (error as Error).message
    )
      .trim()
      .slice(0, 160);
    log(`  ${what} failed: ${reason}`);
    notes.push(`${what}: not measured (${reason})`);
    return null;
  }
}

async function measure(size: number): Promise<SizeFigures> {
  const corpus = grower.corpus(size);
  const paragraphs = corpus.documents.reduce((sum, doc) => sum + doc.paragraphs.length, 0);
  log(`${label(size)}: ${corpus.documents.length} pages, ${paragraphs} paragraphs (${corpus.copies} copies); building …`);
  let t = performance.now();
  const artifact = buildArtifact(corpus, null, "bench");
  const buildMs = performance.now() - t;
  const dir = join(OUT, label(size));
  writeArtifact(artifact, join(dir, "build"));
  writeAppWorker(dir, `fundstelle-growth-${label(size)}`);
  const module = artifactModule(artifact);
  const vocabulary = (JSON.parse(artifact.files.store) as { vocabulary: { words: string[] } }).vocabulary.words.length;
  log(`  built in ${(buildMs / 1000).toFixed(1)} s: ${artifact.manifest.counts.terms} terms; timing ${queries.length} queries …`);
  t = performance.now();
  const loadMs = timeLoads(() => loadIndex(module));
  const nodeHeap = nodeHeapOf(module);
  const times = { paragraphs: timeMode(module, "paragraphs"), pages: timeMode(module, "pages"), rank: timeMode(module, "rank") };
  // Where a warm paragraph search spends its time, by source file.
  const profiled = loadIndex(module);
  for (const q of queries) search(profiled, { ...REQUESTS.paragraphs, q });
  const selfTime = await selfTimeByFile(() => {
    for (const q of queries) search(profiled, { ...REQUESTS.paragraphs, q });
  });
  log(
    `  in process ${((performance.now() - t) / 1000).toFixed(0)} s: paragraphs p50/p99 ${ms(quantile(times.paragraphs.warm, 0.5))}/${ms(quantile(times.paragraphs.warm, 0.99))} ms, pages ${ms(quantile(times.pages.warm, 0.5))}/${ms(quantile(times.pages.warm, 0.99))} ms`,
  );
  const notes: string[] = [];
  const figures: SizeFigures = {
    size,
    paragraphs,
    pages: corpus.documents.length,
    copies: corpus.copies,
    unchanged: corpus.unchanged,
    terms: artifact.manifest.counts.terms,
    vocabulary,
    buildMs,
    indexBytes: artifact.files.index.byteLength,
    storeBytes: Buffer.byteLength(artifact.files.store),
    loadMs,
    nodeHeap,
    times,
    selfTime,
    bundle: null,
    startup: null,
    heap: null,
    notes,
  };
  if (workerd) {
    figures.bundle = await attempt("bundle (wrangler deploy --dry-run)", notes, () => bundleSize(dir));
    // One startup profile of a large Worker takes a while: three where they are quick.
    const startups = paragraphs <= 60_000 ? 3 : 1;
    figures.startup = await attempt(`startup CPU (wrangler check startup, ${startups}×)`, notes, () =>
      median(Array.from({ length: startups }, () => startupCpu(dir))),
    );
    figures.heap = await attempt("isolate heap (wrangler dev)", notes, () => isolateHeap(dir));
  }
  // The build folder is kept for a look at the bundle; the bundles themselves are large.
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  return figures;
}

const results: SizeFigures[] = [];
for (const size of sizes) results.push(await measure(size));

// ---------------------------------------------------------------------------------------------------------------
// Limits: what Cloudflare documents today, which the build checks too (index-builder/size-budget.ts, with estimates of
// memory and startup fitted to this benchmark's figures: scripts/fit-limits.ts).
const LIMITS_URL = "https://developers.cloudflare.com/workers/platform/limits/";
const MEMORY = 128 * 1000 * 1000;
/** The memory an isolate holds for the index: its V8 heap, and index.bin as an ArrayBuffer outside it. */
const memoryOf = (f: SizeFigures) => (f.heap === null ? null : f.heap + f.indexBytes);
interface LimitCheck {
  name: string;
  plans: "free" | "paid" | "both";
  limit: string;
  share: (f: SizeFigures) => number | null;
}
const CHECKS: LimitCheck[] = [
  {
    name: "CPU per request: paragraphs, p99 first time",
    plans: "free",
    limit: "10 ms",
    share: (f) => quantile(f.times.paragraphs.cold, 0.99) / 10,
  },
  { name: "CPU per request: pages, p99 first time", plans: "free", limit: "10 ms", share: (f) => quantile(f.times.pages.cold, 0.99) / 10 },
  { name: "Worker size, uncompressed", plans: "both", limit: "64 MiB", share: (f) => (f.bundle ? f.bundle.raw / (64 * MIB) : null) },
  { name: "startup CPU", plans: "both", limit: "1 s", share: (f) => (f.startup === null ? null : f.startup / 1000) },
  {
    name: "memory (isolate heap + index.bin)",
    plans: "both",
    limit: "128 MB",
    share: (f) => {
      const memory = memoryOf(f);
      return memory === null ? null : memory / MEMORY;
    },
  },
];
/** The limit of `plan` nearest to (or furthest past) being reached at this size, among today's limits: the one that binds. */
function bindsFirst(f: SizeFigures, plan: "free" | "paid"): string {
  const applicable = CHECKS.filter((c) => c.plans === plan || c.plans === "both");
  const shares = applicable.map((c) => ({ c, share: c.share(f) })).filter((x): x is { c: LimitCheck; share: number } => x.share !== null);
  const top = shares.sort((a, b) => b.share - a.share)[0];
  if (!top) return "not measured";
  const pct = `${(top.share * 100).toFixed(0)}%`;
  return top.share > 1 ? `**${top.c.name}: ${pct}, over**` : `${top.c.name}: ${pct}`;
}

interface Reach {
  /** About how many paragraphs reach the limit; null when it is not reached or not measured. */
  n: number | null;
  text: string;
}

/**
 * About how many paragraphs reach a limit: interpolated on a log-log line between the first two measured sizes
 * around 100% of it, or extrapolated from the last two when no size reaches it; "≤ n" when the smallest does.
 */
function reachedAt(check: LimitCheck): Reach {
  const measured = results
    .map((f) => ({ n: f.paragraphs, share: check.share(f) }))
    .filter((p): p is { n: number; share: number } => p.share !== null && p.share > 0);
  const first = measured[0];
  if (!first) return { n: null, text: "—" };
  const rounded = (n: number) => `${(Math.round(n / (n < 100_000 ? 1000 : 10_000)) * (n < 100_000 ? 1 : 10)).toLocaleString("en")}k`;
  if (first.share >= 1) return { n: first.n, text: `≤ ${rounded(first.n)}` };
  const at = (a: { n: number; share: number }, b: { n: number; share: number }) =>
    Math.exp(Math.log(a.n) + (-Math.log(a.share) * (Math.log(b.n) - Math.log(a.n))) / (Math.log(b.share) - Math.log(a.share)));
  for (let i = 1; i < measured.length; i++) {
    const [a, b] = [measured[i - 1], measured[i]] as [{ n: number; share: number }, { n: number; share: number }];
    if (b.share >= 1) {
      const n = at(a, b);
      return { n, text: `≈ ${rounded(n)}` };
    }
  }
  const [a, b] = [measured.at(-2), measured.at(-1)];
  if (!a || !b || b.share <= a.share) return { n: null, text: "not reached" };
  const n = at(a, b);
  return n > 10_000_000 ? { n: null, text: "> 10,000k (extrapolated)" } : { n, text: `≈ ${rounded(n)} (extrapolated)` };
}

/** A Reach's text as words: "≤ 10k" as "already at 10k paragraphs", "≈ 590k (extrapolated)" as "at about 590k paragraphs (extrapolated)". */
function phrase(text: string): string {
  if (text === "—") return "not measured";
  if (text === "not reached") return text;
  if (text.startsWith(">")) return `beyond ${text.slice(2)}`;
  if (text.startsWith("≤")) return `already at ${text.slice(2)} paragraphs`;
  return `at about ${text.slice(2).replace(" (extrapolated)", "")} paragraphs${text.endsWith("(extrapolated)") ? " (extrapolated)" : ""}`;
}

/** Today's limits of `plan` in the order the corpus reaches them, as a sentence. */
function reachOrder(plan: "free" | "paid"): string {
  const reached = CHECKS.filter((c) => c.plans === plan || c.plans === "both")
    .map((c) => ({ c, reach: reachedAt(c) }))
    .filter((x) => x.reach.n !== null)
    .sort((a, b) => (a.reach.n as number) - (b.reach.n as number));
  if (reached.length === 0) return "none of its limits is reached within the sizes measured";
  return reached
    .map(({ c, reach }, i) => `${i === 0 ? "**" : ""}${c.name} (${c.limit}) ${phrase(reach.text)}${i === 0 ? "**" : ""}`)
    .join(", then ");
}

// ---------------------------------------------------------------------------------------------------------------
// The report.
const argv = process.argv.slice(2);
const cells = (cell: (f: SizeFigures) => string) => results.map(cell).join(" | ");
const row = (name: string, cell: (f: SizeFigures) => string) => `| ${name} | ${cells(cell)} |`;
const pair = (values: number[]) => `${ms(quantile(values, 0.5))} / ${ms(quantile(values, 0.99))}`;
const orNone = <T>(value: T | null, show: (v: T) => string) => (value === null ? "—" : show(value));
const sharePct = (share: number | null) =>
  share === null ? "—" : share > 1 ? `**${(share * 100).toFixed(0)}%**` : `${(share * 100).toFixed(0)}%`;

// Self time per query by file, for the files that take the most at the largest size.
const perQuery = (f: SizeFigures, file: string) => (f.selfTime.get(file) ?? 0) / queries.length;
const largest = results.at(-1) as SizeFigures;
const smallest = results[0] as SizeFigures;
const topFiles = [...largest.selfTime.keys()].sort((a, b) => perQuery(largest, b) - perQuery(largest, a)).slice(0, 10);
const totalPerQuery = (f: SizeFigures) => [...f.selfTime.values()].reduce((sum, x) => sum + x, 0) / queries.length;
/** Of the files that take at least 5% of a query at the largest size, the one whose time grows the most. */
const fastest = topFiles
  .filter((file) => perQuery(largest, file) >= 0.05 * totalPerQuery(largest))
  .map((file) => ({ file, factor: perQuery(largest, file) / Math.max(1e-6, perQuery(smallest, file)) }))
  .sort((a, b) => b.factor - a.factor)[0] ?? { file: "—", factor: 1 };

const { beta, stems, rareStems } = grower.stats;
const report = [
  "<!-- growth:start -->",
  "## Growth (`npm run bench:growth`)",
  "",
  `Command: \`npm run bench:growth${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\` (${new Date().toISOString().slice(0, 10)}), on this 2-core machine, in one`,
  "run: compare timings within it (the machine is shared at times), sizes are exact.",
  "",
  "![Growth: search time, startup CPU, bundle and memory against the Workers limits](growth.svg)",
  "",
  `**Corpora.** The base is LibreOffice's German help (libreoffice-help-de) and XQuAD-de's 48 Wikipedia articles: ${base.documents.length.toLocaleString("en")} pages,`,
  `${baseParagraphs.toLocaleString("en")} paragraphs. A smaller size takes the base's pages in a fixed shuffled order up to the page that reaches it; a larger`,
  "one takes whole copies of the base, then the pages of one more copy in an order of its own, each copy's pages",
  "kept in the base's order. Copy k (k ≥ 1) gives every page the id `<collection>/kopie-k/…` (and `?kopie=k` on its url)",
  "and respells words so that the vocabulary grows as Heaps' law says it would for more text of the same kind: the",
  `distinct stems of k + 1 copies are the base's × (k + 1)^β, with β = ${beta.toFixed(2)} fitted on the base itself (distinct stems`,
  "of words of 4+ letters that are not stop words, over its shuffled pages). The respelled stems are chosen by hash",
  `among the rare ones (in at most ${RARE_PARAGRAPHS} paragraphs: ${rareStems.toLocaleString("en")} of the base's ${stems.toLocaleString("en")}), each replaced by a made-up`,
  "pronounceable stem of about its length with the word's ending and case kept, so common words keep occurring in",
  "every copy and their postings grow with the corpus, as in a larger real manual.",
  "A copied paragraph in which no word was respelled gets one of its copy's made-up stems for its rarest word, so",
  "that no copied paragraph with a word of four letters or more is identical to its original (those left: table",
  `rows of numbers and words like \`Now\`; counted below). The base itself repeats ${(repeated * 100).toFixed(0)}% of its paragraphs (boilerplate`,
  "such as `Klicken Sie auf OK.`); each copy repeats them in the same way.",
  ...(example ? ["", `For example, in \`${example.id}\`:`, "", `> ${example.before}`, ">", `> → ${example.after}`] : []),
  "",
  `**Measured.** In process (Node 20; V8, as in workerd): ${queries.length.toLocaleString("en")} distinct keyword queries as typed (\`bench/typed-queries.ts\`,`,
  "drawn from the pages in every size), typo tolerance `auto` and completion, as paragraphs (10 hits) and as pages",
  "(`group=document`, 10 pages with up to 3 sections each). Each mode on a freshly loaded index: the first round is",
  `the first time the index sees each query (its bounded memos of typo variants and shown hits cold for the query,`,
  `warm for words seen in earlier queries); then ${warmRounds} warm rounds, each query's median. Bundle: \`wrangler deploy --dry-run\`;`,
  "startup: `wrangler check startup` (non-idle samples of the profile); heap: the isolate's V8 heap after a full",
  "collection under `wrangler dev`, after one search (index.bin, a Data module, is an ArrayBuffer outside the V8 heap;",
  "memory below is the two together).",
  "",
  "**Which limit binds** (today's limits, in the order the corpus reaches them):",
  "",
  `- free plan: ${reachOrder("free")};`,
  `- paid plan: ${reachOrder("paid")}.`,
  "",
  `Of a warm paragraph search's time, the part that grows fastest from ${label(smallest.size)} to ${label(largest.size)} paragraphs is`,
  `\`${fastest.file}\` (×${fastest.factor.toFixed(1)}, ${ms(perQuery(smallest, fastest.file))} → ${ms(perQuery(largest, fastest.file))} ms per query; all of it ×${(totalPerQuery(largest) / totalPerQuery(smallest)).toFixed(1)}): see the last table.`,
  "",
  `| figure | ${results.map((f) => label(f.size)).join(" | ")} |`,
  `|---|${results.map(() => "---:").join("|")}|`,
  row("paragraphs (pages)", (f) => `${f.paragraphs.toLocaleString("en")} (${f.pages.toLocaleString("en")})`),
  row("copies of the base (copied paragraphs left identical)", (f) => `${f.copies} (${f.unchanged.toLocaleString("en")})`),
  row("index terms (vocabulary words)", (f) => `${f.terms.toLocaleString("en")} (${f.vocabulary.toLocaleString("en")})`),
  row("index build (Node)", (f) => `${(f.buildMs / 1000).toFixed(1)} s`),
  row("index.bin + store.json, raw", (f) => `${mib(f.indexBytes)} + ${mib(f.storeBytes)}`),
  row("bundle, gzip (raw)", (f) => orNone(f.bundle, (b) => `${mib(b.gzip)} (${mib(b.raw)})`)),
  row("startup CPU", (f) => orNone(f.startup, (s) => `${s.toFixed(0)} ms`)),
  row("isolate heap after load (+ index.bin)", (f) => orNone(f.heap, (h) => `${mib(h)} (${mib(h + f.indexBytes)})`)),
  row("the build's estimates: memory, startup", (f) => {
    const figures = { index: f.indexBytes, module: 0, store: f.storeBytes, paragraphs: f.paragraphs, terms: f.terms };
    return `${mib(memoryEstimate(figures))}, ${startupEstimate(figures).toFixed(0)} ms`;
  }),
  row("Node: heap the loaded index adds", (f) => orNone(f.nodeHeap, mib)),
  row("index load in process (median of 3)", (f) => `${f.loadMs.toFixed(0)} ms`),
  row("**paragraphs**, warm, p50 / p99 (ms)", (f) => pair(f.times.paragraphs.warm)),
  row("paragraphs, first time, p50 / p99 (ms)", (f) => pair(f.times.paragraphs.cold)),
  row("**pages**, warm, p50 / p99 (ms)", (f) => pair(f.times.pages.warm)),
  row("pages, first time, p50 / p99 (ms)", (f) => pair(f.times.pages.cold)),
  row("one hit (ranking alone), warm, p50 / p99 (ms)", (f) => pair(f.times.rank.warm)),
  row(
    "max, paragraphs / pages, first time (ms)",
    (f) => `${ms(Math.max(...f.times.paragraphs.cold))} / ${ms(Math.max(...f.times.pages.cold))}`,
  ),
  row("nearest limit, free plan (share used)", (f) => bindsFirst(f, "free")),
  row("nearest limit, paid plan (share used)", (f) => bindsFirst(f, "paid")),
  "",
  `Share of each Workers limit used (${LIMITS_URL}; memory: [128 MB per isolate](${LIMITS_URL}#memory), startup: [1 s](${LIMITS_URL}#worker-startup-time),`,
  `CPU: [10 ms per request on the free plan, 30 s by default (up to 5 min) on the paid one](${LIMITS_URL}#cpu-time)). The Worker size limit is`,
  "64 MiB uncompressed on both plans since Cloudflare dropped its compressed limits (3 MiB free, 10 MiB paid, gzip) in",
  "2026 ([workers-sdk#14001](https://github.com/cloudflare/workers-sdk/pull/14001)). The build checks the same limits (`index-builder/size-budget.ts`):",
  'the size, and memory and startup as estimated from its files (the row "the build\'s estimates" above; after a new run,',
  "`npx tsx scripts/fit-limits.ts` fits them to it again). Over 100% in bold.",
  "",
  `| limit | plans | value | ${results.map((f) => label(f.size)).join(" | ")} | reached at about (paragraphs) |`,
  `|---|---|---:|${results.map(() => "---:").join("|")}|---:|`,
  ...CHECKS.map((c) => `| ${c.name} | ${c.plans} | ${c.limit} | ${cells((f) => sharePct(c.share(f)))} | ${reachedAt(c).text} |`),
  "",
  `Where a warm paragraph search spends its time: self time per query by source file (a CPU profile of one round of`,
  `the ${queries.length.toLocaleString("en")} queries; V8's own work in parentheses), the ten largest at ${label(largest.size)}.`,
  "",
  `| file | ${results.map((f) => label(f.size)).join(" | ")} | × ${label(smallest.size)} → ${label(largest.size)} |`,
  `|---|${results.map(() => "---:").join("|")}|---:|`,
  ...topFiles.map(
    (file) =>
      `| \`${file}\` | ${cells((f) => `${ms(perQuery(f, file))} ms`)} | ${(perQuery(largest, file) / Math.max(1e-6, perQuery(smallest, file))).toFixed(1)} |`,
  ),
  `| all | ${cells((f) => `${ms(totalPerQuery(f))} ms`)} | ${(totalPerQuery(largest) / totalPerQuery(smallest)).toFixed(1)} |`,
  ...(results.some((f) => f.notes.length > 0) ? ["", ...results.flatMap((f) => f.notes.map((note) => `- ${label(f.size)}: ${note}`))] : []),
  "<!-- growth:end -->",
].join("\n");
console.log(report);

const points: GrowthPoint[] = results.map((f) => ({
  size: f.size,
  paragraphs: f.paragraphs,
  paragraphsP50: quantile(f.times.paragraphs.warm, 0.5),
  paragraphsP99: quantile(f.times.paragraphs.warm, 0.99),
  pagesP50: quantile(f.times.pages.warm, 0.5),
  pagesP99: quantile(f.times.pages.warm, 0.99),
  paragraphsColdP99: quantile(f.times.paragraphs.cold, 0.99),
  pagesColdP99: quantile(f.times.pages.cold, 0.99),
  bundleGzip: f.bundle?.gzip ?? null,
  bundleRaw: f.bundle?.raw ?? null,
  heap: memoryOf(f),
  startup: f.startup,
}));
const limits: Limit[] = [
  { label: "free plan: 10 ms CPU per request", value: 10, panel: "time" },
  { label: "startup: 1 s", value: 1000, panel: "time" },
  { label: "memory: 128 MB", value: MEMORY / MIB, panel: "size" },
  { label: "Worker size: 64 MiB", value: 64, panel: "size" },
];
const svg = await growthChart(points, limits, "bench:growth");
if (values["no-write"]) {
  writeFileSync(join(OUT, "growth.svg"), svg);
  log(`chart written to ${join(OUT, "growth.svg")} (--no-write: docs/ untouched)`);
} else {
  writeFileSync(CHART, svg);
  writeSection("growth", report);
  log(`written: docs/BENCHMARKS.md (Growth) and ${CHART}`);
}
