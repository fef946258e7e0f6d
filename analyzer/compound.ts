// Compound splitting (decompounding): "Handelsvolumen" → handel + volumen, with linking elements and offsets.

/** One part of a compound: the dictionary word it is, and where it stands in the compound's exact form. */
export interface CompoundPart {
  /** The part as a dictionary word, in exact normalised form ("hochschule" in "hochschulzusammenarbeit"). */
  word: string;
  /** Offset of the part in the compound's exact form. */
  start: number;
  /** Offset after the part and its linking element ("handels" ends after the s). */
  end: number;
}

/**
 * German linking elements (Fugenelemente) that may follow a part: Handel-s-volumen, Sonne-n-schein,
 * Kind-er-garten. A trailing "e" of the dictionary word may also be dropped: Hochschul(e)-zusammenarbeit.
 */
const LINKS = ["", "s", "es", "n", "en", "e", "er", "ens"] as const;

/** Shortest part; shorter fragments ("e" from "Sporthalle") are never parts. */
export const MIN_PART_LENGTH = 3;
/** Shortest head (last part): "Amt" would be 3, but short heads are where false splits come from. */
export const MIN_HEAD_LENGTH = 4;
/** Shortest word worth splitting. */
export const MIN_COMPOUND_LENGTH = 7;

interface Split {
  parts: CompoundPart[];
  /** Sum of squared part lengths: prefers few, long parts over many short ones. */
  weight: number;
}

/**
 * Splits an exact normalised word into dictionary words, or returns null when
 * it is not a compound of known words. Every part must be a word for which
 * `isWord` is true (no junk fragments); linking elements belong to the part
 * before them. Among possible splits, the one with the fewest parts wins, then
 * the one with the longest parts. The last part (the head) takes no linking
 * element.
 *
 * @example splitCompound("handelsvolumen", (w) => ["handel", "volumen"].includes(w))
 * // [{ word: "handel", start: 0, end: 7 }, { word: "volumen", start: 7, end: 14 }]
 */
export function splitCompound(word: string, isWord: (candidate: string) => boolean): CompoundPart[] | null {
  if (word.length < MIN_COMPOUND_LENGTH || !/^\p{L}+$/u.test(word)) return null;
  const memo = new Map<number, Split | null>();
  const best = (from: number): Split | null => {
    const cached = memo.get(from);
    if (cached !== undefined) return cached;
    let result: Split | null = null;
    const consider = (split: Split) => {
      if (
        !result ||
        split.parts.length < result.parts.length ||
        (split.parts.length === result.parts.length && split.weight > result.weight)
      )
        result = split;
    };
    // The rest as one word (the head).
    if (from > 0 && word.length - from >= MIN_HEAD_LENGTH && isWord(word.slice(from))) {
      const length = word.length - from;
      consider({ parts: [{ word: word.slice(from), start: from, end: word.length }], weight: length * length });
    }
    // A part, an optional linking element, then the rest split further.
    for (let end = from + MIN_PART_LENGTH; end <= word.length - MIN_PART_LENGTH; end++) {
      const stem = word.slice(from, end);
      const asWord = isWord(stem) ? stem : isWord(`${stem}e`) ? `${stem}e` : null;
      if (asWord === null) continue;
      // A dropped "e" takes no linking element as well ("Studi(e)-er-enden" is no compound).
      for (const link of asWord === stem ? LINKS : [""]) {
        const next = end + link.length;
        if (link !== "" && word.slice(end, next) !== link) continue;
        if (word.length - next < MIN_HEAD_LENGTH) continue;
        const rest = best(next);
        if (!rest) continue;
        consider({ parts: [{ word: asWord, start: from, end: next }, ...rest.parts], weight: stem.length * stem.length + rest.weight });
      }
    }
    memo.set(from, result);
    return result;
  };
  const split = best(0);
  return split && split.parts.length >= 2 ? split.parts : null;
}
