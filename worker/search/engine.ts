// The compact index read in place from index.bin, and MiniSearch's query evaluation (BM25+, OR/AND trees) over it.
import { FIELDS, FORMAT_VERSION, INDEX_SECTIONS, type IndexMeta, type StoredDocument, type StoredSection } from "../../common/artifact.js";
import { unpackSections, VarintReader } from "../../common/binary.js";
import { PostingReader } from "../../common/postings.js";
import { lowerBound } from "./sorted.js";

/** A field of the index, as numbered in {@link FIELDS}. */
export type Field = (typeof FIELDS)[number];
const TITLE = 0;
/** How many fields the index has: title (per document), text, parts and headings (per paragraph). */
const FIELD_COUNT = FIELDS.length;
type PerField = [number, number, number, number];
const perField = (): PerField => [0, 0, 0, 0];

/** MiniSearch's BM25+ parameters: term frequency saturation k, length normalisation b, and the floor d. */
export interface Bm25Params {
  k: number;
  b: number;
  d: number;
}

/** A leaf of a query tree: an index term, its boost, and bits OR-ed into the matches it contributes to. */
export interface QueryTerm {
  term: string;
  boost: number;
  /** Caller's bits (which query words this term stands for); a match's {@link Matches.mask} ORs those of its terms. */
  mask?: number;
}

/** An inner node: OR (any child; scores add up) or AND (every child; scores add up). */
export interface QueryGroup {
  combineWith: "OR" | "AND";
  queries: QueryNode[];
}

export type QueryNode = QueryTerm | QueryGroup;

export interface EvaluateOptions {
  /** Searched fields and their boosts; fields left out are not searched. As in MiniSearch, a boost of 0 counts as 1. */
  boost: Partial<Record<Field, number>>;
  bm25: Bm25Params;
}

/**
 * The paragraphs a query matched, valid until the index evaluates another query (reading it after
 * that throws). Scores are MiniSearch's: the sum of every surviving term's BM25+ score in every field,
 * times the number of distinct terms matched.
 */
export interface Matches {
  /** How many paragraphs matched. */
  readonly count: number;
  /** The matched paragraphs, `ids[0 … count)`, in no particular order. */
  readonly ids: Int32Array;
  score(paragraph: number): number;
  /** The sum of the terms' BM25+ scores: {@link score} before MiniSearch's factor of distinct terms. */
  sum(paragraph: number): number;
  /** How many distinct query terms the paragraph matched. */
  distinctTerms(paragraph: number): number;
  /** The OR of the {@link QueryTerm.mask} bits of the terms the paragraph matched. */
  mask(paragraph: number): number;
  /** The query terms the paragraph matched, for highlighting (MiniSearch's `terms`). */
  termsOf(paragraph: number): string[];
}

/** Why an index file could not be read. */
export class CorruptIndex extends Error {
  override readonly name = "CorruptIndex";
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** A distinct term of the query being evaluated, with where its postings were decoded to. */
interface QueryTermState {
  term: string;
  id: number;
  /** Arena start and count per field; title entries are documents. */
  starts: PerField;
  counts: PerField;
  /** Per field, the paragraphs of the whole corpus with the term (BM25's document frequency). */
  frequencies: PerField;
  leaves: LeafState[];
}

interface LeafState {
  boost: number;
  mask: number;
  /** AND nodes above this leaf: it counts for a paragraph only when every one of them matched it. */
  ands: number[];
}

/**
 * fundstelle's index: MiniSearch's index data (the builder indexes with MiniSearch) as sorted terms,
 * varint postings, field lengths and UTF-8 text, all views into the one buffer of index.bin. Nothing
 * is parsed but the term list. {@link CompactIndex.evaluate} scores query trees exactly as
 * MiniSearch's `search` does (test/node/engine.test.ts compares the two on random trees).
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
  private readonly postingStarts: Uint32Array;
  private readonly postings: Uint8Array;
  /** Per field, the length of each document's title, then of each paragraph's text, parts and headings. */
  private readonly lengths: (Uint16Array | Uint32Array)[];
  private readonly averages: number[];
  private readonly textStarts: Uint32Array;
  private readonly text: Uint8Array;
  private readonly headingStarts: Uint32Array;
  private readonly headings: Uint8Array;
  private readonly docFirst: Uint32Array;
  private readonly docCount: Uint32Array;

