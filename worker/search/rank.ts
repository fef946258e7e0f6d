// Ranks a pass's candidates, as paragraphs or as pages (group=document), and keeps the best offset + limit.
import { type Candidates, candidateOrder, dateRanksOf, rankOrder, scratchOf, selectTop } from "./candidates.js";
import type { FacetCounts } from "./facets.js";
import { correctionOf, pageSections, toHit } from "./hits.js";
import type { LoadedIndex } from "./loaded-index.js";
import { editsFor, type PassPlan } from "./plan.js";
import { selectByProximity, usesProximity } from "./proximity.js";
import type { ParsedQuery } from "./query.js";
import type { SearchHit, SearchRequest, SearchResponse } from "./search-types.js";

/** A candidate as ranked: its paragraph number in the whole corpus, score, all-words flag and date. */
export interface RankedCandidate {
  paragraph: number;
  score: number;
  full: boolean;
  date: string | null;
}

/** One ranked pass over an index (the whole corpus, or one shard of it). */
export interface RankedPass {
  /** Every match (documents with `group=document`). */
  total: number;
  /**
   * How many of them match every word; with filters, how many would without them. This decides the typo pass, so
   * that a filter (a facet chip) never changes which pass answers, and a facet's count is what choosing it gives.
   */
  fullCount: number;
  /** The best `offset + limit`, best first. */
  top: RankedCandidate[];
  /** The hit of `top[rank]`; valid until the index evaluates another query. */
  hit(rank: number): SearchHit;
  /** With facets requested: their counts over every match. */
  facets: FacetCounts | null;
  /** The query as corrected by the typo variants the best match stands on, or null (see {@link SearchResponse.correction}). */
  correction: string | null;
}

/**
 * The order of ranked candidates, within one index or merged from shards: all-words matches first,
 * then newest first when sorting by date, then by score, then by paragraph.
 */
export function compareRanked(sort: SearchRequest["sort"]) {
  const date = (c: RankedCandidate) => (sort === "date" ? c.date : null);
  return (a: RankedCandidate, b: RankedCandidate): number =>
    rankOrder(a.full, b.full, date(a), date(b), a.score, b.score, a.paragraph, b.paragraph);
}

/**
 * Whether a search whose first pass found `fullCount` all-words matches needs the typo pass: when they
 * do not fill the requested page and typo tolerance allows edits for some word.
 */
export function needsTypoPass(parsed: ParsedQuery, request: SearchRequest, fullCount: number): boolean {
  return (
    fullCount < request.offset + request.limit && request.fuzzy !== 0 && parsed.words.some((w) => editsFor(w.exact, request.fuzzy) > 0)
  );
}

export const NO_MATCHES: RankedPass = { total: 0, fullCount: 0, top: [], hit: () => unreachable(), facets: null, correction: null };

/** What ranking a pass takes: the index, the query as parsed and as requested, and the pass's plan and candidates. */
export interface PassToRank {
  index: LoadedIndex;
  parsed: ParsedQuery;
  request: SearchRequest;
  plan: PassPlan;
  candidates: Candidates;
  /** Stems matched only through their end, for highlighting (see MatchContext.suffixes). */
  suffixMatches: Map<string, number>;
}

/** Ranks a pass's candidates, as paragraphs or as pages (`group=document`), keeping the best `offset + limit`. */
export function rankCandidates(pass: PassToRank): RankedPass {
  return pass.request.group === "document" ? rankPages(pass) : rankParagraphs(pass);
}

