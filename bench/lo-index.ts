// npm run bench:lo-index: page-level ranking on a real documentation site, LibreOffice's German help, judged by the
// queries of lo-index-dev (../shared/data/lo-index-dev: 5,023 entries of the help's own index, each with the page(s)
// it points to, in four sets: keywords, as-you-type, typo, lowercase-ascii). MRR@10, success@1 and success@10 per set
// for fundstelle (group=document) beside the anchor engines of bench/engines.ts and MiniSearch with a Snowball stemmer.
// Usage: npm run bench:lo-index [-- --engines fundstelle,minisearch-snowball --sets keywords,typo --limit 200
//   --no-whole-pages --data PATH/queries.json --no-write]
// The table goes into docs/BENCHMARKS.md only from a full run (every engine and set, no --limit) without --no-write.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { stemmer as germanStemmer } from "@orama/stemmers/german";
import { artifactModule } from "../index-builder/artifact-files.js";
import { buildArtifact } from "../index-builder/build.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { search } from "../worker/search/search.js";
import { LIBREOFFICE, readLinkedCorpus, requireLibreOffice } from "./corpora.js";
import { type BenchEntry, ENGINES, type Engine, type EngineFactory, miniSearchEngine } from "./engines.js";
import { firstRelevant, type PageScores, pageEntries, pageScores, pagesFromParagraphs, paragraphEntries } from "./page-ranking.js";
import { writeSection } from "./report.js";
import { quantile } from "./stats.js";

const ROOT = resolve(import.meta.dirname, "..");
const SETS = ["keywords", "as-you-type", "typo", "lowercase-ascii"] as const;
type SetName = (typeof SETS)[number];

/** The collection LibreOffice's help is read as: its pages' ids are "libreoffice/text/<module>/…/<name>". */
const COLLECTION = "libreoffice";

/**
 * MiniSearch as bench/engines.ts configures it (title and text, prefix, fuzzy 0.2), every term stemmed by the
 * Snowball German stemmer (@orama/stemmers' German stemmer is Snowball's, compiled to JavaScript): the anchor
 * issue #29 names.
 */
const minisearchSnowball: EngineFactory = (entries) =>
  miniSearchEngine(entries, "MiniSearch + Snowball (prefix, fuzzy 0.2)", (term) => germanStemmer(term.toLowerCase()));

/** The anchors, by the name --engines takes; fundstelle is searched directly (see rankFundstelle). */
const ANCHORS: Record<string, EngineFactory> = {
  "minisearch-snowball": minisearchSnowball,
  ...Object.fromEntries(Object.entries(ENGINES).filter(([name]) => name !== "fundstelle")),
};
const ALL_ENGINES = ["fundstelle", ...Object.keys(ANCHORS)];

