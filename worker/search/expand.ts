// Expansions of a query word into other index terms: completions as you type and typo variants, ranked and bounded.
import type { CompactIndex } from "./compact-index.js";
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

/** The first term from `from` on that does not start with `prefix[0 … length)`, found by a galloping search. */
function pastPrefix(terms: readonly string[], from: number, prefix: string, length: number): number {
  const total = terms.length;
  let lo = from;
  let step = 1;
  while (lo + step - 1 < total && startsAlike(terms[lo + step - 1] as string, prefix, length)) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step - 1, total);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startsAlike(terms[mid] as string, prefix, length)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `a` and `b` both have at least `length` code units and agree on the first `length`. */
function startsAlike(a: string, b: string, length: number): boolean {
  if (a.length < length || b.length < length) return false;
  for (let k = 0; k < length; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  return true;
}

/**
 * Index terms within `edits` typos of `term` (optimal string alignment distance), closest and most
 * frequent first. The first letter is trusted more: a variant with another first letter must be one
 * edit closer. Weight: `weight` scaled by closeness.
 *
 * Walks the sorted term list as if it were a trie: terms that share a prefix with the one before reuse
 * its rows of the distance table, and once a row exceeds the bound (row minima never decrease, with
 * transpositions too), every term with that prefix is skipped by a galloping search. Each row computes only
 * the band of cells within the bound of the diagonal (Ukkonen's cut-off).
 */
export function typoVariantsOf(
  index: CompactIndex,
  term: string,
  edits: number,
  weight: number,
  limit: number = EXPANSION_LIMITS.typoVariants,
): Expansion[] {
  if (edits <= 0 || term.length === 0) return [];
  // Words recur across queries far more than they vary (every keystroke repeats the words before it).
  let memo = typoMemos.get(index);
  if (!memo) {
    memo = new Map();
    typoMemos.set(index, memo);
  }
  const key = `${edits} ${limit} ${term}`;
  let variants = memo.get(key);
  if (!variants) {
    if (memo.size >= TYPO_MEMO_LIMIT) memo.clear();
    variants = findTypoVariants(index, term, edits, limit);
    memo.set(key, variants);
  }
  return variants.map(({ term: variant, distance }) => ({ term: variant, weight: weight * (1 - distance / (term.length + 1)) }));
}

/**
 * Typo variants per index, by edits, limit and word: bounded, and cleared when full, so a result never
 * depends on what was asked before.
 */
const typoMemos = new WeakMap<CompactIndex, Map<string, { term: string; distance: number }[]>>();
const TYPO_MEMO_LIMIT = 4096;

function findTypoVariants(index: CompactIndex, term: string, edits: number, limit: number): { term: string; distance: number }[] {
  const found: { term: string; distance: number; df: number }[] = [];
  const terms = index.terms;
  const total = terms.length;
  const m = term.length;
  const query = new Int32Array(m);
  for (let j = 0; j < m; j++) query[j] = term.charCodeAt(j);
  const width = m + 1;
  const maxDepth = m + edits;
  const rows = new Int32Array((maxDepth + 1) * width);
  for (let j = 0; j <= m; j++) rows[j] = j;
  let previous = "";
  let valid = 0; // rows 0 … valid hold the table for previous[0 … valid)
  let t = 0;
  while (t < total) {
    const candidate = terms[t] as string;
    let common = 0;
    const shared = Math.min(valid, candidate.length, previous.length);
    while (common < shared && candidate.charCodeAt(common) === previous.charCodeAt(common)) common++;
    const bound = candidate.charCodeAt(0) === query[0] ? edits : edits - 1;
    let pruneAt = bound < 0 ? 1 : 0;
    for (let depth = common + 1; pruneAt === 0 && depth <= candidate.length; depth++) {
      if (depth > maxDepth) {
        pruneAt = depth;
        break;
      }
      const c = candidate.charCodeAt(depth - 1);
      const before = depth > 1 ? candidate.charCodeAt(depth - 2) : -1;
      const row = depth * width;
      const above = row - width;
      rows[row] = depth;
      // Only cells within `bound` of the diagonal can hold a distance within it (a cell is at least |depth − j|):
      // the rest of the row is left out, with a value beyond the bound at each side of the band for its neighbours.
      const lo = Math.max(1, depth - bound);
      const hi = Math.min(m, depth + bound);
      if (lo > 1) rows[row + lo - 1] = bound + 1;
      if (hi < m) rows[row + hi + 1] = bound + 1;
      let least = lo === 1 ? depth : bound + 1;
      for (let j = lo; j <= hi; j++) {
        const q = query[j - 1] as number;
        let value = (rows[above + j - 1] as number) + (q === c ? 0 : 1);
        const up = (rows[above + j] as number) + 1;
        if (up < value) value = up;
        const left = (rows[row + j - 1] as number) + 1;
        if (left < value) value = left;
        if (j > 1 && c === query[j - 2] && before === q) {
          const swap = (rows[above - width + j - 2] as number) + 1;
          if (swap < value) value = swap;
        }
        rows[row + j] = value;
        if (value < least) least = value;
      }
      if (least > bound) pruneAt = depth;
    }
    previous = candidate;
    if (pruneAt > 0) {
      // No term starting with candidate[0 … pruneAt) comes within the bound: skip them all.
      valid = pruneAt - 1;
      t = pastPrefix(terms, t + 1, candidate, pruneAt);
      continue;
    }
    valid = candidate.length;
    // A term more than `bound` longer or shorter is beyond it (its last row's band ends before column m).
    const distance = Math.abs(candidate.length - m) <= bound ? (rows[candidate.length * width + m] as number) : bound + 1;
    if (distance <= bound && candidate !== term) found.push({ term: candidate, distance, df: index.maxDf[t] as number });
    t++;
  }
  found.sort((a, b) => a.distance - b.distance || b.df - a.df || (a.term < b.term ? -1 : 1));
  return found.slice(0, limit).map(({ term: variant, distance }) => ({ term: variant, distance }));
}
