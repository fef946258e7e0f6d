// Search insights over HTTP: the widget's beacons (a final search, a chosen result), counted searches from the API,
// the report for editors behind a token, and the nightly deletion of old counts.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import { concatBytes } from "../../common/binary.js";
import type { SearchBackend } from "../backend.js";
import type { AppEnv, Bindings } from "../bindings.js";
import { allowOrigin } from "../cors-origins.js";
import { ApiError } from "../errors.js";
import { waitUntil } from "../http-cache.js";
import { promotedFor, searchWithPromotions } from "../promotions.js";
import { MAX_QUERY_LENGTH, SearchQuery, searchRequestOf } from "../schemas.js";
import type { SearchRequest } from "../search/search.js";
import { settingsOf } from "../settings.js";
import { rarelyChosenAction, zeroResultAction } from "./actions.js";
import type { InsightsConfig } from "./config.js";
import { normalQuery, queryKey, sameSecret } from "./query.js";
import { dashboardPage, type ReportedPage, reportCsv, shapeReport } from "./report.js";
import { dayOf, firstDayOf, InsightsRecorder, MAX_PENDING, purgeBefore, readInsights } from "./store.js";

/** One app's insights: its recorder (counts gather here and are written in batches) and whether it warned of no token. */
interface InsightsState {
  recorder: InsightsRecorder;
  warnedNoToken: boolean;
}

/** The report's periods in days; the longest is capped by the retention period. */
const PERIODS = [7, 30, 90] as const;
/** Rows of each list that get suggestions (each costs a few searches and a scan of part of the vocabulary). */
const ACTIONS = 10;
/** Largest beacon body, in bytes. */
const MAX_BODY = 2048;
/** Most bytes of an oversized body read and dropped before the rest is cancelled. */
const MAX_DRAIN = 1 << 20;

/** The answer while {@link MAX_PENDING} rows wait to be written: the client may send again in a second. */
function tooBusy(): ApiError {
  return new ApiError("rate_limited", "Too many insights at once; try again in a second", undefined, { "Retry-After": "1" });
}

/**
 * Counts a final search (the widget's beacon, or a search request with `analytics=true`): unless its `total` is
 * known, runs it for one hit to learn whether it found anything; then adds it to the recorder and writes. Never
 * throws.
 */
async function countSearch(
  { recorder }: InsightsState,
  config: InsightsConfig,
  backend: SearchBackend,
  request: SearchRequest,
  now: number,
  known?: number,
): Promise<void> {
  try {
    const normal = normalQuery(request.q);
    if (normal === "" || !config.token) return;
    // As the reader's search answers it: a query an editor's promotion answers found something.
    const total = known ?? (await searchWithPromotions(backend, { ...request, limit: 1, offset: 0, facets: undefined })).total;
    recorder.add(
      { type: "search", day: dayOf(now), key: await queryKey(normal, config.token), text: normal, zero: total === 0 },
      config.maxRowsPerDay,
    );
    await recorder.flush(config.db, config.minCount, config.flushInterval);
  } catch (error) {
    console.error(JSON.stringify({ event: "insights_count_failed", error: String(error) }));
  }
}

/**
 * With insights on, counts a search request that asks to be counted (`analytics=true`), off the response path;
 * `total` is its answer's when this request computed it (not when the cache answered). Requests that do not
 * ask, the keystrokes of a search as you type, are never counted.
 */
function countApiSearch(state: InsightsState, c: Context<AppEnv>, backend: SearchBackend, request: SearchRequest, total?: number): void {
  const config = settingsOf(c.env).insights;
  if (!config || !fromAllowedPage(c)) return;
  if (state.recorder.pending >= MAX_PENDING) return;
  waitUntil(c, countSearch(state, config, backend, request, Date.now(), total));
}

/**
 * Whether a GET with `analytics=true` may count: from a program (browsers mark their requests with
 * Sec-Fetch-Site), from this site, or from a page of an origin that may count ({@link mayCount}). An image or
 * link on another site's page, which a browser sends without asking anyone, does not count.
 */
