// What the report suggests doing about a query: the corpus words nearest its unknown words, and a ready line for
// corpus/synonyms.txt or corpus/promotions.txt. Editors copy it, rebuild and deploy; nothing here writes anything.
import type { SearchBackend } from "../backend.js";
import { promotedFor, searchWithPromotions } from "../promotions.js";
import type { NearWord } from "../search/near.js";
import type { SearchRequest } from "../search/search.js";

/** Most words of one query looked up (the report's rows are short queries; each lookup scans vocabulary). */
const WORDS_PER_QUERY = 3;

/** A suggestion for one query of the report. */
export interface QueryAction {
  /** Per word of the query that no page holds: the corpus words nearest it (typo or compound). */
  near: { word: string; nearest: NearWord[] }[];
  /** A line for synonyms.txt that lets the query find what the corpus says (`hundemarke => Hundesteuermarke`), or null. */
  synonyms: string | null;
  /** A line for promotions.txt that shows a page first for the query (`kita kosten => familie/kita`), or null. */
  promotion: string | null;
  /** The page that line names, by title, for people. */
  page: string | null;
  /** Whether the query finds something in the index served now (it was counted without results before a rebuild). */
  findsNow: boolean;
}

const PAGE_REQUEST = { limit: 1, offset: 0, sort: "relevance", fuzzy: "auto", prefix: false, group: "document" } as const;

/** The best page for a query now, or null. */
async function bestPage(backend: SearchBackend, q: string): Promise<{ id: string; title: string } | null> {
  const request: SearchRequest = { q, ...PAGE_REQUEST };
  const hit = (await backend.search(request)).hits[0];
  return hit ? { id: hit.doc.id, title: hit.doc.title } : null;
}

/**
 * For a query counted without results: the corpus words nearest each of its words (at most three words) that the
 * index does not know, a one-way synonym from each such word to its nearest word, and a promotion of the page the
 * query finds with those words. A query that finds something now gets no lines, only `findsNow`.
 */
export async function zeroResultAction(backend: SearchBackend, query: string): Promise<QueryAction> {
  const words = query.split(" ").filter((word) => word !== "#" && !word.startsWith("-"));
  const findsNow = (await searchWithPromotions(backend, { q: query, ...PAGE_REQUEST, limit: 1 })).total > 0;
  const action: QueryAction = { near: [], synonyms: null, promotion: null, page: null, findsNow };
  if (findsNow) return action;
  for (const word of words.slice(0, WORDS_PER_QUERY)) {
    const nearest = await backend.nearWords(word);
    if (nearest.length > 0) action.near.push({ word, nearest });
  }
  if (action.near.length === 0) return action;
  action.synonyms = action.near.map(({ word, nearest }) => `${word} => ${(nearest[0] as NearWord).word}`).join("\n");
  const replaced = words.map((word) => action.near.find((n) => n.word === word)?.nearest[0]?.word ?? word).join(" ");
  const page = await bestPage(backend, replaced);
  if (page) {
    action.promotion = `${query} => ${page.id}`;
    action.page = page.title;
  }
  return action;
}

/**
 * For a query whose results are rarely chosen: a promotion of the page readers chose most for it (`chosen`), else
 * of the page it finds first, for the editor to check against what the query's readers need. None for a query a
 * rule promotes pages for already, or that the search reads as a typo of another.
 */
export async function rarelyChosenAction(backend: SearchBackend, query: string, chosen: string | undefined): Promise<QueryAction> {
  const action: QueryAction = { near: [], synonyms: null, promotion: null, page: null, findsNow: true };
  // A query the editors promote pages for already: its rule is there to check, not a new one.
  if (promotedFor(await backend.info(), query).length > 0) return action;
  // A misspelt query ("persnalausweis") is the typo tolerance's to answer, not a rule's.
  const answer = await backend.search({ q: query, ...PAGE_REQUEST });
  if (answer.correction !== null) return action;
  const doc = chosen === undefined ? null : await backend.document(chosen).catch(() => null);
  const first = answer.hits[0];
  const page = doc ? { id: doc.id, title: doc.title } : first ? { id: first.doc.id, title: first.doc.title } : null;
  if (page) {
    action.promotion = `${query} => ${page.id}`;
    action.page = page.title;
  }
  return action;
}
