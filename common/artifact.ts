// The versioned artifact the builder writes and the worker reads: file names, format version, shapes, MiniSearch options.
import type { Options as MiniSearchOptions } from "minisearch";
import { ANALYZER_ID, ANALYZER_VERSION, analyze, indexTerms, partTerms } from "../analyzer/index.js";
import type { NoResultsHelp, StoredPromotion } from "./promotions.js";

/**
 * Bumped on every change to the shape of the artifact files. The worker refuses
 * an index of another format version.
 */
export const FORMAT_VERSION = 6;

/** File names inside the build folder. */
export const ARTIFACT_FILES = {
  manifest: "manifest.json",
  /** The binary index (see {@link INDEX_SECTIONS}): terms, postings, field lengths and the paragraphs' text. */
  index: "index.bin",
  store: "store.json",
  /** The ES module the worker bundles: the manifest and store as strings, the index as a Data module (see {@link ArtifactModule}). */
  module: "artifact.js",
  moduleTypes: "artifact.d.ts",
} as const;

/**
 * The shape of `artifact.js`. The manifest and store are JSON strings rather than object literals:
 * JSON.parse of a string is much cheaper at isolate start-up than evaluating a large object literal.
 * The index is the bytes of `index.bin`, imported as a Data module (an ArrayBuffer) so the worker
 * reads it in place without parsing.
 */
export interface ArtifactModule {
  manifest: string;
  index: ArrayBuffer | Uint8Array;
  store: string;
}

/**
 * Sections of `index.bin`, in order (see common/binary.ts for the container). It is MiniSearch's
 * index (the builder indexes with MiniSearch) in a compact form the worker searches in place:
 * - `meta`: JSON {@link IndexMeta}.
 * - `terms`: every index term, sorted in code-unit order, UTF-8, separated by "\n".
 * - `postingLengths`: varints, per term the byte length of its postings (their offsets add up at load).
 * - `postings`: per term, its postings in the layout common/postings.ts writes and reads (and documents).
 * - `fieldLengths`: Uint16 or Uint32 ({@link IndexMeta.lengthBytes}): title length per document, then
 *   text, parts and headings length per paragraph (in distinct terms, as MiniSearch counts them).
 * - `textLengths`: varints, per paragraph the byte length of its text.
 * - `text`: every paragraph's text, UTF-8, in paragraph order.
 * - `headingLengths`: varints, per document the byte length of its record in `headings`.
 * - `headings`: per document, its sections ({@link StoredSection}): a varint count (0 for a page without
 *   headings, one lead section), then per section varints level and first paragraph, the anchor's UTF-8
 *   byte length plus one (0 for none) and its bytes, the heading's byte length and its bytes. Kept here
 *   rather than in the store so that they cost no heap: a document's are decoded when a hit or view needs them.
 */
export const INDEX_SECTIONS = [
  "meta",
  "terms",
  "postingLengths",
  "postings",
  "fieldLengths",
  "textLengths",
  "text",
  "headingLengths",
  "headings",
] as const;

/** The `meta` section of `index.bin`. */
export interface IndexMeta {
  paragraphs: number;
  documents: number;
  terms: number;
  /** MiniSearch's average field lengths over the whole corpus, per field of {@link FIELDS}, exactly as it computed them. */
  averageFieldLength: number[];
  /** Bytes per entry of the `fieldLengths` section: 2, or 4 when some field is longer than 65,535 terms. */
  lengthBytes: 2 | 4;
  /**
   * Where this index lies in the whole corpus: its first paragraph's number there, and the corpus's
   * paragraph count (BM25's N). An index of the whole corpus has 0 and {@link paragraphs}; a shard
   * scores with the whole corpus's statistics, so its scores equal those of one index of everything.
   */
  corpus: { firstParagraph: number; paragraphs: number; shard: number; shards: number };
}

/** A collection: a first-level folder of corpus/, described by its optional collection.json. */
export interface CollectionInfo {
  id: string;
  title: string;
  attribution: string | null;
  license: string | null;
  url: string | null;
  documents: number;
  paragraphs: number;
}

