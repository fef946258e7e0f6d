// Walks corpus/: collections, files of the four formats, ids, duplicates; returns documents in a stable order.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CollectionInfo, Synonyms } from "../common/artifact.js";
import { decodeUtf8 } from "./decode.js";
import { CorpusError, type CorpusWarning } from "./errors.js";
import { readHtml } from "./readers/html.js";
import { readJsonl } from "./readers/jsonl.js";
import { readMd } from "./readers/md.js";
import { readTxt } from "./readers/txt.js";
import { cleanText, optionalText, optionalUrl, type ReadResult, type SourceDocument, type SourceFile, schemaError } from "./source.js";
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

const collectionSchema = z.object({
  title: optionalText,
  attribution: optionalText,
  license: optionalText,
  url: optionalUrl,
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

/** Byte-wise string comparison, so the order does not depend on the machine's locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(join(dir, prefix));
  } catch (error) {
    throw new CorpusError(prefix || ".", `cannot be read: ${(error as Error).message}`);
  }
  for (const name of entries.sort(compareCodeUnits)) {
    if (name.startsWith(".")) continue;
    const rel = prefix ? `${prefix}/${name}` : name;
    let isDir: boolean;
    try {
      isDir = statSync(join(dir, rel)).isDirectory();
    } catch (error) {
      throw new CorpusError(rel, `cannot be read: ${(error as Error).message}`);
    }
    if (isDir) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

function readBytes(corpusDir: string, path: string): Uint8Array {
  try {
    return readFileSync(join(corpusDir, path));
  } catch (error) {
    throw new CorpusError(path, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

/**
 * Reads every document of a corpus folder. Collections are its first-level
 * folders; documents are their .txt, .md, .html/.htm and .jsonl files at any
 * depth, read in byte order of their paths. Throws a CorpusError for the first
 * bad file, for duplicate ids and for a corpus without documents.
 */
export function readCorpus(corpusDir: string, onProgress?: Progress): Corpus {
  let rootStat: ReturnType<typeof statSync>;
  try {
    rootStat = statSync(corpusDir);
  } catch {
    throw new CorpusError(corpusDir, "does not exist: create it and put documents in a folder under it (corpus/<collection>/<file>)");
  }
  if (!rootStat.isDirectory()) throw new CorpusError(corpusDir, "is not a folder");

  const all = listFiles(corpusDir);
  const corpus: Corpus = { collections: [], documents: [], warnings: [], files: [], ignored: [], synonyms: new Map() };
  const collectionIds = [...new Set(all.filter((p) => p.includes("/")).map((p) => p.slice(0, p.indexOf("/"))))];
  for (const id of collectionIds) {
    const path = `${id}/collection.json`;
    let info: z.infer<typeof collectionSchema> = { title: null, attribution: null, license: null, url: null };
    if (all.includes(path)) {
      const bytes = readBytes(corpusDir, path);
      corpus.files.push({ path, bytes });
      let value: unknown;
      try {
        value = JSON.parse(decodeUtf8(path, bytes));
      } catch (error) {
        if (error instanceof CorpusError) throw error;
        throw new CorpusError(path, `is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = collectionSchema.safeParse(value);
      if (!parsed.success) throw schemaError(path, parsed.error);
      info = parsed.data;
    }
    corpus.collections.push({ id, title: info.title ?? id, attribution: info.attribution, license: info.license, url: info.url });
  }

  const documentFiles = all.filter((path) => READERS.has(extensionOf(path)) && !path.endsWith("/collection.json"));
  for (const path of all) {
    if (!path.includes("/")) {
      if (SETTINGS_FILES.has(path)) {
        const bytes = readBytes(corpusDir, path);
        corpus.files.push({ path, bytes });
        if (path === SYNONYMS_FILE) corpus.synonyms = parseSynonyms(decodeUtf8(path, bytes).replace(/^\uFEFF/, ""), path);
      } else if (READERS.has(extensionOf(path))) {
        corpus.warnings.push({ file: path, problem: "is not in a collection folder; skipped (move it to corpus/<collection>/)" });
      }
    } else if (!READERS.has(extensionOf(path)) && !path.endsWith("/collection.json")) {
      corpus.ignored.push(path);
    }
  }
  const inCollections = documentFiles.filter((path) => path.includes("/"));

  const seen = new Map<string, string>();
  inCollections.forEach((path, index) => {
    const extension = extensionOf(path);
    const reader = READERS.get(extension);
    if (!reader) return;
    const bytes = readBytes(corpusDir, path);
    corpus.files.push({ path, bytes });
    const text = decodeUtf8(path, bytes).replace(/^\uFEFF/, "");
    const source: SourceFile = {
      path,
      id: path.slice(0, path.length - extension.length),
      collection: path.slice(0, path.indexOf("/")),
    };
    if (/[#?\\]/.test(source.id)) throw new CorpusError(path, "file name must not contain #, ? or \\ (they would break document ids)");
    const result = reader(source, text);
    for (const doc of result.documents) {
      const other = seen.get(doc.id);
      if (other !== undefined) {
        throw new CorpusError(path, `duplicate document id "${doc.id}" (also from ${other}): rename one of them`, doc.line);
      }
      seen.set(doc.id, doc.line !== undefined ? `${doc.file}:${doc.line}` : doc.file);
      corpus.documents.push({ ...doc, title: cleanText(doc.title) });
    }
    corpus.warnings.push(...result.warnings);
    onProgress?.(index + 1, inCollections.length, path);
  });

  if (corpus.documents.length === 0) {
    throw new CorpusError(
      corpusDir,
      "contains no documents: add .txt, .md, .html or .jsonl files in a collection folder (corpus/<collection>/<file>)",
    );
  }
  corpus.files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return corpus;
}
