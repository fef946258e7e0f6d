// Makes the .docx and .odt fixtures of test/node/office-reader.test.ts from hand-written OOXML and ODF XML, zipped
// with fflate, and the broken files next to them. The files are checked in, so the tests need no script run.
// Usage: npx tsx scripts/make-office-fixtures.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { strToU8, type Zippable, zipSync } from "fflate";

const OUT = resolve("test/fixtures/office");

/** The parts of a package: path → XML text (or bytes). */
export type PackageParts = Record<string, string | Uint8Array>;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** A paragraph of the given style (none: Normal) with runs; `{fn:N}` marks a footnote reference. */
function wp(text: string, style?: string, extraProperties = ""): string {
  const properties =
    style === undefined && extraProperties === "" ? "" : `<w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ""}${extraProperties}</w:pPr>`;
  const runs = text
    .split(/(\{fn:\d+\})/)
    .filter((piece) => piece !== "")
    .map((piece) => {
      const note = /^\{fn:(\d+)\}$/.exec(piece);
      if (note) return `<w:r><w:rPr><w:rStyle w:val="Funotenzeichen"/></w:rPr><w:footnoteReference w:id="${note[1]}"/></w:r>`;
      return `<w:r><w:t xml:space="preserve">${piece}</w:t></w:r>`;
    })
    .join("");
  return `<w:p>${properties}${runs}</w:p>`;
}

const bullet = (text: string) => wp(text, "Listenabsatz", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>');

function cell(text: string, width: number): string {
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${wp(text)}</w:tc>`;
}

function row(cells: string[], header = false): string {
  return `<w:tr>${header ? "<w:trPr><w:tblHeader/></w:trPr>" : ""}${cells.map((text) => cell(text, 4500)).join("")}</w:tr>`;
}

/** The parts of "Merkblatt Anwohnerparken" (.docx): core title and dates, H1, two H2 (one in a German-named style), a list, a table, a footnote. */
export function anwohnerparkenParts(): PackageParts {
  const body = [
    wp("Anwohnerparken in der Innenstadt", "Heading1"),
    wp(
      "Mit einem Bewohnerparkausweis dürfen Sie in Ihrer Parkzone ohne Parkschein und ohne zeitliche Begrenzung parken. Der Ausweis gilt für ein Kraftfahrzeug und ein Jahr.",
    ),
    wp("Voraussetzungen", "Heading2"),
    wp("Einen Ausweis erhält, wer in der Parkzone mit Hauptwohnsitz gemeldet ist und dort wohnt. Bitte bringen Sie mit:"),
    bullet("Personalausweis oder Reisepass"),
    bullet("Fahrzeugschein (Zulassungsbescheinigung Teil I)"),
    bullet("bei Firmen- oder Leihwagen eine Bescheinigung des Halters"),
    wp("Gebühren", "Ueberschrift2"),
    wp("Die Gebühren richten sich nach der Gebührenordnung der Stadt Musterhausen vom 12. Dezember 2023.{fn:1}"),
    `<w:tbl><w:tblPr><w:tblStyle w:val="Tabellenraster"/><w:tblW w:w="9000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid>${row(["Leistung", "Gebühr"], true)}${row(["Bewohnerparkausweis für ein Jahr", "30,70 €"])}${row(["Ersatzausweis bei Verlust", "10,00 €"])}${row(["Änderung des Kennzeichens", "7,50 €"])}</w:tbl>`,
    wp("Den Antrag stellen Sie im Bürgerbüro, Rathausplatz 1, oder online über das Serviceportal."),
  ].join("");
  const document = `${XML}<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1134" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`;
  const style = (id: string, name: string, extra = "") =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Standard"/><w:next w:val="Standard"/><w:qFormat/>${extra}</w:style>`;
  const styles = `${XML}<w:styles xmlns:w="${W}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="de-DE"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/><w:qFormat/></w:style>${style("Heading1", "heading 1", '<w:pPr><w:outlineLvl w:val="0"/></w:pPr>')}${style("Heading2", "heading 2", '<w:pPr><w:outlineLvl w:val="1"/></w:pPr>')}${style("Ueberschrift2", "Überschrift 2", '<w:pPr><w:outlineLvl w:val="1"/></w:pPr>')}${style("Listenabsatz", "List Paragraph")}${style("Funotentext", "footnote text")}<w:style w:type="character" w:styleId="Funotenzeichen"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style><w:style w:type="table" w:styleId="Tabellenraster"><w:name w:val="Table Grid"/></w:style></w:styles>`;
  const numbering = `${XML}<w:numbering xmlns:w="${W}"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`;
  const footnotes = `${XML}<w:footnotes xmlns:w="${W}" xmlns:r="${R}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="Funotentext"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Funotenzeichen"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Inhaber des Musterhausen-Passes zahlen die Hälfte.</w:t></w:r></w:p></w:footnote></w:footnotes>`;
  return {
    "[Content_Types].xml": `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    "_rels/.rels": `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    "word/document.xml": document,
    "word/_rels/document.xml.rels": `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${REL}/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="${REL}/footnotes" Target="footnotes.xml"/></Relationships>`,
    "word/styles.xml": styles,
    "word/numbering.xml": numbering,
    "word/footnotes.xml": footnotes,
    "docProps/core.xml": `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Merkblatt Anwohnerparken</dc:title><dc:creator>Stadt Musterhausen, Straßenverkehrsbehörde</dc:creator><cp:lastModifiedBy>Bürgerbüro</cp:lastModifiedBy><cp:revision>4</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2024-01-15T09:30:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-03-03T14:05:00Z</dcterms:modified></cp:coreProperties>`,
    "docProps/app.xml": `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Pages>1</Pages></Properties>`,
  };
}

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
].join(" ");

