// The search function: one pass of exact forms, stems and completions, then the typo pass when it does not fill
// the page. Read on in plan.ts → candidates.ts → rank.ts (with proximity.ts) → hits.ts.
import { type Candidates, collectCandidates } from "./candidates.js";
import { facetValues } from "./facets.js";
import type { LoadedIndex } from "./loaded-index.js";
import { evaluateOptions, excludedParagraphs, type PassPlan, planPass, typoLeaves } from "./plan.js";
import { type ParsedQuery, parseQuery } from "./query.js";
import { NO_MATCHES, needsTypoPass, type RankedPass, rankCandidates } from "./rank.js";
import type { SearchRequest, SearchResponse } from "./search-types.js";

// The search module's public face: what the API, the shards, the router, the widget and the tests import.
export { selectTop } from "./candidates.js";
export { autoEdits, suffixStems } from "./plan.js";
export { proximityOf, selectScaled } from "./proximity.js";
export { compareRanked, needsTypoPass, type RankedCandidate, type RankedPass } from "./rank.js";
export { RANKING } from "./ranking.js";
export type { SearchHit, SearchRequest, SearchResponse, SearchSection } from "./search-types.js";

/** Runs one pass of the plan: every word OR-ed, then filters, exclusions, phrases, and the all-words flag. */
function runPass(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  fuzzyPass: boolean,
  excludedIds: ReadonlySet<number>,
  suffixMatches: Map<string, number>,
): { plan: PassPlan; candidates: Candidates } {
  const plan = planPass(index, parsed, request, fuzzyPass, suffixMatches);
  const matches = index.evaluator.evaluate(plan.root, evaluateOptions(index.ranking));
  return { plan, candidates: collectCandidates(index, parsed, request, plan, matches, excludedIds, 0) as Candidates };
}

/** Ranks the matches of one pass (with typo variants or without) and keeps the best `offset + limit`. */
export function rankPass(index: LoadedIndex, parsed: ParsedQuery, request: SearchRequest, fuzzyPass: boolean): RankedPass {
  if (parsed.words.length === 0) return NO_MATCHES;
  const excludedIds = excludedParagraphs(index, parsed.excluded, request.hide);
  const suffixMatches = new Map<string, number>();
  const { plan, candidates } = runPass(index, parsed, request, fuzzyPass, excludedIds, suffixMatches);
  return rankCandidates({ index, parsed, request, plan, candidates, suffixMatches });
}

/** The answer to a request before any hit: no matches, the ignored words. */
export function emptyResponse(request: SearchRequest, parsed: ParsedQuery): SearchResponse {
  const response: SearchResponse = {
    query: request.q,
    total: 0,
    offset: request.offset,
    limit: request.limit,
    partial: false,
    ignored: parsed.ignored,
    correction: null,
    hits: [],
  };
  if (request.facets)
    response.facets = facetValues(
      request.facets.map((name) => [name, []]),
      () => undefined,
    );
  return response;
}

/**
 * Searches the index. Paragraphs containing every word rank first (by BM25,
 * title weighted above text; exact forms above stems above completions above
 * typos); when they do not fill the requested page, the best paragraphs with
 * only some of the words follow and `partial` is set. Typo tolerance runs only
 * in that case, so an ordinary query pays nothing for it. `total` counts every
 * match (documents with `group=document`). Only the requested page is sorted.
 */
export function search(index: LoadedIndex, request: SearchRequest): SearchResponse {
  const parsed = parseQuery(request.q);
  const response = emptyResponse(request, parsed);
  if (parsed.words.length === 0) return response;
  const excludedIds = excludedParagraphs(index, parsed.excluded, request.hide);
  const suffixMatches = new Map<string, number>();
  const typoPossible = needsTypoPass(parsed, request, 0);
  const first = planPass(index, parsed, request, false, suffixMatches);
  const wanted = request.offset + request.limit;
  const firstMatches = index.evaluator.evaluate(first.root, evaluateOptions(index.ranking));
  // When fewer paragraphs (pages: pages, with the words spread over their paragraphs) match every word than the
  // answer needs, the typo pass follows for certain: skip ranking the first pass.
  const skipBelow = typoPossible ? wanted : 0;
  const firstCandidates = collectCandidates(index, parsed, request, first, firstMatches, excludedIds, skipBelow);
  let ranked = firstCandidates ? rankCandidates({ index, parsed, request, plan: first, candidates: firstCandidates, suffixMatches }) : null;
  if (!ranked || needsTypoPass(parsed, request, ranked.fullCount)) {
    const typo = planPass(index, parsed, request, true, suffixMatches);
    // The typo pass adds the typo variants to the first pass's matches rather than evaluating it all again.
    const matches = index.evaluator.extend(typoLeaves(first, typo)) ?? index.evaluator.evaluate(typo.root, evaluateOptions(index.ranking));
    const candidates = collectCandidates(index, parsed, request, typo, matches, excludedIds, 0) as Candidates;
    ranked = rankCandidates({ index, parsed, request, plan: typo, candidates, suffixMatches });
  }
  response.total = ranked.total;
  const page = ranked.top.slice(request.offset);
  response.partial = page.some((c) => !c.full);
  response.hits = page.map((_, i) => ranked.hit(request.offset + i));
  response.correction = ranked.correction;
  if (ranked.facets) response.facets = facetValues(ranked.facets, (id) => index.collectionsById.get(id)?.title);
  return response;
}
