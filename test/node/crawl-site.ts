// Test helper: a town's site served on loopback for the crawler's tests, with every case a real site has (robots.txt
// with an agent's own group, a sitemap index and a gzipped sitemap, canonical and noindex pages, redirects and a loop,
// a 404, a 503 with Retry-After, a response that never ends, ETags and Last-Modified, a calendar trap, PDFs, binary
// junk as HTML, a Latin-1 page without a charset, a page too large). Every request is logged.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const FIXTURES = join(import.meta.dirname, "../fixtures");

/** A logged request: its path with query, when it came, and the headers that matter. */
export interface LoggedRequest {
  path: string;
  at: number;
  userAgent: string;
  cookie: string | undefined;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
}

/** What the tests may change between crawls. */
export interface SiteState {
  /** The dog-tax page's text and its sitemap lastmod. */
  hundesteuer: { text: string; lastmod: string };
  /** Whether /verwaiste-seite still exists (404 when not). */
  orphanExists: boolean;
  /** Paths that answer 410 Gone. */
  gone: Set<string>;
  /** Status of the home page (200, or a 5xx: its links must still count). */
  homeStatus: number;
  /** Status of /buerger/neu (200, or a 5xx to test that its last copy stays). */
  neuStatus: number;
  /** robots.txt and sitemap.xml served as HTML pages (a CMS's catch-all). */
  hostile: boolean;
  /** robots.txt of 600 KiB: its rules, then comments past the 500 KiB read, then a rule that must not count. */
  hugeRobots: boolean;
}