function fromAllowedPage(c: Context<AppEnv>): boolean {
  if (!mayCount(c)) return false;
  const site = c.req.header("Sec-Fetch-Site");
  return site === undefined || site === "same-origin" || c.req.header("Origin") !== undefined;
}

/**
 * Whether a browser's request may be counted: one that the browser marks cross-site (`Sec-Fetch-Site: cross-site`,
 * a page on another site) only from an origin that CORS_ORIGINS names, never under `*`, which lets every site read
 * the answers but not count its visitors' searches here; any other request as {@link originAllowed} says.
 */
function mayCount(c: Context<AppEnv>): boolean {
  if (c.req.header("Sec-Fetch-Site") !== "cross-site") return originAllowed(c);
  const origin = c.req.header("Origin");
  const allowed = settingsOf(c.env).corsOrigins;
  return origin !== undefined && !allowed.any && allowOrigin(allowed, origin) !== null;
}

/** The body of a beacon, at most {@link MAX_BODY} bytes, as JSON (sent as text/plain, so no preflight is needed). */
async function readBeacon(c: Context<AppEnv>): Promise<unknown> {
  const declared = Number(c.req.header("Content-Length") ?? "0");
  if (declared > MAX_BODY) throw new ApiError("payload_too_large", `The body must be at most ${MAX_BODY} bytes`);
  const reader = c.req.raw.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY) {
        // The rest is read and dropped, up to a bound, so that the connection is left at the end of the request
        // (answering in the middle of a body left wrangler dev's next request on it hanging); beyond, cancelled.
        for (let drained = 0; drained < MAX_DRAIN; ) {
          const next = await reader.read();
          if (next.done) break;
          drained += next.value.byteLength;
        }
        await reader.cancel().catch(() => {});
        throw new ApiError("payload_too_large", `The body must be at most ${MAX_BODY} bytes`);
      }
      chunks.push(value);
    }
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(concatBytes(chunks)));
  } catch {
    throw new ApiError("invalid_parameter", "The body must be a JSON object in UTF-8");
  }
}

function parseBeacon<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
    throw new ApiError("invalid_parameter", `${param ?? "body"}: ${issue?.message ?? "invalid"}`, param);
  }
  return result.data;
}

/** A search beacon: the search's text and filters, as strings, checked as /search checks its parameters. */
const SearchBeacon = z.strictObject({
  q: z.string().min(1),
  collection: z.string().optional(),
  kind: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  group: z.string().optional(),
});
const ChoiceBeacon = z.strictObject({
  q: z.string().min(1).max(MAX_QUERY_LENGTH),
  doc: z.string().min(1).max(500),
  /** The chosen section's anchor; absent or null for the page itself. */
  section: z.string().min(1).max(300).nullable().optional(),
});

/**
 * Beacons only from origins the API serves: a browser sends its page's origin with a POST, so a page on another
 * site cannot count searches, even without reading the answer. (A program can send anything; the rate limiter
 * bounds what one address sends.)
 */
function checkOrigin(c: Context<AppEnv>): void {
  if (!mayCount(c)) {
    throw new ApiError("forbidden", 'This origin may not send insights: name it in CORS_ORIGINS (under "*", other sites do not count)');
  }
}

/** Whether the request's Origin, if it has one, is this site's own or one CORS_ORIGINS allows. */
function originAllowed(c: Context<AppEnv>): boolean {
  const origin = c.req.header("Origin");
  if (origin === undefined || origin === new URL(c.req.url).origin) return true;
  return allowOrigin(settingsOf(c.env).corsOrigins, origin) !== null;
}

/** The insights configuration of a request, or 404 when insights are off. */
function requireInsights(c: Context<AppEnv>, state?: InsightsState): InsightsConfig {
  const config = settingsOf(c.env).insights;
  if (!config) throw new ApiError("not_found", "Insights are off (INSIGHTS and the INSIGHTS_DB binding; see README)");
  if (!config.token && state && !state.warnedNoToken) {
    state.warnedNoToken = true;
    console.warn(JSON.stringify({ event: "insights_no_token", message: "INSIGHTS_TOKEN is not set: nothing is counted" }));
  }
  return config;
}

