// The HTTP contract of DESIGN.md against the worker as configured in wrangler.toml, with the real default corpus, inside workerd.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ANALYZER_VERSION } from "../../analyzer/index.js";
import { FORMAT_VERSION } from "../../common/artifact.js";
import type { SearchResponse } from "../../worker/search/search.js";

const SEED = "auswaertiges-amt/deutschland-kasachstan";

async function get(path: string, init?: RequestInit) {
  const response = await exports.default.fetch(`http://localhost${path}`, init);
  return response;
}

async function json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await get(path, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

type SearchBody = SearchResponse;

const searchBody = async (query: string) => (await json<SearchBody>(`/search?${query}`)).body;

async function paragraphsOf(id: string): Promise<string[]> {
  return (await json<{ paragraphs: string[] }>(`/documents/${encodeURIComponent(id)}`)).body.paragraphs;
}

describe("GET /search on the seed page", () => {
  it("finds the trade paragraph for 'kasachstan handel' with marks and offsets into the stored text", async () => {
    const body = await searchBody("q=kasachstan%20handel");
    expect(body).toMatchObject({ query: "kasachstan handel", offset: 0, limit: 10, ignored: [] });
    const [top] = body.hits;
    expect(top?.id).toBe(`${SEED}#1`);
    expect(top?.doc).toEqual({
      id: SEED,
      title: "Deutschland und Kasachstan: bilaterale Beziehungen",
      url: null,
      date: "2024-10-30",
      kind: "Artikel",
      collection: "auswaertiges-amt",
    });
    expect(top?.titleHtml).toBe("Deutschland und <mark>Kasachstan</mark>: bilaterale Beziehungen");
    expect(top?.snippetHtml).toContain("<mark>Kasachstan</mark>");
    const text = (await paragraphsOf(SEED))[1] ?? "";
    const marked = top?.highlights.map(([s, e]) => text.slice(s, e)) ?? [];
    expect(marked).toContain("Kasachstan");
    expect(marked).toContain("Handelsvolumen");
  });

  it("completes the last word as you type ('Kasach')", async () => {
    const body = await searchBody("q=Kasach");
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.every((h) => h.doc.id === SEED)).toBe(true);
    expect(body.hits[0]?.snippetHtml).toMatch(/<mark>Kasach\w*<\/mark>/);
  });

  it("does not complete when prefix=false", async () => {
    expect((await searchBody("q=Kasachsta&prefix=false&fuzzy=0")).total).toBe(0);
    expect((await searchBody("q=Kasachsta&fuzzy=0")).total).toBeGreaterThan(0);
  });

  it("marks inflected forms matched through their stem", async () => {
    const body = await searchBody("q=kasachischer%20Studierender&prefix=false");
    const top = body.hits[0];
    expect(top?.id).toBe(`${SEED}#2`);
    const text = (await paragraphsOf(SEED))[2] ?? "";
    const marked = top?.highlights.map(([s, e]) => text.slice(s, e)) ?? [];
    expect(marked).toEqual(expect.arrayContaining(["kasachischen", "Studierenden"]));
  });

  it("tolerates a typo when exact matches do not fill the page", async () => {
    const body = await searchBody("q=Kasachstn");
    expect(body.hits[0]?.doc.id).toBe(SEED);
    expect((await searchBody("q=Kasachstn&fuzzy=0")).total).toBe(0);
  });

  it("matches a quoted phrase only with its words in order", async () => {
    const body = await searchBody(`q=${encodeURIComponent('"diplomatische Beziehungen"')}`);
    expect(body.hits.map((h) => h.id)).toEqual([`${SEED}#0`]);
    expect((await searchBody(`q=${encodeURIComponent('"Beziehungen diplomatische"')}`)).total).toBe(0);
  });

  it("excludes paragraphs containing a -word", async () => {
    const all = await searchBody("q=Kasachstan&limit=50");
    const without = await searchBody("q=Kasachstan%20-Almaty&limit=50");
    expect(without.total).toBeLessThan(all.total);
    const paragraphs = await paragraphsOf(SEED);
    for (const hit of without.hits) expect(paragraphs[hit.paragraph]).not.toContain("Almaty");
  });

  it("puts paragraphs with all words first and flags partial matches", async () => {
    const body = await searchBody("q=Kasachstan%20Panthers&prefix=false&fuzzy=0&limit=50");
    expect(body.partial).toBe(true);
    const collections = body.hits.map((h) => h.doc.collection);
    expect(new Set(collections)).toEqual(new Set(["auswaertiges-amt", "wikipedia"]));
  });

  it("treats stray quotes, lone minus signs and punctuation as text", async () => {
    for (const q of ['"Kasachstan', "Kasachstan -", "- - ", '"', "Kasachstan!!! ???", "((Almaty))", "-"]) {
      const res = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
    expect((await searchBody(`q=${encodeURIComponent('"Kasachstan')}`)).hits[0]?.doc.id).toBe(SEED);
  });

  it("answers an empty query or one of stop words only with no hits", async () => {
    for (const q of ["", "der die das", "   "]) {
      const body = await searchBody(`q=${encodeURIComponent(q)}`);
      expect(body).toMatchObject({ total: 0, hits: [], partial: false });
    }
    expect((await searchBody("")).hits).toEqual([]);
  });

  it("searches the first 12 words and lists the rest as ignored", async () => {
    const words = "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn";
    expect((await searchBody(`q=${encodeURIComponent(words)}`)).ignored).toEqual(["dreizehn", "vierzehn"]);
  });
});

describe("GET /search: filters, grouping, sorting and paging", () => {
  it("pages through one stable ranking", async () => {
    const all = await searchBody("q=Stadt&limit=20");
    const first = await searchBody("q=Stadt&limit=10");
    const second = await searchBody("q=Stadt&limit=10&offset=10");
    expect(all.hits.length).toBeGreaterThan(10);
    expect([...first.hits, ...second.hits].map((h) => h.id)).toEqual(all.hits.map((h) => h.id));
    expect(second.total).toBe(all.total);
  });

  it("keeps the best paragraph per document with group=document and counts documents", async () => {
    const body = await searchBody("q=Stadt&group=document&limit=50");
    const docs = body.hits.map((h) => h.doc.id);
    expect(new Set(docs).size).toBe(docs.length);
    expect(body.total).toBe(docs.length);
  });

  it("restricts to a collection, a document and a date range; unknown ones match nothing", async () => {
    expect((await searchBody("q=Deutschland&collection=wikipedia&limit=50")).hits.every((h) => h.doc.collection === "wikipedia")).toBe(
      true,
    );
    expect((await searchBody(`q=Deutschland&doc=${encodeURIComponent(SEED)}&limit=50`)).hits.every((h) => h.doc.id === SEED)).toBe(true);
    expect((await searchBody("q=Deutschland&collection=nirgendwo")).total).toBe(0);
    expect((await searchBody("q=Deutschland&from=2024-10-30&to=2024-10-30&limit=50")).hits.every((h) => h.doc.id === SEED)).toBe(true);
    expect((await searchBody("q=Deutschland&from=2024-10-31")).total).toBe(0);
  });

  it("sorts by date, newest first, with sort=date", async () => {
    const body = await searchBody("q=Deutschland&sort=date&limit=50&fuzzy=0&prefix=false");
    expect(body.partial).toBe(false);
    const dates = body.hits.map((h) => h.doc.date ?? "");
    expect(dates[0]).toBe("2024-10-30");
    expect([...dates].sort().reverse()).toEqual(dates);
  });
});

describe("parameter validation", () => {
  it.each([
    ["limit=0", "limit", "limit must be an integer from 1 to 50"],
    ["limit=51", "limit", "limit must be an integer from 1 to 50"],
    ["limit=abc", "limit", "limit must be an integer from 1 to 50"],
    ["limit=2.5", "limit", "limit must be an integer from 1 to 50"],
    ["offset=-1", "offset", "offset must be an integer from 0 to 1000"],
    ["offset=1001", "offset", "offset must be an integer from 0 to 1000"],
    ["fuzzy=3", "fuzzy", "fuzzy must be one of auto, 0, 1, 2"],
    ["prefix=maybe", "prefix", "prefix must be true, false, 1 or 0"],
    ["sort=popular", "sort", "sort must be one of relevance, date"],
    ["group=paragraph", "group", "group must be one of document"],
    ["from=2024-13-01", "from", "from must be a date in the form YYYY-MM-DD"],
    ["to=30.10.2024", "to", "to must be a date in the form YYYY-MM-DD"],
    ["q=a&q=b", "q", "q must be given at most once"],
    ["limit=5&limit=6", "limit", "limit must be given at most once"],
  ])("answers %s with 400 invalid_parameter naming the parameter", async (query, param, message) => {
    const { status, body, headers } = await json(`/search?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: "invalid_parameter", message, param } });
    expect(headers.get("Content-Type")).toContain("application/json");
  });

  it("answers a query over 256 characters with 400 query_too_long", async () => {
    const { status, body } = await json(`/search?q=${"a".repeat(257)}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "query_too_long", param: "q" } });
    expect((await get(`/search?q=${"ä".repeat(256)}`)).status).toBe(200);
  });

  it("accepts true/false/1/0 for booleans and ignores unknown parameters", async () => {
    for (const value of ["true", "false", "1", "0"]) expect((await get(`/search?q=Kasach&prefix=${value}`)).status).toBe(200);
    expect((await get("/search?q=Kasachstan&utm_source=x&foo=bar")).status).toBe(200);
  });
});

