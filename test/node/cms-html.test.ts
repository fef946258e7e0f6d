// CMS exports as they are: one page per content management system or site generator (test/fixtures/cms), each with
// its site's chrome around the content, read as a reader of the page sees it; and the page-level rules such exports
// need (robots noindex, redirect stubs, invisible characters, a site's name in the <title>).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CorpusNotice } from "../../index-builder/errors.js";
import { readHtml } from "../../index-builder/readers/html.js";
import type { ReadResult, SourceDocument, SourceFile } from "../../index-builder/source.js";

const source = (path: string): SourceFile => ({ path, id: path.replace(/\.[^.]+$/, ""), collection: path.split("/")[0] ?? "" });
const noticesOf = (result: ReadResult): CorpusNotice[] => result.notices ?? [];

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
  });
  return doc;
}

const fixture = (name: string) =>
  only(readHtml(source(`cms/${name}`), readFileSync(new URL(`../fixtures/cms/${name}`, import.meta.url), "utf8")));
const page = (head: string, body: string) =>
  readHtml(source("stadt/seite.html"), `<!DOCTYPE html><html lang="de"><head>${head}</head><body>${body}</body></html>`);

/** The page's outline: each section's level, heading and anchor (a lead section would show as level 0). */
const outline = (doc: SourceDocument) => doc.sections.map(({ level, heading, anchor }) => ({ level, heading, anchor }));

/** The heading of the section a block stands in; undefined when no block has this text. */
function sectionOf(doc: SourceDocument, text: string): string | undefined {
  const index = doc.paragraphs.indexOf(text);
  if (index < 0) return undefined;
  return doc.sections.filter((section) => section.first <= index).at(-1)?.heading;
}

/** Each block is a whole block of the page, in the section under `heading`. */
function expectIn(doc: SourceDocument, heading: string, ...texts: string[]): void {
  for (const text of texts) {
    expect(doc.paragraphs).toContain(text);
    expect(sectionOf(doc, text), text).toBe(heading);
  }
}

/** A block of a kind other than "text" (list, row, code) under `heading`. */
function expectBlock(doc: SourceDocument, heading: string, kind: string, text: string): void {
  expectIn(doc, heading, text);
  expect(doc.blockKinds[doc.paragraphs.indexOf(text)]).toBe(kind);
}

/** No heading or block holds any of the chrome's phrases (nor a permalink's pilcrow); the title is tested on its own. */
function expectNoChrome(doc: SourceDocument, phrases: string[]): void {
  const texts = [...doc.sections.map((section) => section.heading), ...doc.paragraphs];
  for (const phrase of [...phrases, "¶"])
    expect(
      texts.filter((text) => text.includes(phrase)),
      phrase,
    ).toEqual([]);
}

describe("TYPO3 with fluid_styled_content and the bootstrap_package", () => {
  const doc = fixture("typo3-fluid.html");

  it("takes the title from the <h1>, without the site's name after a colon", () => {
    expect(doc.title).toBe("Bürgerbüro");
  });

  it("starts a section at each content element's <header> heading, anchored at the element's id", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Bürgerbüro", anchor: "c12" },
      { level: 2, heading: "Öffnungszeiten", anchor: "c13" },
      { level: 2, heading: "Personalausweis beantragen", anchor: "c14" },
      { level: 2, heading: "Kontakt", anchor: "c15" },
    ]);
  });

  it("reads the body text, the subheader included, in its sections", () => {
    expectIn(
      doc,
      "Bürgerbüro",
      "Im Bürgerbüro erledigen Sie die meisten Anliegen rund um Meldewesen, Ausweise und Führungszeugnisse an einem Ort.",
      "Für viele Leistungen benötigen Sie einen Termin, den Sie online oder telefonisch vereinbaren können.",
    );
    expectIn(
      doc,
      "Öffnungszeiten",
      "Auch ohne Termin",
      "Montags bis freitags ist das Bürgerbüro von 8 bis 12 Uhr geöffnet, donnerstags zusätzlich von 14 bis 18 Uhr.",
    );
    expectIn(
      doc,
      "Personalausweis beantragen",
      "Bringen Sie ein aktuelles biometrisches Passfoto und Ihren bisherigen Ausweis mit.",
      "Der neue Personalausweis liegt nach etwa drei Wochen zur Abholung bereit.",
    );
    expectIn(doc, "Kontakt", "Sie erreichen das Bürgerbüro unter der Telefonnummer 05123 4567-0.");
  });

  it("leaves out the site's header, menu, breadcrumb, footer and cookie banner", () => {
    expectNoChrome(doc, [
      "Zum Hauptinhalt springen",
      "Rathaus & Politik",
      "Wirtschaft & Tourismus",
      "Leben in Musterhausen",
      "Leichte Sprache",
      "Sie sind hier",
      "Startseite",
      "Marktplatz 1",
      "12345 Musterhausen",
      "Impressum",
      "Datenschutzerklärung",
      "Nach oben",
      "Cookies",
      "Verstanden",
    ]);
  });
});

