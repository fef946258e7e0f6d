// Property-based tests: whatever a client sends gets a JSON answer of the documented shape, never a 5xx.
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";

vi.setConfig({ testTimeout: 300_000 });

import { checkAnswer, encode } from "./hostile-checks.js";

const hostileText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    '"',
    '""""',
    "-",
    "- - -",
    '-"',
    "\u0000\u0001\u001f",
    "🙂🙂🙂 Kasachstan",
    "שלום مرحبا Kasachstan",
    "a\u0301\u0308\u0327",
    "z. B. ca. 8,75 Mrd.",
    "<script>alert(1)</script>",
    "%",
    "%E0%A4%A",
    "\uD800",
    "Z5+1-Gipfel Goethe-Institut",
    "x".repeat(256),
    "Kasachstan ".repeat(30),
  ),
);

const paramName = fc.constantFrom("q", "limit", "offset", "collection", "doc", "from", "to", "group", "sort", "fuzzy", "prefix", "x", "");
const paramValue = fc.oneof(
  hostileText,
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    "-1",
    "0",
    "1",
    "2",
    "50",
    "51",
    "1000",
    "1001",
    "1e3",
    "0x10",
    "NaN",
    "Infinity",
    "true",
    "false",
    "[]",
    "{}",
    "2024-02-30",
    "2024-10-30",
    "document",
    "date",
    "auto",
    "",
  ),
);

function rawQueryString(pairs: [string, string][], encoded: boolean): string {
  return pairs.map(([k, v]) => (encoded ? `${encode(k)}=${encode(v)}` : `${k}=${v}`)).join("&");
}

describe("any request", () => {
  it("any query text gets 200 or 400 with the documented shape", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.boolean(), async (q, encoded) => {
        const query = encoded ? encode(q) : q.replace(/[#\s]/g, "+");
        const path = `/search?q=${query}`;
        const status = await checkAnswer(await exports.default.fetch(`http://localhost${path}`), path);
        expect([200, 400]).toContain(status);
      }),
      { numRuns: 700, endOnFailure: true },
    );
  });

  it("any combination of parameters, repeated or not, gets a JSON answer and never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/search", "/suggest"),
        fc.array(fc.tuple(paramName, paramValue), { maxLength: 6 }),
        fc.boolean(),
        async (path, pairs, encoded) => {
          const url = `${path}?${rawQueryString(pairs, encoded)}`;
          await checkAnswer(await exports.default.fetch(`http://localhost${url.replace(/[#\s]/g, "+")}`), url);
        },
      ),
      { numRuns: 700, endOnFailure: true },
    );
  });

  it("answers invalid percent-encoding and control characters without an error", async () => {
    for (const path of [
      "/search?q=%E0%A4%A",
      "/search?q=%",
      "/search?q=%00%01",
      "/suggest?q=%FF",
      "/search?limit=%E0",
      "/documents/%E0%A4%A",
      "/search?q=%uD800",
    ]) {
      await checkAnswer(await exports.default.fetch(`http://localhost${path}`), path);
    }
  });
});

describe("rate limiting", () => {
  it("limits one client address with 429 JSON and Retry-After, and leaves requests without the header alone", async () => {
    const client = { "CF-Connecting-IP": "203.0.113.7" };
    let limited: Response | undefined;
    // vitest.config.ts lowers the limit to 10 per 60 s for this test.
    for (let i = 0; i < 50 && !limited; i++) {
      const response = await exports.default.fetch("http://localhost/health", { headers: client });
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get("Retry-After")).toBe("60");
    expect(await limited?.json()).toMatchObject({ error: { code: "rate_limited" } });
    const other = await exports.default.fetch("http://localhost/health", { headers: { "CF-Connecting-IP": "203.0.113.8" } });
    expect(other.status).toBe(200);
    const local = await exports.default.fetch("http://localhost/health");
    expect(local.status).toBe(200);
    for (let i = 0; i < 15; i++) {
      const loopback = await exports.default.fetch("http://localhost/health", { headers: { "CF-Connecting-IP": "127.0.0.1" } });
      expect(loopback.status).toBe(200);
      await loopback.arrayBuffer();
    }
  });
});
