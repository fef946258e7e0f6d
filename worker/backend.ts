// What the HTTP app asks of an index: one bundled index (this file), or shards behind a router (router.ts).
import { BLOCK_LETTERS, type CollectionInfo, type StoredDocument } from "../common/artifact.js";
import { DEFAULT_NO_RESULTS, type NoResultsHelp, type StoredPromotion, storedPromotions } from "../common/promotions.js";
import { isSafeUrl } from "../common/safe-url.js";
import type { LoadedIndex } from "./search/loaded-index.js";
import { type NearWord, nearWords } from "./search/near.js";
import { type SearchRequest, type SearchResponse, search } from "./search/search.js";
import { sectionsOf } from "./search/sections.js";
import { type SuggestResponse, suggest } from "./search/suggest.js";

/** The index as /health reports it. */
export interface IndexInfo {
  version: string;
  formatVersion: number;
  analyzer: { id: string; version: number };
  documents: number;
  paragraphs: number;
  builtAt: string | null;
  /** Example queries from the corpus's titles, for the demo page (not part of /health). */
  examples: string[];
  /**
   * What cached answers are kept under (ETags, the edge cache): the corpus's version and the builder's hash, so that
   * a rebuild by another builder (another analyzer, other promotions keys) never answers from an older build's
   * cache (not part of /health).
   */
  cacheVersion: string;
  /** The editors' promoted results (corpus/promotions.txt), by query key (not part of /health). */
  promotions: StoredPromotion[];
  /** What a search without hits offers (package.json's fundstelle.noResults; not part of /health). */
  noResults: NoResultsHelp;
}

/** A section of a document as /documents/:id answers it: its heading, level, anchor and first paragraph. */
export interface DocumentSection {
  heading: string;
  level: number;
  anchor: string | null;
  paragraph: number;
}

/** What kind of block a paragraph is (see BLOCK_LETTERS in common/artifact.ts). */
export type BlockKind = keyof typeof BLOCK_LETTERS;

/** A table row's cells, as the reader read them: each its header's text (null for none) and its own. */
export interface DocumentRow {
  paragraph: number;
  cells: { label: string | null; text: string }[];
}

/** A document with its paragraphs, sections and block kinds, as /documents/:id answers. */
export type DocumentAnswer = Omit<StoredDocument, "first" | "count" | "blocks" | "cells"> & {
  paragraphs: string[];
  sections: DocumentSection[];
  blocks: BlockKind[];
  /** Its table rows' cells, when it has table rows that kept them. */
  rows?: DocumentRow[];
};

/**
 * A stored row's cells (see StoredDocument.cells) cut from its text, or null when the lengths do not fit the text
 * with its separators (a view then shows the row as text).
 */
export function rowOf(text: string, lengths: readonly number[], paragraph: number): DocumentRow | null {
  const cells: DocumentRow["cells"] = [];
  let at = 0;
  for (let i = 0; i + 1 < lengths.length; i += 2) {
    const labelLength = lengths[i] as number;
    const textLength = lengths[i + 1] as number;
    if (i > 0) {
      if (text.slice(at, at + 3) !== " | ") return null;
      at += 3;
    }
    let label: string | null = null;
    if (labelLength > 0) {
      label = text.slice(at, at + labelLength);
      if (text.slice(at + labelLength, at + labelLength + 2) !== ": ") return null;
      at += labelLength + 2;
    }
    cells.push({ label, text: text.slice(at, at + textLength) });
    at += textLength;
  }
  return at === text.length && cells.length > 0 ? { paragraph, cells } : null;
}

const KIND_OF_LETTER = new Map<string, BlockKind>(Object.entries(BLOCK_LETTERS).map(([kind, letter]) => [letter, kind as BlockKind]));

/**
 * The search service behind the routes. Every method throws IndexUnavailable (answered as 503) when
 * there is no valid index.
 */
