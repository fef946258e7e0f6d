// The PDF reader on the fixtures of scripts/make-test-pdfs.ts, and its layout rules on hand-made text items.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BinaryLimits, DEFAULT_BINARY_LIMITS, type ExtractedDocument, type Extraction } from "../../index-builder/readers/binary.js";
import { meaningfulTitle, PDF_PROBLEMS, pdfDate, readPdf } from "../../index-builder/readers/pdf.js";
import {
  isPageNumber,
  joinLines,
  layoutDocument,
  layoutPages,
  MAX_ITEMS_PER_PAGE,
  type PageText,
  pageLines,
  type TextItem,
} from "../../index-builder/readers/pdf-layout.js";
import { cleanText, hasContent, isIsoDate } from "../../index-builder/source.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/pdf/${name}`, import.meta.url)));
const read = (name: string, limits: BinaryLimits = DEFAULT_BINARY_LIMITS) => readPdf(fixture(name), limits);
const documentOf = (extraction: Extraction): ExtractedDocument => {
  if ("problem" in extraction) throw new Error(`unexpected problem: ${extraction.problem}`);
  return extraction.document;
};
const problemOf = (extraction: Extraction): string => {
  if (!("problem" in extraction)) throw new Error("expected a problem, got a document");
  return extraction.problem;
};

