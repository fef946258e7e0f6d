// The search's request and answer types: what a search asks for, and the hits, sections and response it gets.
import type { z } from "@hono/zod-openapi";
import type { SearchHitSchema, SearchResponseSchema, SearchSectionSchema } from "../schemas.js";
import type { FacetName } from "./facets.js";

/** What a search asks for; the API's validated parameters. */
export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
  collection?: string | undefined;
  doc?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  group?: "document" | undefined;
  sort: "relevance" | "date";
  fuzzy: "auto" | 0 | 1 | 2;
  prefix: boolean;
  /** Facets to count over every match (see facets.ts). */
  facets?: FacetName[] | undefined;
  /**
   * Results to leave out, as if they did not match: whole documents, or one paragraph of a document. Not a public
   * parameter: promotions (worker/promotions.ts) show these pages first and rank the rest without them.
   */
  hide?: HiddenResult[] | undefined;
}

/** A result left out of a ranking: a document, or (with `paragraph`, numbered in the document from 0) one of its paragraphs. */
export interface HiddenResult {
  doc: string;
  paragraph?: number | undefined;
}

// The answer's types are the contract's: derived from the zod schemas that generate /openapi.json and validate
// in the tests, so that the engine, the API, the typed client and the widget cannot drift apart.

/** A hit: a paragraph (with `group=document`, a page's best paragraph and its best sections). */
export type SearchHit = z.output<typeof SearchHitSchema>;

/** A section of a page hit: its heading, where it links to, and its best-matching paragraph's snippet. */
export type SearchSection = z.output<typeof SearchSectionSchema>;

/** The answer to a search. */
export type SearchResponse = z.output<typeof SearchResponseSchema>;
