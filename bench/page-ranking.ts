// Page-level ranking for benchmarks whose queries judge pages: the entries an engine indexes (paragraphs, or whole
// pages), pages from a paragraph ranking, and the rank of a query's first relevant page: bench:relevance's pages and
// bench:lo-index's, whose queries may have several relevant pages.
import type { Corpus } from "../index-builder/corpus.js";
import type { BenchEntry } from "./engines.js";

/** A paragraph entry's id: its page's id, "#", and its number on the page. */
export const paragraphId = (pageId: string, n: number) => `${pageId}#${n}`;

/** The page (document) a paragraph id belongs to: the id without its "#n". */
export const pageOf = (paragraphId: string) => paragraphId.slice(0, paragraphId.lastIndexOf("#"));

/** Every paragraph of a corpus as an entry: its page's title and its text. */
export function paragraphEntries(corpus: Corpus): BenchEntry[] {
  return corpus.documents.flatMap((doc) => doc.paragraphs.map((text, n) => ({ id: paragraphId(doc.id, n), title: doc.title, text })));
}

/** Every page of a corpus as one entry: its title, and all its paragraphs as one text. */
export function pageEntries(corpus: Corpus): BenchEntry[] {
  return corpus.documents.map((doc) => ({ id: doc.id, title: doc.title, text: doc.paragraphs.join("\n\n") }));
}

/**
 * The first `pages` distinct pages of a paragraph ranking, each where its best paragraph stands: `search` is asked
 * for 50 paragraphs, then four times more until enough pages come out, the ranking ends or every paragraph is in.
 */
export function pagesFromParagraphs(
  search: (query: string, limit: number) => string[],
  query: string,
  paragraphCount: number,
  pages = 10,
): string[] {
  for (let limit = 50; ; limit *= 4) {
    const ids = search(query, limit);
    const found = [...new Set(ids.map(pageOf))].slice(0, pages);
    if (found.length >= pages || ids.length < limit || limit >= paragraphCount) return found;
  }
}

/** The position (0 first) of the first of `relevant` among the first `depth` of `ranked`, or -1 when none is there. */
export function firstRelevant(ranked: readonly string[], relevant: ReadonlySet<string>, depth = 10): number {
  const end = Math.min(depth, ranked.length);
  for (let i = 0; i < end; i++) if (relevant.has(ranked[i] as string)) return i;
  return -1;
}

/** MRR@10, success@1 and success@10 of a set of queries, from the rank of each one's first relevant page (-1: none). */
export interface PageScores {
  mrr: number;
  s1: number;
  s10: number;
  count: number;
}

export function pageScores(ranks: readonly number[]): PageScores {
  let rr = 0;
  let s1 = 0;
  let s10 = 0;
  for (const rank of ranks) {
    if (rank < 0 || rank >= 10) continue;
    rr += 1 / (rank + 1);
    s10++;
    if (rank === 0) s1++;
  }
  const n = ranks.length || 1;
  return { mrr: rr / n, s1: s1 / n, s10: s10 / n, count: ranks.length };
}
