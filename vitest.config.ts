// Test projects: fast unit and builder tests in Node; the HTTP contract inside workerd (the Workers Vitest integration).
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // The same binding as wrangler.toml with a lower limit, so the 429 test needs few requests.
            // A D1 database for search insights (off unless a test turns INSIGHTS on in the env it passes).
            miniflare: {
              ratelimits: { RATE_LIMITER: { namespace_id: "1001", simple: { limit: 10, period: 60 } } },
              d1Databases: ["INSIGHTS_DB"],
            },
          }),
        ],
        test: {
          name: "workerd",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/worker/global-setup.ts"],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
