// A shard Worker's entry: its service as RPC methods for the router's service bindings, and its public app.
import { WorkerEntrypoint } from "cloudflare:workers";
import type { ArtifactModule } from "../common/artifact.js";
import type { ShardSearchRequest } from "./shard.js";
import { shardWorker } from "./shard.js";

/**
 * The default export of a shard Worker (see index-builder/artifact-files.ts, which writes it): a WorkerEntrypoint
 * whose methods the router calls through its SHARD_i bindings (Cloudflare's RPC: structured arguments and answers,
 * no HTTP), and whose fetch answers the public API over this shard alone.
 */
export function shardEntrypoint(artifact: ArtifactModule) {
  const shard = shardWorker(artifact);
  return class Shard extends WorkerEntrypoint {
    override fetch(request: Request) {
      return shard.app.fetch(request, this.env as unknown as Record<string, unknown>, this.ctx);
    }
    info() {
      return shard.service.info();
    }
    search(body: ShardSearchRequest) {
      return shard.service.search(body);
    }
    suggestCounts(q: string) {
      return shard.service.suggestCounts(q);
    }
    suggest(q: string, limit: number, together: [number, number][]) {
      return shard.service.suggest(q, limit, together);
    }
    nearWords(word: string) {
      return shard.service.nearWords(word);
    }
    collections() {
      return shard.service.collections();
    }
    document(id: string) {
      return shard.service.document(id);
    }
  };
}
