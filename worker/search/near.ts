// The corpus words nearest a word no page holds, for the insights report: what the editor can map it to.
import { foldCase, foldGerman } from "../../analyzer/index.js";
import { compareCodeUnits } from "../../common/order.js";
import { typoDistance } from "./expand.js";
import type { LoadedIndex } from "./loaded-index.js";
import { prefixRange } from "./sorted.js";
import { twoParts } from "./two-parts.js";

/** Most words answered for one word. */
export const NEAR_WORDS = 5;
/** Most characters of a word looked at (a longer one is no word a reader typed). */
const MAX_WORD = 40;
/** Least characters a compound's shared head and tail each need ("hunde…marke" ↔ "hundesteuermarke"). */
const MIN_PART = 4;

/**
 * A corpus word near the one asked for, and why: a typo away, a compound that holds its head and tail, or the
 * words the asked-for compound is made of ("Wohnsitz Anmeldung": both must occur).
 */
export interface NearWord {
  /** The word as the corpus usually spells it. */
  word: string;
  /** How often it occurs. */
  count: number;
  how: "typo" | "compound" | "parts";
}

/** Characters at the start of `a` and `b` that agree. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** Characters at the end of `a` and `b` that agree. */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/**
 * The corpus words nearest `word` (its exact normal form, or as typed), most frequent first within each kind:
 * words within one typo (two for words of eight letters or more) with the same first letter, then compounds that
 * begin with its first part and end with its last ("Hundemarke" → "Hundesteuermarke", "Kitagebühr" →
 * "Kitabetreuungsgebühr"), each sharing at least four letters at either end and longer than the word. One pass over
 * the vocabulary's words with the same first letter, for the report (never on a search): bounded by the vocabulary.
 */
export function nearWords(index: LoadedIndex, word: string, limit = NEAR_WORDS): NearWord[] {
  const exact = foldCase(word.slice(0, MAX_WORD));
  const folded = foldGerman(exact);
  if (folded.length < MIN_PART) return [];
  const edits = folded.length >= 8 ? 2 : 1;
  const { words, keys, counts } = index.store.vocabulary;
  const typos: NearWord[] = [];
  const compounds: NearWord[] = [];
  // Both kinds share the first letter: only the vocabulary's words with it (a contiguous range of its sorted keys).
  const [from, to] = prefixRange(keys, exact.slice(0, 1));
  for (let i = from; i < to; i++) {
    const key = foldGerman(keys[i] as string);
    if (key === folded) return [];
    const count = counts[i] ?? 0;
    if (Math.abs(key.length - folded.length) <= edits && key[0] === folded[0]) {
      if (typoDistance(key, folded) <= edits) typos.push({ word: words[i] as string, count, how: "typo" });
      continue;
    }
    if (key.length > folded.length) {
      const head = commonPrefix(key, folded);
      const tail = commonSuffix(key, folded);
      if (head >= MIN_PART && tail >= MIN_PART) compounds.push({ word: words[i] as string, count, how: "compound" });
    }
  }
  const byCount = (a: NearWord, b: NearWord) => b.count - a.count || compareCodeUnits(a.word, b.word);
  // The parts of a compound only when no whole word is near: "kinderstätten" is "Kindertagesstätten", not "Kinder".
  const parts = typos.length + compounds.length === 0 ? partsOf(index, exact) : null;
  return [...typos.sort(byCount), ...compounds.sort(byCount), ...(parts ? [parts] : [])].slice(0, limit);
}

/** The vocabulary's entry of an exact form, or -1. */
function entryOf(keys: readonly string[], exact: string): number {
  const [from, to] = prefixRange(keys, exact);
  return from < to && keys[from] === exact ? from : -1;
}

/**
 * A compound the corpus does not have, as the two corpus words it is made of ({@link twoParts}: "wohnsitzanmeldung"
 * → "Wohnsitz Anmeldung"), null when there is none. One part alone is no answer: "Steuer" is no synonym of
 * "Hundesteuer".
 */
function partsOf(index: LoadedIndex, exact: string): NearWord | null {
  const { words, keys, counts } = index.store.vocabulary;
  const parts = twoParts(exact, (part) => {
    const entry = entryOf(keys, part);
    return entry < 0 ? undefined : entry;
  });
  if (!parts) return null;
  const [first, second] = parts;
  return {
    word: `${words[first] as string} ${words[second] as string}`,
    count: Math.min(counts[first] ?? 0, counts[second] ?? 0),
    how: "parts",
  };
}