describe("an older TYPO3 template without <main>", () => {
  const doc = fixture("typo3-div-content.html");

  it("takes the title from the <h1>, without the site's name before a colon (TYPO3's default order)", () => {
    expect(doc.title).toBe("Hundesteuer");
  });

  it("reads #content: a section at each content element's <header> heading, anchored at its id or its <a id>", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Hundesteuer", anchor: "c45" },
      { level: 2, heading: "Steuersätze", anchor: "c46" },
      { level: 2, heading: "Hundemarke", anchor: "c47" },
      { level: 2, heading: "Abmeldung", anchor: "c48" },
    ]);
    expectIn(doc, "Hundesteuer", "Wer in Musterdorf einen Hund hält, muss ihn innerhalb von zwei Wochen bei der Gemeindekasse anmelden.");
    expectIn(
      doc,
      "Steuersätze",
      "Die Steuer beträgt jährlich 60 Euro für den ersten und 90 Euro für jeden weiteren Hund.",
      "Für Blindenführhunde wird keine Hundesteuer erhoben.",
    );
    expectIn(
      doc,
      "Hundemarke",
      "Nach der Anmeldung erhalten Sie eine Hundemarke, die Ihr Hund außerhalb des Grundstücks sichtbar tragen muss.",
    );
    expectIn(doc, "Abmeldung", "Melden Sie Ihren Hund schriftlich ab, wenn Sie wegziehen oder das Tier abgegeben haben.");
  });

  it("leaves out the header, menus, rootline, side columns and footer around #content", () => {
    expectNoChrome(doc, [
      "Leben am Mühlbach",
      "Sitemap",
      "Impressum",
      "Gemeinderat",
      "Vereine & Freizeit",
      "Sie sind hier",
      "Abfallkalender",
      "Fundbüro",
      "Ansprechpartnerin",
      "Hauptstraße 3",
    ]);
  });
});

describe("the Government Site Builder (GSB) of federal ministries", () => {
  const doc = fixture("gsb.html");

  it("takes the title from the <h1>, without the ministry's name", () => {
    expect(doc.title).toBe("Förderprogramme");
  });

  it("starts a section at the article header's <h1> and at each heading of the rich text", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Förderprogramme", anchor: "main" },
      { level: 2, heading: "Zuschüsse für Beratung", anchor: "doc1234bodyText1" },
      { level: 3, heading: "Wer kann einen Antrag stellen?", anchor: "doc1234bodyText2" },
      { level: 2, heading: "Kredite und Bürgschaften", anchor: "doc1234bodyText3" },
    ]);
  });

  it("reads the rich text in its sections", () => {
    expectIn(doc, "Förderprogramme", "Kleine und mittlere Unternehmen erhalten vom Bund Zuschüsse, zinsgünstige Kredite und Bürgschaften.");
    expectIn(
      doc,
      "Zuschüsse für Beratung",
      "Das Programm fördert Beratungen zu wirtschaftlichen, finanziellen und organisatorischen Fragen der Unternehmensführung.",
    );
    expectIn(
      doc,
      "Wer kann einen Antrag stellen?",
      "Antragsberechtigt sind Unternehmen mit weniger als 250 Beschäftigten und einem Jahresumsatz bis 50 Millionen Euro.",
    );
    expectBlock(
      doc,
      "Wer kann einen Antrag stellen?",
      "list",
      "Junge Unternehmen bis zwei Jahre nach der Gründung • Bestandsunternehmen ab dem dritten Jahr",
    );
    expectIn(
      doc,
      "Kredite und Bürgschaften",
      "Förderkredite vergibt die KfW über die Hausbank des Unternehmens, Bürgschaften die Bürgschaftsbanken der Länder.",
    );
  });

  it("leaves out the banner, breadcrumb, footer, cookie banner and the related-links box in the article", () => {
    expectNoChrome(doc, [
      "Direkt zum Inhalt",
      "Leichte Sprache",
      "Gebärdensprache",
      "Suchbegriff",
      "Mediathek",
      "Sie sind hier",
      "Startseite",
      "Weitere Informationen",
      "Förderdatenbank",
      "Merkblatt",
      "Existenzgründung",
      "Scharnhorststraße",
      "10115 Berlin",
      "Impressum",
      "Barrierefreiheit",
      "Datenschutzeinstellungen",
      "Cookies",
    ]);
  });
});

