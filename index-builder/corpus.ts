// Walks corpus/: collections, files of the four formats, ids, duplicates; returns documents in a stable order.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  type Stats,
  statSync,
} from "node:fs";
import { join, sep } from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import type { CollectionInfo, Synonyms } from "../common/artifact.js";
import { compareCodeUnits } from "../common/order.js";
import { DEFAULT_NO_RESULTS, type NoResultsHelp, type StoredPromotion } from "../common/promotions.js";
import type { CacheCount } from "./build-cache.js";
import { COLLECTION_ENCODINGS, type CollectionEncoding, decodeHtml, decodeText, decodeUtf8, type EncodingSetting } from "./decode.js";
import { CorpusError, type CorpusNotice, type CorpusWarning } from "./errors.js";
import { BINARY_READERS, type ExtractionStats, emptyExtractionStats, extractCached } from "./extract.js";
import { globPatterns } from "./project-config.js";
import { PROMOTIONS_FILE, parsePromotions } from "./promotions.js";
import { ReadCache } from "./read-cache.js";
import { type BinaryLimits, DEFAULT_BINARY_LIMITS, tooLarge } from "./readers/binary.js";
import { readHtml } from "./readers/html.js";
import { readJsonl } from "./readers/jsonl.js";
import { readMd } from "./readers/md.js";
import { readTxt } from "./readers/txt.js";
import {
  cleanText,
  DEFAULT_MAX_BLOCK_LENGTH,
  isIsoDate,
  optionalBaseUrl,
  optionalText,
  optionalUrl,
  optionalWeight,
  type ReadResult,
  readUrl,
  SITE_EXTENSIONS,
  type SourceDocument,
  type SourceFile,
  schemaError,
  siteUrl,
  splitLongBlocks,
  WEIGHT_RANGE,
  weightProblem,
} from "./source.js";
import { corpusSynonyms, SYNONYMS_FILE } from "./synonyms.js";
import { stripSiteNames } from "./titles.js";

/** The reader for each document extension. */
export const READERS: ReadonlyMap<string, (source: SourceFile, text: string) => ReadResult> = new Map([
  [".txt", readTxt],
  [".md", readMd],
  [".html", readHtml],
  [".htm", readHtml],
  [".jsonl", readJsonl],
]);

/** A collection's settings file, in its folder (or at the top of the corpus, for the default collection). */
const COLLECTION_FILE = "collection.json";

/**
 * A collection's list of where its files are served: one `path<TAB>url` a line, the path inside the collection
 * folder, optionally a tab and a date (YYYY-MM-DD) for documents that give none themselves (`npm run crawl` writes it,
 * naming each fetched page's final address and its sitemap lastmod or Last-Modified). A listed url wins over
 * `baseUrl`; a page's own canonical link still wins over both.
 */
export const URLS_FILE = "urls.tsv";

/** Files at the top of corpus/ that configure the build rather than being documents. */
export const SETTINGS_FILES = new Set(["synonyms.txt", "promotions.txt", "README.md", "README.txt"]);

/** `encoding` in collection.json: one of {@link COLLECTION_ENCODINGS}, in any case; absent or null as null (UTF-8). */
const collectionEncoding = z
  .string({ error: "encoding must be a string" })
  .nullish()
  .transform((value, ctx): CollectionEncoding | null => {
    if (value === undefined || value === null) return null;
    const encoding = COLLECTION_ENCODINGS.find((name) => name === value.trim().toLowerCase());
    if (encoding === undefined) {
      const names = COLLECTION_ENCODINGS.map((name) => `"${name}"`);
      ctx.addIssue({
        code: "custom",
        message: `encoding ${JSON.stringify(value)} is not one of ${names.slice(0, -1).join(", ")} or ${names.at(-1)} (the default)`,
      });
      return z.NEVER;
    }
    return encoding;
  });

