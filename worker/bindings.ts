// The Worker's bindings as the app reads them. Written here rather than taken from the generated global `Env`,
// so that the app's type (and with it the typed client in worker/client.ts) compiles in a project that has no
// Workers types. worker/index.ts checks at compile time that wrangler.toml's `Env` still fits this shape.

/** The rate limiter binding (`[[ratelimits]]` in wrangler.toml), as much of it as the app calls. */
export interface RateLimiterBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
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
}
