// A pass's candidates: its matches filtered (filters, exclusions, phrases), scored by coverage, and counted for facets.
import { FacetCounter, type FacetTable, FILTER_BITS, facetTable } from "./facets.js";
import { IndexCache, type LoadedIndex } from "./loaded-index.js";
import { PhraseFilter } from "./phrase.js";
import type { PassPlan } from "./plan.js";
import type { ParsedQuery } from "./query.js";
import type { Matches } from "./query-tree.js";
import type { SearchRequest } from "./search-types.js";

/** The candidates of one pass, in parallel arrays: paragraph, score, and whether it matched every word. */
export interface Candidates {
  count: number;
  ids: Int32Array;
  scores: Float64Array;
  full: Uint8Array;
  /** The pass's matches, for the terms each hit matched (valid until the next evaluation). */
  matches: Matches;
  /** With facets requested: their counts over this pass's matches. */
  facets: FacetCounter | null;
  /**
   * With filters: the all-words matches (pages with `group=document`) there would be without them, which decides
   * the typo pass; null without filters (the pass's own count decides).
   */
  unfilteredFull: number | null;
}

export const phraseFilters = new WeakMap<ParsedQuery, PhraseFilter>();

/** The phrase filter of a parsed query: one per request, so that both passes share its verdicts. */
export function phraseFilterOf(index: LoadedIndex, parsed: ParsedQuery): PhraseFilter {
  let filter = phraseFilters.get(parsed);
  if (!filter) {
    filter = new PhraseFilter(index, parsed.phrases);
    phraseFilters.set(parsed, filter);
  }
  return filter;
}

/**
 * Scratch per index, reused by every query so that ranking allocates nothing per paragraph or document: the
 * candidates of the current pass, positions, and per-document sums and best paragraphs. A pass's
 * candidates are valid until the next pass, like the evaluator's matches.
 */
export interface Scratch {
  ids: Int32Array;
  scores: Float64Array;
  full: Uint8Array;
  positions: Int32Array;
  sum: Float64Array;
  count: Uint32Array;
  best: Int32Array;
  /** Per document, the words its matches cover, as bits (zero between uses). */
  coverage: Int32Array;
}
const SCRATCH = new IndexCache<Scratch>("scratch arrays of candidates and pages");

const FACET_TABLE = new IndexCache<FacetTable>("documents' facet values as numbers");

/** The index's facet table (see {@link FacetTable}), read on first use. */
export function facetTableOf(index: LoadedIndex): FacetTable {
  return index.cached(FACET_TABLE, () => facetTable(index.store.documents));
}

/** The index's scratch space for a pass's candidates and their pages, reused by every query. */
export function scratchOf(index: LoadedIndex): Scratch {
  return index.cached(SCRATCH, () => {
    const n = index.engine.paragraphs;
    const d = index.store.documents.length;
    return {
      ids: new Int32Array(n),
      scores: new Float64Array(n),
      full: new Uint8Array(n),
      positions: new Int32Array(n),
      sum: new Float64Array(d),
      count: new Uint32Array(d),
      best: new Int32Array(d).fill(-1),
      coverage: new Int32Array(d),
    };
  });
}

export function popcount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A pass's candidates from its matches: filters, exclusions, phrases, coverage of the words, document
 * context. With `skipBelow`, null when fewer paragraphs match every word (before any filter).
 */
