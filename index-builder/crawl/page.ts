// What a fetched page says about itself (links, canonical address, robots rules) and its bytes as the corpus keeps
// them: text in an encoding the builder reads exactly as a browser read the page.
import { Parser } from "htmlparser2";
import { bomEncoding, decodeStandard, prescanCharset } from "../decode.js";
import { normalUrl } from "./scope.js";

/** A page's links and rules, from one streaming pass (no tree: 100,000 nested tags cost nothing more). */
export interface PageFacts {
  /** Links to follow, in normal form and document order, each once (none when the page says nofollow). */
  links: string[];
  /** The canonical address (normal form), or null. */
  canonical: string | null;
  noindex: boolean;
  nofollow: boolean;
  /** The site's name as the page gives it (`<meta property="og:site_name">`), or null. */
  siteName: string | null;
}

/** Most links taken from one page: a generated page with 100,000 links gives its first ones. */
export const MAX_LINKS_PER_PAGE = 5000;

/** Robots directives in a `<meta name="robots">`, an `X-Robots-Tag` header or one for our agent. */
export function robotsDirectives(value: string): { noindex: boolean; nofollow: boolean } {
  const words = value.toLowerCase().split(/[\s,]+/);
  const none = words.includes("none");
  return { noindex: none || words.includes("noindex"), nofollow: none || words.includes("nofollow") };
}

/** X-Robots-Tag directives that carry a value after a colon, unlike an agent's name. */
const VALUED_DIRECTIVES = new Set(["unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"]);

/**
 * The `X-Robots-Tag` header's directives for every agent or for fundstelle: "noindex", "fundstelle: noindex";
 * those after another agent's name ("googlebot: noindex, nofollow") do not apply, up to the next name.
 */
export function headerRobots(header: string | null): { noindex: boolean; nofollow: boolean } {
  const facts = { noindex: false, nofollow: false };
  if (header === null) return facts;
  let applies = true;
  for (const part of header.split(",")) {
    let directive = part;
    const named = /^\s*([a-z0-9_-]+)\s*:(.*)$/i.exec(part);
    if (named && !VALUED_DIRECTIVES.has((named[1] as string).toLowerCase())) {
      applies = (named[1] as string).toLowerCase() === "fundstelle";
      directive = named[2] as string;
    }
    if (!applies) continue;
    const rules = robotsDirectives(directive);
    facts.noindex ||= rules.noindex;
    facts.nofollow ||= rules.nofollow;
  }
  return facts;
}

/** Reads an HTML page's links, `<base href>`, canonical link and robots `<meta>`s, resolving against `url`. */
export function pageFacts(html: string, url: string): PageFacts {
  let base = url;
  let canonical: string | null = null;
  let noindex = false;
  let nofollow = false;
  const hrefs: string[] = [];
  let sawBase = false;
  let siteName: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if ((name === "a" || name === "area") && attributes.href !== undefined) {
          if (/\bnofollow\b/i.test(attributes.rel ?? "")) return;
          if (hrefs.length < MAX_LINKS_PER_PAGE * 4) hrefs.push(attributes.href);
        } else if (name === "base" && attributes.href !== undefined && !sawBase) {
          sawBase = true;
          base = normalUrl(attributes.href.trim(), url) ?? url;
        } else if (name === "link" && canonical === null && /(?:^|\s)canonical(?:\s|$)/i.test(attributes.rel ?? "") && attributes.href) {
          canonical = normalUrl(attributes.href.trim(), base);
        } else if (name === "meta" && attributes.property === "og:site_name" && attributes.content?.trim()) {
          siteName ??= (attributes.content as string).trim().slice(0, 200);
        } else if (name === "meta") {
          const metaName = (attributes.name ?? "").toLowerCase();
          if (metaName === "robots" || metaName === "fundstelle") {
            const rules = robotsDirectives(attributes.content ?? "");
            noindex ||= rules.noindex;
            nofollow ||= rules.nofollow;
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  const links: string[] = [];
  if (!nofollow) {
    const seen = new Set<string>();
    for (const href of hrefs) {
      const trimmed = href.trim();
      if (trimmed === "" || trimmed.startsWith("#")) continue;
      const link = normalUrl(trimmed, base);
      if (link === null || seen.has(link)) continue;
      seen.add(link);
      links.push(link);
      if (links.length >= MAX_LINKS_PER_PAGE) break;
    }
  }
  return { links, canonical, noindex, nofollow, siteName };
}

/** A text response's bytes as the corpus keeps them, the text, and a note when they had to be re-encoded. */
export type CorpusText = { bytes: Uint8Array; text: string; note: string | null } | { problem: string };

/** The label in a Content-Type header's charset parameter, or null. */
function headerCharset(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return match ? (match[1] as string) : null;
}

/** The WHATWG encoding a label names (by asking TextDecoder), or null. */
function encodingOf(label: string): string | null {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/**
 * Decodes a fetched HTML or text response as a browser would (byte order mark, then the Content-Type header's
 * charset, then an HTML page's `<meta>` charset, then UTF-8, then windows-1252 for bytes that are not UTF-8) and
 * returns the bytes to keep: the response's own when the builder, reading them without the header, decodes them
 * the same way; else the text in UTF-8 (an HTML page with `<meta charset="utf-8">` in front, on its first line).
 * Binary junk served as text (NUL bytes, or mostly control characters) is refused.
 */
export function corpusText(body: Uint8Array, contentType: string | null, html: boolean): CorpusText {
  const head = body.subarray(0, 4096);
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return { problem: `is binary data, though served as ${contentType ?? "text"}` };
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) controls++;
  }
  if (head.length > 0 && controls / head.length > 0.1) return { problem: `is binary data, though served as ${contentType ?? "text"}` };
  const bom = bomEncoding(body);
  const declared = html ? prescanCharset(body) : null;
  // What the builder will do with the bytes alone.
  const builderEncoding = bom ?? declared?.encoding ?? "utf-8";
  const fromHeader = headerCharset(contentType);
  const headerEncoding = fromHeader === null ? null : encodingOf(fromHeader);
  const wanted = bom ?? headerEncoding ?? declared?.encoding ?? "utf-8";
  let text = decodeStandard(body, wanted, true);
  let note: string | null = null;
  if (text === null) {
    // A page that is not what it says (or not UTF-8 and silent about it): what browsers in Germany read it as.
    text = decodeStandard(body, "windows-1252", false) as string;
    note = `is not valid ${wanted}${headerEncoding || declared ? " though it says so" : " and names no charset"}: read as windows-1252`;
  } else if (wanted === builderEncoding) {
    return { bytes: body, text: text.replace(/^\uFEFF/, ""), note: null };
  }
  text = text.replace(/^\uFEFF/, "");
  const kept = html ? `<meta charset="utf-8">${text}` : text;
  return { bytes: new TextEncoder().encode(kept), text, note: note ?? (wanted === "utf-8" ? null : `kept as UTF-8 (served as ${wanted})`) };
}
