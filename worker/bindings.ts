// The Worker's bindings as the app reads them. Written here rather than taken from the generated global `Env`,
// so that the app's type (and with it the typed client in worker/client.ts) compiles in a project that has no
// Workers types. worker/index.ts checks at compile time that wrangler.toml's `Env` still fits this shape.

/** The rate limiter binding (`[[ratelimits]]` in wrangler.toml), as much of it as the app calls. */
export interface RateLimiterBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A prepared D1 statement, as much of it as insights use. */
export interface InsightsStatement {
  bind(...values: unknown[]): InsightsStatement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
  run(): Promise<unknown>;
}

/** The D1 database of search insights (`[[d1_databases]]` binding INSIGHTS_DB), as much of it as insights use. */
export interface InsightsDatabase {
  prepare(query: string): InsightsStatement;
  batch(statements: InsightsStatement[]): Promise<unknown[]>;
}

/**
 * Bindings from wrangler.toml. The `[vars]`: CORS_ORIGINS, comma-separated origins or "*" (default);
 * CACHE_MAX_AGE, seconds browsers and the edge may cache GET answers (default 300); LOG_QUERIES, "true" to log
 * each query's text and hit count (off by default, for GDPR; client addresses are never logged); and the
 * RATE_LIMITER binding (requests per client address, keyed by CF-Connecting-IP). Each may be missing.
 */
export interface Bindings {
  RATE_LIMITER: RateLimiterBinding;
  CORS_ORIGINS: string;
  CACHE_MAX_AGE: string;
  LOG_QUERIES: string;
  /**
   * Search insights (worker/insights/): on only with INSIGHTS = "true" and the INSIGHTS_DB binding; the report
   * needs the INSIGHTS_TOKEN secret. INSIGHTS_MIN_COUNT (k, default 5) and INSIGHTS_RETENTION_DAYS (default 90).
   */
  INSIGHTS: string;
  INSIGHTS_MIN_COUNT: string;
  INSIGHTS_RETENTION_DAYS: string;
  /** Least milliseconds between two writes of insights from one isolate (default 1000; "0" writes at once). */
  INSIGHTS_FLUSH_MS?: string;
  /** The most new rows one isolate writes in a UTC day (default 10,000); more are dropped and counted in the log. */
  INSIGHTS_MAX_ROWS_PER_DAY?: string;
  INSIGHTS_DB?: InsightsDatabase;
  INSIGHTS_TOKEN?: string;
}

/** The app's Hono environment: the bindings (each may be missing) and the request id. */
export type AppEnv = { Bindings: Partial<Bindings>; Variables: { requestId: string } };
