// Pages ranked as pages (group=document): a site's pages with headings, tables and lists, read by the real readers,
// built and searched; each page once, with its best sections as sub-results.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp } from "../../worker/app.js";
import { type DocumentAnswer, documentOf } from "../../worker/backend.js";
import { documentPage } from "../../worker/pages.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../../worker/search/search.js";

const SENTENCE = "Das Bürgeramt ist montags bis freitags von 8 bis 12 Uhr geöffnet, donnerstags zusätzlich von 14 bis 18 Uhr.";
const DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"];
const HOURS = ["8–12 Uhr", "8–12 Uhr", "8–12 Uhr", "8–12 und 14–18 Uhr", "8–12 Uhr"];

const TOWN_HTML = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Bürgeramt</title></head><body>
<nav><a href="/">Startseite</a> <a href="/rathaus">Rathaus</a></nav>
<main>
<h1>Bürgeramt</h1>
<p>Im Bürgeramt beantragen Sie Ausweise, melden Ihren Wohnsitz an und erhalten Beglaubigungen.</p>
<h2 id="oeffnungszeiten">Öffnungszeiten</h2>
<p>${SENTENCE}</p>
<table><thead><tr><th>Tag</th><th>Uhrzeit</th></tr></thead><tbody>
${DAYS.map((day, i) => `<tr><td>${day}</td><td>${HOURS[i]}</td></tr>`).join("\n")}
</tbody></table>
<h2 id="unterlagen">Unterlagen</h2>
<ul><li>Personalausweis</li><li>Meldebescheinigung</li><li>Passfoto</li></ul>
<h2 id="anfahrt">Anfahrt</h2>
<p>Das Rathaus erreichen Sie mit den Buslinien 3 und 7, Haltestelle Marktplatz.</p>
</main>
<footer>Stadt Musterhausen</footer>
</body></html>`;

const TOWN_MD = `# Standesamt

Im Standesamt melden Sie Geburten an und bestellen das Aufgebot.

## Öffnungszeiten

Das Standesamt ist montags bis freitags von 9 bis 12 Uhr geöffnet.

| Tag | Uhrzeit |
| --- | --- |
| Montag | 9–12 Uhr |
| Freitag | 9–12 Uhr |

## Trauungen

Trauungen finden im Trausaal des Rathauses statt.
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The town's site as a corpus folder: two pages with sections and a page without the word. */
async function townIndex() {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-pages-"));
  dirs.push(dir);
  mkdirSync(join(dir, "stadt"), { recursive: true });
  writeFileSync(
    join(dir, "stadt/collection.json"),
    JSON.stringify({ title: "Stadt Musterhausen", baseUrl: "https://www.musterhausen.de/" }),
  );
  writeFileSync(join(dir, "stadt/buergeramt.html"), TOWN_HTML);
  writeFileSync(join(dir, "stadt/standesamt.md"), TOWN_MD);
  writeFileSync(join(dir, "stadt/abfall.md"), "# Abfallkalender\n\nDie Biotonne wird mittwochs geleert.\n");
  return loadIndex(artifactModule(buildArtifact(await readCorpus(dir), null, "test")));
}

