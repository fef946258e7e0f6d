// The compact index, read in place from index.bin and never changed: terms, postings, field lengths and text.
import { FIELDS, FORMAT_VERSION, INDEX_SECTIONS, type IndexMeta, type StoredDocument, type StoredSection } from "../../common/artifact.js";
import { unpackSections, VarintReader } from "../../common/binary.js";
import { PostingReader } from "../../common/postings.js";
import { lowerBound } from "./sorted.js";

/** A field of the index, as numbered in {@link FIELDS}. */
export type Field = (typeof FIELDS)[number];
/** The title field's number: its postings are documents, not paragraphs. */
export const TITLE = 0;
/** How many fields the index has: title (per document), text, parts and headings (per paragraph). */
export const FIELD_COUNT = FIELDS.length;
/** One number per field, in the order of {@link FIELDS}. */
export type PerField = [number, number, number, number];
export const perField = (): PerField => [0, 0, 0, 0];

/** Why an index file could not be read. */
export class CorruptIndex extends Error {
  override readonly name = "CorruptIndex";
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * fundstelle's index: MiniSearch's index data (the builder indexes with MiniSearch) as sorted terms,
 * varint postings, field lengths and UTF-8 text, all views into the one buffer of index.bin. Nothing
 * is parsed but the term list. It holds no state of a query: {@link Evaluator} (evaluator.ts) scores
 * query trees over it with scratch space of its own.
 */
export class CompactIndex {
  readonly paragraphs: number;
  readonly documents: number;
  /** Where this index lies in the whole corpus (a shard holds part of it). */
  readonly corpus: IndexMeta["corpus"];
  /** Every index term, sorted in code-unit order. */
  readonly terms: string[];
  /** Per term, its most paragraphs in any one field (MiniSearch's document frequency for expansions). */
  readonly maxDf: Uint32Array;
  /** The document of each paragraph. */
  readonly paragraphDoc: Uint32Array;
  /** Each document's first paragraph and how many it has. */
  readonly docFirst: Uint32Array;
  readonly docCount: Uint32Array;
  /** Per field, the length of each document's title, then of each paragraph's text, parts and headings. */
  readonly lengths: readonly (Uint16Array | Uint32Array)[];
  /** Per field, the average length, as MiniSearch keeps it. */
  readonly averages: readonly number[];
  private readonly postingStarts: Uint32Array;
  private readonly postings: Uint8Array;
  private readonly textStarts: Uint32Array;
  private readonly text: Uint8Array;
  private readonly headingStarts: Uint32Array;
  private readonly headings: Uint8Array;

  constructor(data: ArrayBuffer | Uint8Array, documents: readonly StoredDocument[]) {
    let sections: Uint8Array[];
    try {
      sections = unpackSections(data, FORMAT_VERSION, INDEX_SECTIONS.length);
    } catch (error) {
      throw new CorruptIndex((error as Error).message);
    }
    const section = (name: (typeof INDEX_SECTIONS)[number]) => sections[INDEX_SECTIONS.indexOf(name)] as Uint8Array;
    const u32 = (bytes: Uint8Array) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
    const meta = JSON.parse(decoder.decode(section("meta"))) as IndexMeta;
    this.paragraphs = meta.paragraphs;
    this.documents = meta.documents;
    this.corpus = meta.corpus ?? { firstParagraph: 0, paragraphs: meta.paragraphs, shard: 0, shards: 1 };
    this.averages = meta.averageFieldLength;
    if (meta.documents !== documents.length)
      throw new CorruptIndex(`the index has ${meta.documents} documents, the store ${documents.length}`);
    const termText = decoder.decode(section("terms"));
    this.terms = termText === "" ? [] : termText.split("\n");
    this.postingStarts = startsOf(section("postingLengths"), meta.terms);
    this.postings = section("postings");
    if (this.terms.length !== meta.terms || this.postingStarts[meta.terms] !== this.postings.byteLength) {
      throw new CorruptIndex(`the index should have ${meta.terms} terms and their postings`);
    }
    const lengthBytes = section("fieldLengths");
    const all =
      meta.lengthBytes === 4 ? u32(lengthBytes) : new Uint16Array(lengthBytes.buffer, lengthBytes.byteOffset, lengthBytes.byteLength >>> 1);
    const n = meta.paragraphs;
    const d = meta.documents;
    if (all.length !== d + (FIELD_COUNT - 1) * n) throw new CorruptIndex("the field lengths do not match the counts");
    const lengths = [all.subarray(0, d)];
    for (let field = 1; field < FIELD_COUNT; field++) lengths.push(all.subarray(d + (field - 1) * n, d + field * n));
    this.lengths = lengths;
    this.textStarts = startsOf(section("textLengths"), meta.paragraphs);
    this.text = section("text");
    if (this.textStarts[n] !== this.text.byteLength) throw new CorruptIndex("the text does not match its lengths");
    this.headingStarts = startsOf(section("headingLengths"), meta.documents);
    this.headings = section("headings");
    if (this.headingStarts[d] !== this.headings.byteLength) throw new CorruptIndex("the headings do not match their lengths");

    this.docFirst = new Uint32Array(d);
    this.docCount = new Uint32Array(d);
    this.paragraphDoc = new Uint32Array(n);
    documents.forEach((doc, i) => {
      this.docFirst[i] = doc.first;
      this.docCount[i] = doc.count;
      this.paragraphDoc.fill(i, doc.first, doc.first + doc.count);
    });
    this.maxDf = new Uint32Array(this.terms.length);
    const counts = perField();
    const frequencies = perField();
    const reader = new PostingReader(this.postings);
    for (let t = 0; t < this.terms.length; t++) {
      reader.pos = this.postingStarts[t] as number;
      reader.header(counts, frequencies, FIELD_COUNT);
      let most = 0;
      for (let field = 0; field < FIELD_COUNT; field++) most = Math.max(most, frequencies[field] as number);
      this.maxDf[t] = most;
    }
  }