requireLibreOffice("bench:lo-index");
const { values } = parseArgs({
  options: {
    engines: { type: "string", default: ALL_ENGINES.join(",") },
    sets: { type: "string", default: SETS.join(",") },
    limit: { type: "string" },
    data: { type: "string", default: resolve(ROOT, "../shared/data/lo-index-dev/queries.json") },
    "no-whole-pages": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const engineNames = values.engines.split(",").filter((name) => name !== "");
const setNames = values.sets.split(",").filter((name) => name !== "") as SetName[];
for (const name of engineNames) if (!ALL_ENGINES.includes(name)) fail(`--engines: ${name} is not an engine (${ALL_ENGINES.join(", ")}).`);
for (const name of setNames) if (!SETS.includes(name)) fail(`--sets: ${name} is not a set (${SETS.join(", ")}).`);
const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
if (!(limit > 0)) fail(`--limit ${values.limit} is not a positive number.`);
if (!existsSync(values.data)) fail(`${values.data} is missing: lo-index-dev's queries.json (see issue #29).`);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

interface DatasetQuery {
  id: string;
  app: string;
  entry: string;
  /** Page ids as "text/<module>/…/<name>", without ".html". */
  relevant: string[];
  sets: Partial<Record<SetName, string>>;
}
interface Dataset {
  meta: { source: string; queries: number; counts: Record<SetName, number>; hash: string };
  queries: DatasetQuery[];
}
/** One query of a set as the benchmark runs it: its text, and those of its relevant pages the index holds. */
interface SetQuery {
  query: string;
  relevant: Set<string>;
}

/** A page's id in the dataset ("text/swriter/guide/removing_line_breaks") from its document id in the index. */
function datasetId(docId: string): string {
  const id = docId.startsWith(`${COLLECTION}/`) ? docId.slice(COLLECTION.length + 1) : docId;
  return id.endsWith(".html") ? id.slice(0, -".html".length) : id;
}

const dataset = JSON.parse(readFileSync(values.data, "utf8")) as Dataset;

let start = performance.now();
const corpus = await readLinkedCorpus({ [COLLECTION]: LIBREOFFICE });
const artifact = buildArtifact(corpus, null, "bench");
const index = loadIndex(artifactModule(artifact));
const indexed = new Set(index.store.documents.map((doc) => datasetId(doc.id)));
const paragraphs = paragraphEntries(corpus);
const pages = pageEntries(corpus);
console.log(
  `LibreOffice's German help: ${pages.length} pages, ${paragraphs.length} paragraphs, indexed in ${((performance.now() - start) / 1000).toFixed(1)} s`,
);

/** Each set's queries (the first --limit), each with its relevant pages the index holds; `dropped`: those with none. */
const sets = new Map<SetName, { queries: SetQuery[]; dropped: number; severalRelevant: number }>();
for (const set of setNames) {
  const queries: SetQuery[] = [];
  let dropped = 0;
  let severalRelevant = 0;
  for (const q of dataset.queries) {
    const text = q.sets[set];
    if (text === undefined) continue;
    if (queries.length + dropped >= limit) break;
    const relevant = new Set(q.relevant.filter((page) => indexed.has(page)));
    if (relevant.size === 0) {
      dropped++;
      continue;
    }
    if (relevant.size > 1) severalRelevant++;
    queries.push({ query: text, relevant });
  }
  sets.set(set, { queries, dropped, severalRelevant });
}
const summary = setNames.map((set) => `${set} ${sets.get(set)?.queries.length} (${sets.get(set)?.dropped} dropped)`).join(", ");
console.log(`Queries: ${summary}`);

/** One row of the table: an engine and how it ranked pages, its scores per set and its time per query. */
interface Row {
  name: string;
  way: string;
  scores: Map<SetName, PageScores>;
  times: number[];
  build: number;
}

/** Runs every set through `rank` (document ids of the index, best first), timing each query. */
function evaluate(name: string, way: string, build: number, rank: (query: string) => string[]): Row {
  const scores = new Map<SetName, PageScores>();
  const times: number[] = [];
  for (const set of setNames) {
    const ranks: number[] = [];
    for (const q of sets.get(set)?.queries ?? []) {
      const t = performance.now();
      const ids = rank(q.query);
      times.push(performance.now() - t);
      ranks.push(firstRelevant(ids.map(datasetId), q.relevant));
    }
    scores.set(set, pageScores(ranks));
  }
  const row = { name, way, scores, times, build };
  const line = setNames.map((set) => `${set} ${row.scores.get(set)?.mrr.toFixed(3)}`).join(", ");
  console.log(`${name}, ${way}: ${line}; median ${quantile(times, 0.5).toFixed(3)} ms`);
  return row;
}

const warmUp = dataset.queries.slice(0, 20).map((q) => q.sets.keywords ?? q.entry);

/** fundstelle as the worker answers a search box: one hit per page, prefix=true (the API's default) for every set. */
function rankFundstelle(q: string): string[] {
  const response = search(index, { q, group: "document", limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true });
  return response.hits.map((hit) => hit.doc.id);
}

async function buildEngine(factory: EngineFactory, entries: BenchEntry[]): Promise<{ engine: Engine; build: number }> {
  const t = performance.now();
  const engine = await factory(entries, artifact);
  const build = performance.now() - t;
  for (const q of warmUp) engine.search(q);
  return { engine, build };
}

const PARAGRAPHS = "paragraphs → pages";
const WHOLE = "whole pages";
const GROUPED = "group=document";
const rows: Row[] = [];
start = performance.now();
for (const name of engineNames) {
  if (name === "fundstelle") {
    for (const q of warmUp) rankFundstelle(q);
    rows.push(evaluate("fundstelle", GROUPED, 0, rankFundstelle));
    continue;
  }
  const factory = ANCHORS[name] as EngineFactory;
  const { engine, build } = await buildEngine(factory, paragraphs);
  const { searchPages } = engine;
  if (searchPages) {
    rows.push(evaluate(engine.name, "its own pages", build, (q) => searchPages(q)));
    continue;
  }
  rows.push(evaluate(engine.name, PARAGRAPHS, build, (q) => pagesFromParagraphs(engine.search, q, paragraphs.length)));
  if (values["no-whole-pages"]) continue;
  const whole = await buildEngine(factory, pages);
  rows.push(evaluate(engine.name, WHOLE, whole.build, (q) => whole.engine.search(q, 10)));
}
const duration = (performance.now() - start) / 1000;

/** One table: a row per engine and way, for each set MRR@10, success@1 and success@10 (the best of each column bold). */
function table(): string[] {
  const columns = setNames.flatMap((set) =>
    (["mrr", "s1", "s10"] as const).map((metric) => ({
      set,
      metric,
      label: `${set}: ${{ mrr: "MRR@10", s1: "s@1", s10: "s@10" }[metric]}`,
    })),
  );
  const lines = [
    `| engine | ranks pages by | ${columns.map((c) => c.label).join(" | ")} | median ms | build s |`,
    `|---|---|${columns.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const row of rows) {
    const cells = columns.map(({ set, metric }) => {
      const value = row.scores.get(set)?.[metric] ?? 0;
      const best = Math.max(...rows.map((r) => r.scores.get(set)?.[metric] ?? 0));
      const text = value.toFixed(3);
      return value === best ? `**${text}**` : text;
    });
    const build = row.way === GROUPED ? "–" : (row.build / 1000).toFixed(1);
    lines.push(`| ${row.name} | ${row.way} | ${cells.join(" | ")} | ${quantile(row.times, 0.5).toFixed(3)} | ${build} |`);
  }
  return lines;
}

/** The queries of each set, those left out, and fundstelle's time per query in it. */
function queryTable(): string[] {
  const fundstelle = rows.find((row) => row.way === GROUPED);
  const lines = [
    `| set | queries | left out (no relevant page indexed) | with several relevant pages |${fundstelle ? " fundstelle median ms | p99 ms |" : ""}`,
    `|---|---:|---:|---:|${fundstelle ? "---:|---:|" : ""}`,
  ];
  let offset = 0;
  for (const set of setNames) {
    const s = sets.get(set);
    if (!s) continue;
    const times = fundstelle?.times.slice(offset, offset + s.queries.length) ?? [];
    offset += s.queries.length;
    const timing = fundstelle ? ` ${quantile(times, 0.5).toFixed(3)} | ${quantile(times, 0.99).toFixed(2)} |` : "";
    lines.push(`| ${set} | ${s.queries.length} | ${s.dropped} | ${s.severalRelevant} |${timing}`);
  }
  return lines;
}

/** The commit the search code is at, and whether the code that ranks has changes not yet committed. */
function codeVersion(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain", "--", "worker", "analyzer", "index-builder", "common"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    return `, commit ${commit}${changed === "" ? "" : " with uncommitted changes to the search code"}`;
  } catch {
    return "";
  }
}

const limited = Number.isFinite(limit) ? `, the first ${limit} queries of each set` : "";
const report = [
  "<!-- lo-index:start -->",
  "## Relevance: LibreOffice's help index (`npm run bench:lo-index`)",
  "",
  `Command: \`npm run bench:lo-index\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}${codeVersion()}${limited}; the run took ${Math.round(duration)} s).`,
  `The queries are lo-index-dev's (${dataset.meta.queries.toLocaleString("en")} entries of the human-written index of LibreOffice's`,
  `German help, ${dataset.meta.source}, hash ${dataset.meta.hash}; issue #29): each finds the page(s) its entry points to, typed four`,
  "ways: `keywords` (the entry), `as-you-type` (the last word cut to 4 letters), `typo` (one word changed once),",
  "`lowercase-ascii` (ä/ö/ü/ß as ae/oe/ue/ss). Every engine indexes the same visible text of the help's",
  `${pages.length.toLocaleString("en")} pages (${paragraphs.length.toLocaleString("en")} paragraphs; the index entries stand in each page as an`,
  "invisible `<meta>`, which the reader skips). A page's id in the index, `libreoffice/text/<module>/…/<name>`, is the",
  "dataset's `text/<module>/…/<name>` under the collection's name. A query scores by the first of its relevant pages among",
  "the first 10 pages: MRR@10, success@1 (s@1), success@10 (s@10); a query none of whose pages is indexed is left out.",
  "",
  "fundstelle searches as the worker answers a search box: `group=document` (one hit per page), `fuzzy=auto` and",
  "`prefix=true` for every set (the API's default: the last word completes as you type, in the keyword, typo and",
  "lowercase sets too). The other engines have no pages of their own and rank pages two ways, each configured as in",
  "`npm run bench:relevance`: `paragraphs → pages` indexes paragraphs and ranks each page where its first (best)",
  "paragraph stands in the paragraph ranking (fetching 50 paragraphs, then four times more until 10 pages come out);",
  "`whole pages` indexes each page as one entry (its title, and all its paragraphs as one text). MiniSearch + Snowball",
  "is MiniSearch with every term stemmed by the Snowball German stemmer (@orama/stemmers). Times are per query, in one",
  "process, the search code as tsx loads it; `build` is an engine's indexing time (fundstelle's index is prebuilt).",
  "",
  ...queryTable(),
  "",
  "The best of each column in bold.",
  "",
  ...table(),
  "<!-- lo-index:end -->",
].join("\n");

console.log(`\n${report}`);
const full = !Number.isFinite(limit) && setNames.length === SETS.length && ALL_ENGINES.every((name) => engineNames.includes(name));
if (values["no-write"]) {
  // printed only
} else if (!full) {
  console.log("\nNot written to docs/BENCHMARKS.md: only a full run (every engine and set, no --limit) is.");
} else {
  writeSection("lo-index", report);
  console.log("\nWrote the table to docs/BENCHMARKS.md");
}
