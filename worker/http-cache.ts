// ETags, Cache-Control and the edge cache (caches.default) for the API's JSON answers.
import type { Context, TypedResponse } from "hono";
import { accepts } from "hono/accepts";
import type { AppEnv } from "./bindings.js";
import { settingsOf } from "./settings.js";

/** A Response built by hand (for caching) typed as the JSON it carries, for typed clients. */
export type JsonResponse<T> = Response & TypedResponse<T, 200, "json">;

/** FNV-1a over UTF-16 code units: a small, fast, stable hash for ETags. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

export function cacheMaxAge(c: Context<AppEnv>): number {
  return settingsOf(c.env).cacheMaxAge;
}

/** Whether the client prefers an HTML page to JSON, by the Accept header's q-values (JSON when it does not say). */
export function prefersHtml(c: Context<AppEnv>): boolean {
  return accepts(c, { header: "Accept", supports: ["application/json", "text/html"], default: "application/json" }) === "text/html";
}

/**
 * Answers a cacheable GET: 304 when If-None-Match carries the ETag (derived
 * from the index version and the normalised request, so nothing is computed),
 * the edge cache when it holds the answer, else computes and stores it.
 */
export async function cachedJson(
  c: Context<AppEnv>,
  version: string,
  key: string,
  compute: () => unknown | Promise<unknown>,
  options: { cacheable?: boolean } = {},
): Promise<Response> {
  if (options.cacheable === false) {
    // Computed every time and kept by no cache: a request that counts must reach the Worker each time it is sent.
    return new Response(JSON.stringify(await compute()), {
      status: 200,
      headers: { "Cache-Control": "no-store", "Content-Type": "application/json; charset=UTF-8" },
    });
  }
  const etag = `"${version}-${fnv1a(key)}"`;
  const maxAge = cacheMaxAge(c);
  const headers = { ETag: etag, "Cache-Control": `public, max-age=${maxAge}` };
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers });
  }
  // CACHE_MAX_AGE = 0 turns caching off, at the edge too.
  const edge = maxAge > 0 && typeof caches !== "undefined" ? (caches as unknown as { default?: Cache }).default : undefined;
  const cacheKey = edge ? new Request(`https://fundstelle.cache/${version}${key}`) : null;
  if (edge && cacheKey) {
    const hit = await lookUp(edge, cacheKey);
    if (hit) return new Response(hit.body, { status: 200, headers: { ...Object.fromEntries(hit.headers), "X-Cache": "HIT" } });
  }
  const response = new Response(JSON.stringify(await compute()), {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=UTF-8" },
  });
  if (edge && cacheKey)
    waitUntil(
      c,
      edge.put(cacheKey, response.clone()).catch(() => {}),
    );
  return response;
}

/** How long an answer waits for the edge cache's lookup before it is computed instead, in milliseconds. */
const CACHE_LOOKUP_MS = 1000;

/**
 * The cached answer, or undefined: when there is none, when the lookup fails, and when it has not answered within
 * {@link CACHE_LOOKUP_MS}. A cache must never hold an answer up: under load, `wrangler dev` twice left a request
 * unanswered for good (the browser tests' traces: no response, no failure), and the cache lookup is the one thing
 * such a request waits on; whether it was the cause is not shown.
 */
async function lookUp(edge: Cache, key: Request): Promise<Response | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), CACHE_LOOKUP_MS);
  });
  try {
    return await Promise.race([edge.match(key).catch(() => undefined), late]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Lets `promise` finish after the response is sent (ctx.waitUntil). */
export function waitUntil(c: Context<AppEnv>, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    // No execution context (a direct app.request call): the promise still runs.
  }
}