  /** The term's index in {@link terms}, or -1. */
  termId(term: string): number {
    const at = lowerBound(this.terms, term);
    return this.terms[at] === term ? at : -1;
  }

  /** A reader at the start of a term's postings (common/postings.ts documents their layout). */
  postingsOf(termId: number): PostingReader {
    return new PostingReader(this.postings, this.postingStarts[termId] as number);
  }

  /** The paragraphs containing `term` in any of `fields`, sorted and unique. */
  paragraphsWith(term: string, fields: readonly Field[]): Int32Array {
    const id = this.termId(term);
    if (id < 0) return new Int32Array(0);
    const reader = this.postingsOf(id);
    const counts = perField();
    reader.header(counts, null, FIELD_COUNT);
    const lists: Int32Array[] = [];
    for (let field = 0; field < FIELD_COUNT; field++) {
      const count = counts[field] as number;
      const wanted = fields.includes(FIELDS[field] as Field);
      const list: number[] = [];
      let at = 0;
      for (let i = 0; i < count; i++) {
        at += reader.nextGap();
        if (!wanted) continue;
        if (field !== TITLE) {
          list.push(at);
          continue;
        }
        const first = this.docFirst[at] as number;
        for (let p = first; p < first + (this.docCount[at] as number); p++) list.push(p);
      }
      if (wanted) lists.push(Int32Array.from(list));
    }
    return unionOf(lists);
  }

  /**
   * A document's sections with their levels and first paragraphs read, their headings and anchors decoded only
   * when asked for (a page of a search shows up to three of its sections; a long page has hundreds); none for a
   * page without headings (one lead section).
   */
  sectionOutline(doc: number): SectionOutline {
    const start = this.headingStarts[doc];
    if (start === undefined) throw new RangeError(`no document ${doc}`);
    const bytes = this.headings;
    const cursor = new VarintReader(bytes, start);
    const count = cursor.next();
    // Per section: level, first paragraph, and where its anchor and heading bytes are (anchor start -1: none).
    const fields = new Int32Array(count * 6);
    for (let i = 0; i < count; i++) {
      const at = i * 6;
      fields[at] = cursor.next();
      fields[at + 1] = cursor.next();
      const anchorLength = cursor.next();
      fields[at + 2] = anchorLength === 0 ? -1 : cursor.pos;
      fields[at + 3] = Math.max(0, anchorLength - 1);
      cursor.pos += Math.max(0, anchorLength - 1);
      const headingLength = cursor.next();
      fields[at + 4] = cursor.pos;
      fields[at + 5] = headingLength;
      cursor.pos += headingLength;
    }
    const text = (from: number, length: number) => decoder.decode(bytes.subarray(from, from + length));
    return {
      count,
      first: (i) => fields[i * 6 + 1] as number,
      section: (i) => {
        const at = i * 6;
        const anchorAt = fields[at + 2] as number;
        return [
          text(fields[at + 4] as number, fields[at + 5] as number),
          fields[at] as number,
          anchorAt < 0 ? null : text(anchorAt, fields[at + 3] as number),
          fields[at + 1] as number,
        ];
      },
    };
  }

  /** A paragraph's stored text, decoded on demand. */
  paragraphText(paragraph: number): string {
    const start = this.textStarts[paragraph];
    const end = this.textStarts[paragraph + 1];
    if (start === undefined || end === undefined) throw new RangeError(`no paragraph ${paragraph}`);
    return decoder.decode(this.text.subarray(start, end));
  }
}

/** A document's sections as stored, each decoded on demand (see {@link CompactIndex.sectionOutline}). */
export interface SectionOutline {
  count: number;
  /** The first paragraph of section `i` (counted from the document's first). */
  first(i: number): number;
  section(i: number): StoredSection;
}

/** Byte offsets from `count` varint lengths (and one past the last); shorter than expected is corrupt. */
function startsOf(lengths: Uint8Array, count: number): Uint32Array {
  const starts = new Uint32Array(count + 1);
  const cursor = new VarintReader(lengths);
  for (let i = 0; i < count; i++) {
    if (cursor.pos >= lengths.byteLength) throw new CorruptIndex("a length table is shorter than the counts say");
    starts[i + 1] = (starts[i] as number) + cursor.next();
  }
  if (cursor.pos !== lengths.byteLength) throw new CorruptIndex("a length table is longer than the counts say");
  return starts;
}

/** Sorted, unique union of sorted lists. */
function unionOf(lists: readonly Int32Array[]): Int32Array {
  if (lists.length === 1) return lists[0] as Int32Array;
  let total = 0;
  for (const list of lists) total += list.length;
  const all = new Int32Array(total);
  let at = 0;
  for (const list of lists) {
    all.set(list, at);
    at += list.length;
  }
  all.sort();
  let unique = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[unique++] = all[i] as number;
  return all.subarray(0, unique);
}