/**
 * A section of a document as stored: its heading's text ("" for the lead, the blocks before the first
 * heading), level (1–6; 0 for the lead), anchor (without "#") or null, and its first paragraph, counted
 * from the document's first. A section runs to the next one's first paragraph; one may hold none.
 */
export type StoredSection = [heading: string, level: number, anchor: string | null, first: number];

/** What kind of block each paragraph is, one letter per paragraph (see {@link StoredDocument.blocks}). */
export const BLOCK_LETTERS = { text: "t", row: "r", list: "l", code: "c" } as const;

/** Document metadata as stored; its paragraphs are `paragraphs[first .. first + count)` of the store. */
export interface StoredDocument {
  id: string;
  title: string;
  url: string | null;
  date: string | null;
  kind: string | null;
  collection: string;
  /** Index of the document's first paragraph in {@link Store.paragraphs}. */
  first: number;
  /** Number of body paragraphs. */
  count: number;
  /**
   * One {@link BLOCK_LETTERS} letter per paragraph: a table row (its cells joined by " | "), a run of short list
   * items (joined by " • "), code, or text; absent when every paragraph is text.
   */
  blocks?: string;
  /**
   * The cells of table rows as the reader read them, so that a view never re-splits a row's text (a cell may hold
   * " | " or ": " itself): per row, its paragraph number within the document, then per cell the length of its label
   * (0 for none) and of its text, in UTF-16 code units of the row's stored text, which is the cells as
   * `Label: text` joined by " | " (one cell alone, unlabelled). Absent when the document has no such rows.
   */
  cells?: number[][];
  /**
   * What the editors' weights multiply the document's scores by (its own, its collection's and its kind's, within
   * 0.1–10); absent for 1, so that a corpus without weights gives the same bytes as before they existed.
   */
  weight?: number;
}

/**
 * The store: collections, documents and the tables that query planning reads. Paragraphs are numbered
 * in document order (a document's are `first .. first + count`); their text (NFC, as analysed, so
 * token offsets point into it) is in the `text` section of `index.bin`.
 */
export interface Store {
  formatVersion: number;
  collections: CollectionInfo[];
  documents: StoredDocument[];
  vocabulary: Vocabulary;
  /**
   * The corpus's compounds and their parts: exact form → [part word, end offset in the exact form] per part
   * (each part starts where the one before ended). Used to search compounds typed in queries by their parts
   * and to mark the matching part inside a compound.
   */
  compounds: StoredCompounds;
  /**
   * Stems of the corpus's long words, each reversed, sorted: a query word's stem, reversed, is a prefix of
   * the words it ends ("anatoli" ends "ostanatoli", the stem of "Ostanatolien").
   */
  suffixes: string[];
  /** From corpus/synonyms.txt: a word's exact form → the other entries of its groups (each the exact forms of its words). */
  synonyms: StoredSynonyms;
}

/**
 * Word (exact form) → the other entries of its synonym groups. A Map, never a plain object: words come from
 * the corpus and from clients, and "constructor" or "__proto__" are words too.
 */
export type Synonyms = ReadonlyMap<string, readonly (readonly string[])[]>;

/** Compound (exact form) → parts: `[part word, end offset in the compound's exact form]`. A Map, as {@link Synonyms}. */
export type Compounds = ReadonlyMap<string, readonly (readonly [string, number])[]>;

/** {@link Synonyms} in store.json: a JSON object, read only through {@link mapOfStored}. */
export type StoredSynonyms = Record<string, readonly (readonly string[])[]>;

/** {@link Compounds} in store.json: a JSON object, read only through {@link mapOfStored}. */
export type StoredCompounds = Record<string, readonly (readonly [string, number])[]>;

/**
 * A JSON object of the store as a Map. JSON.parse and Object.fromEntries define every key, "__proto__"
 * included, as an own property, and Object.entries lists only own ones: no key reaches Object.prototype.
 */
