// npm run bench: per-query search time in Node on the built index (Workers' clocks stand still during CPU work).
// Usage: npm run bench [-- --build DIR --runs N]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ArtifactModule } from "../common/artifact.js";
import { readArtifact } from "../index-builder/build.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../worker/search/search.js";
import { suggest } from "../worker/search/suggest.js";
import { measurePhraseCost } from "./phrase-cost.js";
import { writeSection } from "./report.js";
import { quantile } from "./stats.js";

const { values } = parseArgs({
  options: {
    build: { type: "string", default: "build" },
    runs: { type: "string", default: "200" },
    "no-write": { type: "boolean", default: false },
  },
});
const dir = resolve(values.build);
const runs = Number(values.runs);

function read(): ArtifactModule {
  try {
    return readArtifact(dir);
  } catch {
    console.error(`No index in ${dir}/: run "npm run build:index" first.`);
    process.exit(1);
  }
}

const artifact = read();
const loadStart = performance.now();
const index = loadIndex(artifact);
const loadMs = performance.now() - loadStart;

const WORST = Array.from({ length: 12 }, (_, i) => `Verwaltungsvorschriftenanpassung${"abcdefghijkl"[i]}`)
  .join(" ")
  .slice(0, 256);
const base: SearchRequest = { q: "", limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true };
const cases: [string, () => unknown][] = [
  ["search: kasachstan handel", () => search(index, { ...base, q: "kasachstan handel" })],
  ["search: Kasach (as you type)", () => search(index, { ...base, q: "Kasach" })],
  ["search: Universitaet (ae spelling)", () => search(index, { ...base, q: "Universitaet" })],
  ["search: Kasachstn (typo)", () => search(index, { ...base, q: "Kasachstn" })],
  ['search: "bilaterale Beziehungen" (phrase)', () => search(index, { ...base, q: '"bilaterale Beziehungen"' })],
  ["search: full question", () => search(index, { ...base, q: "Wie viele Punkte gab die Verteidigung der Panthers ab?" })],
  ["search: group=document", () => search(index, { ...base, q: "Stadt", group: "document" })],
  // The most expensive request the planner allows: 256 characters of long words that are not in the corpus
  // (so every typo pass runs), two edits each, the last one completed.
  ["worst case: 12 long unknown words, fuzzy=2", () => search(index, { ...base, q: WORST, fuzzy: 2 })],
  ["worst case, 50 hits per page", () => search(index, { ...base, q: WORST, fuzzy: 2, limit: 50 })],
  ["suggest: Kasach", () => suggest(index, "Kasach", 5)],
  ["suggest: super bowl pa", () => suggest(index, "super bowl pa", 5)],
];

const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
  console.log(line);
};
log(`Index: ${index.manifest.counts.documents} documents, ${index.manifest.counts.paragraphs} paragraphs; load ${loadMs.toFixed(1)} ms`);
log(`Node ${process.version}, ${runs} runs per query after 20 warm-up runs`);
log("");
log("| query | median ms | p99 ms |");
log("|---|---:|---:|");
const medians = new Map<string, number>();
for (const [name, run] of cases) {
  for (let i = 0; i < 20; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  medians.set(name, quantile(times, 0.5));
  log(`| ${name} | ${quantile(times, 0.5).toFixed(3)} | ${quantile(times, 0.99).toFixed(3)} |`);
}
const ordinary = medians.get("search: kasachstan handel") ?? Number.NaN;
const worst = medians.get("worst case: 12 long unknown words, fuzzy=2") ?? Number.NaN;
log("");
log(`Worst case / ordinary query (medians): ${(worst / ordinary).toFixed(1)}×`);
log("");
log("Phrases: the most expensive phrase queries by construction beside the ordinary query, in interleaved rounds:");
log("");
const phrases = measurePhraseCost(index, "kasachstan handel", runs);
for (const line of phrases.lines) log(line);
log("");
log(`Worst phrase query / ordinary query (medians): ${phrases.worst.toFixed(1)}× (${phrases.worstName})`);

if (!values["no-write"] && values.build === "build") {
  const report = [
    "<!-- search-time:start -->",
    "## Search time on the default corpus (`npm run bench`)",
    "",
    "Per-query time of the worker's own search functions (`worker/search/`), called in Node on the built index",
    "(Workers' clocks do not advance during CPU work, so this is where search time is measured): parsing, planning,",
    "MiniSearch lookups, ranking, and the hits with highlights and snippets. The worst case is the most expensive",
    "request the planner allows: 256 characters of long words found nowhere, two typos each, the last one completed.",
    "",
    `Command: \`npm run bench\` (${new Date().toISOString().slice(0, 10)})`,
    "",
    ...lines,
    "<!-- search-time:end -->",
  ].join("\n");
  writeSection("search-time", report);
}