/** The report needs the INSIGHTS_TOKEN secret: as a bearer token, or as the password of HTTP Basic authentication. */
async function authorize(c: Context<AppEnv>, config: InsightsConfig): Promise<void> {
  const challenge = { "WWW-Authenticate": 'Basic realm="fundstelle insights", charset="UTF-8"' };
  if (!config.token) throw new ApiError("unauthorized", "Set the INSIGHTS_TOKEN secret to see insights", undefined, challenge);
  const header = c.req.header("Authorization") ?? "";
  let given: string | null = null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (bearer) given = bearer[1] ?? null;
  else if (basic) {
    try {
      const decoded = new TextDecoder().decode(Uint8Array.from(atob(basic[1] ?? ""), (ch) => ch.charCodeAt(0)));
      given = decoded.slice(decoded.indexOf(":") + 1);
    } catch {
      given = null;
    }
  }
  if (given === null || !(await sameSecret(given, config.token))) {
    throw new ApiError("unauthorized", "The insights need the INSIGHTS_TOKEN: Authorization: Bearer <token>", undefined, challenge);
  }
}

/** The report of the last `days` days up to today (UTC), pages titled from the index. */
async function report(config: InsightsConfig, backend: SearchBackend, days: number) {
  const now = Date.now();
  const to = dayOf(now);
  const from = firstDayOf(now, days);
  const data = await readInsights(config.db, from, to, config.minCount);
  // The pages' titles and headings, looked up together (through a router, each lookup asks every shard).
  const pages: ReportedPage[] = await Promise.all(
    data.pages.map(async (page) => {
      const doc = await backend.document(page.doc).catch(() => null);
      const section = doc?.sections.find((s) => page.anchor !== "" && s.anchor === page.anchor);
      return {
        doc: page.doc,
        anchor: page.anchor || null,
        title: doc?.title ?? page.doc,
        heading: section?.heading ?? "",
        choices: page.choices,
      };
    }),
  );
  const titles = new Map<string, string>();
  await Promise.all(
    [...new Set(data.promoted.map((p) => p.doc))].map(async (id) => {
      const doc = await backend.document(id).catch(() => null);
      if (doc) titles.set(id, doc.title);
    }),
  );
  const shaped = shapeReport(data, pages, titles);
  // What to do about each query without results or with results rarely chosen: near words and ready lines.
  const chosen = new Map(data.chosenFor.map((row) => [row.query, row.doc]));
  await Promise.all([
    ...shaped.topZeroQueries.slice(0, ACTIONS).map(async (row) => {
      row.action = await zeroResultAction(backend, row.query).catch(() => undefined);
    }),
    ...shaped.rarelyChosen.slice(0, ACTIONS).map(async (row) => {
      row.action = await rarelyChosenAction(backend, row.query, chosen.get(row.query)).catch(() => undefined);
    }),
  ]);
  return { data, report: shaped };
}

function period(c: Context<AppEnv>, config: InsightsConfig): number {
  const value = c.req.query("days");
  if (value === undefined || value === "") return 30;
  const n = Number(value);
  if (!PERIODS.includes(n as (typeof PERIODS)[number])) throw new ApiError("invalid_parameter", "days must be 7, 30 or 90", "days");
  return Math.min(n, config.retentionDays);
}

/** An app's search insights: the routes to add to it, and the counting of its API's searches that ask for it. */
export interface SearchInsights {
  /** Adds the insights routes (each answers 404 while insights are off). */
  routes(app: OpenAPIHono<AppEnv>): void;
  /**
   * With insights on, counts a search request that asks to be counted (`analytics=true`), off the response path;
   * `total` is its answer's when this request computed it (not when the cache answered). Requests that do not
   * ask, the keystrokes of a search as you type, are never counted.
   */
  countApiSearch(c: Context<AppEnv>, request: SearchRequest, total?: number): void;
}

/** The search insights of an app over `backend`: one recorder per app (an isolate has one app), no module state. */
export function searchInsights(backend: SearchBackend): SearchInsights {
  const state: InsightsState = { recorder: new InsightsRecorder(), warnedNoToken: false };
  return {
    routes: (app) => {
      beaconRoutes(app, backend, state);
      reportRoutes(app, backend);
    },
    countApiSearch: (c, request, total) => countApiSearch(state, c, backend, request, total),
  };
}

