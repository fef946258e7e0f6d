// autocannon for the load benchmarks: a benchmark-only package (bench/package.json), imported by name so that
// type checks of the project do not need it installed.

export interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

export type Autocannon = (options: unknown) => Promise<AutocannonResult>;

/** Loads autocannon, or ends the process with a message saying how to install it. */
export async function loadAutocannon(script: string): Promise<Autocannon> {
  const name = "autocannon";
  try {
    return ((await import(name)) as { default: Autocannon }).default;
  } catch {
    console.error(`${script} needs the benchmark packages: npm ci --prefix bench (npm run ${script} does it).`);
    process.exit(1);
  }
}
