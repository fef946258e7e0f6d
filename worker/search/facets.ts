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
 * Each document's value of each facet as a number, and the values by number: read once per index, so that counting
 * a match is an array increment rather than a string lookup (a search of frequent words counts tens of thousands).
 */
export interface FacetTable {
  /** Per facet, each document's value number, or -1 when it has none. */
  valueNumbers: Record<FacetName, Int32Array>;
  /** Per facet, the values by number. */
  values: Record<FacetName, string[]>;
}

/** The facet table of documents (in document order). */
export function facetTable(documents: readonly FacetDocument[]): FacetTable {
  const table: FacetTable = {
    valueNumbers: {
      collection: new Int32Array(documents.length),
      kind: new Int32Array(documents.length),
      year: new Int32Array(documents.length),
    },
    values: { collection: [], kind: [], year: [] },
  };
  for (const name of FACET_NAMES) {
    const numbers = new Map<string, number>();
    const values = table.values[name];
    const valueNumbers = table.valueNumbers[name];
    documents.forEach((doc, d) => {
      const value = facetValueOf(name, doc);
      if (value === null || value === "") {
        valueNumbers[d] = -1;
        return;
      }
      let n = numbers.get(value);
      if (n === undefined) {
        n = values.length;
        numbers.set(value, n);
        values.push(value);
      }
      valueNumbers[d] = n;
    });
  }
  return table;
}

function facetValueOf(name: FacetName, doc: FacetDocument): string | null {
  return name === "collection" ? doc.collection : name === "kind" ? doc.kind : (doc.date?.slice(0, 4) ?? null);
}

/**
 * Counts a search's matches per facet value. A facet counts the matches that pass every filter but its own,
 * as shops and Algolia count them: with kind=Artikel chosen, the kind facet still shows what every other
 * kind would give, while the year facet counts articles only. Matches count once per document when pages
 * are ranked (`total` counts documents then), else once per paragraph.
 */
export class FacetCounter {
  private readonly facets: { name: FacetName; bit: number; valueNumbers: Int32Array; counts: Uint32Array; seen: Uint8Array | null }[];

  constructor(
    readonly names: readonly FacetName[],
    private readonly table: FacetTable,
    /** Whether matches count once per document (pages), else once per paragraph. */
    perDocument: boolean,
  ) {
    this.facets = names.map((name) => {
      const valueNumbers = table.valueNumbers[name];
      return {
        name,
        bit: FILTER_BITS[name],
        valueNumbers,
        counts: new Uint32Array(table.values[name].length),
        seen: perDocument ? new Uint8Array(valueNumbers.length) : null,
      };
    });
  }

  /** Counts a match of document `doc` (its number), which failed the filters in `failed` ({@link FILTER_BITS}). */
  add(doc: number, failed: number): void {
    for (const facet of this.facets) {
      if ((failed & ~facet.bit) !== 0) continue;
      const value = facet.valueNumbers[doc] as number;
      if (value < 0) continue;
      const seen = facet.seen;
      if (seen) {
        if (seen[doc] === 1) continue;
        seen[doc] = 1;
      }
      facet.counts[value] = (facet.counts[value] as number) + 1;
    }
  }

  /** The counts by value, every value counted (a router adds shards' counts up before choosing the values shown). */
  raw(): FacetCounts {
    return this.facets.map(({ name, counts }) => {
      const values = this.table.values[name];
      const counted: [string, number][] = [];
      for (let n = 0; n < counts.length; n++) if ((counts[n] as number) > 0) counted.push([values[n] as string, counts[n] as number]);
      return [name, counted];
    });
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
