import { describe, expect, it } from "vitest";
import { isSafeUrl } from "../../common/safe-url.js";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { servedPath } from "../../index-builder/source.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { search } from "../../worker/search/search.js";
import { corpusErrorOfAsync } from "./corpus-error-of.js";
import { scratchCorpora } from "./scratch-corpus.js";

/** A new corpus folder holding these files: path under the corpus → content. */
const corpusWith = scratchCorpora("base-url");

const page = (title: string, head = "") =>
  `<html><head><title>${title}</title>${head}</head><body><p>Text über ${title}.</p></body></html>`;

/** A built site's folder with every kind of page, in the collection "hilfe". */
function siteWith(baseUrl: unknown, extra: Record<string, string> = {}): string {
  return corpusWith({
    "hilfe/collection.json": JSON.stringify({ title: "Hilfe", baseUrl }),
    "hilfe/index.html": page("Start"),
    "hilfe/a/index.html": page("Bereich A"),
    "hilfe/a/b.html": page("Seite B"),
    "hilfe/a/alt.htm": page("Alte Seite"),
    "hilfe/Über uns.html": page("Über uns"),
    "hilfe/c.md": "# Markdown\n\nText aus Markdown.\n",
    "hilfe/d/index.md": "# Ordnerseite\n\nText der Ordnerseite.\n",
    "hilfe/e.txt": "Klartext\n\nText aus einer Textdatei.\n",
    "hilfe/kanonisch.html": page("Kanonisch", '<link rel="canonical" href="https://kanonisch.example/seite">'),
    "hilfe/eigen.md": "---\ntitle: Eigene Adresse\nurl: /anderswo/eigen\n---\nText mit eigener Adresse.\n",
    "hilfe/daten.jsonl": `${JSON.stringify({ id: "ohne", title: "Ohne", paragraphs: ["p"] })}\n${JSON.stringify({ id: "mit", title: "Mit", paragraphs: ["p"], url: "/mit" })}\n`,
    ...extra,
  });
}

const urlsOf = async (dir: string) => Object.fromEntries((await readCorpus(dir)).documents.map((doc) => [doc.id, doc.url]));

describe("the path a web server serves a file at", () => {
  it.each([
    ["index.html", ""],
    ["a/index.html", "a/"],
    ["a/index.htm", "a/"],
    ["a/b.html", "a/b.html"],
    ["a/b.htm", "a/b.htm"],
    ["a/B.HTML", "a/B.HTML"],
    ["a/Index.html", "a/Index.html"],
    ["c.md", "c.html"],
    ["a/c.MD", "a/c.html"],
    ["a/index.md", "a/"],
    ["index.txt", ""],
    ["e.txt", "e.html"],
    ["Über uns.html", "%C3%9Cber%20uns.html"],
    ["Straße & Plätze/50%.html", "Stra%C3%9Fe%20%26%20Pl%C3%A4tze/50%25.html"],
  ])("serves %j at %j", (path, served) => {
    expect(servedPath(path)).toBe(served);
  });
});

