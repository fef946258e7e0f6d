// The inverted index that encode-index.ts writes: every term's postings per field, each paragraph's field lengths and
// the average field lengths, exactly as MiniSearch computes them when the paragraphs are added to it in order (the
// worker scores as MiniSearch does). Assembled straight from the documents' analyses (document-analysis.ts), which
// is several times faster than MiniSearch's `add` and its radix tree; termIndexOfMiniSearch reads the same structure
// out of a real MiniSearch index, and test/node/term-index.test.ts checks that both agree on the fixture corpora.
import type MiniSearch from "minisearch";
import { FIELDS, type IndexedParagraph } from "../common/artifact.js";
import { compareCodeUnits } from "../common/order.js";
import type { DocumentAnalysis } from "./document-analysis.js";

/**
 * Paragraphs are numbered 0 … n−1 in document order, documents 0 … d−1; fields are those of {@link FIELDS}, whose
 * first, the title, is the same for every paragraph of a document and so is kept by document. Terms with their
 * postings are in code-unit order. Postings are flat lists of `[id, term frequency, id, term frequency, …]`, ids
 * ascending.
 */
export interface TermIndex {
  /** Paragraphs indexed: MiniSearch's documentCount. */
  paragraphs: number;
  /** Per field of {@link FIELDS}, each paragraph's length: its distinct terms (MiniSearch's fieldLength). */
  fieldLength: Uint32Array[];
  /** Per field of {@link FIELDS}, MiniSearch's running average of the field lengths, to the last bit. */
  averageFieldLength: number[];
  terms: string[];
  /** Per term, its title postings by document. */
  titles: number[][];
  /** Per term, the paragraphs with it in their title (every paragraph of those documents): its title frequency. */
  titleFrequency: number[];
  /** Per field after the title (text, parts, headings), per term, its postings by paragraph. */
  postings: [number[][], number[][], number[][]];
}

