// The crawler's pure parts: sitemaps, robots headers, file names for URLs, the scope, text as the corpus keeps it,
// Retry-After; and the network's failures named (DNS, TLS) by the fetcher.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { pageDate } from "../../index-builder/crawl/crawler.js";
import { PoliteFetcher, retryAfterMs } from "../../index-builder/crawl/fetcher.js";
import { corpusText, headerRobots, pageFacts } from "../../index-builder/crawl/page.js";
import { fileOfUrl, normalUrl, Scope } from "../../index-builder/crawl/scope.js";
import { collectionOfHost, userAgentOf } from "../../index-builder/crawl/settings.js";
import { parseSitemap } from "../../index-builder/crawl/sitemap.js";
import { loadState } from "../../index-builder/crawl/state.js";

const encode = (text: string) => new TextEncoder().encode(text);
const MB = 1024 * 1024;

describe("a sitemap", () => {
  it("lists its pages with their lastmod, entities decoded, in any namespace prefix", () => {
    const xml = `<?xml version="1.0"?><sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sm:url><sm:loc> https://www.example.de/a?x=1&amp;y=2 </sm:loc><sm:lastmod>2026-11-01</sm:lastmod></sm:url>
      <sm:url><sm:loc>https://www.example.de/b</sm:loc></sm:url></sm:urlset>`;
    expect(parseSitemap(encode(xml), MB)).toEqual({
      kind: "urlset",
      entries: [
        { loc: "https://www.example.de/a?x=1&y=2", lastmod: "2026-11-01" },
        { loc: "https://www.example.de/b", lastmod: null },
      ],
    });
  });

  it("is an index when it lists sitemaps, and is read gzipped whatever its name", () => {
    const xml = `<sitemapindex><sitemap><loc>https://www.example.de/s1.xml.gz</loc></sitemap></sitemapindex>`;
    expect(parseSitemap(gzipSync(xml), MB)).toEqual({
      kind: "sitemapindex",
      entries: [{ loc: "https://www.example.de/s1.xml.gz", lastmod: null }],
    });
  });

  it.each([
    ["an HTML page", encode("<!doctype html><html><body>Start</body></html>"), "is an HTML page, not a sitemap"],
    ["other XML", encode("<rss><channel/></rss>"), "is not a sitemap (its root element is <rss>)"],
    ["nothing", encode("   "), "is empty or not XML"],
    ["broken gzip", new Uint8Array([0x1f, 0x8b, 1, 2, 3]), "is not valid gzip"],
  ])("refuses %s, saying what it is", (_, bytes, problem) => {
    const result = parseSitemap(bytes, MB);
    expect("problem" in result && result.problem.startsWith(problem)).toBe(true);
  });

  it("refuses one larger than the limit, and a gzip bomb once it unpacks past it, without unpacking the rest", () => {
    const big = `<urlset>${"<url><loc>https://www.example.de/seite</loc></url>".repeat(30_000)}</urlset>`;
    expect(parseSitemap(encode(big), MB)).toEqual({ problem: "is larger than 1 MB" });
    const bomb = gzipSync(Buffer.alloc(60 * MB, 32));
    expect(bomb.byteLength).toBeLessThan(MB);
    expect(parseSitemap(bomb, 50 * MB)).toEqual({ problem: "is larger than 50 MB once decompressed" });
  });
});