export function collectCandidates(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  plan: PassPlan,
  matches: Matches,
  excludedIds: ReadonlySet<number>,
  skipBelow: number,
): Candidates | null {
  const { required } = plan;
  const words = popcount(required);
  // Fewer paragraphs matching every word than the page needs, before any filter: the typo pass follows
  // for certain, so ranking this pass would be wasted.
  const pages = request.group === "document";
  if (skipBelow > 0 && (pages ? fullPages(index, matches, required, skipBelow) : fullMatches(matches, required, skipBelow)) < skipBelow)
    return null;
  const shareOf = coverageShares(plan);
  const filtered = hasFilters(request);
  const facets =
    request.facets && request.facets.length > 0
      ? new FacetCounter(request.facets, facetTableOf(index), request.group === "document")
      : null;
  const docOf = index.engine.paragraphDoc;
  // With filters, what the typo pass is decided by: all-words matches as if there were none (see unfilteredFull).
  let unfilteredFull = 0;
  const { ids, scores, full, coverage } = scratchOf(index);
  const coveredDocs: number[] = [];
  const cover = (id: number, mask: number) => {
    if (!pages) {
      if ((mask & required) === required) unfilteredFull++;
      return;
    }
    const doc = docOf[id] as number;
    if (coverage[doc] === 0) coveredDocs.push(doc);
    coverage[doc] = (coverage[doc] as number) | mask | (1 << 30);
  };
  let phraseWords = 0;
  parsed.words.forEach((word, i) => {
    if (word.inPhrase) phraseWords |= 1 << i;
  });
  const phrases = parsed.phrases.length > 0 ? phraseFilterOf(index, parsed) : null;
  let count = 0;
  for (let i = 0; i < matches.count; i++) {
    const id = matches.ids[i] as number;
    if (excludedIds.has(id)) continue;
    const failed = filtered ? failedFilters(index, id, request) : 0;
    const matched = matches.mask(id);
    // Outside the filters, a match still counts toward the typo decision, and toward the one facet whose filter
    // alone it fails (see FacetCounter); one that can count toward neither is skipped before reading it.
    const facetable = facets !== null && (failed & (failed - 1)) === 0 && failed !== FILTER_BITS.doc;
    if (failed !== 0 && !facetable && !pages && (matched & required) !== required) continue;
    // Without every phrase word among its matches a paragraph cannot hold the phrase: skip reading it.
    if (phrases && ((matched & phraseWords) !== phraseWords || !phrases.accepts(id))) continue;
    if (filtered) cover(id, matched);
    if (facetable) facets.add(docOf[id] as number, failed);
    if (failed !== 0) continue;
    const mask = matched & required;
    const covered = popcount(mask);
    const isFull = covered >= words;
    ids[count] = id;
    // The sum of the terms' BM25 scores. MiniSearch multiplies it by the number of distinct terms matched, which
    // rewards a paragraph for matching one word in many forms (every completion of "Norman" in "Normannen",
    // "normannischen", …) as much as for matching many words; here coverage counts words instead.
    const raw = matches.sum(id);
    scores[count] = isFull ? raw : raw * shareOf(mask) ** index.ranking.coverageExponent;
    full[count] = isFull ? 1 : 0;
    count++;
  }
  if (index.ranking.documentContext > 0) addDocumentContext(index, count);
  // The editors' weights multiply a page's scores, before anything is chosen by them (see StoredDocument.weight).
  const weights = index.documentWeights;
  if (weights !== null)
    for (let i = 0; i < count; i++) scores[i] = (scores[i] as number) * (weights[docOf[ids[i] as number] as number] as number);
  for (const doc of coveredDocs) {
    if (((coverage[doc] as number) & required) === required) unfilteredFull++;
    coverage[doc] = 0;
  }
  return { count, ids, scores, full, matches, facets, unfilteredFull: filtered ? unfilteredFull : null };
}

/** How many matches hold every required word, counting no further than `enough`. */
function fullMatches(matches: Matches, required: number, enough: number): number {
  let full = 0;
  for (let i = 0; i < matches.count && full < enough; i++) if ((matches.mask(matches.ids[i] as number) & required) === required) full++;
  return full;
}

/**
 * How many pages hold every required word among their matches, counting no further than `enough`. Before filters,
 * exclusions and phrases, so never fewer than the pass's own count: below `enough`, the typo pass follows for certain.
 */
function fullPages(index: LoadedIndex, matches: Matches, required: number, enough: number): number {
  const { coverage } = scratchOf(index);
  const docOf = index.engine.paragraphDoc;
  const docs: number[] = [];
  let full = 0;
  for (let i = 0; i < matches.count && full < enough; i++) {
    const id = matches.ids[i] as number;
    const doc = docOf[id] as number;
    const before = coverage[doc] as number;
    if (before === 0) docs.push(doc);
    const after = before | matches.mask(id) | (1 << 30);
    coverage[doc] = after;
    if ((before & required) !== required && (after & required) === required) full++;
  }
  for (const doc of docs) coverage[doc] = 0;
  return full;
}

/**
 * The share of the query a partial match covers, per mask of covered words, each word weighed by its inverse
 * document frequency: a paragraph with the rare words of a question but not its common ones ranks above one with
 * only the common ones. Filled as masks turn up (at most MAX_QUERY_WORDS bits).
 */
function coverageShares(plan: PassPlan): (mask: number) => number {
  let totalIdf = 0;
  let leastIdf = Number.POSITIVE_INFINITY;
  plan.idf.forEach((idf, i) => {
    if (!(plan.required & (1 << i))) return;
    totalIdf += idf;
    leastIdf = Math.min(leastIdf, idf);
  });
  const shares = new Float64Array(1 << plan.idf.length).fill(Number.NaN);
  return (mask) => {
    let share = shares[mask] as number;
    if (Number.isNaN(share)) {
      let got = 0;
      for (let w = 0; w < plan.idf.length; w++) if (mask & (1 << w)) got += plan.idf[w] as number;
      // A paragraph with nothing but question words still matched, below every one with some other word.
      share = Math.max(got, 0.5 * leastIdf) / totalIdf;
      shares[mask] = share;
    }
    return share;
  };
}

/** Adds to each of the first `count` candidates' scores a share of the mean of its page's other candidates. */
function addDocumentContext(index: LoadedIndex, count: number): void {
  const { ids, scores, sum, count: perDoc } = scratchOf(index);
  const docOf = index.engine.paragraphDoc;
  for (let i = 0; i < count; i++) {
    const doc = docOf[ids[i] as number] as number;
    sum[doc] = (sum[doc] as number) + (scores[i] as number);
    perDoc[doc] = (perDoc[doc] as number) + 1;
  }
  for (let i = 0; i < count; i++) {
    const doc = docOf[ids[i] as number] as number;
    const n = perDoc[doc] as number;
    if (n > 1)
      scores[i] = (scores[i] as number) + (index.ranking.documentContext * ((sum[doc] as number) - (scores[i] as number))) / (n - 1);
  }
  for (let i = 0; i < count; i++) {
    const doc = docOf[ids[i] as number] as number;
    sum[doc] = 0;
    perDoc[doc] = 0;
  }
}