describe("Drupal 10 with Olivero", () => {
  const doc = fixture("drupal.html");

  it("takes the title from the <h1>, without the site's name", () => {
    expect(doc.title).toBe("Abfallentsorgung");
  });

  it("starts a section at the node's <header> <h1> and at each heading of the body field", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Abfallentsorgung", anchor: "block-olivero-content" },
      { level: 2, heading: "Biotonne", anchor: null },
      { level: 3, heading: "Was gehört hinein?", anchor: null },
      { level: 2, heading: "Sperrmüll", anchor: null },
    ]);
    expectIn(doc, "Abfallentsorgung", "Die Gemeinde holt Restmüll, Bioabfall und Altpapier im Wechsel alle zwei Wochen ab.");
    expectIn(doc, "Biotonne", "Die braune Tonne wird im Sommer wöchentlich geleert, von November bis März alle zwei Wochen.");
    expectBlock(doc, "Was gehört hinein?", "list", "Obst- und Gemüsereste • Kaffeesatz und Filtertüten • Rasenschnitt und Laub");
    expectIn(doc, "Sperrmüll", "Sperrmüll holen wir zweimal im Jahr kostenlos ab, wenn Sie ihn spätestens eine Woche vorher anmelden.");
  });

  it("leaves out the site header, menu, breadcrumb, footer and cookie banner", () => {
    expectNoChrome(doc, [
      "Direkt zum Inhalt",
      "Gemeinde Beispielstadt",
      "Hauptnavigation",
      "Rathaus & Verwaltung",
      "Bürgerservice",
      "Freizeit & Kultur",
      "Pfadnavigation",
      "Startseite",
      "Rathausplatz 2",
      "Bereitgestellt von",
      "Cookies",
      "Akzeptieren",
    ]);
  });
});

describe("WordPress with a block theme", () => {
  const doc = fixture("wordpress.html");

  it("takes the title from the <h1>, without the site's name after an en dash (&#8211;)", () => {
    expect(doc.title).toBe("Veranstaltungen");
  });

  it("reads the post title and content in sections, the table as rows", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Veranstaltungen", anchor: null },
      { level: 2, heading: "Konzerte", anchor: "konzerte" },
      { level: 2, heading: "Lesungen", anchor: null },
    ]);
    expectIn(
      doc,
      "Veranstaltungen",
      "Der Kulturverein lädt das ganze Jahr über zu Konzerten, Lesungen und Theaterabenden ins Dorfgemeinschaftshaus ein.",
    );
    expectIn(doc, "Konzerte", "Im Sommer spielen regionale Chöre und Blaskapellen bei freiem Eintritt auf dem Dorfplatz.");
    expectBlock(doc, "Konzerte", "row", "Datum: 14.06.2025 | Veranstaltung: Sommerkonzert des Männerchors | Ort: Dorfplatz");
    expectIn(doc, "Lesungen", "Einmal im Monat liest eine Autorin oder ein Autor aus der Region in der Gemeindebücherei.");
  });

  it("leaves out the header and footer template parts and the cookie banner", () => {
    expectNoChrome(doc, [
      "Kulturverein Musterdorf",
      "Theater, Musik und Lesungen seit 1987",
      "Über uns",
      "Mitglied werden",
      "Menü öffnen",
      "Lindenweg 5",
      "Impressum",
      "Datenschutz",
      "Mit Stolz präsentiert",
      "Cookie",
    ]);
  });
});

