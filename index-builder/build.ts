// Turns a read corpus into the artifact (MiniSearch index, paragraph store, manifest) and writes it atomically.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import { ANALYZER_ID, ANALYZER_VERSION, analyze, type Token, termsOf } from "../analyzer/index.js";
import {
  ARTIFACT_FILES,
  type CollectionInfo,
  FORMAT_VERSION,
  type IndexedParagraph,
  type Manifest,
  miniSearchOptions,
  type Store,
  type StoredDocument,
  type Vocabulary,
} from "../common/artifact.js";
import type { Corpus } from "./corpus.js";

/** The artifact as file contents, before anything is written. */
export interface Artifact {
  manifest: Manifest;
  files: Record<keyof typeof ARTIFACT_FILES, string>;
}

/**
 * The version of a corpus as built by this code: a hash of every input file's
 * path and bytes, the analyzer id and version, and the format version. Equal
 * versions mean byte-identical artifacts.
 */
export function corpusVersion(files: Corpus["files"]): string {
  const hash = createHash("sha256");
  hash.update(`fundstelle\0format ${FORMAT_VERSION}\0${ANALYZER_ID} ${ANALYZER_VERSION}\0`);
  for (const file of files) {
    hash.update(`${file.path}\0${file.bytes.length}\0`);
    hash.update(file.bytes);
  }
  return hash.digest("hex").slice(0, 20);
}

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * A hash of the code that decides what the artifact contains: the readers,
 * the analyzer, the artifact format and the MiniSearch version. `npm start`
 * rebuilds when it differs, so a changed reader never serves a stale index.
 */
