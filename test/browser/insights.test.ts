// Search insights end to end: `wrangler dev` with insights on and a local D1 seeded with a week of counts, the
// dashboard in Chromium (no JavaScript needed, no accessibility violations, a screenshot), and the demo page's
// widget counting a reader's final search into the same database.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf, SCHEMA } from "../../worker/insights/store.js";
import { CHROMIUM_ARGS, chromiumPath, startWranglerDev, type WranglerDev, writeInsightsConfig } from "./servers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = `${ROOT}test-output/insights/`;
const TOKEN = "redaktion-geheim-0815";
const SEED = "auswaertiges-amt/deutschland-kasachstan";
const executablePath = chromiumPath();

/** A week of counts: queries under made-up keys (the report joins keys to texts), with and without results, and choices. */
function seedSql(): string {
  const now = Date.now();
  const day = (ago: number) => dayOf(now - ago * 86_400_000);
  const queries: [string, string, number[], number][] = [
    // key, text, searches per day (6 days ago … today), of which without results per day
    ["k1", "kasachstan", [4, 6, 5, 8, 7, 3, 5], 0],
    ["k2", "visum kasachstan", [2, 3, 1, 4, 2, 2, 3], 0],
    ["k3", "wohngeld antrag", [1, 2, 2, 1, 3, 2, 1], 1],
    ["k4", "hundesteuer", [0, 1, 1, 0, 2, 1, 1], 1],
    ["k5", "einmal gesucht", [0, 0, 1, 0, 0, 0, 0], 0],
  ];
  const lines = SCHEMA.map((sql) => `${sql.replace(/\s+/g, " ")};`);
  for (const [key, text, perDay, zeroShare] of queries) {
    perDay.forEach((n, i) => {
      if (n > 0) lines.push(`INSERT INTO insight_searches VALUES ('${key}', '${day(6 - i)}', ${n}, ${zeroShare ? n : 0});`);
    });
    // A text is stored only once searched k times: "einmal gesucht" never was.
    if (perDay.reduce((a, b) => a + b, 0) >= 3) lines.push(`INSERT INTO insight_texts VALUES ('${key}', '${text}');`);
  }
  for (let ago = 0; ago < 7; ago++) {
    lines.push(`INSERT INTO insight_choices VALUES ('${day(ago)}', 'k1', '${SEED}', '', ${ago + 2});`);
    if (ago % 2 === 0) lines.push(`INSERT INTO insight_choices VALUES ('${day(ago)}', 'k2', 'wikipedia/xquad-de/Rhine', '', 1);`);
  }
  return `${lines.join("\n")}\n`;
}

