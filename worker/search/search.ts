// The search function: plans MiniSearch queries from a parsed query, ranks all-words matches first, and shapes hits.
import type { Query, SearchOptions, SearchResult } from "minisearch";
import { analyze, foldGerman, stemOf } from "../../analyzer/index.js";
import type { CollectionInfo } from "../../common/artifact.js";
import { completionsOf, type Expansion, termIndexOf, typoVariantsOf } from "./expand.js";
import { type MatchContext, markHtml, matchedRanges, type Range, selectSnippet } from "./highlight.js";
import type { LoadedIndex } from "./loaded-index.js";
import { type ParsedQuery, parseQuery, type QueryWord, type TermForms } from "./query.js";
import { lowerBound } from "./sorted.js";

/** Ranking weights. Exact forms weigh 1; everything else is relative to that. */
export const RANKING = {
  /** A title match counts this many times a text match (BM25 per field). */
  titleBoost: 1,
  /** Weight of a word's exact form; a paragraph with the exact form also matches the stem, so this is its bonus. */
  exactWeight: 1,
  /** Share of the exact weight that a word's folded spelling carries (see wordQuery). */
  foldedShare: 0.5,
  /** A word matched only through its stem (another inflection). */
  stemWeight: 0.7,
  /**
   * BM25 parameters (MiniSearch's BM25+). Length normalisation b is lower than MiniSearch's 0.7 so that
   * short paragraphs (a help page's table cells) do not crowd out long ones that match as well.
   */
  bm25: { k: 1.2, b: 0.3, d: 0.5 },
  /** A hyphen group or compound in the query matched through its parts rather than as a whole. */
  partsWeight: 0.8,
  /** Field boost of compound parts in the paragraph: a part match ranks below a whole-word match. */
  partsBoost: 0.5,
  /** A word matched as the end (head) of a longer word: "Anatolien" in "Ostanatolien". */
  suffixWeight: 0.5,
  /** A word matched through a synonym from corpus/synonyms.txt. */
  synonymWeight: 0.7,
  /** Completions of a last word that is already a corpus word count this much of a fragment's. */
  completedWordFactor: 0.25,
  /** Most longer words a query word is matched as the end of. */
  maxSuffixes: 12,
  /** Weight of completions of the last word (scaled further by their frequency and how much was typed). */
  prefixWeight: 0.5,
  /** Weight of typo variants (scaled further by edit distance). */
  fuzzyWeight: 0.25,
  /** Partial matches: the score is multiplied by (matched words / words) to this power. */
  coverageExponent: 1,
  /** Share of the document's other matching paragraphs' mean score added to a paragraph's own (document context). */
  documentContext: 0.2,
};

/** What a search asks for; the API's validated parameters. */
export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
  collection?: string | undefined;
  doc?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  group?: "document" | undefined;
  sort: "relevance" | "date";
  fuzzy: "auto" | 0 | 1 | 2;
  prefix: boolean;
}

export interface SearchHit {
  id: string;
  paragraph: number;
  score: number;
  doc: { id: string; title: string; url: string | null; date: string | null; kind: string | null; collection: string };
  collection: { title: string; attribution: string | null; license: string | null; url: string | null };
  titleHtml: string;
  snippetHtml: string;
  highlights: Range[];
}

export interface SearchResponse {
  query: string;
  total: number;
  offset: number;
  limit: number;
  partial: boolean;
  ignored: string[];
  hits: SearchHit[];
}

interface Candidate {
  id: number;
  score: number;
  full: boolean;
  terms: string[];
}

