// The page structure each reader keeps: sections with heading, level and anchor, and the kind of each block.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readHtml } from "../../index-builder/readers/html.js";
import { readJsonl } from "../../index-builder/readers/jsonl.js";
import { readMd } from "../../index-builder/readers/md.js";
import { readTxt } from "../../index-builder/readers/txt.js";
import type { ReadResult, SourceDocument, SourceFile } from "../../index-builder/source.js";

const source = (path: string): SourceFile => ({ path, id: path.replace(/\.[^.]+$/, ""), collection: path.split("/")[0] ?? "" });
const LEAD = { heading: "", level: 0, anchor: null, first: 0 };

/** The one document read, after checking the contract of sections and block kinds. */
function only(result: ReadResult): SourceDocument {
  expect(result.documents).toHaveLength(1);
  const [doc] = result.documents;
  if (!doc) throw new Error("no document");
  expect(doc.blockKinds).toHaveLength(doc.paragraphs.length);
  expect(doc.sections[0]?.first).toBe(0);
  doc.sections.forEach((section, i) => {
    expect(section.first).toBeGreaterThanOrEqual(doc.sections[i - 1]?.first ?? 0);
    expect(section.first).toBeLessThanOrEqual(doc.paragraphs.length);
    expect(section.heading === "").toBe(section.level === 0);
  });
  return doc;
}

const html = (body: string) => only(readHtml(source("x/y.html"), `<html><head><title>T</title></head><body>${body}</body></html>`));
const md = (text: string) => only(readMd(source("x/y.md"), text));
/** Each block with its kind, as "kind: text". */
const blocks = (doc: SourceDocument) => doc.paragraphs.map((text, i) => `${doc.blockKinds[i]}: ${text}`);

const OPENING_HOURS = [
  ["Montag", "8–12 Uhr"],
  ["Dienstag", "8–12 Uhr"],
  ["Mittwoch", "8–12 Uhr"],
  ["Donnerstag", "8–12 Uhr, 14–18 Uhr"],
  ["Freitag", "8–12 Uhr"],
];
const OPENING_SENTENCE = "Das Bürgeramt ist montags bis freitags von 8 bis 12 Uhr geöffnet, donnerstags zusätzlich von 14 bis 18 Uhr.";
const OPENING_ROWS = OPENING_HOURS.map(([day, hours]) => `row: Tag: ${day} | Uhrzeit: ${hours}`);

