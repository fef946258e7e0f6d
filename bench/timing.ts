// In-process timing for the benchmarks: loads and queries, in rounds, on the clock of this (often shared) machine.
import { median } from "./stats.js";

/** The median time of `times` calls of `load`, in milliseconds. */
export function timeLoads(load: () => unknown, times = 3): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    load();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

/**
 * Runs `warmUp` once (so the JIT has compiled the search code), then every query of `queries` in `rounds`
 * rounds, all queries in each round; returns each query's times in milliseconds, one per round in order. The
 * first round is the first time each query is seen; later rounds find the search's memos warm.
 */
export function timeRounds(run: (q: string) => unknown, queries: readonly string[], rounds: number, warmUp: readonly string[]): number[][] {
  for (const q of warmUp) run(q);
  const samples = queries.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    queries.forEach((q, i) => {
      const t = performance.now();
      run(q);
      samples[i]?.push(performance.now() - t);
    });
  }
  return samples;
}
