// A shard Worker's service, called by the router (worker/router.ts) through service bindings as RPC methods.
import type { ArtifactModule, CollectionInfo } from "../common/artifact.js";
import { createBackendApp } from "./app.js";
import { type DocumentAnswer, type IndexInfo, type IndexProvider, infoOf, localBackend } from "./backend.js";
import type { FacetCounts } from "./search/facets.js";
import { IndexUnavailable, type LoadedIndex, loadIndex } from "./search/loaded-index.js";
import type { NearWord } from "./search/near.js";
import { parseQuery } from "./search/query.js";
import { type RankedCandidate, rankPass, type SearchHit, type SearchRequest } from "./search/search.js";
import { type SuggestResponse, suggestCounts, suggestFrom } from "./search/suggest.js";

/** The router's search request to a shard: the checked public request, the pass, and which ranks to build hits for. */
export interface ShardSearchRequest {
  request: SearchRequest;
  /** 0: exact forms, stems and completions; 1: with typo variants too. */
  pass: 0 | 1;
  /** Ranks of this shard's candidates to build hits for (snippets cost; most are never shown). */
  hits: number[];
}

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

/** A shard's index info: one index's, with where the shard lies in the whole corpus. */
export type ShardInfo = IndexInfo & { shard: { shard: number; shards: number; paragraphs: number } };

/**
 * What a shard offers its router, called through a service binding as RPC methods (the shard's default export is a
 * WorkerEntrypoint; worker/shard-entry.ts): typed arguments and answers, no HTTP and no JSON in URLs. The router
 * sends only requests it checked itself (the public schemas), so nothing here parses again.
 */
export interface ShardService {
  /** This shard's index info; the router checks that all shards are one build, bound in order. */
  info(): Promise<ShardInfo>;
  /** One pass over this shard, scored with the whole corpus's statistics, with the hits of the ranks asked for. */
  search(body: ShardSearchRequest): Promise<ShardSearchResponse>;
  /** Co-occurrence counts of the suggestions' candidates; with the counts summed over all shards, the suggestions. */
  suggestCounts(q: string): Promise<[number, number][]>;
  suggest(q: string, limit: number, together: [number, number][]): Promise<SuggestResponse>;
  /** The corpus words nearest a word (every shard holds the whole vocabulary). */
  nearWords(word: string): Promise<NearWord[]>;
  collections(): Promise<CollectionInfo[]>;
  /** The document if this shard holds it, else null. */
  document(id: string): Promise<DocumentAnswer | null>;
}

/** The service of a shard over its index (which throws IndexUnavailable when there is none). */
export function shardService(getIndex: IndexProvider): ShardService {
  const local = localBackend(getIndex);
  return {
    info: async () => ({ ...infoOf(getIndex()), shard: getIndex().engine.corpus }),
    search: async ({ request, pass, hits }) => {
      const index = getIndex();
      const ranked = rankPass(index, parseQuery(request.q), request, pass === 1);
      return {
        version: index.manifest.version,
        total: ranked.total,
        fullCount: ranked.fullCount,
        top: ranked.top,
        hits: hits.filter((rank) => rank < ranked.top.length).map((rank) => [rank, ranked.hit(rank)]),
        facets: ranked.facets,
        correction: ranked.correction,
      };
    },
    suggestCounts: async (q) => [...suggestCounts(getIndex(), q)],
    suggest: async (q, limit, together) => suggestFrom(getIndex(), q, limit, new Map(together.slice(0, MAX_TOGETHER))),
    nearWords: (word) => local.nearWords(word),
    collections: () => local.collections(),
    document: (id) => local.document(id),
  };
}

/** Most summed co-occurrence counts a router passes on for suggestions. */
export const MAX_TOGETHER = 1000;

/**
 * A shard around its bundled artifact: its service for the router (see {@link ShardService}) and the public app
 * over this shard alone (handy for checks). Deploy it without a public route; the router reaches it through a
 * service binding.
 */
export function shardWorker(artifact: ArtifactModule): { service: ShardService; app: ReturnType<typeof createBackendApp> } {
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
  return { service: shardService(provider), app: createBackendApp(localBackend(provider)) };
}

/** What {@link inProcessShard} tells of each call: the method, its arguments, its answer and how long it took. */
export type ShardCall = { method: keyof ShardService; args: unknown[]; answer: unknown; ms: number };

/**
 * A shard's service as a router in the same process sees it (tests and benchmarks): each call's arguments and
 * answer are copied with structuredClone, as Cloudflare's RPC copies them between Workers, so that nothing passes
 * that RPC could not carry; `observe` hears of each call.
 */
export function inProcessShard(service: ShardService, observe?: (call: ShardCall) => void): ShardService {
  const through =
    <M extends keyof ShardService>(method: M) =>
    async (...args: Parameters<ShardService[M]>): Promise<Awaited<ReturnType<ShardService[M]>>> => {
      const copied = structuredClone(args);
      const started = performance.now();
      const answer = structuredClone(await (service[method] as (...a: unknown[]) => Promise<unknown>)(...copied));
      observe?.({ method, args: copied, answer, ms: performance.now() - started });
      return answer as Awaited<ReturnType<ShardService[M]>>;
    };
  return {
    info: through("info"),
    search: through("search"),
    suggestCounts: through("suggestCounts"),
    suggest: through("suggest"),
    nearWords: through("nearWords"),
    collections: through("collections"),
    document: through("document"),
  };
}
