// The builder indexes without MiniSearch (index-builder/term-index.ts) but exactly as MiniSearch would: the same
// postings, field lengths and average field lengths (to the last bit), so the same index.bin, on the fixture corpora
// and on documents made to catch the edge cases (a document without paragraphs, words that name Object's properties,
// an abbreviation spanning the title and the headings, compounds in every field).
import { join } from "node:path";
import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { type IndexedParagraph, mapOfStored, miniSearchOptions } from "../../common/artifact.js";
import { DEFAULT_NO_RESULTS } from "../../common/promotions.js";
import { encodeArtifact, indexCorpus, indexedFields } from "../../index-builder/build.js";
import type { Corpus } from "../../index-builder/corpus.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { encodeIndex } from "../../index-builder/encode-index.js";
import { emptyExtractionStats } from "../../index-builder/extract.js";
import { flatBlocks, type SourceDocument } from "../../index-builder/source.js";
import { termIndexOfMiniSearch } from "../../index-builder/term-index.js";

const ROOT = join(import.meta.dirname, "../..");

/** The corpus indexed by the builder, and by MiniSearch with the same compounds; both encoded. */
function bothWays(corpus: Corpus) {
  const indexed = indexCorpus(corpus);
  const miniSearch = new MiniSearch<IndexedParagraph>(miniSearchOptions(mapOfStored(indexed.store.compounds)));
  let id = 0;
  for (const doc of corpus.documents) for (const fields of indexedFields(doc)) miniSearch.add({ id: id++, ...fields });
  const reference = termIndexOfMiniSearch(miniSearch, indexed.documents);
  const encode = (terms: typeof reference) => encodeIndex(terms, indexed.documents, indexed.sections, indexed.paragraphs);
  return { indexed, reference, miniSearch, builder: encode(indexed.terms), viaMiniSearch: encode(reference) };
}

function document(id: string, title: string, paragraphs: string[], headings: [string, number, number][] = []): SourceDocument {
  const doc: SourceDocument = {
    id,
    title,
    url: null,
    date: null,
    kind: null,
    collection: "c",
    file: `c/${id}.txt`,
    ...flatBlocks(paragraphs),
  };
  if (headings.length > 0) {
    doc.sections = [
      { heading: "", level: 0, anchor: null, first: 0 },
      ...headings.map(([heading, level, first]) => ({ heading, level, anchor: null, first })),
    ];
  }
  return doc;
}

function corpusOf(documents: SourceDocument[]): Corpus {
  return {
    collections: [{ id: "c", title: "C", attribution: null, license: null, url: null }],
    documents,
    warnings: [],
    notices: [],
    extraction: emptyExtractionStats(),
    files: [],
    ignored: [],
    synonyms: new Map(),
    promotions: [],
    noResults: DEFAULT_NO_RESULTS,
  };
}

describe("the builder's index equals MiniSearch's", () => {
  for (const fixture of ["test/fixtures/corpus", "test/fixtures/townhall"]) {
    it(`on ${fixture}: the same terms, postings, field lengths and averages, so the same index.bin`, async () => {
      // The project's cache (PDF extractions, reads) only saves time here: the index is what is compared.
      const corpus = await readCorpus(join(ROOT, fixture), undefined, { cacheDir: join(ROOT, "node_modules/.cache/fundstelle") });
      const { indexed, reference, miniSearch, builder, viaMiniSearch } = bothWays(corpus);
      expect(indexed.terms.terms.length).toBe(miniSearch.termCount);
      expect(indexed.terms).toEqual(reference);
      expect(Buffer.from(builder).equals(Buffer.from(viaMiniSearch))).toBe(true);
    });
  }

  it("on documents made for the edge cases", () => {
    const corpus = corpusOf([
      document(
        "kompositum",
        "Handelsvolumen: Angaben z.",
        [
          "Die Hochschulzusammenarbeit und das Handelsvolumen wachsen. Das Handelsvolumen z. B. der Hochschulzusammenarbeit.",
          "constructor __proto__ toString hasOwnProperty valueOf: Wörter wie alle anderen.",
          "Zweiter Absatz zur Zusammenarbeit der Hochschule im Handel mit Volumen.",
          "Ein dritter Absatz über den Handel.",
        ],
        [
          ["B. Hochschulzusammenarbeit", 2, 1],
          ["Handelsvolumen im Überblick", 3, 1],
          ["Leer", 2, 3],
          ["Handelsvolumen: Angaben z.", 2, 3],
        ],
      ),
      document("leer", "Ein Dokument ohne Absätze", []),
      document("constructor", "__proto__ constructor", ["Handelsvolumen, Handel und Volumen: constructor."]),
      document("zahlen", "Zahlen 2024", ["8,75 Mrd. Euro, ca. 226.000 Menschen, Z5+1 und Goethe-Institut."]),
    ]);
    const { indexed, reference, builder, viaMiniSearch } = bothWays(corpus);
    expect(indexed.store.compounds).toHaveProperty("hochschulzusammenarbeit");
    expect(indexed.terms).toEqual(reference);
    expect(Buffer.from(builder).equals(Buffer.from(viaMiniSearch))).toBe(true);
    // The artifact's term count is MiniSearch's too.
    expect(encodeArtifact(indexed, undefined, null, "test").manifest.counts.terms).toBe(reference.terms.length);
  });
});
