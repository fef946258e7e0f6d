// Promoted results: the pages an editor's rule (corpus/promotions.txt) shows first for a query, over any backend.
import { promotionKey } from "../common/promotions.js";
import type { DocumentAnswer, IndexInfo, SearchBackend } from "./backend.js";
import { failedFiltersOf } from "./search/candidates.js";
import { escapeHtml, selectSnippet } from "./search/highlight.js";
import type { SearchHit, SearchRequest, SearchResponse } from "./search/search.js";
import { fragmentOf } from "./search/sections.js";

// Per index info (a new build brings a new one): the rules as a Map, never a plain object (queries are client text).
const rulesOf = new WeakMap<IndexInfo, Map<string, readonly string[]>>();

/** The pages promoted for a query (ids, in the rule's order), or none. */
export function promotedFor(info: IndexInfo, q: string): readonly string[] {
  if (info.promotions.length === 0) return [];
  let rules = rulesOf.get(info);
  if (!rules) {
    rules = new Map(info.promotions);
    rulesOf.set(info, rules);
  }
  return rules.get(promotionKey(q)) ?? [];
}

/**
 * A hit for a promoted page that holds none of the query's words (an editor promotes "Hundemarke" to a page that
 * says "Hundesteuermarke"): its first paragraph, nothing marked, linked as a search links its lead section.
 */
async function leadHit(backend: SearchBackend, doc: DocumentAnswer, group: boolean): Promise<SearchHit> {
  const text = doc.paragraphs[0] ?? "";
  const collection = (await backend.collections()).find((c) => c.id === doc.collection);
  const lead = doc.sections[0];
  const anchor = lead !== undefined && lead.paragraph === 0 ? lead.anchor : null;
  const url =
    doc.url === null
      ? `/documents/${encodeURIComponent(doc.id)}#p-0`
      : anchor === null
        ? doc.url
        : `${doc.url.split("#")[0] as string}#${fragmentOf(anchor)}`;
  const snippetHtml = selectSnippet(text, []).html;
  const hit: SearchHit = {
    id: `${doc.id}#0`,
    paragraph: 0,
    score: 0,
    doc: { id: doc.id, title: doc.title, url: doc.url, date: doc.date, kind: doc.kind, collection: doc.collection },
    collection: collection
      ? { title: collection.title, attribution: collection.attribution, license: collection.license, url: collection.url }
      : { title: "", attribution: null, license: null, url: null },
    titleHtml: escapeHtml(doc.title),
    snippetHtml,
    highlights: [],
  };
  if (group) {
    const heading = lead !== undefined && lead.paragraph === 0 ? lead : undefined;
    hit.sections = [
      {
        heading: heading?.heading ?? "",
        headingHtml: escapeHtml(heading?.heading ?? ""),
        level: heading?.level ?? 0,
        anchor,
        url,
        paragraph: 0,
        snippetHtml,
        highlights: [],
      },
    ];
  }
  return hit;
}

/**
 * The promoted page's hit for this request: its best match as the search finds it (restricted to the page), else
 * its lead when it passes the request's filters. Null when the page is gone from the index or the filters leave it out.
 */
async function promotedHit(backend: SearchBackend, request: SearchRequest, id: string): Promise<SearchHit | null> {
  if (request.doc !== undefined && request.doc !== id) return null;
  const found = await backend.search({ ...request, doc: id, offset: 0, limit: 1, facets: undefined, hide: undefined });
  const best = found.hits[0];
  if (best !== undefined) return best;
  const doc = await backend.document(id);
  if (doc === null || failedFiltersOf(doc, request) !== 0) return null;
  return leadHit(backend, doc, request.group === "document");
}

/**
 * Searches with the editors' promotions: when the query's normal form has a rule, its pages come first, each
 * marked `promoted: true` (its best match when it holds the query's words, else its lead), and the ranking follows
 * without them (the pages with `group=document`, else the promoted paragraphs). `offset`, `limit` and `total` count
 * the promoted results as results, so paging goes on where the first page ended, each result once. Facets count the
 * matches as without promotions (a promoted page that holds none of the query's words is no match, so not counted).
 */
export async function searchWithPromotions(backend: SearchBackend, request: SearchRequest): Promise<SearchResponse> {
  const ids = promotedFor(await backend.info(), request.q);
  if (ids.length === 0) return backend.search(request);
  const promoted = (await Promise.all(ids.map((id) => promotedHit(backend, request, id)))).filter((hit) => hit !== null);
  if (promoted.length === 0) return backend.search(request);
  const k = promoted.length;
  const hide = promoted.map((hit) => (request.group === "document" ? { doc: hit.doc.id } : { doc: hit.doc.id, paragraph: hit.paragraph }));
  // The page is promoted[offset ..] then the ranking without them from where this page's share of it starts.
  const first = promoted.slice(request.offset, request.offset + request.limit).map((hit): SearchHit => ({ ...hit, promoted: true }));
  const wanted = request.limit - first.length;
  const organic = await backend.search({ ...request, offset: Math.max(0, request.offset - k), limit: Math.max(1, wanted), hide });
  // Facets count every match, the promoted pages among them (each facet with the other filters, as without promotions).
  const facets = request.facets ? (await backend.search({ ...request, offset: 0, limit: 1 })).facets : undefined;
  return {
    ...organic,
    ...(facets ? { facets } : {}),
    offset: request.offset,
    limit: request.limit,
    total: organic.total + k,
    partial: wanted > 0 && organic.partial,
    hits: [...first, ...organic.hits.slice(0, wanted)],
  };
}
