// The Hono app: thin routes that validate, call the search functions and shape responses; one place maps errors to HTTP.
import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import { accepts } from "hono/accepts";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import widgetCode from "../dist/widget-module.js";
import { type IndexProvider, localBackend, type SearchBackend } from "./backend.js";
import type { Bindings } from "./bindings.js";
import { isLoopback, rateLimitKey } from "./client-address.js";
import { allowOrigin } from "./cors-origins.js";
import { ApiError } from "./errors.js";
import { countApiSearch, insightsRoutes } from "./insights/routes.js";
import { DEMO_CSP, demoPage, documentPage, PAGE_CSP } from "./pages.js";
import {
  CollectionsSchema,
  DocumentSchema,
  ErrorSchema,
  HealthSchema,
  SEED,
  SearchQuery,
  SearchResponseSchema,
  SuggestQuery,
  SuggestResponseSchema,
} from "./schemas.js";
import { IndexUnavailable } from "./search/loaded-index.js";
import { settingsOf } from "./settings.js";

/** The app's Hono environment: the bindings (each may be missing) and the request id. */
export type AppEnv = { Bindings: Partial<Bindings>; Variables: { requestId: string } };

/** A Response built by hand (for caching) typed as the JSON it carries, for typed clients. */
type JsonResponse<T> = Response & TypedResponse<T, 200, "json">;

export type { IndexProvider } from "./backend.js";

const jsonContent = <T extends z.ZodType>(schema: T, description: string, example?: unknown) => ({
  content: { "application/json": example === undefined ? { schema } : { schema, example } },
  description,
});
const errorExample = (code: string, message: string, param?: string) => ({ error: { code, message, ...(param ? { param } : {}) } });
const errorResponses = {
  400: jsonContent(
    ErrorSchema,
    "Invalid parameter (invalid_parameter, query_too_long).",
    errorExample("invalid_parameter", "limit must be an integer from 1 to 50", "limit"),
  ),
  429: jsonContent(
    ErrorSchema,
    "Too many requests from this client (rate_limited); see the Retry-After header.",
    errorExample("rate_limited", "Too many requests from this address; try again in 60 seconds"),
  ),
  503: jsonContent(
    ErrorSchema,
    "No valid index (index_unavailable).",
    errorExample("index_unavailable", 'No index is bundled: run "npm run build:index" and restart or redeploy the worker.'),
  ),
};
const notFound = jsonContent(ErrorSchema, "Unknown document (not_found).", errorExample("not_found", 'No document has the id "nope"'));

const SEED_DOC = {
  id: SEED,
  title: "Deutschland und Kasachstan: bilaterale Beziehungen",
  url: null,
  date: "2024-10-30",
  kind: "Artikel",
  collection: "auswaertiges-amt",
};

const searchRoute = createRoute({
  method: "get",
  path: "/search",
  operationId: "search",
  tags: ["search"],
  summary: "Ranked paragraphs with highlighted snippets",
  request: { query: SearchQuery },
  responses: {
    200: jsonContent(SearchResponseSchema, "Search results.", {
      query: "kasachstan handel",
      total: 14,
      offset: 0,
      limit: 10,
      partial: true,
      ignored: [],
      hits: [
        {
          id: `${SEED}#1`,
          paragraph: 1,
          score: 12.7,
          doc: SEED_DOC,
          collection: { title: "Auswärtiges Amt", attribution: "Auswärtiges Amt", license: null, url: "https://www.auswaertiges-amt.de" },
          titleHtml: "Deutschland und <mark>Kasachstan</mark>: bilaterale Beziehungen",
          snippetHtml: "<mark>Kasachstan</mark> ist Deutschlands wichtigster Wirtschaftspartner in Zentralasien. …",
          highlights: [[0, 10]],
        },
      ],
    }),
    ...errorResponses,
  },
});

const suggestRoute = createRoute({
  method: "get",
  path: "/suggest",
  operationId: "suggest",
  tags: ["search"],
  summary: "Completions of the last word, as you type",
  request: { query: SuggestQuery },
  responses: {
    200: jsonContent(SuggestResponseSchema, "Suggestions.", {
      query: "deutschland kasach",
      suggestions: [{ text: "Kasachstan", html: "<mark>Kasach</mark>stan", query: "deutschland Kasachstan" }],
    }),
    ...errorResponses,
  },
});