/** Builds a {@link TermIndex} from the documents' analyses, added in corpus order. */
export class TermIndexBuilder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly titles: number[][] = [];
  private readonly titleFrequency: number[] = [];
  private readonly postings: [number[][], number[][], number[][]] = [[], [], []];
  private readonly fieldLength: Uint32Array[];
  private readonly averages = FIELDS.map(() => 0);
  /** The `parts` term ids of each possible compound (exact form): null when the corpus does not split it. */
  private readonly partsOf = new Map<string, number[] | null>();
  /** Per term id, its count in the `parts` field of the paragraph at hand (0 outside it): see {@link partCounts}. */
  private counts = new Uint32Array(1 << 16);
  private next = 0;

  /**
   * `paragraphs`: how many the corpus has, all told; `partTerms`: the corpus's compounds (exact form), each with the
   * terms it gives the `parts` field (the analyzer's partTerms).
   */
  constructor(
    private readonly paragraphs: number,
    private readonly partTerms: ReadonlyMap<string, readonly string[]>,
  ) {
    this.fieldLength = FIELDS.map(() => new Uint32Array(paragraphs));
  }

  /**
   * A term's id. The empty term has one too: MiniSearch counts it in a field's length though it never indexes it,
   * so it is counted like any other and left out of the index at the end.
   */
  private termId(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
      this.titles.push([]);
      this.titleFrequency.push(0);
      for (const field of this.postings) field.push([]);
    }
    return id;
  }

  /** The `parts` term ids of one possible compound (exact form). */
  private partsOfCandidate(exact: string): number[] | null {
    let ids = this.partsOf.get(exact);
    if (ids === undefined) {
      ids = this.partTerms.get(exact)?.map((term) => this.termId(term)) ?? null;
      this.partsOf.set(exact, ids);
    }
    return ids;
  }

  /** One field of one paragraph: its length and MiniSearch's running average. */
  private addField(field: number, paragraph: number, length: number): void {
    (this.fieldLength[field] as Uint32Array)[paragraph] = length;
    // MiniSearch's addFieldLength, operation for operation: the average after `paragraph` earlier ones.
    const average = this.averages[field] || 0;
    this.averages[field] = (average * paragraph + length) / (paragraph + 1);
  }

  /** Adds document number `doc`, whose paragraphs are the next `paragraphCount`. */
  addDocument(doc: number, paragraphCount: number, analysis: DocumentAnalysis): void {
    if (paragraphCount === 0) return;
    const { words, title, titleParts, paragraphs } = analysis;
    // The document's word ids as term ids, looked up once each.
    const termIds = new Int32Array(words.length).fill(-1);
    const termOf = (word: number): number => {
      let id = termIds[word] as number;
      if (id === -1) {
        id = this.termId(words[word] as string);
        termIds[word] = id;
      }
      return id;
    };
    for (let i = 0; i < title.length; i += 2) {
      const id = termOf(title[i] as number);
      (this.titles[id] as number[]).push(doc, title[i + 1] as number);
      this.titleFrequency[id] = (this.titleFrequency[id] as number) + paragraphCount;
    }
    // The title's parts, which every paragraph's `parts` field holds: as pairs of term id and count.
    const titlePartPairs = this.partCounts(titleParts, 0, titleParts.length / 2, words, []);
    const [text, parts, headings] = this.postings;
    let at = 0;
    for (let p = 0; p < paragraphCount; p++) {
      const paragraph = this.next++;
      this.addField(0, paragraph, title.length / 2);
      at = this.addPairs(paragraphs, at, termOf, text, 1, paragraph);
      at = this.addPairs(paragraphs, at, termOf, headings, 3, paragraph);
      const candidates = paragraphs[at] as number;
      const pairs = candidates === 0 ? titlePartPairs : this.partCounts(paragraphs, at + 1, candidates, words, titlePartPairs);
      at += 1 + 2 * candidates;
      this.addField(2, paragraph, pairs.length / 2);
      for (let i = 0; i < pairs.length; i += 2) (parts[pairs[i] as number] as number[]).push(paragraph, pairs[i + 1] as number);
    }
  }

  /** Reads one list of term pairs of a paragraph from `list` at `at`: its field's length and postings. Returns where the next list starts. */
  private addPairs(
    list: ArrayLike<number>,
    at: number,
    termOf: (word: number) => number,
    postings: number[][],
    field: number,
    paragraph: number,
  ): number {
    const pairs = list[at] as number;
    this.addField(field, paragraph, pairs);
    const end = at + 1 + 2 * pairs;
    for (let i = at + 1; i < end; i += 2) (postings[termOf(list[i] as number)] as number[]).push(paragraph, list[i + 1] as number);
    return end;
  }

  /**
   * The `parts` terms of `pairs` possible compounds (pairs of word and occurrences, from `from` in `list`) added to
   * `base` (pairs of term id and count): pairs of term id and count, one per distinct term.
   */
  private partCounts(list: ArrayLike<number>, from: number, pairs: number, words: readonly string[], base: readonly number[]): number[] {
    const ids: number[] = [];
    const add = (id: number, count: number) => {
      if (id >= this.counts.length) {
        const grown = new Uint32Array(Math.max(2 * this.counts.length, id + 1));
        grown.set(this.counts);
        this.counts = grown;
      }
      if (this.counts[id] === 0) ids.push(id);
      this.counts[id] = (this.counts[id] as number) + count;
    };
    for (let i = 0; i < base.length; i += 2) add(base[i] as number, base[i + 1] as number);
    for (let i = from; i < from + 2 * pairs; i += 2) {
      const terms = this.partsOfCandidate(words[list[i] as number] as string);
      if (terms === null) continue;
      const occurrences = list[i + 1] as number;
      for (const id of terms) add(id, occurrences);
    }
    const result: number[] = [];
    for (const id of ids) {
      result.push(id, this.counts[id] as number);
      this.counts[id] = 0;
    }
    return result;
  }

  /** The index, terms sorted, the empty term left out; every paragraph announced to the constructor must have been added. */
  finish(): TermIndex {
    if (this.next !== this.paragraphs) throw new Error(`${this.next} paragraphs were indexed, not ${this.paragraphs}`);
    const order = this.names
      .map((_, id) => id)
      .filter((id) => this.names[id] !== "")
      .sort((a, b) => compareCodeUnits(this.names[a] as string, this.names[b] as string));
    const pick = <T>(list: readonly T[]) => order.map((id) => list[id] as T);
    return {
      paragraphs: this.paragraphs,
      fieldLength: this.fieldLength,
      averageFieldLength: this.averages,
      terms: pick(this.names),
      titles: pick(this.titles),
      titleFrequency: pick(this.titleFrequency),
      postings: [pick(this.postings[0]), pick(this.postings[1]), pick(this.postings[2])],
    };
  }
}

