// npm run bench:request-cost [-- --candidates N --rounds N --seed N --code bundle|tsx --root CHECKOUT]: the costliest
// search request a client can send against LibreOffice's German help, found by a search over query shapes (not one
// hand-picked query), against ordinary two-word queries, each the first time the index sees it. The bound SECURITY.md
// states: ≤ 5× ordinary, ≤ 10 ms. The search code is timed as wrangler bundles it (--code tsx: as tsx loads it;
// --root: another checkout's, on this checkout's index, for a before and after).
//
// Shapes: 1–12 of the corpus's most frequent words, each as it is, with one letter added (a typo the typo pass must
// chase), cut to a prefix, repeated or inflected; offset 0 or 1000, limit 10 or 50, paragraphs or pages, no facets or
// all three. Every request is timed on a freshly loaded index warmed with unrelated queries, so that no memo of its
// own words helps (the first-time case a request from an attacker always is).
import { parseArgs } from "node:util";
import { artifactModule } from "../index-builder/artifact-files.js";
import { buildArtifact } from "../index-builder/build.js";
import type { FacetName } from "../worker/search/facets.js";
import type { SearchRequest } from "../worker/search/search-types.js";
import { bundledSearch } from "./bundled-search.js";
import { LIBREOFFICE, readLinkedCorpus, requireLibreOffice } from "./corpora.js";
import { seededRandom } from "./random.js";
import { median } from "./stats.js";

requireLibreOffice("bench:request-cost");
const { values } = parseArgs({
  options: {
    candidates: { type: "string", default: "160" },
    rounds: { type: "string", default: "9" },
    seed: { type: "string", default: "7" },
    code: { type: "string", default: "bundle" },
    /** Another checkout whose search code to time (bundled), on this checkout's index: before and after a change. */
    root: { type: "string" },
  },
});
if (values.code !== "bundle" && values.code !== "tsx") throw new Error("--code must be bundle (as a Worker runs it) or tsx");
// The search code as a Worker runs it (see bundled-search.ts), or as tsx loads it (--code tsx).
const { loadIndex, search } = values.code === "bundle" ? await bundledSearch(values.root) : await import("./bundled-search-tsx.js");
const random = seededRandom(Number(values.seed));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const corpus = await readLinkedCorpus({ libreoffice: LIBREOFFICE });
const module = artifactModule(buildArtifact(corpus, null, "bench"));
const probe = loadIndex(module);
const { vocabulary } = probe.store;
/** The vocabulary's words by frequency: the costliest terms to evaluate. */
const byCount = vocabulary.words
  .map((word, i) => ({ word, count: vocabulary.counts[i] ?? 0 }))
  .filter(({ word }) => /^\p{L}{4,}$/u.test(word))
  .sort((a, b) => b.count - a.count);
const frequent = byCount.slice(0, 60).map(({ word }) => word);
/** Ordinary queries: two words of middling frequency, as people type them. */
const middling = byCount.slice(200, 2000).map(({ word }) => word);
const FACETS: FacetName[] = ["collection", "kind", "year"];
/**
 * Requests that take a fresh index through every path once (typo pass, prefixes, pages, facets, date order, a deep
 * offset) with words no candidate uses, so that what is timed is the request's own work, not the index's first use.
 */
const WARM: SearchRequest[] = [
  { q: "Diagramm", limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true },
  {
    q: "Seitenvorlgae Makr",
    limit: 50,
    offset: 20,
    sort: "date",
    fuzzy: "auto",
    prefix: true,
    group: "document",
    facets: ["collection", "kind", "year"],
  },
  {
    q: "Diagrammtyp Achsen",
    limit: 10,
    offset: 1000,
    sort: "relevance",
    fuzzy: "auto",
    prefix: true,
    facets: ["collection", "kind", "year"],
  },
  // A word with an umlaut that is no compound: the compounds by folded spelling are read once per index.
  { q: "Übersicht", limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true },
];

function variant(word: string): string {
  switch (Math.floor(random() * 5)) {
    case 0:
      return word;
    case 1:
      return `${word}${pick(["e", "n", "s", "x", "r"])}`;
    case 2:
      return word.slice(0, Math.max(3, Math.ceil(word.length / 2)));
    case 3:
      return `${word} ${word}`;
    default:
      return `${word}${pick(["en", "es", "er", "t"])}`;
  }
}

interface Candidate {
  name: string;
  request: SearchRequest;
}

