// Search insights inside workerd, on the real D1 (SQLite) under Miniflare: counting, the k threshold, what is
// stored, bad beacons, authentication, retention, and that a failing database never fails a search.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import type { InsightsDatabase } from "../../worker/bindings.js";
import worker from "../../worker/index.js";
import type { InsightsReport } from "../../worker/insights/report.js";
import { dayOf, SCHEMA } from "../../worker/insights/store.js";
import type { SearchResponse } from "../../worker/search/search.js";

const SEED = "auswaertiges-amt/deutschland-kasachstan";
const TOKEN = "ein-langes-geheimnis";
const db = (env as unknown as { INSIGHTS_DB: InsightsDatabase }).INSIGHTS_DB;
// Writes at once (no batching interval), so that each call's counts are in the database when it returns.
const ON = {
  ...env,
  INSIGHTS: "true",
  INSIGHTS_TOKEN: TOKEN,
  INSIGHTS_MIN_COUNT: "3",
  INSIGHTS_RETENTION_DAYS: "90",
  INSIGHTS_FLUSH_MS: "0",
};

/** A request to the worker with `bindings`, waiting for its work after the response (the writes) to finish. */
async function call(path: string, init: RequestInit = {}, bindings: Record<string, unknown> = ON): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`http://localhost${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const beacon = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Content-Type": "text/plain", ...headers },
  });

const bearer = { Authorization: `Bearer ${TOKEN}` };

async function report(days = 7): Promise<InsightsReport> {
  const response = await call(`/insights.json?days=${days}`, { headers: bearer });
  expect(response.status).toBe(200);
  return (await response.json()) as InsightsReport;
}

async function rows<T>(sql: string): Promise<T[]> {
  return (await db.prepare(sql).all<T>()).results;
}

beforeEach(async () => {
  await db.batch(SCHEMA.map((sql) => db.prepare(sql)));
  await db.batch(
    ["insight_searches", "insight_texts", "insight_choices", "insight_promoted"].map((table) => db.prepare(`DELETE FROM ${table}`)),
  );
});

describe("search insights", () => {
  it("are off by default: every insights route answers 404 and nothing is stored", async () => {
    for (const [path, init] of [
      ["/insights", {}],
      ["/insights.json", { headers: bearer }],
      ["/insights.csv", { headers: bearer }],
      ["/insights/search", { method: "POST", body: '{"q":"Kasachstan"}' }],
    ] as const) {
      const response = await call(path, init, env as unknown as Record<string, unknown>);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    // INSIGHTS = "true" without the database binding is off too.
    const { INSIGHTS_DB: _, ...unbound } = ON as Record<string, unknown>;
    expect((await call("/insights.json", { headers: bearer }, unbound)).status).toBe(404);
    expect(await rows("SELECT * FROM insight_searches")).toEqual([]);
  });

  it("count final searches per day, with and without results, and report a query's text only from k searches on", async () => {
    for (let i = 0; i < 3; i++) expect((await beacon("/insights/search", { q: "Kasachstan" })).status).toBe(204);
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Xylophonmuseum Quakenbrück" });
    // Two searches in the normal form "handel": below k = 3.
    await beacon("/insights/search", { q: "Handel" });
    await beacon("/insights/search", { q: "Wie ist der HANDEL?" });
    const r = await report();
    expect(r.totals).toMatchObject({ searches: 8, zero: 3 });
    expect(r.days.at(-1)).toMatchObject({ day: dayOf(Date.now()), searches: 8, zero: 3 });
    expect(r.days).toHaveLength(7);
    expect(r.topQueries.map((q) => [q.query, q.searches, q.zero])).toEqual([
      ["kasachstan", 3, 0],
      ["xylophonmuseum quakenbrück", 3, 3],
    ]);
    expect(r.topZeroQueries.map((q) => q.query)).toEqual(["xylophonmuseum quakenbrück"]);
    // What is stored: counts under keyed hashes, and texts only of queries searched k times; "handel" is not there.
    const texts = await rows<{ text: string }>("SELECT text FROM insight_texts ORDER BY text");
    expect(texts.map((t) => t.text)).toEqual(["kasachstan", "xylophonmuseum quakenbrück"]);
    const searches = await rows<Record<string, unknown>>("SELECT * FROM insight_searches");
    expect(searches).toHaveLength(3);
    for (const row of searches) {
      expect(Object.keys(row).sort()).toEqual(["day", "query", "searches", "zero"]);
      expect(row.query).toMatch(/^[0-9a-f]{32}$/);
    }
    // The third search makes the text known.
    await beacon("/insights/search", { q: "handel" });
    expect((await report()).topQueries.map((q) => q.query)).toContain("handel");
  });

  it("count a search request only when it asks (analytics=true), never a search as you type", async () => {
    expect((await call("/search?q=Kasachstan")).status).toBe(200);
    expect((await call("/search?q=Kasach")).status).toBe(200);
    expect((await report()).totals.searches).toBe(0);
    const counted = await call("/search?q=Kasachstan&analytics=true");
    expect(counted.status).toBe(200);
    // Never cached: a cached answer would not be counted, and the edge's HIT would tell others it was searched.
    expect(counted.headers.get("Cache-Control")).toBe("no-store");
    expect(counted.headers.get("ETag")).toBeNull();
    expect((await call("/search?q=Kasachstan")).headers.get("Cache-Control")).toMatch(/^public, max-age=/);
    expect(((await counted.json()) as { total: number }).total).toBeGreaterThan(0);
    expect((await report()).totals).toMatchObject({ searches: 1, zero: 0 });
    // An image on another site's page, which a browser loads without asking: not counted.
    const drive = await call("/search?q=Handel&analytics=true", {
      headers: { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors" },
    });
    expect(drive.status).toBe(200);
    // From this site it is; from a page of another site under CORS_ORIGINS "*" it is not (five such requests once put
    // "fremdseite zaehlt" on the report), only from an origin CORS_ORIGINS names.
    await call("/search?q=Handel&analytics=true", { headers: { "Sec-Fetch-Site": "same-origin" } });
    const crossSite = { headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://www.example.org" } };
    for (let i = 0; i < 5; i++) await call("/search?q=fremdseite%20zaehlt&analytics=true", crossSite);
    expect((await report()).totals.searches).toBe(2);
    const restricted = { ...ON, CORS_ORIGINS: "https://www.example.org" };
    await call("/search?q=Handel&analytics=true", crossSite, restricted);
    expect((await report()).totals.searches).toBe(3);
    // A request naming an origin CORS_ORIGINS does not allow is not counted, browser or not.
    await call("/search?q=Handel&analytics=true", { headers: { Origin: "https://fremd.example" } }, restricted);
    expect((await report()).totals.searches).toBe(3);
  });

  it("count chosen pages and sections, and report the most chosen with their titles", async () => {
    const doc = (await (await call(`/documents/${encodeURIComponent(SEED)}`)).json()) as { sections: { anchor: string | null }[] };
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Kasachstan Handel" });
    for (let i = 0; i < 2; i++) expect((await beacon("/insights/choice", { q: "Kasachstan Handel", doc: SEED })).status).toBe(204);
    const r = await report();
    expect(r.totals.choices).toBe(2);
    expect(r.topPages).toEqual([
      { doc: SEED, anchor: null, title: "Deutschland und Kasachstan: bilaterale Beziehungen", heading: "", choices: 2 },
    ]);
    expect(r.topQueries[0]).toMatchObject({ query: "kasachstan handel", searches: 3, choices: 2 });
    expect(r.rarelyChosen[0]).toMatchObject({ query: "kasachstan handel", choiceRate: 0.667 });
    // The seed page has no headings: no section of it can be named.
    expect(doc.sections.every((s) => s.anchor === null)).toBe(true);
  });

  it("refuse bad beacons with a 4xx and store nothing", async () => {
    const cases: [string, unknown, number, Record<string, string>?][] = [
      ["/insights/choice", { q: "Kasachstan", doc: "gibt/es-nicht" }, 400],
      ["/insights/choice", { q: "Kasachstan", doc: SEED, section: "keine-solche" }, 400],
      ["/insights/choice", { q: "der die das", doc: SEED }, 400],
      ["/insights/search", "{kein json", 400],
      ["/insights/search", "[]", 400],
      ["/insights/search", { q: "Kasachstan", extra: 1 }, 400],
      ["/insights/search", { q: "x".repeat(257) }, 400],
      ["/insights/search", { q: "Kasachstan", pad: "x".repeat(3000) }, 413],
      ["/insights/search", { q: "Kasachstan" }, 403, { Origin: "https://fremd.example" }],
      // Checked as /search checks its parameters.
      ["/insights/search", { q: "Kasachstan", from: "2024-13-45" }, 400],
      ["/insights/search", { q: "Kasachstan", group: "seite" }, 400],
    ];
    const restricted = { ...ON, CORS_ORIGINS: "https://www.example.org" };
    for (const [path, body, status, headers] of cases) {
      const response = await call(
        path,
        {
          method: "POST",
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "Content-Type": "text/plain", ...headers },
        },
        restricted,
      );
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/);
    }
    expect((await call("/insights/search", { method: "GET" })).status).toBe(405);
    expect((await call("/search?q=Kasachstan", { method: "POST" })).status).toBe(405);
    // The allowed origin may, and so may the API's own pages (the demo page) whatever CORS_ORIGINS says.
    const own = { method: "POST", body: '{"q":"Kasachstan"}', headers: { Origin: "http://localhost" } };
    expect((await call("/insights/search", own, restricted)).status).toBe(204);
    expect(
      (
        await call(
          "/insights/search",
          { method: "POST", body: '{"q":"Kasachstan"}', headers: { Origin: "https://www.example.org" } },
          restricted,
        )
      ).status,
    ).toBe(204);
    // Under CORS_ORIGINS "*", a page on another site may read answers but not send beacons.
    const evil = {
      method: "POST",
      body: '{"q":"fremdseite zaehlt"}',
      headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    };
    expect((await call("/insights/search", evil)).status).toBe(403);
    expect((await rows<{ n: number }>("SELECT SUM(searches) AS n FROM insight_searches"))[0]?.n).toBe(2);
    expect(await rows("SELECT * FROM insight_choices")).toEqual([]);
  });

  it("answer any body a client can send with 204 or a JSON 4xx, never a 5xx (property)", async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json({ maxDepth: 3 }),
      fc.record(
        { q: fc.string({ maxLength: 300 }), doc: fc.oneof(fc.constant(SEED), fc.string()), section: fc.option(fc.string()) },
        { requiredKeys: [] },
      ),
      fc.record({ q: fc.string(), collection: fc.string(), from: fc.string(), group: fc.string() }, { requiredKeys: ["q"] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/insights/search", "/insights/choice"), body, async (path, value) => {
        const response = await call(path, { method: "POST", body: typeof value === "string" ? value : JSON.stringify(value) });
        expect([204, 400, 413]).toContain(response.status);
        if (response.status !== 204) expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 150 },
    );
  });

  it("limit a flood from one address with 429, and count nothing beyond the limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push((await beacon("/insights/search", { q: "Kasachstan" }, { "CF-Connecting-IP": "198.51.100.77" })).status);
    }
    const accepted = statuses.filter((s) => s === 204).length;
    expect(statuses.slice(accepted).every((s) => s === 429)).toBe(true);
    expect(accepted).toBeLessThan(14);
    expect((await report()).totals.searches).toBe(accepted);
  });

  it("need the token: 401 without it or with a wrong one, as bearer token or HTTP Basic password", async () => {
    const none = await call("/insights");
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toMatch(/^Basic realm=/);
    expect((await call("/insights.json", { headers: { Authorization: "Bearer falsch" } })).status).toBe(401);
    expect((await call("/insights.json", { headers: { Authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await call("/insights.csv", { headers: { Authorization: `Basic ${btoa("x:falsch")}` } })).status).toBe(401);
    const basic = await call("/insights", { headers: { Authorization: `Basic ${btoa(`redaktion:${TOKEN}`)}` } });
    expect(basic.status).toBe(200);
    expect(basic.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(basic.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const html = await basic.text();
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script/i);
    // Without the secret set, the report cannot be opened at all.
    const { INSIGHTS_TOKEN: _, ...tokenless } = ON;
    expect((await call("/insights.json", { headers: bearer }, tokenless)).status).toBe(401);
    expect((await call("/insights.json?days=12", { headers: bearer })).status).toBe(400);
  });

  it("export CSV with formulas defused", async () => {
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "-Kasachstan" });
    const response = await call("/insights.csv", { headers: bearer });
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(await response.text()).toBe("query,searches,zero_results,choices\r\n'-kasachstan,3,3,0\r\n");
    const days = await (await call("/insights.csv?table=days&days=7", { headers: bearer })).text();
    expect(days.split("\r\n")[0]).toBe("day,searches,zero_results,choices");
    expect(days.trim().split("\r\n")).toHaveLength(8);
  });

  it("delete counts older than the retention period on the cron trigger, and texts nothing refers to", async () => {
    const now = Date.now();
    const old = dayOf(now - 90 * 86_400_000);
    const kept = dayOf(now - 89 * 86_400_000);
    await db.batch([
      db.prepare("INSERT INTO insight_searches VALUES ('aaaa', ?1, 5, 0)").bind(old),
      db.prepare("INSERT INTO insight_texts VALUES ('aaaa', 'alt')"),
      db.prepare("INSERT INTO insight_searches VALUES ('bbbb', ?1, 5, 1)").bind(kept),
      db.prepare("INSERT INTO insight_texts VALUES ('bbbb', 'noch da')"),
      db.prepare("INSERT INTO insight_searches VALUES ('cccc', ?1, 2, 0)").bind(kept),
      db.prepare("INSERT INTO insight_searches VALUES ('cccc', ?1, 4, 0)").bind(old),
      db.prepare("INSERT INTO insight_texts VALUES ('cccc', 'zu selten')"),
      db.prepare("INSERT INTO insight_choices VALUES (?1, 'aaaa', ?2, '', 2)").bind(old, SEED),
    ]);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 3 * * *" }), ON, ctx);
    await waitOnExecutionContext(ctx);
    expect(await rows<{ query: string }>("SELECT query FROM insight_searches ORDER BY query")).toEqual([
      { query: "bbbb" },
      { query: "cccc" },
    ]);
    // "alt" has no counts left and "zu selten" 2 < k: their texts go; "noch da" still has 5 ≥ k.
    expect(await rows<{ text: string }>("SELECT text FROM insight_texts")).toEqual([{ text: "noch da" }]);
    expect(await rows("SELECT * FROM insight_choices")).toEqual([]);
    // Off: the trigger touches nothing.
    const off = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: now + 365 * 86_400_000 }), env as never, off);
    await waitOnExecutionContext(off);
    expect(await rows("SELECT day FROM insight_searches")).toHaveLength(2);
  });

  it("write the events of one interval in one batch, each distinct row once", async () => {
    const batches: number[] = [];
    // The real database, with its batches counted.
    const counted: InsightsDatabase = {
      prepare: (sql) => db.prepare(sql),
      batch: (statements) => {
        batches.push(statements.length);
        return db.batch(statements);
      },
    };
    const bindings = { ...ON, INSIGHTS_DB: counted, INSIGHTS_FLUSH_MS: "1000" };
    const send = (q: string) =>
      worker.fetch(new Request("http://localhost/insights/search", { method: "POST", body: JSON.stringify({ q }) }), bindings, ctx);
    const ctx = createExecutionContext();
    // The first event after a quiet spell is written at once; the next ones wait for the interval and go together.
    await send("Kasachstan");
    await expect.poll(() => batches.length).toBe(1);
    for (const q of ["Kasachstan", "Kasachstan", "Handel", "Kasachstan Handel"]) expect((await send(q)).status).toBe(204);
    await waitOnExecutionContext(ctx);
    // The first write, then one write of three distinct rows (two statements each).
    expect(batches).toEqual([2, 6]);
    expect((await rows<{ n: number }>("SELECT SUM(searches) AS n FROM insight_searches"))[0]?.n).toBe(5);
  });

  it("never fail a search or a beacon when the database fails", async () => {
    const failing = {
      prepare: () => {
        throw new Error("D1 is down");
      },
      batch: () => Promise.reject(new Error("D1 is down")),
    };
    const broken = { ...ON, INSIGHTS_DB: failing };
    const search = await call("/search?q=Kasachstan&analytics=true", {}, broken);
    expect(search.status).toBe(200);
    expect(((await search.json()) as { total: number }).total).toBeGreaterThan(0);
    expect((await call("/insights/search", { method: "POST", body: '{"q":"Kasachstan"}' }, broken)).status).toBe(204);
    expect((await call("/insights/choice", { method: "POST", body: JSON.stringify({ q: "Kasachstan", doc: SEED }) }, broken)).status).toBe(
      204,
    );
  });
});

describe("insights that say what to do", () => {
  it("count the choices of a promoted page apart, as the index (not the client) says it is promoted", async () => {
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Beziehungen zu Kasachstan" });
    await beacon("/insights/choice", { q: "Beziehungen zu Kasachstan", doc: SEED });
    await beacon("/insights/choice", { q: "Kasachstan Beziehungen", doc: SEED });
    // The same page for a query it is not promoted for: a choice, not a promoted one.
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Kasachstan Handel" });
    await beacon("/insights/choice", { q: "Kasachstan Handel", doc: SEED });
    const r = await report();
    expect(r.totals.choices).toBe(3);
    // Both choices were of the promoted page; only the query searched k times is reported by its text.
    expect(r.promoted).toEqual([
      { query: "beziehungen kasachstan", doc: SEED, title: "Deutschland und Kasachstan: bilaterale Beziehungen", choices: 1 },
    ]);
    expect(await rows<{ choices: number }>("SELECT choices FROM insight_promoted")).toHaveLength(2);
    const page = await (await call("/insights?days=7", { headers: bearer })).text();
    expect(page).toContain("Empfohlene Ergebnisse");
  });

  it("offer for a query without results the corpus's nearest words and the lines to copy, and a promotion for a rarely chosen one", async () => {
    // "Fachschulen": the corpus says "Fachhochschulen" (a compound holding its head and tail); nothing else matches.
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Fachschulen" });
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Kasachstan Handel" });
    const r = await report();
    const zero = r.topZeroQueries.find((q) => q.query === "fachschulen");
    expect(zero?.action?.findsNow).toBe(false);
    expect(zero?.action?.near).toEqual([
      { word: "fachschulen", nearest: [expect.objectContaining({ word: "Fachhochschulen", how: "compound" })] },
    ]);
    expect(zero?.action?.synonyms).toBe("fachschulen => Fachhochschulen");
    expect(zero?.action?.promotion).toMatch(/^fachschulen => wikipedia\/xquad-de\//);
    const rare = r.rarelyChosen.find((q) => q.query === "kasachstan handel");
    expect(rare?.action?.promotion).toBe(`kasachstan handel => ${SEED}`);
    const page = await (await call("/insights?days=7", { headers: bearer })).text();
    expect(page).toContain("<pre>fachschulen =&gt; Fachhochschulen</pre>");
    expect(page).toContain("promotions.txt");
  });

  it("offer a search without results the site's popular queries that find something, never one that did not", async () => {
    // Its own database object: the popular queries are kept per database for ten minutes.
    const own = { prepare: db.prepare.bind(db), batch: db.batch.bind(db) } as InsightsDatabase;
    const bindings = { ...ON, INSIGHTS_DB: own };
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Kasachstan" });
    for (let i = 0; i < 3; i++) await beacon("/insights/search", { q: "Xylophonquartett" });
    const answer = (await (await call("/search?q=Xylophonquartett", {}, bindings)).json()) as SearchResponse;
    expect(answer.total).toBe(0);
    expect(answer.help).toEqual({ links: [], popular: ["kasachstan"] });
    // A search that finds something has no help.
    const found = (await (await call("/search?q=Kasachstan", {}, bindings)).json()) as SearchResponse;
    expect(found.help).toBeUndefined();
    // Insights off: nothing to offer, no help (another query: the edge cache keeps answers per deployment).
    const off = (await (await call("/search?q=Xylophonsextett", {}, env as unknown as Record<string, unknown>)).json()) as SearchResponse;
    expect(off.help).toBeUndefined();
  });
});