describe("the 3-page statute", async () => {
  const doc = documentOf(await read("hundesteuersatzung.pdf"));
  const text = doc.paragraphs.join("\n");

  it("has one section per page, linked as page=N, headed by the title or the first § line", () => {
    expect(doc.pages).toBe(3);
    expect(doc.sections).toEqual([
      { heading: "Hundesteuersatzung der Stadt Musterhausen", level: 2, anchor: "page=1", first: 0 },
      { heading: "§ 2 Steuersatz", level: 2, anchor: "page=2", first: 4 },
      { heading: "§ 4 Inkrafttreten", level: 2, anchor: "page=3", first: 8 },
    ]);
  });

  it("keeps further headings of a page as blocks of their own", () => {
    expect(doc.paragraphs).toContain("§ 1 Steuergegenstand");
    expect(doc.paragraphs).toContain("§ 3 Steuerermäßigung");
    expect(doc.blockKinds).toEqual(doc.paragraphs.map(() => "text"));
  });

  it("joins the lines of a paragraph and undoes hyphenation at line ends", () => {
    expect(text).toContain("die Anmeldung erfolgt mit dem Antragsformular der Stadtkasse.".replace("die", "Die"));
    expect(text).toContain("der Kfz-Zulassung oder dem Rettungsdienst");
    expect(text).toContain("auf Bus- und Bahnverbindungen nicht");
    expect(doc.paragraphs[0]).toBe(
      "Aufgrund der Gemeindeordnung und des Kommunalabgabengesetzes hat der Rat der Stadt Musterhausen in seiner Sitzung vom 12. März 2024 die folgende Satzung beschlossen.",
    );
  });

  it("drops the running header and the page-number footer", () => {
    expect(text).not.toMatch(/Stadt Musterhausen – Hundesteuersatzung|Seite \d von 3/);
  });

  it("expands ligatures", () => {
    expect(text).toContain("öffentlichen Bekanntmachung");
    expect(text).toContain("Häufigkeit");
    expect(text).toContain("Steuerpflicht");
    expect(text).not.toMatch(/[\uFB00-\uFB06\u00AD]/);
  });

  it("takes the title from the metadata and the date as an ISO day", () => {
    expect(doc.title).toBe("Hundesteuersatzung der Stadt Musterhausen");
    expect(doc.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(isIsoDate(doc.date ?? "")).toBe(true);
  });

  it("gives every block as cleaned text with content", () => {
    for (const paragraph of doc.paragraphs) {
      expect(paragraph).toBe(cleanText(paragraph));
      expect(hasContent(paragraph)).toBe(true);
    }
  });

  it("reads the same text from a copy with only an owner password", async () => {
    const owner = documentOf(await read("owner-password-only.pdf"));
    expect(owner.paragraphs).toEqual(doc.paragraphs);
    expect(owner.sections).toEqual(doc.sections);
  });

  it("leaves the caller's bytes usable", async () => {
    const bytes = fixture("hundesteuersatzung.pdf");
    await readPdf(bytes, DEFAULT_BINARY_LIMITS);
    expect(bytes.byteLength).toBeGreaterThan(1000);
    expect(documentOf(await readPdf(bytes, DEFAULT_BINARY_LIMITS)).paragraphs).toEqual(doc.paragraphs);
  });
});

describe("the one-page form", async () => {
  const doc = documentOf(await read("anwohnerparkausweis.pdf"));

  it("has one section headed by the form's title, and its lines as blocks", () => {
    expect(doc.pages).toBe(1);
    expect(doc.sections).toEqual([{ heading: "Antrag auf Anwohnerparkausweis", level: 2, anchor: "page=1", first: 0 }]);
    expect(doc.title).toBe("Antrag auf Anwohnerparkausweis");
    expect(doc.paragraphs).toContain("Angaben zum Fahrzeug");
    expect(doc.paragraphs).toContain("Die Gebühr für den Anwohnerparkausweis beträgt 30,70 Euro für ein Jahr.");
  });

  it("keeps a header line that appears on one page only", () => {
    expect(doc.paragraphs[0]).toBe("Stadt Musterhausen – Bürgerbüro");
  });
});

describe("files that are skipped", () => {
  it("an image without text asks for OCR", async () => {
    expect(problemOf(await read("image-only.pdf"))).toBe(PDF_PROBLEMS.noText);
    expect(PDF_PROBLEMS.noText).toBe("has no text layer (a scanned image?); skipped: run OCR on it first, for example with ocrmypdf");
  });

  it("a file with a password to open it is encrypted", async () => {
    expect(problemOf(await read("encrypted.pdf"))).toBe("is encrypted (password-protected); skipped");
  });

  it("a truncated file is damaged", async () => {
    expect(problemOf(await read("truncated.pdf"))).toMatch(/^is damaged or not a PDF \(.+\); skipped$/);
  });

  it("a text file named .pdf is not a PDF", async () => {
    expect(problemOf(await read("not-a-pdf.pdf"))).toBe("is not a PDF (it does not start with %PDF); skipped");
  });

  it("empty bytes and junk after a PDF header never throw", async () => {
    expect(problemOf(await readPdf(new Uint8Array(), DEFAULT_BINARY_LIMITS))).toBe(PDF_PROBLEMS.notPdf);
    const junk = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF");
    expect(problemOf(await readPdf(junk, DEFAULT_BINARY_LIMITS))).toMatch(/skipped/);
  });

  it("more pages than the limit, checked before any page is read", async () => {
    expect(problemOf(await read("hundesteuersatzung.pdf", { maxBytes: DEFAULT_BINARY_LIMITS.maxBytes, maxPages: 2 }))).toBe(
      "has 3 pages, more than the limit of 2; skipped (raise fundstelle.limits.pdfPages in package.json to read it)",
    );
  });

  it("more bytes than the limit, checked before pdf.js", async () => {
    expect(problemOf(await read("hundesteuersatzung.pdf", { maxBytes: 1000, maxPages: 500 }))).toMatch(
      /^is \d+\.\d KiB, more than the limit of 1000 bytes; skipped \(raise fundstelle\.limits\.fileMegabytes in package\.json to read it\)$/,
    );
  });
});

describe("metadata", () => {
  it.each([
    ["D:20240315120000+01'00'", "2024-03-15"],
    ["D:20240315", "2024-03-15"],
    ["20241231235959Z", "2024-12-31"],
    ["D:20240231120000", null],
    ["D:2024", null],
    ["", null],
    [undefined, null],
  ])("the PDF date %j is %j", (value, expected) => {
    expect(pdfDate(value)).toBe(expected);
  });

  it.each([
    ["Hundesteuersatzung der Stadt Musterhausen", "Hundesteuersatzung der Stadt Musterhausen"],
    ["  Bebauungsplan  Nr. 12 ", "Bebauungsplan Nr. 12"],
    ["Microsoft Word - Satzung.docx", null],
    ["image.html", null],
    ["bericht_2024_final", null],
    ["C:\\Dokumente\\Satzung", null],
    ["/home/amt/satzung", null],
    ["untitled", null],
    ["Unbenannt-1", null],
    ["Dokument1", null],
    ["", null],
    ["123", null],
    [42, null],
  ])("the metadata title %j gives %j", (value, expected) => {
    expect(meaningfulTitle(value)).toBe(expected);
  });
});

describe("joining the lines of a paragraph", () => {
  it.each([
    [["mit dem Antrags-", "formular der Stadt"], "mit dem Antragsformular der Stadt"],
    [["der Kfz-", "Zulassung oder"], "der Kfz-Zulassung oder"],
    [["die B-", "52 bei Trier"], "die B-52 bei Trier"],
    [["auf Bus-", "und Bahnverbindungen"], "auf Bus- und Bahnverbindungen"],
    [["Ein-", "oder Ausfahrt"], "Ein- oder Ausfahrt"],
    [["Vor-", "bzw. Nachname"], "Vor- bzw. Nachname"],
    [["Haus-", "sowie Grundbesitz"], "Haus- sowie Grundbesitz"],
    [["Antrags\u00AD", "formular"], "Antragsformular"],
    [["Steuer\u2010", "pflicht"], "Steuerpflicht"],
    [["Steuer\u2010", "Pflicht"], "Steuer\u2010Pflicht"],
    [["kostet 30 Euro -", "und mehr"], "kostet 30 Euro - und mehr"],
    [["1990-", "2000"], "1990-2000"],
    [["eine 2-", "Point Conversion"], "eine 2-Point Conversion"],
    [["2-", "und 3-Zimmer"], "2- und 3-Zimmer"],
    [["im Jahr 2024 -", "danach"], "im Jahr 2024 - danach"],
    [["erste Zeile", "zweite Zeile"], "erste Zeile zweite Zeile"],
    [["  Leer ", "", " Zeile  "], "Leer Zeile"],
    [["Ge\u00ADmein\u00ADde"], "Gemeinde"],
  ])("%j gives %j", (lines, expected) => {
    expect(joinLines(lines)).toBe(expected);
  });
});

describe("page numbers", () => {
  it.each(["3", "- 3 -", "– 12 –", "Seite 3", "Seite 3 von 12", "seite 3 / 12", "3 / 12", "3/12", "S. 3", "Page 4 of 9"])(
    "%j is a page number",
    (text) => expect(isPageNumber(text)).toBe(true),
  );
  it.each(["§ 3", "Seite drei", "Artikel 3", "2024 wurde", "3. Absatz", "S. 3 ff. der Satzung"])("%j is not", (text) =>
    expect(isPageNumber(text)).toBe(false),
  );
});

/** An item set in DejaVu-like proportions: half the font size per character. */
function item(str: string, x: number, y: number, fontSize = 11, width = str.length * fontSize * 0.5): TextItem {
  return { str, x, y, width, fontSize, hasEOL: false, fontName: "f1" };
}

/** Lines of body text from the top of the usable area down, one every 15 points. */
function bodyLines(texts: string[], top = 700, step = 15, x = 60): TextItem[] {
  return texts.map((text, index) => item(text, x, top - index * step));
}

const HEIGHT = 842;

describe("lines from text items", () => {
  it("groups items by baseline, sorts them by x and joins touching runs without a space", () => {
    const { lines } = pageLines(
      [item("icht", 96, 700), item("Steuerp", 60, 700), item("fl", 95 - 0.5, 700.2, 11, 1.5), item("zweite", 60, 685)],
      HEIGHT,
    );
    expect(lines.map((line) => line.text)).toEqual(["Steuerpflicht", "zweite"]);
  });

  it("puts a space at a gap between runs and keeps a superscript on its line", () => {
    const { lines } = pageLines([item("Hund", 60, 700), item("1", 82, 703.5, 7), item("hält", 90, 700)], HEIGHT);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toBe("Hund1 hält");
    expect(lines[0]?.fontSize).toBe(11);
    expect(lines[0]?.y).toBe(700);
  });

  it("expands ligatures and removes zero-width characters and inner soft hyphens", () => {
    const { lines } = pageLines(
      [
        item("Ö\uFB00nung der Au\uFB02age \uFB01nden \uFB03 \uFB04 \uFB05 \uFB06", 60, 700),
        item("Zero\u200Bwidth\uFEFF Ge\u00ADmeinde\u2060", 60, 680),
      ],
      HEIGHT,
    );
    expect(lines.map((line) => line.text)).toEqual(["Öffnung der Auflage finden ffi ffl st st", "Zerowidth Gemeinde"]);
  });

  it("skips empty items and items with positions that are not numbers", () => {
    const { lines } = pageLines(
      [item("", 60, 700), item("gut", 60, 690), item("schlecht", Number.NaN, 680), item("auch", 60, Infinity)],
      HEIGHT,
    );
    expect(lines.map((line) => line.text)).toEqual(["gut"]);
  });

  it(`reads at most ${MAX_ITEMS_PER_PAGE} items of a page`, () => {
    const items = Array.from({ length: MAX_ITEMS_PER_PAGE + 10 }, (_, i) => item("x", 60 + (i % 100) * 6, 800 - Math.floor(i / 100)));
    const { lines } = pageLines(items, HEIGHT);
    expect(lines.reduce((sum, line) => sum + line.text.replace(/ /g, "").length, 0)).toBe(MAX_ITEMS_PER_PAGE);
  });
});

describe("paragraphs", () => {
  const page = (items: TextItem[]): PageText => ({ items, height: HEIGHT });

  it("starts a paragraph at a gap larger than the usual line step", () => {
    const items = [...bodyLines(["Erste Zeile des ersten", "Absatzes hier."]), ...bodyLines(["Zweiter Absatz", "geht weiter."], 650)];
    expect(layoutPages([page(items)]).pages[0]?.blocks).toEqual(["Erste Zeile des ersten Absatzes hier.", "Zweiter Absatz geht weiter."]);
  });

  it("starts a paragraph at a change of font size", () => {
    const items = [
      ...bodyLines(["Normaler Text in der", "Grundschrift.", "Noch mehr Text", "in der Grundschrift."]),
      item("Kleingedrucktes", 60, 640, 8),
    ];
    expect(layoutPages([page(items)]).pages[0]?.blocks).toEqual([
      "Normaler Text in der Grundschrift. Noch mehr Text in der Grundschrift.",
      "Kleingedrucktes",
    ]);
  });

  it("ends a paragraph at a short line when the next one starts with a capital", () => {
    const full = "Eine ganz lange Zeile mit viel Text, die bis zum Rand der Spalte reicht";
    const next = "Neuer Absatz ohne Abstand davor, mit einer Zeile bis zum Rand der Spalte";
    const items = bodyLines([full, full, "Ende.", next, "und einer kurzen."]);
    expect(layoutPages([page(items)]).pages[0]?.blocks).toEqual([`${full} ${full} Ende.`, `${next} und einer kurzen.`]);
  });

  it("keeps a narrow box of a form one paragraph, though its lines are short against the page's column and start with nouns", () => {
    const full = "Eine ganz lange Zeile mit viel Text, die bis zum Rand der Spalte reicht";
    const box = [
      "Art der Sondernutzung: Aufstellen eines",
      "Bauschuttcontainers, Baugerüst,",
      "Lagerung von Baumaterial auf dem",
      "Gehweg.",
    ];
    const items = [...bodyLines([full, full, full], 760), ...bodyLines(box, 680)];
    expect(layoutPages([page(items)]).pages[0]?.blocks).toEqual([
      `${full} ${full} ${full}`,
      "Art der Sondernutzung: Aufstellen eines Bauschuttcontainers, Baugerüst, Lagerung von Baumaterial auf dem Gehweg.",
    ]);
  });

  it("drops a running header that stands 3 cm below the page's top on every page", () => {
    const header = (y: number) => item("Gemeinde Beispieldorf – Friedhofsgebührensatzung 2026", 60, y);
    const pages = [1, 2].map((n) => page([header(HEIGHT - 85), ...bodyLines([`Text der Seite ${n} mit Inhalt.`], 650)]));
    expect(layoutPages(pages).pages.map((p) => p.blocks)).toEqual([["Text der Seite 1 mit Inhalt."], ["Text der Seite 2 mit Inhalt."]]);
  });

  it("does not end a paragraph at a short line that ends in a hyphen", () => {
    const full = "Eine ganz lange Zeile mit viel Text, die bis zum Rand der Spalte reicht";
    const items = bodyLines([full, full, "der Kfz-", "Zulassung mit einer langen Zeile, die bis zum Rand der Spalte reicht", full]);
    expect(layoutPages([page(items)]).pages[0]?.blocks).toEqual([
      `${full} ${full} der Kfz-Zulassung mit einer langen Zeile, die bis zum Rand der Spalte reicht ${full}`,
    ]);
  });

  it("makes a large line the page's heading, a heading on two lines one heading, and later ones blocks", () => {
    const items = [
      item("Satzung über die", 60, 760, 20),
      item("Hundesteuer", 60, 735, 20),
      ...bodyLines(["Text im Absatz, der", "lang genug ist."], 700),
      item("§ 1 Gegenstand", 60, 660, 14),
      ...bodyLines(["Weiterer Text im", "zweiten Absatz."], 640),
    ];
    const layout = layoutPages([page(items)]);
    expect(layout.pages[0]).toEqual({
      heading: "Satzung über die Hundesteuer",
      blocks: ["Text im Absatz, der lang genug ist.", "§ 1 Gegenstand", "Weiterer Text im zweiten Absatz."],
    });
    expect(layout.title).toBe("Satzung über die Hundesteuer");
  });

  it("takes the title from the largest heading-like line of the first page only", () => {
    const first = page([
      item("Einleitung", 60, 760, 14),
      item("Der Titel", 60, 730, 24),
      ...bodyLines(["Text", "mehr Text", "noch mehr Text"]),
    ]);
    const second = page([item("Größer", 60, 760, 30), ...bodyLines(["Text"])]);
    const layout = layoutPages([first, second]);
    expect(layout.title).toBe("Der Titel");
    expect(layout.pages.map((p) => p.heading)).toEqual(["Einleitung", "Größer"]);
  });

  it("has no heading and no title when all text is one size", () => {
    const layout = layoutPages([page(bodyLines(["Nur Text", "in einer Größe"]))]);
    expect(layout).toEqual({ pages: [{ heading: null, blocks: ["Nur Text in einer Größe"] }], title: null });
  });
});

describe("running headers, footers and page numbers", () => {
  const body = (n: number) => bodyLines([`Inhalt der Seite ${n} mit Text`, "und einer zweiten Zeile."]);
  const header = (text: string) => item(text, 60, 805, 9);
  const footer = (text: string) => item(text, 270, 34, 9);

  it("drops a header and a footer that repeat on the pages, digits aside", () => {
    const pages = [1, 2, 3, 4].map((n) => ({
      items: [header("Amtsblatt Musterhausen 2024"), ...body(n), footer(`Seite ${n} von 4`)],
      height: HEIGHT,
    }));
    const layout = layoutPages(pages);
    expect(layout.pages.map((p) => p.blocks)).toEqual([1, 2, 3, 4].map((n) => [`Inhalt der Seite ${n} mit Text und einer zweiten Zeile.`]));
  });

  it("drops a header on half of the pages (left pages) but not one on a single page of four", () => {
    const pages = [1, 2, 3, 4].map((n) => ({
      items: [...(n % 2 === 0 ? [header("Linke Kopfzeile")] : []), ...(n === 3 ? [footer("Einmalige Fußzeile")] : []), ...body(n)],
      height: HEIGHT,
    }));
    const blocks = layoutPages(pages).pages.flatMap((p) => p.blocks);
    expect(blocks.join(" ")).not.toContain("Linke Kopfzeile");
    expect(blocks).toContain("Einmalige Fußzeile");
  });

  it("drops a page number on a single page, but keeps a number in the body", () => {
    const layout = layoutPages([{ items: [...body(1), item("- 7 -", 280, 30, 9), item("42", 60, 400)], height: HEIGHT }]);
    expect(layout.pages[0]?.blocks).toEqual(["Inhalt der Seite 1 mit Text und einer zweiten Zeile.", "42"]);
  });

  it("keeps repeated lines in the body of the page", () => {
    const pages = [1, 2].map((n) => ({ items: [...body(n), item("Hinweis: siehe Anlage", 60, 500)], height: HEIGHT }));
    expect(layoutPages(pages).pages.map((p) => p.blocks[1])).toEqual(["Hinweis: siehe Anlage", "Hinweis: siehe Anlage"]);
  });

  it("lays out a page without lines as a page without blocks", () => {
    expect(layoutDocument([{ lines: [], height: HEIGHT }])).toEqual({ pages: [{ heading: null, blocks: [] }], title: null });
  });
});

describe("the layout on random items", () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom("Antrags-", "formular", "und", "Kfz-", "\u00AD", "\uFB01", "Seite 3", "3", " ", "", "\u200B"),
  );
  const number = fc.oneof(fc.double(), fc.double({ min: 0, max: 900, noNaN: true }), fc.integer({ min: 0, max: 842 }));
  const items = fc.array(
    fc.record({
      str: text,
      x: number,
      y: number,
      width: number,
      fontSize: fc.oneof(fc.double(), fc.constantFrom(9, 11, 14, 20)),
      hasEOL: fc.boolean(),
      fontName: fc.constant("f"),
    }),
    { maxLength: 60 },
  );

  it("never throws and gives only cleaned, non-empty blocks and headings", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ items, height: fc.oneof(fc.constant(842), fc.double()) }), { maxLength: 4 }), (pages) => {
        const layout = layoutPages(pages);
        expect(layout.pages).toHaveLength(pages.length);
        for (const { heading, blocks } of layout.pages) {
          for (const block of heading === null ? blocks : [heading, ...blocks]) {
            expect(block).toBe(cleanText(block));
            expect(hasContent(block)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
