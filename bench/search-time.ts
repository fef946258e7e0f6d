// npm run bench: per-query search time in Node on the built index (Workers' clocks stand still during CPU work).
// Usage: npm run bench [-- --build DIR --runs N]; without --build, the project's index as package.json configures it.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ArtifactModule } from "../common/artifact.js";
import { readArtifact } from "../index-builder/artifact-files.js";
import { type LoadedIndex, loadIndex } from "../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../worker/search/search.js";
import { suggest } from "../worker/search/suggest.js";
import { measurePhraseCost } from "./phrase-cost.js";
import { benchProject } from "./project.js";
import { writeSection } from "./report.js";
import { quantile } from "./stats.js";

const { values } = parseArgs({
  options: {
    // Without --build: the project's index (package.json's "fundstelle" section: its corpus, one Worker or shards).
    build: { type: "string" },
    runs: { type: "string", default: "200" },
    "no-write": { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const ROOT = resolve(import.meta.dirname, "..");

/** The index folders to time and what they are; a build of another corpus than the configured one stops here. */
function target(): { dirs: string[]; what: string } {
  if (values.build !== undefined) return { dirs: [resolve(values.build)], what: `the index in ${values.build}/` };
  try {
    const project = benchProject(ROOT);
    const shards = project.indexDirs.length > 1 ? `, ${project.indexDirs.length} shards (each query's slowest shard)` : "";
    return { dirs: project.indexDirs, what: `the project's corpus, ${project.corpus}/${shards}` };
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  }
}

function read(dir: string): ArtifactModule {
  try {
    return readArtifact(dir);
  } catch {
    console.error(`No index in ${dir}/: run "npm run build:index" first.`);
    process.exit(1);
  }
}

const { dirs, what } = target();
const artifacts = dirs.map(read);
const loadStart = performance.now();
const indexes = artifacts.map((artifact) => loadIndex(artifact));
const loadMs = (performance.now() - loadStart) / indexes.length;
const counts = { documents: 0, paragraphs: 0 };
for (const { manifest } of indexes) {
  counts.documents += manifest.counts.documents;
  counts.paragraphs += manifest.counts.paragraphs;
}
// Phrase costs are measured on the largest index (a sharded router waits for its slowest shard).
const index = indexes.reduce((a, b) => (b.manifest.counts.paragraphs > a.manifest.counts.paragraphs ? b : a));

const WORST = Array.from({ length: 12 }, (_, i) => `Verwaltungsvorschriftenanpassung${"abcdefghijkl"[i]}`)
  .join(" ")
  .slice(0, 256);
const base: SearchRequest = { q: "", limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true };
const cases: [string, (index: LoadedIndex) => unknown][] = [
  ["search: kasachstan handel", (index) => search(index, { ...base, q: "kasachstan handel" })],
  ["search: Kasach (as you type)", (index) => search(index, { ...base, q: "Kasach" })],
  ["search: Universitaet (ae spelling)", (index) => search(index, { ...base, q: "Universitaet" })],
  ["search: Kasachstn (typo)", (index) => search(index, { ...base, q: "Kasachstn" })],
  ['search: "bilaterale Beziehungen" (phrase)', (index) => search(index, { ...base, q: '"bilaterale Beziehungen"' })],
  ["search: full question", (index) => search(index, { ...base, q: "Wie viele Punkte gab die Verteidigung der Panthers ab?" })],
  ["search: group=document", (index) => search(index, { ...base, q: "Stadt", group: "document" })],
  // The most expensive request the planner allows: 256 characters of long words that are not in the corpus
  // (so every typo pass runs), two edits each, the last one completed.
  ["worst case: 12 long unknown words, fuzzy=2", (index) => search(index, { ...base, q: WORST, fuzzy: 2 })],
  ["worst case, 50 hits per page", (index) => search(index, { ...base, q: WORST, fuzzy: 2, limit: 50 })],
  ["suggest: Kasach", (index) => suggest(index, "Kasach", 5)],
  ["suggest: super bowl pa", (index) => suggest(index, "super bowl pa", 5)],
];

const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
  console.log(line);
};
log(
  `Index: ${what}: ${counts.documents} documents, ${counts.paragraphs} paragraphs; load ${loadMs.toFixed(1)} ms${indexes.length > 1 ? " per shard" : ""}`,
);
log(`Node ${process.version}, ${runs} runs per query after 20 warm-up runs`);
log("");
log("| query | median ms | p99 ms |");
log("|---|---:|---:|");
const medians = new Map<string, number>();
for (const [name, run] of cases) {
  // Per index: the median and p99 of its runs; a sharded query is as slow as its slowest shard.
  let median = 0;
  let p99 = 0;
  for (const shard of indexes) {
    for (let i = 0; i < 20; i++) run(shard);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      run(shard);
      times.push(performance.now() - start);
    }
    median = Math.max(median, quantile(times, 0.5));
    p99 = Math.max(p99, quantile(times, 0.99));
  }
  medians.set(name, median);
  log(`| ${name} | ${median.toFixed(3)} | ${p99.toFixed(3)} |`);
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

if (!values["no-write"] && values.build === undefined) {
  const report = [
    "<!-- search-time:start -->",
    "## Search time on the project's corpus (`npm run bench`)",
    "",
    "Per-query time of the worker's own search functions (`worker/search/`), called in Node on the built index",
    "(Workers' clocks do not advance during CPU work, so this is where search time is measured): parsing, planning,",
    "MiniSearch lookups, ranking, and the hits with highlights and snippets. The worst case is the most expensive",
    "request the planner allows: 256 characters of long words found nowhere, two typos each, the last one completed.",
    "",
    'The index is the one `npm start` serves: built from the corpus package.json\'s "fundstelle" section names.',
    "",
    `Command: \`npm run bench\` (${new Date().toISOString().slice(0, 10)})`,
    "",
    ...lines,
    "<!-- search-time:end -->",
  ].join("\n");
  writeSection("search-time", report);
}