describe("Sphinx (classic theme)", () => {
  const doc = fixture("sphinx.html");

  it("takes the title from the <h1> without its permalink, without the project's name after an em dash", () => {
    expect(doc.title).toBe("Installation");
  });

  it("starts a section at each heading, anchored at its <section>'s id, without the ¶ permalinks", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Installation", anchor: "installation" },
      { level: 2, heading: "Voraussetzungen", anchor: "voraussetzungen" },
      { level: 2, heading: "Paket installieren", anchor: "paket-installieren" },
      { level: 3, heading: "Installation prüfen", anchor: "installation-pruefen" },
    ]);
  });

  it("reads the body, code and notes in their sections", () => {
    expectIn(doc, "Installation", "Diese Seite beschreibt, wie Sie das Beispielprojekt auf einem Linux-Server einrichten.");
    expectIn(doc, "Voraussetzungen", "Sie benötigen Python in Version 3.10 oder neuer sowie eine PostgreSQL-Datenbank.");
    expectBlock(doc, "Voraussetzungen", "list", "Python 3.10 oder neuer • PostgreSQL 14 oder neuer");
    expectIn(
      doc,
      "Paket installieren",
      "Installieren Sie das Paket mit pip in eine eigene virtuelle Umgebung.",
      "Unter Windows verwenden Sie statt pip den Befehl py -m pip.",
    );
    expectBlock(doc, "Paket installieren", "code", "$ pip install beispielprojekt");
    expectIn(doc, "Installation prüfen", "Der Befehl zeigt die installierte Version an, wenn die Installation gelungen ist.");
  });

  it("leaves out the related bar, the sidebar and the footer", () => {
    expectNoChrome(doc, [
      "Navigation",
      "Index",
      "weiter",
      "zurück",
      "Beispielprojekt 2.1 Dokumentation",
      "Vorheriges Thema",
      "Nächstes Thema",
      "Erste Schritte",
      "Quellcode anzeigen",
      "Schnellsuche",
      "Copyright",
      "Erstellt mit",
    ]);
  });
});

describe("MkDocs with Material", () => {
  const doc = fixture("mkdocs.html");

  it("takes the title from the <h1> without its permalink, without the site's name", () => {
    expect(doc.title).toBe("Konfiguration");
  });

  it("starts a section at each heading of the article, anchored at its id, without the ¶ permalinks", () => {
    expect(outline(doc)).toEqual([
      { level: 1, heading: "Konfiguration", anchor: "konfiguration" },
      { level: 2, heading: "Konfigurationsdatei", anchor: "konfigurationsdatei" },
      { level: 2, heading: "Umgebungsvariablen", anchor: "umgebungsvariablen" },
      { level: 3, heading: "Proxy-Einstellungen", anchor: "proxy-einstellungen" },
    ]);
    expectIn(doc, "Konfiguration", "Fundus liest seine Einstellungen beim Start aus einer Konfigurationsdatei und aus Umgebungsvariablen.");
    expectIn(
      doc,
      "Konfigurationsdatei",
      "Die Datei fundus.yml liegt im Arbeitsverzeichnis und enthält mindestens den Pfad zum Archiv.",
      "Änderungen an der Konfigurationsdatei werden erst nach einem Neustart wirksam.",
    );
    expectBlock(doc, "Konfigurationsdatei", "code", "archiv: /srv/fundus/archiv");
    expectIn(doc, "Umgebungsvariablen", "Jede Einstellung lässt sich auch mit einer Umgebungsvariablen setzen, die mit FUNDUS_ beginnt.");
    expectIn(doc, "Proxy-Einstellungen", "Hinter einem Firmenproxy setzen Sie die Variable HTTPS_PROXY auf die Adresse des Proxys.");
  });

  it("leaves out the header, tabs, both sidebars (the table of contents too) and the footer's previous/next links", () => {
    expectNoChrome(doc, [
      "Zum Inhalt",
      "Fundus Handbuch",
      "Suche",
      "Benutzerhandbuch",
      "Für Entwickler",
      "Installation",
      "Betrieb und Wartung",
      "Inhaltsverzeichnis",
      "Seite bearbeiten",
      "Zurück",
      "Weiter",
      "Copyright",
      "Material for MkDocs",
    ]);
  });
});

