// Expansions of a query word into other index terms: completions as you type and typo variants, ranked and bounded.
import type MiniSearch from "minisearch";

/** Per field, the documents (short ids) a term occurs in and how often. */
type FieldTermData = Map<number, Map<number, number>>;

/** The parts of MiniSearch's term index (a radix tree) that expansions use. */
export interface TermIndex {
  atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [FieldTermData, number]>;
}

/**
 * MiniSearch's term index. It is not public API, so this checks its shape: a MiniSearch
 * update that changes it fails loudly here (and in the tests) instead of searching wrongly.
 */
export function termIndexOf<T>(miniSearch: MiniSearch<T>): TermIndex {
  const index = (miniSearch as unknown as { _index?: Partial<TermIndex> })._index;
  if (typeof index?.atPrefix !== "function" || typeof index.fuzzyGet !== "function") {
    throw new Error("This MiniSearch version has no term index with atPrefix and fuzzyGet; pin minisearch 7.2");
  }
  return index as TermIndex;
}

/** In how many paragraphs a term occurs (the most of any field). */
function documentFrequency(data: FieldTermData): number {
  let most = 0;
  for (const docs of data.values()) most = Math.max(most, docs.size);
  return most;
}

/** Limits that keep the cost of a query bounded whatever a client sends. */
export const EXPANSION_LIMITS = {
  /** Index terms looked at for completions of one word. */
  prefixScan: 4000,
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
 * throughout the corpus outrank rare long tails. Weight: `weight` scaled from ½ (rarest kept) to 1
 * (most frequent) and by how much of the word was typed.
 */
export function completionsOf(index: TermIndex, prefix: string, weight: number, limit: number = EXPANSION_LIMITS.completions): Expansion[] {
  const found: { term: string; df: number }[] = [];
  let scanned = 0;
  for (const [term, data] of index.atPrefix(prefix)) {
    if (++scanned > EXPANSION_LIMITS.prefixScan) break;
    if (term === prefix) continue;
    found.push({ term, df: documentFrequency(data) });
  }
  found.sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1));
  const kept = found.slice(0, limit);
  const top = kept[0]?.df ?? 1;
  return kept.map(({ term, df }) => ({
    term,
    weight: weight * (0.5 + (0.5 * df) / top) * (prefix.length / term.length),
  }));
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
 * Index terms within `edits` typos of `term`, closest and most frequent first. The first letter is
 * trusted more: a variant with another first letter must be one edit closer. Weight: `weight` scaled by
 * closeness.
 */
export function typoVariantsOf(
  index: TermIndex,
  term: string,
  edits: number,
  weight: number,
  limit: number = EXPANSION_LIMITS.typoVariants,
): Expansion[] {
  if (edits <= 0) return [];
  const found: { term: string; distance: number; df: number }[] = [];
  // Levenshtein counts a transposition as two edits, so for one typo ask the radix tree for two.
  // (For two typos, a transposition still counts as two: asking for three costs too much.)
  for (const [candidate, [data]] of index.fuzzyGet(term, edits === 1 ? 2 : edits)) {
    if (candidate === term) continue;
    const distance = typoDistance(term, candidate);
    const allowed = candidate[0] === term[0] ? edits : edits - 1;
    if (distance > allowed) continue;
    found.push({ term: candidate, distance, df: documentFrequency(data) });
  }
  found.sort((a, b) => a.distance - b.distance || b.df - a.df || (a.term < b.term ? -1 : 1));
  return found
    .slice(0, limit)
    .map(({ term: variant, distance }) => ({ term: variant, weight: weight * (1 - distance / (term.length + 1)) }));
}
