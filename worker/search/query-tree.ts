// The query trees the evaluator scores (MiniSearch's, with terms taken as given), and the matches it returns.
import type { Field } from "./compact-index.js";

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
 * that throws). `sum` is MiniSearch's score before its last step: the sum of every surviving term's BM25+ score in
 * every field (MiniSearch multiplies it by the number of distinct terms matched; the ranking does not need that).
 */
export interface Matches {
  /** How many paragraphs matched. */
  readonly count: number;
  /** The matched paragraphs, `ids[0 … count)`, in no particular order. */
  readonly ids: Int32Array;
  /** The sum of the terms' BM25+ scores (MiniSearch's score is this times the number of {@link termsOf}). */
  sum(paragraph: number): number;
  /** The OR of the {@link QueryTerm.mask} bits of the terms the paragraph matched. */
  mask(paragraph: number): number;
  /** The query terms the paragraph matched, for highlighting (MiniSearch's `terms`). */
  termsOf(paragraph: number): string[];
}
