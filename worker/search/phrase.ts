// Quoted phrases for one request: a scan of each text first, a full analysis only where the scan finds the words together, each text judged once.
import { analyze, foldGerman } from "../../analyzer/index.js";
import { IndexCache, type LoadedIndex } from "./loaded-index.js";
import { type Phrase, phraseTokens, phraseWord } from "./query.js";

/**
 * Whether a text has letters, marks or digits beyond ASCII other than "ä", "ö", "ü" and "ß" (in either case). Such a
 * text is scanned in transliteration; any other as it is (the common case in German, where the rest beyond ASCII
 * is punctuation such as „ “ – …).
 */
const BEYOND_GERMAN = /[^\u0000-\u007f\P{L}äöüßÄÖÜẞ]|\p{M}|[^\u0000-\u007f\P{N}]/u;
/** What is surely not {@link BEYOND_GERMAN}: ASCII, umlauts, ß and punctuation (a faster test first). */
const PLAIN_GERMAN = /^[\u0000-\u007fäöüßÄÖÜẞ\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2010-\u205e]*$/;

/** Apostrophes inside a word, which foldCase drops ("geht's", "geht’s", "gehtʼs"). */
const APOSTROPHE = "['’ʼ]";

/**
 * A word's folded letters as a regular expression over text (matched ignoring case): each "a", "o" or "u" also
 * as its umlaut and followed by an "e" or not ("a" is how "ä", "ae" and "a" fold), a run of "s" also with "ß"
 * (as "ss"), an apostrophe allowed between letters. It matches every spelling of plain letters and digits that
 * folds to the word, and a few more.
 */
