// The search's request and answer types: what a search asks for, and the hits, sections and response it gets.
import type { z } from "@hono/zod-openapi";
import type { SearchHitSchema, SearchResponseSchema, SearchSectionSchema } from "../schemas.js";

/** What a search asks for: one schema (schemas.ts) for the API, the beacons and the shards. */
export type { SearchRequest } from "../schemas.js";

/** A result left out of a ranking: a document, or (with `paragraph`, numbered in the document from 0) one of its paragraphs. */
export type HiddenResult = NonNullable<import("../schemas.js").SearchRequest["hide"]>[number];

// The answer's types are the contract's: derived from the zod schemas that generate /openapi.json and validate
// in the tests, so that the engine, the API, the typed client and the widget cannot drift apart.

/** A hit: a paragraph (with `group=document`, a page's best paragraph and its best sections). */
export type SearchHit = z.output<typeof SearchHitSchema>;

/** A section of a page hit: its heading, where it links to, and its best-matching paragraph's snippet. */
export type SearchSection = z.output<typeof SearchSectionSchema>;

/** The answer to a search. */
export type SearchResponse = z.output<typeof SearchResponseSchema>;
