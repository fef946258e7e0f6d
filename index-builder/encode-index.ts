// Encodes the built term index (term-index.ts) and the paragraphs' text into the artifact's binary index (index.bin).
import { FIELDS, FORMAT_VERSION, INDEX_SECTIONS, type IndexMeta, type StoredDocument, type StoredSection } from "../common/artifact.js";
import { ByteWriter, bytesOf, packSections } from "../common/binary.js";
import { type FieldPostings, writePostings } from "../common/postings.js";
import type { TermIndex } from "./term-index.js";

const encoder = new TextEncoder();

/** Offsets (one past the last included) as the varint lengths between them: much smaller once gzipped. */
function lengthsOf(starts: Uint32Array): Uint8Array {
  const out = new ByteWriter();
  for (let i = 0; i + 1 < starts.length; i++) out.varint((starts[i + 1] as number) - (starts[i] as number));
  return out.toBytes();
}

function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Which documents a shard holds: `documents[from … to)` of the whole corpus. */
export interface ShardRange {
  shard: number;
  shards: number;
  from: number;
  to: number;
}

/**
 * Encodes `index` (paragraphs 0 … n−1 in document order, fields as in {@link FIELDS}, as MiniSearch would hold
 * them) with the paragraphs' text into the sections of {@link INDEX_SECTIONS}. Deterministic: terms are sorted,
 * everything else is in id order.
 *
 * With a shard range, only those documents' postings, lengths and text go in, numbered from 0, while
 * the term list, frequencies and average lengths stay the whole corpus's: every shard plans a query
 * alike and scores it as one index of everything would.
 */
export function encodeIndex(
  index: TermIndex,
  allDocuments: readonly StoredDocument[],
  allSections: readonly (readonly StoredSection[])[],
  allParagraphs: readonly string[],
  range: ShardRange = { shard: 0, shards: 1, from: 0, to: allDocuments.length },
): Uint8Array {
  const firstDoc = allDocuments[range.from];
  const firstParagraph = firstDoc?.first ?? 0;
  const documents = allDocuments.slice(range.from, range.to).map((doc) => ({ ...doc, first: doc.first - firstParagraph }));
  const paragraphCount = documents.reduce((sum, doc) => sum + doc.count, 0);
  const paragraphs = allParagraphs.slice(firstParagraph, firstParagraph + paragraphCount);
  const total = allParagraphs.length;
  const n = paragraphs.length;
  if (index.paragraphs !== total) throw new Error(`the index holds ${index.paragraphs} paragraphs, the store ${total}`);

  const { fieldLength, lengthBytes } = fieldLengthsOf(index, firstParagraph, n, documents);
  const { terms, postingStarts, postings } = encodePostings(index, range, firstParagraph, n);
  const text = concatenated(paragraphs.map(utf8));
  const headings = encodeHeadings(documents.map((_, d) => allSections[range.from + d] ?? []));

  const meta: IndexMeta = {
    paragraphs: n,
    documents: documents.length,
    terms: terms.length,
    averageFieldLength: FIELDS.map((_, field) => index.averageFieldLength[field] ?? 0),
    lengthBytes,
    corpus: { firstParagraph, paragraphs: total, shard: range.shard, shards: range.shards },
  };
  const sections: Record<(typeof INDEX_SECTIONS)[number], Uint8Array> = {
    meta: utf8(JSON.stringify(meta)),
    terms: utf8(terms.join("\n")),
    postingLengths: lengthsOf(postingStarts),
    postings,
    fieldLengths: bytesOf(lengthBytes === 2 ? Uint16Array.from(fieldLength) : Uint32Array.from(fieldLength)),
    textLengths: lengthsOf(text.starts),
    text: text.bytes,
    headingLengths: lengthsOf(headings.starts),
    headings: headings.bytes,
  };
  return packSections(
    FORMAT_VERSION,
    INDEX_SECTIONS.map((name) => sections[name]),
  );
}