describe("GET /suggest", () => {
  it("completes the last word in its usual spelling, never a stem", async () => {
    const { status, body } = await json<{ query: string; suggestions: { text: string; html: string; query: string }[] }>(
      "/suggest?q=Kasach",
    );
    expect(status).toBe(200);
    expect(body.suggestions[0]).toEqual({ text: "Kasachstan", html: "<mark>Kasach</mark>stan", query: "Kasachstan" });
    expect(body.suggestions.map((s) => s.text)).not.toContain("kasach");
    expect(body.suggestions.length).toBeLessThanOrEqual(5);
  });

  it("keeps the words before the completed one and narrows by them", async () => {
    const { body } = await json<{ suggestions: { text: string; query: string }[] }>("/suggest?q=Super%20Bowl%20Pa&limit=3");
    expect(body.suggestions[0]?.query).toBe("Super Bowl Panthers");
  });

  it("gives no suggestions for an empty query and validates limit", async () => {
    expect((await json("/suggest?q=")).body).toEqual({ query: "", suggestions: [] });
    expect((await json("/suggest?q=ka&limit=11")).status).toBe(400);
  });
});

describe("GET /documents/:id", () => {
  it("returns a document by percent-encoded and by raw id", async () => {
    const encoded = await json<{ id: string; paragraphs: string[]; title: string }>(`/documents/${encodeURIComponent(SEED)}`);
    expect(encoded.status).toBe(200);
    expect(encoded.body).toMatchObject({
      id: SEED,
      title: "Deutschland und Kasachstan: bilaterale Beziehungen",
      date: "2024-10-30",
      kind: "Artikel",
    });
    expect(encoded.body.paragraphs).toHaveLength(5);
    expect((await json(`/documents/${SEED}`)).body).toEqual(encoded.body);
  });

  it("answers an unknown id with 404 not_found", async () => {
    const { status, body } = await json("/documents/nirgendwo%2Fnichts");
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: "not_found" } });
    expect((await get("/documents/%E0%A4%A")).status).toBe(404);
  });

  it("renders a readable HTML page with paragraph anchors for browsers", async () => {
    const res = await get(`/documents/${encodeURIComponent(SEED)}`, { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain("<h1>Deutschland und Kasachstan: bilaterale Beziehungen</h1>");
    expect(html).toContain('<p id="p-4">Konrad-Adenauer-Stiftung');
  });
});

