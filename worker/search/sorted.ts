// Binary search over sorted arrays: the terms, the vocabulary, the suffix index and decoded postings.

/**
 * The first index in `[from, to)` whose entry is not less than `value`: strings in code-unit order (as
 * JavaScript compares them), numbers by value. The one binary search of the worker.
 */
export function lowerBound<T extends string | number>(sorted: ArrayLike<T>, value: T, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The half-open range of entries that start with `prefix`. */
export function prefixRange(sorted: readonly string[], prefix: string): [number, number] {
  return [lowerBound(sorted, prefix), lowerBound(sorted, `${prefix}\uffff`)];
}