function spellingsOf(folded: string): string {
  return folded
    .split(/(s+)/)
    .filter((part) => part !== "")
    .map((part) => {
      if (part.startsWith("s")) {
        const least = Math.ceil(part.length / 2);
        return part.length === 1 ? "s" : `[sßẞ](?:${APOSTROPHE}?[sßẞ]){${least - 1},${part.length - 1}}`;
      }
      return [...part]
        .map((ch) => {
          const umlaut = UMLAUTS.get(ch);
          return umlaut ? `[${ch}${umlaut}](?:${APOSTROPHE}?e)?` : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join(`${APOSTROPHE}?`);
    })
    .join(`${APOSTROPHE}?`);
}

const UMLAUTS = new Map([
  ["a", "ä"],
  ["o", "ö"],
  ["u", "ü"],
]);

/** The two scans of a phrase over a text (see {@link scansOf}); both ignore case. */
interface PhraseScan {
  /** Every place where the phrase starts, and some more (global: read from `lastIndex`). */
  any: RegExp;
  /** Only places where it surely starts (sticky: tried at one offset). */
  sure: RegExp;
}

/** Vowels after which "ue" keeps its "e" ("neue", "Quelle"), as foldGerman decides. */
const VOWEL_BEFORE = "aeiouyqäöü";

/**
 * A word's folded letters as exact spellings over lower-case text, without "ß" or apostrophes: "a" as "ä", as
 * "ae", or as "a" not followed by "e" (foldGerman drops an "e" after "a"), "o" alike, "u" as "ü", as "ue" or
 * "u" not followed by "e" after anything but a vowel, and as "u" after a vowel.
 */
function sureSpellingsOf(folded: string): string {
  return [...folded]
    .map((ch) => {
      if (ch === "a" || ch === "o") return `(?:${UMLAUTS.get(ch)}|${ch}e|${ch}(?!e))`;
      if (ch === "u") return `(?:ü|(?<![${VOWEL_BEFORE}])ue|(?<![${VOWEL_BEFORE}])u(?!e)|(?<=[${VOWEL_BEFORE}])u)`;
      return ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
}

/**
 * Words the scans can read: ASCII letters and digits, with "+", "." or "," only between them ("z5+1", "8,75").
 * Any other word (letters beyond ASCII, "zb" which the text may write "z. B.") is left to analysis: a scan's
 * separators must share no character with its words, or one failing match could try exponentially many splits.
 */
const SCANNABLE_WORD = /^[a-z0-9](?:[a-z0-9+.,]*[a-z0-9])?$/;

/**
 * The scans of a phrase over a text, ignoring case. `any` matches wherever the phrase starts: each word in every
 * spelling that folds to it, separated by anything but letters and digits, not inside longer words (between
 * words there are neither letters nor digits, so words adjacent in the analysis stand so in the text). It also
 * matches where the tokenizer sees something else: "z5+in der" is the one token "z5+in", "z. B." the one
 * token "zb". `sure` matches only where the phrase does start: exact spellings, and nothing next to the words
 * or between them that the tokenizer could join them with ("+", an apostrophe before a letter, "." or "," before
 * a digit, or any "." between single letters). A match of `any` that `sure` does not confirm is confirmed by
 * analysis. The character classes that meet in either pattern are disjoint (a word's letters and digits, the
 * separators' anything else), so its only choices are local (an "e" or not, an apostrophe or not, "ss" or "ß")
 * and a test takes time linear in the text. Null for a phrase that is not {@link Phrase.plain} or has a word
 * that is not {@link SCANNABLE_WORD}.
 */
function scansOf(phrase: Phrase): PhraseScan | null {
  if (!phrase.plain || !phrase.folded.every((word) => SCANNABLE_WORD.test(word))) return null;
  const any = phrase.folded.map(spellingsOf).join("[^a-z0-9äöüßẞ]+");
  const letters = phrase.folded.some((word) => word.length === 1);
  const separator = letters ? "(?:[^a-z0-9äöüßẞ+.,'’ʼ]|,(?![0-9]))+" : "(?:[^a-z0-9äöüßẞ+.,'’ʼ]|[.,](?![0-9]))+";
  const sure = phrase.folded.map(sureSpellingsOf).join(separator);
  const word = "a-z0-9äöüßẞ";
  return {
    any: new RegExp(`(?<![${word}])${any}(?![${word}])`, "gi"),
    // A single letter next to a dot may be part of an abbreviation ("z. B." is the one word "zb").
    sure: new RegExp(
      `(?<![${word}+.,'’ʼ])${letters ? String.raw`(?<!\.\s?)` : ""}${sure}(?![${word}])(?!\\+[${word}]|[.,][0-9]|['’ʼ][a-zäöüßẞ]${letters ? "|\\." : ""})`,
      "iy",
    ),
  };
}

/** Scan matches confirmed one by one in a text before it is analysed whole instead. */
const MAX_WINDOWS = 4;
/** A window longer than this (a text with few spaces) is not worth it: the text is analysed whole instead. */
const MAX_WINDOW = 400;

function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Whether the character at `i` is whitespace outside every token. Only abbreviations hold whitespace ("z. B."),
 * and only right after a dot, so any other whitespace lies between tokens: the tokenizer reads the text after it
 * as it reads the whole text.
 */
function isBoundary(text: string, i: number): boolean {
  return isSpace(text.charCodeAt(i)) && (i === 0 || text.charCodeAt(i - 1) !== 46);
}

/** Where a window around `[from, to)` starts and ends: at the nearest boundaries outside it, or the text's ends. */
function windowAround(text: string, from: number, to: number): [number, number] {
  let start = from - 1;
  while (start >= 0 && !isBoundary(text, start)) start--;
  let end = to;
  while (end < text.length && !isBoundary(text, end)) end++;
  return [start + 1, end];
}

/** Whether the phrase starts at `offset` of `text`, by analysis of a window around it. */
function startsAt(text: string, [from, to]: [number, number], offset: number, phrase: readonly string[]): boolean {
  const tokens = phraseTokens(analyze(text.slice(from, to)));
  const first = tokens.findIndex((token) => token.start === offset - from);
  if (first < 0 || first + phrase.length > tokens.length) return false;
  return phrase.every((word, j) => phraseWord(tokens[first + j] as (typeof tokens)[number]) === word);
}

/** A text's words as phrases compare them. */
function phraseWords(text: string): string[] {
  return phraseTokens(analyze(text)).map(phraseWord);
}

/** Whether `words` holds `phrase` as consecutive words. */
function containsSequence(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

const transliterations = new Map<string, string | null>();

/**
 * A character beyond German as the scans read it: the one ASCII letter it folds to ("é" as "e"), its lower case
 * when folding leaves that alone ("Ł" as "ł"), or null when it folds to anything longer ("æ" as "ae", "İ").
 */
function transliterated(ch: string): string | null {
  let known = transliterations.get(ch);
  if (known === undefined) {
    const lower = ch.toLowerCase();
    const folded = lower.length === ch.length ? foldGerman(lower) : "";
    known = folded.length === ch.length && /^[a-z]$/.test(folded) ? folded : folded === lower ? lower : null;
    if (transliterations.size >= 4096) transliterations.clear();
    transliterations.set(ch, known);
  }
  return known;
}

/**
 * A text with letters beyond German as the scans read it, each character replaced by one of the same length
 * (so offsets stay those of the text), or null when some character folds to more (then the text is analysed).
 */
function transliteratedText(text: string): string | null {
  let scannable = true;
  const out = text.replace(/[^\u0000-\u007fäöüßÄÖÜẞ]/gu, (ch) => {
    const replaced = transliterated(ch);
    if (replaced === null) scannable = false;
    return replaced ?? ch;
  });
  return scannable ? out : null;
}

/** Whether a text holds a phrase: the scan rules most texts out, the analysis decides the rest. */
export class PhraseText {
  /** Whether the text has nothing beyond German (no letters, marks or digits beyond ASCII but ä, ö, ü, ß). */
  private plain: boolean | undefined;
  /** What the scans read: the text, or its transliteration, or null when it has neither (then it is analysed). */
  private scanned: string | null | undefined;
  /** Scan matches confirmed so far. */
  private windows = 0;
  private words: string[] | undefined;

  constructor(
    private readonly text: string,
    private readonly onAnalyse: () => void = () => {},
    plain?: boolean,
  ) {
    this.plain = plain;
  }

  /** Whether the text has nothing beyond German, once a scan has asked. */
  get isPlain(): boolean | undefined {
    return this.plain;
  }

  holds(phrase: Phrase, scan: PhraseScan | null = scansOf(phrase)): boolean {
    if (scan && !this.words) {
      if (this.scanned === undefined) {
        this.plain ??= PLAIN_GERMAN.test(this.text) || !BEYOND_GERMAN.test(this.text);
        this.scanned = this.plain ? this.text : transliteratedText(this.text);
      }
      const scanned = this.scanned;
      if (scanned !== null) {
        const { any, sure } = scan;
        any.lastIndex = 0;
        let undecided = false;
        for (let match = any.exec(scanned); match; match = any.exec(scanned)) {
          const { index } = match;
          const end = index + match[0].length;
          // `sure` judges German spellings only: around a transliterated letter, the analysis decides.
          if (this.plain || !BEYOND_GERMAN.test(this.text.slice(Math.max(0, index - 2), end + 2))) {
            sure.lastIndex = index;
            if (sure.test(scanned)) return true;
          }
          const window = windowAround(this.text, index, end);
          if (this.windows >= MAX_WINDOWS || window[1] - window[0] > MAX_WINDOW) {
            undecided = true;
            break;
          }
          this.windows++;
          if (startsAt(this.text, window, index, phrase.folded)) return true;
          any.lastIndex = index + 1;
        }
        if (!undecided) return false;
      }
    }
    if (!this.words) {
      this.onAnalyse();
      this.words = phraseWords(this.text);
    }
    return containsSequence(this.words, phrase.folded);
  }
}

/** Per index: which paragraphs are plain German (1), beyond German (2) or not seen yet (0); answers never depend on it. */
const PLAINNESS = new IndexCache<Uint8Array>("plainness of paragraphs for phrase scans");

/** Per index, reused by each request's filter: verdicts stamped with the filter's generation. */
interface VerdictScratch {
  generation: number;
  stamps: Uint32Array;
  verdicts: Uint8Array;
}
const VERDICTS = new IndexCache<{ current: VerdictScratch | null }>("phrase verdicts, stamped per filter");

export class PhraseFilter {
  private readonly scans: (PhraseScan | null)[];
  /** The order in which phrases are asked. */
  private readonly order: number[];
  private readonly scratch: VerdictScratch;
  private readonly generation: number;
  private readonly plain: Uint8Array;
  /** Per document, its title and whether it holds each phrase (1 yes, 0 no, -1 not asked yet). */
  private readonly titles = new Map<number, { text: PhraseText; holds: Int8Array }>();
  /** How many texts were analysed: at most one per paragraph and title asked about (tests read it). */
  analysed = 0;
  private readonly countAnalysis = () => {
    this.analysed++;
  };

  constructor(
    private readonly index: LoadedIndex,
    private readonly phrases: readonly Phrase[],
  ) {
    this.scans = phrases.map(scansOf);
    this.order = phrases.map((_, i) => i);
    const paragraphs = index.engine.paragraphs;
    const slot = index.cached(VERDICTS, () => ({ current: null as VerdictScratch | null }));
    if (!slot.current || slot.current.generation >= 0xffffffff) {
      slot.current = { generation: 0, stamps: new Uint32Array(paragraphs), verdicts: new Uint8Array(paragraphs) };
    }
    this.scratch = slot.current;
    this.generation = ++slot.current.generation;
    this.plain = index.cached(PLAINNESS, () => new Uint8Array(paragraphs));
  }

  /** Whether paragraph `id` holds every phrase, in its text or its document's title. */
  accepts(id: number): boolean {
    const { stamps, verdicts } = this.scratch;
    if (stamps[id] === this.generation) return verdicts[id] === 1;
    const doc = this.index.engine.paragraphDoc[id] as number;
    let text: PhraseText | undefined;
    let verdict = true;
    const order = this.order;
    for (let at = 0; at < order.length && verdict; at++) {
      const i = order[at] as number;
      if (this.titleHolds(doc, i)) continue;
      if (!text) {
        const known = this.plain[id] as number;
        text = new PhraseText(this.index.paragraphText(id), this.countAnalysis, known === 0 ? undefined : known === 1);
      }
      verdict = text.holds(this.phrases[i] as Phrase, this.scans[i] ?? null);
      // The phrase that ruled a paragraph out is asked first next time: all must hold, so the order changes only
      // the work, and the phrase that fails most is soon asked first.
      if (!verdict && at > 0) [order[at - 1], order[at]] = [i, order[at - 1] as number];
    }
    if (text?.isPlain !== undefined) this.plain[id] = text.isPlain ? 1 : 2;
    stamps[id] = this.generation;
    verdicts[id] = verdict ? 1 : 0;
    return verdict;
  }

  private titleHolds(doc: number, i: number): boolean {
    let title = this.titles.get(doc);
    if (!title) {
      const text = new PhraseText(this.index.store.documents[doc]?.title ?? "", this.countAnalysis);
      title = { text, holds: new Int8Array(this.phrases.length).fill(-1) };
      this.titles.set(doc, title);
    }
    if (title.holds[i] === -1) title.holds[i] = title.text.holds(this.phrases[i] as Phrase, this.scans[i] ?? null) ? 1 : 0;
    return title.holds[i] === 1;
  }
}