const collectionSchema = z.object({
  title: optionalText,
  attribution: optionalText,
  license: optionalText,
  url: optionalUrl,
  encoding: collectionEncoding,
  baseUrl: optionalBaseUrl,
  /** The kind of its documents that do not name one ("Formular" for a folder of forms). */
  kind: optionalText,
  /** Glob patterns of files in the collection folder not to read (`archiv/**`, `*-druckversion.html`). */
  exclude: globPatterns,
  /** The site's name as its pages' titles carry it ("Stadt Musterhausen"): stripped from them, with the separator. */
  titleSuffix: z
    .union([z.string(), z.array(z.string())], { error: "titleSuffix must be a string or a list of strings" })
    .nullish()
    .transform((value) => (value == null ? [] : typeof value === "string" ? [value] : value)),
  /** What every document's score is multiplied by (0.1–10): 0.5 puts an archive behind the live pages. */
  weight: optionalWeight,
  /** Weights by kind (`{"Satzung": 0.5, "Dienstleistung": 2}`), read into a Map: kinds are corpus text. */
  kindWeights: z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      const weights = new Map<string, number>();
      if (value === undefined || value === null) return weights;
      if (typeof value !== "object" || Array.isArray(value)) {
        ctx.addIssue({ code: "custom", message: 'kindWeights must be an object of kinds and weights, e.g. {"Satzung": 0.5}' });
        return z.NEVER;
      }
      // Object.entries of what JSON.parse made lists own keys, "__proto__" and "constructor" included.
      for (const [kind, weight] of Object.entries(value)) {
        const problem = weightProblem(weight);
        if (problem !== null) {
          ctx.addIssue({ code: "custom", message: `kindWeights "${kind}": ${problem}` });
          return z.NEVER;
        }
        weights.set(cleanText(kind), weight as number);
      }
      return weights;
    }),
});

/** Everything read from a corpus folder. */
export interface Corpus {
  collections: Omit<CollectionInfo, "documents" | "paragraphs">[];
  documents: SourceDocument[];
  warnings: CorpusWarning[];
  /** Files skipped on purpose, each with why, in path order: excluded, no page, noindex, a redirect, empty, not a document format. */
  notices: CorpusNotice[];
  /** What extracting PDFs and office files took. */
  extraction: ExtractionStats;
  /** How many text document files (all but PDFs and office files) were read from the cache (read-cache.ts); absent in a corpus made by hand. */
  readCache?: CacheCount;
  /** Every file that went into the build, path → bytes, for the version hash. */
  files: { path: string; bytes: Uint8Array }[];
  /** Files that no reader handles (LICENSE, images…); each is among the notices too. */
  ignored: string[];
  /** The default administrative synonyms, extended or trimmed by synonyms.txt at the top of the corpus. */
  synonyms: Synonyms;
  /** From promotions.txt at the top of the corpus: each promoted query's key and its pages' ids (see promotions.ts). */
  promotions: StoredPromotion[];
  /** What a search without hits offers instead (package.json's fundstelle.noResults). */
  noResults: NoResultsHelp;
}

/** Progress callback: called after each file with the number done and the total. */
export type Progress = (done: number, total: number, file: string) => void;

/**
 * A folder name as a collection title, for a collection without a title in collection.json: words split at
 * hyphens, underscores and dots, each starting with a capital ("meldungen_2024" → "Meldungen 2024").
 */
export function readableName(folder: string): string {
  const words = folder.split(/[-_.\s]+/).filter((word) => word !== "");
  if (words.length === 0) return folder;
  return words.map((word) => word.charAt(0).toLocaleUpperCase("de") + word.slice(1)).join(" ");
}

export { compareCodeUnits } from "../common/order.js";

/** Options of {@link readCorpus}. */
export interface ReadCorpusOptions {
  /**
   * Folders outside the corpus folder that symbolic links in it may lead into (collections linked in from
   * elsewhere, as the benchmarks do). Default: none, so every link must stay inside the corpus folder.
   */
  allowLinksInto?: readonly string[];
  /** The collection of the files at the top of the corpus folder (a site's export with its index.html); none by default. */
  defaultCollection?: string | null;
  /** Glob patterns of paths under the corpus folder not to read (see README, Excluding files). */
  exclude?: readonly string[];
  /** Limits on PDFs and office files (default {@link DEFAULT_BINARY_LIMITS}). */
  limits?: BinaryLimits;
  /** Where extractions of PDFs and office files and the readers' results of other files are cached by content hash; none: read every time. */
  cacheDir?: string;
  /** The longest block kept whole, in characters (default {@link DEFAULT_MAX_BLOCK_LENGTH}); longer ones are split. */
  maxBlockLength?: number;
  /** What a search without hits offers (package.json's fundstelle.noResults; default {@link DEFAULT_NO_RESULTS}). */
  noResults?: NoResultsHelp;
}

