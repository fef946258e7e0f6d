// The exported app type gives TypeScript clients a typed client (Hono's hc) that works against the worker.
import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { expect, it } from "vitest";
import type { AppType } from "../../worker/index.js";

const client = hc<AppType>("http://localhost", {
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
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = await exports.default.fetch(url);
  expect(second.headers.get("X-Cache")).toBe("HIT");
  expect(await second.json()).toMatchObject({ query: "Zentralasien", limit: 3 });
});
