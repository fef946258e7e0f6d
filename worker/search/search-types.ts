// The search's request and answer types: what a search asks for, and the hits, sections and response it gets.
import type { FacetName, Facets } from "./facets.js";
import type { Range } from "./highlight.js";

/** What a search asks for; the API's validated parameters. */
export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
  collection?: string | undefined;
  doc?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  group?: "document" | undefined;
  sort: "relevance" | "date";
  fuzzy: "auto" | 0 | 1 | 2;
  prefix: boolean;
  /** Facets to count over every match (see facets.ts). */
  facets?: FacetName[] | undefined;
}

export interface SearchHit {
  id: string;
  paragraph: number;
  score: number;
  doc: { id: string; title: string; url: string | null; date: string | null; kind: string | null; collection: string };
  collection: { title: string; attribution: string | null; license: string | null; url: string | null };
  titleHtml: string;
  snippetHtml: string;
  highlights: Range[];
  /** With `group=document`: the page's best-matching sections, best first (at most {@link RANKING.pageSections}). */
  sections?: SearchSection[];
}

/** A section of a page hit: its heading, where it links to, and its best-matching paragraph's snippet. */
export interface SearchSection {
  heading: string;
  headingHtml: string;
  level: number;
  anchor: string | null;
  url: string;
  paragraph: number;
  snippetHtml: string;
  highlights: Range[];
}

export interface SearchResponse {
  query: string;
  total: number;
  offset: number;
  limit: number;
  partial: boolean;
  ignored: string[];
  /**
   * When the best hit matched a word of the query only through a typo variant of it: the query with each such
   * word spelled as the corpus spells the variant ("Meinten Sie …?"); else null.
   */
  correction: string | null;
  hits: SearchHit[];
  /** With `facets`: each facet's values with their counts over every match. */
  facets?: Facets;
}
