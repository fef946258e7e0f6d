// Completions of the last word as real corpus words, ranked by frequency and narrowed by the words before it.
import { foldCase } from "../../analyzer/index.js";
import { escapeHtml } from "./highlight.js";
import type { LoadedIndex } from "./loaded-index.js";
import { parseQuery } from "./query.js";
import { prefixRange } from "./sorted.js";

/** Most completions (the most frequent of the corpus) whose co-occurrence with earlier words is counted. */
export const SUGGEST_SCAN = 200;

export interface Suggestion {
  /** The completed word as it is usually spelled in the corpus. */
  text: string;
  /** `text` escaped, with the typed part marked. */
  html: string;
  /** The whole query with its last word completed. */
  query: string;
}

export interface SuggestResponse {
  query: string;
  suggestions: Suggestion[];
}

/** German inflectional endings, longest first (derivations such as "-ung" or "-lich" make other words). */
const INFLECTION = /^(.{4,}?)(?:ern|est|ten|ter|en|er|es|em|st|et|te|e|n|s|t)$/u;

/**
 * Which word a completion is a form of, for showing each word once: its exact form without an inflectional
 * ending (at most two), when at least four letters remain. "handele", "handeln", "handelt", "Handelns" and
 * "Handel" are one word;
 * "Beziehung" and "bezieht" are two, as are "Stadt" and "Stadium". (The German stemmer would keep the verb
 * forms apart and put "Beziehung" with "bezieht".)
 */
export function wordKey(exact: string): string {
  // Twice: a genitive -s after another ending ("Handelns", "wichtigsten").
  const once = INFLECTION.exec(exact)?.[1] ?? exact;
  return INFLECTION.exec(once)?.[1] ?? once;
}

/** How many leading characters of `word` spell the typed prefix (ß may stand for "ss"; ü for "ue" when typed so). */
function typedLength(word: string, prefix: string): number {
  const spell = (text: string) => foldCase(text);
  const exact = spell(word).startsWith(prefix);
  for (let n = 1; n <= word.length; n++) {
    const typed = exact ? spell(word.slice(0, n)) : transliterate(spell(word.slice(0, n)));
    if (typed.length >= prefix.length) return n;
  }
  return word.length;
}

/** What a suggestion request asks for: the text before the last word, and the last word's exact form. */
interface SuggestInput {
  before: string;
  prefix: string;
  /** The vocabulary entries (indexes) that start with the prefix, in vocabulary order. */
  ids: number[];
}

/** ä, ö, ü and ß as typed without them: what "buergerb" spells for "Bürgerb". */
const TRANSLITERATION = new Map([
  ["ä", "ae"],
  ["ö", "oe"],
  ["ü", "ue"],
  ["ß", "ss"],
]);

function transliterate(word: string): string {
  return word.replace(/[äöüß]/g, (ch) => TRANSLITERATION.get(ch) ?? ch);
}

/** Most vocabulary entries one ASCII-spelled prefix is compared with: a request's work stays bounded. */
const TRANSLITERATION_SCAN = 20_000;

/**
 * The vocabulary entries a prefix typed without umlauts or ß spells ("buergerb" → bürgerbüro, "hauptstrass" →
 * hauptstraße): only for a prefix holding "ae", "oe", "ue" or "ss" (any other is its own spelling), comparing the
 * entries that start with its part before the first of them, at most {@link TRANSLITERATION_SCAN}. "Buer" does not
 * find "Burgen": the entry must spell the prefix with the umlaut, not without it.
 */
function transliteratedIds(keys: readonly string[], prefix: string): number[] {
  const first = prefix.search(/ae|oe|ue|ss/);
  if (first === -1) return [];
  const literal = prefix.slice(0, first);
  const ranges: [number, number][] = [prefixRange(keys, literal)];
  // The umlaut may be the first letter itself ("oeffnungs" → öffnungs…).
  if (first === 0) ranges.push(prefixRange(keys, { a: "ä", o: "ö", u: "ü", s: "ß" }[prefix[0] as "a"] ?? ""));
  const ids: number[] = [];
  let scanned = 0;
  for (const [from, to] of ranges) {
    for (let i = from; i < to && scanned < TRANSLITERATION_SCAN; i++, scanned++) {
      const key = keys[i] ?? "";
      if (/[äöüß]/.test(key) && transliterate(key).startsWith(prefix)) ids.push(i);
    }
  }
  return ids.sort((a, b) => a - b);
}

