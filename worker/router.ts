// The router Worker of a sharded corpus: the public API, answered by calling every shard through service bindings.
import type { CollectionInfo } from "../common/artifact.js";
import { storedPromotions } from "../common/promotions.js";
import { createBackendApp } from "./app.js";
import { type DocumentAnswer, type IndexInfo, noResultsHelp, type SearchBackend } from "./backend.js";
import { purgeInsights } from "./insights/routes.js";
import { facetValues, sumFacetCounts } from "./search/facets.js";
import { IndexUnavailable } from "./search/loaded-index.js";
import type { NearWord } from "./search/near.js";
import { parseQuery } from "./search/query.js";
import {
  compareRanked,
  emptyResponse,
  needsTypoPass,
  type RankedCandidate,
  type SearchHit,
  type SearchRequest,
  type SearchResponse,
} from "./search/search.js";
import type { SuggestResponse } from "./search/suggest.js";
import { MAX_TOGETHER, type ShardSearchRequest, type ShardSearchResponse, type ShardService } from "./shard.js";

/** What the router needs of a shard: its service binding, whose RPC methods are the shard's {@link ShardService}. */
export type ShardBinding = ShardService;

/** How long the router trusts the shards' index info before asking again, in milliseconds. */
const INFO_TTL = 30_000;

/** `load`, answered from memory for {@link INFO_TTL} after it last succeeded (a failure is not kept). */
function remembered<T>(load: () => Promise<T>): () => Promise<T> {
  let kept: { value: T; at: number } | undefined;
  return async () => {
    if (kept && Date.now() - kept.at < INFO_TTL) return kept.value;
    const value = await load();
    kept = { value, at: Date.now() };
    return value;
  };
}

/** A shard's answer to one call; any failure (no such Worker, a shard of an older build without the method, no index) is a 503. */
async function call<T>(index: number, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IndexUnavailable(`Shard ${index} cannot answer (${reason}): deploy every shard of this build.`);
  }
}

/**
 * The backend of a router: every search goes to all shards in parallel, one pass at a time as a single
 * index would run it (the typo pass only when all shards' all-words matches together do not fill the
 * page), and the shards' best candidates are merged. Shards score with the whole corpus's statistics,
 * so the merged ranking is the ranking of one index of everything.
 */
export function shardedBackend(shards: readonly ShardBinding[]): SearchBackend {
  return new ShardedBackend(shards);
}

class ShardedBackend implements SearchBackend {
  /** The shards' index info, checked to be one build bound in order. */
  readonly info = remembered(() => this.loadInfo());
  // The collections' titles label the collection facet: kept as long as the index info, and a facet without
  // them (shard 0 not answering) shows the collections' ids rather than failing the search.
  private readonly titles = remembered(async () => new Map((await this.collections()).map((c) => [c.id, c.title])));

  constructor(private readonly shards: readonly ShardBinding[]) {}

  private async loadInfo(): Promise<IndexInfo> {
    const shards = this.shards;
    if (shards.length === 0)
      throw new IndexUnavailable("No shards are bound: bind them as SHARD_0, SHARD_1, … (see README, Sharded mode).");
    const infos = await Promise.all(shards.map((shard, i) => call(i, () => shard.info())));
    const first = infos[0];
    if (!first) throw new IndexUnavailable("No shard answered.");
    for (const [i, data] of infos.entries()) {
      if (data.version !== first.version) {
        throw new IndexUnavailable(
          `Shard ${i} serves build ${data.version}, shard 0 build ${first.version}: deploy all shards of one build.`,
        );
      }
      if (data.shard.shard !== i || data.shard.shards !== shards.length) {
        throw new IndexUnavailable(
          `SHARD_${i} is bound to shard ${data.shard.shard} of ${data.shard.shards}: bind shard i as SHARD_i, all ${data.shard.shards} of them.`,
        );
      }
    }
    return {
      version: first.version,
      formatVersion: first.formatVersion,
      analyzer: first.analyzer,
      documents: infos.reduce((sum, data) => sum + data.documents, 0),
      paragraphs: first.shard.paragraphs,
      builtAt: first.builtAt,
      examples: first.examples ?? [],
      cacheVersion: first.cacheVersion,
      promotions: storedPromotions(first.promotions),
      noResults: noResultsHelp(first.noResults),
    };
  }

