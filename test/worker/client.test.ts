// The typed client (worker/client.ts, "fundstelle/client") works against the worker; the edge cache answers repeats.
import { exports } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import { createClient } from "../../worker/client.js";

const client = createClient("http://localhost", {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(input, init),
});

it("searches through the typed client", async () => {
  const res = await client.search.$get({ query: { q: "Kasachstan", limit: "2" } });
  expect(res.status).toBe(200);
  if (res.status !== 200) return;
  const body = await res.json();
  expect(body.hits).toHaveLength(2);
  expect(body.hits[0]?.doc.collection).toBe("auswaertiges-amt");
});

it("serves repeated queries from the edge cache", async () => {
  const url = "http://localhost/search?q=Zentralasien&limit=3";
  const first = await exports.default.fetch(url);
  await first.text();
  // The first answer is stored after it is sent (ctx.waitUntil); wait for that, bounded, rather than a fixed time.
  const second = await vi.waitFor(
    async () => {
      const res = await exports.default.fetch(url);
      if (res.headers.get("X-Cache") !== "HIT") {
        await res.body?.cancel();
        throw new Error("not cached yet");
      }
      return res;
    },
    { timeout: 5000, interval: 20 },
  );
  expect(await second.json()).toMatchObject({ query: "Zentralasien", limit: 3 });
});
