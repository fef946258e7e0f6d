// npm run crawl against a town's site served on loopback: what it fetches, writes, skips and names, how gently, and
// what a second crawl fetches again; then the ordinary build finds the crawled pages at their addresses.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { runBuildCommand } from "../../index-builder/command.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { runCrawlCommand } from "../../index-builder/crawl/command.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { search } from "../../worker/search/search.js";
import { type FixtureSite, startFixtureSite } from "./crawl-site.js";

let site: FixtureSite;
let project: string;
const collection = () => join(project, "corpus/musterhausen");

beforeAll(async () => {
  site = await startFixtureSite();
  project = mkdtempSync(join(tmpdir(), "fundstelle-crawl-"));
  // The project's settings: fast for a test (no delay, short timeout), tight limits so that the traps show.
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "stadt",
      fundstelle: {
        crawl: {
          collection: "musterhausen",
          contact: "webmaster@musterhausen.example",
          limits: { delayMs: 0, timeoutSeconds: 1, retries: 1, variantsPerPath: 4, megabytes: 0.1 },
        },
      },
    }),
  );
});
afterAll(async () => {
  await site.close();
  rmSync(project, { recursive: true, force: true });
});

/** Runs the crawl in the project with these arguments: its exit code and what it printed. */
async function crawl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCrawlCommand(argv, { cwd: project, env: {}, out: (l) => out.push(l), err: (l) => err.push(l), backoffMs: 10 });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const report = () => readFileSync(join(project, ".fundstelle/crawl/musterhausen-report.txt"), "utf8");
const requested = (path: string) => site.requests.filter((r) => r.path === path);
const file = (path: string) => join(collection(), path);