describe("DocBook XSL chunked HTML", () => {
  const doc = fixture("docbook.html");

  it("takes the <title> (there is no <h1>)", () => {
    expect(doc.title).toBe("2.3. Pakete");
  });

  it("starts a section at each title heading, anchored at its <a name>; the navigation header is no lead", () => {
    expect(outline(doc)).toEqual([
      { level: 2, heading: "2.3. Pakete", anchor: "_pakete" },
      { level: 3, heading: "2.3.1. Paketabhängigkeiten", anchor: "_paketabhaengigkeiten" },
      { level: 3, heading: "2.3.2. Paketzustände", anchor: "_paketzustaende" },
      { level: 3, heading: "2.3.3. Paketquellen", anchor: "_paketquellen" },
    ]);
  });

  it("reads paragraphs, lists, tables and screens in their sections", () => {
    expectIn(
      doc,
      "2.3. Pakete",
      "Ein Debian-Paket ist ein Archiv mit den Dateien eines Programms und mit Informationen darüber, wie es installiert, konfiguriert und entfernt wird.",
      "Die Paketverwaltung dpkg installiert einzelne Pakete, apt löst zusätzlich ihre Abhängigkeiten auf.",
    );
    expectBlock(
      doc,
      "2.3.1. Paketabhängigkeiten",
      "list",
      "Depends: absolute Abhängigkeit • Recommends: starke, aber nicht absolute Abhängigkeit • Conflicts: absoluter Ausschluss",
    );
    expectBlock(doc, "2.3.2. Paketzustände", "row", "Zustand: ii | Bedeutung: installiert und vollständig konfiguriert");
    expectIn(doc, "2.3.3. Paketquellen", "Nach einer Änderung der Quellen lädt apt update die Paketlisten neu herunter.");
    expect(doc.paragraphs.some((text) => text.startsWith("$ apt-cache policy dpkg"))).toBe(true);
  });

  it("leaves out the navigation header and footer", () => {
    expect(doc.paragraphs.filter((p) => p.includes("2.3. Pakete"))).toEqual([]);
    expectNoChrome(doc, [
      "Zurück",
      "Weiter",
      "Nach oben",
      "Zum Anfang",
      "Kapitel 2. Debian-Paketverwaltung",
      "2.2. Grundlegende Paketverwaltung",
      "2.4. Fortgeschrittene Paketverwaltung",
    ]);
  });
});

describe("a <header> inside the main content", () => {
  it("is the article's: its heading starts a section, while the site's header outside <main> stays chrome", () => {
    const doc = only(
      page(
        "<title>Bürgerbüro</title>",
        `<header class="site"><p>Stadt Musterhausen</p></header>
        <main><article><header><h1>Bürgerbüro</h1></header><p>Termine vergibt das Bürgerbüro online.</p></article></main>
        <footer><p>Marktplatz 1</p></footer>`,
      ),
    );
    expect(outline(doc)).toEqual([{ level: 1, heading: "Bürgerbüro", anchor: null }]);
    expect(doc.paragraphs).toEqual(["Termine vergibt das Bürgerbüro online."]);
  });
});

describe('<meta name="robots">', () => {
  const body = "<main><h1>Interne Seite</h1><p>Diese Seite ist nur für das Intranet bestimmt.</p></main>";

  it.each(["noindex", "NOINDEX, NOFOLLOW", "none"])('content="%s" gives no document and a notice that says why', (content) => {
    const result = page(`<title>Interne Seite</title><meta name="robots" content="${content}">`, body);
    expect(result.documents).toEqual([]);
    expect(result.warnings).toEqual([]);
    const notices = noticesOf(result);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.file).toBe("stadt/seite.html");
    expect(notices[0]?.reason).toMatch(/noindex/i);
  });

  it.each(["nofollow", "index, follow", "max-image-preview:large"])('content="%s" indexes the page as usual', (content) => {
    const result = page(`<title>Interne Seite</title><meta name="robots" content="${content}">`, body);
    expect(only(result).paragraphs).toEqual(["Diese Seite ist nur für das Intranet bestimmt."]);
    expect(noticesOf(result)).toEqual([]);
  });
});