/** What a non-regular file is, for the warning that skips it. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isCharacterDevice()) return "a character device";
  return "neither a file nor a folder";
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

/**
 * Lists the regular files under `root` (a real path: no symbolic links in it), depth first in byte order
 * of their names, skipping names that start with ".". Returns path under the corpus → the real path to
 * read. Everything else is skipped with a warning: named pipes, sockets and devices (reading a pipe would
 * wait for a writer forever); symbolic links whose target lies outside `allowed` (the corpus folder's real
 * path and any folders the caller allows), so that no file elsewhere on the machine ends up in a public
 * index; links in a circle; and links to a folder that contains them (the walk would never end). A link
 * to nothing is an error, like any file that cannot be read.
 */
function listFiles(root: string, allowed: readonly string[], warnings: CorpusWarning[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string, ancestors: readonly string[]): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      throw new CorpusError(prefix || ".", `cannot be read: ${errorCode(error)}`);
    }
    for (const name of names.sort(compareCodeUnits)) {
      if (name.startsWith(".")) continue;
      const rel = prefix ? `${prefix}/${name}` : name;
      let path = join(dir, name);
      let stats: Stats;
      try {
        stats = lstatSync(path);
        if (stats.isSymbolicLink()) {
          try {
            path = realpathSync(path);
          } catch (error) {
            if (errorCode(error) !== "ELOOP") throw error;
            warnings.push({ file: rel, problem: "is a symbolic link that leads in a circle; skipped" });
            continue;
          }
          if (!allowed.some((folder) => isInside(path, folder))) {
            warnings.push({ file: rel, problem: `is a symbolic link that points outside the corpus folder (to ${path}); skipped` });
            continue;
          }
          stats = statSync(path);
        }
      } catch (error) {
        const code = errorCode(error);
        throw new CorpusError(rel, `cannot be read: ${code === "ENOENT" ? "it is a symbolic link to nothing (ENOENT)" : code}`);
      }
      if (stats.isDirectory()) {
        if (ancestors.includes(path)) {
          warnings.push({ file: rel, problem: "is a symbolic link to a folder that contains it (a loop); skipped" });
        } else {
          walk(path, rel, [...ancestors, path]);
        }
      } else if (stats.isFile()) {
        files.set(rel, path);
      } else {
        warnings.push({ file: rel, problem: `is ${kindOf(stats)}, not a regular file; skipped` });
      }
    }
  };
  walk(root, "", [root]);
  return files;
}

/**
 * Reads a listed file. Opened without waiting (O_NONBLOCK) and checked again once open, so that a file
 * replaced by a named pipe after it was listed cannot block the build.
 */