export function builderHash(): string {
  const hash = createHash("sha256");
  for (const dir of ["analyzer", "common", "index-builder"]) {
    const files = readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts"))
      .map((name) => name.split(sep).join("/"))
      .sort();
    for (const name of files) {
      hash.update(`${dir}/${name}\0`);
      hash.update(readFileSync(join(PROJECT_ROOT, dir, name)));
    }
  }
  const miniSearch = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules/minisearch/package.json"), "utf8")) as { version: string };
  hash.update(`minisearch ${miniSearch.version}`);
  return hash.digest("hex").slice(0, 20);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `builtAt` from SOURCE_DATE_EPOCH (seconds), or null so that builds stay reproducible. */
export function builtAtFromEnvironment(value = process.env.SOURCE_DATE_EPOCH): string | null {
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${value}"`);
  return new Date(seconds * 1000).toISOString();
}

/**
 * Builds the artifact in memory: one MiniSearch document per paragraph (its
 * text and its document's title), numbered in corpus order; the store with
 * every paragraph's text; the manifest. Deterministic: the same corpus gives
 * the same strings.
 */
/** Counts the surface forms of the words in a text, keyed by exact form, for the vocabulary. */
class VocabularyCounter {
  private readonly forms = new Map<string, Map<string, number>>();

  add(tokens: readonly Token[]): void {
    for (const token of tokens) {
      if (token.stop || token.kind === "number" || token.exact.length < 2) continue;
      let surfaces = this.forms.get(token.exact);
      if (!surfaces) {
        surfaces = new Map();
        this.forms.set(token.exact, surfaces);
      }
      surfaces.set(token.text, (surfaces.get(token.text) ?? 0) + 1);
    }
  }

  /** Each word in its most frequent spelling (the first seen on a tie), sorted by exact form. */
  toVocabulary(): Vocabulary {
    const entries = [...this.forms].map(([exact, surfaces]) => {
      let best = "";
      let bestCount = 0;
      let total = 0;
      for (const [surface, count] of surfaces) {
        total += count;
        if (count > bestCount) [best, bestCount] = [surface, count];
      }
      return { exact, word: best, count: total };
    });
    entries.sort((a, b) => (a.exact < b.exact ? -1 : a.exact > b.exact ? 1 : 0));
    return { words: entries.map((e) => e.word), counts: entries.map((e) => e.count) };
  }
}

export function buildArtifact(corpus: Corpus, builtAt: string | null, builder = builderHash()): Artifact {
  const vocabulary = new VocabularyCounter();
  const baseOptions = miniSearchOptions();
  // Same terms as the shared options; the text field's tokens also feed the vocabulary.
  const options = {
    ...baseOptions,
    tokenize: (text: string, field?: string) => {
      const tokens = analyze(text);
      if (field === "text") vocabulary.add(tokens);
      return termsOf(tokens);
    },
  };
  const search = new MiniSearch<IndexedParagraph>(options);
  const documents: StoredDocument[] = [];
  const paragraphs: string[] = [];
  const paragraphDocs: number[] = [];
  const perCollection = new Map<string, { documents: number; paragraphs: number }>();

  corpus.documents.forEach((doc, docIndex) => {
    documents.push({
      id: doc.id,
      title: doc.title,
      url: doc.url,
      date: doc.date,
      kind: doc.kind,
      collection: doc.collection,
      first: paragraphs.length,
      count: doc.paragraphs.length,
    });
    vocabulary.add(analyze(doc.title));
    const counts = perCollection.get(doc.collection) ?? { documents: 0, paragraphs: 0 };
    counts.documents++;
    counts.paragraphs += doc.paragraphs.length;
    perCollection.set(doc.collection, counts);
    for (const text of doc.paragraphs) {
      search.add({ id: paragraphs.length, title: doc.title, text });
      paragraphs.push(text);
      paragraphDocs.push(docIndex);
    }
  });

  const collections: CollectionInfo[] = corpus.collections
    .filter((c) => perCollection.has(c.id))
    .map((c) => ({ ...c, ...(perCollection.get(c.id) ?? { documents: 0, paragraphs: 0 }) }));
  const store: Store = {
    formatVersion: FORMAT_VERSION,
    collections,
    documents,
    paragraphs,
    paragraphDocs,
    vocabulary: vocabulary.toVocabulary(),
  };
  const indexJson = JSON.stringify(search);
  const storeJson = JSON.stringify(store);
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    analyzer: { id: ANALYZER_ID, version: ANALYZER_VERSION },
    version: corpusVersion(corpus.files),
    builder,
    builtAt,
    counts: { collections: collections.length, documents: documents.length, paragraphs: paragraphs.length, terms: search.termCount },
    minisearch: { fields: options.fields, storeFields: options.storeFields ?? [], idField: options.idField ?? "id", serialization: "json" },
    files: {
      index: { bytes: Buffer.byteLength(indexJson), sha256: sha256(indexJson) },
      store: { bytes: Buffer.byteLength(storeJson), sha256: sha256(storeJson) },
    },
  };
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  const module = [
    "// Generated by the fundstelle index builder: the artifact as strings for the worker bundle. Do not edit.",
    `export const manifest = ${JSON.stringify(manifestJson)};`,
    `export const index = ${JSON.stringify(indexJson)};`,
    `export const store = ${JSON.stringify(storeJson)};`,
    "",
  ].join("\n");
  return { manifest, files: { manifest: manifestJson, index: indexJson, store: storeJson, module } };
}

/**
 * Puts back the last good build if a previous run was killed between moving it
 * aside and moving the new one in. Safe to call at any time.
 */
export function recoverBuild(outDir: string): void {
  if (existsSync(outDir)) return;
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  const aside = readdirSync(parent)
    .filter((name) => name.startsWith(`${basename(outDir)}.old-`))
    .sort();
  const last = aside.at(-1);
  if (last) renameSync(join(parent, last), outDir);
}

/**
 * Writes the artifact into `outDir` so that readers see either the old build
 * or the new one, never a mixture: the files go to a fresh sibling folder,
 * which then replaces `outDir` by rename. If anything fails before the swap,
 * `outDir` is untouched.
 */
export function writeArtifact(artifact: Artifact, outDir: string): void {
  recoverBuild(outDir);
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const next = join(parent, `${basename(outDir)}.tmp-${stamp}`);
  const old = join(parent, `${basename(outDir)}.old-${stamp}`);
  try {
    mkdirSync(next);
    // The manifest goes last, so a folder with a manifest has all its files.
    writeFileSync(join(next, ARTIFACT_FILES.index), artifact.files.index);
    writeFileSync(join(next, ARTIFACT_FILES.store), artifact.files.store);
    writeFileSync(join(next, ARTIFACT_FILES.module), artifact.files.module);
    writeFileSync(join(next, ARTIFACT_FILES.manifest), artifact.files.manifest);
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(next, outDir);
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    recoverBuild(outDir);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}