function suggestInput(index: LoadedIndex, q: string): SuggestInput | null {
  const text = q.normalize("NFC");
  const match = /(\S+)$/u.exec(text);
  if (!match) return null;
  const lastText = match[1] ?? "";
  const before = text.slice(0, match.index);
  const prefix = foldCase(lastText.replace(/^["-]+/, "")).replace(/[^\p{L}\p{N}'+.,-]/gu, "");
  if (prefix === "") return null;
  const [from, to] = prefixRange(index.vocabularyKeys, prefix);
  const exact = Array.from({ length: to - from }, (_, i) => from + i);
  // Typed without umlauts or ß, as search understands it ("buergerb", "hauptstrass"): those words too ("fuer" →
  // "für" beside "Fuerteventura").
  const spelled = transliteratedIds(index.vocabularyKeys, prefix);
  if (spelled.length === 0) return exact.length === 0 ? null : { before, prefix, ids: exact };
  const ids = [...new Set([...exact, ...spelled])].sort((a, b) => a - b);
  return { before, prefix, ids };
}

/**
 * For each completion of the last word (a vocabulary index), in how many of this index's paragraphs it
 * occurs together with all earlier words. Empty without earlier words. Counts from the shards of a
 * corpus add up to the counts of one index of everything.
 */
export function suggestCounts(index: LoadedIndex, q: string): Map<number, number> {
  const together = new Map<number, number>();
  const input = suggestInput(index, q);
  if (!input) return together;
  const earlier = parseQuery(input.before).words;
  if (earlier.length === 0) return together;
  const matches = index.evaluator.evaluate(
    {
      combineWith: "AND",
      queries: earlier.map((w) => ({
        combineWith: "OR" as const,
        queries: [...new Set([w.exact, w.stem])].map((term) => ({ term, boost: 1 })),
      })),
    },
    { boost: { text: 1, title: 1 }, bm25: { k: 1.2, b: 0.7, d: 0.5 } },
  );
  if (matches.count === 0) return together;
  const inContext = new Set(matches.ids.subarray(0, matches.count));
  const counts = index.store.vocabulary.counts;
  // Only the most frequent completions are counted, so a one-letter last word costs no more than a longer one.
  const scan = input.ids;
  const considered =
    scan.length > SUGGEST_SCAN ? scan.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b).slice(0, SUGGEST_SCAN) : scan;
  for (const i of considered) {
    let n = 0;
    for (const p of index.engine.paragraphsWith(index.vocabularyKeys[i] ?? "", ["text", "title"])) if (inContext.has(p)) n++;
    if (n > 0) together.set(i, n);
  }
  return together;
}

/**
 * Suggestions from co-occurrence counts (see {@link suggestCounts}): completions that occur with the
 * earlier words first, by in how many paragraphs; then, to fill up, by corpus frequency. One form per word
 * ({@link wordKey}): "Handel", "handeln" and "handelt" are one suggestion, not three.
 */
export function suggestFrom(index: LoadedIndex, q: string, limit: number, together: ReadonlyMap<number, number>): SuggestResponse {
  const response: SuggestResponse = { query: q, suggestions: [] };
  const input = suggestInput(index, q);
  if (!input) return response;
  const { words, counts } = index.store.vocabulary;
  const candidates = new Set(input.ids);
  const ranked = [...together.keys()].filter((i) => candidates.has(i));
  const order = ranked.sort((a, b) => (together.get(b) ?? 0) - (together.get(a) ?? 0) || (counts[b] ?? 0) - (counts[a] ?? 0) || a - b);
  const rest: number[] = [];
  for (const i of input.ids) if (!together.has(i)) rest.push(i);
  rest.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b);
  // Distinct words: one form of each (see wordKey), the first in this order ("handelt" stands for "handeln").
  const stems = new Set<string>();
  const chosen: number[] = [];
  for (const i of [...order, ...rest]) {
    if (chosen.length >= limit) break;
    const key = wordKey(index.vocabularyKeys[i] ?? "");
    if (stems.has(key)) continue;
    stems.add(key);
    chosen.push(i);
  }
  response.suggestions = chosen.map((i) => {
    const text = words[i] ?? "";
    const n = typedLength(text, input.prefix);
    return { text, html: `<mark>${escapeHtml(text.slice(0, n))}</mark>${escapeHtml(text.slice(n))}`, query: `${input.before}${text}` };
  });
  return response;
}

/**
 * Suggests completions of the query's last word: words of the corpus that
 * start with it, in their usual spelling (never stems). With earlier words,
 * completions that occur in paragraphs matching all of them come first,
 * ranked by in how many; otherwise, and to fill up, by corpus frequency.
 */
export function suggest(index: LoadedIndex, q: string, limit: number): SuggestResponse {
  return suggestFrom(index, q, limit, suggestCounts(index, q));
}
