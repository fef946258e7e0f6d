// The middleware every request passes: request id, security headers, CORS, then methods, rate limit and repeated
// parameters.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./bindings.js";
import { isLoopback, rateLimitKey } from "./client-address.js";
import { allowOrigin } from "./cors-origins.js";
import { ApiError } from "./errors.js";
import { SearchQuery, SuggestQuery } from "./schemas.js";
import { settingsOf } from "./settings.js";

/** The rate limiter's period in wrangler.toml, in seconds: how long a limited client should wait. */
const RATE_LIMIT_PERIOD = 60;

/** The insights beacons, the only routes that take POST. */
const BEACON_PATHS: ReadonlySet<string> = new Set(["/insights/search", "/insights/choice"]);

const QUERY_PARAMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["/search", Object.keys(SearchQuery.shape)],
  ["/suggest", Object.keys(SuggestQuery.shape)],
]);

/** The headers every answer carries: no MIME sniffing, and no full URL in the Referer to other sites. */
function securityHeaders(c: Context<AppEnv>): void {
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "strict-origin-when-cross-origin");
}

/** Adds the app's middleware, in order, to `app`. */
export function useMiddleware(app: OpenAPIHono<AppEnv>): void {
  app.use(requestId());
  app.use(async (c, next) => {
    // Set before the response exists, they go into it as it is made; setting them on a finished response makes
    // Hono copy it. A response made without them gets them afterwards (none of the tested kinds is).
    securityHeaders(c);
    await next();
    if (!c.res.headers.has("X-Content-Type-Options")) securityHeaders(c);
  });
  app.use(
    cors({
      origin: (origin, c: Context<AppEnv>) => {
        // The widget is public code: any site may load it, and then shows its own error if the API refuses it.
        if (c.req.path === "/widget.js") return "*";
        return allowOrigin(settingsOf(c.env).corsOrigins, origin);
      },
      allowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
      allowHeaders: ["If-None-Match", "Content-Type"],
      exposeHeaders: ["ETag", "X-Request-Id"],
      maxAge: 86400,
    }),
  );
  app.use(async (c, next) => {
    const beacon = BEACON_PATHS.has(c.req.path);
    if (
      beacon
        ? c.req.method !== "POST" && c.req.method !== "OPTIONS"
        : c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.method !== "OPTIONS"
    ) {
      const allow = beacon ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
      throw new ApiError("method_not_allowed", `${c.req.method} is not allowed; use ${beacon ? "POST" : "GET"}`, undefined, {
        Allow: allow,
      });
    }
    // Rate limiting per client address. Without the header, or from loopback (wrangler dev sets the header
    // to the local address), nothing is limited: local development and load tests run unthrottled.
    const client = c.req.header("CF-Connecting-IP");
    const limiter = c.env?.RATE_LIMITER;
    if (client && !isLoopback(client) && limiter && c.req.method !== "OPTIONS") {
      const { success } = await limiter.limit({ key: rateLimitKey(client) });
      if (!success) {
        throw new ApiError("rate_limited", `Too many requests from this address; try again in ${RATE_LIMIT_PERIOD} seconds`, undefined, {
          "Retry-After": String(RATE_LIMIT_PERIOD),
        });
      }
    }
    const params = QUERY_PARAMS.get(c.req.path);
    if (params) {
      // One parse of the query string for every parameter (c.req.queries parses it on each call).
      const given = new URL(c.req.url).searchParams;
      for (const name of params) {
        if (given.getAll(name).length > 1) throw new ApiError("invalid_parameter", `${name} must be given at most once`, name);
      }
    }
    await next();
  });
}