/** Most edits the `auto` typo tolerance allows for a word: none up to 3 letters, one up to 7, two from 8. */
export function autoEdits(word: string): number {
  const length = [...word].length;
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

function editsFor(word: string, fuzzy: SearchRequest["fuzzy"]): number {
  const auto = autoEdits(word);
  return fuzzy === "auto" ? auto : Math.min(fuzzy, auto);
}

const unique = (terms: string[]) => [...new Set(terms)];

/**
 * MiniSearch runs string queries through the index's tokenizer; the planner
 * passes analysed terms, which must be looked up exactly as given.
 */
export const TERMS_AS_GIVEN = { tokenize: (term: string) => [term], processTerm: (term: string) => term } as const;

/**
 * The MiniSearch query for one word: its exact form and stem, the parts of a compound or hyphen group,
 * the longer words it ends, and expansions (completions as you type, typo variants), each term with
 * its weight.
 */
function wordQuery(word: QueryWord, parts: TermForms[], suffixes: string[], expansions: Expansion[], synonyms: string[][]): Query {
  // A paragraph with the exact form matches both the exact and the stem term. When the two are one term
  // ("Lama"), that term carries both weights, so every word weighs the same whatever its inflection.
  // Likewise, a word typed with another spelling ("fuehrte", "Universitaet") shares its folded form with
  // the paragraph's: most of the exact weight goes to the folded form, so the exact spelling still ranks
  // first but another spelling weighs almost as much. Weights of one term from several roles add up.
  const weights = new Map<string, number>();
  for (const { term, weight } of expansions) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  for (const term of suffixes) weights.set(term, Math.max(weights.get(term) ?? 0, RANKING.suffixWeight));
  const core = new Map<string, number>();
  const add = (term: string, weight: number) => core.set(term, (core.get(term) ?? 0) + weight);
  add(word.stem, RANKING.stemWeight);
  if (word.folded === word.exact) {
    add(word.exact, RANKING.exactWeight);
  } else {
    add(word.exact, RANKING.exactWeight * (1 - RANKING.foldedShare));
    add(word.folded, RANKING.exactWeight * RANKING.foldedShare);
  }
  for (const [term, weight] of core) weights.set(term, weight);
  for (const [term] of synonyms.filter((synonym) => synonym.length === 1)) {
    for (const t of unique([term ?? "", stemOf(term ?? "")])) weights.set(t, Math.max(weights.get(t) ?? 0, RANKING.synonymWeight));
  }
  const alternatives: Query[] = [{ combineWith: "OR", queries: [...weights.keys()], boostTerm: (term: string) => weights.get(term) ?? 0 }];
  for (const synonym of synonyms.filter((s) => s.length > 1)) {
    alternatives.push({
      combineWith: "AND",
      boostTerm: () => RANKING.synonymWeight,
      queries: synonym.map((term) => ({ combineWith: "OR", queries: unique([term, stemOf(term)]) })),
    });
  }
  if (parts.length > 1) {
    alternatives.push({
      combineWith: "AND",
      boostTerm: () => RANKING.partsWeight,
      queries: parts.map((part) => ({ combineWith: "OR", queries: unique([part.exact, part.stem]) })),
    });
  }
  return { combineWith: "OR", queries: alternatives };
}

function termsOfWord(word: QueryWord): string[] {
  return unique([word.exact, word.stem, word.folded, ...word.parts.flatMap((p) => [p.exact, p.stem])]);
}

/**
 * Weight of the completions of a word typed so far. A word that is already a word of the corpus was
 * probably typed in full, so its completions count much less than those of a fragment ("Norman" against
 * "Norma").
 */
function completionWeight(index: LoadedIndex, word: QueryWord): number {
  const weight = RANKING.prefixWeight * (RANKING.exactWeight + RANKING.stemWeight);
  return isCorpusWord(index, word.exact) ? weight * RANKING.completedWordFactor : weight;
}

/** Whether an exact form is a word of the corpus (binary search in the sorted vocabulary). */
function isCorpusWord(index: LoadedIndex, term: string): boolean {
  return index.vocabularyKeys[lowerBound(index.vocabularyKeys, term)] === term;
}

/** The parts a query word matches as: those of its hyphen group, else those of the corpus's compound it is. */
function partsOf(index: LoadedIndex, word: QueryWord): TermForms[] {
  if (word.parts.length > 1) return word.parts;
  const parts = index.store.compounds[word.exact];
  return parts ? parts.map(([part]) => ({ exact: part, stem: stemOf(part) })) : [];
}

/**
 * Stems of longer corpus words that end with the word's stem (compound heads): "anatoli" → "ostanatoli".
 * At most {@link RANKING.maxSuffixes}; the longer word must have at least 3 more letters.
 */
export function suffixStems(index: LoadedIndex, stem: string): string[] {
  if (stem.length < 5) return [];
  const reversed = [...stem].reverse().join("");
  const list = index.store.suffixes;
  const found: string[] = [];
  for (let i = lowerBound(list, reversed); i < list.length && found.length < RANKING.maxSuffixes; i++) {
    const entry = list[i] as string;
    if (!entry.startsWith(reversed)) break;
    if (entry.length >= reversed.length + 3) found.push([...entry].reverse().join(""));
  }
  return found;
}

/** Whether the folded word sequence of `text` contains `phrase` as consecutive words. */
function containsPhrase(text: string, phrase: readonly string[]): boolean {
  const words = analyze(text)
    .filter((t) => t.kind !== "joined")
    .map((t) => foldGerman(t.exact));
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

function compareCandidates(index: LoadedIndex, sort: SearchRequest["sort"]) {
  return (a: Candidate, b: Candidate): number => {
    if (a.full !== b.full) return a.full ? -1 : 1;
    if (sort === "date") {
      const da = index.docOf(a.id).date ?? "";
      const db = index.docOf(b.id).date ?? "";
      if (da !== db) return da < db ? 1 : -1;
    }
    return b.score - a.score || a.id - b.id;
  };
}

/** Runs one pass of the plan: every word OR-ed, then filters, exclusions, phrases, and the all-words flag. */
function runPass(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  fuzzyPass: boolean,
  excludedIds: Set<number>,
  suffixMatches: Map<string, number>,
): Candidate[] {
  const lastIndex = parsed.endsInWord && request.prefix ? parsed.words.length - 1 : -1;
  const terms = termIndexOf(index.miniSearch);
  const termWords = new Map<string, Set<number>>();
  const queries = parsed.words.map((word, i) => {
    // Every term a word may match through, so a result's query terms tell which words it covered.
    const register = (wordTerms: Iterable<string>) => {
      for (const term of wordTerms) {
        const set = termWords.get(term) ?? new Set();
        set.add(i);
        termWords.set(term, set);
      }
    };
    const parts = partsOf(index, word);
    const suffixes = word.inPhrase ? [] : suffixStems(index, word.stem);
    for (const suffix of suffixes) suffixMatches.set(suffix, suffix.length - word.stem.length);
    for (const term of termsOfWord(word)) suffixMatches.delete(term);
    register([...termsOfWord(word), ...parts.flatMap((p) => [p.exact, p.stem]), ...suffixes]);
    const complete = i === lastIndex && !word.inPhrase;
    const expansions = [
      ...(complete ? completionsOf(terms, word.exact, completionWeight(index, word)) : []),
      ...(fuzzyPass
        ? typoVariantsOf(
            terms,
            word.exact,
            editsFor(word.exact, request.fuzzy),
            RANKING.fuzzyWeight * (RANKING.exactWeight + RANKING.stemWeight),
          )
        : []),
    ];
    register(expansions.map(({ term }) => term));
    const synonyms = index.store.synonyms[word.exact] ?? [];
    register(synonyms.flat().flatMap((t) => [t, stemOf(t)]));
    return wordQuery(word, parts, suffixes, expansions, synonyms);
  });

  const options: SearchOptions = {
    ...TERMS_AS_GIVEN,
    boost: { title: RANKING.titleBoost, text: 1, parts: RANKING.partsBoost },
    bm25: RANKING.bm25,
    filter: (result) => !excludedIds.has(result.id as number) && passesFilters(index, result.id as number, request),
  };
  const results: SearchResult[] = index.miniSearch.search({ combineWith: "OR", queries }, options);
  const candidates: Candidate[] = [];
  for (const result of results) {
    const id = result.id as number;
    const covered = new Set<number>();
    for (const term of result.queryTerms) for (const w of termWords.get(term) ?? []) covered.add(w);
    if (parsed.phrases.length > 0) {
      const doc = index.docOf(id);
      const text = index.store.paragraphs[id] ?? "";
      if (!parsed.phrases.every((p) => containsPhrase(text, p.folded) || containsPhrase(doc.title, p.folded))) continue;
    }
    const full = covered.size === parsed.words.length;
    const score = full ? result.score : result.score * (covered.size / parsed.words.length) ** RANKING.coverageExponent;
    candidates.push({ id, score, full, terms: result.terms });
  }
  if (RANKING.documentContext > 0) {
    const perDoc = new Map<number, { sum: number; count: number }>();
    for (const c of candidates) {
      const doc = index.store.paragraphDocs[c.id] ?? -1;
      const entry = perDoc.get(doc) ?? { sum: 0, count: 0 };
      entry.sum += c.score;
      entry.count++;
      perDoc.set(doc, entry);
    }
    for (const c of candidates) {
      const entry = perDoc.get(index.store.paragraphDocs[c.id] ?? -1);
      if (entry && entry.count > 1) c.score += (RANKING.documentContext * (entry.sum - c.score)) / (entry.count - 1);
    }
  }
  return candidates;
}

function passesFilters(index: LoadedIndex, id: number, request: SearchRequest): boolean {
  const doc = index.docOf(id);
  if (request.collection !== undefined && doc.collection !== request.collection) return false;
  if (request.doc !== undefined && doc.id !== request.doc) return false;
  if (request.from !== undefined || request.to !== undefined) {
    if (doc.date === null) return false;
    if (request.from !== undefined && doc.date < request.from) return false;
    if (request.to !== undefined && doc.date > request.to) return false;
  }
  return true;
}

function excludedParagraphs(index: LoadedIndex, excluded: readonly QueryWord[]): Set<number> {
  if (excluded.length === 0) return new Set();
  const results = index.miniSearch.search(
    { combineWith: "OR", queries: excluded.map((word) => ({ combineWith: "OR", queries: termsOfWord(word) })) },
    { ...TERMS_AS_GIVEN, fields: ["text"], prefix: false, fuzzy: false },
  );
  return new Set(results.map((r) => r.id as number));
}

const NO_COLLECTION = { title: "", attribution: null, license: null, url: null };

function toHit(index: LoadedIndex, candidate: Candidate, suffixes: ReadonlyMap<string, number>): SearchHit {
  const doc = index.docOf(candidate.id);
  const text = index.store.paragraphs[candidate.id] ?? "";
  const terms = new Set(candidate.terms);
  const context: MatchContext = { compounds: index.store.compounds, suffixes };
  const highlights = matchedRanges(text, terms, context);
  const collection: CollectionInfo | undefined = index.collectionsById.get(doc.collection);
  return {
    id: `${doc.id}#${candidate.id - doc.first}`,
    paragraph: candidate.id - doc.first,
    score: Math.round(candidate.score * 1000) / 1000,
    doc: { id: doc.id, title: doc.title, url: doc.url, date: doc.date, kind: doc.kind, collection: doc.collection },
    collection: collection
      ? { title: collection.title, attribution: collection.attribution, license: collection.license, url: collection.url }
      : NO_COLLECTION,
    titleHtml: markHtml(doc.title, matchedRanges(doc.title, terms, context)),
    snippetHtml: selectSnippet(text, highlights).html,
    highlights,
  };
}

/**
 * Searches the index. Paragraphs containing every word rank first (by BM25,
 * title weighted above text; exact forms above stems above completions above
 * typos); when they do not fill the requested page, the best paragraphs with
 * only some of the words follow and `partial` is set. Typo tolerance runs only
 * in that case, so an ordinary query pays nothing for it. `total` counts every
 * match (documents with `group=document`).
 */
export function search(index: LoadedIndex, request: SearchRequest): SearchResponse {
  const parsed = parseQuery(request.q);
  const response: SearchResponse = {
    query: request.q,
    total: 0,
    offset: request.offset,
    limit: request.limit,
    partial: false,
    ignored: parsed.ignored,
    hits: [],
  };
  if (parsed.words.length === 0) return response;

  const excludedIds = excludedParagraphs(index, parsed.excluded);
  const suffixMatches = new Map<string, number>();
  const wanted = request.offset + request.limit;
  const rank = (fuzzyPass: boolean) => {
    let candidates = runPass(index, parsed, request, fuzzyPass, excludedIds, suffixMatches).sort(compareCandidates(index, request.sort));
    if (request.group === "document") {
      const seen = new Set<number>();
      candidates = candidates.filter((c) => {
        const doc = index.store.paragraphDocs[c.id] ?? -1;
        if (seen.has(doc)) return false;
        seen.add(doc);
        return true;
      });
    }
    return candidates;
  };
  let ranked = rank(false);
  const fullMatches = ranked.filter((c) => c.full).length;
  if (fullMatches < wanted && request.fuzzy !== 0 && parsed.words.some((w) => editsFor(w.exact, request.fuzzy) > 0)) {
    ranked = rank(true);
  }
  const page = ranked.slice(request.offset, wanted);
  response.total = ranked.length;
  response.partial = page.some((c) => !c.full);
  response.hits = page.map((c) => toHit(index, c, suffixMatches));
  return response;
}