/** Per field, each document's title length, then each paragraph's text, parts and headings lengths; and the width they need. */
function fieldLengthsOf(
  index: TermIndex,
  firstParagraph: number,
  n: number,
  documents: readonly StoredDocument[],
): { fieldLength: number[]; lengthBytes: 2 | 4 } {
  const lengths = (field: number, id: number) => index.fieldLength[field]?.[firstParagraph + id] ?? 0;
  const paragraphFields = FIELDS.length - 1;
  const fieldLength = new Array<number>(documents.length + paragraphFields * n);
  documents.forEach((doc, d) => {
    fieldLength[d] = lengths(0, doc.first);
  });
  for (let f = 0; f < paragraphFields; f++) {
    for (let p = 0; p < n; p++) fieldLength[documents.length + f * n + p] = lengths(f + 1, p);
  }
  let longest = 0;
  for (const length of fieldLength) longest = Math.max(longest, length);
  return { fieldLength, lengthBytes: longest > 0xffff ? 4 : 2 };
}

/** The entries of flat postings whose ids lie in `[from, to)`, numbered from `from`. */
function entriesIn(flat: readonly number[], from: number, to: number): [number, number][] {
  const entries: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const id = flat[i] as number;
    if (id >= from && id < to) entries.push([id - from, flat[i + 1] as number]);
  }
  return entries;
}

/** Every term's postings (common/postings.ts): title postings per document, the other fields per paragraph. */
function encodePostings(
  index: TermIndex,
  range: ShardRange,
  firstParagraph: number,
  n: number,
): { terms: string[]; postingStarts: Uint32Array; postings: Uint8Array } {
  const { terms } = index;
  const postings = new ByteWriter();
  const postingStarts = new Uint32Array(terms.length + 1);
  terms.forEach((term, t) => {
    if (term.includes("\n")) throw new Error(`index term ${JSON.stringify(term)} contains a line break`);
    postingStarts[t] = postings.length;
    const fields: FieldPostings[] = [
      { entries: entriesIn(index.titles[t] as number[], range.from, range.to), frequency: index.titleFrequency[t] as number },
      ...index.postings.map((field) => {
        const flat = field[t] as number[];
        return { entries: entriesIn(flat, firstParagraph, firstParagraph + n), frequency: flat.length / 2 };
      }),
    ];
    writePostings(postings, fields);
  });
  postingStarts[terms.length] = postings.length;
  return { terms, postingStarts, postings: postings.toBytes() };
}

/** Byte strings one after another, with where each starts (and one past the last). */
function concatenated(parts: readonly Uint8Array[]): { starts: Uint32Array; bytes: Uint8Array } {
  const starts = new Uint32Array(parts.length + 1);
  parts.forEach((bytes, i) => {
    starts[i + 1] = (starts[i] as number) + bytes.byteLength;
  });
  const bytes = new Uint8Array(starts[parts.length] as number);
  parts.forEach((part, i) => {
    bytes.set(part, starts[i]);
  });
  return { starts, bytes };
}

/** Each document's sections, as one record per document (see INDEX_SECTIONS). */
function encodeHeadings(perDocument: readonly (readonly StoredSection[])[]): { starts: Uint32Array; bytes: Uint8Array } {
  const headings = new ByteWriter();
  const starts = new Uint32Array(perDocument.length + 1);
  perDocument.forEach((sections, d) => {
    starts[d] = headings.length;
    headings.varint(sections.length);
    for (const [heading, level, anchor, first] of sections) {
      headings.varint(level);
      headings.varint(first);
      const anchorBytes = anchor === null ? null : utf8(anchor);
      headings.varint(anchorBytes === null ? 0 : anchorBytes.byteLength + 1);
      if (anchorBytes !== null) headings.raw(anchorBytes);
      const headingBytes = utf8(heading);
      headings.varint(headingBytes.byteLength);
      headings.raw(headingBytes);
    }
  });
  starts[perDocument.length] = headings.length;
  return { starts, bytes: headings.toBytes() };
}
