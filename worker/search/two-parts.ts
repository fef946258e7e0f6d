// A compound the index lacks, cut into two parts it has: shared by the search (plan.ts) and the insights report's
// near words (near.ts), which differ only in what counts as a part they know.

/** Linking letters between a compound's parts: none ("Hunde|marke"), or "s" ("Arbeit|s|amt"), "es", "n", "en". */
const LINKS = ["", "s", "es", "n", "en"];

/** Least letters of each part: shorter cuts ("Wohn-", "Kind|er…") find words by accident. */
export const MIN_PART = 5;

/**
 * The first cut of `exact` into two parts, each of {@link MIN_PART} letters or more, with a linking "s", "es", "n" or
 * "en" between them, for which `find` knows both parts; the cut with the longest first part wins. Null when there
 * is none.
 */
export function twoParts<T>(exact: string, find: (part: string) => T | undefined): [first: T, second: T] | null {
  for (let end = exact.length - MIN_PART; end >= MIN_PART; end--) {
    const first = find(exact.slice(0, end));
    if (first === undefined) continue;
    for (const link of LINKS) {
      if (!exact.startsWith(link, end) || exact.length - end - link.length < MIN_PART) continue;
      const second = find(exact.slice(end + link.length));
      if (second !== undefined) return [first, second];
    }
  }
  return null;
}