function shape(): Candidate {
  const words = Array.from({ length: 1 + Math.floor(random() * 12) }, () => variant(pick(frequent)));
  const q = words.join(" ").split(" ").slice(0, 12).join(" ").slice(0, 256);
  const request: SearchRequest = {
    q,
    limit: pick([10, 50]),
    offset: pick([0, 1000]),
    sort: pick(["relevance", "relevance", "date"] as const),
    fuzzy: "auto",
    prefix: true,
    ...(random() < 0.5 ? { group: "document" as const } : {}),
    ...(random() < 0.5 ? { facets: FACETS } : {}),
  };
  const params = `${request.group ? "&group=document" : ""}${request.facets ? "&facets=collection,kind,year" : ""}${request.sort === "date" ? "&sort=date" : ""}`;
  return { name: `q=${q}&limit=${request.limit}&offset=${request.offset}${params}`, request };
}

function ordinary(): Candidate {
  const q = `${pick(middling)} ${pick(middling)}`;
  return { name: `ordinary: ${q}`, request: { q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true } };
}

/** One request's time the first time an index sees it: a fresh index, warmed with unrelated words. */
function firstTime(request: SearchRequest): number {
  const index = loadIndex(module);
  for (const warm of WARM) search(index, warm);
  const started = performance.now();
  search(index, request);
  return performance.now() - started;
}

// 1. The search: every candidate once, the costliest kept.
const candidates = Array.from({ length: Number(values.candidates) }, shape);
candidates.push(
  // The request, as it was reported.
  {
    name: "reported: wahl wahlen wählen … offset=1000 limit=50 pages all facets",
    request: {
      q: "wahl wahlen wählen klick klicken dokument libreoffic libreoffice ausgewahlt wert befehl a",
      limit: 50,
      offset: 1000,
      sort: "relevance",
      fuzzy: "auto",
      prefix: true,
      group: "document",
      facets: FACETS,
    },
  },
);
const once = candidates.map((candidate) => ({ candidate, ms: firstTime(candidate.request) }));
once.sort((a, b) => b.ms - a.ms);
const worst = once.slice(0, 8).map(({ candidate }) => candidate);

// 2. The worst, and ordinary queries, in interleaved rounds.
const rounds = Number(values.rounds);
const times = new Map<string, number[]>(worst.map((c) => [c.name, []]));
const ordinaryTimes: number[] = [];
/** Per worst request, ordinary two-word queries with its parameters (limit, offset, pages, facets, order). */
const alikeTimes = new Map<string, number[]>(worst.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const candidate of worst) {
    ordinaryTimes.push(firstTime(ordinary().request));
    times.get(candidate.name)?.push(firstTime(candidate.request));
    alikeTimes.get(candidate.name)?.push(firstTime({ ...candidate.request, q: ordinary().request.q }));
  }
}
const base = median(ordinaryTimes);
console.log(
  `LibreOffice's German help (${probe.engine.paragraphs} paragraphs; search code ${values.code === "bundle" ? "bundled as wrangler bundles it" : "as tsx loads it"}): ${candidates.length} request shapes searched (seed ${values.seed}), the 8 costliest timed in ${rounds} rounds beside ordinary two-word queries (limit 10, paragraphs) and beside ordinary two-word queries with the costly request's parameters, each the first time a freshly loaded index sees it\n`,
);
console.log("| request | median | max | × ordinary | ordinary words, same parameters: median | × that |");
console.log("|---|---|---|---|---|---|");
console.log(
  `| ordinary two-word queries (${ordinaryTimes.length}) | ${base.toFixed(2)} ms | ${Math.max(...ordinaryTimes).toFixed(2)} ms | 1 | | |`,
);
let worstRatio = 0;
let worstMs = 0;
let worstAlike = 0;
for (const candidate of worst) {
  const list = times.get(candidate.name) ?? [];
  const m = median(list);
  const alike = median(alikeTimes.get(candidate.name) ?? []);
  worstRatio = Math.max(worstRatio, m / base);
  worstMs = Math.max(worstMs, Math.max(...list));
  worstAlike = Math.max(worstAlike, m / alike);
  console.log(
    `| \`${candidate.name.replace(/\|/g, "\\|")}\` | ${m.toFixed(2)} ms | ${Math.max(...list).toFixed(2)} ms | ${(m / base).toFixed(1)} | ${alike.toFixed(2)} ms | ${(m / alike).toFixed(1)} |`,
  );
}
console.log(
  `\nworst median / ordinary median: ${worstRatio.toFixed(1)}× (bound 5×); slowest single run: ${worstMs.toFixed(1)} ms (bound 10 ms); what the words add beyond the parameters: at most ${worstAlike.toFixed(1)}× ordinary words with the same parameters`,
);
