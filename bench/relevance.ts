// npm run bench:relevance: MRR@10, Recall@1/@10 and latency of fundstelle beside other engines on XQuAD-de query sets,
// on the 240 Wikipedia paragraphs alone and with LibreOffice's German help as distractors.
// Usage: npm run bench:relevance [-- --engines fundstelle,minisearch --no-distractors --no-write]
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildArtifact } from "../index-builder/build.js";
import { LIBREOFFICE, readLinkedCorpus } from "./corpora.js";
import { type BenchParagraph, ENGINES, type Engine } from "./engines.js";
import { type BenchQuery, buildQuerySets, loadQuestions, SET_LABELS, type SetName } from "./query-sets.js";
import { writeSection } from "./report.js";
import { quantile } from "./stats.js";

const ROOT = resolve(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    engines: { type: "string", default: Object.keys(ENGINES).join(",") },
    "no-distractors": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const engineNames = values.engines.split(",").filter((name) => name in ENGINES);

interface Scores {
  mrr: number;
  r1: number;
  r10: number;
  count: number;
  times: number[];
}

function evaluate(engine: Engine, queries: BenchQuery[]): Scores {
  let rr = 0;
  let r1 = 0;
  let r10 = 0;
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    const ids = engine.search(q.query);
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

const questions = loadQuestions(join(ROOT, "bench/data/xquad-de-questions.jsonl"));
const corpora: { name: string; distractors: boolean }[] = [{ name: "240 paragraphs (XQuAD-de)", distractors: false }];
if (values["no-distractors"]) {
  // only the small corpus
} else if (existsSync(LIBREOFFICE)) {
  corpora.push({ name: "with LibreOffice's German help as distractors", distractors: true });
} else {
  console.warn(
    `LibreOffice's German help is not installed (${LIBREOFFICE}): apt-get install libreoffice-help-de. Running without distractors.`,
  );
}

const sections: string[] = [];
for (const corpusSpec of corpora) {
  const corpus = readLinkedCorpus({
    wikipedia: join(ROOT, "corpus/wikipedia"),
    ...(corpusSpec.distractors ? { libreoffice: LIBREOFFICE } : {}),
  });
  const artifact = buildArtifact(corpus, null, "bench");
  const paragraphs: BenchParagraph[] = corpus.documents.flatMap((doc) =>
    doc.paragraphs.map((text, n) => ({ id: `${doc.id}#${n}`, title: doc.title, text })),
  );
  const texts = new Map(paragraphs.filter((p) => p.id.startsWith("wikipedia/")).map((p) => [p.id, p.text]));
  const sets = buildQuerySets(questions, texts);
  const setNames = Object.keys(sets) as SetName[];
  console.log(`\n## ${corpusSpec.name}: ${paragraphs.length} paragraphs`);

  const results = new Map<string, { name: string; build: number; scores: Map<SetName, Scores> }>();
  for (const key of engineNames) {
    const factory = ENGINES[key];
    if (!factory) continue;
    const start = performance.now();
    const engine = await factory(paragraphs, artifact);
    const build = performance.now() - start;
    for (let i = 0; i < 20; i++) engine.search(sets.keywords[i]?.query ?? "test");
    const scores = new Map<SetName, Scores>();
    for (const set of setNames) scores.set(set, evaluate(engine, sets[set]));
    results.set(key, { name: engine.name, build, scores });
    console.log(`${engine.name}: ${setNames.map((s) => `${s} ${scores.get(s)?.mrr.toFixed(3)}`).join(", ")}`);
  }

  const engines = [...results.values()];
  const lines: string[] = [];
  lines.push(`### ${corpusSpec.name} (${paragraphs.length.toLocaleString("en")} paragraphs)`, "");
  lines.push(`MRR@10 (Recall@1 / Recall@10); the best of each row in bold.`, "");
  lines.push(`| set | queries | ${engines.map((e) => e.name).join(" | ")} |`);
  lines.push(`|---|---:|${engines.map(() => "---:").join("|")}|`);
  for (const set of setNames) {
    const best = Math.max(...engines.map((e) => e.scores.get(set)?.mrr ?? 0));
    const cells = engines.map((e) => {
      const s = e.scores.get(set);
      if (!s) return "";
      const mrr = s.mrr.toFixed(3);
      return `${s.mrr === best ? `**${mrr}**` : mrr} (${s.r1.toFixed(2)} / ${s.r10.toFixed(2)})`;
    });
    lines.push(`| ${SET_LABELS[set]} | ${sets[set].length} | ${cells.join(" | ")} |`);
  }
  lines.push("", "Latency per query over all sets (ms, median / p99), and build time (s):", "");
  lines.push(`| | ${engines.map((e) => e.name).join(" | ")} |`);
  lines.push(`|---|${engines.map(() => "---:").join("|")}|`);
  const allTimes = (e: (typeof engines)[number]) => [...e.scores.values()].flatMap((s) => s.times);
  lines.push(
    `| median / p99 | ${engines.map((e) => `${quantile(allTimes(e), 0.5).toFixed(3)} / ${quantile(allTimes(e), 0.99).toFixed(2)}`).join(" | ")} |`,
  );
  lines.push(`| build | ${engines.map((e) => (e.build / 1000).toFixed(1)).join(" | ")} |`, "");
  sections.push(lines.join("\n"));
}

const report = [
  "<!-- relevance:start -->",
  "## Relevance (`npm run bench:relevance`)",
  "",
  `Command: \`npm run bench:relevance\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}). Queries are derived`,
  "deterministically from the 1,190 XQuAD-de questions (`bench/query-sets.ts`); a query's one relevant paragraph is the",
  "one its question was written for. Every engine indexes title and text of the same paragraphs, in one process, one",
  'after another; fundstelle\'s index is prebuilt by the index builder, so its "build" is loading the artifact.',
  "",
  ...sections,
  "<!-- relevance:end -->",
].join("\n");
console.log(`\n${report}`);

if (!values["no-write"] && engineNames.length === Object.keys(ENGINES).length) {
  writeSection("relevance", report);
  console.log(`\nWrote the tables to docs/BENCHMARKS.md`);
}
