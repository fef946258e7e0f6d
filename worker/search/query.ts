// Parses what a user typed into searched words, quoted phrases and exclusions; nothing a user types is an error.
import { ABBREVIATIONS, analyze, foldCase, foldGerman, type Token } from "../../analyzer/index.js";

/** Most words searched per query; further words are reported as ignored. */
export const MAX_QUERY_WORDS = 12;
/** Most excluded words per query. */
export const MAX_EXCLUDED_WORDS = 12;

/**
 * Words that frame a question rather than say what it is about: interrogatives that are not stop words
 * ("Wann", "Wofür"), the verbs of "Wie heißt / lautet / nennt man …", "Wo befindet sich …", "Was gibt es …"
 * and "Wie viele …". Exact normalised forms (ß as "ss"). Stop words (wie, was, welche, wo) are not searched at all.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  "wer",
  "wen",
  "wem",
  "wessen",
  "wann",
  "warum",
  "weshalb",
  "weswegen",
  "wieso",
  "wozu",
  "wofür",
  "wodurch",
  "womit",
  "wovon",
  "woran",
  "worauf",
  "woraus",
  "worin",
  "worüber",
  "worum",
  "wogegen",
  "wohin",
  "woher",
  "wonach",
  "wieviel",
  "wieviele",
  "inwiefern",
  "viele",
  "vielen",
  "lautet",
  "lauten",
  "lautete",
  "lauteten",
  "heisst",
  "heissen",
  "hiess",
  "hiessen",
  "nennt",
  "nennen",
  "nannte",
  "nannten",
  "genannt",
  "befindet",
  "befinden",
  "befand",
  "befanden",
  "gibt",
  "gab",
]);

/** A term pair of the analyzer: exact normalised form and stem. */
export interface TermForms {
  exact: string;
  stem: string;
}

/** One searched word (or hyphen group, which matches as its joined form or as all of its parts). */
export interface QueryWord extends TermForms {
  /** The word as typed. */
  text: string;
  /** Offset of the word in the query string. */
  start: number;
  /** The exact form with spelling variants folded (ae/ä → a). */
  folded: string;
  /** Parts of a hyphen group that are not stop words ("Goethe-Institut" → goethe, institut). */
  parts: TermForms[];
  /** Whether this word is inside a quoted phrase. */
  inPhrase: boolean;
  /** A question word ("wann", "lautet"): searched with little weight, and a paragraph need not contain it. */
  weak: boolean;
}

/**
 * The words that abbreviations of several parts stand for ("z. B." is the word "zb"): typed without dots in a
 * phrase, they may stand in a text with them.
 */
const ABBREVIATION_WORDS: ReadonlySet<string> = new Set(
  ABBREVIATIONS.filter((abbreviation) => abbreviation.split(".").length > 2).map((abbreviation) =>
    foldGerman(foldCase(abbreviation).replace(/[.\s]/g, "")),
  ),
);

/** A quoted phrase: the umlaut-folded forms of all its words, stop words included, in order. */
export interface Phrase {
  folded: string[];
  /**
   * Whether every word is a plain word or number that a text writes as it is folded, case and umlauts aside. Only
   * such a phrase can be found by scanning texts (see worker/search/phrase.ts); one with an abbreviation, or with a
   * word a text may write as one ("zb" as "z. B."), is checked by analysis alone.
   */
  plain: boolean;
}

export interface ParsedQuery {
  words: QueryWord[];
  /** Words beyond the first {@link MAX_QUERY_WORDS}, as typed. */
  ignored: string[];
  phrases: Phrase[];
  excluded: QueryWord[];
  /** Whether the query ends inside its last word (no trailing space or quote), so that word may be completed. */
  endsInWord: boolean;
}

/** The tokens phrases compare: every token but joined hyphen groups ("Goethe-Institut" is goethe, institut). */
export function phraseTokens(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== "joined");
}

/** A token's word as phrases compare it: its exact form with umlauts folded (stop words included). */
export function phraseWord(token: Token): string {
  return foldGerman(token.exact);
}

