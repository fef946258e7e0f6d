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

  async function openPage(
    url: string,
    options: { bypassCSP?: boolean; colorScheme?: "light" | "dark"; beforeGoto?: (page: Page) => Promise<void> } = {},
  ): Promise<Page> {
    const { beforeGoto, ...contextOptions } = options;
    const context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: "de-DE", ...contextOptions });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${url}: ${message.text()}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${url}: ${error.message}`));
    await beforeGoto?.(page);
    await page.goto(url);
    return page;
  }

  /**
   * Records what the page's network does (each request with its start, and how it ended: status, failure such as an
   * abort) and the widget's state, so that a wait that times out says why instead of only that it did.
   */
  function traceOf(page: Page): (what: string) => Promise<string> {
    const started = Date.now();
    const events: string[] = [];
    const at = () => `${String(Date.now() - started).padStart(6)} ms`;
    const name = (url: string) => decodeURIComponent(url.replace(/^https?:\/\/[^/]+/, ""));
    page.on("request", (request) => events.push(`${at()} → ${request.method()} ${name(request.url())}`));
    page.on("requestfinished", async (request) =>
      events.push(`${at()} ← ${(await request.response())?.status() ?? "?"} ${name(request.url())}`),
    );
    page.on("requestfailed", (request) => events.push(`${at()} ✗ ${request.failure()?.errorText ?? "failed"} ${name(request.url())}`));
    return async (what) => {
      const state = await page
        .locator("fundstelle-search")
        .first()
        .evaluate((el) => {
          const root = el.shadowRoot;
          const input = root?.querySelector("input");
          const listbox = root?.querySelector("[role=listbox]");
          return JSON.stringify({
            value: input?.value,
            busy: el.hasAttribute("busy"),
            query: listbox?.getAttribute("data-query"),
            hidden: listbox?.hasAttribute("hidden"),
            options: listbox?.querySelectorAll("[role=option]").length,
            status: root?.querySelector("[role=status]")?.textContent,
          });
        })
        .catch((error: unknown) => `(no widget state: ${String(error)})`);
      return `${what} did not happen.\nwidget: ${state}\nnetwork:\n${events.join("\n")}`;
    };
  }

  /** Waits for `locator`, and when it does not come, fails with the trace of what happened instead. */
  async function waitOrExplain(locator: ReturnType<Page["locator"]>, explain: (what: string) => Promise<string>, what: string) {
    try {
      await locator.waitFor();
    } catch (error) {
      throw new Error(`${await explain(what)}\n${String(error)}`);
    }
  }

  /** Types `text` key by key and waits for the results of exactly that text (not of a prefix typed on the way). */
  async function typeQuery(page: Page, text: string): Promise<number> {
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.click();
    await input.fill("");
    await input.pressSequentially(text, { delay: 30 });
    const typed = Date.now();
    await page
      .locator(`fundstelle-search [role=listbox][data-query=${JSON.stringify(text)}] [role=option].hit mark`)
      .first()
      .waitFor({ timeout: 5000 });
    return Date.now() - typed;
  }

  /** A hit of the documented /search shape. */
  function fakeHit(docId: string, title: string, url: string | null = null) {
    return {
      id: `${docId}#1`,
      paragraph: 1,
      score: 1,
      doc: { id: docId, title, url, date: null, kind: null, collection: "test" },
      collection: { title: "Testsammlung", attribution: null, license: null, url: null },
      titleHtml: title,
      snippetHtml: "Ein <mark>Treffer</mark>.",
      highlights: [],
    };
  }

  /** A stand-in /search answer of the documented shape: `hits` for `q`, with `extra` fields (facets, help). */
  function searchAnswer(q: string, hits: unknown[], extra: Record<string, unknown> = {}) {
    return { query: q, total: hits.length, offset: 0, limit: 8, partial: false, ignored: [], correction: null, hits, ...extra };
  }

  /** Answers the widget's /search and /suggest on `page` with `answer(path, q, url, route)` instead of the worker. */
  function onApi(
    page: Page,
    answer: (path: "/search" | "/suggest", q: string, url: URL, route: Parameters<Parameters<Page["route"]>[1]>[0]) => Promise<unknown>,
  ) {
    return page.route(
      (url) => url.pathname === "/search" || url.pathname === "/suggest",
      async (route) => {
        const url = new URL(route.request().url());
        await answer(url.pathname as "/search" | "/suggest", url.searchParams.get("q") ?? "", url, route);
      },
    );
  }

  /** The title of the one hit the stand-in API answers a search for `q` with. */
  const answerTitle = (q: string) => `Antwort für ${q}`;

  interface Gate {
    /** Resolves when the widget has asked for the held search. */
    arrived: Promise<void>;
    /** Lets the held answer go (the request may be aborted by then: then nothing arrives). */
    release: () => void;
  }

  /**
   * Answers the widget's /search and /suggest on `page` instead of the worker: a search for q with
   * one hit titled answerTitle(q) (or with `hits(q)`), no suggestions. `hold(q)` holds back the answer
   * to the next search for q until its gate is released.
   *
   * In the page, window.__searches lists each search the widget started with how its fetch ended
   * ("pending", "answered" or "failed", e.g. aborted), and window.__rendered the hit titles of
   * every rendering of the listbox, in order, so a render that was replaced at once is still seen.
   */
  async function standInApi(page: Page, hits: (q: string) => unknown[] = (q) => [fakeHit(`test/${q}`, answerTitle(q))]) {
    const held = new Map<string, { arrived: () => void; released: Promise<void> }>();
    await page.addInitScript(() => {
      type Fetch = (input: string, init?: unknown) => Promise<unknown>;
      const w = globalThis as unknown as { __searches: { q: string; state: string }[]; fetch: Fetch; location: { href: string } };
      w.__searches = [];
      const original = w.fetch.bind(globalThis);
      // The widget passes each URL as a string.
      w.fetch = (input: string, init?: unknown) => {
        const url = new URL(String(input), w.location.href);
        const promise = original(input, init);
        if (url.pathname.endsWith("/search")) {
          const entry = { q: url.searchParams.get("q") ?? "", state: "pending" };
          w.__searches.push(entry);
          promise.then(
            () => {
              entry.state = "answered";
            },
            () => {
              entry.state = "failed";
            },
          );
        }
        return promise;
      };
    });
    await page.route(
      (url) => url.pathname === "/search" || url.pathname === "/suggest",
      async (route) => {
        const url = new URL(route.request().url());
        const q = url.searchParams.get("q") ?? "";
        const json =
          url.pathname === "/suggest"
            ? { query: q, suggestions: [] }
            : { query: q, total: hits(q).length, offset: 0, limit: 8, partial: false, ignored: [], hits: hits(q) };
        const gate = url.pathname === "/search" ? held.get(q) : undefined;
        if (gate) {
          held.delete(q);
          gate.arrived();
          await gate.released;
        }
        // An aborted request can no longer be answered; that is the point of aborting it.
        await route.fulfill({ json }).catch(() => undefined);
      },
    );
    return {
      hold(q: string): Gate {
        let arrived = () => {};
        let release = () => {};
        const gate = {
          arrived: new Promise<void>((resolve) => {
            arrived = resolve;
          }),
          released: new Promise<void>((resolve) => {
            release = resolve;
          }),
        };
        held.set(q, { arrived, released: gate.released });
        return { arrived: gate.arrived, release };
      },
      /** Starts recording the listbox's renderings (call once the page has loaded). */
      async record(): Promise<void> {
        await page.locator("fundstelle-search").evaluate((host) => {
          interface AddedNode {
            querySelectorAll?: (selector: string) => ArrayLike<{ textContent: string | null }>;
          }
          const w = globalThis as unknown as {
            __rendered: string[][];
            MutationObserver: new (
              callback: (records: { addedNodes: ArrayLike<AddedNode> }[]) => void,
            ) => { observe: (target: unknown, options: { childList: boolean }) => void };
          };
          w.__rendered = [];
          const listbox = (host as unknown as { shadowRoot: { querySelector: (s: string) => unknown } }).shadowRoot.querySelector(
            "[role=listbox]",
          );
          if (!listbox) throw new Error("no listbox");
          new w.MutationObserver((records) => {
            for (const record of records) {
              const titles = Array.from(record.addedNodes).flatMap((node) =>
                Array.from(node.querySelectorAll?.(".hit .title") ?? []).map((title) => title.textContent ?? ""),
              );
              if (titles.length > 0) w.__rendered.push(titles);
            }
          }).observe(listbox, { childList: true });
        });
      },
      /** Every rendering so far, as its hit titles. */
      rendered: () => page.evaluate(() => (globalThis as unknown as { __rendered: string[][] }).__rendered),
      /**
       * Waits until the widget is done with its search for q: the fetch failed (aborted) or its answer was
       * rendered. An answer that arrived and was rightly dropped satisfies neither; the fixed widget aborts first.
       */
      async settled(q: string): Promise<void> {
        await page.waitForFunction(
          ({ q, title }) => {
            const w = globalThis as unknown as { __searches: { q: string; state: string }[]; __rendered: string[][] };
            return w.__searches.some((s) => s.q === q && s.state === "failed") || w.__rendered.some((r) => r.includes(title));
          },
          { q, title: answerTitle(q) },
        );
      },
    };
  }

  /** A page whose API is the stand-in, recording what the widget renders; with `clock`, timers wait for the test. */
  async function standInPage(options: { clock?: boolean } = {}) {
    let api!: Awaited<ReturnType<typeof standInApi>>;
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        api = await standInApi(page);
        if (options.clock) await page.clock.install();
      },
    });
    if (options.clock) await page.clock.pauseAt(Date.now() + 60_000);
    await api.record();
    return { page, api };
  }

  it("never shows the answer to an earlier query once the input has changed, even before the next search starts", async () => {
    // The fake clock holds the debounce timer, so the held answer is released inside the window between
    // the keystroke and the next search: the window in which the widget used to render the stale answer.
    const { page, api } = await standInPage({ clock: true });
    const input = page.locator("fundstelle-search input[role=combobox]");
    const first = api.hold("Ka");
    await input.fill("Ka");
    await page.clock.runFor(1000);
    await first.arrived;
    await input.fill("Kasach");
    first.release();
    await api.settled("Ka");
    expect(await api.rendered()).toEqual([]);
    expect(await input.inputValue()).toBe("Kasach");
    await page.clock.runFor(1000);
    await page.locator("fundstelle-search [role=option].hit .title", { hasText: answerTitle("Kasach") }).waitFor();
    expect(await api.rendered()).toEqual([[answerTitle("Kasach")]]);
    expect(await page.locator("fundstelle-search [role=listbox]").getAttribute("data-query")).toBe("Kasach");
    await page.context().close();
  });

  it("keeps a later query's results on screen when the first query's answer is released after them", async () => {
    const { page, api } = await standInPage();
    const input = page.locator("fundstelle-search input[role=combobox]");
    const first = api.hold("Ka");
    await input.fill("Ka");
    await first.arrived;
    await input.fill("Kasach");
    const later = page.locator("fundstelle-search [role=option].hit .title", { hasText: answerTitle("Kasach") });
    await later.waitFor();
    first.release();
    await api.settled("Ka");
    expect(await later.count()).toBe(1);
    expect(await page.locator("fundstelle-search [role=option].hit .title").allTextContents()).toEqual([answerTitle("Kasach")]);
    expect(await api.rendered()).toEqual([[answerTitle("Kasach")]]);
    expect(await page.locator("fundstelle-search").getAttribute("busy")).toBeNull();
    await page.context().close();
  });

  it("shows nothing and is not busy when the box is cleared while a search is in flight", async () => {
    const { page, api } = await standInPage({ clock: true });
    const host = page.locator("fundstelle-search");
    const input = page.locator("fundstelle-search input[role=combobox]");
    const listbox = page.locator("fundstelle-search [role=listbox]");
    // Cleared with Escape: at once, without a debounce.
    const first = api.hold("Ka");
    await input.fill("Ka");
    await page.clock.runFor(1000);
    await first.arrived;
    expect(await host.getAttribute("busy")).toBe("");
    await input.press("Escape");
    expect(await input.inputValue()).toBe("");
    first.release();
    await api.settled("Ka");
    expect(await api.rendered()).toEqual([]);
    expect(await host.getAttribute("busy")).toBeNull();
    expect(await input.getAttribute("aria-busy")).toBe("false");
    expect(await listbox.isHidden()).toBe(true);
    // Cleared by deleting the text: the empty query's turn comes after the debounce.
    const second = api.hold("Kas");
    await input.fill("Kas");
    await page.clock.runFor(1000);
    await second.arrived;
    await input.fill("");
    await page.clock.runFor(1000);
    expect(await host.getAttribute("busy")).toBeNull();
    expect(await input.getAttribute("aria-busy")).toBe("false");
    second.release();
    await api.settled("Kas");
    expect(await api.rendered()).toEqual([]);
    expect(await host.getAttribute("busy")).toBeNull();
    expect(await listbox.isHidden()).toBe(true);
    await page.context().close();
  });

  it("links a hit whose document url could lead off the site to the document view, and follows safe urls", async () => {
    const urls = [
      "//evil.example/x",
      "/\\evil.example/x",
      "\\\\evil.example",
      "https:evil.example",
      " /x",
      "\u0001/x",
      "JaVaScRiPt:alert(1)",
      "/laender/kasachstan",
      "HTTPS://www.example.org/a",
    ];
    const safe = new Set(["/laender/kasachstan", "HTTPS://www.example.org/a"]);
    const hits = urls.map((url, i) => fakeHit(`test/url-${i}`, `Dokument ${i}`, url));
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        await standInApi(page, () => hits);
      },
    });
    await page.locator("fundstelle-search input[role=combobox]").fill("Dokument");
    const options = page.locator("fundstelle-search [role=option].hit");
    await options.nth(urls.length - 1).waitFor();
    expect(await options.count()).toBe(urls.length);
    const hrefs = await options.evaluateAll((items) =>
      items.map((item) => (item as unknown as { dataset: { href?: string } }).dataset.href),
    );
    expect(hrefs).toEqual(
      urls.map((url, i) => (safe.has(url) ? url : `${server.origin}/documents/${encodeURIComponent(`test/url-${i}`)}#p-1`)),
    );
    await page.context().close();
  });

  it("shows each page once with its sections under it, each linking to where it starts", async () => {
    const section = (heading: string, paragraph: number, url: string) => ({
      heading,
      headingHtml: heading === "Öffnungszeiten" ? "<mark>Öffnungszeiten</mark>" : heading,
      level: 2,
      anchor: null,
      url,
      paragraph,
      snippetHtml: `Absatz ${paragraph} mit <mark>Treffer</mark>.`,
      highlights: [],
    });
    const page1 = {
      ...fakeHit("stadt/buergeramt", "Bürgeramt", "https://www.example-stadt.de/buergeramt.html"),
      sections: [
        section("Öffnungszeiten", 1, "https://www.example-stadt.de/buergeramt.html#oeffnungszeiten"),
        section("Unterlagen", 4, "https://www.example-stadt.de/buergeramt.html#unterlagen"),
        section("", 0, "https://www.example-stadt.de/buergeramt.html"),
        section("Bürgeramt", 0, "https://www.example-stadt.de/buergeramt.html"),
        section("Böse", 5, "javascript:alert(1)"),
      ],
    };
    const page2 = { ...fakeHit("stadt/abfall", "Abfall"), sections: [section("Sperrmüll", 2, "/documents/stadt%2Fabfall#p-2")] };
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        await standInApi(page, () => [page1, page2]);
      },
    });
    const searches: URL[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/search") searches.push(url);
    });
    await page.locator("fundstelle-search input[role=combobox]").fill("Öffnungszeiten");
    const options = page.locator("fundstelle-search [role=option]");
    await page.locator("fundstelle-search [role=option].section").nth(2).waitFor();
    const shown = await options.evaluateAll((items) =>
      items.map((item) => {
        const el = item as unknown as {
          className: string;
          dataset: { href?: string };
          querySelector: (s: string) => { textContent: string } | null;
        };
        return [
          el.className,
          el.querySelector(".title, .section-heading")?.textContent,
          el.querySelector(".snippet") !== null,
          el.dataset.href,
        ];
      }),
    );
    expect(shown).toEqual([
      ["hit", "Bürgeramt", true, "https://www.example-stadt.de/buergeramt.html"],
      // The section of the page's own paragraph shows its heading only: its snippet is the page's.
      ["section", "Öffnungszeiten", false, "https://www.example-stadt.de/buergeramt.html#oeffnungszeiten"],
      ["section", "Unterlagen", true, "https://www.example-stadt.de/buergeramt.html#unterlagen"],
      ["hit", "Abfall", true, `${server.origin}/documents/${encodeURIComponent("stadt/abfall")}#p-1`],
      ["section", "Sperrmüll", true, `${server.origin}/documents/stadt%2Fabfall#p-2`],
    ]);
    expect(await page.locator("fundstelle-search [role=option].section .section-heading mark").first().textContent()).toBe(
      "Öffnungszeiten",
    );
    // The widget asks for pages (results="paragraphs" would not).
    expect(searches.map((url) => url.searchParams.get("group"))).toContain("document");
    await page.context().close();
  });

  it('loads more results with "Alle N Treffer anzeigen", by keyboard, and keeps the place', async () => {
    const all = Array.from({ length: 12 }, (_, i) => fakeHit(`test/seite-${i}`, `Seite ${i}`));
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        await page.route(
          (url) => url.pathname === "/search" || url.pathname === "/suggest",
          async (route) => {
            const url = new URL(route.request().url());
            const q = url.searchParams.get("q") ?? "";
            const offset = Number(url.searchParams.get("offset") ?? 0);
            const limit = Number(url.searchParams.get("limit") ?? 10);
            const json =
              url.pathname === "/suggest"
                ? { query: q, suggestions: [] }
                : { query: q, total: all.length, offset, limit, partial: false, ignored: [], hits: all.slice(offset, offset + limit) };
            await route.fulfill({ json, headers: { "Access-Control-Allow-Origin": "*" } });
          },
        );
      },
    });
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Seite");
    const more = page.locator("fundstelle-search [role=option].more");
    await more.waitFor();
    expect(await more.textContent()).toBe("Alle 12 Treffer anzeigen");
    expect(await page.locator("fundstelle-search [role=option].hit").count()).toBe(8);
    // Down to the ninth option (the last), then Enter: the rest arrive and the ninth result is the active one.
    for (let i = 0; i < 9; i++) await input.press("ArrowDown");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await more.getAttribute("id"));
    await input.press("Enter");
    await page.locator("fundstelle-search [role=option].hit").nth(11).waitFor();
    expect(await page.locator("fundstelle-search [role=option].more").count()).toBe(0);
    const active = await input.getAttribute("aria-activedescendant");
    expect(await page.locator(`fundstelle-search [id="${active}"] .title`).textContent()).toBe("Seite 8");
    // The demo page keeps how many are shown in its URL: a reload shows them all again.
    await page.waitForURL((url) => url.searchParams.get("n") === "12");
    await page.reload();
    await page.locator("fundstelle-search [role=option].hit").nth(11).waitFor();
    expect(await page.locator("fundstelle-search [role=option].more").count()).toBe(0);
    await page.context().close();
  });

  it("refines by facet chips with counts, by keyboard alone, and keeps the choice in the URL", async () => {
    const page = await openPage(`${server.origin}/`);
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Deutschland");
    const chips = page.locator('fundstelle-search [role=group][aria-label="Sammlung"] button.chip');
    await chips.first().waitFor();
    // The counts are the API's, over every match (pages here).
    const api = (await (await fetch(`${server.origin}/search?q=Deutschland&group=document&facets=collection`)).json()) as {
      facets: { collection: { label: string; count: number }[] };
    };
    expect(await chips.allTextContents()).toEqual(api.facets.collection.map((v) => `${v.label} ${v.count}`));
    const wikipedia = api.facets.collection.find((v) => v.label.startsWith("Wikipedia"));
    // Tab from the box reaches the first chip (the most frequent value); Enter chooses it.
    await input.press("Tab");
    const chosen = chips.filter({ hasText: "Wikipedia" });
    expect(await chosen.evaluate((chip) => chip === (chip.getRootNode() as unknown as { activeElement: unknown }).activeElement)).toBe(
      true,
    );
    await page.keyboard.press("Enter");
    await page.locator('fundstelle-search button.chip[aria-pressed="true"]').waitFor();
    await page.waitForURL((url) => url.searchParams.get("collection") === "wikipedia");
    await expect.poll(() => page.locator("fundstelle-search [role=status]").textContent()).toBe(`${wikipedia?.count} Treffer`);
    const metas = await page.locator("fundstelle-search [role=option].hit .meta").allTextContents();
    expect(metas.length).toBeGreaterThan(0);
    for (const meta of metas) expect(meta).toContain("Wikipedia");
    // Focus stays on the chip it was on, now pressed; the other collection stays there to switch to.
    expect(
      await page
        .locator('fundstelle-search button.chip[aria-pressed="true"]')
        .evaluate((chip) => chip === (chip.getRootNode() as unknown as { activeElement: unknown }).activeElement),
    ).toBe(true);
    expect(await chips.count()).toBe(api.facets.collection.length);
    // Reload keeps it; Back returns to the search without it.
    await page.reload();
    await page.locator('fundstelle-search button.chip[aria-pressed="true"]').waitFor();
    expect(await input.inputValue()).toBe("Deutschland");
    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get("collection") === null && url.searchParams.get("q") === "Deutschland");
    // The URL changes at once; the search it names answers a moment later: wait for that answer, every page again.
    const all = api.facets.collection.reduce((sum, v) => sum + v.count, 0);
    await expect.poll(() => page.locator("fundstelle-search [role=status]").textContent()).toBe(`${all} Treffer`);
    await expect.poll(() => page.locator('fundstelle-search button.chip[aria-pressed="true"]').count()).toBe(0);
    mkdirSync(`${ROOT}test-output`, { recursive: true });
    await input.focus();
    await page.screenshot({ path: `${ROOT}test-output/widget-facets.png` });
    await page.context().close();
  });

  it("asks for kind and year chips as filters, and keeps a chosen chip to undo when nothing matches", async () => {
    const requests: URL[] = [];
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        await page.route(
          (url) => url.pathname === "/search" || url.pathname === "/suggest",
          async (route) => {
            const url = new URL(route.request().url());
            const q = url.searchParams.get("q") ?? "";
            if (url.pathname === "/suggest") {
              await route.fulfill({ json: { query: q, suggestions: [] }, headers: { "Access-Control-Allow-Origin": "*" } });
              return;
            }
            requests.push(url);
            const narrowed = url.searchParams.has("kind") && url.searchParams.has("from");
            const hits = narrowed ? [] : [fakeHit("test/a", "Satzung"), fakeHit("test/b", "Formular A")];
            const json = searchAnswer(q, hits, {
              facets: {
                kind: [
                  { value: "Formular", label: "Formular", count: 1 },
                  { value: "Satzung", label: "Satzung", count: 1 },
                ],
                year: narrowed
                  ? []
                  : [
                      { value: "2024", label: "2024", count: 1 },
                      { value: "2019", label: "2019", count: 1 },
                    ],
              },
            });
            await route.fulfill({ json, headers: { "Access-Control-Allow-Origin": "*" } });
          },
        );
      },
    });
    await page.locator("fundstelle-search input[role=combobox]").fill("Gebühren");
    await page.locator('fundstelle-search [role=group][aria-label="Art"] button.chip').first().waitFor();
    expect(requests.at(-1)?.searchParams.get("facets")).toBe("collection,kind,year");
    await page.locator('fundstelle-search button.chip[data-value="Formular"]').click();
    await expect.poll(() => requests.at(-1)?.searchParams.get("kind")).toBe("Formular");
    await page.locator('fundstelle-search [role=group][aria-label="Jahr"] button.chip[data-value="2019"]').click();
    await expect.poll(() => requests.at(-1)?.searchParams.get("from")).toBe("2019-01-01");
    expect(requests.at(-1)?.searchParams.get("to")).toBe("2019-12-31");
    expect(requests.at(-1)?.searchParams.get("kind")).toBe("Formular");
    // Nothing matches both: the chosen year stays as a chip (count 0) to take back.
    await expect
      .poll(() => page.locator("fundstelle-search [role=status]").textContent())
      .toBe("Keine Treffer für „Gebühren“ mit diesen Filtern");
    const year = page.locator('fundstelle-search button.chip[data-value="2019"]');
    expect(await year.getAttribute("aria-pressed")).toBe("true");
    expect(await year.isVisible()).toBe(true);
    await year.click();
    await expect.poll(() => requests.at(-1)?.searchParams.get("from")).toBeNull();
    await page.locator("fundstelle-search [role=option].hit").first().waitFor();
    // Typing on keeps the kind chosen; a new search starts without it.
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.press("End");
    await input.pressSequentially(" Satz");
    await expect.poll(() => requests.at(-1)?.searchParams.get("q")).toBe("Gebühren Satz");
    expect(requests.at(-1)?.searchParams.get("kind")).toBe("Formular");
    await input.fill("Hundesteuer");
    await expect.poll(() => requests.at(-1)?.searchParams.get("q")).toBe("Hundesteuer");
    expect(requests.at(-1)?.searchParams.get("kind")).toBeNull();
    await page.context().close();
  });

  it("with insights, tells the API the final query (a pause, Enter, a choice) and the chosen result, never the keystrokes", async () => {
    const beacons: { path: string; body: Record<string, unknown> }[] = [];
    const page = await openPage(`${server.origin}/`, {
      bypassCSP: true,
      beforeGoto: async (page) => {
        // Insights are off on this server: the stand-in answers the beacons as the API does when they are on.
        await page.route(
          (url) => url.pathname.startsWith("/insights/"),
          async (route) => {
            const request = route.request();
            expect(request.method()).toBe("POST");
            expect(request.headers()["content-type"]).toMatch(/^text\/plain/);
            beacons.push({ path: new URL(request.url()).pathname, body: JSON.parse(request.postData() ?? "null") });
            await route.fulfill({ status: 204, headers: { "Access-Control-Allow-Origin": "*" } });
          },
        );
      },
    });
    await page.setContent(`<!doctype html><html lang="de"><head><title>Insights</title></head><body>
      <fundstelle-search insights endpoint="${server.origin}"></fundstelle-search>
      <script src="${server.origin}/widget.js" type="module"></script></body></html>`);
    const input = page.locator("fundstelle-search input[role=combobox]");
    const answered = (q: string) =>
      page.locator(`fundstelle-search [role=listbox][data-query=${JSON.stringify(q)}] [role=option].hit`).first();
    const explain = traceOf(page);
    // Typed key by key, then a pause: one search counts, the last.
    const paused = page.waitForRequest((r) => r.url().endsWith("/insights/search"));
    await input.pressSequentially("Kasachstan", { delay: 20 });
    await waitOrExplain(answered("Kasachstan"), explain, 'The answer to "Kasachstan"');
    await paused;
    // The stand-in records a beacon once it handles it, a moment after the request starts.
    await expect.poll(() => beacons).toEqual([{ path: "/insights/search", body: { q: "Kasachstan", group: "document" } }]);
    // Enter counts at once; the same search is not counted twice.
    await input.pressSequentially(" Handel", { delay: 20 });
    const entered = page.waitForRequest((r) => r.url().endsWith("/insights/search"));
    await input.press("Enter");
    await entered;
    await answered("Kasachstan Handel").waitFor();
    await expect.poll(() => beacons.map((b) => b.body.q)).toEqual(["Kasachstan", "Kasachstan Handel"]);
    // Choosing a result sends the choice: the query, the page and the section, nothing else.
    const chosen = page.waitForRequest((r) => r.url().endsWith("/insights/choice"));
    const firstHit = await answered("Kasachstan Handel").getAttribute("id");
    while ((await input.getAttribute("aria-activedescendant")) !== firstHit) await input.press("ArrowDown");
    await Promise.all([page.waitForURL(/\/documents\//), input.press("Enter")]);
    await chosen;
    await expect.poll(() => beacons.map((b) => b.path)).toEqual(["/insights/search", "/insights/search", "/insights/choice"]);
    expect(beacons[2]?.body).toEqual({ q: "Kasachstan Handel", doc: "auswaertiges-amt/deutschland-kasachstan", section: null });
    await page.context().close();
  });

  it('offers "Meinten Sie …?" when the hits stand on a typo, and searches the correction on Enter', async () => {
    const page = await openPage(`${server.origin}/`);
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Kasachtan");
    const correction = page.locator("fundstelle-search [role=listbox][data-query=Kasachtan] [role=option].correction");
    await correction.waitFor();
    expect(await correction.textContent()).toBe("Meinten Sie: Kasachstan?");
    await input.press("ArrowDown");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await correction.getAttribute("id"));
    await input.press("Enter");
    await page.locator("fundstelle-search [role=listbox][data-query=Kasachstan] [role=option].hit").first().waitFor();
    expect(await input.inputValue()).toBe("Kasachstan");
    expect(await page.locator("fundstelle-search [role=option].correction").count()).toBe(0);
    await page.context().close();
  });

  it("opens its results over the page: nothing after the widget moves", async () => {
    const page = await openPage(`${server.origin}/`);
    const after = page.locator("main h2").first();
    const before = await after.boundingBox();
    await typeQuery(page, "Kasach");
    await page.locator("fundstelle-search [role=option].hit").first().waitFor();
    expect(await page.locator("fundstelle-search [role=listbox]").isVisible()).toBe(true);
    // Not a pixel (the status line's text may round differently from its empty box).
    const now = await after.boundingBox();
    expect(Math.abs((now?.y ?? 0) - (before?.y ?? -1))).toBeLessThan(0.5);
    expect(now?.height).toBeCloseTo(before?.height ?? -1, 1);
    await page.context().close();
  });

  it("keeps the search in the demo page's URL: opens ?q=, survives a reload, and Back returns to the search before", async () => {
    const page = await openPage(`${server.origin}/?q=Kasachstan`);
    const input = page.locator("fundstelle-search input[role=combobox]");
    const answered = (q: string) =>
      page.locator(`fundstelle-search [role=listbox][data-query=${JSON.stringify(q)}] [role=option].hit`).first();
    await answered("Kasachstan").waitFor();
    expect(await input.inputValue()).toBe("Kasachstan");
    await input.fill("Handel");
    await answered("Handel").waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("Handel");
    await page.reload();
    await answered("Handel").waitFor();
    expect(await input.inputValue()).toBe("Handel");
    await page.goBack();
    await answered("Kasachstan").waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("Kasachstan");
    expect(await input.inputValue()).toBe("Kasachstan");
    // Typing on replaces the entry rather than adding one per keystroke.
    await input.fill("Kasachstan Handel");
    await answered("Kasachstan Handel").waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get("q") === null);
    await page.context().close();
  });

  it("shows results with <mark> promptly after typing 'Kasach'", async () => {
    const page = await openPage(`${server.origin}/`);
    // A generous bound, so that a busy machine does not fail it: how fast is measured in the benchmarks.
    const elapsed = await typeQuery(page, "Kasach");
    expect(elapsed).toBeLessThan(5000);
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

  it("marks the editors' promoted result and, when nothing is found, offers the site's links and popular queries", async () => {
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        await onApi(page, async (path, q, _url, route) => {
          if (path === "/suggest") return route.fulfill({ json: { query: q, suggestions: [] } });
          const found = q === "Hundesteuer";
          const hits = found
            ? [{ ...fakeHit("stadt/hundesteuer", "Hund anmelden"), promoted: true }, fakeHit("stadt/satzung", "Satzung")]
            : [];
          const help = {
            links: [
              { title: "Alle Dienstleistungen A–Z", url: "/dienstleistungen" },
              { title: "Böse", url: "javascript:alert(1)" },
            ],
            popular: ["Hundesteuer"],
          };
          await route.fulfill({ json: searchAnswer(q, hits, found ? {} : { help }) });
        });
      },
    });
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Hundemarke");
    const options = page.locator("fundstelle-search [role=option]");
    await page.locator("fundstelle-search [role=option].popular").waitFor();
    expect(await page.locator("fundstelle-search [role=status]").textContent()).toBe("Keine Treffer für „Hundemarke“");
    // The unsafe link is left out; each list is headed once.
    expect(await options.allTextContents()).toEqual([
      "Vielleicht hilft Ihnen das weiter:Alle Dienstleistungen A–Z",
      "Häufig gesucht↗Hundesteuer",
    ]);
    expect(await options.first().getAttribute("data-href")).toBe("/dienstleistungen");
    // A popular query is searched like a suggestion, by keyboard.
    await input.press("ArrowDown");
    await input.press("ArrowDown");
    await input.press("Enter");
    await expect.poll(() => input.inputValue()).toBe("Hundesteuer");
    await page.locator("fundstelle-search [role=option].hit").nth(1).waitFor();
    expect(await page.locator("fundstelle-search [role=option].hit .badge.promoted").allTextContents()).toEqual(["Empfohlen"]);
    expect(await page.locator("fundstelle-search [role=option].hit").first().locator(".badge.promoted").count()).toBe(1);
    await page.context().close();
  });

  it("shows the results even when the suggestions never come, and adds suggestions that come late", async () => {
    let release: () => void = () => {};
    const late = new Promise<void>((resolve) => {
      release = resolve;
    });
    const page = await openPage(`${server.origin}/`, {
      beforeGoto: async (page) => {
        await onApi(page, async (path, q, _url, route) => {
          if (path === "/search") {
            const hits = [fakeHit(`test/${q}`, answerTitle(q))];
            return route.fulfill({ json: searchAnswer(q, hits) });
          }
          // "Hängt": the suggestions never answer (as one request once did under load). "Später": they answer late.
          if (q === "Hängt") return new Promise<void>(() => {});
          if (q === "Später") await late;
          const suggestion = { text: `${q}ungen`, html: `<mark>${q}</mark>ungen`, query: `${q}ungen` };
          await route.fulfill({ json: { query: q, suggestions: [suggestion] } }).catch(() => undefined);
        });
      },
    });
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Hängt");
    await page.locator(`fundstelle-search [role=listbox][data-query="Hängt"] [role=option].hit`).waitFor();
    expect(await page.locator("fundstelle-search [role=status]").textContent()).toBe("1 Treffer");
    await input.fill("Später");
    await page.locator(`fundstelle-search [role=listbox][data-query="Später"] [role=option].hit`).waitFor();
    expect(await page.locator("fundstelle-search [role=option].suggestion").count()).toBe(0);
    release();
    await page.locator("fundstelle-search [role=option].suggestion").waitFor();
    expect(await page.locator("fundstelle-search [role=option]").allTextContents()).toEqual([
      "↗Späterungen",
      expect.stringContaining(answerTitle("Später")),
    ]);
    await page.context().close();
  });

  it("shows the sample corpus's promoted page as Empfohlen, from the real index", async () => {
    const page = await openPage(`${server.origin}/`);
    // Filled at once and waited for as long as a busy machine needs (typeQuery's 5 s are for a typing speed test).
    const explain = traceOf(page);
    await page.locator("fundstelle-search input[role=combobox]").fill("Beziehungen zu Kasachstan");
    const first = page.locator(`fundstelle-search [role=listbox][data-query="Beziehungen zu Kasachstan"] [role=option].hit`).first();
    await waitOrExplain(first, explain, 'The answer to "Beziehungen zu Kasachstan"');
    expect(await first.locator(".badge.promoted").textContent()).toBe("Empfohlen");
    expect(await first.getAttribute("data-href")).toContain("kasachstan");
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

  it("has no accessibility violations (axe-core) with results, sections and chips open", async () => {
    const page = await openPage(`${server.origin}/`, { bypassCSP: true });
    await typeQuery(page, "Deutschland");
    await page.locator("fundstelle-search button.chip").first().waitFor();
    await page.locator("fundstelle-search input[role=combobox]").press("ArrowDown");
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  /** A computed style of an element in the widget's shadow root. */
  function shadowStyle(page: Page, selector: string, property: "color" | "backgroundColor"): Promise<string> {
    return page.locator("fundstelle-search").evaluate(
      (el, [selector, property]) => {
        const { getComputedStyle } = globalThis as unknown as { getComputedStyle: (e: unknown) => Record<string, string> };
        const root = (el as unknown as { shadowRoot: { querySelector: (s: string) => unknown } }).shadowRoot;
        return getComputedStyle(root.querySelector(selector))[property] ?? "";
      },
      [selector, property] as const,
    );
  }

  /** axe-core's violations on the page as it stands. */
  async function axeViolations(page: Page, rules?: string[]) {
    await page.addScriptTag({ content: readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, "utf8") });
    return page.evaluate(async (only) => {
      const { axe, document } = globalThis as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        document: unknown;
      };
      const result = await axe.run(document, only ? { runOnly: { type: "rule", values: only } } : {});
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    }, rules ?? null);
  }

  it("has no accessibility violations in the dark scheme either", async () => {
    const page = await openPage(`${server.origin}/`, { bypassCSP: true, colorScheme: "dark" });
    await typeQuery(page, "Deutschland");
    await page.locator("fundstelle-search button.chip").first().waitFor();
    await page.locator("fundstelle-search input[role=combobox]").press("ArrowDown");
    const background = await shadowStyle(page, ".panel", "backgroundColor");
    expect(background).toBe("rgb(29, 30, 34)");
    // The demo page follows the scheme too.
    const body = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as {
        document: { body: unknown };
        getComputedStyle: (e: unknown) => { backgroundColor: string };
      };
      return getComputedStyle(document.body).backgroundColor;
    });
    expect(body).toBe("rgb(18, 19, 22)");
    expect(await axeViolations(page)).toEqual([]);
    mkdirSync(`${ROOT}test-output`, { recursive: true });
    await page.screenshot({ path: `${ROOT}test-output/widget-dark.png`, fullPage: true });
    await page.context().close();
  });

  it("keeps a site's light accent off the dark theme, and takes a configured dark accent there", async () => {
    const page = await openPage(`${server.origin}/`, { bypassCSP: true, colorScheme: "dark" });
    const host = (
      style: string,
    ) => `<!doctype html><html lang="de"><head><title>Dunkel</title></head><body style="background:#121316;color:#eee">
      <fundstelle-search endpoint="${server.origin}" style="${style}"></fundstelle-search>
      <script src="${server.origin}/widget.js" type="module"></script></body></html>`;
    await page.setContent(host("--fundstelle-accent: #004b87"));
    await page.locator("fundstelle-search input[role=combobox]").fill("Kasachstan");
    await page.locator("fundstelle-search [role=option].hit").first().waitFor();
    expect(await shadowStyle(page, ".title", "color")).toBe("rgb(138, 180, 248)");
    expect(await axeViolations(page, ["color-contrast"])).toEqual([]);
    await page.setContent(host("--fundstelle-accent: #004b87; --fundstelle-accent-dark: #ffd479"));
    await page.locator("fundstelle-search input[role=combobox]").fill("Kasachstan");
    await page.locator("fundstelle-search [role=option].hit").first().waitFor();
    expect(await shadowStyle(page, ".title", "color")).toBe("rgb(255, 212, 121)");
    expect(await axeViolations(page, ["color-contrast"])).toEqual([]);
    await page.context().close();
  });

  it("keeps its status line readable on a coloured header of the host page", async () => {
    const page = await openPage(`${server.origin}/`, { bypassCSP: true });
    await page.setContent(`<!doctype html><html lang="de"><head><title>Kopf</title></head><body style="margin:0">
      <header style="background:#004b87;color:#fff;padding:1rem"><fundstelle-search endpoint="${server.origin}"></fundstelle-search></header>
      <main><p>Inhalt der Seite.</p></main>
      <script src="${server.origin}/widget.js" type="module"></script></body></html>`);
    await page.locator("fundstelle-search input[role=combobox]").fill("Kasachstan");
    await page.locator("fundstelle-search [role=option].hit").first().waitFor();
    const status = await shadowStyle(page, ".status", "color");
    expect(status).toBe("rgb(255, 255, 255)");
    expect(await axeViolations(page, ["color-contrast"])).toEqual([]);
    await page.context().close();
  });

  it('in modal mode opens on "/" and Ctrl+K, is driven by the keyboard alone, and gives focus back on close', async () => {
    const page = await openPage(`${server.origin}/`, { bypassCSP: true });
    await page.setContent(`<!doctype html><html lang="de"><head><title>Modal</title></head><body>
      <header><fundstelle-search mode="modal" endpoint="${server.origin}"></fundstelle-search></header>
      <main><label>Anderes Feld <input id="other"></label><p>Inhalt der Seite.</p></main>
      <script src="${server.origin}/widget.js" type="module"></script></body></html>`);
    const widget = page.locator("fundstelle-search");
    await widget.locator("button.open").waitFor();
    const dialogOpen = () =>
      widget.evaluate(
        (el) =>
          (el as unknown as { shadowRoot: { querySelector: (s: string) => { open: boolean } } }).shadowRoot.querySelector("dialog").open,
      );
    /** The focused element, looked up through the widget's shadow root: "input" for its box, "button" for its button. */
    const focused = () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as {
          document: { activeElement: { tagName: string; shadowRoot?: { activeElement: { tagName: string } | null } } | null };
        };
        const active = document.activeElement;
        return (active?.shadowRoot?.activeElement ?? active)?.tagName.toLowerCase() ?? "";
      });
    expect(await dialogOpen()).toBe(false);
    await page.keyboard.press("/");
    expect(await dialogOpen()).toBe(true);
    expect(await focused()).toBe("input");
    await page.keyboard.type("Kasachstan");
    await widget.locator("[role=listbox][data-query=Kasachstan] [role=option].hit").first().waitFor();
    await page.keyboard.press("ArrowDown");
    // Escape closes the list first, then clears the box, then closes the dialog.
    await page.keyboard.press("Escape");
    expect(await widget.locator("[role=listbox]").isVisible()).toBe(false);
    expect(await dialogOpen()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await widget.locator("input[role=combobox]").inputValue()).toBe("");
    await page.keyboard.press("Escape");
    expect(await dialogOpen()).toBe(false);
    // The dialog's close event, which gives focus back, is a task of its own after the dialog closes: wait for it.
    await expect.poll(focused).toBe("button");
    await page.keyboard.press("Control+k");
    expect(await dialogOpen()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await dialogOpen()).toBe(false);
    // Typing "/" in another field types it there.
    await page.locator("#other").focus();
    await page.keyboard.press("/");
    expect(await page.locator("#other").inputValue()).toBe("/");
    expect(await dialogOpen()).toBe(false);
    mkdirSync(`${ROOT}test-output`, { recursive: true });
    await page.keyboard.press("Escape");
    await widget.locator("button.open").click();
    await page.keyboard.type("Kasachstan");
    await widget.locator("[role=listbox][data-query=Kasachstan] [role=option].hit").first().waitFor();
    await page.screenshot({ path: `${ROOT}test-output/widget-modal.png` });
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("has no horizontal scroll at 375 px, results open, in the light and the dark scheme", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await openPage(`${server.origin}/?q=Kasachstan`, { colorScheme });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.locator("fundstelle-search [role=listbox][data-query=Kasachstan] [role=option].hit").first().waitFor();
      const widths = await page.evaluate(() => {
        const { document } = globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
        return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth };
      });
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const box = await page.locator("fundstelle-search [role=listbox]").boundingBox();
      expect((box?.x ?? -1) + (box?.width ?? 1000)).toBeLessThanOrEqual(375);
      mkdirSync(`${ROOT}test-output`, { recursive: true });
      await page.screenshot({ path: `${ROOT}test-output/widget-375-${colorScheme}.png`, fullPage: true });
      await page.context().close();
    }
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
