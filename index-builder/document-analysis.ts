// What one document contributes to the index, worked out from the document alone: the words it adds to the
// vocabulary, and per paragraph the terms of each MiniSearch field (FIELDS in common/artifact.ts). The compounds are
// the corpus's (they depend on every document's words), so the `parts` field is kept as the words that may be
// compounds and mapped to their parts when the index is assembled (term-index.ts). Plain data of numbers and strings,
// so that analysis-cache.ts can keep it by the document's content.
import { MIN_COMPOUND_LENGTH } from "../analyzer/compound.js";
import { analyze, foldCase, stemOf, type Token, termsOf } from "../analyzer/index.js";
import type { SourceDocument } from "./source.js";

/** What splitCompound (analyzer/compound.ts) splits, and so what every key of the compounds is: letters only, long enough. */
const LETTERS_ONLY = /^\p{L}+$/u;

/**
 * One document's analysis. Numbers that name a string are indexes into `words`; each "pairs" list is flat:
 * `[word, count, word, count, …]`, one pair per distinct string, in the order first seen.
 */
export interface DocumentAnalysis {
  /** Every string the rest names: terms, exact forms and spellings. */
  words: string[];
  /**
   * The document's words for the vocabulary, flat quadruples `[exact form, its stem, spelling, count]`: per exact
   * form in the order first seen, its spellings in the order first seen (title, then the sections' headings, then
   * the paragraphs, as the vocabulary counts them).
   */
  vocabulary: ArrayLike<number>;
  /** The title's index terms as pairs (term, frequency): the same for every paragraph of the document. */
  title: ArrayLike<number>;
  /** The title's possible compounds as pairs (exact form, occurrences): its part of every paragraph's `parts`. */
  titleParts: ArrayLike<number>;
  /**
   * Per paragraph, flat: the count of text term pairs and those pairs, the count of headings term pairs and those
   * pairs (only a section's first paragraph carries its headings), then the count of possible compounds of the
   * headings and the text, and those pairs.
   */
  paragraphs: ArrayLike<number>;
}

/** The lead section of a document without headings (build.ts's sectionsOf). */
const LEAD = [{ heading: "", level: 0, anchor: null, first: 0 }] as const;

/** Strings numbered in the order they are first named. */
class Words {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();

  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(word, id);
      this.list.push(word);
    }
    return id;
  }
}

/** Occurrences of strings as pairs of `words` ids and counts, in first-seen order. */
function pairsOf(strings: readonly string[], words: Words): number[] {
  const counts = new Map<string, number>();
  for (const s of strings) counts.set(s, (counts.get(s) ?? 0) + 1);
  const pairs: number[] = [];
  for (const [s, count] of counts) pairs.push(words.id(s), count);
  return pairs;
}

/** The exact forms of the tokens that may be compounds (partTerms in the analyzer looks those up in the compounds). */
function compoundCandidates(tokens: readonly Token[]): string[] {
  const candidates: string[] = [];
  for (const token of tokens) {
    if (!token.stop && token.exact.length >= MIN_COMPOUND_LENGTH && LETTERS_ONLY.test(token.exact)) candidates.push(token.exact);
  }
  return candidates;
}

/**
 * Analyses a document (as it is indexed: after the corpus's clean-ups) for its part of the index. `fields` are its
 * paragraphs' fields as build.ts's indexedFields gives them (passed in so that this module does not import build.ts).
 *
 * The `parts` field of a paragraph is MiniSearch's `partTerms(analyze(title + "\n" + headings + "\n" + text))`; here the
 * three are analysed apart and their possible compounds added up. That is the same: a line break ends every token,
 * and the one token that may hold whitespace, an abbreviation such as "z. B." spanning it, is of one-letter pieces,
 * never a compound (a compound is at least {@link MIN_COMPOUND_LENGTH} letters, letters only).
 */
