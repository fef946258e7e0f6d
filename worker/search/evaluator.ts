// MiniSearch's query evaluation (BM25+, OR/AND trees) over a compact index, with the scratch space of one query.
import { FIELDS } from "../../common/artifact.js";
import { AndNodes } from "./and-nodes.js";
import { type CompactIndex, FIELD_COUNT, type PerField, perField, TITLE } from "./compact-index.js";
import type { Bm25Params, EvaluateOptions, Matches, QueryGroup, QueryNode, QueryTerm } from "./query-tree.js";
import { lowerBound } from "./sorted.js";

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
 * Scores query trees over one {@link CompactIndex} exactly as MiniSearch's `search` does (test/node/engine.test.ts
 * compares the two on random trees). It owns the scratch arrays of the query being evaluated, sized to the index
 * and reused: a Worker isolate runs one query at a time, and {@link Matches} are valid until the next one.
 */
export class Evaluator {
  // Title matches are kept per document (a title is shared by its paragraphs) and added in at the end.
  private readonly scores: Float64Array;
  private readonly masks: Uint32Array;
  private readonly seen: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly docScores: Float64Array;
  private readonly docMasks: Uint32Array;
  /** 1 for a document in {@link docTouched}. */
  private readonly docMarked: Uint8Array;
  private readonly docTouched: Int32Array;
  private docTouchedCount = 0;
  private readonly ands: AndNodes;
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

  constructor(readonly index: CompactIndex) {
    const n = index.paragraphs;
    const d = index.documents;
    this.scores = new Float64Array(n);
    this.masks = new Uint32Array(n);
    this.seen = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.docScores = new Float64Array(d);
    this.docMasks = new Uint32Array(d);
    this.docMarked = new Uint8Array(d);
    this.docTouched = new Int32Array(d);
    this.ands = new AndNodes(n);
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
    const { byTerm, andNodes } = collectTerms(root, (term) => this.index.termId(term));
    this.queryTerms = [...byTerm.values()];
    for (const state of this.queryTerms) if (state.id >= 0) this.decode(state);
    // Which paragraphs each AND matched: a leaf below it counts only there.
    this.ands.match(andNodes, (leaf, each) => this.visitTerm(byTerm.get(leaf.term) as QueryTermState, fieldBoosts, each));

    this.fieldBoosts = fieldBoosts;
    this.bm25 = options.bm25;
    for (const state of this.queryTerms) this.accumulate(state, state.leaves);
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
        if (state.id >= 0) this.accumulate(state, [added]);
        continue;
      }
      const state = newTermState(leaf.term, this.index.termId(leaf.term));
      state.leaves.push(added);
      termIndex = this.queryTerms.length;
      this.queryTerms.push(state);
      byTerm.set(leaf.term, termIndex);
      if (state.id < 0) continue;
      this.decode(state);
      this.accumulate(state, [added]);
    }
    this.expandTitleMatches();
    return this.matchesView();
  }

  /** Adds a term's leaves to the accumulators: the scores and masks of the paragraphs and titles it matches. */
  private accumulate(state: QueryTermState, leaves: readonly LeafState[]): void {
    if (state.id < 0) return;
    const fieldBoosts = this.fieldBoosts;
    const { k, b, d } = this.bm25;
    const n = this.index.corpus.paragraphs;
    const generation = this.generation;
    const ids = this.arenaIds;
    const tfs = this.arenaTfs;
    const andNodes = this.ands;
    const docFirst = this.index.docFirst;
    const docCount = this.index.docCount;
    const { scores, masks, seen, touched, docScores, docMasks, docMarked, docTouched } = this;
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
          if (docMarked[doc] === 0) {
            docMarked[doc] = 1;
            docTouched[this.docTouchedCount++] = doc;
          }
          docScores[doc] = (docScores[doc] as number) + weight * (idf * (d + (tf * (k + 1)) / (tf + (norm[doc] as number))));
          docMasks[doc] = (docMasks[doc] as number) | leaf.mask;
        }
      }
    }
    for (const leaf of leaves) {
      const ands = leaf.ands;
      const leafMask = leaf.mask;
      const add = (p: number, score: number) => {
        if (ands.length > 0 && !andNodes.allMatched(ands, p)) return;
        if (seen[p] !== generation) {
          seen[p] = generation;
          touched[this.touchedCount++] = p;
        }
        scores[p] = (scores[p] as number) + score;
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
      const first = this.index.docFirst[doc] as number;
      const last = first + (this.index.docCount[doc] as number);
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
    const { scores, masks, docScores, docMasks, touched } = this;
    const paragraphDoc = this.index.paragraphDoc;
    const check = () => {
      if (generation !== this.generation) throw new Error("these matches were overwritten by a later query");
    };
    return {
      count: this.touchedCount,
      ids: touched,
      sum: (p) => {
        check();
        return (scores[p] as number) + (docScores[paragraphDoc[p] as number] as number);
      },
      mask: (p) => {
        check();
        return (masks[p] as number) | (docMasks[paragraphDoc[p] as number] as number);
      },
      termsOf: (p) => {
        check();
        // A term that counted for p added a leaf's words to p's mask: one whose leaves all stand for words p's mask
        // lacks did not count (a quick test before the postings' binary searches; leaves with no words always look).
        const matched = (masks[p] as number) | (docMasks[paragraphDoc[p] as number] as number);
        const terms: string[] = [];
        for (const state of this.queryTerms) {
          if (!leavesMayCount(state.leaves, matched)) continue;
          if (this.survives(state, p, fieldBoosts)) terms.push(state.term);
        }
        return terms;
      },
    };
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
        const first = this.index.docFirst[id] as number;
        for (let p = first; p < first + (this.index.docCount[id] as number); p++) each(p);
      }
    }
  }

  /** k·(1 − b + b·length/average) per document (title) or paragraph, as MiniSearch computes it per posting. */
  private normsOf(field: number, k: number, b: number): Float64Array {
    const key = `${field} ${k} ${b}`;
    let norms = this.norms.get(key);
    if (norms) return norms;
    const lengths = this.index.lengths[field] as Uint16Array | Uint32Array;
    const average = this.index.averages[field] as number;
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
      this.masks[p] = 0;
    }
    this.touchedCount = 0;
    for (let i = 0; i < this.docTouchedCount; i++) {
      const doc = this.docTouched[i] as number;
      this.docScores[doc] = 0;
      this.docMasks[doc] = 0;
      this.docMarked[doc] = 0;
    }
    this.docTouchedCount = 0;
    this.arenaLength = 0;
    this.queryTerms = [];
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
    const reader = this.index.postingsOf(state.id);
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
    let present = false;
    for (let field = 0; field < FIELD_COUNT && !present; field++) {
      const count = state.counts[field] as number;
      if (fieldBoosts[field] === 0 || count === 0) continue;
      const key = field === TITLE ? (this.index.paragraphDoc[p] as number) : p;
      const start = state.starts[field] as number;
      const end = start + count;
      // Postings are sorted: a key outside the first and last is not among them.
      if (key < (this.arenaIds[start] as number) || key > (this.arenaIds[end - 1] as number)) continue;
      const at = lowerBound(this.arenaIds, key, start, end);
      present = at < end && this.arenaIds[at] === key;
    }
    if (!present) return false;
    for (const leaf of state.leaves) if (this.ands.allMatched(leaf.ands, p)) return true;
    return false;
  }
}