function readBytes(path: string, realPath: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(realPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) throw new CorpusError(path, "is no longer a regular file (it changed while the corpus was read)");
    return readFileSync(fd);
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    throw new CorpusError(path, `cannot be read: ${errorCode(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

/**
 * The text of a document file: JSON lines are UTF-8 by definition; HTML pages are read in the charset they
 * declare, else the collection's encoding; .txt and .md files in the collection's encoding, else UTF-8.
 */
function decodeDocument(path: string, extension: string, bytes: Uint8Array, setting: EncodingSetting): string {
  if (extension === ".jsonl") {
    const note =
      setting.encoding === null
        ? undefined
        : `save it as UTF-8: JSON lines are always UTF-8, whatever "encoding" ${setting.settingsFile} sets`;
    return decodeUtf8(path, bytes, note);
  }
  if (extension === ".html" || extension === ".htm") return decodeHtml(path, bytes, setting);
  return decodeText(path, bytes, setting);
}

/**
 * Reads every document of a corpus folder. Collections are its first-level
 * folders; documents are their .txt, .md, .html/.htm, .jsonl, .pdf, .docx and
 * .odt files at any depth, read in byte order of their paths; files at the top
 * belong to `options.defaultCollection` when it is set. Only regular files and
 * folders are read, and symbolic links only when they lead to a place inside
 * the corpus folder (or a folder in `options.allowLinksInto`); anything else is
 * skipped with a warning. Files that match an `exclude` pattern (the project's,
 * or their collection's) and files of a site that are no pages (robots.txt,
 * sitemaps, verification files) are skipped with a notice, never read. A
 * collection whose collection.json sets `baseUrl` gives its pages and files the
 * url they are served at (see {@link siteUrl}); a document's own url still wins.
 * Throws a CorpusError for the first bad file, for duplicate ids and for a
 * corpus without documents.
 */
export async function readCorpus(corpusDir: string, onProgress?: Progress, options: ReadCorpusOptions = {}): Promise<Corpus> {
  const { root, allowed } = corpusRoot(corpusDir, options);
  const corpus: Corpus = {
    collections: [],
    documents: [],
    warnings: [],
    notices: [],
    files: [],
    ignored: [],
    synonyms: corpusSynonyms(null),
    promotions: [],
    noResults: options.noResults ?? DEFAULT_NO_RESULTS,
    extraction: emptyExtractionStats(),
  };
  const listed = listFiles(root, allowed, corpus.warnings);
  let promotions: string | null = null;
  const read = (path: string) => {
    const bytes = readBytes(path, listed.get(path) ?? join(root, path));
    corpus.files.push({ path, bytes });
    return bytes;
  };
  /** A file's bytes when it has at most `max`, else its size, unread (the size then stands for it in the version). */
  read.upTo = (path: string, max: number): Uint8Array | { size: number } => {
    const size = statSync(listed.get(path) ?? join(root, path)).size;
    if (size <= max) return read(path);
    corpus.files.push({ path, bytes: new TextEncoder().encode(`unread, ${size} bytes`) });
    return { size };
  };
  const defaultCollection = options.defaultCollection ?? null;
  const collectionOf = (path: string): string | null => (path.includes("/") ? path.slice(0, path.indexOf("/")) : defaultCollection);
  const settings = readCollections(corpus, listed, read, defaultCollection);
  const projectExclude = excludeMatcher(options.exclude ?? [], "package.json's fundstelle.exclude");
  const documentFiles: string[] = [];
  for (const path of listed.keys()) {
    const collection = collectionOf(path);
    if (!path.includes("/") && SETTINGS_FILES.has(path)) {
      const bytes = read(path);
      if (path === SYNONYMS_FILE) corpus.synonyms = corpusSynonyms(decodeUtf8(path, bytes).replace(/^\uFEFF/, ""), path);
      if (path === PROMOTIONS_FILE) promotions = decodeUtf8(path, bytes);
      continue;
    }
    if (path === COLLECTION_FILE || path.endsWith(`/${COLLECTION_FILE}`)) continue;
    if (path.endsWith(`/${URLS_FILE}`) && path.indexOf("/") === path.length - URLS_FILE.length - 1) continue;
    const setting = collection === null ? undefined : settings.get(collection);
    const excluded = projectExclude(path) ?? setting?.exclude(path.slice(path.includes("/") ? (collection?.length ?? 0) + 1 : 0));
    const extension = extensionOf(path);
    if (excluded !== undefined) corpus.notices.push({ file: path, kind: "excluded", reason: `is excluded by ${excluded}` });
    else if (isNonPage(path))
      corpus.notices.push({ file: path, kind: "crawlerFile", reason: "is a file for crawlers, not a page; skipped" });
    else if (!READERS.has(extension) && !BINARY_READERS.has(extension)) {
      corpus.ignored.push(path);
      corpus.notices.push({
        file: path,
        kind: "otherFormat",
        reason: `is not a document format that fundstelle reads (${extension || "no extension"}); ignored`,
      });
    } else if (collection === null) {
      corpus.warnings.push({
        file: path,
        problem:
          "is not in a collection folder; skipped (move it to corpus/<collection>/, or name a collection for the top's files: \"defaultCollection\" in package.json's fundstelle section)",
      });
    } else documentFiles.push(path);
  }
  const reading: ReadingSettings = {
    defaultCollection,
    exclude: options.exclude ?? [],
    limits: options.limits ?? DEFAULT_BINARY_LIMITS,
    maxBlockLength: options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH,
  };
  if (JSON.stringify(corpus.noResults) !== JSON.stringify(DEFAULT_NO_RESULTS)) {
    // They change the artifact (its manifest), so they are part of the corpus's version (no file has this name).
    corpus.files.push({ path: "\0package.json fundstelle.noResults", bytes: new TextEncoder().encode(JSON.stringify(corpus.noResults)) });
  }
  await readDocuments(corpus, documentFiles, read, settings, reading, options.cacheDir, onProgress);
  if (corpus.documents.length === 0) {
    throw new CorpusError(
      corpusDir,
      "contains no documents: add .txt, .md, .html, .jsonl, .pdf, .docx or .odt files in a collection folder (corpus/<collection>/<file>)",
    );
  }
  if (promotions !== null) corpus.promotions = parsePromotions(promotions, corpus.documents);
  const chosen = JSON.stringify(reading);
  if (chosen !== DEFAULT_READING) {
    // The project's settings change what is read, so they are part of the corpus's version (no file under it has this name).
    corpus.files.push({ path: "\0package.json fundstelle", bytes: new TextEncoder().encode(chosen) });
  }
  corpus.files.sort((a, b) => compareCodeUnits(a.path, b.path));
  corpus.notices.sort((a, b) => compareCodeUnits(a.file, b.file));
  return corpus;
}

/** The project's settings that decide what is read, each resolved to its value. */
interface ReadingSettings {
  defaultCollection: string | null;
  exclude: readonly string[];
  limits: BinaryLimits;
  maxBlockLength: number;
}

/** The reading settings when the project sets none, as JSON: a corpus read with them carries no settings in its version. */
const DEFAULT_READING = JSON.stringify({
  defaultCollection: null,
  exclude: [],
  limits: DEFAULT_BINARY_LIMITS,
  maxBlockLength: DEFAULT_MAX_BLOCK_LENGTH,
} satisfies ReadingSettings);

/**
 * The collections of the listed files with their settings, read from each one's collection.json (for the default
 * collection, a collection.json at the top, unless its folder has one too: both is an error). Adds them to `corpus`.
 */
function readCollections(
  corpus: Corpus,
  listed: ReadonlyMap<string, string>,
  read: FileReader,
  defaultCollection: string | null,
): Map<string, CollectionSettings> {
  const paths = [...listed.keys()];
  const ids = new Set(paths.filter((p) => p.includes("/")).map((p) => p.slice(0, p.indexOf("/"))));
  const atTop = paths.filter((p) => !p.includes("/") && p !== COLLECTION_FILE && !SETTINGS_FILES.has(p));
  if (defaultCollection !== null && atTop.length > 0) ids.add(defaultCollection);
  const settings = new Map<string, CollectionSettings>();
  for (const id of [...ids].sort(compareCodeUnits)) {
    let path = `${id}/${COLLECTION_FILE}`;
    if (id === defaultCollection && listed.has(COLLECTION_FILE)) {
      if (listed.has(path)) throw new CorpusError(COLLECTION_FILE, `and ${path} both configure the collection "${id}": keep one`);
      path = COLLECTION_FILE;
    }
    const info = listed.has(path) ? collectionInfo(path, read(path)) : null;
    const urlsPath = `${id}/${URLS_FILE}`;
    corpus.collections.push({
      id,
      title: info?.title ?? readableName(id),
      attribution: info?.attribution ?? null,
      license: info?.license ?? null,
      // A site's collection links to the site: its baseUrl, when that is a full address, unless it names a url.
      url: info?.url ?? (info?.baseUrl?.startsWith("http") ? info.baseUrl : null),
    });
    settings.set(id, {
      encoding: { encoding: info?.encoding ?? null, settingsFile: path },
      baseUrl: info?.baseUrl ?? null,
      kind: info?.kind ?? null,
      exclude: excludeMatcher(info?.exclude ?? [], `"exclude" in ${path}`),
      titleSuffix: info?.titleSuffix ?? [],
      urls: listed.has(urlsPath) ? readUrlList(urlsPath, read(urlsPath)) : new Map(),
      weight: info?.weight ?? null,
      kindWeights: info?.kindWeights ?? new Map(),
    });
  }
  return settings;
}

/**
 * Files a site serves that are not pages for people, by name in any case: robots.txt and its kin (humans.txt,
 * ads.txt, security.txt, llms.txt), sitemaps, and the verification files of search engines (google….html).
 */
const NON_PAGES =
  /^(?:robots|humans|ads|app-ads|security|llms|llms-full)\.txt$|^sitemap[^/]*\.(?:xml|txt)(?:\.gz)?$|^google[0-9a-f]{8,}\.html?$|^yandex_[0-9a-f]+\.html?$|^bingsiteauth\.xml$/i;

function isNonPage(path: string): boolean {
  return NON_PAGES.test(path.slice(path.lastIndexOf("/") + 1));
}

/**
 * A test of paths against glob patterns (picomatch, with `**` and dot files; a pattern without "/" matches a
 * file's name at any depth, as .gitignore does): the first pattern that matches, named with where it comes from,
 * or undefined.
 */
function excludeMatcher(patterns: readonly string[], from: string): (path: string) => string | undefined {
  if (patterns.length === 0) return () => undefined;
  const tests = patterns.map((pattern) => ({ pattern, test: picomatch(pattern, { dot: true, basename: !pattern.includes("/") }) }));
  return (path) => {
    const hit = tests.find(({ test }) => test(path));
    return hit === undefined ? undefined : `"${hit.pattern}" (${from})`;
  };
}

/** The corpus folder's real path, and every folder symbolic links in it may point into. */
function corpusRoot(corpusDir: string, options: ReadCorpusOptions): { root: string; allowed: string[] } {
  let root: string;
  try {
    root = realpathSync(corpusDir);
  } catch {
    throw new CorpusError(corpusDir, "does not exist: create it and put documents in a folder under it (corpus/<collection>/<file>)");
  }
  if (!statSync(root).isDirectory()) throw new CorpusError(corpusDir, "is not a folder");
  const allowed = [root];
  for (const folder of options.allowLinksInto ?? []) {
    let real: string;
    try {
      real = realpathSync(folder);
    } catch (error) {
      throw new CorpusError(folder, `cannot be allowed as a target of symbolic links: ${errorCode(error)}`);
    }
    // A file named here would allow nothing sensible; a folder is what a link's target must lie inside.
    if (!statSync(real).isDirectory()) throw new CorpusError(folder, "cannot be allowed as a target of symbolic links: it is not a folder");
    allowed.push(real);
  }
  return { root, allowed };
}

/** What a collection's collection.json says about reading its files. */
interface CollectionSettings {
  encoding: EncodingSetting;
  baseUrl: string | null;
  kind: string | null;
  /** The exclude pattern (with where it is set) that matches a path inside the collection folder, or undefined. */
  exclude: (pathInCollection: string) => string | undefined;
  titleSuffix: string[];
  /** The collection's weight, and its weights by kind (see collection.json). */
  weight: number | null;
  kindWeights: ReadonlyMap<string, number>;
  /** Each listed file's url and date ({@link URLS_FILE}), by its path inside the collection folder. */
  urls: ReadonlyMap<string, { url: string; date: string | null }>;
}

/** A collection's {@link URLS_FILE}: blank lines and lines starting with # aside, `path<TAB>url[<TAB>date]` a line, each checked. */
function readUrlList(path: string, bytes: Uint8Array): Map<string, { url: string; date: string | null }> {
  const urls = new Map<string, { url: string; date: string | null }>();
  decodeUtf8(path, bytes)
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((text, index) => {
      const line = index + 1;
      if (text.trim() === "" || text.startsWith("#")) return;
      const tab = text.indexOf("\t");
      if (tab <= 0) throw new CorpusError(path, "each line must be a file's path, a tab and its url", line);
      const file = text.slice(0, tab);
      const [address = "", date = null] = text.slice(tab + 1).split("\t");
      const { url, problem } = readUrl(address.trim());
      if (url === null) throw new CorpusError(path, `the url of ${file} ${problem ?? "is missing"}`, line);
      if (date !== null && !isIsoDate(date.trim()))
        throw new CorpusError(path, `the date of ${file}, "${date}", is not a date (YYYY-MM-DD)`, line);
      if (urls.has(file)) throw new CorpusError(path, `lists ${file} twice`, line);
      urls.set(file, { url, date: date?.trim() ?? null });
    });
  return urls;
}

/** A collection.json, checked against its schema. */
function collectionInfo(path: string, bytes: Uint8Array): z.infer<typeof collectionSchema> {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(path, bytes));
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    throw new CorpusError(path, `is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = collectionSchema.safeParse(value);
  if (!parsed.success) throw schemaError(path, parsed.error);
  return parsed.data;
}

/** Reads every document file of the collections into `corpus`, refusing a document id seen before. */
async function readDocuments(
  corpus: Corpus,
  paths: readonly string[],
  read: FileReader,
  settings: ReadonlyMap<string, CollectionSettings>,
  reading: ReadingSettings,
  cacheDir: string | undefined,
  onProgress?: Progress,
): Promise<void> {
  const seen = new Map<string, string>();
  const cache = new ReadCache(cacheDir);
  for (const [index, path] of paths.entries()) {
    const extension = extensionOf(path);
    const collection = path.includes("/") ? path.slice(0, path.indexOf("/")) : (reading.defaultCollection as string);
    const source: SourceFile = { path, id: path.slice(0, path.length - extension.length), collection };
    if (/[#?\\]/.test(source.id)) throw new CorpusError(path, "file name must not contain #, ? or \\ (they would break document ids)");
    const setting = settings.get(collection);
    const listed = setting?.urls.get(path.includes("/") ? path.slice(collection.length + 1) : path);
    if (listed !== undefined) source.siteUrl = listed.url;
    else if (setting !== undefined && setting.baseUrl !== null && SITE_EXTENSIONS.has(extension)) {
      const { url, problem } = siteUrl(setting.baseUrl, path.includes("/") ? path.slice(collection.length + 1) : path);
      if (problem !== undefined) throw new CorpusError(path, `its url from baseUrl in ${setting.encoding.settingsFile}, ${problem}`);
      source.siteUrl = url;
    }
    const result = await readDocument(source, extension, read, setting, reading.limits, cacheDir, cache, corpus);
    for (const doc of result.documents) {
      const other = seen.get(doc.id);
      if (other !== undefined) {
        throw new CorpusError(path, `duplicate document id "${doc.id}" (also from ${other}): rename one of them`, doc.line);
      }
      seen.set(doc.id, doc.line !== undefined ? `${doc.file}:${doc.line}` : doc.file);
      // A listed date (a crawled page's lastmod) stands in for a date the document does not give itself.
      const date = doc.date ?? listed?.date ?? null;
      const kind = doc.kind ?? setting?.kind ?? null;
      const cleaned: SourceDocument = { ...doc, title: cleanText(doc.title), kind, date };
      const weight = combinedWeight(doc.weight, setting?.weight ?? null, kind === null ? undefined : setting?.kindWeights.get(kind));
      if (weight === 1) delete cleaned.weight;
      else cleaned.weight = weight;
      for (const reason of splitLongBlocks(cleaned, reading.maxBlockLength)) {
        corpus.notices.push({ file: doc.file, ...(doc.line !== undefined ? { line: doc.line } : {}), kind: "split", reason });
      }
      corpus.documents.push(cleaned);
    }
    corpus.warnings.push(...result.warnings);
    corpus.notices.push(...(result.notices ?? []));
    onProgress?.(index + 1, paths.length, path);
  }
  for (const [id, setting] of settings) {
    stripSiteNames(
      corpus.documents.filter((doc) => doc.collection === id),
      setting.titleSuffix,
    );
  }
  for (const doc of corpus.documents) delete doc.titleOfPage;
  limitKinds(corpus);
  cache.prune();
  corpus.readCache = cache.count;
}

/**
 * A document's weight: its own, its collection's and its kind's multiplied (each 0.1–10, checked where it is read),
 * the product held within 0.1–10 too, so that no combination of settings can bury a page or drown out relevance.
 */
export function combinedWeight(own: number | undefined, collection: number | null, kind: number | undefined): number {
  const product = (own ?? 1) * (collection ?? 1) * (kind ?? 1);
  return Math.min(WEIGHT_RANGE.max, Math.max(WEIGHT_RANGE.min, product));
}

/** The most distinct kinds a corpus keeps: the kind facet counts every value, so its work must not grow without end. */
export const MAX_KINDS = 200;

/**
 * Keeps the {@link MAX_KINDS} most frequent kinds (ties in code-unit order) and takes the kind from documents of
 * any other, with one warning naming how many: a corpus with 30,000 distinct kinds (a field filled with ids) made
 * every faceted search count them all.
 */
function limitKinds(corpus: Corpus): void {
  const counts = new Map<string, number>();
  for (const doc of corpus.documents) if (doc.kind !== null) counts.set(doc.kind, (counts.get(doc.kind) ?? 0) + 1);
  if (counts.size <= MAX_KINDS) return;
  const kept = new Set(
    [...counts]
      .sort(([a, x], [b, y]) => y - x || compareCodeUnits(a, b))
      .slice(0, MAX_KINDS)
      .map(([kind]) => kind),
  );
  let cleared = 0;
  let first: SourceDocument | undefined;
  for (const doc of corpus.documents) {
    if (doc.kind === null || kept.has(doc.kind)) continue;
    first ??= doc;
    doc.kind = null;
    cleared++;
  }
  corpus.warnings.push({
    file: first?.file ?? ".",
    ...(first?.line !== undefined ? { line: first.line } : {}),
    problem: `the corpus has ${counts.size} distinct kinds, more than ${MAX_KINDS}: the ${cleared} documents of the rarer ones (this is the first) are indexed without a kind`,
  });
}

/** Reads a listed file (adding it to the corpus's files); `upTo` leaves a file over a size unread, giving its size. */
type FileReader = ((path: string) => Uint8Array) & { upTo: (path: string, max: number) => Uint8Array | { size: number } };

/** One document file read by its format's reader: a text format decoded and read, a binary one extracted. */
async function readDocument(
  source: SourceFile,
  extension: string,
  read: FileReader,
  setting: CollectionSettings | undefined,
  limits: BinaryLimits,
  cacheDir: string | undefined,
  cache: ReadCache,
  corpus: Corpus,
): Promise<ReadResult> {
  const { path } = source;
  const binary = BINARY_READERS.get(extension);
  if (binary !== undefined) {
    // Over the limit, the file is not even read (a 3 GB scan would not fit in a Node buffer).
    const bytes = read.upTo(path, limits.maxBytes);
    if (!(bytes instanceof Uint8Array))
      return { documents: [], warnings: [{ file: path, problem: tooLarge(bytes.size, limits.maxBytes) }] };
    const extraction = await extractCached(binary.load, bytes, limits, cacheDir, corpus.extraction);
    if ("problem" in extraction) return { documents: [], warnings: [{ file: path, problem: extraction.problem }] };
    if (extraction.document.paragraphs.length === 0)
      return { documents: [], warnings: [], notices: [{ file: path, kind: "noBody", reason: "has no body text; skipped" }] };
    const { title, date, paragraphs, blockKinds, sections, cells } = extraction.document;
    const name = path.slice(path.lastIndexOf("/") + 1, path.length - extension.length);
    return {
      documents: [
        {
          id: source.id,
          title: title ?? readableName(name),
          url: source.siteUrl ?? null,
          date,
          kind: setting?.kind ?? binary.kind,
          collection: source.collection,
          paragraphs,
          blockKinds,
          sections,
          ...(cells !== undefined ? { cells } : {}),
          file: path,
        },
      ],
      warnings: [],
    };
  }
  const reader = READERS.get(extension);
  if (reader === undefined) return { documents: [], warnings: [] };
  const encoding = setting?.encoding ?? { encoding: null, settingsFile: `${source.collection}/${COLLECTION_FILE}` };
  const bytes = read(path);
  return cache.read({ source, extension, encoding }, bytes, () =>
    reader(source, decodeDocument(path, extension, bytes, encoding).replace(/^\uFEFF/, "")),
  );
}
