// Completions of the last word as real corpus words, ranked by frequency and narrowed by the words before it.
import { foldCase, foldGerman } from "../../analyzer/index.js";
import { escapeHtml } from "./highlight.js";
import { IndexCache, type LoadedIndex } from "./loaded-index.js";
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

/** How many leading characters of `word` spell the typed prefix (ß may stand for "ss"; folded, ü for "ue"). */
function typedLength(word: string, prefix: string, folded: boolean): number {
  const spell = (text: string) => (folded ? foldGerman(foldCase(text)) : foldCase(text));
  const typed = folded ? foldGerman(prefix) : prefix;
  for (let n = 1; n <= word.length; n++) if (spell(word.slice(0, n)).length >= typed.length) return n;
  return word.length;
}

/** What a suggestion request asks for: the text before the last word, and the last word's exact form. */
interface SuggestInput {
  before: string;
  prefix: string;
  /** The vocabulary entries (indexes) that start with the prefix, in vocabulary order. */
  ids: number[];
  /** Whether they were found by their umlaut-free spelling ("buergerb" for "Bürgerbüro"). */
  folded: boolean;
}

/**
 * The vocabulary's keys in their umlaut-free spelling (foldGerman: "bürgerbüro" and "buergerbuero" are
 * "burgerburo"), sorted, each with its vocabulary index: made once per index, on the first prefix that only this
 * spelling completes.
 */
const FOLDED_VOCABULARY = new IndexCache<{ keys: string[]; ids: Uint32Array }>("folded vocabulary");

function foldedVocabulary(index: LoadedIndex): { keys: string[]; ids: Uint32Array } {
  return index.cached(FOLDED_VOCABULARY, () => {
    const pairs = index.vocabularyKeys.map((key, i) => [foldGerman(key), i] as const);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    return { keys: pairs.map(([key]) => key), ids: Uint32Array.from(pairs.map(([, i]) => i)) };
  });
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
  if (from < to) return { before, prefix, ids: Array.from({ length: to - from }, (_, i) => from + i), folded: false };
  // No word starts so: perhaps it is typed without umlauts or ß, as search understands it ("buergerb", "strass").
  const folded = foldedVocabulary(index);
  const [start, end] = prefixRange(folded.keys, foldGerman(prefix));
  if (start === end) return null;
  const ids = [...folded.ids.subarray(start, end)].sort((a, b) => a - b);
  return { before, prefix, ids, folded: true };
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
    const n = typedLength(text, input.prefix, input.folded);
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