describe.skipIf(!executablePath)("search insights in Chromium", () => {
  let server: WranglerDev;
  let browser: Browser;

  beforeAll(async () => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    writeInsightsConfig(DIR, 3);
    writeFileSync(`${DIR}seed.sql`, seedSql());
    const seeded = spawnSync(
      process.execPath,
      [
        `${ROOT}node_modules/wrangler/bin/wrangler.js`,
        "d1",
        "execute",
        "INSIGHTS_DB",
        "--local",
        "--persist-to",
        `${DIR}state`,
        "-c",
        `${DIR}wrangler.toml`,
        "--file",
        `${DIR}seed.sql`,
        "--yes",
      ],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } },
    );
    if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stdout}\n${seeded.stderr}`);
    server = await startWranglerDev(["-c", `${DIR}wrangler.toml`, "--persist-to", `${DIR}state`, "--var", `INSIGHTS_TOKEN:${TOKEN}`]);
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows a seeded week without JavaScript, to the token only, and passes axe", async () => {
    expect((await fetch(`${server.origin}/insights?days=7`)).status).toBe(401);
    const context = await browser.newContext({
      viewport: { width: 1100, height: 900 },
      locale: "de-DE",
      javaScriptEnabled: false,
      httpCredentials: { username: "redaktion", password: TOKEN },
    });
    const page = await context.newPage();
    const response = await page.goto(`${server.origin}/insights?days=7`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("h1").textContent()).toBe("Suchanalyse");
    expect(await page.locator(".card b").first().textContent()).toBe("74");
    // One bar pair per day; the query searched once is in the totals only.
    expect(await page.locator("svg g").count()).toBe(7);
    const topQueries = page.locator("h2:has-text('Häufigste Suchanfragen') + table tbody tr td:first-child");
    expect(await topQueries.allTextContents()).toEqual(["kasachstan", "visum kasachstan", "wohngeld antrag", "hundesteuer"]);
    const zero = page.locator("h2:has-text('Suchanfragen ohne Treffer') + table tbody tr td:first-child");
    expect(await zero.locator(":scope > q").allTextContents()).toEqual(["wohngeld antrag", "hundesteuer"]);
    // Neither has a near word in the sample corpus: the report says so (a gap in the content, not a spelling).
    expect(await zero.locator(".action").allTextContents()).toEqual(["kein ähnliches Wort im Bestand", "kein ähnliches Wort im Bestand"]);
    const pages = page.locator("h2:has-text('Meistgewählte Seiten') + table tbody tr td:first-child");
    expect(await pages.first().textContent()).toContain("Deutschland und Kasachstan: bilaterale Beziehungen");
    expect(await page.content()).not.toContain("einmal gesucht");
    mkdirSync(`${ROOT}test-output`, { recursive: true });
    await page.screenshot({ path: `${ROOT}test-output/insights.png`, fullPage: true });
    await context.close();

    // axe needs scripts: the same page with JavaScript on, in both schemes.
    for (const colorScheme of ["light", "dark"] as const) {
      const withScripts = await browser.newContext({ httpCredentials: { username: "r", password: TOKEN }, bypassCSP: true, colorScheme });
      const axePage = await withScripts.newPage();
      await axePage.goto(`${server.origin}/insights?days=7`);
      await axePage.addScriptTag({ content: readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, "utf8") });
      const violations = await axePage.evaluate(async () => {
        const { axe, document } = globalThis as unknown as {
          axe: { run: (context: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
          document: unknown;
        };
        return (await axe.run(document)).violations.map((v) => ({ id: v.id, nodes: v.nodes.length }));
      });
      expect(violations, colorScheme).toEqual([]);
      if (colorScheme === "dark") await axePage.screenshot({ path: `${ROOT}test-output/insights-dark.png`, fullPage: true });
      await withScripts.close();
    }
  });

  it("counts the final search of a reader of the demo page, and the report shows it once searched k times", async () => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const before = (await (await fetch(`${server.origin}/insights.json?days=7`, { headers })).json()) as { totals: { searches: number } };
    const context = await browser.newContext({ locale: "de-DE" });
    const page = await context.newPage();
    // Three readers (a page counts each query once, however often it is searched again there).
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.origin}/`);
      // The demo page's widget sends insights when they are on.
      expect(await page.locator("fundstelle-search").getAttribute("insights")).toBe("");
      const input = page.locator("fundstelle-search input[role=combobox]");
      await input.pressSequentially("Zentralasien", { delay: 10 });
      await page.locator('fundstelle-search [role=listbox][data-query="Zentralasien"] [role=option].hit').first().waitFor();
      const sent = page.waitForResponse((r) => r.url().endsWith("/insights/search"));
      await input.press("Enter");
      expect((await sent).status()).toBe(204);
    }
    await expect
      .poll(async () => {
        const report = (await (await fetch(`${server.origin}/insights.json?days=7`, { headers })).json()) as {
          totals: { searches: number };
          topQueries: { query: string; searches: number }[];
        };
        return { added: report.totals.searches - before.totals.searches, query: report.topQueries.find((q) => q.query === "zentralasien") };
      })
      .toEqual({ added: 3, query: expect.objectContaining({ searches: 3, zero: 0 }) });
    await context.close();
  });

  it("refuses an oversized beacon sent in chunks with 413, and the next requests are answered", async () => {
    const piece = new TextEncoder().encode("x".repeat(10_000));
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(piece);
        controller.close();
      },
    });
    const big = await fetch(`${server.origin}/insights/search`, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(big.status).toBe(413);
    // Cancelling the rest of such a body once left wrangler dev's next request hanging.
    expect((await fetch(`${server.origin}/search?q=Handel`, { signal: AbortSignal.timeout(20_000) })).status).toBe(200);
    const next = await fetch(`${server.origin}/insights/search`, {
      method: "POST",
      body: '{"q":"Handel"}',
      signal: AbortSignal.timeout(20_000),
    });
    expect(next.status).toBe(204);
  });
});
