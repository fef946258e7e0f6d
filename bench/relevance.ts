// npm run bench:relevance: MRR@10, Recall@1/@10 and latency of fundstelle beside other engines on XQuAD-de query sets,
// on the 240 Wikipedia paragraphs alone and with LibreOffice's German help as distractors, at paragraph level (find
// the question's paragraph) and at page level (find the page it belongs to).
// Usage: npm run bench:relevance [-- --engines fundstelle,minisearch --level paragraphs|pages|both --no-distractors --no-write]
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Artifact, buildArtifact } from "../index-builder/build.js";
import { LIBREOFFICE, readLinkedCorpus } from "./corpora.js";
import { type BenchEntry, ENGINES, type EngineFactory } from "./engines.js";
import { pageEntries, pageOf, pagesFromParagraphs, paragraphEntries } from "./page-ranking.js";
import { type BenchQuery, buildQuerySets, loadQuestions, SET_LABELS, type SetName } from "./query-sets.js";
import { writeSection } from "./report.js";
import { quantile } from "./stats.js";

const ROOT = resolve(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    engines: { type: "string", default: Object.keys(ENGINES).join(",") },
    level: { type: "string", default: "both" },
    "no-distractors": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const engineNames = values.engines.split(",").filter((name) => name in ENGINES);
if (!["paragraphs", "pages", "both"].includes(values.level)) {
  console.error(`--level ${values.level} is not a level: use paragraphs, pages or both.`);
  process.exit(1);
}
const paragraphLevel = values.level !== "pages";
const pageLevel = values.level !== "paragraphs";

interface Scores {
  mrr: number;
  r1: number;
  r10: number;
  count: number;
  times: number[];
}

type Sets = Record<SetName, BenchQuery[]>;

/** One engine's figures in one table; `variant` says how it ranked pages. */
interface Result {
  name: string;
  build: number;
  scores: Map<SetName, Scores>;
  variant?: string;
}

function evaluate(search: (query: string) => string[], queries: BenchQuery[]): Scores {
  let rr = 0;
  let r1 = 0;
  let r10 = 0;
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    const ids = search(q.query);
    times.push(performance.now() - start);
    const rank = ids.slice(0, 10).indexOf(q.relevant);
    if (rank >= 0) {
      rr += 1 / (rank + 1);
      r10++;
      if (rank === 0) r1++;
    }
  }
  const n = queries.length || 1;
  return { mrr: rr / n, r1: r1 / n, r10: r10 / n, count: queries.length, times };
}

function evaluateSets(search: (query: string) => string[], sets: Sets): Map<SetName, Scores> {
  const scores = new Map<SetName, Scores>();
  for (const set of Object.keys(sets) as SetName[]) scores.set(set, evaluate(search, sets[set]));
  return scores;
}

/** The unweighted mean of MRR@10 over the sets: how the benchmark picks an engine's better page variant. */
function meanMrr(scores: Map<SetName, Scores>): number {
  const all = [...scores.values()];
  return all.reduce((sum, s) => sum + s.mrr, 0) / (all.length || 1);
}

/** Builds an engine (timed) and warms it up with a few queries. */
async function buildEngine(factory: EngineFactory, entries: BenchEntry[], artifact: Artifact, warmUp: string[]) {
  const start = performance.now();
  const engine = await factory(entries, artifact);
  const build = performance.now() - start;
  for (const q of warmUp) engine.search(q);
  return { engine, build };
}

/**
 * A table of MRR@10 (Recall@1 / Recall@10) per set and engine, and the latency and build time of each; `bold`
 * marks the best of each row (off for a table of alternatives, whose best means nothing).
 */
