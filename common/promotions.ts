// Promoted results: the query form an editor's rule and a reader's query meet in, shared by builder and worker.
import { analyze } from "../analyzer/index.js";
import { compareCodeUnits } from "./order.js";

/** Where a project's promotions live, relative to the corpus folder. */
export const PROMOTIONS_FILE = "promotions.txt";

/** Most pages one rule may promote (the widget shows 8 results; the API's page holds at most 50). */
export const MAX_PROMOTED = 5;

/** Most words a promoted query may have: the searched words of a query (see MAX_QUERY_WORDS in the query parser). */
export const MAX_PROMOTED_WORDS = 12;

/**
 * A query as promotions match it: its words that are searched (stop words dropped), each as the analyzer stems it
 * (lower case, ä and ae alike, ß as ss, inflection removed), each once, in code-unit order, joined by spaces.
 * "Müll", "muell", "Müll?" and "der Müll" are one; so are "Kita Kosten" and "Kosten der Kita", and "Öffnungszeit"
 * and "Öffnungszeiten". Syntax is text here: "-Müll" and "„Müll“" are "mull" too. "" when nothing is searched.
 */
export function promotionKey(q: string): string {
  const words = new Set<string>();
  for (const token of analyze(q)) {
    if (token.stop || token.kind === "joined") continue;
    words.add(token.stem);
    if (words.size > MAX_PROMOTED_WORDS) return "";
  }
  return [...words].sort(compareCodeUnits).join(" ");
}

/** A promotion as the index carries it: a query's key (see {@link promotionKey}) and the ids of its pages, in order. */
export type StoredPromotion = [key: string, documents: string[]];

/** What a search without hits offers instead, as the project configures it (package.json's fundstelle.noResults). */
export interface NoResultsHelp {
  /** Links to show (a service directory, the contact page), in order. */
  links: { title: string; url: string }[];
  /** Whether to show the most searched queries that have results (from search insights, when they are on). */
  popular: boolean;
}

/** The help without configuration: no links, popular queries when insights are on. */
export const DEFAULT_NO_RESULTS: NoResultsHelp = { links: [], popular: true };

/** The promotions of a manifest as the index info carries them: well-formed rules only (a key and a list of ids). */
export function storedPromotions(value: unknown): StoredPromotion[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (rule): rule is StoredPromotion =>
      Array.isArray(rule) &&
      typeof rule[0] === "string" &&
      Array.isArray(rule[1]) &&
      (rule[1] as unknown[]).every((id) => typeof id === "string"),
  );
}