describe("the town page Bürgeramt", () => {
  const expectOpeningHours = (doc: SourceDocument, anchor: string) => {
    const index = doc.sections.findIndex((section) => section.heading === "Öffnungszeiten");
    const section = doc.sections[index];
    const next = doc.sections[index + 1]?.first ?? doc.paragraphs.length;
    expect(section).toEqual({ heading: "Öffnungszeiten", level: 2, anchor, first: 1 });
    expect(blocks(doc).slice(section?.first, next)).toEqual([`text: ${OPENING_SENTENCE}`, ...OPENING_ROWS]);
  };

  it("as HTML gives the opening hours as 5 labelled rows in the section Öffnungszeiten", () => {
    const rows = OPENING_HOURS.map(([day, hours]) => `<tr><td>${day}</td><td>${hours}</td></tr>`).join("");
    const doc = only(
      readHtml(
        source("stadt/buergeramt.html"),
        `<!DOCTYPE html><html lang="de"><head><title>Bürgeramt</title></head><body>
        <nav><a href="/">Startseite</a></nav>
        <main>
          <h1>Bürgeramt</h1>
          <p>Im Bürgeramt beantragen Sie Personalausweis, Reisepass und Meldebescheinigung.</p>
          <h2 id="oeffnungszeiten">Öffnungszeiten</h2>
          <p>${OPENING_SENTENCE}</p>
          <table><thead><tr><th>Tag</th><th>Uhrzeit</th></tr></thead><tbody>${rows}</tbody></table>
          <h2 id="kontakt">Kontakt</h2>
          <p>Telefon 0341 123-0</p>
        </main>
        <footer>Impressum</footer></body></html>`,
      ),
    );
    expect(doc.title).toBe("Bürgeramt");
    expect(doc.sections).toEqual([
      { heading: "Bürgeramt", level: 1, anchor: null, first: 0 },
      { heading: "Öffnungszeiten", level: 2, anchor: "oeffnungszeiten", first: 1 },
      { heading: "Kontakt", level: 2, anchor: "kontakt", first: 7 },
    ]);
    expectOpeningHours(doc, "oeffnungszeiten");
    expect(doc.paragraphs).toHaveLength(8);
  });

  it("as Markdown gives the same blocks and sections, anchors as GitHub slugs", () => {
    const rows = OPENING_HOURS.map(([day, hours]) => `| ${day} | ${hours} |`).join("\n");
    const doc = md(
      `# Bürgeramt\n\nIm Bürgeramt beantragen Sie Personalausweis, Reisepass und Meldebescheinigung.\n\n## Öffnungszeiten\n\n${OPENING_SENTENCE}\n\n| Tag | Uhrzeit |\n| --- | --- |\n${rows}\n\n## Kontakt\n\nTelefon 0341 123-0\n`,
    );
    expect(doc.title).toBe("Bürgeramt");
    expect(doc.sections).toEqual([
      { heading: "Bürgeramt", level: 1, anchor: "bürgeramt", first: 0 },
      { heading: "Öffnungszeiten", level: 2, anchor: "öffnungszeiten", first: 1 },
      { heading: "Kontakt", level: 2, anchor: "kontakt", first: 7 },
    ]);
    expectOpeningHours(doc, "öffnungszeiten");
  });
});

describe("pages without headings", () => {
  it("a .txt page is one lead section of text blocks", () => {
    const seed = readFileSync(new URL("../../corpus/auswaertiges-amt/deutschland-kasachstan.txt", import.meta.url), "utf8");
    const doc = only(readTxt(source("auswaertiges-amt/deutschland-kasachstan.txt"), seed));
    expect(doc.paragraphs).toHaveLength(5);
    expect(doc.sections).toEqual([LEAD]);
    expect(doc.blockKinds).toEqual(["text", "text", "text", "text", "text"]);
  });

  it("a JSON line is one lead section of text blocks", () => {
    const [doc] = readJsonl(source("x/y.jsonl"), JSON.stringify({ id: "a", title: "T", paragraphs: ["eins", "zwei"] })).documents;
    expect(doc?.sections).toEqual([LEAD]);
    expect(doc?.blockKinds).toEqual(["text", "text"]);
  });

  it("an HTML page or Markdown file without headings is one lead section", () => {
    expect(html("<p>Nur Text</p>").sections).toEqual([LEAD]);
    expect(md("---\ntitle: T\n---\nNur Text").sections).toEqual([LEAD]);
  });
});