const tp = (text: string, style = "Text_20_body") => `<text:p text:style-name="${style}">${text}</text:p>`;
const th = (text: string, level: number) => `<text:h text:style-name="Heading_20_${level}" text:outline-level="${level}">${text}</text:h>`;
const tcell = (text: string) =>
  `<table:table-cell table:style-name="Tabelle1.A1" office:value-type="string">${tp(text, "Table_20_Contents")}</table:table-cell>`;
const trow = (a: string, b: string) => `<table:table-row>${tcell(a)}${tcell(b)}</table:table-row>`;

/** The body of "Ausschreibung Erzieherin (m/w/d)" (.odt): what content.xml's `office:text` holds. */
export function erzieherinBody(): string {
  return [
    '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>',
    '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Personalamt</dc:creator><dc:date>2025-05-10T09:00:00</dc:date></office:change-info><text:p>Vollzeitstelle mit 39 Wochenstunden</text:p></text:deletion></text:changed-region></text:tracked-changes>',
    th("Stellenausschreibung Nr. 17/2025: Erzieherin (m/w/d)", 1),
    tp(
      'Die Stadt Musterhausen sucht zum 1. September 2025 für die Kindertagesstätte „Sonnenblume“ eine<text:s/>Erzieherin oder einen Erzieher (m/w/d) in Teilzeit (30<text:s text:c="3"/>Wochenstunden).<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Footnote">Die Stelle ist zunächst auf zwei Jahre befristet.</text:p></text:note-body></text:note><text:change text:change-id="ct1"/>',
    ),
    th("Ihre Aufgaben", 2),
    `<text:list xml:id="list1" text:style-name="L1"><text:list-item>${tp("Betreuung und Förderung von Kindern im Alter von drei bis sechs Jahren", "P2")}</text:list-item><text:list-item>${tp("Zusammenarbeit mit Eltern und Familienzentrum", "P2")}</text:list-item><text:list-item>${tp("Beobachtung und Dokumentation der Entwicklung", "P2")}</text:list-item></text:list>`,
    th("Ihr Profil", 2),
    tp(
      '<text:span text:style-name="T1">Staatlich anerkannte</text:span> Erzieherin oder staatlich anerkannter Erzieher<text:line-break/>oder eine gleichwertige Qualifikation nach §<text:s/>7 KiTaG.<office:annotation><dc:creator>Personalamt</dc:creator><dc:date>2025-05-11T10:00:00</dc:date><text:p>Bitte Paragraphen prüfen</text:p></office:annotation>',
    ),
    th("Wir bieten", 2),
    `<table:table table:name="Tabelle1" table:style-name="Tabelle1"><table:table-column table:style-name="Tabelle1.A" table:number-columns-repeated="2"/><table:table-header-rows>${trow("Merkmal", "Angebot")}</table:table-header-rows>${trow("Vergütung", "Entgeltgruppe S 8a TVöD SuE")}${trow("Fortbildung", "fünf Tage im Jahr")}${trow("Jobticket", "Zuschuss<text:tab/>25 € im Monat")}</table:table>`,
    th("Bewerbung", 3),
    tp(
      'Bitte bewerben Sie sich bis zum 30. Juni 2025 über das <text:a xlink:type="simple" xlink:href="https://www.musterhausen.de/karriere">Karriereportal</text:a>.<draw:frame draw:name="Rahmen1" text:anchor-type="paragraph" svg:width="6cm"><draw:text-box><text:p text:style-name="Frame_20_contents">Kontakt: Frau Beispiel, Telefon 01234 5678</text:p></draw:text-box></draw:frame>',
    ),
  ].join("\n");
}

