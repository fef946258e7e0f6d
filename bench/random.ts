// Deterministic pseudo-random numbers for the benchmarks, so every run sends the same requests.

/**
 * mulberry32: a 32-bit generator with a full period of 2^32, in integer arithmetic (Math.imul), so it does not
 * fall into the short cycles that a linear congruential generator computed in floating point falls into.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
