// The .docx and .odt readers on the checked-in fixtures (scripts/make-office-fixtures.ts), on variants made here,
// and on broken, oversized, lying and deeply nested files.
import { readFileSync } from "node:fs";
import { strToU8, unzipSync } from "fflate";
import { Parser } from "htmlparser2";
import mammoth from "mammoth";
import { describe, expect, it } from "vitest";
import { type BinaryLimits, DEFAULT_BINARY_LIMITS, type Extraction } from "../../index-builder/readers/binary.js";
import { readDocx, readOdt } from "../../index-builder/readers/office.js";
import { anwohnerparkenParts, erzieherinParts, odtContent, zipPackage } from "../../scripts/make-office-fixtures.js";

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../fixtures/office/${path}`, import.meta.url)));
const limits = (maxBytes: number): BinaryLimits => ({ ...DEFAULT_BINARY_LIMITS, maxBytes });

function documentOf(extraction: Extraction) {
  if (!("document" in extraction)) throw new Error(`expected a document, got the problem "${extraction.problem}"`);
  return extraction.document;
}

function problemOf(extraction: Extraction): string {
  if (!("problem" in extraction)) throw new Error("expected a problem, got a document");
  return extraction.problem;
}

/** An .odt of the given body (inside `office:text`), with the fixture's other parts. */
const odtOf = (body: string) => zipPackage({ ...erzieherinParts(), "content.xml": odtContent(body) });

/** The zip with the uncompressed size its central directory declares for `name` set to `size`. */
function withDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const bytes = zip.slice();
  const view = new DataView(bytes.buffer);
  const encoded = strToU8(name);
  for (let at = 0; at + 46 < bytes.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== encoded.length) continue;
    if (encoded.every((byte, i) => bytes[at + 46 + i] === byte)) {
      view.setUint32(at + 24, size, true);
      return bytes;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}

describe("a .docx (Merkblatt Anwohnerparken)", async () => {
  const doc = documentOf(await readDocx(fixture("merkblatt-anwohnerparken.docx"), DEFAULT_BINARY_LIMITS));

  it("takes the title from docProps/core.xml and the date from dcterms:modified", () => {
    expect(doc).toMatchObject({ title: "Merkblatt Anwohnerparken", date: "2025-03-03", pages: 0 });
  });

  it("makes sections of Word's heading styles, the German-named 'Überschrift 2' included, without anchors", () => {
    expect(doc.sections).toEqual([
      { heading: "Anwohnerparken in der Innenstadt", level: 1, anchor: null, first: 0 },
      { heading: "Voraussetzungen", level: 2, anchor: null, first: 1 },
      { heading: "Gebühren", level: 2, anchor: null, first: 3 },
    ]);
  });

  it("reads paragraphs, the bullet list as one run and the table's rows labelled by its header row", () => {
    expect(doc.paragraphs.slice(0, 8)).toEqual([
      "Mit einem Bewohnerparkausweis dürfen Sie in Ihrer Parkzone ohne Parkschein und ohne zeitliche Begrenzung parken. Der Ausweis gilt für ein Kraftfahrzeug und ein Jahr.",
      "Einen Ausweis erhält, wer in der Parkzone mit Hauptwohnsitz gemeldet ist und dort wohnt. Bitte bringen Sie mit:",
      "Personalausweis oder Reisepass • Fahrzeugschein (Zulassungsbescheinigung Teil I) • bei Firmen- oder Leihwagen eine Bescheinigung des Halters",
      "Die Gebühren richten sich nach der Gebührenordnung der Stadt Musterhausen vom 12. Dezember 2023.",
      "Leistung: Bewohnerparkausweis für ein Jahr | Gebühr: 30,70 €",
      "Leistung: Ersatzausweis bei Verlust | Gebühr: 10,00 €",
      "Leistung: Änderung des Kennzeichens | Gebühr: 7,50 €",
      "Den Antrag stellen Sie im Bürgerbüro, Rathausplatz 1, oder online über das Serviceportal.",
    ]);
    expect(doc.blockKinds).toEqual(["text", "text", "list", "text", "row", "row", "row", "text", "text"]);
  });

  it("puts the footnote after the body as a block of its own, without mammoth's [1] and ↑ marks", () => {
    expect(doc.paragraphs.at(-1)).toBe("Inhaber des Musterhausen-Passes zahlen die Hälfte.");
    expect(doc.paragraphs.join(" ")).not.toMatch(/\[1\]|↑/);
  });

  it("is a file mammoth reads without a message when given the reader's style map", async () => {
    const styleMap = ["p[style-name='Überschrift 2'] => h2:fresh"];
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(fixture("merkblatt-anwohnerparken.docx")) }, { styleMap });
    expect(result.messages).toEqual([]);
  });
});

describe(".docx variants", () => {
  it("takes the first heading as the title and no date when there is no core.xml", async () => {
    const { "docProps/core.xml": _, ...parts } = anwohnerparkenParts();
    const doc = documentOf(await readDocx(zipPackage(parts), DEFAULT_BINARY_LIMITS));
    expect(doc).toMatchObject({ title: "Anwohnerparken in der Innenstadt", date: null });
  });

  it("takes dcterms:created when dcterms:modified is no date", async () => {
    const parts = anwohnerparkenParts();
    parts["docProps/core.xml"] = String(parts["docProps/core.xml"]).replace("2025-03-03T14:05:00Z", "gestern");
    expect(documentOf(await readDocx(zipPackage(parts), DEFAULT_BINARY_LIMITS)).date).toBe("2024-01-15");
  });

  it("reads the 'Titel' style as a level-1 heading", async () => {
    const parts = anwohnerparkenParts();
    parts["word/styles.xml"] = String(parts["word/styles.xml"]).replace(
      "</w:styles>",
      '<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Titel"/></w:style></w:styles>',
    );
    parts["word/document.xml"] = String(parts["word/document.xml"]).replace('<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="Titel"/>');
    expect(documentOf(await readDocx(zipPackage(parts), DEFAULT_BINARY_LIMITS)).sections[0]).toEqual({
      heading: "Anwohnerparken in der Innenstadt",
      level: 1,
      anchor: null,
      first: 0,
    });
  });

  it("keeps text that looks like HTML as text", async () => {
    const parts = anwohnerparkenParts();
    parts["word/document.xml"] = String(parts["word/document.xml"]).replace(
      "Der Ausweis gilt",
      "&lt;b&gt;Achtung&lt;/b&gt; &amp;amp; Der Ausweis gilt",
    );
    expect(documentOf(await readDocx(zipPackage(parts), DEFAULT_BINARY_LIMITS)).paragraphs[0]).toContain(
      "parken. <b>Achtung</b> &amp; Der Ausweis gilt für",
    );
  });
});

describe("an .odt (Ausschreibung Erzieherin)", async () => {
  const doc = documentOf(await readOdt(fixture("ausschreibung-erzieherin.odt"), DEFAULT_BINARY_LIMITS));

  it("takes the title from meta.xml's dc:title and the date from dc:date", () => {
    expect(doc).toMatchObject({ title: "Ausschreibung Erzieherin (m/w/d)", date: "2025-05-12", pages: 0 });
  });

  it("makes sections of text:h at their outline levels", () => {
    expect(doc.sections).toEqual([
      { heading: "Stellenausschreibung Nr. 17/2025: Erzieherin (m/w/d)", level: 1, anchor: null, first: 0 },
      { heading: "Ihre Aufgaben", level: 2, anchor: null, first: 1 },
      { heading: "Ihr Profil", level: 2, anchor: null, first: 2 },
      { heading: "Wir bieten", level: 2, anchor: null, first: 3 },
      { heading: "Bewerbung", level: 3, anchor: null, first: 6 },
    ]);
  });

  it("reads paragraphs with text:s spacing, a line break, the list, the table by its header rows and a text box", () => {
    expect(doc.paragraphs.slice(0, 8)).toEqual([
      "Die Stadt Musterhausen sucht zum 1. September 2025 für die Kindertagesstätte „Sonnenblume“ eine Erzieherin oder einen Erzieher (m/w/d) in Teilzeit (30 Wochenstunden).",
      "Betreuung und Förderung von Kindern im Alter von drei bis sechs Jahren • Zusammenarbeit mit Eltern und Familienzentrum • Beobachtung und Dokumentation der Entwicklung",
      "Staatlich anerkannte Erzieherin oder staatlich anerkannter Erzieher oder eine gleichwertige Qualifikation nach § 7 KiTaG.",
      "Merkmal: Vergütung | Angebot: Entgeltgruppe S 8a TVöD SuE",
      "Merkmal: Fortbildung | Angebot: fünf Tage im Jahr",
      "Merkmal: Jobticket | Angebot: Zuschuss 25 € im Monat",
      "Bitte bewerben Sie sich bis zum 30. Juni 2025 über das Karriereportal.",
      "Kontakt: Frau Beispiel, Telefon 01234 5678",
    ]);
    expect(doc.blockKinds).toEqual(["text", "list", "text", "row", "row", "row", "text", "text", "text"]);
  });

  it("puts the footnote after the body as a block of its own, without its citation mark", () => {
    expect(doc.paragraphs.at(-1)).toBe("Die Stelle ist zunächst auf zwei Jahre befristet.");
    expect(doc.paragraphs[0]).toMatch(/Wochenstunden\)\.$/);
  });

  it("leaves out comments and tracked deletions", () => {
    expect(doc.paragraphs.join(" ")).not.toMatch(/Paragraphen prüfen|Vollzeitstelle|Personalamt/);
  });

  it("has XML parts that are well-formed: every element closed by its own end tag or as an empty element", () => {
    for (const [name, data] of Object.entries(unzipSync(fixture("ausschreibung-erzieherin.odt")))) {
      if (name === "mimetype") continue;
      const xml = new TextDecoder().decode(data);
      let endTags = 0;
      const parser: Parser = new Parser(
        {
          onclosetag: (tag, implied) => {
            // htmlparser2 closes an unclosed or mismatched element as "implied"; so it does an empty element <a/>.
            const empty = xml.slice(parser.startIndex, parser.endIndex + 1).endsWith("/>");
            expect({ name, tag, closed: !implied || empty }).toEqual({ name, tag, closed: true });
            if (!implied) endTags++;
          },
        },
        { xmlMode: true },
      );
      parser.end(xml);
      // A stray end tag is dropped without a call: every "</" in the part must have closed an element.
      expect(endTags).toBe(xml.split("</").length - 1);
    }
  });
});

describe(".odt variants", () => {
  it("takes the first heading as the title and no date without meta.xml", async () => {
    const { "meta.xml": _, ...parts } = erzieherinParts();
    const doc = documentOf(await readOdt(zipPackage(parts), DEFAULT_BINARY_LIMITS));
    expect(doc).toMatchObject({ title: "Stellenausschreibung Nr. 17/2025: Erzieherin (m/w/d)", date: null });
  });

  it("takes meta:creation-date when there is no dc:date", async () => {
    const parts = erzieherinParts();
    parts["meta.xml"] = String(parts["meta.xml"]).replace(/<dc:date>.*<\/dc:date>/, "");
    expect(documentOf(await readOdt(zipPackage(parts), DEFAULT_BINARY_LIMITS)).date).toBe("2025-05-02");
  });

  it("keeps text that looks like HTML as text, and reads a heading without a level as level 1", async () => {
    const doc = documentOf(
      await readOdt(odtOf("<text:h>Hinweis</text:h><text:p>&lt;b&gt;fett&lt;/b&gt; &amp;amp; mehr</text:p>"), DEFAULT_BINARY_LIMITS),
    );
    expect(doc.paragraphs).toEqual(["<b>fett</b> &amp; mehr"]);
    expect(doc.sections).toEqual([{ heading: "Hinweis", level: 1, anchor: null, first: 0 }]);
  });

  it("is read without a mimetype entry", async () => {
    const { mimetype: _, ...parts } = erzieherinParts();
    expect(documentOf(await readOdt(zipPackage(parts), DEFAULT_BINARY_LIMITS)).title).toBe("Ausschreibung Erzieherin (m/w/d)");
  });

  it("reads lists nested 200 deep as text, beyond the nesting HTML is made for", async () => {
    const depth = 200;
    const body = `${"<text:list><text:list-item>".repeat(depth)}<text:p>Ganz innen</text:p>${"</text:list-item></text:list>".repeat(depth)}<text:p>Danach</text:p>`;
    const doc = documentOf(await readOdt(odtOf(body), DEFAULT_BINARY_LIMITS));
    expect(doc.paragraphs).toEqual(["Ganz innen", "Danach"]);
  });
});

describe("files that are not read", () => {
  it.each([
    ["bad/abgeschnitten.docx", readDocx, "is not a valid .docx (a damaged or truncated zip archive); skipped"],
    ["bad/notiz.docx", readDocx, "is not a valid .docx (not a zip archive); skipped"],
    ["bad/passwortgeschuetzt.docx", readDocx, "is encrypted or an old binary Word file (.doc); skipped"],
    [
      "bad/tabelle.odt",
      readOdt,
      'is not a valid .odt (its mimetype is "application/vnd.oasis.opendocument.spreadsheet", not a text document); skipped',
    ],
    ["bad/verschluesselt.odt", readOdt, "is encrypted (password-protected); skipped"],
    ["bad/passwortgeschuetzt.docx", readOdt, "is an old binary office file or an encrypted one (OLE), not an .odt; skipped"],
    ["bad/notiz.docx", readOdt, "is not a valid .odt (not a zip archive); skipped"],
    ["ausschreibung-erzieherin.odt", readDocx, "is not a valid .docx (no word/document.xml); skipped"],
    ["merkblatt-anwohnerparken.docx", readOdt, "is not a valid .odt (no content.xml); skipped"],
  ])("%s gives a problem", async (path, read, problem) => {
    expect(problemOf(await read(fixture(path), DEFAULT_BINARY_LIMITS))).toBe(problem);
  });

  it("gives an empty file and a bare zip signature a problem", async () => {
    expect(problemOf(await readDocx(new Uint8Array(0), DEFAULT_BINARY_LIMITS))).toBe("is not a valid .docx (not a zip archive); skipped");
    expect(problemOf(await readOdt(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), DEFAULT_BINARY_LIMITS))).toBe(
      "is not a valid .odt (a damaged or truncated zip archive); skipped",
    );
  });

  it("never throws for a file cut anywhere", async () => {
    for (const [path, read] of [
      ["merkblatt-anwohnerparken.docx", readDocx],
      ["ausschreibung-erzieherin.odt", readOdt],
    ] as const) {
      const bytes = fixture(path);
      for (let cut = 0; cut < bytes.length; cut += 37) {
        const result = await read(bytes.slice(0, cut), DEFAULT_BINARY_LIMITS);
        expect("problem" in result || "document" in result).toBe(true);
      }
    }
  });
});

describe("limits", () => {
  it("checks the size first, before looking at the bytes", async () => {
    expect(problemOf(await readDocx(fixture("merkblatt-anwohnerparken.docx"), limits(4000)))).toBe(
      "is 4.3 KiB, more than the limit of 3.9 KiB; skipped (raise fundstelle.limits.fileMegabytes in package.json to read it)",
    );
    expect(problemOf(await readDocx(new Uint8Array(3 * 1024 * 1024), limits(2 * 1024 * 1024)))).toBe(
      "is 3.0 MiB, more than the limit of 2.0 MiB; skipped (raise fundstelle.limits.fileMegabytes in package.json to read it)",
    );
    expect(problemOf(await readOdt(fixture("bad/passwortgeschuetzt.docx"), limits(1000)))).toBe(
      "is 1.5 KiB, more than the limit of 1000 bytes; skipped (raise fundstelle.limits.fileMegabytes in package.json to read it)",
    );
  });

  it("refuses a part that would unpack to more than 20 times the size limit", async () => {
    const bomb = odtOf(`<text:p>${"Ausschreibung ".repeat(100_000)}</text:p>`);
    expect(bomb.length).toBeLessThan(10_000);
    expect(problemOf(await readOdt(bomb, limits(10_000)))).toBe("would unpack to more than 195.3 KiB (a zip bomb?); skipped");
    expect(documentOf(await readOdt(bomb, limits(100_000))).paragraphs).toHaveLength(1);
  });

  it("refuses a part that unpacks to more than its zip directory says, in .docx and .odt", async () => {
    const odt = withDeclaredSize(odtOf(`<text:p>${"Ausschreibung ".repeat(100_000)}</text:p>`), "content.xml", 1000);
    expect(problemOf(await readOdt(odt, DEFAULT_BINARY_LIMITS))).toBe(
      'is not a valid .odt ("content.xml" unpacks to more than its zip directory says); skipped',
    );
    const docx = withDeclaredSize(zipPackage(anwohnerparkenParts()), "word/document.xml", 100);
    expect(problemOf(await readDocx(docx, DEFAULT_BINARY_LIMITS))).toBe(
      'is not a valid .docx ("word/document.xml" unpacks to more than its zip directory says); skipped',
    );
  });

  it("refuses 50,000 nested text:span without overflowing the stack", async () => {
    const depth = 50_000;
    const odt = odtOf(`<text:p>${"<text:span>".repeat(depth)}tief${"</text:span>".repeat(depth)}</text:p>`);
    expect(problemOf(await readOdt(odt, DEFAULT_BINARY_LIMITS))).toBe(
      "is nested too deeply to read (more than 1000 levels of XML elements); skipped",
    );
  });

  it("refuses a .docx whose XML is nested 100,000 deep before mammoth reads it", async () => {
    const depth = 100_000;
    const parts = anwohnerparkenParts();
    parts["word/document.xml"] = String(parts["word/document.xml"]).replace(
      "<w:body>",
      `<w:body><w:p>${"<w:smartTag>".repeat(depth)}<w:r><w:t>tief</w:t></w:r>${"</w:smartTag>".repeat(depth)}</w:p>`,
    );
    expect(problemOf(await readDocx(zipPackage(parts), DEFAULT_BINARY_LIMITS))).toBe(
      "is nested too deeply to read (more than 1000 levels of XML elements); skipped",
    );
  });
});
