// Test helper: a corpus in memory, one collection "test", its documents given directly (bypassing the readers).

import { DEFAULT_NO_RESULTS } from "../../common/promotions.js";
import type { Corpus } from "../../index-builder/corpus.js";
import { flatBlocks } from "../../index-builder/source.js";

export interface TestDocument {
  /** The id without the collection: "a" is "test/a". */
  name: string;
  title?: string;
  url?: string | null;
  paragraphs: string[];
}

/** A corpus of the collection "test" (whose url may be given) holding these documents. */
export function corpusOf(documents: readonly TestDocument[], collectionUrl: string | null = null): Corpus {
  return {
    files: [],
    ignored: [],
    warnings: [],
    notices: [],
    extraction: { files: 0, pages: 0, ms: 0, cached: 0, failed: 0 },
    synonyms: new Map(),
    promotions: [],
    noResults: DEFAULT_NO_RESULTS,
    collections: [{ id: "test", title: "Test", attribution: null, license: null, url: collectionUrl }],
    documents: documents.map((doc) => ({
      id: `test/${doc.name}`,
      collection: "test",
      title: doc.title ?? `Titel ${doc.name}`,
      url: doc.url ?? null,
      date: null,
      kind: null,
      file: `${doc.name}.txt`,
      ...flatBlocks(doc.paragraphs),
    })),
  };
}