describe("a first crawl of a town's site", () => {
  let result: Awaited<ReturnType<typeof crawl>>;
  beforeAll(async () => {
    result = await crawl(`${site.origin}/`);
  });

  it("finishes, naming the collection folder and the report", () => {
    expect(result.err).not.toMatch(/^error: the crawl kept no page/m);
    expect(result.code).toBe(0);
    expect(result.out).toContain("Crawled into corpus/musterhausen/");
    expect(result.out).toContain(".fundstelle/crawl/musterhausen-report.txt");
  });

  it("writes pages found by links and by the sitemap index and its gzipped sitemap, PDFs by their Content-Type", () => {
    for (const path of [
      "index.html",
      "buerger/personalausweis.html",
      "buerger/hundesteuer.html",
      "verwaiste-seite.html",
      "nur-von-noindex.html",
      "ueberlastet.html",
      "dokumente/hundesteuersatzung.pdf",
      "dokumente/formular.pdf",
    ])
      expect(existsSync(file(path)), path).toBe(true);
    expect(readFileSync(file("dokumente/formular.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    // Served as application/octet-stream by a download script: read as the PDF it is.
    expect(readFileSync(file("urls.tsv"), "utf8")).toMatch(
      /dokumente\/download\.php-[0-9a-f]{8}\.pdf\t.*\/dokumente\/download\.php\?datei=7\n/,
    );
  });

  it("files a redirected page under its final address, in urls.tsv, and names the redirect; the site's name titles the collection", () => {
    expect(existsSync(file("alt.html"))).toBe(false);
    expect(report()).toMatch(/skipped \(a redirect \(its target is crawled\)\): .*\/alt — redirects to .*\/buerger\/neu/);
    expect(JSON.parse(readFileSync(file("collection.json"), "utf8")).title).toBe("Stadt Musterhausen");
    const urls = readFileSync(file("urls.tsv"), "utf8");
    expect(urls).toContain(`buerger/neu.html\t${site.origin}/buerger/neu\n`);
    expect(urls).toContain(`dokumente/formular.pdf\t${site.origin}/dokumente/formular\n`);
    // The sitemap's lastmod dates a page that names no date itself.
    expect(urls).toContain(`buerger/hundesteuer.html\t${site.origin}/buerger/hundesteuer\t2026-11-01\n`);
  });

  it("obeys its own robots.txt group: nothing under /intern/ is requested, though * may not crawl at all, not even by a redirect", () => {
    expect(site.requests.some((r) => r.path.startsWith("/intern/"))).toBe(false);
    expect(report()).toMatch(
      /skipped \(disallowed by robots\.txt\): .*\/weiter — redirects to .*\/intern\/geheim, disallowed by robots\.txt/,
    );
    expect(report()).toMatch(/skipped \(disallowed by robots\.txt\): .*\/intern\/geheim/);
  });

  it("skips noindex pages (meta and X-Robots-Tag) but follows their links, and keeps one copy per canonical address", () => {
    expect(existsSync(file("noindex-seite.html"))).toBe(false);
    expect(existsSync(file("xrobots.html"))).toBe(false);
    expect(existsSync(file("kopie.html"))).toBe(false);
    expect(report()).toMatch(/skipped \(noindex\): .*\/noindex-seite/);
    expect(report()).toMatch(/skipped \(noindex\): .*\/xrobots — X-Robots-Tag/);
    expect(report()).toMatch(/skipped \(another canonical address\): .*\/kopie — .*\/buerger\/personalausweis/);
  });

  it("names every bad case in the report and goes on: loop, 404, timeout, junk, size, calendar trap, other sites", () => {
    const text = report();
    expect(text).toMatch(/error: .*\/schleife-a — redirects in a loop/);
    expect(text).toMatch(/error: .*\/fehlt — answered 404 \(a broken link: found in the sitemap .*\/sitemap-seiten\.xml\)/);
    expect(text).toMatch(/error: .*\/langsam — did not answer in full within 1 s/);
    expect(text).toMatch(/skipped \(not a document type\): .*\/binaer — is binary data/);
    expect(text).toMatch(/skipped \(too large\): .*\/gross — is larger than the 0\.1 MB/);
    expect(text).toMatch(/skipped \(too many query variants of one path\): .*\/kalender\?monat=5/);
    expect(text).toMatch(/skipped \(out of scope\): https:\/\/anderswo\.example\/seite/);
    expect(requested("/kalender?monat=5")).toHaveLength(0);
    expect(site.requests.some((r) => r.path.includes("bild.jpg") || r.path.includes("nicht-folgen"))).toBe(false);
    expect(result.out).toMatch(/skipped 1 \(too many query variants of one path\)/);
  });

  it("waits as a 503's Retry-After asks before trying again", () => {
    const tries = requested("/ueberlastet");
    expect(tries).toHaveLength(2);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("reads sitemaps of its own site only", () => {
    expect(site.requests.some((r) => r.path === "/fremd-sitemap.xml")).toBe(false);
    expect(result.err).toMatch(/note: sitemap http:\/\/localhost:\d+\/fremd-sitemap\.xml is on another site than the crawl's: not read/);
  });

  it("gives / and /index.html files of their own, and keeps a page whose canonical address redirects back to it", () => {
    const urls = readFileSync(file("urls.tsv"), "utf8");
    expect(urls).toContain(`index.html\t${site.origin}/\n`);
    expect(urls).toMatch(new RegExp(`index-[0-9a-f]{8}\\.html\\t${site.origin.replace(/[.]/g, "\\.")}/index\\.html\\n`));
    expect(urls).toContain(`seite.html\t${site.origin}/seite\n`);
  });

  it("is gentle and anonymous: at most 2 requests at once, a User-Agent with the contact, never a cookie", () => {
    expect(site.maxInFlight).toBeLessThanOrEqual(2);
    expect(site.requests.every((r) => r.userAgent.includes("fundstelle") && r.userAgent.includes("webmaster@musterhausen.example"))).toBe(
      true,
    );
    expect(site.requests.every((r) => r.cookie === undefined)).toBe(true);
  });

  it("keeps a page without a charset that is not UTF-8 as a browser reads it (windows-1252), in UTF-8", () => {
    const text = readFileSync(file("latin1.html"), "utf8");
    expect(text.startsWith('<meta charset="utf-8">')).toBe(true);
    expect(text).toContain("Das Bürgerbüro öffnet um 8 Uhr.");
  });

  it("gives the ordinary build a corpus it builds, and search finds the pages at their addresses", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBuildCommand(["--out", "build", "--quiet"], {
      cwd: project,
      env: {},
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(err.join("\n")).toBe("");
    expect(code).toBe(0);
    const index = loadIndex(artifactModule(buildArtifact(await readCorpus(join(project, "corpus")), null, "test")));
    const urlsFor = (q: string) =>
      search(index, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false }).hits.map((hit) => hit.doc.url);
    expect(urlsFor("Sperrmüll")[0]).toBe(`${site.origin}/buerger/neu`);
    expect(urlsFor("Hundesteuersatzung")).toContain(`${site.origin}/dokumente/hundesteuersatzung.pdf`);
    expect(urlsFor("Bürgerbüro öffnet")[0]).toBe(`${site.origin}/latin1`);
    const dated = search(index, { q: "Hundesteuer", limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false }).hits.find(
      (hit) => hit.doc.url === `${site.origin}/buerger/hundesteuer`,
    );
    expect(dated?.doc.date).toBe("2026-11-01");
  });
});

describe("a second crawl", () => {
  it("with nothing changed asks conditionally, skips what the sitemap says is unchanged, and touches no file", async () => {
    expect(existsSync(file("bürgeramt.html"))).toBe(true);
    const times = new Map(
      ["index.html", "buerger/personalausweis.html", "buerger/hundesteuer.html", "dokumente/hundesteuersatzung.pdf"].map((p) => [
        p,
        statSync(file(p)).mtimeMs,
      ]),
    );
    const before = site.requests.length;
    const result = await crawl(`${site.origin}/`);
    expect(result.code).toBe(0);
    const again = site.requests.slice(before);
    expect(again.find((r) => r.path === "/buerger/personalausweis")?.ifNoneMatch).toBe('"ausweis-v1"');
    expect(again.find((r) => r.path === "/dokumente/hundesteuersatzung.pdf")?.ifNoneMatch).toBe('"satzung-1"');
    // The sitemap's lastmod is the one of the copy: no request at all.
    expect(again.some((r) => r.path === "/buerger/hundesteuer")).toBe(false);
    for (const [path, mtime] of times) expect(statSync(file(path)).mtimeMs, path).toBe(mtime);
    expect(result.out).toMatch(/0 new, 0 changed, \d+ unchanged, 0 removed/);
    expect(result.out).toMatch(/answered 304 Not Modified/);
    // The windows-1252 page came back as 304: its stored copy is read in its own charset, so its link still works.
    expect(again.find((r) => r.path === "/latin-meta")?.ifNoneMatch).toBe('"latin-meta-1"');
    expect(report()).not.toMatch(/b%EF%BF%BDrgeramt/);
    expect(existsSync(file("bürgeramt.html"))).toBe(true);
  });

  it("after a change fetches and writes the changed page, removes a page now 410, and keeps the last copy on a 503", async () => {
    site.state.hundesteuer = { text: "Ab 2027 beträgt die Hundesteuer 120 Euro im Jahr.", lastmod: "2026-12-01" };
    site.state.orphanExists = false;
    site.state.gone.add("/nur-von-noindex");
    site.state.neuStatus = 503;
    const untouched = statSync(file("index.html")).mtimeMs;
    const result = await crawl(`${site.origin}/`);
    expect(result.code).toBe(0);
    expect(readFileSync(file("buerger/hundesteuer.html"), "utf8")).toContain("120 Euro");
    expect(existsSync(file("nur-von-noindex.html"))).toBe(false);
    expect(report()).toMatch(/removed: .*\/nur-von-noindex — answered 410/);
    expect(existsSync(file("buerger/neu.html"))).toBe(true);
    expect(statSync(file("index.html")).mtimeMs).toBe(untouched);
    expect(result.out).toMatch(/0 new, 1 changed, \d+ unchanged, 2 removed/);
    expect(result.err).toMatch(/error: .*\/buerger\/neu answered 503; the last good copy stays/);
    // The page failed, but its last copy's links were followed: what only it links to is not taken for gone.
    expect(existsSync(file("verwaiste-seite.html"))).toBe(false);
    expect(report()).toMatch(/removed: .*\/verwaiste-seite — no longer linked or in a sitemap/);
    expect(readFileSync(file("urls.tsv"), "utf8")).not.toContain("verwaiste-seite");
  });

  it("follows the links of a page that failed, from its last copy: what only it links to stays", async () => {
    site.state.neuStatus = 200;
    site.state.homeStatus = 503;
    const result = await crawl(`${site.origin}/`);
    site.state.homeStatus = 200;
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/error: .*127\.0\.0\.1:\d+\/ answered 503; the last good copy stays/);
    // Linked only from the home page (not in the sitemap): still there.
    expect(existsSync(file("buerger/personalausweis.html"))).toBe(true);
    expect(existsSync(file("latin1.html"))).toBe(true);
  });
});

describe("a third crawl with --recheck", () => {
  it("asks for pages whose sitemap lastmod has not moved, and finds a change the CMS did not date", async () => {
    site.state.hundesteuer = { ...site.state.hundesteuer, text: "Die Hundesteuer wird zum 15. Februar fällig." };
    const before = site.requests.length;
    const result = await crawl(`${site.origin}/`, "--recheck");
    expect(result.code).toBe(0);
    // Last-Modified comes from the lastmod, which did not move: the server still answers 304, as a real CMS would.
    expect(site.requests.slice(before).some((r) => r.path === "/buerger/hundesteuer")).toBe(true);
  });
});

describe("a crawl whose state was lost (an expired cache)", () => {
  it("takes the last crawl's files from urls.tsv: nothing is new, and a file whose page is gone leaves", async () => {
    rmSync(join(project, ".fundstelle/crawl/musterhausen.json"));
    // A page of the last crawl that the site no longer has.
    writeFileSync(file("abgeschafft.html"), "<html><head><title>Abgeschafft</title></head><body><p>Gibt es nicht mehr.</p></body></html>");
    writeFileSync(file("urls.tsv"), `${readFileSync(file("urls.tsv"), "utf8")}abgeschafft.html\t${site.origin}/abgeschafft\n`);
    const result = await crawl(`${site.origin}/`);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/note: no crawl state: the \d+ files of the last crawl were taken from urls\.tsv/);
    expect(result.out).toMatch(/Crawled into corpus\/musterhausen\/ in [\d.]+ s: 0 new, /);
    expect(existsSync(file("abgeschafft.html"))).toBe(false);
    expect(readFileSync(file("urls.tsv"), "utf8")).not.toContain("abgeschafft");
  });
});

describe("a crawl that cannot reach its site", () => {
  it("changes nothing in the corpus and exits 1, naming why", async () => {
    const listing = readFileSync(file("urls.tsv"), "utf8");
    // A port nothing listens on: one a server had a moment ago.
    const closed = await startFixtureSite();
    const address = closed.origin;
    await closed.close();
    const result = await crawl(`${address}/`, "--collection", "musterhausen", "--timeout", "1");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/connection was refused|did not answer/);
    expect(result.err).toContain("the corpus and the last build are unchanged");
    expect(readFileSync(file("urls.tsv"), "utf8")).toBe(listing);
    expect(existsSync(file("buerger/hundesteuer.html"))).toBe(true);
  });

  it("reads robots.txt and a sitemap served as HTML as no rules and no sitemap, naming both, and crawls by links", async () => {
    site.state.hostile = true;
    try {
      const other = mkdtempSync(join(tmpdir(), "fundstelle-crawl-hostile-"));
      mkdirSync(join(other, "corpus"));
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCrawlCommand(
        [`${site.origin}/`, "--collection", "b", "--delay", "0", "--timeout", "0.5", "--exclude", "/langsam"],
        {
          cwd: other,
          env: {},
          out: (l) => out.push(l),
          err: (l) => err.push(l),
          backoffMs: 10,
        },
      );
      expect(code).toBe(0);
      expect(err.join("\n")).toContain("robots.txt is an HTML page, not a robots.txt: no rules read");
      expect(err.join("\n")).toMatch(/sitemap-index\.xml is an HTML page, not a sitemap|sitemap .*sitemap\.xml is an HTML page/);
      rmSync(other, { recursive: true, force: true });
    } finally {
      site.state.hostile = false;
    }
  });
});

describe("a robots.txt of 600 KiB", () => {
  it("is read to 500 KiB, as search engines do, and says so", async () => {
    site.state.hugeRobots = true;
    const other = mkdtempSync(join(tmpdir(), "fundstelle-crawl-robots-"));
    try {
      const err: string[] = [];
      const code = await runCrawlCommand(
        [`${site.origin}/`, "--collection", "r", "--delay", "0", "--timeout", "0.5", "--depth", "1", "--exclude", "/langsam"],
        {
          cwd: other,
          env: {},
          out: () => {},
          err: (l) => err.push(l),
          backoffMs: 10,
        },
      );
      expect(code).toBe(0);
      expect(err.join("\n")).toContain("robots.txt is larger than 500 KiB: its first 500 KiB are read");
      // The rule past the limit does not count; the one before it does.
      expect(existsSync(join(other, "corpus/r/buerger/personalausweis.html"))).toBe(true);
    } finally {
      site.state.hugeRobots = false;
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe("the crawl command", () => {
  it("refuses settings it cannot use, naming them", async () => {
    expect((await crawl("ftp://example.org/")).err).toContain('fundstelle.crawl.start.0: "ftp://example.org/" is not an http(s) address');
    expect((await crawl(`${site.origin}/`, "--max-pages", "viele")).err).toContain('--max-pages must be a number, not "viele"');
    expect((await crawl(`${site.origin}/`, "--contakt", "x@example.de")).err).toBe(
      "error: unknown option --contakt; did you mean --contact? (npm run crawl -- --help lists them all)",
    );
    expect((await crawl("https://a.example/", "https://b.example/")).err).toContain("crawl each site into a collection of its own");
    expect((await crawl(`${site.origin}/`, "--include", "buergerservice")).err).toContain(
      '"buergerservice" matches nothing: patterns match the URL\'s path, which starts with / (write "/buergerservice/**")',
    );
  });
});