  // Scratch of the query being evaluated, reused across queries (a Worker isolate runs one at a time).
  // Title matches are kept per document (a title is shared by its paragraphs) and added in at the end.
  private readonly scores: Float64Array;
  private readonly quality: Uint16Array;
  private readonly masks: Uint32Array;
  private readonly lastTerm: Int32Array;
  private readonly seen: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly docScores: Float64Array;
  private readonly docQuality: Uint16Array;
  private readonly docMasks: Uint32Array;
  private readonly docLastTerm: Int32Array;
  private readonly docTouched: Int32Array;
  private docTouchedCount = 0;
  // Dense counters for AND nodes: the paragraph's last visit stamp, and how many children in a row matched it.
  private readonly visitStamp: Int32Array;
  private readonly andStamp: Int32Array;
  private readonly andCount: Uint16Array;
  private stamp = 0;
  private andBits: Uint32Array[] = [];
  private andMembers: Int32Array[] = [];
  private arenaIds = new Int32Array(1 << 14);
  private arenaTfs = new Int32Array(1 << 14);
  private arenaLength = 0;
  private queryTerms: QueryTermState[] = [];
  private generation = 0;
  private fieldBoosts: number[] = perField();
  private bm25: Bm25Params = { k: 1.2, b: 0.7, d: 0.5 };
  private expandedDocs = 0;
  /** BM25 length normalisation k·(1 − b + b·length/average) per field, for recently used (k, b). */
  private readonly norms = new Map<string, Float64Array>();

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
    this.lengths = [all.subarray(0, d)];
    for (let field = 1; field < FIELD_COUNT; field++) this.lengths.push(all.subarray(d + (field - 1) * n, d + field * n));
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
    const reader = new PostingReader(this.postings);
    const counts = perField();
    const frequencies = perField();
    for (let t = 0; t < this.terms.length; t++) {
      reader.pos = this.postingStarts[t] as number;
      reader.header(counts, frequencies, FIELD_COUNT);
      let most = 0;
      for (let field = 0; field < FIELD_COUNT; field++) most = Math.max(most, frequencies[field] as number);
      this.maxDf[t] = most;
    }

