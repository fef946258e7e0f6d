// Encodes a built MiniSearch index and the paragraphs' text into the artifact's binary index (index.bin).
import type MiniSearch from "minisearch";
import {
  FIELDS,
  FORMAT_VERSION,
  INDEX_SECTIONS,
  type IndexedParagraph,
  type IndexMeta,
  type StoredDocument,
  type StoredSection,
} from "../common/artifact.js";
import { ByteWriter, bytesOf, packSections } from "../common/binary.js";
import { writePostings } from "../common/postings.js";

/** The parts of MiniSearch's serialised form (`toJSON()`, serialisation version 2) that the encoder reads. */
interface MiniSearchJson {
  documentCount: number;
  documentIds: Record<string, number>;
  fieldIds: Record<string, number>;
  fieldLength: Record<string, number[]>;
  averageFieldLength: number[];
  index: [string, Record<string, Record<string, number>>][];
  serializationVersion: number;
}

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
 * Encodes `miniSearch` (paragraph ids 0 … n−1 in document order, fields as in {@link FIELDS}) with the
 * paragraphs' text into the sections of {@link INDEX_SECTIONS}. Checks what the compact form relies on:
 * ids in order, and every paragraph of a document indexed with its document's title (so title postings
 * can be stored once per document). Deterministic: terms are sorted, everything else is in id order.
 *
 * With a shard range, only those documents' postings, lengths and text go in, numbered from 0, while
 * the term list, frequencies and average lengths stay the whole corpus's: every shard plans a query
 * alike and scores it as one index of everything would.
 */
export function encodeIndex(
  miniSearch: MiniSearch<IndexedParagraph>,
  allDocuments: readonly StoredDocument[],
  allSections: readonly (readonly StoredSection[])[],
  allParagraphs: readonly string[],
  range: ShardRange = { shard: 0, shards: 1, from: 0, to: allDocuments.length },
): Uint8Array {
  const json = miniSearch.toJSON() as unknown as MiniSearchJson;
  const firstDoc = allDocuments[range.from];
  const firstParagraph = firstDoc?.first ?? 0;
  const documents = allDocuments.slice(range.from, range.to).map((doc) => ({ ...doc, first: doc.first - firstParagraph }));
  const paragraphCount = documents.reduce((sum, doc) => sum + doc.count, 0);
  const paragraphs = allParagraphs.slice(firstParagraph, firstParagraph + paragraphCount);
  const total = allParagraphs.length;
  if (json.serializationVersion !== 2) throw new Error(`MiniSearch serialisation version ${json.serializationVersion} is not supported`);
  const n = paragraphs.length;
  if (json.documentCount !== total) throw new Error(`MiniSearch holds ${json.documentCount} paragraphs, the store ${total}`);
  const fieldIds = FIELDS.map((field) => {
    const id = json.fieldIds[field];
    if (id === undefined) throw new Error(`MiniSearch has no field ${field}`);
    return id;
  });
  const [titleField, ...paragraphFields] = fieldIds as [number, ...number[]];
  // MiniSearch's short ids are assigned in the order paragraphs were added; the compact index keys by paragraph number.
  for (const [shortId, id] of Object.entries(json.documentIds)) {
    if (Number(shortId) !== id) throw new Error(`paragraph ${id} has MiniSearch id ${shortId}: paragraphs must be added in order`);
  }
  // Ids below are the shard's own: paragraph p here is firstParagraph + p of the corpus.
  const docOf = new Uint32Array(n);
  documents.forEach((doc, d) => {
    docOf.fill(d, doc.first, doc.first + doc.count);
  });

  const { fieldLength, lengthBytes } = fieldLengthsOf(json, firstParagraph, n, documents, titleField, paragraphFields);
  const { terms, postingStarts, postings } = encodePostings(json, { firstParagraph, documents, docOf, titleField, paragraphFields });
  const text = concatenated(paragraphs.map(utf8));
  const headings = encodeHeadings(documents.map((_, d) => allSections[range.from + d] ?? []));

  const meta: IndexMeta = {
    paragraphs: n,
    documents: documents.length,
    terms: terms.length,
    averageFieldLength: fieldIds.map((id) => json.averageFieldLength[id] ?? 0),
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
  json: MiniSearchJson,
  firstParagraph: number,
  n: number,
  documents: readonly StoredDocument[],
  titleField: number,
  paragraphFields: readonly number[],
): { fieldLength: number[]; lengthBytes: 2 | 4 } {
  const lengths = (field: number, id: number) => json.fieldLength[firstParagraph + id]?.[field] ?? 0;
  const fieldLength = new Array<number>(documents.length + paragraphFields.length * n);
  documents.forEach((doc, d) => {
    fieldLength[d] = lengths(titleField, doc.first);
  });
  paragraphFields.forEach((field, f) => {
    for (let p = 0; p < n; p++) fieldLength[documents.length + f * n + p] = lengths(field, p);
  });
  let longest = 0;
  for (const length of fieldLength) longest = Math.max(longest, length);
  return { fieldLength, lengthBytes: longest > 0xffff ? 4 : 2 };
}

/** What the postings of a shard are numbered by: its documents (from 0), each paragraph's document, the fields. */
interface PostingScope {
  firstParagraph: number;
  documents: readonly StoredDocument[];
  docOf: Uint32Array;
  titleField: number;
  paragraphFields: readonly number[];
}

/** Every term's postings (common/postings.ts): title postings per document, the other fields per paragraph. */
function encodePostings(
  json: MiniSearchJson,
  { firstParagraph, documents, docOf, titleField, paragraphFields }: PostingScope,
): { terms: string[]; postingStarts: Uint32Array; postings: Uint8Array } {
  const n = docOf.length;
  const entries = json.index.slice().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const postings = new ByteWriter();
  const postingStarts = new Uint32Array(entries.length + 1);
  const terms: string[] = [];
  entries.forEach(([term, data], t) => {
    if (term.includes("\n")) throw new Error(`index term ${JSON.stringify(term)} contains a line break`);
    terms.push(term);
    postingStarts[t] = postings.length;
    const all = (field: number) => Object.keys(data[field] ?? {}).length;
    const byId = (field: number): [number, number][] =>
      Object.entries(data[field] ?? {})
        .map(([id, tf]): [number, number] => [Number(id) - firstParagraph, tf])
        .filter(([id]) => id >= 0 && id < n)
        .sort((a, b) => a[0] - b[0]);
    const titleParagraphs = byId(titleField);
    const titleDocs: [number, number][] = [];
    for (const [p, tf] of titleParagraphs) {
      const d = docOf[p] as number;
      const last = titleDocs.at(-1);
      if (last?.[0] === d) {
        if (last[1] !== tf) throw new Error(`paragraphs of document ${documents[d]?.id} disagree about their title`);
        continue;
      }
      titleDocs.push([d, tf]);
    }
    const covered = titleDocs.reduce((sum, [d]) => sum + (documents[d]?.count ?? 0), 0);
    if (covered !== titleParagraphs.length)
      throw new Error(`the title term "${term}" is not indexed with every paragraph of its documents`);
    writePostings(postings, [
      { entries: titleDocs, frequency: all(titleField) },
      ...paragraphFields.map((field) => ({ entries: byId(field), frequency: all(field) })),
    ]);
  });
  postingStarts[entries.length] = postings.length;
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
