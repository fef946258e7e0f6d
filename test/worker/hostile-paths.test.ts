// Property-based tests of paths, methods and document ids, in an isolate of their own (a sample: test/node/hostile.test.ts runs more in Node).
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { checkAnswer, encode } from "./hostile-checks.js";

vi.setConfig({ testTimeout: 300_000 });

describe("any path", () => {
  it("any path, method and document id gets a JSON (or HTML) answer and never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }).map((s) => `/documents/${s}`),
          fc.string({ maxLength: 200 }).map((s) => `/documents/${encode(s)}`),
          fc.constantFrom(
            "/documents/..%2F..%2Fetc%2Fpasswd",
            "/documents/../../etc/passwd",
            "/documents/%00",
            "/documents/",
            `/${"a".repeat(5000)}`,
          ),
          fc.string({ maxLength: 100 }).map((s) => `/${s}`),
        ),
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
        fc.constantFrom("application/json", "text/html", "*/*", ""),
        async (rawPath, method, accept) => {
          const path = rawPath.replace(/[#?\s]/g, "_");
          let url: URL;
          try {
            url = new URL(`http://localhost${path.startsWith("/") ? path : `/${path}`}`);
          } catch {
            return;
          }
          const response = await exports.default.fetch(url, { method, headers: accept ? { Accept: accept } : {} });
          if (method === "HEAD") {
            expect(response.status, path).toBeLessThan(500);
            return;
          }
          await checkAnswer(response, `${method} ${path}`);
        },
      ),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
