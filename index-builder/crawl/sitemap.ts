// Sitemaps (https://www.sitemaps.org/protocol.html): a urlset's pages with their lastmod, or an index's sitemaps,
// read from XML or gzipped XML with a bound on their size after decompression.
import { gunzipSync } from "node:zlib";
import { Parser } from "htmlparser2";

/** What a sitemap lists: pages (with their lastmod as written, or null) or further sitemaps. */
export interface SitemapEntries {
  kind: "urlset" | "sitemapindex";
  entries: { loc: string; lastmod: string | null }[];
}

/** Most entries read from one sitemap: the protocol's limit. */
export const MAX_SITEMAP_ENTRIES = 50_000;

/**
 * Reads a sitemap's bytes (gzipped ones by their magic number, whatever the URL says), or says why it cannot:
 * larger than `maxBytes` once decompressed, not gzip though it starts so, HTML or no sitemap at all.
 */
export function parseSitemap(bytes: Uint8Array, maxBytes: number): SitemapEntries | { problem: string } {
  let xml = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      xml = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE" || /too large|maxOutputLength/i.test((error as Error).message))
        return { problem: `is larger than ${formatMb(maxBytes)} once decompressed` };
      return { problem: `is not valid gzip (${(error as Error).message})` };
    }
  }
  if (xml.byteLength > maxBytes) return { problem: `is larger than ${formatMb(maxBytes)}` };
  const text = new TextDecoder("utf-8").decode(xml);
  let root: string | null = null;
  let inRoot = false;
  let field: "loc" | "lastmod" | null = null;
  let entry: { loc: string; lastmod: string } | null = null;
  const entries: { loc: string; lastmod: string | null }[] = [];
  let dropped = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        const local = name.toLowerCase().replace(/^.*:/, "");
        if (root === null) {
          root = local;
          inRoot = local === "urlset" || local === "sitemapindex";
          return;
        }
        if (!inRoot) return;
        if (local === "url" || local === "sitemap") entry = { loc: "", lastmod: "" };
        else if (entry !== null && (local === "loc" || local === "lastmod")) field = local;
      },
      ontext(data) {
        if (entry !== null && field !== null) entry[field] += data;
      },
      onclosetag(name) {
        const local = name.toLowerCase().replace(/^.*:/, "");
        if (local === "loc" || local === "lastmod") field = null;
        else if ((local === "url" || local === "sitemap") && entry !== null) {
          const loc = decodeEntities(entry.loc.trim());
          if (loc !== "") {
            if (entries.length < MAX_SITEMAP_ENTRIES) entries.push({ loc, lastmod: entry.lastmod.trim() || null });
            else dropped++;
          }
          entry = null;
        }
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.end(text);
  if (root === null) return { problem: "is empty or not XML" };
  if (!inRoot) return { problem: root === "html" ? "is an HTML page, not a sitemap" : `is not a sitemap (its root element is <${root}>)` };
  const kind = root === "sitemapindex" ? "sitemapindex" : "urlset";
  if (dropped > 0) entries.length = MAX_SITEMAP_ENTRIES;
  return { kind, entries };
}

/** The five XML entities and numeric references, the only escapes a sitemap's addresses use. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, name: string) => {
    const lower = name.toLowerCase();
    if (lower === "amp") return "&";
    if (lower === "lt") return "<";
    if (lower === "gt") return ">";
    if (lower === "quot") return '"';
    if (lower === "apos") return "'";
    const code = lower.startsWith("#x") ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2).replace(/\.?0+$/, "")} MB`;
}