const request = (q: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({
  q,
  limit: 10,
  offset: 0,
  sort: "relevance",
  fuzzy: "auto",
  prefix: true,
  group: "document",
  ...extra,
});

describe("the opening-hours page", () => {
  let index: Awaited<ReturnType<typeof townIndex>>;
  beforeAll(async () => {
    index = await townIndex();
  });

  it("answers one hit per page for Öffnungszeiten, with the sentence in its top section", () => {
    const result = search(index, request("Öffnungszeiten"));
    const ids = result.hits.map((hit) => hit.doc.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(["stadt/buergeramt", "stadt/standesamt"]);
    expect(result.total).toBe(2);
    const page = result.hits.find((hit) => hit.doc.id === "stadt/buergeramt");
    const top = page?.sections?.[0];
    expect(top).toMatchObject({
      heading: "Öffnungszeiten",
      headingHtml: "<mark>Öffnungszeiten</mark>",
      level: 2,
      anchor: "oeffnungszeiten",
      url: "https://www.musterhausen.de/buergeramt.html#oeffnungszeiten",
    });
    const doc = documentOf(index, "stadt/buergeramt");
    expect(doc?.paragraphs[top?.paragraph ?? -1]).toBe(SENTENCE);
    // The table is one block per row, labelled by its header row, all in the section.
    expect(doc?.paragraphs).toContain("Tag: Montag | Uhrzeit: 8–12 Uhr");
  });

  it("gives a Markdown page's sections GitHub-style anchors", () => {
    const result = search(index, request("Öffnungszeiten Standesamt"));
    const page = result.hits[0];
    expect(page?.doc.id).toBe("stadt/standesamt");
    expect(page?.sections?.[0]).toMatchObject({ heading: "Öffnungszeiten", anchor: "öffnungszeiten", level: 2 });
    expect(page?.sections?.[0]?.url).toBe("https://www.musterhausen.de/standesamt.html#%C3%B6ffnungszeiten");
  });

  it("finds a page by words spread over its sections, which no one paragraph holds", () => {
    const result = search(index, request("Buslinien Passfoto"));
    expect(result.hits[0]?.doc.id).toBe("stadt/buergeramt");
    expect(result.partial).toBe(false);
    const headings = result.hits[0]?.sections?.map((section) => section.heading).sort();
    expect(headings).toEqual(["Anfahrt", "Unterlagen"]);
    // In paragraph mode no paragraph holds both words: only partial hits.
    expect(search(index, request("Buslinien Passfoto", { group: undefined })).partial).toBe(true);
  });

  it("keeps paragraph mode one hit per paragraph, without sections: a heading leads to its section's first block", () => {
    const result = search(index, request("Öffnungszeiten", { group: undefined }));
    // Before, every table cell under the heading was a hit of its own, and they ranked above the sentence.
    expect(result.hits.map((hit) => hit.id).sort()).toEqual(["stadt/buergeramt#1", "stadt/standesamt#1"]);
    expect(result.hits.every((hit) => hit.sections === undefined)).toBe(true);
  });
});

/** A document answer of one lead section with these blocks, for the HTML view. */
function answer(paragraphs: string[], blocks: DocumentAnswer["blocks"]): DocumentAnswer {
  const lead = { heading: "", level: 0, anchor: null, paragraph: 0 };
  return { id: "x/y", title: "T", url: null, date: null, kind: null, collection: "x", paragraphs, sections: [lead], blocks };
}

describe("the document view", () => {
  let index: Awaited<ReturnType<typeof townIndex>>;
  beforeAll(async () => {
    index = await townIndex();
  });
  const app = createApp(() => index);

  it("answers a page's sections and block kinds as JSON", async () => {
    const res = await app.request("/documents/stadt%2Fbuergeramt");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { sections: unknown[]; blocks: string[]; paragraphs: string[] };
    expect(doc.sections).toEqual([
      { heading: "Bürgeramt", level: 1, anchor: null, paragraph: 0 },
      { heading: "Öffnungszeiten", level: 2, anchor: "oeffnungszeiten", paragraph: 1 },
      { heading: "Unterlagen", level: 2, anchor: "unterlagen", paragraph: 7 },
      { heading: "Anfahrt", level: 2, anchor: "anfahrt", paragraph: 8 },
    ]);
    expect(doc.blocks).toEqual(["text", "text", "row", "row", "row", "row", "row", "list", "text"]);
    expect(doc.paragraphs[7]).toBe("Personalausweis • Meldebescheinigung • Passfoto");
  });

  it("shows headings with their anchors, the table as a table and the list as a list", async () => {
    const res = await app.request("/documents/stadt%2Fbuergeramt", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    // The h1 is the title, once; the sections' headings follow at their levels, with their anchors.
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<h2 id="oeffnungszeiten">Öffnungszeiten</h2>\n<p id="p-1">Das Bürgeramt ist montags');
    // The header row comes back from the rows' labels; each cell stands under its label.
    expect(html).toContain(
      '<table>\n<thead><tr><th scope="col">Tag</th><th scope="col">Uhrzeit</th></tr></thead>\n<tbody>\n<tr id="p-2"><td>Montag</td><td>8–12 Uhr</td></tr>\n<tr id="p-3">',
    );
    expect(html).toContain('<tr id="p-6"><td>Freitag</td><td>8–12 Uhr</td></tr>\n</tbody>\n</table>');
    expect(html).toContain(
      '<h2 id="unterlagen">Unterlagen</h2>\n<ul id="p-7"><li>Personalausweis</li><li>Meldebescheinigung</li><li>Passfoto</li></ul>',
    );
    expect(html).toContain('<h2 id="anfahrt">Anfahrt</h2>\n<p id="p-8">');
  });

  it("anchors the title's heading on the h1, and keeps a table without header rows as plain rows", async () => {
    const html = await (await app.request("/documents/stadt%2Fstandesamt", { headers: { Accept: "text/html" } })).text();
    expect(html).toContain('<h1 id="standesamt">Standesamt</h1>');
    expect(html).not.toContain('<span id="standesamt">');
    const view = documentPage(
      answer(["Montag | 8 Uhr", "Tag: Dienstag", "Tag: Mittwoch | Uhrzeit: 9 Uhr"], ["row", "text", "row"]),
      undefined,
    );
    expect(view).toContain('<table>\n<tr id="p-0"><td>Montag</td><td>8 Uhr</td></tr>\n</table>');
    expect(view).toContain('<tr id="p-2"><td>Mittwoch</td><td>9 Uhr</td></tr>');
  });

  it("leaves a cell empty where its row has none under that label", () => {
    const view = documentPage(
      answer(["Tag: Montag | Uhrzeit: 8 Uhr | Hinweis: mit Termin", "Tag: Mittwoch | Hinweis: geschlossen"], ["row", "row"]),
      undefined,
    );
    expect(view).toContain('<tr id="p-1"><td>Mittwoch</td><td></td><td>geschlossen</td></tr>');
  });
});

describe("tables in the document view", () => {
  it("keep the reader's cells: a cell holding ' | ' or ': ' adds no column (HTML and Markdown)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fundstelle-cells-"));
    dirs.push(dir);
    mkdirSync(join(dir, "stadt"), { recursive: true });
    const cell = "Montag | Dienstag: 8 Uhr";
    writeFileSync(
      join(dir, "stadt/zeiten.html"),
      `<title>Zeiten</title><main><table><thead><tr><th>Tag</th><th>Zeit</th></tr></thead><tbody><tr><td>${cell}</td><td>9–12 Uhr</td></tr><tr><td>Freitag</td><td>geschlossen</td></tr></tbody></table><p>Hinweis</p><table><tr><td>a | b</td><td>c</td></tr></table></main>`,
    );
    writeFileSync(join(dir, "stadt/plan.md"), "# Plan\n\n| Tag | Zeit |\n| --- | --- |\n| Montag \\| Dienstag: 8 Uhr | 9 Uhr |\n");
    const index = loadIndex(artifactModule(buildArtifact(await readCorpus(dir), null, "test")));
    const zeiten = documentOf(index, "stadt/zeiten") as DocumentAnswer;
    expect(zeiten.rows).toEqual([
      {
        paragraph: 0,
        cells: [
          { label: "Tag", text: cell },
          { label: "Zeit", text: "9–12 Uhr" },
        ],
      },
      {
        paragraph: 1,
        cells: [
          { label: "Tag", text: "Freitag" },
          { label: "Zeit", text: "geschlossen" },
        ],
      },
      {
        paragraph: 3,
        cells: [
          { label: null, text: "a | b" },
          { label: null, text: "c" },
        ],
      },
    ]);
    const view = documentPage(zeiten, undefined);
    expect(view).toContain('<thead><tr><th scope="col">Tag</th><th scope="col">Zeit</th></tr></thead>');
    expect(view).toContain(`<tr id="p-0"><td>${cell}</td><td>9–12 Uhr</td></tr>`);
    expect(view).toContain('<table>\n<tr id="p-3"><td>a | b</td><td>c</td></tr>\n</table>');
    const plan = documentPage(documentOf(index, "stadt/plan") as DocumentAnswer, undefined);
    expect(plan).toContain('<thead><tr><th scope="col">Tag</th><th scope="col">Zeit</th></tr></thead>');
    expect(plan).toContain(`<td>${cell}</td><td>9 Uhr</td>`);
  });
});