/** Ranks a pass's candidates as paragraphs: all-words matches first, then by score (with proximity, see there). */
function rankParagraphs({ index, parsed, request, candidates, suffixMatches, plan }: PassToRank): RankedPass {
  const order = candidateOrder(index, candidates, request.sort);
  const scratch = scratchOf(index);
  const positions = scratch.positions.subarray(0, candidates.count);
  for (let i = 0; i < candidates.count; i++) positions[i] = i;
  let fullCount = 0;
  for (const i of positions) fullCount += candidates.full[i] as number;
  const wanted = request.offset + request.limit;
  const chosen = usesProximity(index.ranking, plan)
    ? selectByProximity(index, request, candidates, positions, wanted, plan)
    : selectTop(positions, wanted, order);
  const first = index.engine.corpus.firstParagraph;
  const best = chosen[0];
  return {
    total: positions.length,
    fullCount: candidates.unfilteredFull ?? fullCount,
    facets: candidates.facets?.raw() ?? null,
    correction: best === undefined ? null : correctionOf(index, parsed, request, plan, candidates.matches, candidates.ids[best] as number),
    top: chosen.map((i) => {
      const id = candidates.ids[i] as number;
      return { paragraph: first + id, score: candidates.scores[i] as number, full: candidates.full[i] === 1, date: index.docOf(id).date };
    }),
    hit: (rank) => {
      const i = chosen[rank];
      if (i === undefined) throw new RangeError(`no candidate at rank ${rank}`);
      const id = candidates.ids[i] as number;
      return toHit(index, id, candidates.scores[i] as number, new Set(candidates.matches.termsOf(id)), suffixMatches);
    },
  };
}

/** A pass's candidates grouped by page: pages in order of first appearance, and each page's candidates. */
interface PageGroups {
  /** The document of each page slot. */
  docs: number[];
  /** A slot's candidates, as positions into the pass's arrays. */
  members(slot: number): Int32Array;
}

/** Groups the candidates by page with a counting sort into one array: page `slot` holds `grouped[starts[slot] … starts[slot + 1])`. */
function groupByPage(index: LoadedIndex, candidates: Candidates): PageGroups {
  const { best } = scratchOf(index);
  const paragraphDoc = index.engine.paragraphDoc;
  const docs: number[] = [];
  const slotOf = new Int32Array(candidates.count);
  for (let i = 0; i < candidates.count; i++) {
    const doc = paragraphDoc[candidates.ids[i] as number] as number;
    let slot = best[doc] as number;
    if (slot === -1) {
      slot = docs.length;
      best[doc] = slot;
      docs.push(doc);
    }
    slotOf[i] = slot;
  }
  for (const doc of docs) best[doc] = -1;
  const starts = new Int32Array(docs.length + 1);
  for (let i = 0; i < candidates.count; i++) {
    const next = (slotOf[i] as number) + 1;
    starts[next] = (starts[next] as number) + 1;
  }
  for (let slot = 0; slot < docs.length; slot++) starts[slot + 1] = (starts[slot + 1] as number) + (starts[slot] as number);
  const fill = starts.slice(0, docs.length);
  const grouped = new Int32Array(candidates.count);
  for (let i = 0; i < candidates.count; i++) {
    const slot = slotOf[i] as number;
    const at = fill[slot] as number;
    grouped[at] = i;
    fill[slot] = at + 1;
  }
  return { docs, members: (slot) => grouped.subarray(starts[slot] as number, starts[slot + 1] as number) };
}

/** Each page's score (its best paragraphs', decaying), all-words flag and best candidate. */
interface PageScores {
  scores: Float64Array;
  full: Uint8Array;
  /** Each page's best candidate: its hit (its other candidates are sorted only when its sections are shown). */
  best: Int32Array;
  /** How many pages cover every word. */
  fullCount: number;
}

/** Candidates by score, best first; ties by paragraph. */
function byScoreOf(candidates: Candidates): (a: number, b: number) => number {
  const { ids, scores } = candidates;
  return (a, b) => (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number);
}

