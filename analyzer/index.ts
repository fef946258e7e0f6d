// The German analyzer: one pure module that turns text into terms, used by the index builder and the worker alike.
import { foldCase, foldGerman, normalizeText } from "./normalize.js";
import { stemNumber, stemWord } from "./stem.js";
import { isStopWord } from "./stopwords.js";
import { type RawToken, tokenize } from "./tokenize.js";

export { type CompoundPart, MIN_COMPOUND_LENGTH, splitCompound } from "./compound.js";
export { foldCase, foldGerman, normalizeText } from "./normalize.js";
export { isStopWord, STOP_WORDS } from "./stopwords.js";
export { ABBREVIATIONS } from "./tokenize.js";

/** Identifies this analyzer in the index manifest. */
export const ANALYZER_ID = "fundstelle-german";

/**
 * Bumped on every change that alters the terms of any text. The worker refuses
 * an index built with another version, since MiniSearch does not store its
 * tokenizer and a mismatch would silently miss.
 */
export const ANALYZER_VERSION = 4;

/** One analysed token. Offsets point into the NFC-normalised text. */
export interface Token {
  /** The token as it stands in the text. */
  text: string;
  start: number;
  end: number;
  kind: RawToken["kind"];
  /** Word ordinal in the text, for phrase matching; a joined hyphen group shares its first part's. */
  position: number;
  /** Tokens of one hyphen group share this number. */
  group: number;
  /** Exact normalised form: lower case, ß as "ss", umlauts kept. */
  exact: string;
  /** Stem: Snowball German on the umlaut-folded form; numbers in canonical form. */
  stem: string;
  /** The exact form with German spelling variants folded (ä/ae → a, ß → ss): how "führte" and "fuehrte" meet unstemmed. */
  folded: string;
  /** Whether this is a stop word (never indexed, never searched). */
  stop: boolean;
}

/**
 * Analyses text into tokens with offsets, exact forms and stems, stop words
 * flagged rather than removed so that phrases and highlights still see them.
 * The input is normalised to NFC first; pass NFC text (as the builder stores
 * it) for offsets to point into the same string.
 */
export function analyze(text: string): Token[] {
  return tokenize(normalizeText(text)).map((raw) => {
    const forms = raw.kind === "word" ? wordForms(raw.text) : formsOf(raw.text, raw.kind);
    return {
      text: raw.text,
      start: raw.start,
      end: raw.end,
      kind: raw.kind,
      position: raw.position,
      group: raw.group,
      exact: forms.exact,
      stem: forms.stem,
      folded: forms.folded,
      stop: forms.stop,
    };
  });
}

/** What a token's text normalises to: the forms of {@link Token}. */
interface Forms {
  exact: string;
  stem: string;
  folded: string;
  stop: boolean;
}

function formsOf(text: string, kind: Token["kind"]): Forms {
  const folded = foldCase(text);
  // Only abbreviations hold dots and spaces, only joined hyphen groups hyphens.
  const exact =
    kind === "abbreviation" ? folded.replace(/[.\s]/g, "") : kind === "joined" ? folded.replace(/[-\u2010\u2011]/g, "") : folded;
  return {
    exact,
    stem: kind === "number" ? stemNumber(exact) : cachedStem(exact),
    folded: kind === "number" ? exact : cachedFold(exact),
    stop: isStopWord(exact),
  };
}

/** The forms of a word as it stands in the text (memoised: a text repeats its words, and so does a corpus). */
function wordForms(text: string): Forms {
  let forms = WORD_FORMS.get(text);
  if (forms === undefined) {
    if (WORD_FORMS.size >= MEMO_LIMIT) WORD_FORMS.clear();
    forms = formsOf(text, "word");
    WORD_FORMS.set(text, forms);
  }
  return forms;
}

// Words repeat far more than they vary, and stemming is the costly step: bounded
// memos make analysing text several times cheaper. They are cleared when full, so
// the output never depends on what was analysed before.
const MEMO_LIMIT = 20_000;

function memoize(compute: (word: string) => string): (word: string) => string {
  const memo = new Map<string, string>();
  return (word) => {
    let value = memo.get(word);
    if (value === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      value = compute(word);
      memo.set(word, value);
    }
    return value;
  };
}

const cachedStem = memoize(stemWord);
const cachedFold = memoize(foldGerman);
const WORD_FORMS = new Map<string, Forms>();

/**
 * The terms a text contributes to the index: the exact form, the stem and (where it differs from
 * both) the folded spelling of every token that is not a stop word, in text order, duplicates kept
 * (term frequency counts for ranking).
 */
export function indexTerms(text: string): string[] {
  return termsOf(analyze(text));
}

/** The index terms of already analysed tokens (see {@link indexTerms}). */
export function termsOf(tokens: readonly Token[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    if (token.stop) continue;
    terms.push(token.exact);
    if (token.stem !== token.exact) terms.push(token.stem);
    if (token.folded !== token.exact && token.folded !== token.stem) terms.push(token.folded);
  }
  return terms;
}

/**
 * The terms the compounds among the tokens contribute to the `parts` field: each part's word and its stem
 * ("Handelsvolumen" → handels, handel, volumen, volum). `compounds` maps a compound's exact form to its
 * parts (word and end offset), as the builder found them.
 */
export function partTerms(tokens: readonly Token[], compounds: ReadonlyMap<string, readonly (readonly [string, number])[]>): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    if (token.stop) continue;
    const parts = compounds.get(token.exact);
    if (!parts) continue;
    for (const [word] of parts) {
      terms.push(word);
      const stem = cachedStem(word);
      if (stem !== word) terms.push(stem);
    }
  }
  return terms;
}

/** The stem of an exact word form (memoised). */
export function stemOf(exact: string): string {
  return cachedStem(exact);
}