function tables(heading: string, metrics: string, sets: Sets, engines: Result[], bold = true): string[] {
  const setNames = Object.keys(sets) as SetName[];
  const header = (e: Result) => (e.variant === undefined ? e.name : `${e.name}, ${e.variant}`);
  const lines: string[] = [];
  lines.push(heading, "");
  lines.push(bold ? `${metrics}; the best of each row in bold.` : `${metrics}.`, "");
  lines.push(`| set | queries | ${engines.map(header).join(" | ")} |`);
  lines.push(`|---|---:|${engines.map(() => "---:").join("|")}|`);
  for (const set of setNames) {
    const best = Math.max(...engines.map((e) => e.scores.get(set)?.mrr ?? 0));
    const cells = engines.map((e) => {
      const s = e.scores.get(set);
      if (!s) return "";
      const mrr = s.mrr.toFixed(3);
      return `${bold && s.mrr === best ? `**${mrr}**` : mrr} (${s.r1.toFixed(2)} / ${s.r10.toFixed(2)})`;
    });
    lines.push(`| ${SET_LABELS[set]} | ${sets[set].length} | ${cells.join(" | ")} |`);
  }
  lines.push("", "Latency per query over all sets (ms, median / p99), and build time (s):", "");
  lines.push(`| | ${engines.map(header).join(" | ")} |`);
  lines.push(`|---|${engines.map(() => "---:").join("|")}|`);
  const allTimes = (e: Result) => [...e.scores.values()].flatMap((s) => s.times);
  lines.push(
    `| median / p99 | ${engines.map((e) => `${quantile(allTimes(e), 0.5).toFixed(3)} / ${quantile(allTimes(e), 0.99).toFixed(2)}`).join(" | ")} |`,
  );
  lines.push(`| build | ${engines.map((e) => (e.build / 1000).toFixed(1)).join(" | ")} |`, "");
  return lines;
}

const questions = loadQuestions(join(ROOT, "bench/data/xquad-de-questions.jsonl"));
const corpora: { name: string; pagesName: string; distractors: boolean }[] = [
  { name: "240 paragraphs (XQuAD-de)", pagesName: "XQuAD-de's Wikipedia articles", distractors: false },
];
if (values["no-distractors"]) {
  // only the small corpus
} else if (existsSync(LIBREOFFICE)) {
  corpora.push({
    name: "with LibreOffice's German help as distractors",
    pagesName: "with LibreOffice's German help as distractors",
    distractors: true,
  });
} else {
  console.warn(
    `LibreOffice's German help is not installed (${LIBREOFFICE}): apt-get install libreoffice-help-de. Running without distractors.`,
  );
}

const WHOLE = "whole pages";
const AGGREGATED = "paragraphs → pages";
const sections: string[] = [];
const pageSections: string[] = [];
for (const corpusSpec of corpora) {
  const corpus = await readLinkedCorpus({
    wikipedia: join(ROOT, "corpus/wikipedia"),
    ...(corpusSpec.distractors ? { libreoffice: LIBREOFFICE } : {}),
  });
  const artifact = buildArtifact(corpus, null, "bench");
  const paragraphs = paragraphEntries(corpus);
  const pages = pageEntries(corpus);
  const texts = new Map(paragraphs.filter((p) => p.id.startsWith("wikipedia/")).map((p) => [p.id, p.text]));
  const sets = buildQuerySets(questions, texts);
  const setNames = Object.keys(sets) as SetName[];
  // The same queries; the relevant page is the one the question's paragraph belongs to.
  const pageSets = Object.fromEntries(setNames.map((set) => [set, sets[set].map((q) => ({ ...q, relevant: pageOf(q.relevant) }))])) as Sets;
  const warmUp = sets.keywords.slice(0, 20).map((q) => q.query);
  console.log(`\n## ${corpusSpec.name}: ${paragraphs.length} paragraphs, ${pages.length} pages`);
  const summary = (scores: Map<SetName, Scores>) => setNames.map((s) => `${s} ${scores.get(s)?.mrr.toFixed(3)}`).join(", ");

  const results: Result[] = [];
  const pageResults: Result[] = [];
  const otherResults: Result[] = [];
  const variantNotes: string[] = [];
  for (const key of engineNames) {
    const factory = ENGINES[key];
    if (!factory) continue;
    const { engine, build } = await buildEngine(factory, paragraphs, artifact, warmUp);
    if (paragraphLevel) {
      const scores = evaluateSets((q) => engine.search(q), sets);
      results.push({ name: engine.name, build, scores });
      console.log(`${engine.name}: ${summary(scores)}`);
    }
    if (!pageLevel) continue;
    const { searchPages } = engine;
    if (searchPages) {
      const scores = evaluateSets((q) => searchPages(q), pageSets);
      pageResults.push({ name: engine.name, build, scores });
      console.log(`${engine.name}, pages: ${summary(scores)}`);
      continue;
    }
    // Engines without their own grouping rank pages two ways: the table shows the better one, a second the other.
    const aggregated = evaluateSets(
      (q) => pagesFromParagraphs((query, limit) => engine.search(query, limit), q, paragraphs.length),
      pageSets,
    );
    console.log(`${engine.name}, ${AGGREGATED}: ${summary(aggregated)}`);
    const whole = await buildEngine(factory, pages, artifact, warmUp);
    const wholeScores = evaluateSets((q) => whole.engine.search(q), pageSets);
    console.log(`${engine.name}, ${WHOLE}: ${summary(wholeScores)}`);
    const [aggregatedMean, wholeMean] = [meanMrr(aggregated), meanMrr(wholeScores)];
    const byParagraphs: Result = { name: engine.name, build, scores: aggregated, variant: AGGREGATED };
    const byPages: Result = { name: engine.name, build: whole.build, scores: wholeScores, variant: WHOLE };
    pageResults.push(aggregatedMean > wholeMean ? byParagraphs : byPages);
    otherResults.push(aggregatedMean > wholeMean ? byPages : byParagraphs);
    variantNotes.push(`${engine.name}: ${WHOLE} ${wholeMean.toFixed(3)}, ${AGGREGATED} ${aggregatedMean.toFixed(3)}`);
  }

  if (paragraphLevel) {
    const heading = `### ${corpusSpec.name} (${paragraphs.length.toLocaleString("en")} paragraphs)`;
    sections.push(tables(heading, "MRR@10 (Recall@1 / Recall@10)", sets, results).join("\n"));
  }
  if (pageLevel) {
    const heading = `### Pages: ${corpusSpec.pagesName} (${pages.length.toLocaleString("en")} pages)`;
    const lines = tables(heading, "MRR@10 (success@1 / success@10)", pageSets, pageResults);
    if (otherResults.length > 0) {
      lines.push(
        `Mean MRR@10 over the sets of each engine's two ways to rank pages (the better one is shown above): ${variantNotes.join("; ")}.`,
        "",
      );
      lines.push(...tables("The other way of each engine:", "MRR@10 (success@1 / success@10)", pageSets, otherResults, false));
    }
    pageSections.push(lines.join("\n"));
  }
}