/** content.xml of an .odt whose `office:text` is `body`. */
export function odtContent(body: string): string {
  return `${XML}<office:document-content ${NS} office:version="1.3"><office:automatic-styles><style:style style:name="P2" style:family="paragraph" style:parent-style-name="List_20_Paragraph"/><style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles><office:body><office:text>${body}</office:text></office:body></office:document-content>`;
}

const MANIFEST_HEAD = `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">`;

/** The parts of "Ausschreibung Erzieherin (m/w/d)" (.odt), mimetype first. */
export function erzieherinParts(): PackageParts {
  return {
    mimetype: "application/vnd.oasis.opendocument.text",
    "content.xml": odtContent(erzieherinBody()),
    "styles.xml": `${XML}<office:document-styles ${NS} office:version="1.3"><office:styles><style:style style:name="Standard" style:family="paragraph"/><style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/><style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"/></office:styles></office:document-styles>`,
    "meta.xml": `${XML}<office:document-meta ${NS} office:version="1.3"><office:meta><meta:generator>Handgeschrieben/1.0</meta:generator><dc:title>Ausschreibung Erzieherin (m/w/d)</dc:title><dc:language>de-DE</dc:language><meta:initial-creator>Personalamt</meta:initial-creator><meta:creation-date>2025-05-02T08:15:00</meta:creation-date><dc:date>2025-05-12T10:42:17.123000000</dc:date></office:meta></office:document-meta>`,
    "META-INF/manifest.xml": `${MANIFEST_HEAD}<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
  };
}

/** A package zipped: a `mimetype` part (ODF) first and stored, as ODF requires; every other part deflated. */
export function zipPackage(parts: PackageParts): Uint8Array {
  const files: Zippable = {};
  const { mimetype, ...rest } = parts;
  const date = new Date(Date.UTC(2025, 4, 12, 10, 0, 0));
  if (mimetype !== undefined) files.mimetype = [typeof mimetype === "string" ? strToU8(mimetype) : mimetype, { level: 0, mtime: date }];
  for (const [path, data] of Object.entries(rest))
    files[path] = [typeof data === "string" ? strToU8(data) : data, { level: 6, mtime: date }];
  return zipSync(files);
}

/** An .ods's parts: a zip like an .odt's, but a spreadsheet. */
function spreadsheetParts(): PackageParts {
  return {
    mimetype: "application/vnd.oasis.opendocument.spreadsheet",
    "content.xml": `${XML}<office:document-content ${NS} office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Haushalt"><table:table-row><table:table-cell office:value-type="string"><text:p>Kita Sonnenblume</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`,
    "META-INF/manifest.xml": `${MANIFEST_HEAD}<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
  };
}

/** An .odt saved with a password: its manifest names the encryption of content.xml (whose bytes are then noise). */
function encryptedParts(): PackageParts {
  const noise = new Uint8Array(512).map((_, i) => (i * 197 + 31) % 256);
  return {
    mimetype: "application/vnd.oasis.opendocument.text",
    "content.xml": noise,
    "META-INF/manifest.xml": `${MANIFEST_HEAD}<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="4711"><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>`,
  };
}

/** The start of an OLE compound file (a password-protected .docx or an old .doc): signature, then a header of zeros. */
function oleBytes(): Uint8Array {
  const bytes = new Uint8Array(1536);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  bytes.set([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff, 0x09, 0x00], 24);
  return bytes;
}

/** Every fixture: its path under test/fixtures/office/ and its bytes. */
export function officeFixtures(): Record<string, Uint8Array> {
  const docx = zipPackage(anwohnerparkenParts());
  return {
    "merkblatt-anwohnerparken.docx": docx,
    "ausschreibung-erzieherin.odt": zipPackage(erzieherinParts()),
    "bad/abgeschnitten.docx": docx.slice(0, Math.floor(docx.length / 2)),
    "bad/tabelle.odt": zipPackage(spreadsheetParts()),
    "bad/verschluesselt.odt": zipPackage(encryptedParts()),
    "bad/passwortgeschuetzt.docx": oleBytes(),
    "bad/notiz.docx": strToU8("Notiz für die Sitzung am Dienstag: Anwohnerparken auf die Tagesordnung setzen.\n"),
  };
}

function main(): void {
  for (const [path, bytes] of Object.entries(officeFixtures())) {
    const file = join(OUT, path);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, bytes);
    console.log(`${path} (${bytes.length} bytes)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