describe("GET /collections, /health, /openapi.json, /", () => {
  it("lists collections with counts and attribution", async () => {
    const { body } = await json<{ collections: Record<string, unknown>[] }>("/collections");
    expect(body.collections).toEqual([
      expect.objectContaining({ id: "auswaertiges-amt", title: "Auswärtiges Amt", documents: 1, paragraphs: 5 }),
      expect.objectContaining({ id: "wikipedia", documents: 48, paragraphs: 240, license: "CC BY-SA 4.0" }),
    ]);
  });

  it("reports the loaded index on /health", async () => {
    const { status, body, headers } = await json("/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "ok",
      index: {
        formatVersion: FORMAT_VERSION,
        analyzer: { id: "fundstelle-german", version: ANALYZER_VERSION },
        documents: 49,
        paragraphs: 245,
      },
    });
    expect(headers.get("Cache-Control")).toBe("no-store");
  });

  it("describes the API as OpenAPI 3.1 generated from the validating schemas", async () => {
    const { body } = await json<{
      openapi: string;
      paths: Record<string, { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }>;
    }>("/openapi.json");
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(["/search", "/suggest", "/documents/{id}", "/collections", "/health"]));
    const limit = body.paths["/search"]?.get.parameters.find((p) => p.name === "limit");
    expect(limit?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 50, default: 10 });
  });

  it("serves a home page with security headers", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Security-Policy")).toBeTruthy();
    expect(await res.text()).toContain("fundstelle");
  });
});