const collectionsRoute = createRoute({
  method: "get",
  path: "/collections",
  operationId: "listCollections",
  tags: ["documents"],
  summary: "Collections with their counts and attribution",
  responses: {
    200: jsonContent(CollectionsSchema, "Collections.", {
      collections: [
        {
          id: "auswaertiges-amt",
          title: "Auswärtiges Amt",
          documents: 1,
          paragraphs: 5,
          attribution: "Auswärtiges Amt",
          license: null,
          url: "https://www.auswaertiges-amt.de",
        },
      ],
    }),
    503: errorResponses[503],
  },
});

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["service"],
  summary: "Whether an index is loaded, and which",
  responses: {
    200: jsonContent(HealthSchema, "An index is loaded.", {
      status: "ok",
      index: {
        version: "3f1c0a9e5b7d2c4e8a10",
        formatVersion: 4,
        analyzer: { id: "fundstelle-german", version: 3 },
        documents: 49,
        paragraphs: 245,
        builtAt: null,
      },
    }),
    503: jsonContent(HealthSchema, "No valid index.", {
      status: "unavailable",
      reason: 'No index is bundled: run "npm run build:index" and restart or redeploy the worker.',
    }),
  },
});

/** The rate limiter's period in wrangler.toml, in seconds: how long a limited client should wait. */
const RATE_LIMIT_PERIOD = 60;

/** The insights beacons, the only routes that take POST. */
const BEACON_PATHS: ReadonlySet<string> = new Set(["/insights/search", "/insights/choice"]);

const QUERY_PARAMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["/search", Object.keys(SearchQuery.shape)],
  ["/suggest", Object.keys(SuggestQuery.shape)],
]);

/** FNV-1a over UTF-16 code units: a small, fast, stable hash for ETags. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

function cacheMaxAge(c: Context<AppEnv>): number {
  return settingsOf(c.env).cacheMaxAge;
}

/** Whether the client prefers an HTML page to JSON, by the Accept header's q-values (JSON when it does not say). */
function prefersHtml(c: Context<AppEnv>): boolean {
  return accepts(c, { header: "Accept", supports: ["application/json", "text/html"], default: "application/json" }) === "text/html";
}

/**
 * Answers a cacheable GET: 304 when If-None-Match carries the ETag (derived
 * from the index version and the normalised request, so nothing is computed),
 * the edge cache when it holds the answer, else computes and stores it.
 */
async function cachedJson(c: Context<AppEnv>, version: string, key: string, compute: () => unknown | Promise<unknown>): Promise<Response> {
  const etag = `"${version}-${fnv1a(key)}"`;
  const maxAge = cacheMaxAge(c);
  const headers = { ETag: etag, "Cache-Control": `public, max-age=${maxAge}` };
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers });
  }
  // CACHE_MAX_AGE = 0 turns caching off, at the edge too.
  const edge = maxAge > 0 && typeof caches !== "undefined" ? (caches as unknown as { default?: Cache }).default : undefined;
  const cacheKey = new Request(`https://fundstelle.cache/${version}${key}`);
  if (edge) {
    const hit = await edge.match(cacheKey);
    if (hit) return new Response(hit.body, { status: 200, headers: { ...Object.fromEntries(hit.headers), "X-Cache": "HIT" } });
  }
  const response = new Response(JSON.stringify(await compute()), {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=UTF-8" },
  });
  if (edge) {
    const put = edge.put(cacheKey, response.clone()).catch(() => {});
    try {
      c.executionCtx.waitUntil(put);
    } catch {
      // No execution context (a direct app.request call): the put still runs.
    }
  }
  return response;
}

/**
 * Builds the fundstelle app around an index provider. The provider is called
 * per request and should return a value loaded once per isolate.
 *
 * @example
 * const app = createApp(() => loadIndex(artifact));
 * export default app;
 */
export function createApp(getIndex: IndexProvider) {
  return createBackendApp(localBackend(getIndex));
}

