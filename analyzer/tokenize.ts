// Splits German text into tokens with offsets: words, numbers, abbreviations and hyphenated compounds.

/** A raw token before normalisation: its text and where it stands in the input. */
export interface RawToken {
  /** The token exactly as it stands in the text (for a hyphen group: the whole group). */
  text: string;
  /** Offset of the first UTF-16 code unit, into the analysed (NFC) text. */
  start: number;
  /** Offset one past the last code unit. */
  end: number;
  /** What kind of token this is. `joined` is the whole of a hyphen group such as "Goethe-Institut". */
  kind: "word" | "number" | "abbreviation" | "joined";
  /** Ordinal of the word in the text; the joined form shares its first part's position. */
  position: number;
  /** Tokens of one hyphen group share this number (it is the group's first position). */
  group: number;
}

/**
 * Abbreviations that end in a dot and would otherwise fall apart into single
 * letters ("z. B." → "z", "b"). Written with their dots; a space after an inner
 * dot is optional, as German typography uses both "z. B." and "z.B.".
 */
export const ABBREVIATIONS = [
  "z. B.",
  "d. h.",
  "u. a.",
  "u. U.",
  "v. a.",
  "z. T.",
  "o. ä.",
  "i. d. R.",
  "u. v. m.",
  "ca.",
  "bzw.",
  "usw.",
  "etc.",
  "ggf.",
  "inkl.",
  "evtl.",
  "vgl.",
  "sog.",
  "Mrd.",
  "Mio.",
  "Nr.",
  "Dr.",
  "Prof.",
  "Abs.",
  "Art.",
  "Jh.",
] as const;

function abbreviationPattern(abbreviation: string): string {
  const parts = abbreviation.split(".").filter((part) => part.trim() !== "");
  return `${parts.map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\.\\s?")}\\.`;
}

// Longest first so that "u. v. m." wins over "u. a." style prefixes.
/** The abbreviations as alternatives of a pattern, longest first (exported for the reference tokenizer of the tests). */
export const ABBREVIATION_SOURCE = [...ABBREVIATIONS]
  .sort((a, b) => b.length - a.length)
  .map(abbreviationPattern)
  .join("|");

// A segment: letters and digits, with apostrophes between letters ("geht's"),
// "." and "," between digits ("8,75", "226.000", "30.10.2024") and "+" between
// alphanumerics ("Z5+1").
export const SEGMENT = String.raw`[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|['’ʼ](?=\p{L})|(?<=\p{N})[.,](?=\p{N})|\+(?=[\p{L}\p{N}]))*`;
// Hyphen-minus, hyphen and non-breaking hyphen join compounds; dashes do not.
export const HYPHEN = "[-\u2010\u2011]";

// Words and hyphen groups. Case-insensitive only for what it does to \p{L} (U+0345 folds to a letter).
const GROUP_PATTERN = new RegExp(`${SEGMENT}(?:${HYPHEN}${SEGMENT})*`, "giu");
// An abbreviation where a word starts: tried only where a short word is followed by a dot, since an abbreviation's
// first part is the whole of the word the group pattern finds there (no letter, digit, hyphen or apostrophe in it
// can be followed by a dot inside a group).
const ABBREVIATION_AT = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${ABBREVIATION_SOURCE})(?![\p{L}\p{N}])`, "iuy");
/** The longest first part of an abbreviation, in code units ("Prof", "inkl", "evtl"). */
const ABBREVIATION_HEAD = Math.max(...ABBREVIATIONS.map((a) => (a.split(".")[0] as string).length));
const SEGMENT_PATTERN = new RegExp(SEGMENT, "gu");
const HAS_HYPHEN = new RegExp(HYPHEN);
const NUMBER = /^\p{N}+(?:[.,]\p{N}+)*$/u;

/**
 * Splits text into raw tokens in document order. Hyphen groups yield each part
 * and then the joined whole ("Goethe-Institut" → "Goethe", "Institut",
 * "Goethe-Institut"); punctuation, dashes and whitespace separate tokens.
 *
 * @example tokenize("ca. 8,75 Mrd.").map((t) => t.text) // ["ca.", "8,75", "Mrd."]
 */
export function tokenize(text: string): RawToken[] {
  const tokens: RawToken[] = [];
  let position = 0;
  const groups = GROUP_PATTERN;
  groups.lastIndex = 0;
  for (let match = groups.exec(text); match !== null; match = groups.exec(text)) {
    const start = match.index;
    let whole = match[0];
    if (whole.length <= ABBREVIATION_HEAD && text.charCodeAt(start + whole.length) === 0x2e) {
      ABBREVIATION_AT.lastIndex = start;
      const abbreviation = ABBREVIATION_AT.exec(text);
      if (abbreviation !== null) {
        whole = abbreviation[0];
        tokens.push({ text: whole, start, end: start + whole.length, kind: "abbreviation", position, group: position });
        position++;
        groups.lastIndex = start + whole.length;
        continue;
      }
    }
    position = pushGroup(tokens, whole, start, position);
  }
  return tokens;
}

/**
 * Adds the tokens of a word or hyphen group found at `start` whose first word is at `position`: the word, or each
 * part and then the joined whole ("Goethe-Institut" → "Goethe", "Institut", "Goethe-Institut"). Returns the position
 * of the next word.
 */
export function pushGroup(tokens: RawToken[], whole: string, start: number, position: number): number {
  const group = position;
  // One segment, the commonest case: no second match needed. Not with U+0345, the one character that the
  // group pattern's case-insensitive \p{L} takes (it folds to "ι") and the segment pattern does not.
  if (!HAS_HYPHEN.test(whole) && !whole.includes("\u0345")) {
    tokens.push({ text: whole, start, end: start + whole.length, kind: NUMBER.test(whole) ? "number" : "word", position, group });
    return position + 1;
  }
  let next = position;
  for (const part of whole.matchAll(SEGMENT_PATTERN)) {
    const partStart = start + part.index;
    tokens.push({
      text: part[0],
      start: partStart,
      end: partStart + part[0].length,
      kind: NUMBER.test(part[0]) ? "number" : "word",
      position: next,
      group,
    });
    next++;
  }
  if (next - position > 1) tokens.push({ text: whole, start, end: start + whole.length, kind: "joined", position: group, group });
  return next;
}