describe("invisible characters inside words", () => {
  it("soft hyphens and zero-width spaces are removed from the title, headings and blocks", () => {
    const doc = only(
      page(
        "<title>Personal&shy;ausweis</title>",
        `<main><h1>Personal&shy;ausweis</h1><p>Den Personal&shy;ausweis beantragen Sie im Bürger\u00ADbüro.</p>
        <h2>Vorläufiger Personal&#8203;ausweis</h2><p>Ein vorläufiger Personal\u200Bausweis gilt drei Monate.</p></main>`,
      ),
    );
    expect(doc.title).toBe("Personalausweis");
    expect(doc.sections.map((section) => section.heading)).toEqual(["Personalausweis", "Vorläufiger Personalausweis"]);
    expect(doc.paragraphs).toEqual([
      "Den Personalausweis beantragen Sie im Bürgerbüro.",
      "Ein vorläufiger Personalausweis gilt drei Monate.",
    ]);
  });

  it("an <h1> with a soft hyphen still matches the <title> without one", () => {
    const doc = only(page("<title>Personalausweis – Stadt Musterhausen</title>", "<main><h1>Personal&shy;ausweis</h1><p>Text</p></main>"));
    expect(doc.title).toBe("Personalausweis");
  });
});

describe("a redirect stub", () => {
  it.each([
    ["0; url=/x.html", "/x.html"],
    ["0;URL=https://www.musterhausen.de/buergerbuero/", "https://www.musterhausen.de/buergerbuero/"],
  ])('(refresh "%s") gives no document and a notice naming the target, no warning', (content, target) => {
    const result = page(`<meta charset="utf-8"><meta http-equiv="refresh" content="${content}"><title>Weiterleitung</title>`, "");
    expect(result.documents).toEqual([]);
    expect(result.warnings).toEqual([]);
    const notices = noticesOf(result);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.file).toBe("stadt/seite.html");
    expect(notices[0]?.reason).toContain(target);
  });
});

describe("a site's name in the <title>", () => {
  const title = (titleText: string, body: string) => only(page(`<title>${titleText}</title>`, `<main>${body}<p>Text</p></main>`)).title;

  it.each(["–", "-", "—", "|", ":", "·"])('is stripped beside "%s" when the rest is the <h1> before it', (separator) => {
    const after = separator === ":" ? "Bürgerbüro: Stadt Musterhausen" : `Bürgerbüro ${separator} Stadt Musterhausen`;
    expect(title(after, "<h1>Bürgerbüro</h1>")).toBe("Bürgerbüro");
  });

  it.each(["|", ":", "·"])('is stripped beside "%s" when the rest is the <h1> after it', (separator) => {
    const before = separator === ":" ? "Stadt Musterhausen: Bürgerbüro" : `Stadt Musterhausen ${separator} Bürgerbüro`;
    expect(title(before, "<h1>Bürgerbüro</h1>")).toBe("Bürgerbüro");
  });

  it("stays before a dash on one page: context before the page's name, as LibreOffice's help writes it", () => {
    // A site's name before a dash is stripped when it recurs across the collection (test/node/builder-cms-export.test.ts).
    expect(title("PDF-Export – Verknüpfungen", "<h1>Verknüpfungen</h1>")).toBe("PDF-Export – Verknüpfungen");
  });

  it("is stripped before a bar: “Stadt Musterhausen | Bürgerbüro” with the <h1> “Bürgerbüro”", () => {
    expect(title("Stadt Musterhausen | Bürgerbüro", "<h1>Bürgerbüro</h1>")).toBe("Bürgerbüro");
  });

  it("stays when the page has no <h1> (a suffix repeated across the collection is stripped there)", () => {
    expect(title("Kontakt – Stadt Musterhausen", "<h2>Telefon</h2>")).toBe("Kontakt – Stadt Musterhausen");
  });
});