export interface SearchBackend {
  info(): Promise<IndexInfo>;
  search(request: SearchRequest): Promise<SearchResponse>;
  suggest(q: string, limit: number): Promise<SuggestResponse>;
  collections(): Promise<CollectionInfo[]>;
  /** The document, or null when no document has this id. */
  document(id: string): Promise<DocumentAnswer | null>;
  /** The corpus words nearest a word no page holds (near.ts), for the insights report. */
  nearWords(word: string): Promise<NearWord[]>;
}

/** Where the app gets its index: returns it, or throws IndexUnavailable with the reason. */
export type IndexProvider = () => LoadedIndex;

// Keyed by the index object, not kept in its caches: a copy with another manifest ({ ...index, manifest }) shares
// the caches of the search data, but has info of its own.
const infos = new WeakMap<LoadedIndex, IndexInfo>();

/** The info of a loaded index, worked out once per index (every request asks for it). */
export function infoOf(index: LoadedIndex): IndexInfo {
  let info = infos.get(index);
  if (!info) {
    info = infoOfManifest(index);
    infos.set(index, info);
  }
  return info;
}

function infoOfManifest(index: LoadedIndex): IndexInfo {
  const { manifest } = index;
  return {
    version: manifest.version,
    formatVersion: manifest.formatVersion,
    analyzer: manifest.analyzer,
    documents: manifest.counts.documents,
    paragraphs: manifest.counts.paragraphs,
    builtAt: manifest.builtAt,
    examples: Array.isArray(manifest.examples) ? manifest.examples.filter((q): q is string => typeof q === "string") : [],
    cacheVersion: `${manifest.version}-${String(manifest.builder).slice(0, 12)}`,
    promotions: storedPromotions(manifest.promotions),
    noResults: noResultsHelp(manifest.noResults),
  };
}

/** The no-results help of a manifest: its links that are safe to follow, and whether to offer popular queries. */
export function noResultsHelp(value: unknown): NoResultsHelp {
  if (value === null || typeof value !== "object") return DEFAULT_NO_RESULTS;
  const { links, popular } = value as Partial<Record<keyof NoResultsHelp, unknown>>;
  return {
    links: Array.isArray(links)
      ? links.filter(
          (link): link is NoResultsHelp["links"][number] =>
            typeof link?.title === "string" && typeof link.url === "string" && isSafeUrl(link.url),
        )
      : [],
    popular: popular !== false,
  };
}

/** A document of a loaded index with its paragraphs, or null. */
export function documentOf(index: LoadedIndex, id: string): DocumentAnswer | null {
  const docIndex = index.documentsById.get(id);
  const doc = docIndex === undefined ? undefined : index.store.documents[docIndex];
  if (!doc) return null;
  const { first, count, blocks, cells, ...meta } = doc;
  const rows = (cells ?? []).flatMap(([n = 0, ...lengths]) => rowOf(index.paragraphText(first + n), lengths, n) ?? []);
  return {
    ...meta,
    ...(rows.length > 0 ? { rows } : {}),
    paragraphs: Array.from({ length: count }, (_, n) => index.paragraphText(first + n)),
    sections: sectionsOf(index, docIndex as number).map(({ heading, level, anchor, first: paragraph }) => ({
      heading,
      level,
      anchor,
      paragraph,
    })),
    blocks: Array.from({ length: count }, (_, n) => KIND_OF_LETTER.get(blocks?.[n] ?? "t") ?? "text"),
  };
}

/** The backend of one Worker holding the whole index. */
export function localBackend(getIndex: IndexProvider): SearchBackend {
  return {
    info: async () => infoOf(getIndex()),
    search: async (request) => search(getIndex(), request),
    suggest: async (q, limit) => suggest(getIndex(), q, limit),
    collections: async () => getIndex().store.collections,
    document: async (id) => documentOf(getIndex(), id),
    nearWords: async (word) => nearWords(getIndex(), word),
  };
}
