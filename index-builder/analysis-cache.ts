// Each document's analysis (document-analysis.ts) kept by its content, so that a rebuild analyses only the documents
// that changed: the key hashes what the analysis reads (the title, the sections' headings, each paragraph's text and
// headings) with the cache's version (build-cache.ts: the builder's code, analyzer and format versions included).
// An entry is compact: its words as a JSON list, then its number lists as varints (a JSON entry of the same took
// twice the room and three times as long to read for LibreOffice's help).
import { z } from "zod";
import { ByteWriter, VarintReader } from "../common/binary.js";
import { type CacheCount, CacheFolder, textsKey } from "./build-cache.js";
import { analyseDocument, type DocumentAnalysis, isConsistentAnalysis } from "./document-analysis.js";
import type { SourceDocument } from "./source.js";

const Words = z.array(z.string());

/** The number lists of an analysis, in the order an entry holds them. */
const LISTS = ["vocabulary", "title", "titleParts", "paragraphs"] as const;

/** An analysis as an entry's body: the words' JSON (its length first), then each number list (its length first), as varints. */
export function encodeAnalysis(analysis: DocumentAnalysis): Uint8Array {
  const out = new ByteWriter();
  const words = Buffer.from(JSON.stringify(analysis.words));
  out.varint(words.length);
  out.raw(words);
  for (const name of LISTS) {
    const list = analysis[name];
    out.varint(list.length);
    for (let i = 0; i < list.length; i++) out.varint(list[i] as number);
  }
  return out.toBytes();
}

/** The analysis an entry's body holds, or undefined when it is not one (whole and consistent) for `paragraphCount` paragraphs. */
export function decodeAnalysis(body: Buffer, paragraphCount: number): DocumentAnalysis | undefined {
  const reader = new VarintReader(body);
  const wordsEnd = reader.next() + reader.pos;
  if (wordsEnd > body.length) return undefined;
  const words = Words.safeParse(JSON.parse(body.toString("utf8", reader.pos, wordsEnd)));
  if (!words.success) return undefined;
  reader.pos = wordsEnd;
  const lists: Uint32Array[] = [];
  for (const _ of LISTS) {
    const length = reader.next();
    // Each number takes a byte at least: a longer list is no list of this body.
    if (length > body.length - reader.pos) return undefined;
    const list = new Uint32Array(length);
    // VarintReader.next inlined (most numbers are one byte): the bulk of reading a cached analysis.
    let pos = reader.pos;
    for (let i = 0; i < length; i++) {
      let byte = body[pos++] as number;
      let value = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = body[pos++] as number;
        value += (byte & 0x7f) * 2 ** shift;
      }
      list[i] = value;
    }
    reader.pos = pos;
    lists.push(list);
  }
  if (reader.pos !== body.length) return undefined;
  const [vocabulary, title, titleParts, paragraphs] = lists as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const analysis: DocumentAnalysis = { words: words.data, vocabulary, title, titleParts, paragraphs };
  return isConsistentAnalysis(analysis, paragraphCount) ? analysis : undefined;
}

/** Analyses documents, each from the cache under `root` when its content was analysed before by the same code. */
export class AnalysisCache {
  private readonly folder: CacheFolder;

  constructor(root: string | undefined) {
    this.folder = new CacheFolder(root, "analysis");
  }

  /** How many documents' analyses came from the cache. */
  get count(): CacheCount {
    return this.folder.count;
  }

  /** The analysis of `doc`, whose paragraphs' fields are `fields` (build.ts's indexedFields). */
  analyse(doc: SourceDocument, fields: readonly { text: string; headings: string }[]): DocumentAnalysis {
    const texts = ["analysis", doc.title];
    for (const section of doc.sections) texts.push(section.heading);
    for (const { text, headings } of fields) texts.push(text, headings);
    const key = textsKey(texts);
    const cached = this.folder.get(key, (body) => decodeAnalysis(body, fields.length));
    if (cached !== undefined) return cached;
    const analysis = analyseDocument(doc, fields);
    this.folder.put(key, encodeAnalysis(analysis));
    return analysis;
  }

  /** Bounds the cache after a build (see CacheFolder.prune). */
  prune(): void {
    this.folder.prune();
  }
}