describe("sections of an HTML page", () => {
  it("start at h1–h6, with a lead before the first heading, headings without blocks kept", () => {
    const doc = html("<p>Vorspann</p><h1>Eins</h1><h3>Leer</h3><h2>Zwei</h2><p>Text</p><h6>Am Ende</h6>");
    expect(doc.paragraphs).toEqual(["Vorspann", "Text"]);
    expect(doc.sections).toEqual([
      LEAD,
      { heading: "Eins", level: 1, anchor: null, first: 1 },
      { heading: "Leer", level: 3, anchor: null, first: 1 },
      { heading: "Zwei", level: 2, anchor: null, first: 1 },
      { heading: "Am Ende", level: 6, anchor: null, first: 2 },
    ]);
  });

  it("have no lead when the page starts with a heading", () => {
    expect(html("<h2>Erst</h2><p>Text</p>").sections).toEqual([{ heading: "Erst", level: 2, anchor: null, first: 0 }]);
  });

  it.each([
    ["the heading's id", '<h2 id="eigen">Kopf</h2>', "eigen"],
    ["the heading's name", '<h2 name="benannt">Kopf</h2>', "benannt"],
    ["an anchor inside the heading", '<h2><a name="innen"></a>Kopf</h2>', "innen"],
    ["an element with an id inside the heading", '<h2><span id="spanne">Kopf</span></h2>', "spanne"],
    ["the nearest <a name> before it", '<a name="weit"></a><a name="nah"></a><h2>Kopf</h2>', "nah"],
    ["an <a id> before it", '<a id="vorher"></a><h2>Kopf</h2>', "vorher"],
    ["an empty element with an id before it", '<div id="marke"></div><h2>Kopf</h2>', "marke"],
    ["an anchor after the last text of the block before", '<p>Text <a name="danach"></a></p><h2>Kopf</h2>', "danach"],
    ["its own id rather than an anchor before it", '<a name="vorher"></a><h2 id="eigen">Kopf</h2>', "eigen"],
    ["a container with an id it opens (TYPO3's content elements)", '<div id="c123"><h2>Kopf</h2><p>Inhalt</p></div>', "c123"],
    ["the innermost such container", '<section id="aussen"><div id="c7"><h2>Kopf</h2></div></section>', "c7"],
    ["nothing: a container with an id and text before the heading", '<div id="c9"><p>Zwischentext</p><h2>Kopf</h2></div>', null],
    ["nothing: no anchor at all", "<h2>Kopf</h2>", null],
    ["nothing: an anchor before a block with content", '<a name="alt"></a><p>Zwischentext</p><h2>Kopf</h2>', null],
    ["nothing: an anchor inside the paragraph before", '<p><a name="im-text"></a>Zwischentext</p><h2>Kopf</h2>', null],
    ["nothing: an element with an id and text before it", '<p id="absatz">Zwischentext</p><h2>Kopf</h2>', null],
  ])("take their anchor from %s", (_name, markup, anchor) => {
    const doc = html(`<main><p>Anfang</p>${markup}<p>Inhalt</p></main>`);
    expect(doc.sections.at(-1)).toEqual({ heading: "Kopf", level: 2, anchor, first: doc.paragraphs.indexOf("Inhalt") });
  });

  it("do not pass an anchor on to the heading after the next", () => {
    const doc = html('<a name="a"></a><h2>Erste</h2><h3>Zweite</h3><p>Text</p>');
    expect(doc.sections.map((section) => section.anchor)).toEqual(["a", null]);
  });

  it("have heading text without chrome or hidden text, and a heading without text starts none", () => {
    const doc = html('<p>A</p><h2>Sicht<span hidden>bar</span><button>Kopieren</button></h2><p>B</p><h2><img alt="Bild"></h2><p>C</p>');
    expect(doc.sections).toEqual([LEAD, { heading: "Sicht", level: 2, anchor: null, first: 1 }]);
  });
});

describe("the title of an HTML page", () => {
  const page = (title: string, h1: string) =>
    only(
      readHtml(source("x/y.html"), `<html><head><title>${title}</title></head><body><main><h1>${h1}</h1><p>Text</p></main></body></html>`),
    ).title;

  it("is the <h1> when the <title> adds the site's name after it", () => {
    expect(page("Bürgerbüro – Stadt Musterhausen", "Bürgerbüro")).toBe("Bürgerbüro");
    expect(page("Bürgerbüro | Stadt Musterhausen", "Bürgerbüro")).toBe("Bürgerbüro");
    expect(page("Bürgerbüro - Musterhausen", "Bürgerbüro")).toBe("Bürgerbüro");
  });

  it("is the <title> otherwise: context before the name, a longer name, or another text", () => {
    expect(page("PDF-Export – Allgemein", "Allgemein")).toBe("PDF-Export – Allgemein");
    expect(page("Nach unten ausfüllen", "Nach unten")).toBe("Nach unten ausfüllen");
    expect(page("Bürgerbüro-Service", "Bürgerbüro")).toBe("Bürgerbüro-Service");
    expect(page("Rathaus", "Willkommen")).toBe("Rathaus");
  });
});

