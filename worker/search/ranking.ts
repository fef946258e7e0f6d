// The ranking's weights, in one place: exact forms weigh 1, everything else relative to that.
/** Ranking weights. Exact forms weigh 1; everything else is relative to that. */
const WEIGHTS = {
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

type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };

/** A set of ranking weights, as an index searches with them (see LoadedIndex.ranking). */
export type Ranking = DeepReadonly<typeof WEIGHTS>;

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner !== null && typeof inner === "object") deepFreeze(inner);
  return Object.freeze(value);
}

/** The weights every index searches with unless it is given others: frozen, so nothing changes them by accident. */
export const RANKING: Ranking = deepFreeze(structuredClone(WEIGHTS));

/** `base` with some weights changed, frozen (for experiments: `withRanking` in loaded-index.ts, the sweeps). */
export function rankingWith(change: { [K in keyof Ranking]?: Ranking[K] }, base: Ranking = RANKING): Ranking {
  return deepFreeze({ ...structuredClone(base as typeof WEIGHTS), ...structuredClone(change as Partial<typeof WEIGHTS>) });
}
