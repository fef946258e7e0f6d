// npm run bench:crawl [-- --polite]: npm run crawl against LibreOffice's German help served over HTTP on loopback
// (2,500+ pages, a sitemap with each file's lastmod, ETag and Last-Modified from the files): a first crawl at 8 in
// flight without delay (with --polite also at the default 2 in flight, 250 ms apart: about 11 minutes), a second crawl
// with nothing changed (requests, bytes, time), then one page changed: the crawl, and build:index with its cache
// against a full build (--no-cache), in alternating rounds.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { parseArgs } from "node:util";
import { runBuildCommand } from "../index-builder/command.js";
import { runCrawlCommand } from "../index-builder/crawl/command.js";
import { requireLibreOffice } from "./corpora.js";
import { median } from "./stats.js";

requireLibreOffice("bench:crawl");
const { values } = parseArgs({ options: { polite: { type: "boolean", default: false }, rounds: { type: "string", default: "3" } } });
const HELP_ROOT = "/usr/share/libreoffice/help";
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Every HTML page of the German help, as URL paths. */
function pages(dir = join(HELP_ROOT, "de"), prefix = "/de"): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...pages(join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (entry.name.endsWith(".html")) found.push(`${prefix}/${entry.name}`);
  }
  return found.sort();
}

const helpPages = pages();
/** Pages the benchmark changed: path → new text and when. */
const changed = new Map<string, { body: Buffer; modified: Date }>();
const served = { requests: 0 };

const server = createServer((req, res) => {
  served.requests++;
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  if (path === "/robots.txt") {
    res.writeHead(200, { "content-type": "text/plain" });
    return res.end(`User-agent: *\nAllow: /\nSitemap: http://${req.headers.host}/sitemap.xml\n`);
  }
  if (path === "/sitemap.xml") {
    const urls = helpPages.map((page) => {
      const modified = changed.get(page)?.modified ?? statSync(join(HELP_ROOT, page)).mtime;
      return `<url><loc>http://${req.headers.host}${page}</loc><lastmod>${modified.toISOString()}</lastmod></url>`;
    });
    res.writeHead(200, { "content-type": "application/xml" });
    return res.end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join("")}</urlset>`);
  }
  const file = normalize(join(HELP_ROOT, path === "/" ? "index.html" : path));
  if (!file.startsWith(HELP_ROOT)) {
    res.writeHead(404);
    return res.end();
  }
  let body: Buffer;
  let modified: Date;
  try {
    const override = changed.get(path);
    body = override?.body ?? readFileSync(file);
    modified = override?.modified ?? statSync(file).mtime;
  } catch {
    res.writeHead(404, { "content-type": "text/html" });
    return res.end("<h1>Nicht gefunden</h1>");
  }
  const etag = `"${body.length.toString(16)}-${modified.getTime().toString(16)}"`;
  const lastModified = modified.toUTCString();
  if (req.headers["if-none-match"] === etag || req.headers["if-modified-since"] === lastModified) {
    res.writeHead(304, { etag, "last-modified": lastModified });
    return res.end();
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", etag, "last-modified": lastModified });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** A project folder whose crawl settings point at the served help. */
function project(limits: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-bench-crawl-"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "bench",
      fundstelle: { crawl: { start: [`${origin}/`], include: ["/", "/de/**"], collection: "libreoffice", limits } },
    }),
  );
  return dir;
}

const quietIo = (cwd: string, lines: string[] = []) => ({
  cwd,
  env: {},
  out: (l: string) => lines.push(l),
  err: (l: string) => lines.push(l),
});

async function crawl(dir: string): Promise<{ ms: number; summary: string }> {
  const lines: string[] = [];
  const started = performance.now();
  const code = await runCrawlCommand([], quietIo(dir, lines));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`the crawl failed:\n${lines.join("\n")}`);
  return { ms, summary: lines.filter((line) => /Crawled|requests/.test(line)).join("\n") };
}

async function build(dir: string, ...flags: string[]): Promise<number> {
  const lines: string[] = [];
  const started = performance.now();
  const code = await runBuildCommand(["--quiet", ...flags], quietIo(dir, lines));
  if (code !== 0) throw new Error(`the build failed:\n${lines.join("\n")}`);
  return performance.now() - started;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rows: string[] = [];
console.log(`LibreOffice's German help served on ${origin} (${helpPages.length} pages in the sitemap)\n`);

if (values.polite) {
  const dir = project({});
  const first = await crawl(dir);
  rows.push(`| first crawl, default politeness (2 in flight, 250 ms apart) | ${s(first.ms)} | ${first.summary.replace(/\n\s*/g, "; ")} |`);
  rmSync(dir, { recursive: true, force: true });
}
const dir = project({ inFlight: 8, delayMs: 0 });
served.requests = 0;
const first = await crawl(dir);
rows.push(`| first crawl, 8 in flight, no delay | ${s(first.ms)} | ${first.summary.replace(/\n\s*/g, "; ")} |`);
const second = await crawl(dir);
rows.push(`| second crawl, nothing changed | ${s(second.ms)} | ${second.summary.replace(/\n\s*/g, "; ")} |`);

// The first build fills the builder's cache; then rounds of: change a page, crawl, build with the cache, build without.
await build(dir);
const incremental: number[] = [];
const full: number[] = [];
const crawls: number[] = [];
const rounds = Number(values.rounds);
for (let round = 0; round < rounds; round++) {
  const page = helpPages[(round * 997) % helpPages.length] as string;
  const text = readFileSync(join(HELP_ROOT, page), "utf8").replace("</h1>", `</h1><p>Geändert in Runde ${round}: Zauberwort${round}.</p>`);
  changed.set(page, { body: Buffer.from(text), modified: new Date(Date.UTC(2027, 0, 1 + round)) });
  const after = await crawl(dir);
  crawls.push(after.ms);
  if (round === 0) rows.push(`| crawl after one page changed | ${s(after.ms)} | ${after.summary.replace(/\n\s*/g, "; ")} |`);
  // Alternate the order, so that neither build always runs second.
  if (round % 2 === 0) {
    incremental.push(await build(dir));
    full.push(await build(dir, "--no-cache"));
  } else {
    full.push(await build(dir, "--no-cache"));
    // The full build wrote the same artifact: change the page once more so that this build has work to do.
    changed.set(page, { body: Buffer.from(text.replace("Zauberwort", "Zauberwort-b")), modified: new Date(Date.UTC(2027, 1, 1 + round)) });
    await crawl(dir);
    incremental.push(await build(dir));
  }
}
console.log("| step | time | what it did |");
console.log("|---|---|---|");
for (const row of rows) console.log(row);
console.log(
  `\nbuild:index after one changed page, ${rounds} rounds: with the cache ${s(median(incremental))} (median), full build (--no-cache) ${s(median(full))}; ratio ${(median(incremental) / median(full)).toFixed(3)} (per round: ${incremental.map((t, i) => (t / (full[i] as number)).toFixed(3)).join(", ")})`,
);
server.close();
rmSync(dir, { recursive: true, force: true });