/** POST /insights/search and /insights/choice: the widget's beacons, counted in batches. */
function beaconRoutes(app: OpenAPIHono<AppEnv>, backend: SearchBackend, state: InsightsState): void {
  const { recorder } = state;
  app.post("/insights/search", async (c) => {
    const config = requireInsights(c, state);
    checkOrigin(c);
    const fields = parseBeacon(SearchBeacon, await readBeacon(c));
    const beacon = parseBeacon(SearchQuery.pick({ q: true, collection: true, kind: true, from: true, to: true, group: true }), fields);
    if (normalQuery(beacon.q) === "") throw new ApiError("invalid_parameter", "q holds no word that is searched", "q");
    if (recorder.pending >= MAX_PENDING) throw tooBusy();
    const request = searchRequestOf({ ...beacon, limit: 1 });
    waitUntil(c, countSearch(state, config, backend, request, Date.now()));
    return c.body(null, 204, { "Cache-Control": "no-store" });
  });

  app.post("/insights/choice", async (c) => {
    const config = requireInsights(c, state);
    checkOrigin(c);
    const beacon = parseBeacon(ChoiceBeacon, await readBeacon(c));
    const normal = normalQuery(beacon.q);
    if (normal === "") throw new ApiError("invalid_parameter", "q holds no word that is searched", "q");
    const doc = await backend.document(beacon.doc);
    if (!doc) throw new ApiError("invalid_parameter", "doc names no page of this index", "doc");
    const anchor = beacon.section ?? "";
    if (anchor !== "" && !doc.sections.some((s) => s.anchor === anchor)) {
      throw new ApiError("invalid_parameter", "section names no section of this page", "section");
    }
    if (config.token) {
      const added = recorder.add(
        {
          type: "choice",
          day: dayOf(Date.now()),
          key: await queryKey(normal, config.token),
          doc: doc.id,
          anchor,
          // Told by the index, not by the client: whether the editors promote this page for this query.
          promoted: promotedFor(await backend.info(), beacon.q).includes(doc.id),
        },
        config.maxRowsPerDay,
      );
      if (!added) throw tooBusy();
      waitUntil(c, recorder.flush(config.db, config.minCount, config.flushInterval));
    }
    return c.body(null, 204, { "Cache-Control": "no-store" });
  });
}

/** GET /insights (the dashboard), /insights.json and /insights.csv, for the holder of the token. */
function reportRoutes(app: OpenAPIHono<AppEnv>, backend: SearchBackend): void {
  app.get("/insights", async (c) => {
    const config = requireInsights(c);
    await authorize(c, config);
    const days = period(c, config);
    const { report: shaped } = await report(config, backend, days);
    c.header("Cache-Control", "no-store");
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    return c.html(
      dashboardPage(
        shaped,
        PERIODS.filter((n) => n <= config.retentionDays),
        days,
      ),
    );
  });

  app.get("/insights.json", async (c) => {
    const config = requireInsights(c);
    await authorize(c, config);
    const { report: shaped } = await report(config, backend, period(c, config));
    return c.json(shaped, 200, { "Cache-Control": "no-store" });
  });

  app.get("/insights.csv", async (c) => {
    const config = requireInsights(c);
    await authorize(c, config);
    const table = c.req.query("table") ?? "queries";
    if (table !== "queries" && table !== "days" && table !== "pages") {
      throw new ApiError("invalid_parameter", "table must be queries, days or pages", "table");
    }
    const days = period(c, config);
    const { data, report: shaped } = await report(config, backend, days);
    return c.body(reportCsv(shaped, data, table), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="fundstelle-insights-${table}-${shaped.to}.csv"`,
      "Cache-Control": "no-store",
    });
  });
}

/**
 * The cron trigger's work: deletes the counts older than the retention period. Does nothing while insights are
 * off.
 */
export async function purgeInsights(env: Partial<Bindings> | undefined, scheduledTime: number): Promise<void> {
  const config = settingsOf(env).insights;
  if (!config) return;
  await purgeBefore(config.db, firstDayOf(scheduledTime, config.retentionDays), config.minCount);
}
