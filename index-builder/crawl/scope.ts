// Which addresses a crawl may fetch, each in one normal form, and the corpus file each fetched one is written to.
import picomatch from "picomatch";
import { sha256 } from "../artifact-files.js";

/**
 * An address in the crawler's normal form, or null for one it never fetches: http(s) only, no user name or
 * password, no fragment, the host in lower case and the default port dropped (the URL parser does both).
 */
export function normalUrl(href: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username !== "" || url.password !== "") return null;
  url.hash = "";
  return url.href;
}

/** Extensions of files that are never documents: skipped without a request. */
const NOT_DOCUMENTS =
  /\.(?:jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|css|js|mjs|json|woff2?|ttf|otf|eot|mp[34]|m4a|webm|ogg|ogv|wav|avi|mov|zip|gz|tgz|rar|7z|exe|dmg|iso|apk|xlsx?|pptx?|ics|vcf|rss|atom)$/i;

/** Why a URL is out of the crawl's scope, or null when it is in. */
export type ScopeVerdict = null | { reason: "scope" | "type"; detail: string };

/**
 * The crawl's scope: the start URLs' origins (and those their redirects lead to) and folders, narrowed by
 * include and exclude patterns on the path. A start URL `https://www.example.de/hilfe/index.html` allows
 * everything under `https://www.example.de/hilfe/`.
 */
export class Scope {
  private readonly prefixes: string[] = [];
  private readonly include: ((path: string) => boolean) | null;
  private readonly exclude: { pattern: string; test: (path: string) => boolean }[];

  constructor(starts: readonly string[], include: readonly string[], exclude: readonly string[]) {
    for (const start of starts) this.allow(start);
    this.include = include.length === 0 ? null : picomatch([...include], { dot: true });
    this.exclude = exclude.map((pattern) => ({ pattern, test: picomatch(pattern, { dot: true }) }));
  }

  /** Adds the folder of `url` (its path up to the last "/") to the scope: a start URL, or where one redirected to. */
  allow(url: string): void {
    const parsed = new URL(url);
    const prefix = `${parsed.origin}${parsed.pathname.slice(0, parsed.pathname.lastIndexOf("/") + 1)}`;
    if (!this.prefixes.includes(prefix)) this.prefixes.push(prefix);
  }

  /** The folders the crawl stays in. */
  get folders(): readonly string[] {
    return this.prefixes;
  }

  /** Null when the crawl may fetch `url` (in normal form), else why not. */
  verdict(url: string): ScopeVerdict {
    const parsed = new URL(url);
    const path = decodePath(parsed.pathname);
    if (!this.prefixes.some((prefix) => url.startsWith(prefix)))
      return { reason: "scope", detail: `outside ${this.prefixes.join(" and ")}` };
    if (this.include !== null && !this.include(path)) return { reason: "scope", detail: "matches no include pattern" };
    const excluded = this.exclude.find(({ test }) => test(path));
    if (excluded !== undefined) return { reason: "scope", detail: `excluded by "${excluded.pattern}"` };
    if (NOT_DOCUMENTS.test(parsed.pathname)) return { reason: "type", detail: "not a document (by its extension), not fetched" };
    return null;
  }
}

/** A URL path with its percent escapes decoded where they are valid UTF-8 (so patterns and file names read "ü"). */
function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** The file extension each document type is written with; the builder then picks the reader by it. */
export const TYPE_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ["text/html", ".html"],
  ["application/xhtml+xml", ".html"],
  ["application/pdf", ".pdf"],
  ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"],
  ["application/vnd.oasis.opendocument.text", ".odt"],
  ["text/plain", ".txt"],
  ["text/markdown", ".md"],
]);

/** Eight hex digits of a text's sha256: what tells apart files whose URLs would give one name. */
export const shortHash = (text: string) => sha256(text).slice(0, 8);

/** Longest file name written, in UTF-8 bytes (file systems allow 255). */
const MAX_NAME_BYTES = 150;

/**
 * The path inside the collection folder a fetched URL is written to: its URL path (percent escapes decoded),
 * `index` for a folder, a short hash of the query string when there is one, and the extension of its type.
 * Characters a document id or a file system cannot hold become "-".
 *
 * @example
 * fileOfUrl("https://www.example.de/buerger/ausweis/", ".html") // "buerger/ausweis/index.html"
 * fileOfUrl("https://www.example.de/seite.php?id=12", ".html") // "seite.php-1c2f4d5e.html"
 */
export function fileOfUrl(url: string, extension: string): string {
  const parsed = new URL(url);
  const segments = decodePath(parsed.pathname).split("/").slice(1);
  if (segments.at(-1) === "") segments[segments.length - 1] = "index";
  const safe = segments.map((segment) => {
    let name = segment.replace(/[\u0000-\u001f\u007f#?\\:*"<>|]/g, "-").replace(/^\.+/, (dots) => "-".repeat(dots.length));
    if (name === "") name = "-";
    if (Buffer.byteLength(name) > MAX_NAME_BYTES)
      name = `${Buffer.from(name)
        .subarray(0, MAX_NAME_BYTES)
        .toString("utf8")
        .replace(/\uFFFD+$/, "")}-${shortHash(segment)}`;
    return name;
  });
  let last = safe.pop() as string;
  if (parsed.search !== "") last = `${last}-${shortHash(parsed.search)}`;
  // "a.html" keeps its name; "ausweis" (a page served without an extension) and "a.php" get the type's.
  const lower = last.toLowerCase();
  const hasExtension = lower.endsWith(extension) || (extension === ".html" && lower.endsWith(".htm"));
  return [...safe, hasExtension ? last : `${last}${extension}`].join("/");
}