/** The distinct terms of a tree, each with its leaves, and the tree's AND nodes numbered as the leaves' `ands` name them. */
function collectTerms(root: QueryNode, termId: (term: string) => number): { byTerm: Map<string, QueryTermState>; andNodes: QueryGroup[] } {
  const byTerm = new Map<string, QueryTermState>();
  const andNodes: QueryGroup[] = [];
  const collect = (node: QueryNode, ands: number[]) => {
    if ("term" in node) {
      let state = byTerm.get(node.term);
      if (!state) {
        state = newTermState(node.term, termId(node.term));
        byTerm.set(node.term, state);
      }
      state.leaves.push({ boost: node.boost, mask: node.mask ?? 0, ands });
      return;
    }
    let inner = ands;
    if (node.combineWith === "AND") {
      andNodes.push(node);
      inner = [...ands, andNodes.length - 1];
    }
    for (const child of node.queries) collect(child, inner);
  };
  collect(root, []);
  return { byTerm, andNodes };
}

/** Whether some leaf may have counted for a paragraph whose words are `matched`: it stands for one of them, or for none. */
function leavesMayCount(leaves: readonly LeafState[], matched: number): boolean {
  for (const leaf of leaves) if (leaf.mask === 0 || (leaf.mask & matched) !== 0) return true;
  return false;
}

function newTermState(term: string, id: number): QueryTermState {
  return { term, id, starts: perField(), counts: perField(), frequencies: perField(), leaves: [] };
}
