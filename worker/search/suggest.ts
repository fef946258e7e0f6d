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

/** How many leading characters of `word` spell the typed prefix (ß may stand for "ss"). */
function typedLength(word: string, prefix: string): number {
  for (let n = 1; n <= word.length; n++) if (foldCase(word.slice(0, n)).length >= prefix.length) return n;
  return word.length;
}

/**
 * Suggests completions of the query's last word: words of the corpus that
 * start with it, in their usual spelling (never stems). With earlier words,
 * completions that occur in paragraphs matching all of them come first,
 * ranked by in how many; otherwise, and to fill up, by corpus frequency.
 */
export function suggest(index: LoadedIndex, q: string, limit: number): SuggestResponse {
  const response: SuggestResponse = { query: q, suggestions: [] };
  const text = q.normalize("NFC");
  const match = /(\S+)$/u.exec(text);
  if (!match) return response;
  const lastText = match[1] ?? "";
  const before = text.slice(0, match.index);
  const prefix = foldCase(lastText.replace(/^["-]+/, "")).replace(/[^\p{L}\p{N}'+.,-]/gu, "");
  if (prefix === "") return response;

  const keys = index.vocabularyKeys;
  const { words, counts } = index.store.vocabulary;
  const [from, to] = prefixRange(keys, prefix);
  if (from === to) return response;

  const ranked = new Map<number, number>();
  const earlier = parseQuery(before).words;
  if (earlier.length > 0) {
    const fields = ["text", "title"] as const;
    const matches = index.engine.evaluate(
      {
        combineWith: "AND",
        queries: earlier.map((w) => ({
          combineWith: "OR" as const,
          queries: [...new Set([w.exact, w.stem])].map((term) => ({ term, boost: 1 })),
        })),
      },
      { boost: { text: 1, title: 1 }, bm25: { k: 1.2, b: 0.7, d: 0.5 } },
    );
    if (matches.count > 0) {
      const inContext = new Set(matches.ids.subarray(0, matches.count));
      // Only the most frequent completions are counted, so a one-letter last word costs no more than a longer one.
      const scan: number[] = [];
      for (let i = from; i < to; i++) scan.push(i);
      const considered =
        scan.length > SUGGEST_SCAN ? scan.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b).slice(0, SUGGEST_SCAN) : scan;
      for (const i of considered) {
        let together = 0;
        for (const p of index.engine.paragraphsWith(keys[i] ?? "", fields)) if (inContext.has(p)) together++;
        if (together > 0) ranked.set(i, together);
      }
    }
  }
  const order = [...ranked.keys()].sort(
    (a, b) => (ranked.get(b) ?? 0) - (ranked.get(a) ?? 0) || (counts[b] ?? 0) - (counts[a] ?? 0) || a - b,
  );
  if (order.length < limit) {
    const rest: number[] = [];
    for (let i = from; i < to; i++) if (!ranked.has(i)) rest.push(i);
    rest.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a - b);
    order.push(...rest.slice(0, limit - order.length));
  }
  response.suggestions = order.slice(0, limit).map((i) => {
    const text = words[i] ?? "";
    const n = typedLength(text, prefix);
    return { text, html: `<mark>${escapeHtml(text.slice(0, n))}</mark>${escapeHtml(text.slice(n))}`, query: `${before}${text}` };
  });
  return response;
}