describe("sections of a Markdown file", () => {
  it("start at # and setext headings of the page, the title's heading included, with GitHub slugs", () => {
    const doc = md("Vorspann\n\n# Titel\n\nText\n\nUnterstrichen\n-------------\n\n### Tief `Code`\n");
    expect(doc.title).toBe("Titel");
    expect(doc.sections).toEqual([
      LEAD,
      { heading: "Titel", level: 1, anchor: "titel", first: 1 },
      { heading: "Unterstrichen", level: 2, anchor: "unterstrichen", first: 2 },
      { heading: "Tief Code", level: 3, anchor: "tief-code", first: 2 },
    ]);
  });

  it("number repeated slugs as GitHub does, counting headings in block quotes and lists, which start no section", () => {
    const doc = md(
      "# Preise\n\n## Öffnungszeiten & Preise\n\nA\n\n## Öffnungszeiten & Preise\n\nB\n\n> ## Öffnungszeiten & Preise\n>\n> Zitat\n\n- ## Preise\n\n## Öffnungszeiten & Preise\n\nC\n",
    );
    expect(doc.paragraphs).toEqual(["A", "B", "Zitat", "C"]);
    expect(doc.sections.map((section) => [section.heading, section.anchor, section.first])).toEqual([
      ["Preise", "preise", 0],
      ["Öffnungszeiten & Preise", "öffnungszeiten--preise", 0],
      ["Öffnungszeiten & Preise", "öffnungszeiten--preise-1", 1],
      ["Öffnungszeiten & Preise", "öffnungszeiten--preise-3", 3],
    ]);
  });

  it("start afresh in each file: slugs are numbered per document", () => {
    expect(md("# Gleich\n\nText").sections[0]?.anchor).toBe("gleich");
    expect(md("# Gleich\n\nText").sections[0]?.anchor).toBe("gleich");
  });
});

describe("table rows", () => {
  const table = (rows: string) => blocks(html(`<main><table>${rows}</table></main>`));

  it("are labelled by the <thead>'s row, which is no block", () => {
    expect(table("<thead><tr><th>Tag</th><th>Uhrzeit</th></tr></thead><tbody><tr><td>Montag</td><td>8–12 Uhr</td></tr></tbody>")).toEqual([
      "row: Tag: Montag | Uhrzeit: 8–12 Uhr",
    ]);
  });

  it("are labelled by a first row of <th> cells only", () => {
    expect(
      table("<tr><th>Tag</th><th>Uhrzeit</th></tr><tr><td>Montag</td><td>8–12 Uhr</td></tr><tr><th>Dienstag</th><td>zu</td></tr>"),
    ).toEqual(["row: Tag: Montag | Uhrzeit: 8–12 Uhr", "row: Tag: Dienstag | Uhrzeit: zu"]);
  });

  it("without a header row are their cells joined with |", () => {
    expect(table("<tr><th>Taste</th><td>Strg+F</td></tr><tr><td>Montag</td><td>8–12 Uhr</td></tr>")).toEqual([
      "row: Taste | Strg+F",
      "row: Montag | 8–12 Uhr",
    ]);
  });

  it("leave out empty cells and the label of an empty header cell; a row of one cell is its text; a row without content is dropped", () => {
    expect(
      table(
        "<thead><tr><th></th><th>Uhrzeit</th><th>Raum</th></tr></thead>" +
          "<tr><td>Montag</td><td></td><td>A 1</td></tr><tr><td colspan=3>Feiertags geschlossen</td></tr><tr><td>–</td><td> </td></tr>",
      ),
    ).toEqual(["row: Montag | Raum: A 1", "row: Feiertags geschlossen"]);
  });

  it("label the cells after a wide header cell by that cell", () => {
    expect(table('<tr><th colspan="2">Zeit</th><th>Ort</th></tr><tr><td>8</td><td>12</td><td>Rathaus</td></tr>')).toEqual([
      "row: Zeit: 8 | Zeit: 12 | Ort: Rathaus",
    ]);
  });

  it("flatten a table inside a cell into that cell", () => {
    expect(table("<tr><td>Außen</td><td><table><tr><td>innen 1</td><td>innen 2</td></tr></table></td></tr>")).toEqual([
      "row: Außen | innen 1 innen 2",
    ]);
  });

  it("in Markdown are labelled by the GFM header row", () => {
    const doc = md("# T\n\n| Tag | | Raum |\n| --- | --- | --- |\n| Montag | früh | |\n| | | |\n");
    expect(blocks(doc)).toEqual(["row: Tag: Montag | früh"]);
  });
});

