// A site's name in its pages' titles ("Personalausweis: Stadt Musterhausen"): found across a collection, or named
// in its collection.json, and stripped, so titles say what the page is and the result's meta line does not repeat it.
import { cleanText, type SourceDocument } from "./source.js";

/** Separators between a page's name and the site's: a dash, bar, middle dot, bullet or "::" with spaces around, or a colon and a space. */
export const SEPARATOR = String.raw`(?:\s+(?:[-–—|·•]|::)\s+|:\s+)`;
const LAST_SEPARATOR = new RegExp(`^(.*\\S)${SEPARATOR}(\\S.*)$`, "su");
const FIRST_SEPARATOR = new RegExp(`^(.*?\\S)${SEPARATOR}(\\S.*)$`, "su");

/** A title split at its last separator (the site after it) and at its first (the site before it). */
function affixes(title: string): { suffix: [rest: string, site: string] | null; prefix: [site: string, rest: string] | null } {
  const last = LAST_SEPARATOR.exec(title);
  const first = FIRST_SEPARATOR.exec(title);
  return {
    suffix: last ? [last[1] ?? "", last[2] ?? ""] : null,
    prefix: first ? [first[1] ?? "", first[2] ?? ""] : null,
  };
}

/** How often an affix must recur before it counts as the site's name: on 3 pages at least, and on half of them. */
const MIN_PAGES = 3;
const MIN_SHARE = 0.5;
/** On this share of the pages, an affix is the site's name beyond doubt: stripped whatever a page's `<h1>` says. */
const SITE_WIDE_SHARE = 0.8;

/**
 * The title without the site's name: `names` (a collection's `titleSuffix`, compared after cleaning, case-insensitively)
 * when the title ends or starts with one beside a separator, else an affix in `common`.
 */
function stripOnce(title: string, names: ReadonlySet<string>, common: ReadonlySet<string>): string {
  const { suffix, prefix } = affixes(title);
  const isSite = (affix: string) => names.has(affix.toLocaleLowerCase("de")) || common.has(affix);
  if (suffix && isSite(suffix[1])) return suffix[0];
  if (prefix && isSite(prefix[0])) return prefix[1];
  return title;
}

/**
 * Strips the site's name from the titles of a collection's HTML pages that kept their whole `<title>` (`titleOfPage`)
 * and whose `<h1>` is another text: a name the collection names (`titleSuffix` in collection.json: one or more names), or an
 * affix (the text after a `<title>`'s last separator, or before its first) that recurs on at least 3 and half of
 * the collection's pages with a `<title>` (on either side), as a site's name does and a page's context ("PDF-Export – Verknüpfungen") does
 * not. A page with an `<h1>` loses such an affix only when what is left is its `<h1>` ("Stadt Musterhausen –
 * Bürgerbüro" with the `<h1>` "Bürgerbüro"), or when the affix stands on 4 in 5 of the pages (the site's name
 * beyond doubt), so that a title and its subtitle stay whole. A title that would be left empty is kept. Changes
 * `documents` in place.
 */
export function stripSiteNames(documents: readonly SourceDocument[], titleSuffix: readonly string[]): void {
  const pages = documents.flatMap((doc) => (doc.titleOfPage === undefined ? [] : [{ doc, ...doc.titleOfPage }]));
  if (pages.length === 0) return;
  const counts = new Map<string, number>();
  for (const { title } of pages) {
    const { suffix, prefix } = affixes(title);
    const seen = new Set([suffix?.[1], prefix?.[0]].filter((affix): affix is string => affix !== undefined));
    for (const affix of seen) counts.set(affix, (counts.get(affix) ?? 0) + 1);
  }
  const recurring = (share: number) =>
    new Set([...counts].filter(([, count]) => count >= MIN_PAGES && count >= share * pages.length).map(([affix]) => affix));
  const common = recurring(MIN_SHARE);
  const siteWide = recurring(SITE_WIDE_SHARE);
  const names = new Set(titleSuffix.map((name) => cleanText(name).toLocaleLowerCase("de")).filter((name) => name !== ""));
  if (common.size === 0 && names.size === 0) return;
  for (const { doc, title, h1 } of pages) {
    // A title that is the page's <h1> (whole, or as the page's own <title> showed it) says what the page is.
    if (doc.title !== title || title === h1) continue;
    // Twice: a title may carry the site's name on both sides ("Stadt Musterhausen | Bürgerbüro – Stadt Musterhausen").
    const stripped = stripOnce(stripOnce(doc.title, names, common), names, common);
    if (stripped !== "" && (h1 === "" || stripped === h1)) doc.title = stripped;
    else {
      const siteName = stripOnce(stripOnce(doc.title, names, siteWide), names, siteWide);
      if (siteName !== "") doc.title = siteName;
    }
  }
}
