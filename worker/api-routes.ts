// The API's routes: their OpenAPI definitions (the contract, with examples) and handlers, which validate, call the
// backend and shape the answers; /documents and /openapi.json.
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { SearchBackend } from "./backend.js";
import type { AppEnv } from "./bindings.js";
import { ApiError } from "./errors.js";
import { cachedJson, cacheMaxAge, type JsonResponse, prefersHtml } from "./http-cache.js";
import { popularQueries } from "./insights/popular.js";
import type { SearchInsights } from "./insights/routes.js";
import { documentPage, PAGE_CSP } from "./pages.js";
import { searchWithPromotions } from "./promotions.js";
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
  searchRequestOf,
} from "./schemas.js";
import { IndexUnavailable } from "./search/loaded-index.js";
import { settingsOf } from "./settings.js";

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
      correction: null,
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

/**
 * Adds the API's routes to `app`, chained so that the returned app's type carries them, for typed clients
 * (hc<AppType>): /search, /suggest, /collections, /health, then /documents/{id} and /openapi.json.
 */
export function apiRoutes(app: OpenAPIHono<AppEnv>, backend: SearchBackend, insights?: Pick<SearchInsights, "countApiSearch">) {
  // Routes are chained so that the app's type carries them, for typed clients (hc<AppType>).
  const routes = app
    .openapi(searchRoute, async (c) => {
      const params = c.req.valid("query");
      const { analytics } = params;
      const { cacheVersion: version } = await backend.info();
      const request = searchRequestOf(params);
      let total: number | undefined;
      // A search that asks to be counted is never cached: a cached answer would not reach the count, and an edge
      // cache's HIT would tell the next client that someone searched the same within CACHE_MAX_AGE.
      const response = await cachedJson(
        c,
        version,
        `/search?${JSON.stringify(request)}`,
        async () => {
          const result = await searchWithPromotions(backend, request);
          total = result.total;
          if (result.total === 0 && request.q.trim() !== "") {
            const { noResults } = await backend.info();
            const insights = settingsOf(c.env).insights;
            const popular = noResults.popular && insights ? await popularQueries(insights, backend, version) : [];
            if (noResults.links.length > 0 || popular.length > 0) result.help = { links: noResults.links, popular };
          }
          if (settingsOf(c.env).logQueries) console.log(JSON.stringify({ event: "search", q: request.q, total: result.total }));
          return result;
        },
        { cacheable: !analytics },
      );
      if (analytics) insights?.countApiSearch(c, request, total);
      return response as JsonResponse<z.infer<typeof SearchResponseSchema>>;
    })
    .openapi(suggestRoute, async (c) => {
      const { q, limit } = c.req.valid("query");
      const { cacheVersion: version } = await backend.info();
      const response = await cachedJson(c, version, `/suggest?${JSON.stringify({ q, limit })}`, () => {
        if (settingsOf(c.env).logQueries) console.log(JSON.stringify({ event: "suggest", q }));
        return backend.suggest(q, limit);
      });
      return response as JsonResponse<z.infer<typeof SuggestResponseSchema>>;
    })
    .openapi(collectionsRoute, async (c) => {
      const { cacheVersion: version } = await backend.info();
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
        const { examples: _, promotions: __, noResults: ___, cacheVersion: ____, ...index } = await backend.info();
        return c.json({ status: "ok" as const, index }, 200);
      } catch (error) {
        if (!(error instanceof IndexUnavailable)) throw error;
        return c.json({ status: "unavailable" as const, reason: error.message }, 503);
      }
    });

  documentRoutes(app, backend);
  describeApi(app);
  return routes;
}

/** GET /documents/{id}: a document as JSON, or as a readable page for browsers (outside the typed chain: a wildcard path). */
function documentRoutes(app: OpenAPIHono<AppEnv>, backend: SearchBackend): void {
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
    const { cacheVersion: version } = await backend.info();
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
}

/** GET /openapi.json: the contract, from the routes' schemas, with the errors and limits every route shares. */
function describeApi(app: OpenAPIHono<AppEnv>): void {
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
}