    this.scores = new Float64Array(n);
    this.quality = new Uint16Array(n);
    this.masks = new Uint32Array(n);
    this.lastTerm = new Int32Array(n).fill(-1);
    this.seen = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.docScores = new Float64Array(d);
    this.docQuality = new Uint16Array(d);
    this.docMasks = new Uint32Array(d);
    this.docLastTerm = new Int32Array(d).fill(-1);
    this.docTouched = new Int32Array(d);
    this.visitStamp = new Int32Array(n);
    this.andStamp = new Int32Array(n);
    this.andCount = new Uint16Array(n);
  }

  /** The term's index in {@link terms}, or -1. */
  termId(term: string): number {
    const at = lowerBound(this.terms, term);
    return this.terms[at] === term ? at : -1;
  }

  /**
   * The paragraphs containing `term` in any of `fields`, sorted and unique. Independent of
   * {@link evaluate}: matches of the current query stay valid.
   */
  paragraphsWith(term: string, fields: readonly Field[]): Int32Array {
    const id = this.termId(term);
    if (id < 0) return new Int32Array(0);
    const reader = new PostingReader(this.postings, this.postingStarts[id] as number);
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

  /** A document's sections, decoded on demand; none for a page without headings (one lead section). */
  sectionsOf(doc: number): StoredSection[] {
    const start = this.headingStarts[doc];
    if (start === undefined) throw new RangeError(`no document ${doc}`);
    const cursor = new VarintReader(this.headings, start);
    const count = cursor.next();
    const out: StoredSection[] = [];
    const text = (length: number) => {
      const value = decoder.decode(this.headings.subarray(cursor.pos, cursor.pos + length));
      cursor.pos += length;
      return value;
    };
    for (let i = 0; i < count; i++) {
      const level = cursor.next();
      const first = cursor.next();
      const anchorLength = cursor.next();
      const anchor = anchorLength === 0 ? null : text(anchorLength - 1);
      const heading = text(cursor.next());
      out.push([heading, level, anchor, first]);
    }
    return out;
  }

  /** A paragraph's stored text, decoded on demand. */
  paragraphText(paragraph: number): string {
    const start = this.textStarts[paragraph];
    const end = this.textStarts[paragraph + 1];
    if (start === undefined || end === undefined) throw new RangeError(`no paragraph ${paragraph}`);
    return decoder.decode(this.text.subarray(start, end));
  }

  /**
   * Evaluates a query tree as MiniSearch's `search` would with the same fields, boosts and BM25
   * parameters, terms taken as given. The result is valid until the next call.
   */
  evaluate(root: QueryNode, options: EvaluateOptions): Matches {
    this.reset();
    ++this.generation;
    const fieldBoosts = FIELDS.map((field) => {
      const boost = options.boost[field];
      return boost === undefined ? 0 : boost || 1;
    });
    const byTerm = new Map<string, QueryTermState>();
    const andNodes: QueryGroup[] = [];
    const andIndex = new Map<QueryGroup, number>();
    const collect = (node: QueryNode, ands: number[]) => {
      if ("term" in node) {
        let state = byTerm.get(node.term);
        if (!state) {
          state = {
            term: node.term,
            id: this.termId(node.term),
            starts: perField(),
            counts: perField(),
            frequencies: perField(),
            leaves: [],
          };
          byTerm.set(node.term, state);
        }
        state.leaves.push({ boost: node.boost, mask: node.mask ?? 0, ands });
        return;
      }
      let inner = ands;
      if (node.combineWith === "AND") {
        andIndex.set(node, andNodes.length);
        andNodes.push(node);
        inner = [...ands, andNodes.length - 1];
      }
      for (const child of node.queries) collect(child, inner);
    };
    collect(root, []);
    this.queryTerms = [...byTerm.values()];
    for (const state of this.queryTerms) if (state.id >= 0) this.decode(state);

    // Which paragraphs each AND matched, as bits: a leaf below it counts only there.
    const members = new Map<QueryGroup, Int32Array>();
    const visit = (node: QueryNode, each: (p: number) => void): void => {
      if ("term" in node) this.visitTerm(byTerm.get(node.term) as QueryTermState, fieldBoosts, each);
      else if (node.combineWith === "OR") for (const child of node.queries) visit(child, each);
      else for (const p of andMembersOf(node)) each(p);
    };
    const andMembersOf = (node: QueryGroup): Int32Array => {
      const known = members.get(node);
      if (known) return known;
      const children = node.queries;
      // ANDs below this one first: their counting would overwrite this one's.
      const nested = (child: QueryNode): void => {
        if ("term" in child) return;
        if (child.combineWith === "AND") andMembersOf(child);
        else for (const grandchild of child.queries) nested(grandchild);
      };
      for (const child of children) nested(child);
      const found: number[] = [];
      const group = this.nextStamp();
      children.forEach((child, ci) => {
        const last = ci === children.length - 1;
        const stamp = this.nextStamp();
        visit(child, (p) => {
          if (this.visitStamp[p] === stamp) return;
          this.visitStamp[p] = stamp;
          if (ci === 0) {
            this.andStamp[p] = group;
            this.andCount[p] = 1;
          } else if (this.andStamp[p] === group && this.andCount[p] === ci) {
            this.andCount[p] = ci + 1;
          } else {
            return;
          }
          if (last) found.push(p);
        });
      });
      const list = Int32Array.from(found);
      members.set(node, list);
      this.setAndBits(andIndex.get(node) as number, list);
      return list;
    };
    for (const node of andNodes) andMembersOf(node);

    this.fieldBoosts = fieldBoosts;
    this.bm25 = options.bm25;
    this.queryTerms.forEach((state, termIndex) => {
      this.accumulate(state, termIndex, state.leaves, true);
    });
    this.expandedDocs = 0;
    this.expandTitleMatches();
    return this.matchesView();
  }

  /**
   * Adds leaves below no AND to the query evaluated last, as if they had been in its root OR: what a typo
   * pass adds to the first pass, without evaluating the first pass again. A leaf whose term the query
   * already has adds its score where the term matched (the term is not counted twice). Returns null, and
   * changes nothing, when a leaf's term appears in the query only below ANDs; evaluate the whole tree then.
   */
  extend(leaves: readonly QueryTerm[]): Matches | null {
    const byTerm = new Map(this.queryTerms.map((state, i) => [state.term, i]));
    for (const leaf of leaves) {
      const known = byTerm.get(leaf.term);
      if (known !== undefined && (this.queryTerms[known] as QueryTermState).leaves.every((l) => l.ands.length > 0)) return null;
    }
    for (const leaf of leaves) {
      const added: LeafState = { boost: leaf.boost, mask: leaf.mask ?? 0, ands: [] };
      let termIndex = byTerm.get(leaf.term);
      if (termIndex !== undefined) {
        const state = this.queryTerms[termIndex] as QueryTermState;
        state.leaves.push(added);
        if (state.id >= 0) this.accumulate(state, termIndex, [added], false);
        continue;
      }
      const state: QueryTermState = {
        term: leaf.term,
        id: this.termId(leaf.term),
        starts: perField(),
        counts: perField(),
        frequencies: perField(),
        leaves: [added],
      };
      termIndex = this.queryTerms.length;
      this.queryTerms.push(state);
      byTerm.set(leaf.term, termIndex);
      if (state.id < 0) continue;
      this.decode(state);
      this.accumulate(state, termIndex, [added], true);
    }
    this.expandTitleMatches();
    return this.matchesView();
  }

  /**
   * Adds a term's leaves to the accumulators. With `count`, the term counts once more for each paragraph
   * it newly matches; without (leaves added to a term matched already), only scores and masks grow.
   */
  private accumulate(state: QueryTermState, termIndex: number, leaves: readonly LeafState[], count: boolean): void {
    if (state.id < 0) return;
    const fieldBoosts = this.fieldBoosts;
    const { k, b, d } = this.bm25;
    const n = this.corpus.paragraphs;
    const generation = this.generation;
    const ids = this.arenaIds;
    const tfs = this.arenaTfs;
    const andBits = this.andBits;
    const docFirst = this.docFirst;
    const docCount = this.docCount;
    const paragraphDoc = this.paragraphDoc;
    const { scores, quality, masks, lastTerm, seen, touched, docScores, docQuality, docMasks, docLastTerm, docTouched } = this;
    const idfOf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const normOf = (field: number) => this.normsOf(field, k, b);
    // Titles through leaves below no AND first, per document; then everything else per paragraph, where a
    // term the paragraph's title already matched is not counted again.
    if (fieldBoosts[TITLE] !== 0 && state.counts[TITLE] > 0) {
      const idf = idfOf(state.frequencies[TITLE]);
      const norm = normOf(TITLE);
      const start = state.starts[TITLE];
      const end = start + state.counts[TITLE];
      for (const leaf of leaves) {
        if (leaf.ands.length > 0) continue;
        const weight = leaf.boost * (fieldBoosts[TITLE] as number);
        for (let i = start; i < end; i++) {
          const doc = ids[i] as number;
          const tf = tfs[i] as number;
          if (docLastTerm[doc] === -1) docTouched[this.docTouchedCount++] = doc;
          docScores[doc] = (docScores[doc] as number) + weight * (idf * (d + (tf * (k + 1)) / (tf + (norm[doc] as number))));
          if (count && docLastTerm[doc] !== termIndex) {
            docLastTerm[doc] = termIndex;
            docQuality[doc] = (docQuality[doc] as number) + 1;
          }
          docMasks[doc] = (docMasks[doc] as number) | leaf.mask;
        }
      }
    }
    for (const leaf of leaves) {
      const ands = leaf.ands;
      const leafMask = leaf.mask;
      const add = (p: number, score: number) => {
        for (const j of ands) if ((((andBits[j >>> 5] as Uint32Array)[p] as number) & (1 << (j & 31))) === 0) return;
        if (seen[p] !== generation) {
          seen[p] = generation;
          touched[this.touchedCount++] = p;
        }
        scores[p] = (scores[p] as number) + score;
        if (count && lastTerm[p] !== termIndex && docLastTerm[paragraphDoc[p] as number] !== termIndex) {
          lastTerm[p] = termIndex;
          quality[p] = (quality[p] as number) + 1;
        }
        masks[p] = (masks[p] as number) | leafMask;
      };
      for (let field = 0; field < FIELD_COUNT; field++) {
        const fieldBoost = fieldBoosts[field] as number;
        const fieldCount = state.counts[field] as number;
        if (fieldBoost === 0 || fieldCount === 0 || (field === TITLE && ands.length === 0)) continue;
        const idf = idfOf(state.frequencies[field] as number);
        const norm = normOf(field);
        const weight = leaf.boost * fieldBoost;
        const start = state.starts[field] as number;
        for (let i = start; i < start + fieldCount; i++) {
          const id = ids[i] as number;
          const tf = tfs[i] as number;
          const score = weight * (idf * (d + (tf * (k + 1)) / (tf + (norm[id] as number))));
          if (field === TITLE) {
            const first = docFirst[id] as number;
            const last = first + (docCount[id] as number);
            for (let p = first; p < last; p++) add(p, score);
          } else {
            add(id, score);
          }
        }
      }
    }
  }

  /** Every paragraph of a document whose title matched is a match too. */
  private expandTitleMatches(): void {
    const generation = this.generation;
    for (; this.expandedDocs < this.docTouchedCount; this.expandedDocs++) {
      const doc = this.docTouched[this.expandedDocs] as number;
      const first = this.docFirst[doc] as number;
      const last = first + (this.docCount[doc] as number);
      for (let p = first; p < last; p++) {
        if (this.seen[p] === generation) continue;
        this.seen[p] = generation;
        this.touched[this.touchedCount++] = p;
      }
    }
  }

  /** The current query's matches, valid until the next {@link evaluate}. */
  private matchesView(): Matches {
    const generation = this.generation;
    const fieldBoosts = this.fieldBoosts;
    const { scores, quality, masks, docScores, docQuality, docMasks, paragraphDoc, touched } = this;
    const check = () => {
      if (generation !== this.generation) throw new Error("these matches were overwritten by a later query");
    };
    return {
      count: this.touchedCount,
      ids: touched,
      score: (p) => {
        check();
        const doc = paragraphDoc[p] as number;
        return ((scores[p] as number) + (docScores[doc] as number)) * ((quality[p] as number) + (docQuality[doc] as number));
      },
      sum: (p) => {
        check();
        return (scores[p] as number) + (docScores[paragraphDoc[p] as number] as number);
      },
      distinctTerms: (p) => {
        check();
        return (quality[p] as number) + (docQuality[paragraphDoc[p] as number] as number);
      },
      mask: (p) => {
        check();
        return (masks[p] as number) | (docMasks[paragraphDoc[p] as number] as number);
      },
      termsOf: (p) => {
        check();
        return this.queryTerms.filter((state) => this.survives(state, p, fieldBoosts)).map((state) => state.term);
      },
    };
  }

  /** A fresh stamp for the dense visit and AND counters (restarting them long before they could wrap). */
  private nextStamp(): number {
    if (this.stamp >= 0x3fffffff) {
      this.visitStamp.fill(0);
      this.andStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /** Calls `each` for every paragraph with the term in a searched field (titles for each of their paragraphs; repeats possible). */
  private visitTerm(state: QueryTermState, fieldBoosts: readonly number[], each: (p: number) => void): void {
    if (state.id < 0) return;
    for (let field = 0; field < FIELD_COUNT; field++) {
      if (fieldBoosts[field] === 0) continue;
      const start = state.starts[field] as number;
      const end = start + (state.counts[field] as number);
      for (let i = start; i < end; i++) {
        const id = this.arenaIds[i] as number;
        if (field !== TITLE) {
          each(id);
          continue;
        }
        const first = this.docFirst[id] as number;
        for (let p = first; p < first + (this.docCount[id] as number); p++) each(p);
      }
    }
  }

  /** k·(1 − b + b·length/average) per document (title) or paragraph, as MiniSearch computes it per posting. */
  private normsOf(field: number, k: number, b: number): Float64Array {
    const key = `${field} ${k} ${b}`;
    let norms = this.norms.get(key);
    if (norms) return norms;
    const lengths = this.lengths[field] as Uint16Array | Uint32Array;
    const average = this.averages[field] as number;
    norms = new Float64Array(lengths.length);
    for (let i = 0; i < lengths.length; i++) norms[i] = k * (1 - b + (b * (lengths[i] as number)) / average);
    if (this.norms.size >= 12) this.norms.clear();
    this.norms.set(key, norms);
    return norms;
  }

  /** Clears what the previous query left in the scratch arrays. */
  private reset(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const p = this.touched[i] as number;
      this.scores[p] = 0;
      this.quality[p] = 0;
      this.masks[p] = 0;
      this.lastTerm[p] = -1;
    }
    this.touchedCount = 0;
    for (let i = 0; i < this.docTouchedCount; i++) {
      const doc = this.docTouched[i] as number;
      this.docScores[doc] = 0;
      this.docQuality[doc] = 0;
      this.docMasks[doc] = 0;
      this.docLastTerm[doc] = -1;
    }
    this.docTouchedCount = 0;
    this.andMembers.forEach((members, j) => {
      const bits = this.andBits[j >>> 5] as Uint32Array;
      for (const p of members) bits[p] = 0;
    });
    this.andMembers = [];
    this.arenaLength = 0;
    this.queryTerms = [];
  }

  private setAndBits(j: number, members: Int32Array): void {
    while (this.andBits.length <= j >>> 5) this.andBits.push(new Uint32Array(this.paragraphs));
    const bits = this.andBits[j >>> 5] as Uint32Array;
    for (const p of members) bits[p] = (bits[p] as number) | (1 << (j & 31));
    this.andMembers[j] = members;
  }

  private reserve(extra: number): void {
    if (this.arenaLength + extra <= this.arenaIds.length) return;
    let size = this.arenaIds.length * 2;
    while (size < this.arenaLength + extra) size *= 2;
    const ids = new Int32Array(size);
    ids.set(this.arenaIds.subarray(0, this.arenaLength));
    const tfs = new Int32Array(size);
    tfs.set(this.arenaTfs.subarray(0, this.arenaLength));
    this.arenaIds = ids;
    this.arenaTfs = tfs;
  }

  /** Decodes a term's postings into the arena. */
  private decode(state: QueryTermState): void {
    const reader = new PostingReader(this.postings, this.postingStarts[state.id] as number);
    const counts = perField();
    this.reserve(reader.header(counts, state.frequencies, FIELD_COUNT));
    for (let field = 0; field < FIELD_COUNT; field++) {
      const count = counts[field] as number;
      state.starts[field] = this.arenaLength;
      state.counts[field] = count;
      let id = 0;
      for (let i = 0; i < count; i++) {
        id += reader.nextGap();
        this.arenaIds[this.arenaLength] = id;
        this.arenaTfs[this.arenaLength] = reader.tf;
        this.arenaLength++;
      }
    }
  }

  /** Whether a decoded term counts for a paragraph: in a searched field, below ANDs that all matched it. */
  private survives(state: QueryTermState, p: number, fieldBoosts: readonly number[]): boolean {
    if (state.id < 0) return false;
    const present = FIELDS.some((_, field) => {
      if (fieldBoosts[field] === 0) return false;
      const key = field === TITLE ? (this.paragraphDoc[p] as number) : p;
      return binarySearch(
        this.arenaIds,
        state.starts[field] as number,
        (state.starts[field] as number) + (state.counts[field] as number),
        key,
      );
    });
    if (!present) return false;
    return state.leaves.some((leaf) =>
      leaf.ands.every((j) => (((this.andBits[j >>> 5] as Uint32Array)[p] as number) & (1 << (j & 31))) !== 0),
    );
  }
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

function binarySearch(array: Int32Array, from: number, to: number, value: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = array[mid] as number;
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid;
  }
  return false;
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
