// The limits of a request, written once: the public schemas, the shards' internal ones and the beacons take them.

/**
 * The request limits: the public schemas (schemas.ts), the shards' internal schemas (shard.ts) and the beacons
 * (insights/routes.ts) take them from here.
 */
export const LIMITS = Object.freeze({
  /** Longest query accepted, in characters. */
  queryLength: 256,
  limit: { min: 1, max: 50, default: 10 },
  offset: { max: 1000 },
  suggestLimit: { min: 1, max: 10, default: 5 },
  /** Longest filter values, in characters. */
  collection: 200,
  doc: 500,
  kind: 200,
});
