// The app on the fixture corpus inside workerd: ranking order, HTML escaping, and a refused or broken index.
import { describe, expect, it } from "vitest";
import { ANALYZER_VERSION } from "../../analyzer/index.js";
import { FORMAT_VERSION } from "../../common/artifact.js";
import * as fixture from "../../test-output/fixture-build/artifact.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

const loaded = loadIndex(fixture);
const app = createApp(() => loaded);

async function search(query: string) {
  const res = await app.request(`/search?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { hits: { id: string; titleHtml: string; snippetHtml: string; doc: { title: string } }[]; total: number };
}

describe("ranking at equal relevance", () => {
  it("ranks the exact spelling above another inflection matched through the stem", async () => {
    // Two paragraphs alike but for "Häuser" against "Hauses".
    const ids = (await search("q=H%C3%A4user&prefix=false")).hits.map((h) => h.id);
    expect(ids).toContain("news/ranking/haeuser#1");
    expect(ids.indexOf("news/ranking/haeuser#0")).toBeLessThan(ids.indexOf("news/ranking/haeuser#1"));
  });

  it("finds Universität written as Universitaet and Universitat, the exact spelling first", async () => {
    const ae = await search("q=Universitaet");
    expect(ae.hits[0]?.id).toBe("news/ranking/haeuser#2");
    const umlaut = (await search("q=Universit%C3%A4t")).hits.map((h) => h.id);
    expect(umlaut).toHaveLength(3);
    expect(umlaut.indexOf("news/meldungen/erste#0")).toBeLessThan(umlaut.indexOf("news/ranking/haeuser#2"));
    expect((await search("q=Universitat")).total).toBe(3);
  });
});

describe("escaping", () => {
  it("escapes markup in titles and paragraphs and adds nothing but <mark>", async () => {
    const { hits } = await search("q=Anf%C3%BChrungszeichen&doc=news%2Franking%2Ffeindlich");
    const [hit] = hits;
    expect(hit?.doc.title).toBe('Sonderzeichen <b>fett</b> & "Zitat"');
    expect(hit?.titleHtml).toBe("Sonderzeichen &lt;b&gt;fett&lt;/b&gt; &amp; &quot;Zitat&quot;");
    expect(hit?.snippetHtml).toBe(
      "Text mit &lt;script&gt;alert(1)&lt;/script&gt; und &lt;img src=x onerror=alert(2)&gt; sowie &amp; und &quot;<mark>Anführungszeichen</mark>&quot; und ein stray &lt;/mark&gt; Tag.",
    );
  });

  it("escapes the document page", async () => {
    const res = await app.request("/documents/news%2Franking%2Ffeindlich", { headers: { Accept: "text/html" } });
    const html = await res.text();
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;img src=x onerror=alert(2)&gt;");
  });
});

describe("a refused or broken index", () => {
  const variants: [string, () => unknown, RegExp][] = [
    ["no index", () => loadIndex(null), /No index is bundled: run "npm run build:index"/],
    [
      "another analyzer version",
      () => loadIndex({ ...fixture, manifest: fixture.manifest.replace(`"version": ${ANALYZER_VERSION}\n`, '"version": 999\n') }),
      /built by analyzer fundstelle-german 999.*run "npm run build:index"/,
    ],
    [
      "another format version",
      () => loadIndex({ ...fixture, manifest: fixture.manifest.replace(`"formatVersion": ${FORMAT_VERSION}`, '"formatVersion": 0') }),
      new RegExp(`Index format 0 is not supported \\(this worker reads ${FORMAT_VERSION}\\)`),
    ],
    ["a truncated index", () => loadIndex({ ...fixture, index: fixture.index.slice(0, 1000) }), /truncated/],
    ["a corrupt manifest", () => loadIndex({ ...fixture, manifest: "{" }), /manifest is corrupt/],
    [
      "a corrupt index of the right size",
      () => {
        const bytes = new Uint8Array(fixture.index.slice(0));
        bytes[0] = (bytes[0] ?? 0) ^ 0xff;
        return loadIndex({ ...fixture, index: bytes });
      },
      /index is corrupt \(the index file is not a fundstelle binary index\)/,
    ],
  ];

  it.each(variants)(
    "answers every search with 503 index_unavailable when there is %s, and /health says why",
    async (_name, load, reason) => {
      const broken = createApp(() => load() as never);
      for (const path of ["/search?q=Leipzig", "/suggest?q=Lei", "/collections", "/documents/news%2Fkasachstan"]) {
        const res = await broken.request(path);
        expect(res.status, path).toBe(503);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("index_unavailable");
        expect(body.error.message).toMatch(reason);
      }
      const health = await broken.request("/health");
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "unavailable", reason: expect.stringMatching(reason) });
    },
  );

  it("answers an unexpected exception with a JSON 500 without a stack trace", async () => {
    const failing = createApp(() => {
      throw new TypeError("boom at secret/path.ts:12");
    });
    const res = await failing.request("/search?q=x");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: expect.stringContaining("X-Request-Id") } });
    expect(text).not.toContain("secret/path");
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
  });
});
