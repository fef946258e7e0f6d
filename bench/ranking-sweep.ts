// npm run bench:sweep: how fundstelle's relevance moves when one ranking weight changes at a time (MRR@10 per query set).
// Usage: npm run bench:sweep [-- --distractors]   (LibreOffice's German help as distractors, as bench:relevance)
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { artifactModule } from "../index-builder/artifact-files.js";
import { buildArtifact } from "../index-builder/build.js";
import { type LoadedIndex, loadIndex, withRanking } from "../worker/search/loaded-index.js";
import { RANKING, search } from "../worker/search/search.js";
import { LIBREOFFICE, readLinkedCorpus } from "./corpora.js";
import { buildQuerySets, loadQuestions, type SetName } from "./query-sets.js";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { distractors: { type: "boolean", default: false } } });

const questions = loadQuestions(join(ROOT, "bench/data/xquad-de-questions.jsonl"));
const corpus = await readLinkedCorpus({
  wikipedia: join(ROOT, "corpus/wikipedia"),
  ...(values.distractors ? { libreoffice: LIBREOFFICE } : {}),
});
const index = loadIndex(artifactModule(buildArtifact(corpus, null, "bench")));
const texts = new Map(
  corpus.documents
    .flatMap((doc) => doc.paragraphs.map((text, n): [string, string] => [`${doc.id}#${n}`, text]))
    .filter(([id]) => id.startsWith("wikipedia/")),
);
const sets = buildQuerySets(questions, texts);
const setNames = Object.keys(sets) as SetName[];

/** MRR@10 of each query set with the weights `ranked` ranks with. */
function mrr(ranked: LoadedIndex = index): number[] {
  return setNames.map((set) => {
    let sum = 0;
    for (const q of sets[set]) {
      const ids = search(ranked, { q: q.query, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true }).hits.map(
        (h) => h.id,
      );
      const rank = ids.indexOf(q.relevant);
      if (rank >= 0) sum += 1 / (rank + 1);
    }
    return sum / (sets[set].length || 1);
  });
}

const base = RANKING;
const variants: [string, Parameters<typeof withRanking>[1]][] = [
  ["b 0.1", { bm25: { ...base.bm25, b: 0.1 } }],
  ["b 0.3", { bm25: { ...base.bm25, b: 0.3 } }],
  ["k 1.2", { bm25: { ...base.bm25, k: 1.2 } }],
  ["k 3", { bm25: { ...base.bm25, k: 3 } }],
  ["d 0.5", { bm25: { ...base.bm25, d: 0.5 } }],
  ["d 2.5", { bm25: { ...base.bm25, d: 2.5 } }],
  ["titleBoost 0.5", { titleBoost: 0.5 }],
  ["titleBoost 2", { titleBoost: 2 }],
  ["documentContext 0", { documentContext: 0 }],
  ["documentContext 0.4", { documentContext: 0.4 }],
  ["coverageExponent 0.5", { coverageExponent: 0.5 }],
  ["coverageExponent 2", { coverageExponent: 2 }],
  ["proximityWeight 0", { proximityWeight: 0 }],
  ["proximityWeight 2", { proximityWeight: 2 }],
  ["proximityScale 2", { proximityScale: 2 }],
  ["questionWordWeight 1", { questionWordWeight: 1 }],
  ["stemWeight 0.5", { stemWeight: 0.5 }],
  ["stemWeight 0.9", { stemWeight: 0.9 }],
  ["partsBoost 0.3", { partsBoost: 0.3 }],
  ["partsBoost 0.8", { partsBoost: 0.8 }],
  ["prefixWeight 0.8", { prefixWeight: 0.8 }],
  ["fuzzyWeight 0.4", { fuzzyWeight: 0.4 }],
  ["unknownWordTypoFactor 1", { unknownWordTypoFactor: 1 }],
  ["foldedShare 0.8", { foldedShare: 0.8 }],
];
const baseline = mrr();
console.log(`${corpus.documents.length} documents; MRR@10 per set, and the change against the current weights`);
console.log(`| weights | ${setNames.join(" | ")} |\n|---|${setNames.map(() => "---:").join("|")}|`);
console.log(`| current | ${baseline.map((m) => m.toFixed(3)).join(" | ")} |`);
for (const [name, change] of variants) {
  const scores = mrr(withRanking(index, change));
  console.log(
    `| ${name} | ${scores.map((m, i) => `${(m - (baseline[i] ?? 0) >= 0 ? "+" : "") + (m - (baseline[i] ?? 0)).toFixed(3)}`).join(" | ")} |`,
  );
}
