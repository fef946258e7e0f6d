// The widget in headless Chromium against `wrangler dev`: typing, keyboard, Escape, another origin, accessibility.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumPath, startPageServer, startWranglerDev, type WranglerDev } from "./servers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const executablePath = chromiumPath();
if (!executablePath) {
  const message = "Chromium not found: browser tests need it (apt-get install chromium, or set CHROMIUM_PATH).";
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`${message} Skipping the browser tests.`);
}

describe.skipIf(!executablePath)("the widget in Chromium", () => {
  let server: WranglerDev;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await startWranglerDev();
    // The first request parses the index in a fresh isolate; warm it so timings measure the widget.
    await fetch(`${server.origin}/search?q=warm`);
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openPage(url: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: "de-DE", ...options });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${url}: ${message.text()}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${url}: ${error.message}`));
    await page.goto(url);
    return page;
  }

  async function typeQuery(page: Page, text: string): Promise<number> {
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.click();
    await input.fill("");
    await input.pressSequentially(text, { delay: 30 });
    const typed = Date.now();
    await page.locator("fundstelle-search [role=option].hit mark").first().waitFor({ timeout: 1000 });
    return Date.now() - typed;
  }

  it("shows results with <mark> within a second of typing 'Kasach'", async () => {
    const page = await openPage(`${server.origin}/`);
    const elapsed = await typeQuery(page, "Kasach");
    expect(elapsed).toBeLessThan(1000);
    const firstTitle = await page.locator("fundstelle-search [role=option].hit .title").first().textContent();
    expect(firstTitle).toBe("Deutschland und Kasachstan: bilaterale Beziehungen");
    expect(await page.locator("fundstelle-search [role=status]").textContent()).toMatch(/\d+ Treffer/);
    mkdirSync(`${ROOT}test-output`, { recursive: true });
    await page.screenshot({ path: `${ROOT}test-output/widget-results.png`, fullPage: true });
    await page.context().close();
  });

  it("moves the active option with the arrow keys and follows it with Enter", async () => {
    const page = await openPage(`${server.origin}/`);
    await typeQuery(page, "Kasachstan Handel");
    const input = page.locator("fundstelle-search input[role=combobox]");
    const options = page.locator("fundstelle-search [role=option]");
    await input.press("ArrowDown");
    const firstId = await options.nth(0).getAttribute("id");
    expect(await input.getAttribute("aria-activedescendant")).toBe(firstId);
    expect(await options.nth(0).getAttribute("aria-selected")).toBe("true");
    await input.press("ArrowDown");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await options.nth(1).getAttribute("id"));
    expect(await options.nth(0).getAttribute("aria-selected")).toBe("false");
    await input.press("ArrowUp");
    expect(await input.getAttribute("aria-activedescendant")).toBe(firstId);
    // Walk down to the first result (suggestions come first) and open it.
    const firstHit = await page.locator("fundstelle-search [role=option].hit").first().getAttribute("id");
    while ((await input.getAttribute("aria-activedescendant")) !== firstHit) await input.press("ArrowDown");
    await Promise.all([page.waitForURL(/\/documents\/auswaertiges-amt%2Fdeutschland-kasachstan#p-1$/), input.press("Enter")]);
    expect(await page.locator("h1").textContent()).toBe("Deutschland und Kasachstan: bilaterale Beziehungen");
    await page.context().close();
  });

  it("closes the list with Escape", async () => {
    const page = await openPage(`${server.origin}/`);
    await typeQuery(page, "Kasach");
    const input = page.locator("fundstelle-search input[role=combobox]");
    expect(await input.getAttribute("aria-expanded")).toBe("true");
    await input.press("Escape");
    expect(await input.getAttribute("aria-expanded")).toBe("false");
    expect(await page.locator("fundstelle-search [role=listbox]").isHidden()).toBe(true);
    await page.context().close();
  });

  it("says so when nothing matches", async () => {
    const page = await openPage(`${server.origin}/`);
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Xylophonquartett");
    await expect
      .poll(() => page.locator("fundstelle-search [role=status]").textContent(), { timeout: 3000 })
      .toBe("Keine Treffer für „Xylophonquartett“");
    await page.context().close();
  });

  it("works embedded in a page of another origin, through CORS", async () => {
    const host =
      await startPageServer(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Fremde Seite</title><link rel="icon" href="data:,"></head>
<body><main><h1>Eine andere Website</h1>
<script src="${server.origin}/widget.js" type="module"></script>
<fundstelle-search endpoint="${server.origin}" placeholder="Auswärtiges Amt durchsuchen"></fundstelle-search>
</main></body></html>`);
    try {
      const page = await openPage(`${host.origin}/`);
      expect(await page.locator("fundstelle-search input").getAttribute("placeholder")).toBe("Auswärtiges Amt durchsuchen");
      await typeQuery(page, "Kasach");
      expect(await page.locator("fundstelle-search [role=option].hit").count()).toBeGreaterThan(0);
      await page.context().close();
    } finally {
      await host.close();
    }
  });

  it("has no serious or critical accessibility violations (axe-core) with results open", async () => {
    const page = await openPage(`${server.origin}/`, { bypassCSP: true });
    await typeQuery(page, "Kasach");
    await page.locator("fundstelle-search input[role=combobox]").press("ArrowDown");
    await page.addScriptTag({ content: readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, "utf8") });
    const violations = await page.evaluate(async () => {
      const { axe, document } = globalThis as unknown as {
        axe: { run: (context: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        document: unknown;
      };
      const result = await axe.run(document);
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.context().close();
  });

  it("runs nothing from hostile result text, even if an API sent it unescaped", async () => {
    // A stand-in API whose answers carry markup where escaped text belongs, and a javascript: URL.
    const evil =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b onclick="window.__pwned=3">fett</b> <mark onmouseover="window.__pwned=4">Treffer</mark></mark>';
    const hit = {
      id: "x/y#0",
      paragraph: 0,
      score: 1,
      doc: { id: "x/y", title: evil, url: "javascript:window.__pwned=5", date: null, kind: "<i>Art</i>", collection: "x" },
      collection: { title: "<svg onload=window.__pwned=6>", attribution: evil, license: null, url: null },
      titleHtml: evil,
      snippetHtml: evil,
      highlights: [],
    };
    const { createServer } = await import("node:http");
    const api = createServer((request, response) => {
      const path = request.url ?? "";
      const body = path.startsWith("/search")
        ? { query: "x", total: 1, offset: 0, limit: 8, partial: false, ignored: [], hits: [hit] }
        : path.startsWith("/suggest")
          ? { query: "x", suggestions: [{ text: evil, html: evil, query: evil }] }
          : { collections: [] };
      response.writeHead(200, { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((done) => api.listen(0, "127.0.0.1", done));
    const apiOrigin = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
    const host =
      await startPageServer(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Test</title><link rel="icon" href="data:,"></head>
<body><main><script src="${server.origin}/widget.js" type="module"></script><fundstelle-search endpoint="${apiOrigin}"></fundstelle-search></main></body></html>`);
    try {
      const page = await openPage(`${host.origin}/`);
      const input = page.locator("fundstelle-search input[role=combobox]");
      await input.fill("Treffer");
      await page.locator("fundstelle-search [role=option].hit").first().waitFor({ timeout: 3000 });
      const hitOption = page.locator("fundstelle-search [role=option].hit").first();
      await hitOption.hover();
      await page.locator("fundstelle-search mark").first().hover();
      const inside = await page.locator("fundstelle-search").evaluate((el) => {
        const root = (el as unknown as { shadowRoot: { querySelectorAll: (s: string) => { length: number } } }).shadowRoot;
        return {
          unsafe: root.querySelectorAll("img, script, svg, b, i, [onerror], [onclick], [onmouseover], [onload]").length,
          marks: root.querySelectorAll("mark").length,
        };
      });
      expect(inside.unsafe).toBe(0);
      expect(inside.marks).toBeGreaterThan(0);
      expect(await hitOption.textContent()).toContain("fett");
      // Choosing the hit must not follow its javascript: URL.
      while ((await input.getAttribute("aria-activedescendant")) !== (await hitOption.getAttribute("id"))) await input.press("ArrowDown");
      await input.press("Enter");
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await page.context().close();
    } finally {
      await host.close();
      await new Promise((done) => api.close(done));
    }
  });

  it("logged no console errors on any page", () => {
    expect(consoleErrors).toEqual([]);
  });
});
