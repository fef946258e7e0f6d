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
import { z } from "zod";
import type { CollectionInfo, Synonyms } from "../common/artifact.js";
import { COLLECTION_ENCODINGS, type CollectionEncoding, decodeHtml, decodeText, decodeUtf8, type EncodingSetting } from "./decode.js";
import { CorpusError, type CorpusWarning } from "./errors.js";
import { readHtml } from "./readers/html.js";
import { readJsonl } from "./readers/jsonl.js";
import { readMd } from "./readers/md.js";
import { readTxt } from "./readers/txt.js";
import {
  cleanText,
  optionalBaseUrl,
  optionalText,
  optionalUrl,
  type ReadResult,
  SITE_EXTENSIONS,
  type SourceDocument,
  type SourceFile,
  schemaError,
  siteUrl,
} from "./source.js";
import { parseSynonyms, SYNONYMS_FILE } from "./synonyms.js";

/** The reader for each document extension. */
export const READERS: ReadonlyMap<string, (source: SourceFile, text: string) => ReadResult> = new Map([
  [".txt", readTxt],
  [".md", readMd],
  [".html", readHtml],
  [".htm", readHtml],
  [".jsonl", readJsonl],
]);

/** Files at the top of corpus/ that configure the build rather than being documents. */
export const SETTINGS_FILES = new Set(["synonyms.txt", "README.md", "README.txt"]);

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
});

/** Everything read from a corpus folder. */
export interface Corpus {
  collections: Omit<CollectionInfo, "documents" | "paragraphs">[];
  documents: SourceDocument[];
  warnings: CorpusWarning[];
  /** Every file that went into the build, path → bytes, for the version hash. */
  files: { path: string; bytes: Uint8Array }[];
  /** Files in collections that no reader handles (LICENSE, images…). */
  ignored: string[];
  /** From synonyms.txt at the top of the corpus, if there is one. */
  synonyms: Synonyms;
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

/** Byte-wise string comparison, so the order does not depend on the machine's locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Options of {@link readCorpus}. */
export interface ReadCorpusOptions {
  /**
   * Folders outside the corpus folder that symbolic links in it may lead into (collections linked in from
   * elsewhere, as the benchmarks do). Default: none, so every link must stay inside the corpus folder.
   */
  allowLinksInto?: readonly string[];
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
 * folders; documents are their .txt, .md, .html/.htm and .jsonl files at any
 * depth, read in byte order of their paths. Only regular files and folders are
 * read, and symbolic links only when they lead to a place inside the corpus
 * folder (or a folder in `options.allowLinksInto`); anything else is skipped
 * with a warning. A collection whose collection.json sets `baseUrl` gives its
 * .html/.htm, .md and .txt files the url they are served at (see
 * {@link siteUrl}); a document's own url still wins. Throws a CorpusError for
 * the first bad file, for duplicate ids and for a corpus without documents.
 */
export function readCorpus(corpusDir: string, onProgress?: Progress, options: ReadCorpusOptions = {}): Corpus {
  const { root, allowed } = corpusRoot(corpusDir, options);
  const corpus: Corpus = { collections: [], documents: [], warnings: [], files: [], ignored: [], synonyms: new Map() };
  const listed = listFiles(root, allowed, corpus.warnings);
  const all = [...listed.keys()];
  const read = (path: string) => {
    const bytes = readBytes(path, listed.get(path) ?? join(root, path));
    corpus.files.push({ path, bytes });
    return bytes;
  };
  const collectionIds = [...new Set(all.filter((p) => p.includes("/")).map((p) => p.slice(0, p.indexOf("/"))))];
  const settings = new Map<string, CollectionSettings>();
  for (const id of collectionIds) {
    const path = `${id}/collection.json`;
    const info = listed.has(path) ? collectionInfo(path, read(path)) : null;
    corpus.collections.push({
      id,
      title: info?.title ?? readableName(id),
      attribution: info?.attribution ?? null,
      license: info?.license ?? null,
      url: info?.url ?? null,
    });
    settings.set(id, {
      encoding: { encoding: info?.encoding ?? null, settingsFile: path },
      baseUrl: info?.baseUrl ?? null,
      kind: info?.kind ?? null,
    });
  }
  for (const path of all) {
    if (!path.includes("/")) {
      if (SETTINGS_FILES.has(path)) {
        const bytes = read(path);
        if (path === SYNONYMS_FILE) corpus.synonyms = parseSynonyms(decodeUtf8(path, bytes).replace(/^\uFEFF/, ""), path);
      } else if (READERS.has(extensionOf(path))) {
        corpus.warnings.push({ file: path, problem: "is not in a collection folder; skipped (move it to corpus/<collection>/)" });
      }
    } else if (!READERS.has(extensionOf(path)) && !path.endsWith("/collection.json")) {
      corpus.ignored.push(path);
    }
  }
  const documentFiles = all.filter((path) => path.includes("/") && READERS.has(extensionOf(path)) && !path.endsWith("/collection.json"));
  readDocuments(corpus, documentFiles, read, settings, onProgress);
  if (corpus.documents.length === 0) {
    throw new CorpusError(
      corpusDir,
      "contains no documents: add .txt, .md, .html or .jsonl files in a collection folder (corpus/<collection>/<file>)",
    );
  }
  corpus.files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return corpus;
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
    try {
      allowed.push(realpathSync(folder));
    } catch (error) {
      throw new CorpusError(folder, `cannot be allowed as a target of symbolic links: ${errorCode(error)}`);
    }
  }
  return { root, allowed };
}

/** What a collection's collection.json says about reading its files. */
interface CollectionSettings {
  encoding: EncodingSetting;
  baseUrl: string | null;
  kind: string | null;
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
function readDocuments(
  corpus: Corpus,
  paths: readonly string[],
  read: (path: string) => Uint8Array,
  settings: ReadonlyMap<string, CollectionSettings>,
  onProgress?: Progress,
): void {
  const seen = new Map<string, string>();
  paths.forEach((path, index) => {
    const extension = extensionOf(path);
    const reader = READERS.get(extension);
    if (!reader) return;
    const bytes = read(path);
    const source: SourceFile = {
      path,
      id: path.slice(0, path.length - extension.length),
      collection: path.slice(0, path.indexOf("/")),
    };
    const setting = settings.get(source.collection);
    if (setting !== undefined && setting.baseUrl !== null && SITE_EXTENSIONS.has(extension)) {
      const { url, problem } = siteUrl(setting.baseUrl, path.slice(source.collection.length + 1));
      if (problem !== undefined) throw new CorpusError(path, `its url from baseUrl in ${source.collection}/collection.json, ${problem}`);
      source.siteUrl = url;
    }
    const encoding = setting?.encoding ?? { encoding: null, settingsFile: `${source.collection}/collection.json` };
    const text = decodeDocument(path, extension, bytes, encoding).replace(/^\uFEFF/, "");
    if (/[#?\\]/.test(source.id)) throw new CorpusError(path, "file name must not contain #, ? or \\ (they would break document ids)");
    const result = reader(source, text);
    for (const doc of result.documents) {
      const other = seen.get(doc.id);
      if (other !== undefined) {
        throw new CorpusError(path, `duplicate document id "${doc.id}" (also from ${other}): rename one of them`, doc.line);
      }
      seen.set(doc.id, doc.line !== undefined ? `${doc.file}:${doc.line}` : doc.file);
      corpus.documents.push({ ...doc, title: cleanText(doc.title), kind: doc.kind ?? setting?.kind ?? null });
    }
    corpus.warnings.push(...result.warnings);
    onProgress?.(index + 1, paths.length, path);
  });
}
