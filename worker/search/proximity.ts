// Proximity: among all-words matches of rare words, those where the words stand close together rank higher.
import { stemOf } from "../../analyzer/index.js";
import { type Candidates, candidateOrder, popcount, selectTop } from "./candidates.js";
import { type AnalysedText, analysedText } from "./hits.js";
import type { LoadedIndex } from "./loaded-index.js";
import type { PassPlan } from "./plan.js";
import type { Ranking } from "./ranking.js";
import type { SearchRequest } from "./search-types.js";

/**
 * The best `k` of `positions` once each score is multiplied by `factor(i)`, exactly as if every one had been
 * scaled, though `factor` runs only where it could matter: for the best `k` unscaled, and then for every
 * other position that, scaled by its most (`maxFactor(i)` ≥ `factor(i)` ≥ 1), could overtake the k-th of
 * those. `orderBy(score)` orders positions given their scores: by some grouping first, then by score, highest
 * first, then by a tie-break. Returns the best, and the scaled score of every position scaled.
 */
export function selectScaled(
  positions: ArrayLike<number> & Iterable<number>,
  k: number,
  score: (i: number) => number,
  orderBy: (score: (i: number) => number) => (a: number, b: number) => number,
  factor: (i: number) => number,
  maxFactor: (i: number) => number,
): { best: number[]; scaled: Map<number, number> } {
  const scaled = new Map<number, number>();
  const scaledOrder = orderBy((i) => scaled.get(i) ?? score(i));
  const leaders = selectTop(positions, k, orderBy(score));
  for (const i of leaders) scaled.set(i, score(i) * factor(i));
  const best = leaders.sort(scaledOrder);
  const kth = best[k - 1];
  // Fewer than k positions: all of them were scaled.
  if (kth === undefined) return { best, scaled };
  // Scaling more positions can only raise the k-th, so one look at each suffices. A position outside the
  // leaders ranks, unscaled, after all of them, so it can overtake the k-th only within its group and only
  // by score: those whose score, scaled by its most, falls short of the k-th's need no closer look.
  const kthScore = scaled.get(kth) as number;
  const bound = orderBy((i) => scaled.get(i) ?? score(i) * maxFactor(i));
  const contenders: number[] = [];
  for (const i of positions) {
    if (score(i) * maxFactor(i) < kthScore || scaled.has(i)) continue;
    if (bound(i, kth) < 0) contenders.push(i);
  }
  if (contenders.length === 0) return { best, scaled };
  for (const i of contenders) scaled.set(i, score(i) * factor(i));
  return { best: selectTop([...best, ...contenders], k, scaledOrder), scaled };
}

/**
 * How close the required query words stand in a paragraph's text: over every pair of them, the closest
 * occurrences' word distance d gives 1 / (1 + (d − 1) / scale); the mean over pairs, 0 for a pair with a
 * missing word. 1 when they all stand side by side.
 */
export function proximityOf(index: LoadedIndex, id: number, termWords: ReadonlyMap<string, number>, required: number): number {
  const words: number[] = [];
  for (let i = 0; i < 32; i++) if (required & (1 << i)) words.push(i);
  const n = words.length;
  if (n < 2) return 0;
  const positions = termPositions(index, analysedText(index, id));
  // Each word's positions: those of every term it matches as.
  const at: number[][] = words.map(() => []);
  for (const [term, bits] of termWords) {
    if ((bits & required) === 0) continue;
    const found = positions.get(term);
    if (!found) continue;
    for (let a = 0; a < n; a++) if (bits & (1 << (words[a] as number))) (at[a] as number[]).push(...found);
  }
  for (const list of at) list.sort((x, y) => x - y);
  const scale = index.ranking.proximityScale;
  let sum = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const d = closest(at[a] as number[], at[b] as number[]);
      if (d !== Number.POSITIVE_INFINITY) sum += 1 / (1 + (Math.max(1, d) - 1) / scale);
    }
  }
  return sum / ((n * (n - 1)) / 2);
}

/** The smallest difference between an element of `a` and one of `b`, both sorted ascending (infinite if either is empty). */
export function closest(a: readonly number[], b: readonly number[]): number {
  let best = Number.POSITIVE_INFINITY;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    best = Math.min(best, Math.abs(x - y));
    if (x < y) i++;
    else j++;
  }
  return best;
}

/**
 * The word positions of every term an analysed text matches as (exact form, stem, folded form, compound
 * parts and their stems), computed once per memoised text.
 */
export function termPositions(index: LoadedIndex, analysed: AnalysedText): Map<string, number[]> {
  if (analysed.positions) return analysed.positions;
  const positions = new Map<string, number[]>();
  const add = (term: string, position: number) => {
    const list = positions.get(term);
    if (!list) positions.set(term, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  };
  for (const token of analysed.tokens) {
    if (token.stop) continue;
    add(token.exact, token.position);
    add(token.stem, token.position);
    add(token.folded, token.position);
    const parts = index.compounds.get(token.exact);
    if (parts) {
      for (const [word] of parts) {
        add(word, token.position);
        add(stemOf(word), token.position);
      }
    }
  }
  analysed.positions = positions;
  return positions;
}

/**
 * Whether proximity ranks a query: two or more words, at least one of them in at most
 * `ranking.proximityMaxDf` paragraphs, so that few paragraphs can contain them all. When every word is
 * common, hundreds of all-words matches tie closely, and analysing enough of them to rank exactly would cost
 * milliseconds (bench:scale's p99 went from about 3 to 7 ms). Decided from the whole corpus's frequencies, so
 * that shards decide as one index would.
 */
export function usesProximity(ranking: Ranking, { required, df }: PassPlan): boolean {
  if (ranking.proximityWeight <= 0 || popcount(required) < 2) return false;
  return df.some((f, i) => (required & (1 << i)) !== 0 && f <= ranking.proximityMaxDf);
}

/**
 * The best `wanted` candidates once proximity has scaled the scores of all-words matches (writing the scaled
 * scores back); see {@link usesProximity}, {@link selectScaled} and {@link proximityOf}.
 */
export function selectByProximity(
  index: LoadedIndex,
  request: SearchRequest,
  c: Candidates,
  positions: Int32Array,
  wanted: number,
  { termWords, required }: PassPlan,
): number[] {
  const weight = index.ranking.proximityWeight;
  const { best, scaled } = selectScaled(
    positions,
    wanted,
    (i) => c.scores[i] as number,
    (score) => candidateOrder(index, c, request.sort, score),
    (i) => (c.full[i] === 1 ? 1 + weight * proximityOf(index, c.ids[i] as number, termWords, required) : 1),
    (i) => (c.full[i] === 1 ? 1 + weight : 1),
  );
  for (const [i, score] of scaled) c.scores[i] = score;
  return best;
}