describe("what a page says about itself", () => {
  it("gives its links resolved against <base>, without fragments, nofollow links, mailto and javascript", () => {
    const facts = pageFacts(
      `<base href="https://www.example.de/hilfe/"><a href="a.html#x">A</a><a href="mailto:x@example.de">M</a>
       <a href="javascript:void(0)">J</a><a href="b.html" rel="nofollow">B</a><a href="a.html">A again</a>
       <link rel="canonical" href="/hilfe/seite"><meta name="robots" content="noindex">`,
      "https://www.example.de/x/seite.html",
    );
    expect(facts).toEqual({
      links: ["https://www.example.de/hilfe/a.html"],
      canonical: "https://www.example.de/hilfe/seite",
      noindex: true,
      nofollow: false,
      siteName: null,
    });
  });

  it("follows no link of a nofollow page", () => {
    expect(pageFacts('<meta name="robots" content="nofollow"><a href="/a">A</a>', "https://www.example.de/").links).toEqual([]);
  });

  it.each([
    ["noindex", true, false],
    ["noindex, nofollow", true, true],
    ["none", true, true],
    ["googlebot: noindex, nofollow", false, false],
    ["googlebot: noindex, fundstelle: nofollow", false, true],
    ["unavailable_after: 25 Jun 2027 15:00:00 PST, noindex", true, false],
  ])("reads the X-Robots-Tag %j", (header, noindex, nofollow) => {
    expect(headerRobots(header)).toEqual({ noindex, nofollow });
  });
});

describe("text as the corpus keeps it", () => {
  it("keeps UTF-8 and declared encodings the builder reads alike, byte for byte", () => {
    const page = encode('<meta charset="utf-8"><p>Bürgerbüro</p>');
    expect(corpusText(page, "text/html; charset=utf-8", true)).toMatchObject({ bytes: page, note: null });
  });

  it("re-encodes a page whose charset only the header names, with a <meta> the builder reads", () => {
    const latin = Buffer.from("<p>Öffnungszeiten</p>", "latin1");
    const kept = corpusText(latin, "text/html; charset=ISO-8859-1", true);
    expect("bytes" in kept && new TextDecoder().decode(kept.bytes)).toBe('<meta charset="utf-8"><p>Öffnungszeiten</p>');
  });

  it("reads a page that claims UTF-8 but is not as windows-1252, and says so", () => {
    const bytes = Buffer.concat([Buffer.from("<p>Gebühr: 37 ", "latin1"), Buffer.from([0x80]), Buffer.from("</p>")]);
    const kept = corpusText(bytes, "text/html; charset=utf-8", true);
    expect(kept).toMatchObject({ text: "<p>Gebühr: 37 €</p>", note: "is not valid utf-8 though it says so: read as windows-1252" });
  });

  it("refuses binary data served as text", () => {
    expect(corpusText(new Uint8Array([0x25, 0x50, 0, 1, 2]), "text/html", true)).toEqual({
      problem: "is binary data, though served as text/html",
    });
  });
});