const date = `${new Date().toISOString().slice(0, 10)}, Node ${process.version}`;
const report = [
  "<!-- relevance:start -->",
  "## Relevance (`npm run bench:relevance`)",
  "",
  `Command: \`npm run bench:relevance\` (${date}). Queries are derived`,
  "deterministically from the 1,190 XQuAD-de questions (`bench/query-sets.ts`); a query's one relevant paragraph is the",
  "one its question was written for. Every engine indexes title and text of the same paragraphs, in one process, one",
  'after another; fundstelle\'s index is prebuilt by the index builder, so its "build" is loading the artifact.',
  'The same queries at page level, where a hit is a page, are under "Relevance: pages".',
  "",
  ...sections,
  "<!-- relevance:end -->",
].join("\n");

const pageReport = [
  "<!-- relevance-pages:start -->",
  "## Relevance: pages (`npm run bench:relevance`)",
  "",
  `Command: \`npm run bench:relevance\` (${date}). The same queries and engines as at paragraph level, but`,
  "what a site search shows is pages: a query's one relevant page is the one its question's paragraph belongs to,",
  "one of XQuAD's 48 Wikipedia articles (each a page of 5 paragraphs on average); each of LibreOffice's help pages",
  "is a page too. With one relevant page, success@1 and success@10 are Recall@1 and Recall@10. fundstelle searches",
  "with `group=document` (one hit per page). Every other engine ranks pages two ways, each configured as for",
  "paragraphs: indexing whole pages (title, and all paragraphs joined as one text field), and indexing paragraphs",
  "and ranking each page where its best paragraph stands (fetching 50 paragraphs, then four times more until 10",
  "pages come out). Each corpus's first table shows an engine's better way by the unweighted mean MRR@10 over the",
  "sets, with that way's latency and build time; the line below it gives both means, the next table the other way.",
  "",
  ...pageSections,
  "<!-- relevance-pages:end -->",
].join("\n");

if (paragraphLevel) console.log(`\n${report}`);
if (pageLevel) console.log(`\n${pageReport}`);

if (!values["no-write"] && engineNames.length === Object.keys(ENGINES).length) {
  if (paragraphLevel) writeSection("relevance", report);
  if (pageLevel) writeSection("relevance-pages", pageReport);
  console.log(`\nWrote the tables to docs/BENCHMARKS.md`);
}
