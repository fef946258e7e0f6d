// Test helper: a compact index and the MiniSearch index it was encoded from, for small hand-made corpora.
import MiniSearch, { type Query } from "minisearch";
import { FIELDS, type IndexedParagraph, type StoredDocument } from "../../common/artifact.js";
import { encodeIndex } from "../../index-builder/encode-index.js";
import { termIndexOfMiniSearch } from "../../index-builder/term-index.js";
import { CompactIndex } from "../../worker/search/compact-index.js";
import { Evaluator } from "../../worker/search/evaluator.js";
import type { QueryNode } from "../../worker/search/query-tree.js";

export interface SmallDocument {
  title: string;
  paragraphs: string[];
}

/** Indexes documents with whitespace-separated terms: title, text, parts (every third word) and headings (see below). */
export function compactFrom(documents: readonly SmallDocument[]): {
  engine: CompactIndex;
  evaluator: Evaluator;
  miniSearch: MiniSearch<IndexedParagraph>;
} {
  const words = (text: string) => text.split(/\s+/).filter((w) => w !== "");
  const miniSearch = new MiniSearch<IndexedParagraph>({
    idField: "id",
    fields: [...FIELDS],
    storeFields: [],
    // The parts field holds every third word of the text, so that it differs from the text field.
    extractField: (doc, field) => {
      if (field === "id") return doc.id;
      return field === "parts"
        ? words(doc.text)
            .filter((_, i) => i % 3 === 0)
            .join(" ")
        : String(doc[field as "title" | "text" | "headings"]);
    },
    tokenize: words,
    processTerm: (term) => term,
  });
  const stored: StoredDocument[] = [];
  const paragraphs: string[] = [];
  documents.forEach((doc, d) => {
    stored.push({
      id: `doc${d}`,
      title: doc.title,
      url: null,
      date: null,
      kind: null,
      collection: "c",
      first: paragraphs.length,
      count: doc.paragraphs.length,
    });
    doc.paragraphs.forEach((text, n) => {
      // Headings: pairs of paragraphs share one, the first word of the pair's first paragraph (a section of two).
      const headings = words(doc.paragraphs[n - (n % 2)] ?? "")[0] ?? "";
      miniSearch.add({ id: paragraphs.length, title: doc.title, text, headings });
      paragraphs.push(text);
    });
  });
  const engine = new CompactIndex(encodeIndex(termIndexOfMiniSearch(miniSearch, stored), stored, [], paragraphs), stored);
  return { engine, evaluator: new Evaluator(engine), miniSearch };
}

/** The same tree as a MiniSearch query: each leaf a one-term query carrying its boost. */
export function toMiniSearchQuery(node: QueryNode): Query {
  if ("term" in node) return { combineWith: "OR", queries: [node.term], boostTerm: () => node.boost };
  return { combineWith: node.combineWith, queries: node.queries.map(toMiniSearchQuery) };
}

/** MiniSearch's search with terms taken as given. */
export const AS_GIVEN = { tokenize: (term: string) => [term], processTerm: (term: string) => term } as const;