export function analyseDocument(doc: SourceDocument, fields: readonly { text: string; headings: string }[]): DocumentAnalysis {
  const words = new Words();
  const vocabulary = new Map<string, Map<string, number>>();
  const countWords = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      // As build.ts's VocabularyCounter: single words whose exact form is their folded spelling.
      if (token.stop || token.kind === "number" || token.kind === "joined" || token.exact.length < 2) continue;
      if (foldCase(token.text) !== token.exact) continue;
      let spellings = vocabulary.get(token.exact);
      if (!spellings) {
        spellings = new Map();
        vocabulary.set(token.exact, spellings);
      }
      spellings.set(token.text, (spellings.get(token.text) ?? 0) + 1);
    }
  };
  const titleTokens = analyze(doc.title);
  countWords(titleTokens);
  for (const section of doc.sections.length > 0 ? doc.sections : LEAD) if (section.heading !== "") countWords(analyze(section.heading));
  const paragraphs: number[] = [];
  const push = (pairs: number[]) => {
    paragraphs.push(pairs.length / 2);
    for (const n of pairs) paragraphs.push(n);
  };
  for (const { text, headings } of fields) {
    const textTokens = analyze(text);
    countWords(textTokens);
    push(pairsOf(termsOf(textTokens), words));
    const headingTokens = headings === "" ? [] : analyze(headings);
    push(pairsOf(termsOf(headingTokens), words));
    push(pairsOf([...compoundCandidates(headingTokens), ...compoundCandidates(textTokens)], words));
  }
  const vocabularyQuadruples: number[] = [];
  for (const [exact, spellings] of vocabulary) {
    const stem = words.id(stemOf(exact));
    for (const [spelling, count] of spellings) vocabularyQuadruples.push(words.id(exact), stem, words.id(spelling), count);
  }
  return {
    words: words.list,
    vocabulary: vocabularyQuadruples,
    title: pairsOf(termsOf(titleTokens), words),
    titleParts: pairsOf(compoundCandidates(titleTokens), words),
    paragraphs,
  };
}

/**
 * Whether `analysis` is whole and consistent for a document of `paragraphCount` paragraphs: every number a
 * non-negative whole number, every word id in range, every count at least 1, the paragraphs' lists exactly filling
 * theirs. A cached analysis that is not is analysed again.
 */
export function isConsistentAnalysis(analysis: DocumentAnalysis, paragraphCount: number): boolean {
  const n = analysis.words.length;
  const isId = (x: number | undefined) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x < n;
  const isCount = (x: number | undefined) => typeof x === "number" && Number.isInteger(x) && x >= 1;
  const pairsFrom = (list: ArrayLike<number>, from: number, pairs: number): boolean => {
    for (let i = from; i < from + 2 * pairs; i += 2) if (!isId(list[i]) || !isCount(list[i + 1])) return false;
    return true;
  };
  const { vocabulary, title, titleParts, paragraphs } = analysis;
  if (vocabulary.length % 4 !== 0 || title.length % 2 !== 0 || titleParts.length % 2 !== 0) return false;
  for (let i = 0; i < vocabulary.length; i += 4) {
    if (!isId(vocabulary[i]) || !isId(vocabulary[i + 1]) || !isId(vocabulary[i + 2]) || !isCount(vocabulary[i + 3])) return false;
  }
  if (!pairsFrom(title, 0, title.length / 2) || !pairsFrom(titleParts, 0, titleParts.length / 2)) return false;
  let at = 0;
  for (let p = 0; p < paragraphCount; p++) {
    for (let list = 0; list < 3; list++) {
      const pairs = paragraphs[at];
      if (typeof pairs !== "number" || !Number.isInteger(pairs) || pairs < 0 || at + 1 + 2 * pairs > paragraphs.length) return false;
      if (!pairsFrom(paragraphs, at + 1, pairs)) return false;
      at += 1 + 2 * pairs;
    }
  }
  return at === paragraphs.length;
}