  /** One pass on every shard; `hits(shard)` names the ranks whose hits that shard should build. */
  private searchPass(request: SearchRequest, pass: 0 | 1, hits: (shard: number) => number[]): Promise<ShardSearchResponse[]> {
    return Promise.all(
      this.shards.map(async (shard, i) => {
        const body: ShardSearchRequest = { request, pass, hits: hits(i) };
        return call(i, () => shard.search(body));
      }),
    );
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const parsed = parseQuery(request.q);
    const response = emptyResponse(request, parsed);
    if (parsed.words.length === 0) return response;
    // On the first page a shard's hits there are among its own first `limit`: build those right away.
    const firstHits = () => (request.offset === 0 ? Array.from({ length: request.limit }, (_, r) => r) : []);
    let pass: 0 | 1 = 0;
    let answers = await this.searchPass(request, pass, firstHits);
    const fullCount = answers.reduce((sum, a) => sum + a.fullCount, 0);
    if (needsTypoPass(parsed, request, fullCount)) {
      pass = 1;
      answers = await this.searchPass(request, pass, firstHits);
    }
    const merged: { candidate: RankedCandidate; shard: number; rank: number }[] = [];
    answers.forEach((answer, shard) => {
      answer.top.forEach((candidate, rank) => {
        merged.push({ candidate, shard, rank });
      });
    });
    const order = compareRanked(request.sort);
    merged.sort((a, b) => order(a.candidate, b.candidate));
    const page = merged.slice(request.offset, request.offset + request.limit);
    const best = merged[0];
    response.correction = best ? (answers[best.shard]?.correction ?? null) : null;
    if (request.facets) {
      const titles = await this.titles().catch(() => new Map<string, string>());
      response.facets = facetValues(sumFacetCounts(answers.map((a) => a.facets ?? [])), (id) => titles.get(id));
    }
    const built = new Map<string, SearchHit>();
    const keep = (answer: ShardSearchResponse, shard: number) => {
      for (const [rank, hit] of answer.hits) built.set(`${shard} ${rank}`, hit);
    };
    answers.forEach(keep);
    const missing = page.filter(({ shard, rank }) => !built.has(`${shard} ${rank}`));
    if (missing.length > 0) {
      // Later pages: ask each shard for the hits of its candidates on this page.
      // Without facets: these answers are for their hits alone.
      const again = await this.searchPass({ ...request, facets: undefined }, pass, (shard) =>
        missing.filter((m) => m.shard === shard).map((m) => m.rank),
      );
      again.forEach(keep);
    }
    response.total = answers.reduce((sum, a) => sum + a.total, 0);
    response.partial = page.some(({ candidate }) => !candidate.full);
    response.hits = page.map(({ shard, rank }) => {
      const hit = built.get(`${shard} ${rank}`);
      if (!hit) throw new IndexUnavailable(`Shard ${shard} did not return the hit at its rank ${rank}.`);
      return hit;
    });
    return response;
  }

  async suggest(q: string, limit: number): Promise<SuggestResponse> {
    const counts = await Promise.all(this.shards.map((shard, i) => call(i, () => shard.suggestCounts(q))));
    const together = new Map<number, number>();
    for (const pairs of counts) for (const [word, n] of pairs) together.set(word, (together.get(word) ?? 0) + n);
    // Every shard holds the whole vocabulary: any of them turns the summed counts into suggestions.
    const first = this.shards[0];
    if (!first) throw new IndexUnavailable("No shards are bound.");
    const data = await call(0, () => first.suggest(q, limit, [...together].slice(0, MAX_TOGETHER)));
    return { query: data.query, suggestions: data.suggestions };
  }

  async nearWords(word: string): Promise<NearWord[]> {
    // Every shard holds the whole vocabulary: the first one answers.
    const first = this.shards[0];
    if (!first) throw new IndexUnavailable("No shards are bound.");
    return call(0, () => first.nearWords(word));
  }

  async collections(): Promise<CollectionInfo[]> {
    const first = this.shards[0];
    if (!first) throw new IndexUnavailable("No shards are bound.");
    return call(0, () => first.collections());
  }

  async document(id: string): Promise<DocumentAnswer | null> {
    const answers = await Promise.all(this.shards.map((shard, i) => call(i, () => shard.document(id))));
    return answers.find((answer) => answer !== null) ?? null;
  }
}

/** The shard bindings of an environment, SHARD_0, SHARD_1, … in order. */
export function shardsOf(env: Record<string, unknown>): ShardBinding[] {
  const shards: ShardBinding[] = [];
  for (let i = 0; ; i++) {
    // A service binding (an RPC stub answers every method name, so a binding is told by its fetch).
    const binding = env[`SHARD_${i}`] as (Partial<ShardBinding> & { fetch?: unknown }) | undefined;
    if (typeof binding?.fetch !== "function") return shards;
    shards.push(binding as ShardBinding);
  }
}

let app: ReturnType<typeof createBackendApp> | undefined;

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Response | Promise<Response> {
    // Bindings are known only with the first request; they do not change within an isolate.
    app ??= createBackendApp(shardedBackend(shardsOf(env)));
    return app.fetch(request, env, ctx);
  },
  /** The cron trigger: deletes search insights older than the retention period. */
  scheduled(controller: ScheduledController, env: Record<string, unknown>, ctx: ExecutionContext): void {
    ctx.waitUntil(purgeInsights(env, controller.scheduledTime));
  },
};