/** The phrase of analysed tokens: their {@link phraseTokens} as {@link phraseWord}s. */
export function phraseOfTokens(tokens: readonly Token[]): Phrase {
  const words = phraseTokens(tokens);
  const folded = words.map(phraseWord);
  return { folded, plain: words.every((t, i) => t.kind !== "abbreviation" && !ABBREVIATION_WORDS.has(folded[i] as string)) };
}

// A closed quoted phrase; an exclusion ("-word" at the start or after whitespace); any other run; a stray quote.
const PARTS = /"([^"]*)"|(?<=^|\s)-([^\s"]+)|([^\s"]+)|"/gu;

function wordsOf(text: string, offset: number, inPhrase: boolean): QueryWord[] {
  const tokens = analyze(text);
  const groups = new Map<number, Token[]>();
  for (const token of tokens) {
    const group = groups.get(token.group) ?? [];
    group.push(token);
    groups.set(token.group, group);
  }
  const words: QueryWord[] = [];
  for (const group of groups.values()) {
    const joined = group.find((t) => t.kind === "joined");
    const parts = group.filter((t) => t.kind !== "joined" && !t.stop);
    const head = joined ?? group[0];
    if (!head || (!joined && head.stop) || (joined && parts.length === 0)) continue;
    words.push({
      text: head.text,
      start: offset + head.start,
      exact: head.exact,
      stem: head.stem,
      folded: head.folded,
      parts: joined ? parts.map((p) => ({ exact: p.exact, stem: p.stem })) : [],
      inPhrase,
      weak: !inPhrase && QUESTION_WORDS.has(head.exact),
    });
  }
  return words;
}

/**
 * Parses a query: words; `"quoted phrases"` (the words in this order); `-word`
 * to exclude paragraphs containing it. Stray quotes, a lone minus and
 * punctuation are text. Stop words are not searched. The input is normalised
 * to NFC first.
 */
export function parseQuery(raw: string): ParsedQuery {
  const query = raw.normalize("NFC");
  const words: QueryWord[] = [];
  const phrases: Phrase[] = [];
  const phraseKeys = new Set<string>();
  const excluded: QueryWord[] = [];
  for (const match of query.matchAll(PARTS)) {
    const [whole, phraseText, excludedText, plainText] = match;
    if (phraseText !== undefined) {
      const offset = match.index + 1;
      const phraseWords = wordsOf(phraseText, offset, true);
      // A word of an earlier phrase is searched once: the phrases check their own words in the text.
      words.push(...phraseWords.filter((word) => !words.some((w) => w.inPhrase && w.exact === word.exact && w.parts.length === 0)));
      const phrase = phraseOfTokens(analyze(phraseText));
      const { folded } = phrase;
      const key = folded.join(" ");
      // Phrases are bounded like words: one of stop words only is not searched (as stop words are not), one
      // with a word beyond the searched words is not enforced, and a repeated phrase is checked once.
      if (folded.length > 1 && phraseWords.length > 0 && words.length <= MAX_QUERY_WORDS && !phraseKeys.has(key)) {
        phraseKeys.add(key);
        phrases.push(phrase);
      }
    } else if (excludedText !== undefined) {
      excluded.push(...wordsOf(excludedText, match.index + 1, false));
    } else if (plainText !== undefined) {
      words.push(...wordsOf(plainText, match.index, false));
    } else if (whole !== '"') {
      words.push(...wordsOf(whole, match.index, false));
    }
  }
  const last = query.at(-1);
  const searched = words.slice(0, MAX_QUERY_WORDS);
  // Question words are weak only beside other searched words: alone, they are what is searched.
  if (searched.every((w) => w.weak)) for (const word of searched) word.weak = false;
  return {
    words: searched,
    ignored: words.slice(MAX_QUERY_WORDS).map((w) => w.text),
    phrases,
    excluded: excluded.slice(0, MAX_EXCLUDED_WORDS),
    endsInWord: last !== undefined && !/[\s"]/.test(last),
  };
}
