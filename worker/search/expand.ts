// Expansions of a query word into other index terms: completions as you type and typo variants, ranked and bounded.
import type { CompactIndex } from "./engine.js";
import { prefixRange } from "./sorted.js";

/** Limits that keep the cost of a query bounded whatever a client sends. */
export const EXPANSION_LIMITS = {
  /** Completions kept per word. */
  completions: 24,
  /** Typo variants kept per word. */
  typoVariants: 12,
} as const;

/** An index term a query word expands to, and the weight of a match through it. */
export interface Expansion {
  term: string;
  weight: number;
}

/**
 * Completions of `prefix` among the index terms, most frequent first: whole words and stems used
 * throughout the corpus outrank rare long tails. Every term with the prefix is considered (a range of
 * the sorted term list; frequencies are precomputed). Weight: `weight` scaled from ½ (rarest kept) to 1
 * (most frequent) and by how much of the word was typed.
 */
export function completionsOf(
  index: CompactIndex,
  prefix: string,
  weight: number,
  limit: number = EXPANSION_LIMITS.completions,
): Expansion[] {
  const [from, to] = prefixRange(index.terms, prefix);
  // The `limit` most frequent, kept sorted by (frequency descending, term ascending = index ascending).
  const kept: number[] = [];
  const better = (a: number, b: number) =>
    (index.maxDf[a] as number) > (index.maxDf[b] as number) || (index.maxDf[a] === index.maxDf[b] && a < b);
  for (let t = from; t < to; t++) {
    if (index.terms[t] === prefix || limit <= 0) continue;
    if (kept.length === limit && !better(t, kept[limit - 1] as number)) continue;
    let at = kept.length === limit ? limit - 1 : kept.length;
    while (at > 0 && better(t, kept[at - 1] as number)) {
      kept[at] = kept[at - 1] as number;
      at--;
    }
    kept[at] = t;
  }
  const top = kept.length > 0 ? (index.maxDf[kept[0] as number] as number) || 1 : 1;
  return kept.map((t) => {
    const term = index.terms[t] as string;
    return { term, weight: weight * (0.5 + (0.5 * (index.maxDf[t] as number)) / top) * (prefix.length / term.length) };
  });
}

/**
 * Optimal string alignment distance: Levenshtein with adjacent transpositions counted as one edit
 * ("Verteidigugn" is one typo away from "Verteidigung", not two).
 */
export function typoDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let previous2: number[] = [];
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const current = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (previous2[j - 2] as number) + 1);
      current.push(value);
    }
    previous2 = previous;
    previous = current;
  }
  return previous[n] as number;
}

/**
 * Index terms within `edits` typos of `term` (optimal string alignment distance), closest and most
 * frequent first. The first letter is trusted more: a variant with another first letter must be one
 * edit closer. Weight: `weight` scaled by closeness.
 *
 * Walks the sorted term list as if it were a trie: terms that share a prefix with the one before reuse
 * its rows of the distance table, and once two consecutive rows exceed the bound, every term with that
 * prefix is skipped by binary search.
 */
export function typoVariantsOf(
  index: CompactIndex,
  term: string,
  edits: number,
  weight: number,
  limit: number = EXPANSION_LIMITS.typoVariants,
): Expansion[] {
  if (edits <= 0 || term.length === 0) return [];
  const found: { term: string; distance: number; df: number }[] = [];
  const terms = index.terms;
  const m = term.length;
  const width = m + 1;
  const maxDepth = m + edits;
  const rows = new Int32Array((maxDepth + 1) * width);
  for (let j = 0; j <= m; j++) rows[j] = j;
  // Row minima, to prune a prefix once two rows in a row exceed the bound.
  const minima = new Int32Array(maxDepth + 1);
  let previous = "";
  let valid = 0; // rows 0 … valid hold the table for previous[0 … valid)
  let t = 0;
  while (t < terms.length) {
    const candidate = terms[t] as string;
    let common = 0;
    const shared = Math.min(valid, candidate.length, previous.length);
    while (common < shared && candidate.charCodeAt(common) === previous.charCodeAt(common)) common++;
    const bound = candidate.charCodeAt(0) === term.charCodeAt(0) ? edits : edits - 1;
    let pruneAt = -1;
    let depth = common + 1;
    if (bound < 0) {
      pruneAt = 1;
    } else {
      for (; depth <= candidate.length; depth++) {
        if (depth > maxDepth) {
          pruneAt = depth;
          break;
        }
        const c = candidate.charCodeAt(depth - 1);
        const row = depth * width;
        const above = row - width;
        rows[row] = depth;
        let least = depth;
        for (let j = 1; j <= m; j++) {
          const cost = term.charCodeAt(j - 1) === c ? 0 : 1;
          let value = Math.min((rows[above + j] as number) + 1, (rows[row + j - 1] as number) + 1, (rows[above + j - 1] as number) + cost);
          if (depth > 1 && j > 1 && c === term.charCodeAt(j - 2) && candidate.charCodeAt(depth - 2) === term.charCodeAt(j - 1)) {
            value = Math.min(value, (rows[above - width + j - 2] as number) + 1);
          }
          rows[row + j] = value;
          if (value < least) least = value;
        }
        minima[depth] = least;
        if (least > bound && (depth === 1 || (minima[depth - 1] as number) > bound)) {
          pruneAt = depth;
          break;
        }
      }
    }
    previous = candidate;
    if (pruneAt > 0) {
      // No term starting with candidate[0 … pruneAt) can come within the bound.
      valid = pruneAt - 1;
      const [, end] = prefixRange(terms, candidate.slice(0, pruneAt));
      t = Math.max(end, t + 1);
      continue;
    }
    valid = candidate.length;
    const distance = rows[candidate.length * width + m] as number;
    if (distance <= bound && candidate !== term) found.push({ term: candidate, distance, df: index.maxDf[t] as number });
    t++;
  }
  found.sort((a, b) => a.distance - b.distance || b.df - a.df || (a.term < b.term ? -1 : 1));
  return found
    .slice(0, limit)
    .map(({ term: variant, distance }) => ({ term: variant, weight: weight * (1 - distance / (term.length + 1)) }));
}