describe("baseUrl in collection.json", () => {
  it("gives each page of a built site the url it is served at; a canonical link or front matter url still wins", async () => {
    expect(await urlsOf(siteWith("https://www.example.org/hilfe"))).toEqual({
      "hilfe/index": "https://www.example.org/hilfe/",
      "hilfe/a/index": "https://www.example.org/hilfe/a/",
      "hilfe/a/b": "https://www.example.org/hilfe/a/b.html",
      "hilfe/a/alt": "https://www.example.org/hilfe/a/alt.htm",
      "hilfe/Über uns": "https://www.example.org/hilfe/%C3%9Cber%20uns.html",
      "hilfe/c": "https://www.example.org/hilfe/c.html",
      "hilfe/d/index": "https://www.example.org/hilfe/d/",
      "hilfe/e": "https://www.example.org/hilfe/e.html",
      "hilfe/kanonisch": "https://kanonisch.example/seite",
      "hilfe/eigen": "/anderswo/eigen",
      // JSON lines have no file path per document: only their own url field counts.
      "hilfe/daten/ohne": null,
      "hilfe/daten/mit": "/mit",
    });
  });

  it("takes a site path and keeps a trailing slash that is already there", async () => {
    const urls = await urlsOf(siteWith("/hilfe"));
    expect(urls).toMatchObject({
      "hilfe/index": "/hilfe/",
      "hilfe/a/index": "/hilfe/a/",
      "hilfe/a/b": "/hilfe/a/b.html",
      "hilfe/c": "/hilfe/c.html",
    });
    expect(await urlsOf(siteWith("https://www.example.org/"))).toMatchObject({
      "hilfe/index": "https://www.example.org/",
      "hilfe/a/b": "https://www.example.org/a/b.html",
    });
    for (const url of Object.values(urls)) if (url !== null) expect(isSafeUrl(url)).toBe(true);
  });

  it("gives a page whose canonical link is refused its url from baseUrl, and says so in the warning", async () => {
    const dir = siteWith("/hilfe", { "hilfe/schlecht.html": page("Schlecht", '<link rel="canonical" href="javascript:alert(1)">') });
    const corpus = await readCorpus(dir);
    expect(corpus.documents.find((doc) => doc.id === "hilfe/schlecht")?.url).toBe("/hilfe/schlecht.html");
    expect(corpus.warnings.find((warning) => warning.file === "hilfe/schlecht.html")?.problem).toBe(
      'canonical link "javascript:alert(1)" is neither an http(s) URL nor a path starting with /; the page is indexed at its url from baseUrl, /hilfe/schlecht.html',
    );
  });

  it("carries the url through the build to search hits", async () => {
    const index = loadIndex(artifactModule(buildArtifact(await readCorpus(siteWith("https://www.example.org/hilfe")), null, "test")));
    const hit = search(index, { q: "Bereich", limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false }).hits[0];
    expect(hit?.doc).toMatchObject({ id: "hilfe/a/index", url: "https://www.example.org/hilfe/a/" });
  });

  it.each([
    ["//evil.example", 'hilfe/collection.json: baseUrl "//evil.example" starts with // (another host)'],
    ["javascript:x", 'hilfe/collection.json: baseUrl "javascript:x" is neither an http(s) URL nor a path starting with /'],
    ["https:evil.example", 'hilfe/collection.json: baseUrl "https:evil.example" needs // and a host after the scheme'],
    [
      "/hilfe/?seite=1",
      'hilfe/collection.json: baseUrl "/hilfe/?seite=1" has a query or fragment (? or #): give the folder the pages are served from',
    ],
    [42, "hilfe/collection.json: baseUrl must be a string"],
  ])("refuses the baseUrl %j, naming collection.json", async (baseUrl, message) => {
    expect((await corpusErrorOfAsync(readCorpus(siteWith(baseUrl)))).message).toBe(message);
  });

  it("leaves the urls of a collection without baseUrl as they were, beside one that has it", async () => {
    const dir = siteWith("/hilfe", {
      "presse/collection.json": JSON.stringify({ title: "Presse" }),
      "presse/index.html": page("Presse"),
      "presse/c.md": "# Meldung\n\nText der Meldung.\n",
      "presse/e.txt": "Klartext\n\nText aus einer Textdatei.\n",
      "blog/a/index.html": page("Blog"),
    });
    const urls = await urlsOf(dir);
    expect(urls).toMatchObject({
      "hilfe/index": "/hilfe/",
      "presse/index": null,
      "presse/c": null,
      "presse/e": null,
      "blog/a/index": null,
    });
  });
});

describe("a collection's urls.tsv (the crawler's list of where each file was fetched)", () => {
  it("gives a listed file its url, ahead of baseUrl; a canonical link still wins; unlisted files keep baseUrl", async () => {
    const dir = siteWith("https://www.example.org/hilfe/", {
      "hilfe/urls.tsv": [
        "# path<TAB>url, written by npm run crawl",
        "a/b.html\thttps://www.example.org/hilfe/seite.php?id=12",
        "e.txt\thttps://www.example.org/e\t2026-11-01",
        "kanonisch.html\thttps://www.example.org/hilfe/kanonisch",
        "",
      ].join("\n"),
    });
    const urls = await urlsOf(dir);
    expect(urls).toMatchObject({
      "hilfe/a/b": "https://www.example.org/hilfe/seite.php?id=12",
      "hilfe/e": "https://www.example.org/e",
      "hilfe/kanonisch": "https://kanonisch.example/seite",
      "hilfe/a/index": "https://www.example.org/hilfe/a/",
    });
    const docs = (await readCorpus(dir)).documents;
    expect(docs.find((doc) => doc.id === "hilfe/e")?.date).toBe("2026-11-01");
    // The list is no document of its own.
    expect(Object.keys(urls)).not.toContain("hilfe/urls");
  });

  it.each([
    ["a/b.html https://x.example/", "hilfe/urls.tsv:1: each line must be a file's path, a tab and its url"],
    ["a/b.html\tjavascript:alert(1)", "hilfe/urls.tsv:1: the url of a/b.html"],
    ["a/b.html\thttps://x.example/\na/b.html\thttps://y.example/", "hilfe/urls.tsv:2: lists a/b.html twice"],
    ["a/b.html\thttps://x.example/\t2026-02-30", 'hilfe/urls.tsv:1: the date of a/b.html, "2026-02-30", is not a date (YYYY-MM-DD)'],
  ])("refuses the line %j, naming the file and line", async (text, message) => {
    const error = await corpusErrorOfAsync(readCorpus(siteWith(null, { "hilfe/urls.tsv": text })));
    expect(error.message.startsWith(message)).toBe(true);
  });
});
