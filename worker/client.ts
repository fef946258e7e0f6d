// The typed client, for TypeScript projects that call a fundstelle Worker: `import { createClient } from
// "fundstelle/client"`. Built to dist/client.js with its declarations in dist/types/ (scripts/build-client.ts).

import type { z } from "@hono/zod-openapi";
import { type ClientRequestOptions, hc } from "hono/client";
import type { AppType } from "./index.js";
import type {
  CollectionsSchema,
  DocumentSchema,
  ErrorSchema,
  HealthSchema,
  SearchHitSchema,
  SearchResponseSchema,
  SuggestResponseSchema,
} from "./schemas.js";

export type { AppType } from "./index.js";

/** The JSON bodies of the API, as the schemas in /openapi.json describe them. */
export type SearchResponse = z.output<typeof SearchResponseSchema>;
export type SearchHit = z.output<typeof SearchHitSchema>;
export type SuggestResponse = z.output<typeof SuggestResponseSchema>;
export type DocumentResponse = z.output<typeof DocumentSchema>;
export type CollectionsResponse = z.output<typeof CollectionsSchema>;
export type HealthResponse = z.output<typeof HealthSchema>;
export type ErrorResponse = z.output<typeof ErrorSchema>;

/**
 * A client for the Worker at `baseUrl`, typed by its routes: parameters, status codes and JSON bodies.
 *
 * @example
 * const client = createClient("https://fundstelle.example.workers.dev");
 * const res = await client.search.$get({ query: { q: "Kasachstan" } });
 * if (res.ok) for (const hit of (await res.json()).hits) console.log(hit.doc.title);
 */
export function createClient(baseUrl: string, options?: ClientRequestOptions) {
  return hc<AppType>(baseUrl, options);
}