/** Options of {@link createBackendApp}. */
export interface BackendAppOptions {
  /** Routes added before the public ones (a shard's internal API). */
  extend?: (app: OpenAPIHono<AppEnv>) => void;
}

/**
 * Builds the fundstelle app around a search backend: one bundled index ({@link createApp}), or the
 * shards of a larger corpus behind a router (worker/router.ts). Routes, validation, caching and errors
 * are the same either way.
 */
export function createBackendApp(backend: SearchBackend, options: BackendAppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const param = String(issue?.path[0] ?? "");
        const code = param === "q" ? "query_too_long" : "invalid_parameter";
        throw new ApiError(code, issue?.message ?? "invalid parameter", param || undefined);
      }
    },
  });

  app.use(requestId());
  app.use(async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "strict-origin-when-cross-origin");
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
      for (const name of params) {
        if ((c.req.queries(name)?.length ?? 0) > 1) throw new ApiError("invalid_parameter", `${name} must be given at most once`, name);
      }
    }
    await next();
  });

  options.extend?.(app);
  insightsRoutes(backend)(app);

  // Routes are chained so that the app's type carries them, for typed clients (hc<AppType>).
  const routes = app
    .openapi(searchRoute, async (c) => {
      const { analytics, ...params } = c.req.valid("query");
      const { version } = await backend.info();
      const request = {
        ...params,
        fuzzy: params.fuzzy === "auto" || params.fuzzy === undefined ? ("auto" as const) : (Number(params.fuzzy) as 0 | 1 | 2),
        sort: params.sort ?? "relevance",
      };
      let total: number | undefined;
      const response = await cachedJson(c, version, `/search?${JSON.stringify(request)}`, async () => {
        const result = await backend.search(request);
        total = result.total;
        if (settingsOf(c.env).logQueries) console.log(JSON.stringify({ event: "search", q: request.q, total: result.total }));
        return result;
      });
      if (analytics) countApiSearch(c, backend, request, total);
      return response as JsonResponse<z.infer<typeof SearchResponseSchema>>;
    })
    .openapi(suggestRoute, async (c) => {
      const { q, limit } = c.req.valid("query");
      const { version } = await backend.info();
      const response = await cachedJson(c, version, `/suggest?${JSON.stringify({ q, limit })}`, () => {
        if (settingsOf(c.env).logQueries) console.log(JSON.stringify({ event: "suggest", q }));
        return backend.suggest(q, limit);
      });
      return response as JsonResponse<z.infer<typeof SuggestResponseSchema>>;
    })
    .openapi(collectionsRoute, async (c) => {
      const { version } = await backend.info();
      const response = await cachedJson(c, version, "/collections", async () => ({
        collections: (await backend.collections()).map((col) => ({
          id: col.id,
          title: col.title,
          documents: col.documents,
          paragraphs: col.paragraphs,
          attribution: col.attribution,
          license: col.license,
          url: col.url,
        })),
      }));
      return response as JsonResponse<z.infer<typeof CollectionsSchema>>;
    })
    .openapi(healthRoute, async (c) => {
      c.header("Cache-Control", "no-store");
      try {
        const { examples: _, ...index } = await backend.info();
        return c.json({ status: "ok" as const, index }, 200);
      } catch (error) {
        if (!(error instanceof IndexUnavailable)) throw error;
        return c.json({ status: "unavailable" as const, reason: error.message }, 503);
      }
    });

  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/documents/{id}",
    operationId: "getDocument",
    tags: ["documents"],
    summary: "A document with all its paragraphs (JSON, or an HTML page for browsers)",
    request: {
      params: DocumentSchema.pick({ id: true }).openapi({
        description: "The document id, percent-encoded (its slashes as %2F); the raw form is accepted too.",
      }),
    },
    responses: {
      200: {
        description: "The document; with Accept preferring text/html, a readable page with paragraphs anchored as #p-N.",
        content: {
          "application/json": {
            schema: DocumentSchema,
            example: {
              ...SEED_DOC,
              paragraphs: ["Kasachstan ist Deutschlands wichtigster Wirtschaftspartner in Zentralasien. …"],
              sections: [{ heading: "", level: 0, anchor: null, paragraph: 0 }],
              blocks: ["text"],
            },
          },
          "text/html": { schema: { type: "string" }, example: "<!doctype html>…" },
        },
      },
      404: notFound,
      503: errorResponses[503],
    },
  });

  app.get("/documents/*", async (c) => {
    const raw = new URL(c.req.url).pathname.slice("/documents/".length);
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      throw new ApiError("not_found", "No document has this id (its percent-encoding is invalid)");
    }
    const { version } = await backend.info();
    const doc = await backend.document(id);
    if (!doc) throw new ApiError("not_found", `No document has the id "${id.slice(0, 200)}"`);
    if (prefersHtml(c)) {
      c.header("Content-Security-Policy", PAGE_CSP);
      c.header("Cache-Control", `public, max-age=${cacheMaxAge(c)}`);
      c.header("Vary", "Accept");
      const collection = (await backend.collections()).find((col) => col.id === doc.collection);
      return c.html(documentPage(doc, collection));
    }
    c.header("Vary", "Accept");
    return cachedJson(c, version, `/documents/${id}`, () => doc);
  });

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "fundstelle",
      version: "1.0.0",
      description: [
        "German full-text search: ranked paragraphs with highlighted snippets, suggestions and documents.",
        "Errors are JSON: { error: { code, message, param? } } with the codes invalid_parameter and query_too_long (400), unauthorized (401), forbidden (403), not_found (404), method_not_allowed (405), payload_too_large (413), rate_limited (429, with Retry-After), index_unavailable (503) and internal (500).",
        "Limits that bound the work of one request: queries of at most 256 characters; the first 12 words that are not stop words are searched (12 excluded words at most);",
        "typo tolerance of at most 2 edits per word (none up to 3 letters, one up to 7), tried only when exact, stem and completion matches do not fill the page;",
        "at most 24 completions of the last word (the most frequent), 12 typo variants and 12 longer words ending in it per word;",
        "a quoted phrase is checked once however often it is typed, not at all when it holds stop words only, and only when its words are among the 12 searched;",
        "limit 1–50 and offset 0–1000. Requests are rate-limited per client (CF-Connecting-IP: an IPv4 address, or an IPv6 /64).",
      ].join(" "),
    },
    tags: [
      { name: "search", description: "Ranked, highlighted paragraphs and completions as you type." },
      { name: "documents", description: "Whole documents and the collections they belong to." },
      { name: "service", description: "Whether the service has an index." },
    ],
  });

  app.get("/", async (c) => {
    c.header("Content-Security-Policy", DEMO_CSP);
    c.header("X-Frame-Options", "DENY");
    let info: { documents: number; paragraphs: number; examples: string[] } = { documents: 0, paragraphs: 0, examples: [] };
    try {
      info = await backend.info();
    } catch {
      // The demo page still renders without an index; the widget shows the error and /health says why.
    }
    return c.html(demoPage(new URL(c.req.url).origin, info.documents, info.paragraphs, info.examples, settingsOf(c.env).insights !== null));
  });

  const widgetEtag = `"w-${fnv1a(widgetCode)}"`;
  app.get("/widget.js", (c) => {
    const headers = { ETag: widgetEtag, "Cache-Control": `public, max-age=${cacheMaxAge(c)}` };
    if (c.req.header("If-None-Match") === widgetEtag) return c.body(null, 304, headers);
    return c.body(widgetCode, 200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" });
  });

  app.notFound(() => {
    throw new ApiError("not_found", "No such endpoint; see /openapi.json");
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json(error.toJSON(), error.status, { ...error.headers, "Cache-Control": "no-store" });
    }
    if (error instanceof IndexUnavailable) {
      return c.json(new ApiError("index_unavailable", error.message).toJSON(), 503, { "Cache-Control": "no-store" });
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(new ApiError("invalid_parameter", error.message || "invalid request").toJSON(), 400, { "Cache-Control": "no-store" });
    }
    console.error(JSON.stringify({ event: "error", requestId: c.get("requestId"), error: String(error), stack: (error as Error)?.stack }));
    return c.json(new ApiError("internal", "Internal error; the request id is in the X-Request-Id header").toJSON(), 500, {
      "Cache-Control": "no-store",
    });
  });

  return routes;
}
