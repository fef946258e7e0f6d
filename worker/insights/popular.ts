// The site's most searched queries that find something, offered when a search finds nothing (and insights are on).
import type { SearchBackend } from "../backend.js";
import type { InsightsConfig } from "./config.js";
import { firstDayOf, readPopular } from "./store.js";

/** How many popular queries a search without hits offers. */
export const POPULAR = 5;
/** The period they are counted over, in days. */
const POPULAR_DAYS = 30;
/** How long an isolate keeps them before reading again, in milliseconds (a search without hits must not read D1 each time). */
const POPULAR_TTL = 10 * 60_000;
/** Most texts read to find {@link POPULAR} that still find something in the index served now. */
const CANDIDATES = 3 * POPULAR;

// Per database (an isolate serves one; a test may bring its own), the queries last read.
const kept = new WeakMap<object, { version: string; at: number; queries: Promise<string[]> }>();

/**
 * Up to {@link POPULAR} of the most searched queries of the last 30 days that found something then and find
 * something in this index: only texts searched k times (INSIGHTS_MIN_COUNT), none with "#" (what was blanked as
 * personal). Read once per isolate and index version every 10 minutes; [] when the database cannot be read, so a
 * search never fails for it.
 */
export function popularQueries(config: InsightsConfig, backend: SearchBackend, version: string, now = Date.now()): Promise<string[]> {
  const last = kept.get(config.db);
  if (last && last.version === version && now - last.at < POPULAR_TTL) return last.queries;
  const queries = (async () => {
    try {
      const texts = await readPopular(config.db, firstDayOf(now, POPULAR_DAYS), firstDayOf(now, 1), config.minCount, CANDIDATES);
      const found: string[] = [];
      for (const text of texts) {
        if (found.length >= POPULAR || text.includes("#")) continue;
        const answer = await backend.search({ q: text, limit: 1, offset: 0, sort: "relevance", fuzzy: 0, prefix: false });
        if (answer.total > 0) found.push(text);
      }
      return found;
    } catch (error) {
      console.error(JSON.stringify({ event: "insights_popular_failed", error: String(error) }));
      kept.delete(config.db);
      return [];
    }
  })();
  kept.set(config.db, { version, at: now, queries });
  return queries;
}
