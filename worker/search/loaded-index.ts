// Turns the artifact's strings into a searchable index, checking format and analyzer versions first.
import MiniSearch from "minisearch";
import { ANALYZER_ID, ANALYZER_VERSION, foldCase } from "../../analyzer/index.js";
import {
  type ArtifactModule,
  type CollectionInfo,
  FORMAT_VERSION,
  type IndexedParagraph,
  type Manifest,
  miniSearchOptions,
  type Store,
  type StoredDocument,
} from "../../common/artifact.js";

/** A loaded, version-checked index with its store and lookup tables. */
export interface LoadedIndex {
  manifest: Manifest;
  miniSearch: MiniSearch<IndexedParagraph>;
  store: Store;
  /** Document index by document id. */
  documentsById: Map<string, number>;
  collectionsById: Map<string, CollectionInfo>;
  /** Exact normalised form of each vocabulary word, parallel to `store.vocabulary.words`. */
  vocabularyKeys: string[];
  /** Index of the document of each paragraph. */
  docOf(paragraph: number): StoredDocument;
}

/** Why no index could be loaded; answered as 503 index_unavailable. */
export class IndexUnavailable extends Error {
  override readonly name = "IndexUnavailable";
}

const FIX = 'run "npm run build:index" and restart or redeploy the worker';

/**
 * Parses and checks an artifact. Throws IndexUnavailable with a reason that
 * says how to fix it when the manifest is missing or corrupt, the format or
 * analyzer version differs from this code's, or the index or store is
 * truncated or corrupt.
 */
export function loadIndex(artifact: ArtifactModule | null | undefined): LoadedIndex {
  if (!artifact || typeof artifact.manifest !== "string") throw new IndexUnavailable(`No index is bundled: ${FIX}.`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(artifact.manifest) as Manifest;
  } catch {
    throw new IndexUnavailable(`The index manifest is corrupt: ${FIX}.`);
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexUnavailable(`Index format ${manifest.formatVersion} is not supported (this worker reads ${FORMAT_VERSION}): ${FIX}.`);
  }
  if (manifest.analyzer?.id !== ANALYZER_ID || manifest.analyzer?.version !== ANALYZER_VERSION) {
    throw new IndexUnavailable(
      `The index was built by analyzer ${manifest.analyzer?.id} ${manifest.analyzer?.version}, but this worker analyses queries with ${ANALYZER_ID} ${ANALYZER_VERSION}: ${FIX}.`,
    );
  }
  if (artifact.index.length !== manifest.files?.index?.chars || artifact.store.length !== manifest.files?.store?.chars) {
    throw new IndexUnavailable(`The index file is truncated or changed since it was built: ${FIX}.`);
  }
  let miniSearch: MiniSearch<IndexedParagraph>;
  let store: Store;
  try {
    miniSearch = MiniSearch.loadJSON<IndexedParagraph>(artifact.index, miniSearchOptions());
    store = JSON.parse(artifact.store) as Store;
  } catch (error) {
    throw new IndexUnavailable(`The index is corrupt (${(error as Error).message}): ${FIX}.`);
  }
  if (store.formatVersion !== FORMAT_VERSION || store.paragraphs?.length !== manifest.counts.paragraphs) {
    throw new IndexUnavailable(`The paragraph store does not match the manifest: ${FIX}.`);
  }
  const documentsById = new Map(store.documents.map((doc, i) => [doc.id, i]));
  const collectionsById = new Map(store.collections.map((c) => [c.id, c]));
  const vocabularyKeys = store.vocabulary.words.map(foldCase);
  return {
    manifest,
    miniSearch,
    store,
    documentsById,
    collectionsById,
    vocabularyKeys,
    docOf(paragraph: number): StoredDocument {
      const doc = store.documents[store.paragraphDocs[paragraph] ?? -1];
      if (!doc) throw new Error(`paragraph ${paragraph} has no document`);
      return doc;
    },
  };
}
