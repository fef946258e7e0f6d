// Reads corpus/promotions.txt: the editors' rules that show chosen pages first for chosen queries.

import { compareCodeUnits } from "../common/order.js";
import { MAX_PROMOTED, MAX_PROMOTED_WORDS, PROMOTIONS_FILE, promotionKey, type StoredPromotion } from "../common/promotions.js";
import { CorpusError } from "./errors.js";

export { PROMOTIONS_FILE };

/** What a rule can name a page by: its id, its url, and where it is served. */
export interface PromotablePage {
  id: string;
  url: string | null;
}

/** A url without its fragment and a trailing slash, so that "…/hundesteuer/" and "…/hundesteuer#gebuehren" name one page. */
function comparableUrl(url: string): string {
  return url.replace(/#.*$/, "").replace(/(?<=[^/])\/$/, "");
}

/** A url's path (for a rule that names a page as "/buergerservice/hundesteuer.html"), or null for one that is no URL. */
function pathOf(url: string): string | null {
  try {
    return comparableUrl(new URL(url).pathname);
  } catch {
    return null;
  }
}

/** Looks pages up by what a rule may call them. */
class PageFinder {
  private readonly ids = new Map<string, string>();
  private readonly urls = new Map<string, string[]>();
  private readonly paths = new Map<string, string[]>();

  constructor(pages: readonly PromotablePage[]) {
    const add = (map: Map<string, string[]>, key: string, id: string) => {
      const known = map.get(key);
      if (known === undefined) map.set(key, [id]);
      else if (!known.includes(id)) known.push(id);
    };
    for (const page of pages) {
      this.ids.set(page.id, page.id);
      if (page.url === null) continue;
      add(this.urls, comparableUrl(page.url), page.id);
      const path = pathOf(page.url);
      if (path === null) continue;
      add(this.paths, path, page.id);
      // "/buergerservice/hundesteuer" names ".../hundesteuer.html" too, and "/buergerservice" ".../buergerservice/index.html".
      const bare = path.replace(/\/index\.html?$/i, "").replace(/\.html?$/i, "");
      if (bare !== path) {
        add(this.paths, bare === "" ? "/" : bare, page.id);
        add(this.urls, comparableUrl(`${new URL(page.url).origin}${bare}`), page.id);
      }
    }
  }

  /** The page's id, or a problem saying why the reference names none or several. */
  find(reference: string): { id: string } | { problem: string } {
    const byId = this.ids.get(reference) ?? this.ids.get(reference.replace(/\.[a-z0-9]{1,5}$/i, ""));
    if (byId !== undefined) return { id: byId };
    const candidates = /^[a-z][a-z0-9+.-]*:/i.test(reference)
      ? this.urls.get(comparableUrl(reference))
      : reference.startsWith("/")
        ? this.paths.get(comparableUrl(reference))
        : undefined;
    if (candidates === undefined)
      return {
        problem: `no page is "${reference}": name it by its id (the file's path in the corpus without extension, as /documents/{id} shows it), its URL, or its path on the site ("/buergerservice/hundesteuer")`,
      };
    if (candidates.length > 1)
      return { problem: `"${reference}" is the address of ${candidates.length} pages (${candidates.join(", ")}): name one by its id` };
    return { id: candidates[0] as string };
  }
}

/**
 * Parses promotions.txt and names each rule's pages by id. One rule per line: queries, "=>", pages, each side's
 * entries separated by commas (`Hundesteuer, Hundemarke => /buergerservice/hundesteuer`); `#` at the start of a
 * line or after a space starts a comment. A page is named without a section ("#…" is refused).
 * A query is matched in its normal form (see promotionKey): "Müll", "muell" and "Müll?" are one. A page is named
 * by its id, its URL or its path on the site. Errors name the file and line: a line without "=>", a query of only
 * stop words or of more than 12 words, a query two rules promote, a page no document is (or several are), a section, a page
 * named twice in a rule, more than {@link MAX_PROMOTED} pages. The result is sorted by key, so the same rules give
 * the same bytes.
 */
export function parsePromotions(text: string, pages: readonly PromotablePage[], file = PROMOTIONS_FILE): StoredPromotion[] {
  const finder = new PageFinder(pages);
  const rules = new Map<string, { documents: string[]; line: number; query: string }>();
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const content = raw.replace(/(^|\s)#.*$/, "").trim();
      if (content === "") return;
      const fail = (problem: string): never => {
        throw new CorpusError(file, problem, line);
      };
      const sides = content.split("=>");
      if (sides.length !== 2)
        fail(
          sides.length > 2
            ? 'a rule has one "=>"'
            : raw.includes("=>")
              ? 'its "=>" stands after a "#", which starts a comment: put comments on a line of their own'
              : 'a rule is queries, "=>", then the pages to show first: Hundesteuer, Hundemarke => /buergerservice/hundesteuer',
        );
      const [left, right] = sides.map((side) => side.split(",").map((entry) => entry.trim())) as [string[], string[]];
      if (left.some((entry) => entry === "") || right.some((entry) => entry === ""))
        fail('an entry is empty (two commas in a row, a comma at an end, or nothing on one side of "=>")');
      const documents: string[] = [];
      for (const reference of right) {
        if (reference.includes("#"))
          fail(
            `"${reference}" names a section: a promotion shows a page, and the search picks its section that best matches the query; drop the "#…"`,
          );
        const found = finder.find(reference);
        if ("problem" in found) fail(found.problem);
        else if (documents.includes(found.id)) fail(`the page ${found.id} is named twice in this rule`);
        else documents.push(found.id);
      }
      if (documents.length > MAX_PROMOTED) fail(`a rule promotes at most ${MAX_PROMOTED} pages, this one ${documents.length}`);
      for (const query of left) {
        const key = promotionKey(query);
        if (key === "")
          fail(
            query.split(/\s+/).length > MAX_PROMOTED_WORDS
              ? `"${query}" has more than ${MAX_PROMOTED_WORDS} words: a search reads only ${MAX_PROMOTED_WORDS}, so no reader's query matches it`
              : `"${query}" has no word to search for (only stop words): no reader's query matches it`,
          );
        const earlier = rules.get(key);
        if (earlier !== undefined)
          fail(
            earlier.line === line
              ? `"${query}" and "${earlier.query}" are one query (promotions compare queries without case, umlauts, endings, stop words and word order)`
              : `"${query}" is promoted already on line ${earlier.line} (as "${earlier.query}"; queries are compared without case, umlauts, endings, stop words and word order): join the two rules`,
          );
        rules.set(key, { documents, line, query });
      }
    });
  return [...rules].map(([key, rule]): StoredPromotion => [key, rule.documents]).sort(([a], [b]) => compareCodeUnits(a, b));
}
