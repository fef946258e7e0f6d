// Search insights in D1 (SQLite): daily counts of searches, searches without results and chosen results.
// Nothing here can tell who searched: see README, "Search insights", for what is stored and why.
import type { InsightsDatabase, InsightsStatement } from "../bindings.js";

/**
 * The tables, created on first use (idempotent). Queries are counted under a keyed hash (`query`, see query.ts);
 * `insight_texts` holds a query's text only once it was searched k times, and only while the counts kept (the
 * retention period) still add up to k.
 */
export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS insight_searches (
    query TEXT NOT NULL, day TEXT NOT NULL, searches INTEGER NOT NULL, zero INTEGER NOT NULL,
    PRIMARY KEY (query, day)) WITHOUT ROWID`,
  // No index by day: the rare report scans the table, and every count writes one B-tree less.
  "CREATE TABLE IF NOT EXISTS insight_texts (query TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID",
  `CREATE TABLE IF NOT EXISTS insight_choices (
    day TEXT NOT NULL, query TEXT NOT NULL, doc TEXT NOT NULL, anchor TEXT NOT NULL, choices INTEGER NOT NULL,
    PRIMARY KEY (day, query, doc, anchor)) WITHOUT ROWID`,
  // Choices of a page the editors promote for the query (corpus/promotions.txt), counted apart as well.
  `CREATE TABLE IF NOT EXISTS insight_promoted (
    day TEXT NOT NULL, query TEXT NOT NULL, doc TEXT NOT NULL, choices INTEGER NOT NULL,
    PRIMARY KEY (day, query, doc)) WITHOUT ROWID`,
];

/** A counted event: a search (a final query, not a keystroke) or a chosen result. */
export type InsightEvent =
  | { type: "search"; day: string; key: string; text: string; zero: boolean }
  | { type: "choice"; day: string; key: string; doc: string; anchor: string; promoted?: boolean };

/** Distinct rows waiting to be written in one isolate; beyond, events are refused (429) until a write drains them. */
export const MAX_PENDING = 1000;

const DAY = 86_400_000;

/** Today's date in UTC, as insights count days. */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The first day of the `days` days that end with the day of `time` (UTC). */
export function firstDayOf(time: number, days: number): string {
  return dayOf(time - (days - 1) * DAY);
}

/** How long a write may take before it is given up (a database that never answers must not stop counting). */
const WRITE_TIMEOUT = 10_000;

let schemaReady: Promise<void> | null = null;

/** Creates the tables once per isolate (again after a failure). */
function ensureSchema(db: InsightsDatabase): Promise<void> {
  schemaReady ??= db
    .batch(SCHEMA.map((sql) => db.prepare(sql)))
    .then(() => undefined)
    .catch((error: unknown) => {
      schemaReady = null;
      throw error;
    });
  return schemaReady;
}

interface PendingSearch {
  day: string;
  key: string;
  text: string;
  searches: number;
  zero: number;
}

interface PendingChoice {
  day: string;
  key: string;
  doc: string;
  anchor: string;
  choices: number;
  /** Of them, the choices of the page promoted for the query. */
  promoted: number;
}

/**
 * Counts events in memory and writes them in batches off the response path: each request's `flush` (under
 * `ctx.waitUntil`) resolves once a write has taken its event. Writes follow one another at least `interval`
 * milliseconds apart: the first event after a quiet spell is written at once, and under load the events of each
 * interval go in one batch, one upsert per distinct row, so a busy isolate writes far fewer rows (and
 * transactions) than it counts. A failed write is logged and dropped: it never fails a search.
 */
export class InsightsRecorder {
  private searches = new Map<string, PendingSearch>();
  private choices = new Map<string, PendingChoice>();
  private chain: Promise<void> = Promise.resolve();
  /** The next write, while it has not yet taken the pending rows: later events go in it. */
  private next: Promise<void> | null = null;
  private lastWrite = Number.NEGATIVE_INFINITY;

  /** Rows waiting to be written. */
  get pending(): number {
    return this.searches.size + this.choices.size;
  }

  /** The UTC day of {@link rowsToday} and {@link dropped}, and how many new rows this isolate added and dropped in it. */
  private today = "";
  rowsToday = 0;
  dropped = 0;

  /**
   * Counts `event`; false (nothing counted) when {@link MAX_PENDING} rows are waiting already. An event that needs
   * a new row once this isolate added `maxRowsPerDay` today is dropped (true, and counted in {@link dropped}, which
   * the log reports): each new row is a database write, and a flood of distinct queries must not use up a day's.
   */
  add(event: InsightEvent, maxRowsPerDay = Number.POSITIVE_INFINITY): boolean {
    if (event.day !== this.today) {
      if (this.dropped > 0) console.warn(JSON.stringify({ event: "insights_rows_dropped", day: this.today, dropped: this.dropped }));
      this.today = event.day;
      this.rowsToday = 0;
      this.dropped = 0;
    }
    const full = this.rowsToday >= maxRowsPerDay;
    if (event.type === "search") {
      const id = `${event.day} ${event.key}`;
      const row = this.searches.get(id);
      if (row) {
        row.searches++;
        row.zero += event.zero ? 1 : 0;
        return true;
      }
      if (this.pending >= MAX_PENDING) return false;
      if (full) return this.drop(maxRowsPerDay);
      this.rowsToday++;
      this.searches.set(id, { day: event.day, key: event.key, text: event.text, searches: 1, zero: event.zero ? 1 : 0 });
      return true;
    }
    const id = JSON.stringify([event.day, event.key, event.doc, event.anchor]);
    const row = this.choices.get(id);
    if (row) {
      row.choices++;
      row.promoted += event.promoted ? 1 : 0;
      return true;
    }
    if (this.pending >= MAX_PENDING) return false;
    if (full) return this.drop(maxRowsPerDay);
    this.rowsToday++;
    this.choices.set(id, {
      day: event.day,
      key: event.key,
      doc: event.doc,
      anchor: event.anchor,
      choices: 1,
      promoted: event.promoted ? 1 : 0,
    });
    return true;
  }

  private drop(maxRowsPerDay: number): boolean {
    if (this.dropped++ === 0) {
      console.warn(JSON.stringify({ event: "insights_rows_dropped", day: this.today, message: `over ${maxRowsPerDay} new rows today` }));
    }
    return true;
  }

  /**
   * Writes what is pending: in the next write if one is waiting, else in a new one, `interval` ms after the last
   * began (at once after a quiet spell). Resolves when the write with this event is done; never rejects.
   */
  flush(db: InsightsDatabase, minCount: number, interval = 0): Promise<void> {
    if (this.next) return this.next;
    const next = this.chain.then(async () => {
      const wait = this.lastWrite + interval - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // From here on, new events wait for the write after this one.
      this.next = null;
      this.lastWrite = Date.now();
      await this.write(db, minCount);
    });
    this.next = next;
    this.chain = next;
    return next;
  }

  private async write(db: InsightsDatabase, minCount: number): Promise<void> {
    if (this.pending === 0) return;
    const searches = [...this.searches.values()];
    const choices = [...this.choices.values()];
    this.searches = new Map();
    this.choices = new Map();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${WRITE_TIMEOUT} ms`)), WRITE_TIMEOUT);
    });
    try {
      await Promise.race([
        (async () => {
          await ensureSchema(db);
          await db.batch(statementsOf(db, searches, choices, minCount));
        })(),
        timeout,
      ]);
    } catch (error) {
      console.error(JSON.stringify({ event: "insights_write_failed", rows: searches.length + choices.length, error: String(error) }));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

/** The upserts of pending rows: counts added to the day's row, and a query's text once it reached k searches. */
function statementsOf(db: InsightsDatabase, searches: PendingSearch[], choices: PendingChoice[], minCount: number): InsightsStatement[] {
  const statements: InsightsStatement[] = [];
  for (const row of searches) {
    statements.push(
      db
        .prepare(
          `INSERT INTO insight_searches (query, day, searches, zero) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (query, day) DO UPDATE SET searches = searches + excluded.searches, zero = zero + excluded.zero`,
        )
        .bind(row.key, row.day, row.searches, row.zero),
      // The text is kept once the query has been searched k times (in the rows kept); never before.
      db
        .prepare(
          `INSERT INTO insight_texts (query, text) SELECT ?1, ?2
             WHERE (SELECT SUM(searches) FROM insight_searches WHERE query = ?1) >= ?3
             ON CONFLICT (query) DO NOTHING`,
        )
        .bind(row.key, row.text, minCount),
    );
  }
  for (const row of choices) {
    statements.push(
      db
        .prepare(
          `INSERT INTO insight_choices (day, query, doc, anchor, choices) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (day, query, doc, anchor) DO UPDATE SET choices = choices + excluded.choices`,
        )
        .bind(row.day, row.key, row.doc, row.anchor, row.choices),
    );
    if (row.promoted > 0) {
      statements.push(
        db
          .prepare(
            `INSERT INTO insight_promoted (day, query, doc, choices) VALUES (?1, ?2, ?3, ?4)
               ON CONFLICT (day, query, doc) DO UPDATE SET choices = choices + excluded.choices`,
          )
          .bind(row.day, row.key, row.doc, row.promoted),
      );
    }
  }
  return statements;
}

/**
 * Deletes the counts of days before `before` (YYYY-MM-DD), and the texts of queries no longer searched k times
 * (`minCount`) in the counts kept.
 */
export async function purgeBefore(db: InsightsDatabase, before: string, minCount: number): Promise<void> {
  await ensureSchema(db);
  await db.batch([
    db.prepare("DELETE FROM insight_searches WHERE day < ?1").bind(before),
    db.prepare("DELETE FROM insight_choices WHERE day < ?1").bind(before),
    db.prepare("DELETE FROM insight_promoted WHERE day < ?1").bind(before),
    db
      .prepare(
        "DELETE FROM insight_texts WHERE query NOT IN (SELECT query FROM insight_searches GROUP BY query HAVING SUM(searches) >= ?1)",
      )
      .bind(minCount),
  ]);
}

/** A query as reported: its text, how often it was searched, how often without results, how often a result was chosen. */
export interface ReportedQuery {
  query: string;
  searches: number;
  zero: number;
  choices: number;
}

/** What the report is made of, before pages get their titles. */
export interface InsightsData {
  from: string;
  to: string;
  minCount: number;
  /** Every day of the period, in order, with zeros where nothing was counted. */
  days: { day: string; searches: number; zero: number; choices: number }[];
  /** Queries searched at least `minCount` times in the period, most searched first (at most 500). */
  queries: ReportedQuery[];
  /** The most chosen pages and sections (`anchor` "" for a page's top), most chosen first. */
  pages: { doc: string; anchor: string; choices: number }[];
  /** Promoted pages chosen for queries the report shows (searched k times), most chosen first. */
  promoted: { query: string; doc: string; choices: number }[];
  /** For each query the report shows, its most chosen page, and how often it was chosen for it. */
  chosenFor: { query: string; doc: string; choices: number }[];
}

/** Most queries and pages read into a report. */
const REPORT_ROWS = 500;
const REPORT_PAGES = 20;

/** Reads the counts of the days `from` … `to` (inclusive, YYYY-MM-DD) for the report. */
export async function readInsights(db: InsightsDatabase, from: string, to: string, minCount: number): Promise<InsightsData> {
  await ensureSchema(db);
  const [perDay, choicesPerDay, queries, pages, promoted, chosenFor] = await Promise.all([
    db
      .prepare("SELECT day, SUM(searches) AS searches, SUM(zero) AS zero FROM insight_searches WHERE day BETWEEN ?1 AND ?2 GROUP BY day")
      .bind(from, to)
      .all<{ day: string; searches: number; zero: number }>(),
    db
      .prepare("SELECT day, SUM(choices) AS choices FROM insight_choices WHERE day BETWEEN ?1 AND ?2 GROUP BY day")
      .bind(from, to)
      .all<{ day: string; choices: number }>(),
    // Each key's counts in the period, then grouped by text: after a change of the secret one text has two keys.
    db
      .prepare(
        `SELECT t.text AS query, SUM(s.searches) AS searches, SUM(s.zero) AS zero, SUM(COALESCE(c.choices, 0)) AS choices
         FROM (SELECT query, SUM(searches) AS searches, SUM(zero) AS zero FROM insight_searches
               WHERE day BETWEEN ?1 AND ?2 GROUP BY query) s
         JOIN insight_texts t ON t.query = s.query
         LEFT JOIN (SELECT query, SUM(choices) AS choices FROM insight_choices WHERE day BETWEEN ?1 AND ?2 GROUP BY query) c
           ON c.query = s.query
         GROUP BY t.text HAVING SUM(s.searches) >= ?3
         ORDER BY searches DESC, query LIMIT ?4`,
      )
      .bind(from, to, minCount, REPORT_ROWS)
      .all<ReportedQuery>(),
    db
      .prepare(
        `SELECT doc, anchor, SUM(choices) AS choices FROM insight_choices WHERE day BETWEEN ?1 AND ?2
         GROUP BY doc, anchor ORDER BY choices DESC, doc, anchor LIMIT ?3`,
      )
      .bind(from, to, REPORT_PAGES)
      .all<{ doc: string; anchor: string; choices: number }>(),
    db
      .prepare(
        `SELECT t.text AS query, p.doc AS doc, SUM(p.choices) AS choices
         FROM insight_promoted p JOIN insight_texts t ON t.query = p.query
         WHERE p.day BETWEEN ?1 AND ?2 GROUP BY t.text, p.doc ORDER BY choices DESC, query, doc LIMIT ?3`,
      )
      .bind(from, to, REPORT_PAGES)
      .all<{ query: string; doc: string; choices: number }>(),
    // Per query text, its pages by choices; the report takes each query's first.
    db
      .prepare(
        `SELECT t.text AS query, c.doc AS doc, SUM(c.choices) AS choices
         FROM insight_choices c JOIN insight_texts t ON t.query = c.query
         WHERE c.day BETWEEN ?1 AND ?2 GROUP BY t.text, c.doc ORDER BY query, choices DESC, doc LIMIT ?3`,
      )
      .bind(from, to, REPORT_ROWS)
      .all<{ query: string; doc: string; choices: number }>(),
  ]);
  const firstOf = new Map<string, { query: string; doc: string; choices: number }>();
  for (const row of chosenFor.results)
    if (!firstOf.has(row.query)) firstOf.set(row.query, { query: row.query, doc: row.doc, choices: Number(row.choices) });
  const counted = new Map(perDay.results.map((row) => [row.day, row]));
  const chosen = new Map(choicesPerDay.results.map((row) => [row.day, row.choices]));
  const days: InsightsData["days"] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); dayOf(time) <= to; time += DAY) {
    const day = dayOf(time);
    const row = counted.get(day);
    days.push({ day, searches: Number(row?.searches ?? 0), zero: Number(row?.zero ?? 0), choices: Number(chosen.get(day) ?? 0) });
  }
  return {
    from,
    to,
    minCount,
    days,
    queries: queries.results.map((q) => ({
      query: q.query,
      searches: Number(q.searches),
      zero: Number(q.zero),
      choices: Number(q.choices),
    })),
    pages: pages.results.map((p) => ({ doc: p.doc, anchor: p.anchor, choices: Number(p.choices) })),
    promoted: promoted.results.map((p) => ({ query: p.query, doc: p.doc, choices: Number(p.choices) })),
    chosenFor: [...firstOf.values()],
  };
}

/**
 * The most searched query texts of the days `from` … `to` that found something most of the times they were
 * searched, each searched at least `minCount` times (so only texts the report would show), most searched first.
 */
export async function readPopular(db: InsightsDatabase, from: string, to: string, minCount: number, limit: number): Promise<string[]> {
  await ensureSchema(db);
  const rows = await db
    .prepare(
      `SELECT t.text AS query, SUM(s.searches) AS searches
       FROM (SELECT query, SUM(searches) AS searches, SUM(zero) AS zero FROM insight_searches
             WHERE day BETWEEN ?1 AND ?2 GROUP BY query) s
       JOIN insight_texts t ON t.query = s.query
       GROUP BY t.text HAVING SUM(s.searches) >= ?3 AND SUM(s.zero) * 2 < SUM(s.searches)
       ORDER BY searches DESC, query LIMIT ?4`,
    )
    .bind(from, to, minCount, limit)
    .all<{ query: string; searches: number }>();
  return rows.results.map((row) => row.query);
}
