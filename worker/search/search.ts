// The search function: plans query trees from a parsed query, ranks all-words matches first, and shapes hits.
import { analyze, foldCase, foldGerman, stemOf, type Token } from "../../analyzer/index.js";
import type { CollectionInfo } from "../../common/artifact.js";
import type { Matches, QueryNode, QueryTerm } from "./engine.js";
import { completionsOf, type Expansion, typoVariantsOf } from "./expand.js";
import { FacetCounter, type FacetCounts, type FacetName, type Facets, FILTER_BITS, facetValues } from "./facets.js";
import { type MatchContext, markHtml, matchedRanges, type Range, selectSnippet } from "./highlight.js";
import type { LoadedIndex } from "./loaded-index.js";
import { PhraseFilter } from "./phrase.js";
import { type ParsedQuery, parseQuery, type QueryWord, type TermForms } from "./query.js";
import { sectionAt, sectionsOf, sectionUrl } from "./sections.js";
import { lowerBound, prefixRange } from "./sorted.js";

/** Ranking weights. Exact forms weigh 1; everything else is relative to that. */
export const RANKING = {
  /** A title match counts this many times a text match (BM25 per field). */
  titleBoost: 1,
  /**
   * A match in a section's headings (its own and the enclosing ones; found at the section's first paragraph)
   * counts this many times a text match. Chosen on XQuAD's articles among LibreOffice's help pages, whose
   * headings name many words of the questions: at 1, paragraph-level compound sets lose 0.015, at 2 every set
   * loses 0.01 to 0.025; at 0.5 every set is within 0.001 of the index without headings.
   */
  headingBoost: 0.5,
  /** Weight of a word's exact form; a paragraph with the exact form also matches the stem, so this is its bonus. */
  exactWeight: 1,
  /** Share of the exact weight that a word's folded spelling carries (see wordQuery). */
  foldedShare: 0.5,
  /** A word matched only through its stem (another inflection). */
  stemWeight: 0.7,
  /**
   * BM25 parameters (MiniSearch's BM25+). Length normalisation b is far lower than MiniSearch's 0.7, and the
   * floor d that every occurrence earns higher than its 0.5, so that short paragraphs (a help page's table
   * cells, one-word headings) do not crowd out long ones that match as well; k saturates term frequency
   * more slowly (MiniSearch: 1.2). Chosen with bench/ranking-sweep.ts on both benchmark corpora.
   */
  bm25: { k: 2, b: 0.2, d: 1.5 },
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
  /** Typo variants of a word that is not in the corpus count this many times more (see typoWeight). */
  unknownWordTypoFactor: 4,
  /**
   * Partial matches: the score is multiplied by the matched words' share of all words to this power, each
   * word weighted by its inverse document frequency (see collectCandidates).
   */
  coverageExponent: 1,
  /** Share of the document's other matching paragraphs' mean score added to a paragraph's own (document context). */
  documentContext: 0.2,
  /**
   * Proximity: with two or more words, an all-words match's score is multiplied by 1 + this × how close the
   * words stand in its text (0 to 1, see proximityOf).
   */
  proximityWeight: 1,
  /** Word distance at which a pair of words counts half as close as side by side: 1 / (1 + (d − 1) / scale). */
  proximityScale: 5,
  /** Proximity ranks only queries with a word in at most this many paragraphs (see usesProximity). */
  proximityMaxDf: 50,
  /** Weight of a question word ("wann", "lautet", see QUESTION_WORDS) relative to other words. */
  questionWordWeight: 0.2,
  /**
   * Pages (`group=document`): a page scores the sum of its best paragraphs' scores, the n-th best (from 0)
   * weighted by this to the power n: words spread over its sections add up a little, while a long page's many
   * weak matches do not bury a short page with one strong one. On XQuAD's articles among LibreOffice's help
   * pages, 0 (the best paragraph alone) and 0.15 are within 0.002 on every set, 0.5 loses 0.01 to 0.015.
   */
  pageDecay: 0.15,
  /** Most of a page's paragraphs that count toward its score. */
  pageParagraphs: 3,
  /** Most sections shown under a page hit. */
  pageSections: 3,
};

/** What a search asks for; the API's validated parameters. */
export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
  collection?: string | undefined;
  doc?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  group?: "document" | undefined;
  sort: "relevance" | "date";
  fuzzy: "auto" | 0 | 1 | 2;
  prefix: boolean;
  /** Facets to count over every match (see facets.ts). */
  facets?: FacetName[] | undefined;
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
  /** With `group=document`: the page's best-matching sections, best first (at most {@link RANKING.pageSections}). */
  sections?: SearchSection[];
}

/** A section of a page hit: its heading, where it links to, and its best-matching paragraph's snippet. */
export interface SearchSection {
  heading: string;
  headingHtml: string;
  level: number;
  anchor: string | null;
  url: string;
  paragraph: number;
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
  /**
   * When the best hit matched a word of the query only through a typo variant of it: the query with each such
   * word spelled as the corpus spells the variant ("Meinten Sie …?"); else null.
   */
  correction: string | null;
  hits: SearchHit[];
  /** With `facets`: each facet's values with their counts over every match. */
  facets?: Facets;
}