export function mapOfStored<T>(stored: Record<string, T>): Map<string, T> {
  return new Map(Object.entries(stored));
}

/** A Map as a JSON object for the store (every key an own property, "__proto__" included). */
export function storedOfMap<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries(map);
}

/**
 * Words of the corpus as they are usually spelled, for suggestions: never
 * stems. Sorted by their exact normalised form `keys[i]` (see the analyzer's
 * `foldCase`), so a prefix is a contiguous range. `counts[i]` is how often
 * `words[i]` occurs.
 */
export interface Vocabulary {
  words: string[];
  keys: string[];
  counts: number[];
}

/** `manifest.json`: what was built, from what, with which analyzer. */
export interface Manifest {
  formatVersion: number;
  analyzer: { id: string; version: number };
  /** Hash of the corpus contents, the analyzer version and the format version. */
  version: string;
  /** Hash of the builder's own code (readers, analyzer, format, MiniSearch version): a changed builder rebuilds on `npm start`. */
  builder: string;
  /** ISO time from SOURCE_DATE_EPOCH, or null when it was not set (keeps builds byte-identical). */
  builtAt: string | null;
  counts: { collections: number; documents: number; paragraphs: number; terms: number };
  /** Example queries from the corpus's titles, for the demo page (index-builder/examples.ts); absent in older builds. */
  examples?: string[];
  /**
   * The editors' promoted results (corpus/promotions.txt): per query key, sorted, the pages shown first. In the
   * manifest rather than the store so that a router, which holds no store, knows them too. Absent when there are none.
   */
  promotions?: StoredPromotion[];
  /** What a search without hits offers (package.json's fundstelle.noResults); absent for the default. */
  noResults?: NoResultsHelp;
  /** Only in a shard's manifest: which shard of how many, and the whole corpus's counts. */
  shard?: { shard: number; shards: number; documents: number; paragraphs: number };
  minisearch: { fields: string[]; storeFields: string[]; idField: string; serialization: "fundstelle-binary" };
  /**
   * Size and hash of each file. The worker checks `bytes` of the index and `chars` (the JavaScript
   * string length) of the store to detect truncation cheaply.
   */
  files: { index: { bytes: number; sha256: string }; store: { bytes: number; chars: number; sha256: string } };
}

/**
 * Fields of one MiniSearch document: a paragraph together with its document's title and, for the first
 * paragraph of each section, the section's headings (its own and those of the sections it lies in, the ones
 * repeating the title left out). Only the first: a heading then counts once per section, as rare as it is
 * (were it on every paragraph, a long section would make its heading look common), and a heading match
 * points to where the section starts.
 */
export interface IndexedParagraph {
  id: number;
  title: string;
  text: string;
  headings: string;
}

/** MiniSearch fields: title, text and headings hold whole words; `parts` the parts of the compounds in all three. */
export const FIELDS = ["title", "text", "parts", "headings"] as const;

/**
 * MiniSearch options shared by builder and worker. MiniSearch does not store
 * them in its JSON, so both sides must construct them from this one function.
 * Terms come from the German analyzer (exact form and stem of every non-stop
 * word), so `processTerm` passes them through unchanged.
 */
export function miniSearchOptions(compounds: Compounds = new Map()): MiniSearchOptions<IndexedParagraph> {
  return {
    idField: "id",
    fields: [...FIELDS],
    storeFields: [],
    extractField: (doc, field) => {
      if (field === "id") return doc.id;
      return field === "parts" ? `${doc.title}\n${doc.headings}\n${doc.text}` : String(doc[field as keyof IndexedParagraph]);
    },
    tokenize: (text, field) => (field === "parts" ? partTerms(analyze(text), compounds) : indexTerms(text)),
    processTerm: (term) => term,
  };
}

/** What the analyzer identification in a manifest must say for this code to read the index. */
export const EXPECTED_ANALYZER = { id: ANALYZER_ID, version: ANALYZER_VERSION } as const;
