// Facet counts: how many matches each collection, kind and year holds, for filter chips with counts.
import { compareCodeUnits } from "../../common/order.js";

/** The facets a search can count, in the order they are answered. */
export const FACET_NAMES = ["collection", "kind", "year"] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** Most values answered per facet: the most frequent (for `year`, the newest). */
export const FACET_VALUES = 50;

/**
 * The filters a match can fail, as bits: one per facet (the date range is the year facet's filter) and the
 * document filter, which no facet lifts.
 */
export const FILTER_BITS = { collection: 1, kind: 2, year: 4, doc: 8 } as const;

/** One value of a facet: what to filter by, what to show, and how many matches it holds. */
export interface FacetValue {
  value: string;
  /** The value for people: a collection's title, else the value itself. */
  label: string;
  count: number;
}

export type Facets = Partial<Record<FacetName, FacetValue[]>>;

/** Each requested facet's counts by value, as a shard answers them (the router adds them up). */
export type FacetCounts = [FacetName, [string, number][]][];

/** What a facet reads of a match's document. */
export interface FacetDocument {
  collection: string;
  kind: string | null;
  date: string | null;
}

/**
 * Counts a search's matches per facet value. A facet counts the matches that pass every filter but its own,
 * as shops and Algolia count them: with kind=Artikel chosen, the kind facet still shows what every other
 * kind would give, while the year facet counts articles only. Matches count once per document when pages
 * are ranked (`total` counts documents then), else once per paragraph.
 */
export class FacetCounter {
  private readonly counts = new Map<FacetName, Map<string, number>>();
  /** Per facet, the documents counted already, when counting documents. */
  private readonly seen: Map<FacetName, Uint8Array> | null;

  constructor(
    readonly names: readonly FacetName[],
    /** The number of documents when counting documents, else null. */
    documents: number | null,
  ) {
    for (const name of names) this.counts.set(name, new Map());
    this.seen = documents === null ? null : new Map(names.map((name) => [name, new Uint8Array(documents)]));
  }

  /** Counts a match of document `doc` (its number), which failed the filters in `failed` ({@link FILTER_BITS}). */
  add(doc: number, meta: FacetDocument, failed: number): void {
    for (const [name, counts] of this.counts) {
      if ((failed & ~FILTER_BITS[name]) !== 0) continue;
      const value = name === "collection" ? meta.collection : name === "kind" ? meta.kind : (meta.date?.slice(0, 4) ?? null);
      if (value === null || value === "") continue;
      const seen = this.seen?.get(name);
      if (seen) {
        if (seen[doc] === 1) continue;
        seen[doc] = 1;
      }
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }

  /** The counts by value, every value (a router adds shards' counts up before choosing the values shown). */
  raw(): FacetCounts {
    return this.names.map((name) => [name, [...(this.counts.get(name) ?? [])]]);
  }
}

/** The facets as answered: per facet the most frequent values (years newest first), labelled. */
export function facetValues(counts: FacetCounts, collectionTitle: (id: string) => string | undefined): Facets {
  const facets: Facets = {};
  for (const [name, values] of counts) {
    const order =
      name === "year"
        ? (a: [string, number], b: [string, number]) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)
        : (a: [string, number], b: [string, number]) => b[1] - a[1] || compareCodeUnits(a[0], b[0]);
    facets[name] = [...values]
      .sort(order)
      .slice(0, FACET_VALUES)
      .map(([value, count]) => ({ value, label: (name === "collection" ? collectionTitle(value) : undefined) || value, count }));
  }
  return facets;
}

/** Adds up facet counts (of shards). */
export function sumFacetCounts(all: readonly FacetCounts[]): FacetCounts {
  const sums = new Map<FacetName, Map<string, number>>();
  for (const counts of all) {
    for (const [name, values] of counts) {
      let sum = sums.get(name);
      if (!sum) {
        sum = new Map();
        sums.set(name, sum);
      }
      for (const [value, count] of values) sum.set(value, (sum.get(value) ?? 0) + count);
    }
  }
  return FACET_NAMES.filter((name) => sums.has(name)).map((name) => [name, [...(sums.get(name) ?? [])]]);
}