export function hasFilters(request: SearchRequest): boolean {
  return (
    request.collection !== undefined ||
    request.doc !== undefined ||
    request.kind !== undefined ||
    request.from !== undefined ||
    request.to !== undefined
  );
}

/** The filters paragraph `id` fails, as {@link FILTER_BITS}: 0 when it passes them all. */
export function failedFilters(index: LoadedIndex, id: number, request: SearchRequest): number {
  return failedFiltersOf(index.docOf(id), request);
}

/** The filters a document fails, as {@link FILTER_BITS}: 0 when it passes them all (a promoted page is checked so too). */
export function failedFiltersOf(
  doc: { id: string; collection: string; kind: string | null; date: string | null },
  request: SearchRequest,
): number {
  let failed = 0;
  if (request.collection !== undefined && doc.collection !== request.collection) failed |= FILTER_BITS.collection;
  if (request.kind !== undefined && doc.kind !== request.kind) failed |= FILTER_BITS.kind;
  if (request.doc !== undefined && doc.id !== request.doc) failed |= FILTER_BITS.doc;
  if (request.from !== undefined || request.to !== undefined) {
    if (doc.date === null || (request.from !== undefined && doc.date < request.from) || (request.to !== undefined && doc.date > request.to))
      failed |= FILTER_BITS.year;
  }
  return failed;
}

const DATE_RANKS = new IndexCache<Int32Array>("documents' dates as ranks");

/**
 * Each document's date as its rank among the corpus's distinct dates in code-unit order (-1 when undated, as an
 * undated page sorts after every dated one), so that ordering by date compares numbers, as {@link rankOrder} orders
 * the dates themselves. Read on first use.
 */
export function dateRanksOf(index: LoadedIndex): Int32Array {
  return index.cached(DATE_RANKS, () => {
    const documents = index.store.documents;
    const dates = [...new Set(documents.flatMap((doc) => (doc.date === null ? [] : [doc.date])))].sort();
    const rankOf = new Map(dates.map((date, rank) => [date, rank]));
    return Int32Array.from(documents, (doc) => (doc.date === null ? -1 : (rankOf.get(doc.date) as number)));
  });
}

/**
 * Orders candidates (positions into a pass's arrays): all-words matches first, then newest first when
 * sorting by date, then by score (the candidates' own, unless given), then by paragraph: {@link rankOrder}, on
 * numbers (a deep page of a query of frequent words compares candidates a million times).
 */
export function candidateOrder(
  index: LoadedIndex,
  c: Candidates,
  sort: SearchRequest["sort"],
  score: (i: number) => number = (i) => c.scores[i] as number,
): (a: number, b: number) => number {
  const { full, ids } = c;
  if (sort !== "date")
    return (a, b) => (full[b] as number) - (full[a] as number) || score(b) - score(a) || (ids[a] as number) - (ids[b] as number);
  const ranks = dateRanksOf(index);
  const docOf = index.engine.paragraphDoc;
  return (a, b) =>
    (full[b] as number) - (full[a] as number) ||
    (ranks[docOf[ids[b] as number] as number] as number) - (ranks[docOf[ids[a] as number] as number] as number) ||
    score(b) - score(a) ||
    (ids[a] as number) - (ids[b] as number);
}

/**
 * The one ranking order, of candidates within an index and merged from shards: all-words matches first,
 * then newest first (dates are null unless sorting by date), then by score, then by paragraph.
 */
export function rankOrder(
  aFull: boolean,
  bFull: boolean,
  aDate: string | null,
  bDate: string | null,
  aScore: number,
  bScore: number,
  aParagraph: number,
  bParagraph: number,
): number {
  if (aFull !== bFull) return aFull ? -1 : 1;
  const da = aDate ?? "";
  const db = bDate ?? "";
  if (da !== db) return da < db ? 1 : -1;
  return bScore - aScore || aParagraph - bParagraph;
}

/** The best `k` of `items` by `compare`, best first, without sorting the rest (a bounded heap). */
export function selectTop(items: ArrayLike<number> & Iterable<number>, k: number, compare: (a: number, b: number) => number): number[] {
  if (items.length <= k) return [...items].sort(compare);
  // A heap whose root is the worst item kept.
  const heap: number[] = [];
  const worse = (i: number, j: number) => compare(heap[i] as number, heap[j] as number) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = t;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && worse(l, top)) top = l;
      if (r < heap.length && worse(r, top)) top = r;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0 && worse(i, (i - 1) >> 1)) {
        swap(i, (i - 1) >> 1);
        i = (i - 1) >> 1;
      }
    } else if (k > 0 && compare(item, heap[0] as number) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}