describe("list items", () => {
  const long = "Ein langer Punkt, der mehr als achtzig Zeichen hat und deshalb als eigener Absatz gelesen wird.";

  it("in a run of short items are one block, split by a long item", () => {
    expect(blocks(html(`<ul><li>Eins</li><li>Zwei</li><li>${long}</li><li>Drei</li></ul>`))).toEqual([
      "list: Eins • Zwei",
      `text: ${long}`,
      "list: Drei",
    ]);
    expect(blocks(md(`# T\n\n- Eins\n- Zwei\n- ${long}\n- Drei\n`))).toEqual(["list: Eins • Zwei", `text: ${long}`, "list: Drei"]);
  });

  it("with a nested list or several paragraphs end the run and are read as blocks of their own", () => {
    expect(
      blocks(html("<ol><li>Eins</li><li>Zwei<ul><li>a</li><li>b</li></ul></li><li><p>Drei</p><p>Vier</p></li><li>Fünf</li></ol>")),
    ).toEqual(["list: Eins", "text: Zwei", "list: a • b", "text: Drei", "text: Vier", "list: Fünf"]);
    expect(blocks(md("# T\n\n1. Eins\n2. Zwei\n   - a\n   - b\n3. Drei\n\n   Vier\n4. Fünf\n"))).toEqual([
      "list: Eins",
      "text: Zwei",
      "list: a • b",
      "text: Drei",
      "text: Vier",
      "list: Fünf",
    ]);
  });

  it("of two lists are two blocks", () => {
    expect(blocks(html("<ul><li>a</li></ul><ul><li>b</li></ul>"))).toEqual(["list: a", "list: b"]);
  });
});

describe("code blocks", () => {
  it("are <pre> in HTML and fenced or indented code in Markdown", () => {
    expect(blocks(html("<p>Text</p><pre>npm run  build</pre>"))).toEqual(["text: Text", "code: npm run build"]);
    expect(blocks(md("# T\n\n```sh\nnpm test\n```\n\n    eingerückt\n"))).toEqual(["code: npm test", "code: eingerückt"]);
  });
});

