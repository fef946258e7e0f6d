// A shard Worker's internal API, called by the router (worker/router.ts) through service bindings.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ArtifactModule } from "../common/artifact.js";
import { createBackendApp } from "./app.js";
import { type IndexProvider, infoOf, localBackend } from "./backend.js";
import type { AppEnv } from "./bindings.js";
import { ApiError } from "./errors.js";
import { LIMITS } from "./limits.js";
import { SearchRequestSchema } from "./schemas.js";
import type { FacetCounts } from "./search/facets.js";
import { IndexUnavailable, type LoadedIndex, loadIndex } from "./search/loaded-index.js";
import { nearWords } from "./search/near.js";
import { parseQuery } from "./search/query.js";
import { type RankedCandidate, rankPass, type SearchHit } from "./search/search.js";
import { suggestCounts, suggestFrom } from "./search/suggest.js";

/** The router's search request to a shard: the validated public request, the pass, and which ranks to build hits for. */
export const ShardSearchRequest = z.object({
  request: SearchRequestSchema,
  /** 0: exact forms, stems and completions; 1: with typo variants too. */
  pass: z.union([z.literal(0), z.literal(1)]),
  /** Ranks of this shard's candidates to build hits for (snippets cost; most are never shown). */
  hits: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(LIMITS.offset.max + LIMITS.limit.max),
    )
    .max(LIMITS.limit.max),
});
export type ShardSearchRequest = z.infer<typeof ShardSearchRequest>;

/** A shard's answer: its matches' counts, its best `offset + limit` candidates, and the hits asked for. */
export interface ShardSearchResponse {
  version: string;
  total: number;
  fullCount: number;
  top: RankedCandidate[];
  hits: [number, SearchHit][];
  /** With facets requested: this shard's counts (the router adds them up). */
  facets: FacetCounts | null;
  /** The correction that this shard's best candidate stands on (the router takes the one of the best overall). */
  correction: string | null;
}

export const ShardSuggestRequest = z.object({
  q: z.string().max(LIMITS.queryLength),
  limit: z.number().int().min(LIMITS.suggestLimit.min).max(LIMITS.suggestLimit.max),
  /** Co-occurrence counts summed over all shards; absent when only this shard's counts are asked for. */
  together: z
    .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
    .max(1000)
    .optional(),
});

/** A word whose nearest corpus words the insights report asks for (every shard holds the whole vocabulary). */
export const ShardNearRequest = z.object({ word: z.string().max(LIMITS.queryLength) });

function parsed<T extends z.ZodType>(schema: T, raw: string | undefined): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw ?? "");
  } catch {
    throw new ApiError("invalid_parameter", "r must be JSON", "r");
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError("invalid_parameter", `r is not a valid shard request: ${result.error.issues[0]?.message}`, "r");
  return result.data;
}

/**
 * Adds the internal routes under /_shard/ that a router calls: `search` (one pass over this shard,
 * scored with the whole corpus's statistics) and `suggest` (co-occurrence counts, or suggestions from
 * counts summed over all shards). Each takes its request as JSON in the `r` parameter.
 */
export function shardRoutes(getIndex: IndexProvider) {
  return (app: OpenAPIHono<AppEnv>) => {
    app.get("/_shard/search", (c) => {
      const { request, pass, hits } = parsed(ShardSearchRequest, c.req.query("r"));
      const index = getIndex();
      const ranked = rankPass(index, parseQuery(request.q), request, pass === 1);
      const body: ShardSearchResponse = {
        version: index.manifest.version,
        total: ranked.total,
        fullCount: ranked.fullCount,
        top: ranked.top,
        hits: hits.filter((rank) => rank < ranked.top.length).map((rank) => [rank, ranked.hit(rank)]),
        facets: ranked.facets,
        correction: ranked.correction,
      };
      return c.json(body);
    });
    app.get("/_shard/suggest", (c) => {
      const { q, limit, together } = parsed(ShardSuggestRequest, c.req.query("r"));
      const index = getIndex();
      if (together === undefined) return c.json({ version: index.manifest.version, together: [...suggestCounts(index, q)] });
      return c.json({ version: index.manifest.version, ...suggestFrom(index, q, limit, new Map(together)) });
    });
    app.get("/_shard/near", (c) => {
      const { word } = parsed(ShardNearRequest, c.req.query("r"));
      return c.json({ version: getIndex().manifest.version, near: nearWords(getIndex(), word) });
    });
    app.get("/_shard/info", (c) => c.json({ ...infoOf(getIndex()), shard: getIndex().engine.corpus }));
  };
}

/**
 * A shard Worker around its bundled artifact: the public app over this shard alone (handy for checks)
 * plus the internal /_shard/ routes. Deploy it without a public route; the router reaches it through a
 * service binding.
 */
export function shardWorker(artifact: ArtifactModule) {
  let loaded: LoadedIndex | IndexUnavailable;
  try {
    loaded = loadIndex(artifact);
  } catch (error) {
    loaded = error instanceof IndexUnavailable ? error : new IndexUnavailable(`The index could not be loaded: ${String(error)}`);
  }
  const provider: IndexProvider = () => {
    if (loaded instanceof IndexUnavailable) throw loaded;
    return loaded;
  };
  return createBackendApp(localBackend(provider), { extend: shardRoutes(provider) });
}