/** The parts of MiniSearch's serialised form (`toJSON()`, serialisation version 2) that a {@link TermIndex} holds. */
interface MiniSearchJson {
  documentCount: number;
  documentIds: Record<string, number>;
  fieldIds: Record<string, number>;
  fieldLength: Record<string, number[]>;
  averageFieldLength: number[];
  index: [string, Record<string, Record<string, number>>][];
  serializationVersion: number;
}

/**
 * The {@link TermIndex} of a MiniSearch index of the corpus's paragraphs (ids 0 … n−1 in document order, fields as in
 * {@link FIELDS}; `documents` say which paragraphs each document has). Checks what the compact form relies on: ids in
 * order, and every paragraph of a document indexed with its document's title (so title postings are kept per
 * document). The builder does not use MiniSearch; this is how a test shows that it indexes exactly as MiniSearch does.
 */
export function termIndexOfMiniSearch(
  miniSearch: MiniSearch<IndexedParagraph>,
  documents: readonly { id: string; first: number; count: number }[],
): TermIndex {
  const json = miniSearch.toJSON() as unknown as MiniSearchJson;
  if (json.serializationVersion !== 2) throw new Error(`MiniSearch serialisation version ${json.serializationVersion} is not supported`);
  const n = json.documentCount;
  const fieldIds = FIELDS.map((field) => {
    const id = json.fieldIds[field];
    if (id === undefined) throw new Error(`MiniSearch has no field ${field}`);
    return id;
  });
  for (const [shortId, id] of Object.entries(json.documentIds)) {
    if (Number(shortId) !== id) throw new Error(`paragraph ${id} has MiniSearch id ${shortId}: paragraphs must be added in order`);
  }
  const docOf = new Uint32Array(n);
  documents.forEach((doc, d) => {
    docOf.fill(d, doc.first, doc.first + doc.count);
  });
  const [titleField, ...paragraphFields] = fieldIds as [number, number, number, number];
  const entries = json.index.slice().sort(([a], [b]) => compareCodeUnits(a, b));
  const byId = (data: Record<string, Record<string, number>>, field: number): number[] =>
    Object.entries(data[field] ?? {})
      .map(([id, tf]): [number, number] => [Number(id), tf])
      .sort((a, b) => a[0] - b[0])
      .flat();
  const index: TermIndex = {
    paragraphs: n,
    fieldLength: fieldIds.map((field) => Uint32Array.from({ length: n }, (_, p) => json.fieldLength[p]?.[field] ?? 0)),
    averageFieldLength: fieldIds.map((field) => json.averageFieldLength[field] ?? 0),
    terms: [],
    titles: [],
    titleFrequency: [],
    postings: [[], [], []],
  };
  for (const [term, data] of entries) {
    index.terms.push(term);
    const titleParagraphs = byId(data, titleField);
    const titles: number[] = [];
    for (let i = 0; i < titleParagraphs.length; i += 2) {
      const d = docOf[titleParagraphs[i] as number] as number;
      const tf = titleParagraphs[i + 1] as number;
      if (titles.at(-2) === d) {
        if (titles.at(-1) !== tf) throw new Error(`paragraphs of document ${documents[d]?.id} disagree about their title`);
        continue;
      }
      titles.push(d, tf);
    }
    let covered = 0;
    for (let i = 0; i < titles.length; i += 2) covered += documents[titles[i] as number]?.count ?? 0;
    if (covered !== titleParagraphs.length / 2)
      throw new Error(`the title term "${term}" is not indexed with every paragraph of its documents`);
    index.titles.push(titles);
    index.titleFrequency.push(titleParagraphs.length / 2);
    paragraphFields.forEach((field, f) => {
      (index.postings[f] as number[][]).push(byId(data, field));
    });
  }
  return index;
}