describe("hidden text and chrome in HTML", () => {
  it.each([
    ["the hidden attribute", "<p hidden>GEHEIM</p>"],
    ['aria-hidden="true"', '<p aria-hidden="true">GEHEIM</p>'],
    ["display:none", '<p style="display:none">GEHEIM</p>'],
    ["display: none in other case and spacing", '<div style="color: red; DISPLAY :  None !important"><p>GEHEIM</p></div>'],
    ["visibility:hidden", '<span style="visibility:hidden">GEHEIM</span>'],
    ["visibility: hidden in other case and spacing", '<p style="Visibility : HIDDEN;">GEHEIM</p>'],
    ["<template>", "<template><p>GEHEIM</p></template>"],
    ["<meta>", '<meta name="description" content="GEHEIM">'],
    ["alt and title attributes", '<p><img alt="GEHEIM" title="GEHEIM" src="a.png"><abbr title="GEHEIM">z. B.</abbr></p>'],
  ])("%s is never indexed", (_name, markup) => {
    const doc = html(`<main><p>Sichtbar</p>${markup}<p>Auch sichtbar</p></main>`);
    expect(doc.paragraphs.join(" ")).not.toContain("GEHEIM");
    expect(doc.paragraphs).toContain("Sichtbar");
  });

  it("keeps style that does not hide", () => {
    expect(html('<main><p style="display: block; visibility: visible">Sichtbar</p></main>').paragraphs).toEqual(["Sichtbar"]);
  });

  it("keeps an <aside> inside the main content as a note box, and skips one outside it or without a main container", () => {
    const doc = html("<aside>Seitenleiste</aside><main><p>Text</p><aside><p>Hinweis: Bringen Sie Ihren Ausweis mit.</p></aside></main>");
    expect(doc.paragraphs).toEqual(["Text", "Hinweis: Bringen Sie Ihren Ausweis mit."]);
    expect(html("<p>Text</p><aside>Seitenleiste</aside>").paragraphs).toEqual(["Text"]);
  });

  it("keeps a LibreOffice help page's howtoget box, note, tip and warning and menu paths, in the section where they stand", () => {
    const page = `<html><head><title>Symbolleiste Serienbrief</title></head><body>
      <header id="TopLeftHeader"><p>Hilfe für LibreOffice</p></header>
      <aside class="leftside"><div id="Index">Index</div></aside>
      <div id="DisplayArea">
        <a name="mail_merge_toolbar"></a>
        <h1 id="hd_id1" dir="auto">Symbolleiste Serienbrief</h1>
        <p id="par_id1" class="paragraph">Die Symbolleiste Serienbrief enthält Befehle.</p>
        <a name="howtoget"></a><div class="howtoget">
          <div><p class="howtogetheader"><a name="wie"></a>So greifen Sie auf diesen Befehl zu:</p></div>
          <div class="howtogetbody"><p class="paragraph">Wählen Sie <span class="menuitem">Ansicht – Symbolleisten</span>.</p></div>
        </div><br>
        <a name="bm_id1"></a>
        <h2 dir="auto">Empfänger ausschließen</h2>
        <div class="note"><div class="noteicon"><img src="note.svg" alt="Notizsymbol"></div><div class="notetext"><p>Eine Notiz.</p></div></div>
        <div class="tip"><div class="noteicon"><img src="tip.svg" alt="Tippsymbol"></div><div class="notetext"><p>Ein Tipp.</p></div></div>
        <div class="warning"><div class="noteicon"><img src="warning.svg" alt="Warnsymbol"></div><div class="notetext"><p>Eine Warnung.</p></div></div>
        <p>Drücken Sie <span class="switchinline"><span class="switch" id="MAC" hidden>Befehl</span><span class="defaultinline" id="default_1" hidden>Strg</span></span>+P.</p>
        <span id="sw_1" class="switch">
          <span hidden="true" id="CALC_1" class="CALC"><p>Nur in Calc: Zellen verbinden.</p></span>
          <span hidden="true" id="default_2" class="default"><p>Wählen Sie Format – Zeichen.</p></span>
        </span>
        <div class="relatedtopics"><p class="related">Verwandte Themen</p></div>
      </div>
      <footer><div id="DEBUG" class="debug"><p>This page is: /text/swriter</p></div></footer>
    </body></html>`;
    const doc = only(readHtml(source("help/serienbrief.html"), page));
    expect(doc.paragraphs).toEqual([
      "Die Symbolleiste Serienbrief enthält Befehle.",
      "So greifen Sie auf diesen Befehl zu:",
      "Wählen Sie Ansicht – Symbolleisten.",
      "Eine Notiz.",
      "Ein Tipp.",
      "Eine Warnung.",
      "Drücken Sie Strg+P.",
      // A block switch ("switch", not "switchinline"): its default variant, as the page shows it without script.
      "Wählen Sie Format – Zeichen.",
    ]);
    expect(doc.sections).toEqual([
      { heading: "Symbolleiste Serienbrief", level: 1, anchor: "hd_id1", first: 0 },
      { heading: "Empfänger ausschließen", level: 2, anchor: "bm_id1", first: 3 },
    ]);
  });
});
