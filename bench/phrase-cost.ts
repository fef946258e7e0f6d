// The most expensive phrase queries against an ordinary query, in Node: the bound SECURITY.md states for phrases.
// Used by `npm run bench` (default corpus) and `npm run bench:scale` (LibreOffice's help); alone:
//   npx tsx bench/phrase-cost.ts [--build DIR] [--ordinary "Tabelle einfügen"] [--runs 31]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { analyze } from "../analyzer/index.js";
import { readArtifact } from "../index-builder/artifact-files.js";
import type { LoadedIndex } from "../worker/search/loaded-index.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { search } from "../worker/search/search.js";
import { quantile } from "./stats.js";

/** The words most paragraphs hold, and the two-word sequence most paragraphs hold (scanning up to 20,000). */
function commonest(index: LoadedIndex): { words: string[]; pair: string } {
  const words = new Map<string, number>();
  const pairs = new Map<string, number>();
  const step = Math.max(1, Math.floor(index.engine.paragraphs / 20_000));
  for (let id = 0; id < index.engine.paragraphs; id += step) {
    const tokens = analyze(index.paragraphText(id)).filter((t) => t.kind === "word");
    const seenWords = new Set<string>();
    const seenPairs = new Set<string>();
    tokens.forEach((token, i) => {
      if (!token.stop && token.exact.length >= 3) seenWords.add(token.text.toLowerCase());
      const next = tokens[i + 1];
      if (next && !(token.stop && next.stop) && next.position === token.position + 1) seenPairs.add(`${token.text} ${next.text}`);
    });
    for (const word of seenWords) words.set(word, (words.get(word) ?? 0) + 1);
    for (const pair of seenPairs) pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  const byCount = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key]) => key);
  return { words: byCount(words).slice(0, 2), pair: byCount(pairs)[0] ?? "" };
}

const STOP_PARTNERS = ["sie", "die", "der", "das", "den", "in", "und", "im", "mit", "ein", "zu", "von"];

/**
 * The phrase queries that cost most by construction: stop words only (the attack that cost 1,000× before), the
 * corpus's commonest two-word sequence, its commonest word beside stop words, 12 phrases of that word, and the
 * commonest words quoted together; each also unquoted for comparison.
 */
function phraseQueries(index: LoadedIndex): [string, string][] {
  const { words, pair } = commonest(index);
  const [first = "", second = ""] = words;
  return [
    ['27 × "in der" and d (stop words only)', `${'"in der" '.repeat(27)}d`],
    [`the commonest word pair, quoted: "${pair}"`, `"${pair}"`],
    [`the commonest word with a stop word: "${first} ${STOP_PARTNERS[0]}"`, `"${first} ${STOP_PARTNERS[0]}"`],
    [`12 phrases of the commonest word "${first}"`, STOP_PARTNERS.map((stop) => `"${first} ${stop}"`).join(" ")],
    [`the two commonest words, quoted: "${first} ${second}"`, `"${first} ${second}"`],
    [`the commonest word pair, unquoted: ${pair}`, pair],
  ];
}

export interface PhraseCost {
  /** Markdown table rows: query, median ms, p99 ms, median / ordinary. */
  lines: string[];
  /** The highest ratio of a quoted query's median to the ordinary query's. */
  worst: number;
  worstName: string;
}

/**
 * Times the ordinary query and every phrase query in interleaved rounds (so a busy moment of the machine hits
 * all alike) and compares medians.
 */
export function measurePhraseCost(index: LoadedIndex, ordinary: string, runs = 31): PhraseCost {
  const cases: [string, string][] = [[`ordinary: ${ordinary}`, ordinary], ...phraseQueries(index)];
  const run = (q: string) => search(index, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true });
  for (const [, q] of cases) for (let i = 0; i < 5; i++) run(q);
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    cases.forEach(([, q], i) => {
      const start = performance.now();
      run(q);
      times[i]?.push(performance.now() - start);
    });
  }
  const medians = times.map((list) => quantile(list, 0.5));
  const base = medians[0] ?? Number.NaN;
  let worst = 0;
  let worstName = "";
  const lines = ["| query | hits | median ms | p99 ms | × ordinary |", "|---|---:|---:|---:|---:|"];
  cases.forEach(([name, q], i) => {
    const ratio = (medians[i] ?? 0) / base;
    if (q.includes('"') && ratio > worst) [worst, worstName] = [ratio, name];
    const total = run(q).total;
    lines.push(
      `| ${name} | ${total} | ${(medians[i] ?? 0).toFixed(2)} | ${quantile(times[i] ?? [], 0.99).toFixed(2)} | ${ratio.toFixed(1)} |`,
    );
  });
  return { lines, worst, worstName };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      build: { type: "string", default: "build" },
      ordinary: { type: "string", default: "kasachstan handel" },
      runs: { type: "string", default: "31" },
    },
  });
  const index = loadIndex(readArtifact(resolve(values.build)));
  const cost = measurePhraseCost(index, values.ordinary, Number(values.runs));
  console.log(cost.lines.join("\n"));
  console.log(`\nWorst phrase query / ordinary query (medians): ${cost.worst.toFixed(1)}× (${cost.worstName})`);
}
