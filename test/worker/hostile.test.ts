// Property-based tests inside workerd: whatever a client sends gets a JSON answer of the documented shape, never a 5xx.
// A sample: test/node/hostile.test.ts runs thousands of such cases through the same app in Node.
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";

vi.setConfig({ testTimeout: 300_000 });

import { anyParameters, anyQueryText, checkAnswer } from "./hostile-checks.js";

const send = (path: string) => exports.default.fetch(`http://localhost${path}`);

describe("any request", () => {
  it("any query text gets 200 or 400 with the documented shape", async () => {
    await fc.assert(anyQueryText(send), { numRuns: 150, endOnFailure: true });
  });

  it("any combination of parameters, repeated or not, gets a JSON answer and never a 5xx", async () => {
    await fc.assert(anyParameters(send), { numRuns: 150, endOnFailure: true });
  });

  it("searches the words that name Object.prototype's properties like any other", async () => {
    for (const q of ["Kasachstan%20Constructor", "__proto__", "toString%20valueOf", "%22constructor%20prototype%22"]) {
      const response = await exports.default.fetch(`http://localhost/search?q=${q}`);
      expect(response.status, q).toBe(200);
      await response.arrayBuffer();
    }
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
    // IPv6 clients are limited by their /64: rotating through its addresses does not help.
    let rotated: Response | undefined;
    for (let i = 1; i <= 50 && !rotated; i++) {
      const response = await exports.default.fetch("http://localhost/health", {
        headers: { "CF-Connecting-IP": `2001:db8:7:7::${i.toString(16)}` },
      });
      if (response.status === 429) rotated = response;
      else await response.arrayBuffer();
    }
    expect(rotated?.status).toBe(429);
    const neighbour = await exports.default.fetch("http://localhost/health", { headers: { "CF-Connecting-IP": "2001:db8:7:8::1" } });
    expect(neighbour.status).toBe(200);
    const local = await exports.default.fetch("http://localhost/health");
    expect(local.status).toBe(200);
    for (let i = 0; i < 15; i++) {
      const loopback = await exports.default.fetch("http://localhost/health", { headers: { "CF-Connecting-IP": "127.0.0.1" } });
      expect(loopback.status).toBe(200);
      await loopback.arrayBuffer();
    }
  });
});