/** The candidates of one pass, in parallel arrays: paragraph, score, and whether it matched every word. */
interface Candidates {
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
 * The weighted terms of one word: its exact form and stem, the longer words it ends, synonyms of one word,
 * and expansions (completions as you type, typo variants).
 */
function wordWeights(
  word: QueryWord,
  suffixes: string[],
  expansions: Expansion[],
  synonyms: readonly (readonly string[])[],
  inflections: string[],
): Map<string, number> {
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
  for (const term of inflections) weights.set(term, Math.max(weights.get(term) ?? 0, RANKING.stemWeight));
  for (const [term] of synonyms.filter((synonym) => synonym.length === 1)) {
    for (const t of unique([term ?? "", stemOf(term ?? "")])) weights.set(t, Math.max(weights.get(t) ?? 0, RANKING.synonymWeight));
  }
  return weights;
}

/** The query tree of one word: its weighted terms OR-ed, or all parts of a compound, or a multi-word synonym. */
function wordQuery(weights: ReadonlyMap<string, number>, parts: TermForms[], synonyms: readonly (readonly string[])[]): QueryNode {
  const leaves = (terms: string[], boost: number): QueryNode => ({ combineWith: "OR", queries: terms.map((term) => ({ term, boost })) });
  const alternatives: QueryNode[] = [{ combineWith: "OR", queries: [...weights].map(([term, boost]) => ({ term, boost })) }];
  for (const synonym of synonyms.filter((s) => s.length > 1)) {
    alternatives.push({
      combineWith: "AND",
      queries: synonym.map((term) => leaves(unique([term, stemOf(term)]), RANKING.synonymWeight)),
    });
  }
  if (parts.length > 1) {
    alternatives.push({
      combineWith: "AND",
      queries: parts.map((part) => leaves(unique([part.exact, part.stem]), RANKING.partsWeight)),
    });
  }
  return { combineWith: "OR", queries: alternatives };
}

/** Every leaf of a query tree. */
function* leavesOf(node: QueryNode): Generator<QueryTerm> {
  if ("term" in node) yield node;
  else for (const child of node.queries) yield* leavesOf(child);
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

/**
 * Weight of a word's typo variants. A word the index knows in none of its forms (exact, folded, stem, nor as
 * the end of longer words) must be misspelt: its variants are all it can match, so they count more than
 * those of a known word, which was probably meant as typed.
 */
function typoWeight(known: boolean): number {
  const weight = RANKING.fuzzyWeight * (RANKING.exactWeight + RANKING.stemWeight);
  return known ? weight : weight * RANKING.unknownWordTypoFactor;
}

/** Whether an exact form is a word of the corpus (binary search in the sorted vocabulary). */
function isCorpusWord(index: LoadedIndex, term: string): boolean {
  return index.vocabularyKeys[lowerBound(index.vocabularyKeys, term)] === term;
}

/**
 * The corpus's form of a word with or without a final "s" that the stemmer leaves alone: genitives and
 * plurals of names and loanwords ("Warschaus" → "Warschau", "Tesla" → "Teslas", "Autos" → "Auto"). Only
 * when the shorter form has at least 4 letters and the other form is a word of the corpus with another stem.
 */
function sInflections(index: LoadedIndex, word: QueryWord): string[] {
  const exact = word.exact;
  const other = exact.endsWith("s") ? exact.slice(0, -1) : `${exact}s`;
  if ([...other].length < 4 + (other.endsWith("s") ? 1 : 0) || !/\p{L}$/u.test(exact)) return [];
  if (!isCorpusWord(index, other)) return [];
  const stem = stemOf(other);
  if (stem === word.stem) return [];
  return unique([other, stem]);
}

/** The parts a query word matches as: those of its hyphen group, else those of the corpus's compound it is. */
function partsOf(index: LoadedIndex, word: QueryWord): TermForms[] {
  if (word.parts.length > 1) return word.parts;
  const { compounds } = index;
  let parts = compounds.get(word.exact);
  if (!parts && word.folded !== word.exact) parts = compounds.get(foldedCompounds(index).get(word.folded) ?? "");
  return parts ? parts.map(([part]) => ({ exact: part, stem: stemOf(part) })) : [];
}

const foldedCompoundMaps = new WeakMap<LoadedIndex, Map<string, string>>();

/**
 * The corpus's compounds by folded spelling, so that a compound typed with ae/oe/ue/ss ("Komplexitaetsklassen")
 * splits as its corpus spelling does. Built on first use.
 */
function foldedCompounds(index: LoadedIndex): Map<string, string> {
  let map = foldedCompoundMaps.get(index);
  if (!map) {
    map = new Map();
    for (const exact of index.compounds.keys()) {
      const folded = foldGerman(exact);
      if (folded !== exact && !map.has(folded)) map.set(folded, exact);
    }
    foldedCompoundMaps.set(index, map);
  }
  return map;
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

const phraseFilters = new WeakMap<ParsedQuery, PhraseFilter>();

/** The phrase filter of a parsed query: one per request, so that both passes share its verdicts. */
function phraseFilterOf(index: LoadedIndex, parsed: ParsedQuery): PhraseFilter {
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
 * candidates are valid until the next pass, like the engine's matches.
 */
interface Scratch {
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
const scratches = new WeakMap<LoadedIndex, Scratch>();

function scratchOf(index: LoadedIndex): Scratch {
  let scratch = scratches.get(index);
  if (!scratch) {
    const n = index.engine.paragraphs;
    const d = index.store.documents.length;
    scratch = {
      ids: new Int32Array(n),
      scores: new Float64Array(n),
      full: new Uint8Array(n),
      positions: new Int32Array(n),
      sum: new Float64Array(d),
      count: new Uint32Array(d),
      best: new Int32Array(d).fill(-1),
      coverage: new Int32Array(d),
    };
    scratches.set(index, scratch);
  }
  return scratch;
}

function popcount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** One pass's query: its tree, the weighted terms of each word's main OR, and which words each term stands for. */
interface PassPlan {
  root: QueryNode;
  weights: Map<string, number>[];
  termWords: Map<string, number>;
  /** Per word, the inverse document frequency of the most frequent term it matches as. */
  idf: number[];
  /** Per word, the document frequency that {@link idf} comes from. */
  df: number[];
  /** The words a paragraph must contain to match every word, as bits: all but question words. */
  required: number;
  /** Per word, its typo variants with their weights, and its other terms (its forms, parts, completions, synonyms). */
  corrections: { typos: Map<string, number>; own: Set<string> }[];
}

/** Field boosts and BM25 parameters of the main query, read from {@link RANKING} at each query. */
function evaluateOptions() {
  return {
    boost: { title: RANKING.titleBoost, text: 1, parts: RANKING.partsBoost, headings: RANKING.headingBoost },
    bm25: RANKING.bm25,
  };
}

/** Plans one pass: every word OR-ed, with typo variants in the typo pass. */
function planPass(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  fuzzyPass: boolean,
  suffixMatches: Map<string, number>,
): PassPlan {
  const lastIndex = parsed.endsInWord && request.prefix ? parsed.words.length - 1 : -1;
  const engine = index.engine;
  // Which words each term may stand for, as bits, so a match's terms tell which words it covered.
  const termWords = new Map<string, number>();
  const weights: Map<string, number>[] = [];
  const corrections: PassPlan["corrections"] = [];
  const queries = parsed.words.map((word, i) => {
    const register = (wordTerms: Iterable<string>) => {
      for (const term of wordTerms) termWords.set(term, (termWords.get(term) ?? 0) | (1 << i));
    };
    const parts = partsOf(index, word);
    const suffixes = word.inPhrase ? [] : suffixStems(index, word.stem);
    for (const suffix of suffixes) suffixMatches.set(suffix, suffix.length - word.stem.length);
    for (const term of termsOfWord(word)) suffixMatches.delete(term);
    register([...termsOfWord(word), ...parts.flatMap((p) => [p.exact, p.stem]), ...suffixes]);
    const complete = i === lastIndex && !word.inPhrase;
    const completions = complete ? completionsOf(engine, word.exact, completionWeight(index, word)) : [];
    const known = suffixes.length > 0 || [word.exact, word.folded, word.stem].some((term) => engine.termId(term) >= 0);
    // A word being typed that is the start of corpus words is unfinished, not misspelt.
    const typos =
      fuzzyPass && completions.length === 0
        ? typoVariantsOf(engine, word.exact, editsFor(word.exact, request.fuzzy), typoWeight(known))
        : [];
    const expansions = [...completions, ...typos];
    register(completions.map(({ term }) => term));
    // A word the index knows was probably meant as typed: its typo variants add to a paragraph's score but do
    // not stand in for it, so they cannot make an all-words match. An unknown word's variants can.
    if (!known) register(typos.map(({ term }) => term));
    const synonyms = index.synonyms.get(word.exact) ?? [];
    register(synonyms.flat().flatMap((t) => [t, stemOf(t)]));
    const inflections = word.inPhrase ? [] : sInflections(index, word);
    register(inflections);
    const wordTerms = wordWeights(word, suffixes, expansions, synonyms, inflections);
    if (typos.length > 0) {
      const own = new Set([
        ...wordWeights(word, suffixes, completions, synonyms, inflections).keys(),
        ...parts.flatMap((p) => [p.exact, p.stem]),
      ]);
      corrections.push({ typos: new Map(typos.filter(({ term }) => !own.has(term)).map(({ term, weight }) => [term, weight])), own });
    } else {
      corrections.push({ typos: new Map(), own: new Set() });
    }
    if (word.weak) for (const [term, weight] of wordTerms) wordTerms.set(term, weight * RANKING.questionWordWeight);
    weights.push(wordTerms);
    return wordQuery(wordTerms, parts, synonyms);
  });
  const root: QueryNode = { combineWith: "OR", queries };
  for (const leaf of leavesOf(root)) leaf.mask = termWords.get(leaf.term) ?? 0;
  // A word's inverse document frequency, from the most frequent term it matches as (BM25's idf).
  const n = engine.corpus.paragraphs;
  const df = weights.map((terms) => {
    let most = 0;
    for (const term of terms.keys()) {
      const id = engine.termId(term);
      if (id >= 0) most = Math.max(most, engine.maxDf[id] as number);
    }
    return most;
  });
  const idf = df.map((f) => Math.log(1 + (n - f + 0.5) / (f + 0.5)));
  let required = 0;
  parsed.words.forEach((word, i) => {
    if (!word.weak) required |= 1 << i;
  });
  return { root, weights, termWords, idf, df, required, corrections };
}

/**
 * What the typo pass adds to the first: for each word, its typo variants' weight beyond what the term
 * already had in that word (weights of one term combine by maximum), as leaves of the root OR.
 */
function typoLeaves(first: PassPlan, typo: PassPlan): QueryTerm[] {
  const leaves: QueryTerm[] = [];
  typo.weights.forEach((weights, i) => {
    for (const [term, weight] of weights) {
      const extra = weight - (first.weights[i]?.get(term) ?? 0);
      if (extra > 0) leaves.push({ term, boost: extra, mask: typo.termWords.get(term) ?? 0 });
    }
  });
  return leaves;
}

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
  const matches = index.engine.evaluate(plan.root, evaluateOptions());
  return { plan, candidates: collectCandidates(index, parsed, request, plan, matches, excludedIds, 0) as Candidates };
}

/**
 * A pass's candidates from its matches: filters, exclusions, phrases, coverage of the words, document
 * context. With `skipBelow`, null when fewer paragraphs match every word (before any filter).
 */
function collectCandidates(
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
  // Coverage of a partial match weighs each word by its inverse document frequency: a paragraph with the rare
  // words of a question but not its common ones ranks above one with only the common ones.
  let totalIdf = 0;
  let leastIdf = Number.POSITIVE_INFINITY;
  // Share per mask of covered words (at most MAX_QUERY_WORDS bits), filled as masks turn up.
  const shares = new Float64Array(1 << plan.idf.length).fill(Number.NaN);
  plan.idf.forEach((idf, i) => {
    if (!(required & (1 << i))) return;
    totalIdf += idf;
    leastIdf = Math.min(leastIdf, idf);
  });
  if (skipBelow > 0) {
    // Fewer paragraphs matching every word than the page needs, before any filter: the typo pass follows
    // for certain, so ranking this pass would be wasted.
    let full = 0;
    for (let i = 0; i < matches.count && full < skipBelow; i++)
      if ((matches.mask(matches.ids[i] as number) & required) === required) full++;
    if (full < skipBelow) return null;
  }
  const filtered = hasFilters(request);
  const facets =
    request.facets && request.facets.length > 0
      ? new FacetCounter(request.facets, request.group === "document" ? index.store.documents.length : null)
      : null;
  const docOf = index.engine.paragraphDoc;
  const pages = request.group === "document";
  // With filters, what the typo pass is decided by: all-words matches as if there were none (see unfilteredFull).
  let unfilteredFull = 0;
  const { coverage } = scratchOf(index);
  const covered: number[] = [];
  const cover = (id: number, mask: number) => {
    if (!pages) {
      if ((mask & required) === required) unfilteredFull++;
      return;
    }
    const doc = docOf[id] as number;
    if (coverage[doc] === 0) covered.push(doc);
    coverage[doc] = (coverage[doc] as number) | mask | (1 << 30);
  };
  let phraseWords = 0;
  parsed.words.forEach((word, i) => {
    if (word.inPhrase) phraseWords |= 1 << i;
  });
  const phrases = parsed.phrases.length > 0 ? phraseFilterOf(index, parsed) : null;
  const { ids, scores, full } = scratchOf(index);
  let count = 0;
  for (let i = 0; i < matches.count; i++) {
    const id = matches.ids[i] as number;
    if (excludedIds.has(id)) continue;
    const failed = filtered ? failedFilters(index, id, request) : 0;
    if (failed !== 0) {
      // Outside the filters: a match still counts toward the typo decision, and toward the one facet whose filter
      // alone it fails (see FacetCounter).
      const facetable = facets !== null && (failed & (failed - 1)) === 0 && failed !== FILTER_BITS.doc;
      const mask = matches.mask(id);
      if (!facetable && !pages && (mask & required) !== required) continue;
      if (phrases && ((mask & phraseWords) !== phraseWords || !phrases.accepts(id))) continue;
      cover(id, mask);
      if (facetable) facets.add(docOf[id] as number, index.docOf(id), failed);
      continue;
    }
    if (phrases) {
      // Without every phrase word among its matches a paragraph cannot hold the phrase: skip reading it.
      if ((matches.mask(id) & phraseWords) !== phraseWords) continue;
      if (!phrases.accepts(id)) continue;
    }
    if (filtered) cover(id, matches.mask(id));
    facets?.add(docOf[id] as number, index.docOf(id), 0);
    const mask = matches.mask(id) & required;
    const covered = popcount(mask);
    const isFull = covered >= words;
    let share = 1;
    if (!isFull) {
      share = shares[mask] as number;
      if (Number.isNaN(share)) {
        let got = 0;
        for (let w = 0; w < plan.idf.length; w++) if (mask & (1 << w)) got += plan.idf[w] as number;
        // A paragraph with nothing but question words still matched, below every one with some other word.
        share = Math.max(got, 0.5 * leastIdf) / totalIdf;
        shares[mask] = share;
      }
    }
    ids[count] = id;
    // The sum of the terms' BM25 scores. MiniSearch multiplies it by the number of distinct terms matched, which
    // rewards a paragraph for matching one word in many forms (every completion of "Norman" in "Normannen",
    // "normannischen", …) as much as for matching many words; here coverage counts words instead.
    const raw = matches.sum(id);
    scores[count] = isFull ? raw : raw * share ** RANKING.coverageExponent;
    full[count] = isFull ? 1 : 0;
    count++;
  }
  if (RANKING.documentContext > 0) {
    const { sum, count: perDoc } = scratchOf(index);
    for (let i = 0; i < count; i++) {
      const doc = docOf[ids[i] as number] as number;
      sum[doc] = (sum[doc] as number) + (scores[i] as number);
      perDoc[doc] = (perDoc[doc] as number) + 1;
    }
    for (let i = 0; i < count; i++) {
      const doc = docOf[ids[i] as number] as number;
      const n = perDoc[doc] as number;
      if (n > 1) scores[i] = (scores[i] as number) + (RANKING.documentContext * ((sum[doc] as number) - (scores[i] as number))) / (n - 1);
    }
    for (let i = 0; i < count; i++) {
      const doc = docOf[ids[i] as number] as number;
      sum[doc] = 0;
      perDoc[doc] = 0;
    }
  }
  for (const doc of covered) {
    if (((coverage[doc] as number) & required) === required) unfilteredFull++;
    coverage[doc] = 0;
  }
  return { count, ids, scores, full, matches, facets, unfilteredFull: filtered ? unfilteredFull : null };
}

function hasFilters(request: SearchRequest): boolean {
  return (
    request.collection !== undefined ||
    request.doc !== undefined ||
    request.kind !== undefined ||
    request.from !== undefined ||
    request.to !== undefined
  );
}

/** The filters paragraph `id` fails, as {@link FILTER_BITS}: 0 when it passes them all. */
function failedFilters(index: LoadedIndex, id: number, request: SearchRequest): number {
  const doc = index.docOf(id);
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

function excludedParagraphs(index: LoadedIndex, excluded: readonly QueryWord[]): Set<number> {
  if (excluded.length === 0) return new Set();
  const matches = index.engine.evaluate(
    { combineWith: "OR", queries: excluded.flatMap((word) => termsOfWord(word).map((term) => ({ term, boost: 1 }))) },
    { boost: { text: 1 }, bm25: RANKING.bm25 },
  );
  return new Set(matches.ids.subarray(0, matches.count));
}

/**
 * Orders candidates (positions into a pass's arrays): all-words matches first, then newest first when
 * sorting by date, then by score (the candidates' own, unless given), then by paragraph.
 */
function candidateOrder(
  index: LoadedIndex,
  c: Candidates,
  sort: SearchRequest["sort"],
  score: (i: number) => number = (i) => c.scores[i] as number,
) {
  const date = (i: number) => (sort === "date" ? index.docOf(c.ids[i] as number).date : null);
  return (a: number, b: number): number =>
    rankOrder(c.full[a] === 1, c.full[b] === 1, date(a), date(b), score(a), score(b), c.ids[a] as number, c.ids[b] as number);
}

/**
 * The one ranking order, of candidates within an index and merged from shards: all-words matches first,
 * then newest first (dates are null unless sorting by date), then by score, then by paragraph.
 */
function rankOrder(
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

const NO_COLLECTION = { title: "", attribution: null, license: null, url: null };

/** Most analysed hit texts kept per index: popular paragraphs and titles come up again and again. */
const ANALYSIS_MEMO_LIMIT = 512;
/** An analysed text; `positions` (each term's word positions, for proximity) is filled on first use. */
interface AnalysedText {
  text: string;
  tokens: Token[];
  positions?: Map<string, number[]>;
}
const analysisMemos = new WeakMap<LoadedIndex, Map<number, AnalysedText>>();

/**
 * A paragraph's text and tokens (`-1 - doc` for a document's title), from a bounded memo that keeps the
 * most recently used; the answer never depends on what is in it.
 */
function analysedText(index: LoadedIndex, key: number): AnalysedText {
  let memo = analysisMemos.get(index);
  if (!memo) {
    memo = new Map();
    analysisMemos.set(index, memo);
  }
  let entry = memo.get(key);
  if (entry) {
    memo.delete(key);
  } else {
    const text = key >= 0 ? index.paragraphText(key) : (index.store.documents[-1 - key]?.title ?? "");
    entry = { text, tokens: analyze(text) };
    if (memo.size >= ANALYSIS_MEMO_LIMIT) memo.delete(memo.keys().next().value as number);
  }
  memo.set(key, entry);
  return entry;
}

function toHit(
  index: LoadedIndex,
  id: number,
  score: number,
  terms: ReadonlySet<string>,
  suffixes: ReadonlyMap<string, number>,
): SearchHit {
  const doc = index.docOf(id);
  const { text, tokens } = analysedText(index, id);
  const title = analysedText(index, -1 - (index.engine.paragraphDoc[id] as number));
  const context: MatchContext = { compounds: index.compounds, suffixes };
  const highlights = matchedRanges(text, terms, context, tokens);
  const collection: CollectionInfo | undefined = index.collectionsById.get(doc.collection);
  return {
    id: `${doc.id}#${id - doc.first}`,
    paragraph: id - doc.first,
    score: Math.round(score * 1000) / 1000,
    doc: { id: doc.id, title: doc.title, url: doc.url, date: doc.date, kind: doc.kind, collection: doc.collection },
    collection: collection
      ? { title: collection.title, attribution: collection.attribution, license: collection.license, url: collection.url }
      : NO_COLLECTION,
    titleHtml: markHtml(doc.title, matchedRanges(title.text, terms, context, title.tokens)),
    snippetHtml: selectSnippet(text, highlights).html,
    highlights,
  };
}

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

/** Ranks the matches of one pass (with typo variants or without) and keeps the best `offset + limit`. */
export function rankPass(index: LoadedIndex, parsed: ParsedQuery, request: SearchRequest, fuzzyPass: boolean): RankedPass {
  if (parsed.words.length === 0) return NO_MATCHES;
  const excludedIds = excludedParagraphs(index, parsed.excluded);
  const suffixMatches = new Map<string, number>();
  const { plan, candidates } = runPass(index, parsed, request, fuzzyPass, excludedIds, suffixMatches);
  return rankCandidates(index, parsed, request, candidates, suffixMatches, plan);
}

const NO_MATCHES: RankedPass = { total: 0, fullCount: 0, top: [], hit: () => unreachable(), facets: null, correction: null };

/**
 * The query with each word that the best match (`id`) holds only as a typo variant, and in none of its own
 * forms, spelled as the corpus spells that variant: "Kasachtan" becomes "Kasachstan", "Normanen" "Normannen".
 * Other words, and variants that are no word of the corpus as written (a stem, a compound's part), are left as
 * typed. Null when nothing would change.
 */
function correctionOf(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  plan: PassPlan,
  matches: Matches,
  id: number,
): string | null {
  if (!plan.corrections.some(({ typos }) => typos.size > 0)) return null;
  const terms = new Set(matches.termsOf(id));
  const spelled = new Map<string, string>();
  plan.corrections.forEach(({ typos, own }, i) => {
    // The match holds the word as typed (or a form of it): nothing to correct.
    for (const term of own) if (terms.has(term)) return;
    let best: string | undefined;
    let bestWeight = -1;
    for (const [term, weight] of typos) {
      if (!terms.has(term) || weight <= bestWeight) continue;
      const [from, to] = prefixRange(index.vocabularyKeys, term);
      if (from < to && index.vocabularyKeys[from] === term) {
        best = index.store.vocabulary.words[from];
        bestWeight = weight;
      }
    }
    const word = parsed.words[i];
    if (best !== undefined && word) spelled.set(word.exact, best);
  });
  if (spelled.size === 0) return null;
  // The query as typed, each corrected word replaced where it stands (its case folded as the analyzer folds it).
  const corrected = request.q.normalize("NFC").replace(/[\p{L}\p{N}]+/gu, (token) => spelled.get(foldCase(token)) ?? token);
  return corrected === request.q ? null : corrected;
}

/** Ranks a pass's candidates: the best paragraph per document when grouping, then the best `offset + limit`. */
function rankCandidates(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  candidates: Candidates,
  suffixMatches: Map<string, number>,
  plan: PassPlan,
): RankedPass {
  if (request.group === "document") return rankPages(index, parsed, request, candidates, suffixMatches, plan);
  const order = candidateOrder(index, candidates, request.sort);
  const scratch = scratchOf(index);
  const positions = scratch.positions.subarray(0, candidates.count);
  for (let i = 0; i < candidates.count; i++) positions[i] = i;
  let fullCount = 0;
  for (const i of positions) fullCount += candidates.full[i] as number;
  const wanted = request.offset + request.limit;
  const chosen = usesProximity(plan)
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

/**
 * Ranks a pass's candidates as pages (`group=document`). A page covers every word found anywhere on it, in
 * any of its paragraphs, its title or its headings; pages covering every word rank first. Its score adds up
 * its best paragraphs' (see {@link RANKING.pageDecay}); its hit is its best paragraph, with its best sections.
 */
function rankPages(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  candidates: Candidates,
  suffixMatches: Map<string, number>,
  plan: PassPlan,
): RankedPass {
  const { best } = scratchOf(index);
  const paragraphDoc = index.engine.paragraphDoc;
  const { ids, scores, matches } = candidates;
  // Each page's candidates (positions into the pass's arrays), pages in order of first appearance: a counting
  // sort into one array, page `slot` holding `grouped[starts[slot] … starts[slot + 1])`.
  const docs: number[] = [];
  const slotOf = new Int32Array(candidates.count);
  for (let i = 0; i < candidates.count; i++) {
    const doc = paragraphDoc[ids[i] as number] as number;
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
  const members = (slot: number) => grouped.subarray(starts[slot] as number, starts[slot + 1] as number);
  const byScore = (a: number, b: number) => (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number);
  const pageScores = new Float64Array(docs.length);
  const pageFull = new Uint8Array(docs.length);
  /** Each page's best candidate: its hit (its other candidates are sorted only when its sections are shown). */
  const pageBest = new Int32Array(docs.length);
  let fullCount = 0;
  const keep = RANKING.pageParagraphs;
  const top: number[] = [];
  for (let slot = 0; slot < docs.length; slot++) {
    const list = members(slot);
    // The page's best `keep` paragraphs, by insertion (a page may have hundreds of candidates; only these count).
    top.length = 0;
    let mask = 0;
    for (const i of list) {
      mask |= matches.mask(ids[i] as number);
      if (top.length === keep && byScore(i, top[keep - 1] as number) >= 0) continue;
      let at = Math.min(top.length, keep - 1);
      top[at] = i;
      while (at > 0 && byScore(i, top[at - 1] as number) < 0) {
        top[at] = top[at - 1] as number;
        top[--at] = i;
      }
    }
    pageBest[slot] = top[0] as number;
    let score = 0;
    let weight = 1;
    for (const i of top) {
      score += weight * (scores[i] as number);
      weight *= RANKING.pageDecay;
    }
    pageScores[slot] = score;
    const full = (mask & plan.required) === plan.required ? 1 : 0;
    pageFull[slot] = full;
    fullCount += full;
  }
  const date = (slot: number) => (request.sort === "date" ? (index.store.documents[docs[slot] as number]?.date ?? null) : null);
  const bestId = (slot: number) => ids[pageBest[slot] as number] as number;
  const order = (a: number, b: number) =>
    rankOrder(
      pageFull[a] === 1,
      pageFull[b] === 1,
      date(a),
      date(b),
      pageScores[a] as number,
      pageScores[b] as number,
      bestId(a),
      bestId(b),
    );
  const slots = Int32Array.from(docs.keys());
  const chosen = selectTop(slots, request.offset + request.limit, order);
  const first = index.engine.corpus.firstParagraph;
  const bestSlot = chosen[0];
  return {
    total: docs.length,
    fullCount: candidates.unfilteredFull ?? fullCount,
    facets: candidates.facets?.raw() ?? null,
    correction: bestSlot === undefined ? null : correctionOf(index, parsed, request, plan, matches, bestId(bestSlot)),
    top: chosen.map((slot) => ({
      paragraph: first + bestId(slot),
      score: pageScores[slot] as number,
      full: pageFull[slot] === 1,
      date: index.docOf(bestId(slot)).date,
    })),
    hit: (rank) => {
      const slot = chosen[rank];
      if (slot === undefined) throw new RangeError(`no candidate at rank ${rank}`);
      const id = bestId(slot);
      const hit = toHit(index, id, pageScores[slot] as number, new Set(matches.termsOf(id)), suffixMatches);
      const list = [...members(slot)].sort(byScore);
      hit.sections = pageSections(
        index,
        hit,
        list.map((i) => ids[i] as number),
        matches,
        suffixMatches,
      );
      return hit;
    },
  };
}

/**
 * A page's best sections: those of its matched paragraphs (`ids`, all of one page, best first), each once,
 * with the best of its paragraphs as the snippet, in that order.
 */
function pageSections(
  index: LoadedIndex,
  hit: SearchHit,
  ids: readonly number[],
  matches: Matches,
  suffixes: ReadonlyMap<string, number>,
): SearchSection[] {
  const out: SearchSection[] = [];
  const first = ids[0];
  if (first === undefined) return out;
  const seen = new Set<number>();
  const context: MatchContext = { compounds: index.compounds, suffixes };
  // Every paragraph is the page's: its document and sections are decoded once.
  const doc = index.docOf(first);
  const sections = sectionsOf(index, index.engine.paragraphDoc[first] as number);
  for (const id of ids) {
    if (out.length >= RANKING.pageSections) break;
    const n = id - doc.first;
    const section = sectionAt(sections, n);
    if (seen.has(section.index)) continue;
    seen.add(section.index);
    const terms = new Set(matches.termsOf(id));
    const headingHtml = markHtml(section.heading, matchedRanges(section.heading, terms, context, analyze(section.heading)));
    const place = {
      heading: section.heading,
      headingHtml,
      level: section.level,
      anchor: section.anchor,
      url: sectionUrl(doc, section, n),
      paragraph: n,
    };
    // The hit's own paragraph: its snippet is made already.
    if (n === hit.paragraph) {
      out.push({ ...place, snippetHtml: hit.snippetHtml, highlights: hit.highlights });
      continue;
    }
    const { text, tokens } = analysedText(index, id);
    const highlights = matchedRanges(text, terms, context, tokens);
    out.push({ ...place, snippetHtml: selectSnippet(text, highlights).html, highlights });
  }
  return out;
}

/**
 * The best `k` of `positions` once each score is multiplied by `factor(i)`, exactly as if every one had been
 * scaled, though `factor` runs only where it could matter: for the best `k` unscaled, and then for every
 * other position that, scaled by its most (`maxFactor(i)` ≥ `factor(i)` ≥ 1), could overtake the k-th of
 * those. `orderBy(score)` orders positions given their scores: by some grouping first, then by score, highest
 * first, then by a tie-break. Returns the best, and the scaled score of every position scaled.
 */
export function selectScaled(
  positions: ArrayLike<number> & Iterable<number>,
  k: number,
  score: (i: number) => number,
  orderBy: (score: (i: number) => number) => (a: number, b: number) => number,
  factor: (i: number) => number,
  maxFactor: (i: number) => number,
): { best: number[]; scaled: Map<number, number> } {
  const scaled = new Map<number, number>();
  const scaledOrder = orderBy((i) => scaled.get(i) ?? score(i));
  const leaders = selectTop(positions, k, orderBy(score));
  for (const i of leaders) scaled.set(i, score(i) * factor(i));
  const best = leaders.sort(scaledOrder);
  const kth = best[k - 1];
  // Fewer than k positions: all of them were scaled.
  if (kth === undefined) return { best, scaled };
  // Scaling more positions can only raise the k-th, so one look at each suffices. A position outside the
  // leaders ranks, unscaled, after all of them, so it can overtake the k-th only within its group and only
  // by score: those whose score, scaled by its most, falls short of the k-th's need no closer look.
  const kthScore = scaled.get(kth) as number;
  const bound = orderBy((i) => scaled.get(i) ?? score(i) * maxFactor(i));
  const contenders: number[] = [];
  for (const i of positions) {
    if (score(i) * maxFactor(i) < kthScore || scaled.has(i)) continue;
    if (bound(i, kth) < 0) contenders.push(i);
  }
  if (contenders.length === 0) return { best, scaled };
  for (const i of contenders) scaled.set(i, score(i) * factor(i));
  return { best: selectTop([...best, ...contenders], k, scaledOrder), scaled };
}

/**
 * How close the required query words stand in a paragraph's text: over every pair of them, the closest
 * occurrences' word distance d gives 1 / (1 + (d − 1) / scale); the mean over pairs, 0 for a pair with a
 * missing word. 1 when they all stand side by side.
 */
export function proximityOf(index: LoadedIndex, id: number, termWords: ReadonlyMap<string, number>, required: number): number {
  const words: number[] = [];
  for (let i = 0; i < 32; i++) if (required & (1 << i)) words.push(i);
  const n = words.length;
  if (n < 2) return 0;
  const positions = termPositions(index, analysedText(index, id));
  // Each word's positions: those of every term it matches as.
  const at: number[][] = words.map(() => []);
  for (const [term, bits] of termWords) {
    if ((bits & required) === 0) continue;
    const found = positions.get(term);
    if (!found) continue;
    for (let a = 0; a < n; a++) if (bits & (1 << (words[a] as number))) (at[a] as number[]).push(...found);
  }
  for (const list of at) list.sort((x, y) => x - y);
  const scale = RANKING.proximityScale;
  let sum = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const d = closest(at[a] as number[], at[b] as number[]);
      if (d !== Number.POSITIVE_INFINITY) sum += 1 / (1 + (Math.max(1, d) - 1) / scale);
    }
  }
  return sum / ((n * (n - 1)) / 2);
}

/** The smallest difference between an element of `a` and one of `b`, both sorted ascending (infinite if either is empty). */
function closest(a: readonly number[], b: readonly number[]): number {
  let best = Number.POSITIVE_INFINITY;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    best = Math.min(best, Math.abs(x - y));
    if (x < y) i++;
    else j++;
  }
  return best;
}

/**
 * The word positions of every term an analysed text matches as (exact form, stem, folded form, compound
 * parts and their stems), computed once per memoised text.
 */
function termPositions(index: LoadedIndex, analysed: AnalysedText): Map<string, number[]> {
  if (analysed.positions) return analysed.positions;
  const positions = new Map<string, number[]>();
  const add = (term: string, position: number) => {
    const list = positions.get(term);
    if (!list) positions.set(term, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  };
  for (const token of analysed.tokens) {
    if (token.stop) continue;
    add(token.exact, token.position);
    add(token.stem, token.position);
    add(token.folded, token.position);
    const parts = index.compounds.get(token.exact);
    if (parts) {
      for (const [word] of parts) {
        add(word, token.position);
        add(stemOf(word), token.position);
      }
    }
  }
  analysed.positions = positions;
  return positions;
}

/**
 * Whether proximity ranks a query: two or more words, at least one of them in at most
 * {@link RANKING.proximityMaxDf} paragraphs, so that few paragraphs can contain them all. When every word is
 * common, hundreds of all-words matches tie closely, and analysing enough of them to rank exactly would cost
 * milliseconds (bench:scale's p99 went from about 3 to 7 ms). Decided from the whole corpus's frequencies, so
 * that shards decide as one index would.
 */
function usesProximity({ required, df }: PassPlan): boolean {
  if (RANKING.proximityWeight <= 0 || popcount(required) < 2) return false;
  return df.some((f, i) => (required & (1 << i)) !== 0 && f <= RANKING.proximityMaxDf);
}

/**
 * The best `wanted` candidates once proximity has scaled the scores of all-words matches (writing the scaled
 * scores back); see {@link usesProximity}, {@link selectScaled} and {@link proximityOf}.
 */
function selectByProximity(
  index: LoadedIndex,
  request: SearchRequest,
  c: Candidates,
  positions: Int32Array,
  wanted: number,
  { termWords, required }: PassPlan,
): number[] {
  const weight = RANKING.proximityWeight;
  const { best, scaled } = selectScaled(
    positions,
    wanted,
    (i) => c.scores[i] as number,
    (score) => candidateOrder(index, c, request.sort, score),
    (i) => (c.full[i] === 1 ? 1 + weight * proximityOf(index, c.ids[i] as number, termWords, required) : 1),
    (i) => (c.full[i] === 1 ? 1 + weight : 1),
  );
  for (const [i, score] of scaled) c.scores[i] = score;
  return best;
}

function unreachable(): never {
  throw new RangeError("no candidates");
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
  const excludedIds = excludedParagraphs(index, parsed.excluded);
  const suffixMatches = new Map<string, number>();
  const typoPossible = needsTypoPass(parsed, request, 0);
  const first = planPass(index, parsed, request, false, suffixMatches);
  const wanted = request.offset + request.limit;
  const firstMatches = index.engine.evaluate(first.root, evaluateOptions());
  // When fewer paragraphs match every word than the page needs, the typo pass follows for certain: skip
  // ranking the first pass. Not for pages: a page covers every word with them spread over its paragraphs.
  const skipBelow = typoPossible && request.group !== "document" ? wanted : 0;
  const firstCandidates = collectCandidates(index, parsed, request, first, firstMatches, excludedIds, skipBelow);
  let ranked = firstCandidates ? rankCandidates(index, parsed, request, firstCandidates, suffixMatches, first) : null;
  if (!ranked || needsTypoPass(parsed, request, ranked.fullCount)) {
    const typo = planPass(index, parsed, request, true, suffixMatches);
    // The typo pass adds the typo variants to the first pass's matches rather than evaluating it all again.
    const matches = index.engine.extend(typoLeaves(first, typo)) ?? index.engine.evaluate(typo.root, evaluateOptions());
    ranked = rankCandidates(
      index,
      parsed,
      request,
      collectCandidates(index, parsed, request, typo, matches, excludedIds, 0) as Candidates,
      suffixMatches,
      typo,
    );
  }
  response.total = ranked.total;
  const page = ranked.top.slice(request.offset);
  response.partial = page.some((c) => !c.full);
  response.hits = page.map((_, i) => ranked.hit(request.offset + i));
  response.correction = ranked.correction;
  if (ranked.facets) response.facets = facetValues(ranked.facets, (id) => index.collectionsById.get(id)?.title);
  return response;
}