export interface FixtureSite {
  origin: string;
  requests: LoggedRequest[];
  state: SiteState;
  /** Most requests open at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

const page = (title: string, body: string, head = "") =>
  `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${title} – Stadt Musterhausen</title><meta property="og:site_name" content="Stadt Musterhausen">${head}</head><body><nav><a href="/">Start</a></nav><main><h1>${title}</h1>${body}</main></body></html>`;

/** Starts the site on 127.0.0.1 (a free port). */
export async function startFixtureSite(): Promise<FixtureSite> {
  const site: FixtureSite = {
    origin: "",
    requests: [],
    state: {
      hundesteuer: { text: "Die Hundesteuer beträgt 96 Euro im Jahr für den ersten Hund.", lastmod: "2026-11-01" },
      orphanExists: true,
      gone: new Set(),
      neuStatus: 200,
      homeStatus: 200,
      hostile: false,
      hugeRobots: false,
    },
    maxInFlight: 0,
    close: async () => {},
  };
  let inFlight = 0;
  let overloadedOnce = false;
  const pdf = readFileSync(join(FIXTURES, "pdf/hundesteuersatzung.pdf"));
  const formular = readFileSync(join(FIXTURES, "pdf/anwohnerparkausweis.pdf"));

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", site.origin);
    const path = decodeURIComponent(url.pathname);
    const html = (body: string, status = 200, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
      res.end(body);
    };
    const { state } = site;
    if (state.gone.has(path)) return html(page("Gelöscht", "<p>Diese Seite gibt es nicht mehr.</p>"), 410);
    switch (path) {
      case "/robots.txt":
        if (state.hostile) return html(page("Seite nicht gefunden", "<p>Diese Seite gibt es nicht.</p>"));
        if (state.hugeRobots) {
          res.writeHead(200, { "content-type": "text/plain" });
          return res.end(`User-agent: *\nDisallow: /intern/\n${"# Kommentar\n".repeat(60_000)}Disallow: /buerger/\n`);
        }
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end(
          // The second sitemap is on another host (localhost, not 127.0.0.1): the crawl must not ask for it.
          `User-agent: *\nDisallow: /\n\nUser-agent: fundstelle\nDisallow: /intern/\nAllow: /\n\nSitemap: ${site.origin}/sitemap-index.xml\nSitemap: ${site.origin.replace("127.0.0.1", "localhost")}/fremd-sitemap.xml\n`,
        );
      case "/sitemap.xml":
        return html(page("Start", "<p>Ein CMS antwortet auf alles mit der Startseite.</p>"));
      case "/sitemap-index.xml":
        if (state.hostile) return html(page("Start", "<p>Kein Sitemap-Index.</p>"));
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end(
          `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${site.origin}/sitemap-seiten.xml</loc></sitemap><sitemap><loc>${site.origin}/sitemap-dokumente.xml.gz</loc></sitemap></sitemapindex>`,
        );
      case "/sitemap-seiten.xml": {
        const urls = [
          ["/", null],
          ["/buerger/hundesteuer", state.hundesteuer.lastmod],
          ["/alt", null],
          ...(state.orphanExists ? [["/verwaiste-seite", "2026-10-01"]] : []),
          ["/fehlt", null],
        ]
          .map(([p, lastmod]) => `<url><loc>${site.origin}${p}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ""}</url>`)
          .join("");
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end(
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}<url><loc>https://anderswo.example/seite</loc></url></urlset>`,
        );
      }
      case "/sitemap-dokumente.xml.gz":
        res.writeHead(200, { "content-type": "application/gzip" });
        return res.end(
          gzipSync(
            `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.origin}/dokumente/hundesteuersatzung.pdf</loc></url></urlset>`,
          ),
        );
      case "/":
        if (state.homeStatus !== 200) return html("<h1>Wartungsarbeiten</h1>", state.homeStatus);
        return html(
          page(
            "Willkommen",
            `<p>Das Bürgerbüro der Stadt Musterhausen hilft Ihnen weiter.</p><ul>
<li><a href="/buerger/personalausweis">Personalausweis</a></li>
<li><a href="buerger/hundesteuer#gebuehren">Hundesteuer</a></li>
<li><a href="/kalender?monat=1">Veranstaltungskalender</a></li>
<li><a href="/intern/geheim">Intern</a></li>
<li><a href="/noindex-seite">Druckansicht</a></li>
<li><a href="/xrobots">Vorschau</a></li>
<li><a href="/kopie">Personalausweis (Kopie)</a></li>
<li><a href="/langsam">Langsame Seite</a></li>
<li><a href="/ueberlastet">Abfallkalender</a></li>
<li><a href="/schleife-a">Schleife</a></li>
<li><a href="/binaer">Binär</a></li>
<li><a href="/latin1">Öffnungszeiten</a></li>
<li><a href="/gross">Großes Dokument</a></li>
<li><a href="/dokumente/formular">Antrag Anwohnerparkausweis</a></li>
<li><a href="/dokumente/download.php?datei=7">Hundesteuersatzung (Download)</a></li>
<li><a href="/bild.jpg">Bild</a></li>
<li><a href="https://anderswo.example/">Landkreis</a></li>
<li><a href="mailto:buergerbuero@musterhausen.example">E-Mail</a></li>
<li><a href="/nicht-folgen" rel="nofollow">Login</a></li>
<li><a href="/index.html">Startseite (alt)</a></li>
<li><a href="/weiter">Weiter</a></li>
<li><a href="/seite">Seite</a></li>
<li><a href="/latin-meta">Gemeinderat</a></li>
</ul>`,
          ),
          200,
          { "set-cookie": "fe_typo_user=abc123; Path=/" },
        );
      case "/buerger/personalausweis": {
        const etag = '"ausweis-v1"';
        if (req.headers["if-none-match"] === etag) {
          res.writeHead(304, { etag });
          return res.end();
        }
        return html(
          page("Personalausweis beantragen", "<p>Den Personalausweis beantragen Sie im Bürgerbüro. Die Gebühr beträgt 37 Euro.</p>"),
          200,
          { etag },
        );
      }
      case "/buerger/hundesteuer": {
        const lastModified = new Date(`${state.hundesteuer.lastmod}T00:00:00Z`).toUTCString();
        if (req.headers["if-modified-since"] === lastModified) {
          res.writeHead(304, { "last-modified": lastModified });
          return res.end();
        }
        return html(
          page("Hundesteuer", `<p>${state.hundesteuer.text}</p><p><a href="/dokumente/hundesteuersatzung.pdf">Satzung (PDF)</a></p>`),
          200,
          {
            "last-modified": lastModified,
          },
        );
      }
      case "/index.html":
        return html(page("Startseite der alten Website", "<p>Die alte Startseite unter index.html: Archiv.</p>"));
      case "/weiter":
        res.writeHead(302, { location: "/intern/geheim" });
        return res.end();
      case "/seite":
        return html(page("Seite mit Schrägstrich", "<p>Gemeindebücherei.</p>", `<link rel="canonical" href="${site.origin}/seite/">`));
      case "/seite/":
        res.writeHead(301, { location: "/seite" });
        return res.end();
      case "/latin-meta": {
        const etag = '"latin-meta-1"';
        if (req.headers["if-none-match"] === etag) {
          res.writeHead(304, { etag });
          return res.end();
        }
        res.writeHead(200, { "content-type": "text/html", etag });
        return res.end(
          Buffer.from(
            '<html><head><meta charset="windows-1252"><title>Gemeinderat</title></head><body><h1>Gemeinderat</h1><p>Sitzungen im Rathaus.</p><a href="/bürgeramt">Bürgeramt</a></body></html>',
            "latin1",
          ),
        );
      }
      case "/bürgeramt":
        return html(page("Bürgeramt", "<p>Das Bürgeramt stellt Meldebescheinigungen aus.</p>"));
      case "/alt":
        res.writeHead(301, { location: "/buerger/neu" });
        return res.end();
      case "/buerger/neu":
        if (state.neuStatus !== 200) return html("<h1>Wartungsarbeiten</h1>", state.neuStatus);
        return html(page("Neue Seite", "<p>Diese Seite ersetzt die alte Adresse. Sperrmüll melden Sie online an.</p>"));
      case "/verwaiste-seite":
        if (!state.orphanExists) return html(page("Nicht gefunden", "<p>Fehler 404</p>"), 404);
        return html(page("Verwaiste Seite", "<p>Diese Seite steht nur in der Sitemap: Schadstoffmobil.</p>"));
      case "/fehlt":
        return html(page("Nicht gefunden", "<p>Fehler 404</p>"), 404);
      case "/kalender": {
        const month = Number(url.searchParams.get("monat") ?? "1");
        return html(
          page(`Kalender Monat ${month}`, `<p>Termine im Monat ${month}.</p><a href="/kalender?monat=${month + 1}">nächster Monat</a>`),
        );
      }
      case "/noindex-seite":
        return html(
          page(
            "Druckansicht",
            '<p>Nur zum Drucken.</p><a href="/nur-von-noindex">Weiter</a>',
            '<meta name="robots" content="noindex, follow">',
          ),
        );
      case "/nur-von-noindex":
        return html(page("Erreichbar über eine noindex-Seite", "<p>Diese Seite wird trotzdem gefunden: Wertstoffhof.</p>"));
      case "/xrobots":
        return html(page("Vorschau", "<p>Vorschau einer Seite.</p>"), 200, { "x-robots-tag": "noindex" });
      case "/kopie":
        return html(
          page(
            "Personalausweis beantragen",
            "<p>Kopie der Seite.</p>",
            `<link rel="canonical" href="${site.origin}/buerger/personalausweis">`,
          ),
        );
      case "/langsam":
        res.writeHead(200, { "content-type": "text/html" });
        res.write("<html><body><p>Diese Antwort endet nie");
        return; // never ends: the crawler's timeout must
      case "/ueberlastet":
        if (!overloadedOnce) {
          overloadedOnce = true;
          res.writeHead(503, { "retry-after": "1", "content-type": "text/plain" });
          return res.end("Bitte später erneut versuchen");
        }
        return html(page("Abfallkalender", "<p>Die Restmülltonne wird alle zwei Wochen geleert.</p>"));
      case "/schleife-a":
        res.writeHead(302, { location: "/schleife-b" });
        return res.end();
      case "/schleife-b":
        res.writeHead(302, { location: "/schleife-a" });
        return res.end();
      case "/binaer": {
        res.writeHead(200, { "content-type": "text/html" });
        const junk = Buffer.alloc(2048);
        for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
        return res.end(junk);
      }
      case "/latin1":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(
          Buffer.from(
            "<html><head><title>Öffnungszeiten</title></head><body><h1>Öffnungszeiten</h1><p>Das Bürgerbüro öffnet um 8 Uhr.</p></body></html>",
            "latin1",
          ),
        );
      case "/gross":
        return html(page("Groß", `<p>${"Sehr viel Text. ".repeat(10_000)}</p>`));
      case "/dokumente/hundesteuersatzung.pdf":
        res.writeHead(200, { "content-type": "application/pdf", etag: '"satzung-1"' });
        return res.end(pdf);
      case "/dokumente/download.php":
        // A download script that says only "bytes": the PDF's own signature tells.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(pdf);
      case "/dokumente/formular":
        res.writeHead(200, { "content-type": "application/pdf" });
        return res.end(formular);
      default:
        return html(page("Nicht gefunden", "<p>Fehler 404</p>"), 404);
    }
  };

  const server = createServer((req, res) => {
    site.requests.push({
      path: req.url ?? "/",
      at: Date.now(),
      userAgent: req.headers["user-agent"] ?? "",
      cookie: req.headers.cookie,
      ifNoneMatch: req.headers["if-none-match"] as string | undefined,
      ifModifiedSince: req.headers["if-modified-since"],
    });
    inFlight++;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}