describe("addresses", () => {
  it.each([
    ["https://www.example.de/buerger/ausweis/", ".html", "buerger/ausweis/index.html"],
    ["https://www.example.de/buerger/ausweis", ".html", "buerger/ausweis.html"],
    ["https://www.example.de/a.htm", ".html", "a.htm"],
    ["https://www.example.de/satzung", ".pdf", "satzung.pdf"],
    ["https://www.example.de/%C3%9Cber%20uns.html", ".html", "Über uns.html"],
    ["https://www.example.de/a%23b%3Fc", ".html", "a-b-c.html"],
    // An encoded slash decodes to a separator; dot segments must not climb out of the collection folder.
    ["https://www.example.de/..%2F..%2Fetc", ".html", "--/--/etc.html"],
  ])("writes %s as %s", (url, extension, file) => {
    expect(fileOfUrl(url, extension)).toBe(file);
  });

  it("gives each query string a file of its own", () => {
    const a = fileOfUrl("https://www.example.de/index.php?id=12", ".html");
    const b = fileOfUrl("https://www.example.de/index.php?id=13", ".html");
    expect(a).toMatch(/^index\.php-[0-9a-f]{8}\.html$/);
    expect(a).not.toBe(b);
  });

  it("normalises: no fragment, lower-case host, no default port; refuses other schemes and credentials", () => {
    expect(normalUrl("HTTPS://WWW.Example.DE:443/a#b")).toBe("https://www.example.de/a");
    expect(normalUrl("ftp://example.de/")).toBeNull();
    expect(normalUrl("https://user:pw@example.de/")).toBeNull();
  });

  it("keeps to the start's site and folder, the include and exclude patterns, and skips non-documents unfetched", () => {
    const scope = new Scope(["https://www.example.de/hilfe/index.html"], [], ["**/druck/**"]);
    expect(scope.verdict("https://www.example.de/hilfe/a/b.html")).toBeNull();
    expect(scope.verdict("https://www.example.de/presse/")?.reason).toBe("scope");
    expect(scope.verdict("http://www.example.de/hilfe/")?.reason).toBe("scope");
    expect(scope.verdict("https://www.example.de/hilfe/druck/a.html")?.detail).toBe('excluded by "**/druck/**"');
    expect(scope.verdict("https://www.example.de/hilfe/bild.JPG")?.reason).toBe("type");
  });

  it("names a collection after the host and a User-Agent after the contact", () => {
    expect(collectionOfHost("www.musterhausen.de")).toBe("musterhausen-de");
    expect(userAgentOf("webmaster@musterhausen.de\r\nX: y")).toBe(
      "fundstelle-crawler/0.1 (site search indexer; webmaster@musterhausen.deX: y)",
    );
  });

  it("dates a page by its sitemap lastmod, else by a Last-Modified that is not just now", () => {
    const now = Date.parse("2026-12-07T12:00:00Z");
    expect(pageDate("2026-11-01T08:00:00+01:00", null, now)).toBe("2026-11-01");
    expect(pageDate(null, "Tue, 01 Sep 2026 10:00:00 GMT", now)).toBe("2026-09-01");
    expect(pageDate(null, "Mon, 07 Dec 2026 11:59:00 GMT", now)).toBeNull();
    expect(pageDate("gestern", "kaputt", now)).toBeNull();
    // Date.parse takes it; the builder would refuse it in urls.tsv and stop.
    expect(pageDate("2024-02-30", null, now)).toBeNull();
  });

  it("reads Retry-After in seconds and as a date", () => {
    expect(retryAfterMs("120")).toBe(120_000);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:00 GMT", Date.parse("Wed, 21 Oct 2026 07:27:00 GMT"))).toBe(60_000);
    expect(retryAfterMs("bald")).toBeNull();
  });
});

describe("the crawl state", () => {
  it("is refused when a file would lie outside the collection folder (a state from a poisoned cache)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fundstelle-state-"));
    try {
      const entry = { url: "https://www.example.de/", hash: "x", status: 200, checked: "2026-12-07T00:00:00Z" };
      for (const file of ["../../etc/passwd", "/etc/passwd", "a/../../b.html", "a//b.html"]) {
        writeFileSync(join(dir, "s.json"), JSON.stringify({ format: 1, collection: "c", entries: [{ ...entry, file }] }));
        expect(loadState(join(dir, "s.json"), "c").problem, file).toMatch(/is not a crawl state this version reads/);
      }
      writeFileSync(join(dir, "s.json"), JSON.stringify({ format: 1, collection: "c", entries: [{ ...entry, file: "a/b.html" }] }));
      expect(loadState(join(dir, "s.json"), "c").entries.get("https://www.example.de/")?.file).toBe("a/b.html");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the network's failures, named", () => {
  const fetcher = () =>
    new PoliteFetcher({
      userAgent: "test",
      inFlight: 1,
      delayMs: 0,
      timeoutMs: 2000,
      maxBytes: MB,
      redirects: 5,
      retries: 0,
      retryAfterMs: 1000,
      mayFollow: () => null,
    });

  it("a host name that does not resolve", async () => {
    const outcome = await fetcher().fetch("http://nichtda.invalid/");
    expect(outcome).toMatchObject({ ok: false, reason: "error", detail: expect.stringMatching(/does not resolve/) });
  });

  it("a TLS connection that fails (https to a server that speaks plain HTTP)", async () => {
    const server = createServer((_, res) => res.end("hallo"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const outcome = await fetcher().fetch(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(outcome).toMatchObject({ ok: false, reason: "error", detail: expect.stringMatching(/TLS/) });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
