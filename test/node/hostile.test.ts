// Hostile input through the whole app in process (thousands of cases; a smaller sample runs inside workerd), and
// corpora made of the words that name Object.prototype's properties, through the builder and the app.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { artifactModule, readArtifact } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import type { SearchResponse } from "../../worker/search/search.js";
import { anyParameters, anyQueryText, checkAnswer, encode, PROTOTYPE_WORDS } from "../worker/hostile-checks.js";
import { corpusOf } from "./corpus-of.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const shipped = loadIndex(readArtifact(join(ROOT, "build")));
const app = createApp(() => shipped);
const get = (path: string, init?: RequestInit) => app.request(path, init);

describe("any request, in process", () => {
  it("any query text gets 200 or 400 with the documented shape", async () => {
    await fc.assert(anyQueryText(get), { numRuns: 2500 });
  });

  it("any combination of parameters, repeated or not, gets a JSON answer and never a 5xx", async () => {
    await fc.assert(anyParameters(get), { numRuns: 2500 });
  });

  it("any path, method, document id and Accept header gets a JSON (or HTML) answer and never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }).map((s) => `/documents/${encode(s)}`),
          fc.constantFrom(...PROTOTYPE_WORDS).map((word) => `/documents/${encode(word)}`),
          fc.constantFrom(...PROTOTYPE_WORDS).map((word) => `/${encode(word)}`),
          fc.constantFrom("/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%00", "/documents/", `/${"a".repeat(5000)}`),
        ),
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"),
        fc.oneof(
          fc.constantFrom("application/json", "text/html", "TEXT/HTML", "*/*", "", "text/html;q=0.1, application/json"),
          fc.string(),
        ),
        async (path, method, accept) => {
          let headers: Headers;
          try {
            headers = new Headers(accept ? { Accept: accept } : {});
          } catch {
            headers = new Headers(); // Not a value a client can send.
          }
          const response = await get(path, { method, headers });
          if (method === "HEAD") expect(response.status, path).toBeLessThan(500);
          else await checkAnswer(response, `${method} ${path}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it.each([
    "Kasachstan Constructor",
    "constructor",
    "__proto__",
    "toString valueOf hasOwnProperty",
    '"constructor prototype"',
    "-constructor Kasachstan",
    "Kasachstan constr",
  ])("searches %j like any other text", async (q) => {
    // On main, any query with the word "constructor" answered 500: compounds["constructor"] was Object's.
    const response = await get(`/search?q=${encode(q)}`);
    expect(response.status).toBe(200);
    const suggest = await get(`/suggest?q=${encode(q)}`);
    expect(suggest.status).toBe(200);
  });

  it("chooses HTML or JSON for a document by the Accept header's q-values, in any case", async () => {
    const path = "/documents/auswaertiges-amt%2Fdeutschland-kasachstan";
    const type = async (accept: string) => (await get(path, { headers: { Accept: accept } })).headers.get("Content-Type") ?? "";
    // On main the first took HTML (it came first in the header) and the second JSON (the match was case-sensitive).
    expect(await type("text/html;q=0.1, application/json")).toContain("application/json");
    expect(await type("TEXT/HTML")).toContain("text/html");
    expect(await type("application/json;q=0.5, text/html;q=0.9")).toContain("text/html");
    expect(await type("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toContain("text/html");
    expect(await type("*/*")).toContain("application/json");
    expect(await type("text/html;q=0")).toContain("application/json");
  });
});

describe("document urls an index may hold", () => {
  const corpus = corpusOf(
    [
      { name: "evil", url: "//evil.example/x", paragraphs: ["Astana liegt am Ischim."] },
      { name: "backslash", url: "/\\evil.example/x", paragraphs: ["Almaty liegt im Süden."] },
      { name: "script", url: "JaVaScRiPt:alert(1)", paragraphs: ["Schymkent wächst."] },
      { name: "good", url: "/laender/kasachstan", paragraphs: ["Aqtöbe liegt im Westen."] },
    ],
    "//evil.example/collection",
  );
  const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
  const urls = createApp(() => index);

  it("serves only urls that stay on a site or are absolute http(s), in hits, documents and the document page", async () => {
    const hits = (await (await urls.request("/search?q=liegt%20w%C3%A4chst&limit=50")).json()) as SearchResponse;
    expect(Object.fromEntries(hits.hits.map((hit) => [hit.doc.id, hit.doc.url]))).toMatchObject({
      "test/evil": null,
      "test/backslash": null,
      "test/good": "/laender/kasachstan",
    });
    const evil = (await (await urls.request("/documents/test%2Fevil")).json()) as { url: string | null };
    expect(evil.url).toBeNull();
    const page = await (await urls.request("/documents/test%2Fevil", { headers: { Accept: "text/html" } })).text();
    expect(page).not.toContain("evil.example");
    const collections = (await (await urls.request("/collections")).json()) as { collections: { url: string | null }[] };
    expect(collections.collections[0]?.url).toBeNull();
  });
});

describe("a corpus made of the words that name Object.prototype's properties", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const word = fc.constantFrom(...PROTOTYPE_WORDS);
  const german = fc.constantFrom("Kasachstan", "Handel", "Astana", "Steppe", "Botschaft", "Zusammenarbeit");
  const sentence = fc.array(fc.oneof(word, german), { minLength: 2, maxLength: 8 }).map((words) => `${words.join(" ")}.`);
  const fileName = word.filter((name) => !name.startsWith("."));

  it("builds, and every document is found by its words and looked up by its id", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fileName, { minLength: 1, maxLength: 4 }),
        word,
        fc.array(sentence, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(word, word), { maxLength: 3 }),
        async (names, collection, sentences, synonyms) => {
          const dir = mkdtempSync(join(tmpdir(), "fundstelle-proto-"));
          dirs.push(dir);
          mkdirSync(join(dir, collection));
          writeFileSync(join(dir, collection, "collection.json"), JSON.stringify({ title: collection }));
          const lines = synonyms.filter(([a, b]) => a.toLowerCase() !== b.toLowerCase()).map(([a, b]) => `${a}, ${b}, Kasachstan`);
          writeFileSync(join(dir, "synonyms.txt"), `${lines.join("\n")}\n`);
          names.forEach((name, i) => {
            const md = [`---`, `title: "${name} ${collection}"`, `__proto__: {"url": "//evil.example"}`, `---`, "", ...sentences, ""];
            if (i % 2 === 0) writeFileSync(join(dir, collection, `${name}.md`), md.join("\n"));
            else {
              const line = { id: name, title: `${name} Titel`, paragraphs: sentences };
              writeFileSync(join(dir, collection, `${name}.jsonl`), `${JSON.stringify(line)}\n`);
            }
          });
          // On main this threw "parts is not iterable" (analyzer) or "known.some is not a function" (synonyms).
          const index = loadIndex(artifactModule(buildArtifact(await readCorpus(dir), null, "test")));
          const proto = createApp(() => index);
          for (const doc of index.store.documents) {
            expect(doc.url).toBeNull();
            const found = await proto.request(`/documents/${encode(doc.id)}`);
            expect(found.status).toBe(200);
          }
          for (const text of [...sentences, collection, ...names]) {
            const response = await proto.request(`/search?q=${encode(text)}&collection=${encode(collection)}`);
            expect(response.status, text).toBe(200);
            const body = (await response.json()) as SearchResponse;
            const searchable = /[\p{L}\p{N}]{2,}/u.test(text.replace(/_/g, ""));
            if (searchable && text !== collection) expect(body.total, text).toBeGreaterThan(0);
          }
          const collections = (await (await proto.request("/collections")).json()) as { collections: { id: string; title: string }[] };
          expect(collections.collections).toEqual([expect.objectContaining({ id: collection, title: collection })]);
        },
      ),
      { numRuns: 25 },
    );
  });
});
