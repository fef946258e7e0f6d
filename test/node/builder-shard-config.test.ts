// A sharded build's generated wrangler.toml files carry the project's own settings over.
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { routerWrangler, shardWrangler } from "../../index-builder/shard-config.js";

const root = {
  name: "amt-suche",
  main: "worker/index.ts",
  compatibility_date: "2026-05-01",
  compatibility_flags: ["nodejs_compat"],
  account_id: "0123456789abcdef",
  keep_names: false,
  routes: [{ pattern: "suche.example.org/*", zone_name: "example.org" }],
  vars: { CORS_ORIGINS: "https://www.example.org", CACHE_MAX_AGE: "600", LOG_QUERIES: "false" },
  ratelimits: [{ name: "RATE_LIMITER", namespace_id: "1001", simple: { limit: 100, period: 60 } }],
  d1_databases: [{ binding: "INSIGHTS_DB", database_name: "amt-insights", database_id: "abc" }],
  triggers: { crons: ["17 3 * * *"] },
  // Paths relative to the project's folder, and environments the shards do not have: not the router's.
  assets: { directory: "./public" },
  tsconfig: "tsconfig.worker.json",
  env: { production: { vars: { CORS_ORIGINS: "https://example.org" } } },
};

describe("the generated wrangler.toml files", () => {
  it("give the router the project's vars, routes, rate limiter and compatibility settings (CORS_ORIGINS was always *)", () => {
    const router = parse(routerWrangler(2, "../..", root));
    expect(router).toMatchObject({
      name: "amt-suche",
      main: "../../worker/router.ts",
      compatibility_date: "2026-05-01",
      account_id: "0123456789abcdef",
      keep_names: false,
      routes: root.routes,
      vars: root.vars,
      ratelimits: root.ratelimits,
      d1_databases: root.d1_databases,
      triggers: root.triggers,
      services: [
        { binding: "SHARD_0", service: "amt-suche-shard-0" },
        { binding: "SHARD_1", service: "amt-suche-shard-1" },
      ],
    });
    expect(Object.keys(router)).not.toContain("assets");
    expect(Object.keys(router)).not.toContain("tsconfig");
    expect(Object.keys(router)).not.toContain("env");
  });

  it("give each shard the project's compatibility and bundling settings and vars, with the cache off and no public route", () => {
    const shard = parse(shardWrangler(1, 2, root));
    expect(shard).toEqual({
      name: "amt-suche-shard-1",
      main: "worker.ts",
      compatibility_date: "2026-05-01",
      compatibility_flags: ["nodejs_compat"],
      account_id: "0123456789abcdef",
      keep_names: false,
      send_metrics: false,
      workers_dev: false,
      vars: { ...root.vars, CACHE_MAX_AGE: "0" },
    });
  });
});
