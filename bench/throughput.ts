// Requests per second and latency of several targets under autocannon, in alternating rounds, so that a neighbour's
// burst on this shared machine falls on all of them alike (bench:scale, bench:shards).
import type { Autocannon, AutocannonResult } from "./autocannon.js";
import { median } from "./stats.js";

/** One target: a name and the autocannon options of a round (called anew for every round, numbered from 0). */
export interface Target {
  name: string;
  options: (round: number) => Record<string, unknown>;
}

/** The medians over rounds of one target's requests per second and latency (ms), with all rounds' failures. */
export interface ThroughputSummary {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/** Runs `rounds` rounds, each of one autocannon run per target in order, `seconds` long with `connections`. */
export async function alternateRounds(
  autocannon: Autocannon,
  targets: readonly Target[],
  rounds: number,
  seconds: number,
  connections: number,
): Promise<Map<string, ThroughputSummary>> {
  const runs = new Map<string, AutocannonResult[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      runs.get(target.name)?.push(await autocannon({ ...target.options(round), connections, duration: seconds }));
    }
  }
  return new Map(
    [...runs].map(([name, results]) => [
      name,
      {
        rps: median(results.map((r) => r.requests.average)),
        p50: median(results.map((r) => r.latency.p50)),
        p99: median(results.map((r) => r.latency.p99)),
        requests: results.reduce((sum, r) => sum + r.requests.total, 0),
        errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
        non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
      },
    ]),
  );
}

/** Autocannon options that send each request to the path `nextPath()` gives at that moment. */
export function pathTarget(origin: string, nextPath: () => string): Record<string, unknown> {
  return { url: origin, requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: nextPath() }) }] };
}