describe("HTTP manners", () => {
  it("answers CORS requests and preflights", async () => {
    const res = await get("/search?q=Kasachstan", { headers: { Origin: "https://example.org" } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const preflight = await get("/search?q=x", {
      method: "OPTIONS",
      headers: { Origin: "https://example.org", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("GET");
  });

  it("sends an ETag and Cache-Control, and 304 for a matching If-None-Match", async () => {
    const first = await get("/search?q=Kasachstan&limit=3");
    const etag = first.headers.get("ETag");
    // The corpus's version, the builder's hash (another builder never answers from an older build's cache), the request's.
    expect(etag).toMatch(/^"[0-9a-f]{20}-[0-9a-f]{12}-[0-9a-z]+"$/);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=300");
    const again = await get("/search?limit=3&q=Kasachstan", { headers: { "If-None-Match": etag ?? "" } });
    expect(again.status).toBe(304);
    const other = await get("/search?q=Kasachstan&limit=4", { headers: { "If-None-Match": etag ?? "" } });
    expect(other.status).toBe(200);
  });

  it("answers other methods with 405 and an Allow header", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await get("/search?q=x", { method });
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
      expect(await res.json()).toMatchObject({ error: { code: "method_not_allowed" } });
    }
  });

  it("answers HEAD like GET without a body", async () => {
    const res = await get("/search?q=Kasachstan", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("answers unknown paths with JSON 404 and sets nosniff and a referrer policy everywhere", async () => {
    const res = await get("/nichts/hier");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBeTruthy();
    const search = await get("/search?q=Kasachstan");
    const etag = search.headers.get("ETag") ?? "";
    const answers = [
      search,
      await get("/search?q=Kasachstan", { headers: { "If-None-Match": etag } }),
      await get("/search?limit=0"),
      await get("/documents/auswaertiges-amt%2Fdeutschland-kasachstan", { headers: { Accept: "text/html" } }),
      await get("/widget.js"),
      await get("/"),
      await get("/health"),
      await get("/search", { method: "OPTIONS", headers: { Origin: "https://example.org", "Access-Control-Request-Method": "GET" } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 304, 400, 200, 200, 200, 200, 204]);
    for (const answer of answers) {
      expect(answer.headers.get("X-Content-Type-Options"), answer.url).toBe("nosniff");
      expect(answer.headers.get("Referrer-Policy"), answer.url).toBe("strict-origin-when-cross-origin");
      await answer.body?.cancel();
    }
  });
});
