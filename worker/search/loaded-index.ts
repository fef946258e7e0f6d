// Turns the artifact's strings into a searchable index, checking format and analyzer versions first.
import { ANALYZER_ID, ANALYZER_VERSION } from "../../analyzer/index.js";
import {
  type ArtifactModule,
  type CollectionInfo,
  type Compounds,
  FORMAT_VERSION,
  type Manifest,
  mapOfStored,
  type Store,
  type StoredDocument,
  type Synonyms,
} from "../../common/artifact.js";
import { isSafeUrl } from "../../common/safe-url.js";
import { CompactIndex } from "./compact-index.js";
import { Evaluator } from "./evaluator.js";
import { RANKING, type Ranking, rankingWith } from "./ranking.js";

/** A loaded, version-checked index with its store and lookup tables. */
export interface LoadedIndex {
  manifest: Manifest;
  /** Terms, postings and paragraph text, searched in place (never changed). */
  engine: CompactIndex;
  /** Evaluates query trees over {@link engine}, with scratch space of its own. */
  evaluator: Evaluator;
  store: Store;
  /** Document index by document id. */
  documentsById: Map<string, number>;
  /** Each document's weight (see StoredDocument.weight), or null when every document's is 1 (no work per candidate). */
  documentWeights: Float64Array | null;
  collectionsById: Map<string, CollectionInfo>;
  /** The store's compounds, as a Map (looked up with query words). */
  compounds: Compounds;
  /** The store's synonyms, as a Map (looked up with query words). */
  synonyms: Synonyms;
  /** Exact normalised form of each vocabulary word, parallel to `store.vocabulary.words`. */
  vocabularyKeys: string[];
  /** The document of a paragraph. */
  docOf(paragraph: number): StoredDocument;
  /** A paragraph's stored text. */
  paragraphText(paragraph: number): string;
  /** The weights it ranks with: RANKING, unless loaded with others (experiments, see withRanking). */
  ranking: Ranking;
  /**
   * What searches keep of this index's data between queries, made on first use: scratch space sized to it and
   * bounded memos (their keys: `IndexCache` constants beside the code that uses them). An answer never depends on
   * them. A copy of the index ({ ...index }) shares them, as it shares the data; one made by withRanking has its own.
   */
  cached<T>(key: IndexCache<T>, make: () => T): T;
}

/** The key of one thing an index keeps for its searches (see LoadedIndex.cached); `name` says what, for debugging. */
export class IndexCache<T> {
  declare private readonly type: T;
  constructor(readonly name: string) {}
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
export function loadIndex(artifact: ArtifactModule | null | undefined, ranking: Ranking = RANKING): LoadedIndex {
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
  if (
    typeof artifact.store !== "string" ||
    artifact.index?.byteLength !== manifest.files?.index?.bytes ||
    artifact.store.length !== manifest.files?.store?.chars
  ) {
    throw new IndexUnavailable(`The index file is truncated or changed since it was built: ${FIX}.`);
  }
  let engine: CompactIndex;
  let store: Store;
  try {
    store = JSON.parse(artifact.store) as Store;
    if (store.formatVersion !== FORMAT_VERSION || !Array.isArray(store.documents)) throw new Error("the store has another format");
    engine = new CompactIndex(artifact.index, store.documents);
  } catch (error) {
    throw new IndexUnavailable(`The index is corrupt (${(error as Error).message}): ${FIX}.`);
  }
  if (engine.paragraphs !== manifest.counts.paragraphs) {
    throw new IndexUnavailable(`The paragraph store does not match the manifest: ${FIX}.`);
  }
  // Defence in depth: the builder refuses such urls, but an index built by other means may hold them, and the
  // widget, the document page and every client follow what the API serves.
  for (const doc of store.documents) if (doc.url !== null && !isSafeUrl(doc.url)) doc.url = null;
  for (const collection of store.collections) if (collection.url !== null && !isSafeUrl(collection.url)) collection.url = null;
  const documentsById = new Map(store.documents.map((doc, i) => [doc.id, i]));
  const collectionsById = new Map(store.collections.map((c) => [c.id, c]));
  let documentWeights: Float64Array | null = null;
  store.documents.forEach((doc, i) => {
    // A weight outside the documented range is not the builder's: held to it, as the builder holds a product.
    if (typeof doc.weight !== "number" || !Number.isFinite(doc.weight) || doc.weight === 1) return;
    documentWeights ??= new Float64Array(store.documents.length).fill(1);
    documentWeights[i] = Math.min(10, Math.max(0.1, doc.weight));
  });
  return {
    manifest,
    engine,
    evaluator: new Evaluator(engine),
    store,
    documentsById,
    documentWeights,
    collectionsById,
    compounds: mapOfStored(store.compounds),
    synonyms: mapOfStored(store.synonyms),
    vocabularyKeys: store.vocabulary.keys,
    docOf(paragraph: number): StoredDocument {
      const doc = store.documents[engine.paragraphDoc[paragraph] ?? -1];
      if (!doc) throw new Error(`paragraph ${paragraph} has no document`);
      return doc;
    },
    paragraphText: (paragraph) => engine.paragraphText(paragraph),
    ranking,
    cached: cachesOfOwn(),
  };
}

/** A fresh {@link LoadedIndex.cached}: memos of one index object alone. */
function cachesOfOwn(): LoadedIndex["cached"] {
  const caches = new Map<IndexCache<unknown>, unknown>();
  return <T>(key: IndexCache<T>, make: () => T): T => {
    if (!caches.has(key)) caches.set(key, make());
    return caches.get(key) as T;
  };
}

/**
 * The same index ranking with some weights changed (tests and the weight sweeps): the index data is shared, its
 * per-index memos and scratch space are its own.
 */
export function withRanking(index: LoadedIndex, change: Parameters<typeof rankingWith>[0]): LoadedIndex {
  return { ...index, ranking: rankingWith(change, index.ranking), evaluator: new Evaluator(index.engine), cached: cachesOfOwn() };
}