/** Scores each page by its best `ranking.pageParagraphs` paragraphs, decaying, and flags the pages that cover every word. */
function scorePages(index: LoadedIndex, candidates: Candidates, pages: PageGroups, plan: PassPlan): PageScores {
  const { ids, scores, matches } = candidates;
  const byScore = byScoreOf(candidates);
  const count = pages.docs.length;
  const out: PageScores = { scores: new Float64Array(count), full: new Uint8Array(count), best: new Int32Array(count), fullCount: 0 };
  const keep = index.ranking.pageParagraphs;
  const top: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    // The page's best `keep` paragraphs, by insertion (a page may have hundreds of candidates; only these count).
    top.length = 0;
    let mask = 0;
    for (const i of pages.members(slot)) {
      mask |= matches.mask(ids[i] as number);
      if (top.length === keep && byScore(i, top[keep - 1] as number) >= 0) continue;
      let at = Math.min(top.length, keep - 1);
      top[at] = i;
      while (at > 0 && byScore(i, top[at - 1] as number) < 0) {
        top[at] = top[at - 1] as number;
        top[--at] = i;
      }
    }
    out.best[slot] = top[0] as number;
    let score = 0;
    let weight = 1;
    for (const i of top) {
      score += weight * (scores[i] as number);
      weight *= index.ranking.pageDecay;
    }
    out.scores[slot] = score;
    const full = (mask & plan.required) === plan.required ? 1 : 0;
    out.full[slot] = full;
    out.fullCount += full;
  }
  return out;
}

/**
 * Ranks a pass's candidates as pages (`group=document`). A page covers every word found anywhere on it, in
 * any of its paragraphs, its title or its headings; pages covering every word rank first. Its score adds up
 * its best paragraphs' (see `ranking.pageDecay`); its hit is its best paragraph, with its best sections.
 */
function rankPages({ index, parsed, request, candidates, suffixMatches, plan }: PassToRank): RankedPass {
  const { ids, matches } = candidates;
  const pages = groupByPage(index, candidates);
  const scored = scorePages(index, candidates, pages, plan);
  const bestId = (slot: number) => ids[scored.best[slot] as number] as number;
  // rankOrder on numbers: dates as ranks (see dateRanksOf), none when ordering by relevance.
  const ranks = request.sort === "date" ? dateRanksOf(index) : null;
  const dateRank = (slot: number) => (ranks === null ? 0 : (ranks[pages.docs[slot] as number] as number));
  const order = (a: number, b: number) =>
    (scored.full[b] as number) - (scored.full[a] as number) ||
    dateRank(b) - dateRank(a) ||
    (scored.scores[b] as number) - (scored.scores[a] as number) ||
    bestId(a) - bestId(b);
  const chosen = selectTop(Int32Array.from(pages.docs.keys()), request.offset + request.limit, order);
  const first = index.engine.corpus.firstParagraph;
  const bestSlot = chosen[0];
  return {
    total: pages.docs.length,
    fullCount: candidates.unfilteredFull ?? scored.fullCount,
    facets: candidates.facets?.raw() ?? null,
    correction: bestSlot === undefined ? null : correctionOf(index, parsed, request, plan, matches, bestId(bestSlot)),
    top: chosen.map((slot) => ({
      paragraph: first + bestId(slot),
      score: scored.scores[slot] as number,
      full: scored.full[slot] === 1,
      date: index.docOf(bestId(slot)).date,
    })),
    hit: (rank) => {
      const slot = chosen[rank];
      if (slot === undefined) throw new RangeError(`no candidate at rank ${rank}`);
      const id = bestId(slot);
      const hit = toHit(index, id, scored.scores[slot] as number, new Set(matches.termsOf(id)), suffixMatches);
      const paragraphs = bestParagraphs(pages.members(slot), candidates, SECTION_CANDIDATES * index.ranking.pageSections);
      hit.sections = pageSections(index, hit, paragraphs, matches, suffixMatches);
      return hit;
    },
  };
}

/** How many of a page's best paragraphs are selected per section shown before the rest are sorted. */
const SECTION_CANDIDATES = 4;

/**
 * The paragraphs of a page's candidates (`members`), best first: the best `first` by selection, the rest sorted
 * only if the reader goes on (a page's sections are usually found among its best few paragraphs, while a page may
 * have hundreds).
 */
function* bestParagraphs(members: Int32Array, candidates: Candidates, first: number): Generator<number> {
  const byScore = byScoreOf(candidates);
  const top = selectTop(members, first, byScore);
  for (const i of top) yield candidates.ids[i] as number;
  if (top.length === members.length) return;
  const kept = new Set(top);
  for (const i of [...members].filter((i) => !kept.has(i)).sort(byScore)) yield candidates.ids[i] as number;
}

export function unreachable(): never {
  throw new RangeError("no candidates");
}
