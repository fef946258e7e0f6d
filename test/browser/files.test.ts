// The widget on a town hall's site with its PDFs (test/fixtures/townhall): a PDF hit shows its file type and page,
// its sections their pages, and they link to file.pdf#page=N. The real app and index, served on loopback from Node.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { CHROMIUM_ARGS, chromiumPath } from "./servers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const executablePath = chromiumPath();
if (!executablePath && process.env.CI === "true") throw new Error("Chromium not found: browser tests need it (apt-get install chromium).");

/** Serves the app on a free loopback port: each request through its fetch, as workerd would hand it over. */
async function serve(app: ReturnType<typeof createApp>): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const answer = await app.fetch(
      new Request(`http://127.0.0.1${request.url ?? "/"}`, { method: request.method, headers: request.headers as HeadersInit }),
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!executablePath)("the widget with PDF hits", () => {
  const cache = mkdtempSync(join(tmpdir(), "fundstelle-files-"));
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;

  beforeAll(async () => {
    const corpus = await readCorpus(join(ROOT, "test/fixtures/townhall"), undefined, { cacheDir: cache });
    const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
    server = await serve(createApp(() => index));
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('shows "PDF · S. 2" on the statute\'s hit and "S. N" on its sections, which link to the PDF\'s page', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 }, locale: "de-DE" });
    await page.goto(`${server.origin}/`);
    const input = page.locator("fundstelle-search input[role=combobox]");
    await input.fill("Steuersatz zweiter Hund");
    const hit = page.locator('fundstelle-search [role=listbox][data-query="Steuersatz zweiter Hund"] [role=option].hit').first();
    await hit.waitFor({ timeout: 10_000 });
    await expect.poll(() => hit.locator("[part=badge]").textContent()).toBe("PDF · S. 2");
    expect(await hit.getAttribute("data-href")).toBe("https://www.musterhausen.de/fileadmin/dokumente/hundesteuersatzung.pdf#page=2");
    // The kind "PDF" is the badge already: the meta line does not repeat it.
    expect(await hit.locator("[part=meta]").textContent()).not.toMatch(/\bPDF\b/);
    const sections = page.locator("fundstelle-search [role=option].section");
    const badges = await sections.locator("[part=badge]").allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    for (const badge of badges) expect(badge).toMatch(/^S\. \d+$/);
    await page.screenshot({ path: join(ROOT, "test-output/widget-pdf.png") });
    // A web page's hit has no badge.
    await input.fill("Personalausweis beantragen");
    const web = page.locator('fundstelle-search [role=listbox][data-query="Personalausweis beantragen"] [role=option].hit').first();
    await web.waitFor({ timeout: 10_000 });
    expect(await web.locator("[part=badge]").count()).toBe(0);
    await page.close();
  });
});
