// Plans a pass of a search: which terms each query word stands for (forms, parts, completions, typos), weighted.
import { foldGerman, stemOf } from "../../analyzer/index.js";
import { completionsOf, type Expansion, typoVariantsOf } from "./expand.js";
import { IndexCache, type LoadedIndex } from "./loaded-index.js";
import type { ParsedQuery, QueryWord, TermForms } from "./query.js";
import type { QueryNode, QueryTerm } from "./query-tree.js";
import type { Ranking } from "./ranking.js";
import type { HiddenResult, SearchRequest } from "./search-types.js";
import { lowerBound } from "./sorted.js";
import { twoParts } from "./two-parts.js";

/** Most edits the `auto` typo tolerance allows for a word: none up to 3 letters, one up to 7, two from 8. */
export function autoEdits(word: string): number {
  const length = [...word].length;
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

export function editsFor(word: string, fuzzy: SearchRequest["fuzzy"]): number {
  const auto = autoEdits(word);
  return fuzzy === "auto" ? auto : Math.min(fuzzy, auto);
}

export const unique = (terms: string[]) => [...new Set(terms)];

/**
 * The weighted terms of one word: its exact form and stem, the longer words it ends, synonyms of one word,
 * and expansions (completions as you type, typo variants).
 */
export function wordWeights(
  ranking: Ranking,
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
  for (const term of suffixes) weights.set(term, Math.max(weights.get(term) ?? 0, ranking.suffixWeight));
  const core = new Map<string, number>();
  const add = (term: string, weight: number) => core.set(term, (core.get(term) ?? 0) + weight);
  add(word.stem, ranking.stemWeight);
  if (word.folded === word.exact) {
    add(word.exact, ranking.exactWeight);
  } else {
    add(word.exact, ranking.exactWeight * (1 - ranking.foldedShare));
    add(word.folded, ranking.exactWeight * ranking.foldedShare);
  }
  for (const [term, weight] of core) weights.set(term, weight);
  for (const term of inflections) weights.set(term, Math.max(weights.get(term) ?? 0, ranking.stemWeight));
  for (const [term] of synonyms.filter((synonym) => synonym.length === 1)) {
    for (const t of unique([term ?? "", stemOf(term ?? "")])) weights.set(t, Math.max(weights.get(t) ?? 0, ranking.synonymWeight));
  }
  return weights;
}

/** The query tree of one word: its weighted terms OR-ed, or all parts of a compound, or a multi-word synonym. */
export function wordQuery(
  ranking: Ranking,
  weights: ReadonlyMap<string, number>,
  parts: TermForms[],
  synonyms: readonly (readonly string[])[],
): QueryNode {
  const leaves = (terms: string[], boost: number): QueryNode => ({ combineWith: "OR", queries: terms.map((term) => ({ term, boost })) });
  const alternatives: QueryNode[] = [{ combineWith: "OR", queries: [...weights].map(([term, boost]) => ({ term, boost })) }];
  for (const synonym of synonyms.filter((s) => s.length > 1)) {
    alternatives.push({
      combineWith: "AND",
      queries: synonym.map((term) => leaves(unique([term, stemOf(term)]), ranking.synonymWeight)),
    });
  }
  if (parts.length > 1) {
    alternatives.push({
      combineWith: "AND",
      queries: parts.map((part) => leaves(unique([part.exact, part.stem]), ranking.partsWeight)),
    });
  }
  return { combineWith: "OR", queries: alternatives };
}

/** Every leaf of a query tree. */
export function* leavesOf(node: QueryNode): Generator<QueryTerm> {
  if ("term" in node) yield node;
  else for (const child of node.queries) yield* leavesOf(child);
}

export function termsOfWord(word: QueryWord): string[] {
  return unique([word.exact, word.stem, word.folded, ...word.parts.flatMap((p) => [p.exact, p.stem])]);
}

/**
 * Weight of the completions of a word typed so far. A word that is already a word of the corpus was
 * probably typed in full, so its completions count much less than those of a fragment ("Norman" against
 * "Norma").
 */
export function completionWeight(index: LoadedIndex, word: QueryWord): number {
  const weight = index.ranking.prefixWeight * (index.ranking.exactWeight + index.ranking.stemWeight);
  return isCorpusWord(index, word.exact) ? weight * index.ranking.completedWordFactor : weight;
}

/**
 * Weight of a word's typo variants. A word the index knows in none of its forms (exact, folded, stem, nor as
 * the end of longer words) must be misspelt: its variants are all it can match, so they count more than
 * those of a known word, which was probably meant as typed.
 */
export function typoWeight(ranking: Ranking, known: boolean): number {
  const weight = ranking.fuzzyWeight * (ranking.exactWeight + ranking.stemWeight);
  return known ? weight : weight * ranking.unknownWordTypoFactor;
}

/** Where an exact form stands in the sorted vocabulary (binary search), or -1 when it is no word of the corpus. */
export function vocabularyIndexOf(index: LoadedIndex, term: string): number {
  const at = lowerBound(index.vocabularyKeys, term);
  return index.vocabularyKeys[at] === term ? at : -1;
}

/** Whether an exact form is a word of the corpus. */
export function isCorpusWord(index: LoadedIndex, term: string): boolean {
  return vocabularyIndexOf(index, term) >= 0;
}

/**
 * The corpus's form of a word with or without a final "s" that the stemmer leaves alone: genitives and
 * plurals of names and loanwords ("Warschaus" → "Warschau", "Tesla" → "Teslas", "Autos" → "Auto"). Only
 * when the shorter form has at least 4 letters and the other form is a word of the corpus with another stem.
 */
export function sInflections(index: LoadedIndex, word: QueryWord): string[] {
  const exact = word.exact;
  const other = exact.endsWith("s") ? exact.slice(0, -1) : `${exact}s`;
  if ([...other].length < 4 + (other.endsWith("s") ? 1 : 0) || !/\p{L}$/u.test(exact)) return [];
  if (!isCorpusWord(index, other)) return [];
  const stem = stemOf(other);
  if (stem === word.stem) return [];
  return unique([other, stem]);
}

/**
 * The parts a query word matches as: those of its hyphen group, else those of the corpus's compound it is, else,
 * for a word the index does not know at all, the two index terms it is made of ({@link unknownCompoundParts}).
 */
export function partsOf(index: LoadedIndex, word: QueryWord): TermForms[] {
  if (word.parts.length > 1) return word.parts;
  const { compounds } = index;
  let parts = compounds.get(word.exact);
  if (!parts && word.folded !== word.exact) parts = compounds.get(foldedCompounds(index).get(word.folded) ?? "");
  if (parts) return parts.map(([part]) => ({ exact: part, stem: stemOf(part) }));
  const engine = index.engine;
  if (word.inPhrase || [word.exact, word.folded, word.stem].some((term) => engine.termId(term) >= 0)) return [];
  return unknownCompoundParts(index, word.exact);
}

/** Most letters of a query word tried as a compound (each cut costs two term lookups). */
const MAX_QUERY_COMPOUND = 40;

/**
 * A compound no page holds, as the two index terms it is made of ({@link twoParts}): "Hundemarke" → hunde, marke,
 * which a page's "Hundesteuermarke" holds as parts; "Sperrmüllabholung" → sperrmüll, abholung. Each part is a term
 * of the index (a word, a stem, or a part of the corpus's compounds). None when there is no such cut: a typo rarely
 * splits into two words of the corpus.
 */
export function unknownCompoundParts(index: LoadedIndex, exact: string): TermForms[] {
  if (exact.length > MAX_QUERY_COMPOUND || !/^\p{L}+$/u.test(exact)) return [];
  const known = (term: string): TermForms | undefined => {
    const stem = stemOf(term);
    return index.engine.termId(term) >= 0 || index.engine.termId(stem) >= 0 ? { exact: term, stem } : undefined;
  };
  return twoParts(exact, known) ?? [];
}

const FOLDED_COMPOUNDS = new IndexCache<Map<string, string>>("compounds by folded spelling");

/**
 * The corpus's compounds by folded spelling, so that a compound typed with ae/oe/ue/ss ("Komplexitaetsklassen")
 * splits as its corpus spelling does. Built on first use.
 */
export function foldedCompounds(index: LoadedIndex): Map<string, string> {
  return index.cached(FOLDED_COMPOUNDS, () => {
    const map = new Map<string, string>();
    for (const exact of index.compounds.keys()) {
      const folded = foldGerman(exact);
      if (folded !== exact && !map.has(folded)) map.set(folded, exact);
    }
    return map;
  });
}

/**
 * Stems of longer corpus words that end with the word's stem (compound heads): "anatoli" → "ostanatoli".
 * At most `ranking.maxSuffixes`; the longer word must have at least 3 more letters.
 */
export function suffixStems(index: LoadedIndex, stem: string): string[] {
  if (stem.length < 5) return [];
  const reversed = [...stem].reverse().join("");
  const list = index.store.suffixes;
  const found: string[] = [];
  for (let i = lowerBound(list, reversed); i < list.length && found.length < index.ranking.maxSuffixes; i++) {
    const entry = list[i] as string;
    if (!entry.startsWith(reversed)) break;
    if (entry.length >= reversed.length + 3) found.push([...entry].reverse().join(""));
  }
  return found;
}

/** One pass's query: its tree, the weighted terms of each word's main OR, and which words each term stands for. */
export interface PassPlan {
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

/** Field boosts and BM25 parameters of the main query, from `ranking`. */
export function evaluateOptions(ranking: Ranking) {
  return {
    boost: { title: ranking.titleBoost, text: 1, parts: ranking.partsBoost, headings: ranking.headingBoost },
    bm25: ranking.bm25,
  };
}

/** Plans one pass: every word OR-ed, with typo variants in the typo pass. */
export function planPass(
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
        ? typoVariantsOf(engine, word.exact, editsFor(word.exact, request.fuzzy), typoWeight(index.ranking, known))
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
    const wordTerms = wordWeights(index.ranking, word, suffixes, expansions, synonyms, inflections);
    if (typos.length > 0) {
      const own = new Set([
        ...wordWeights(index.ranking, word, suffixes, completions, synonyms, inflections).keys(),
        ...parts.flatMap((p) => [p.exact, p.stem]),
      ]);
      corrections.push({ typos: new Map(typos.filter(({ term }) => !own.has(term)).map(({ term, weight }) => [term, weight])), own });
    } else {
      corrections.push({ typos: new Map(), own: new Set() });
    }
    if (word.weak) for (const [term, weight] of wordTerms) wordTerms.set(term, weight * index.ranking.questionWordWeight);
    weights.push(wordTerms);
    return wordQuery(index.ranking, wordTerms, parts, synonyms);
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
export function typoLeaves(first: PassPlan, typo: PassPlan): QueryTerm[] {
  const leaves: QueryTerm[] = [];
  typo.weights.forEach((weights, i) => {
    for (const [term, weight] of weights) {
      const extra = weight - (first.weights[i]?.get(term) ?? 0);
      if (extra > 0) leaves.push({ term, boost: extra, mask: typo.termWords.get(term) ?? 0 });
    }
  });
  return leaves;
}

export function excludedParagraphs(index: LoadedIndex, excluded: readonly QueryWord[], hidden: readonly HiddenResult[] = []): Set<number> {
  const ids = new Set<number>();
  if (excluded.length > 0) {
    const matches = index.evaluator.evaluate(
      { combineWith: "OR", queries: excluded.flatMap((word) => termsOfWord(word).map((term) => ({ term, boost: 1 }))) },
      { boost: { text: 1 }, bm25: index.ranking.bm25 },
    );
    for (const id of matches.ids.subarray(0, matches.count)) ids.add(id);
  }
  for (const { doc: docId, paragraph } of hidden) {
    const d = index.documentsById.get(docId);
    const doc = d === undefined ? undefined : index.store.documents[d];
    if (doc === undefined) continue;
    if (paragraph === undefined) for (let n = 0; n < doc.count; n++) ids.add(doc.first + n);
    else if (paragraph >= 0 && paragraph < doc.count) ids.add(doc.first + paragraph);
  }
  return ids;
}
