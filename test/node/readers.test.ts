// Each corpus reader on small inputs and on the seed page.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readHtml } from "../../index-builder/readers/html.js";
import { readJsonl } from "../../index-builder/readers/jsonl.js";
import { readMd } from "../../index-builder/readers/md.js";
import { readTxt } from "../../index-builder/readers/txt.js";
import type { ReadResult, SourceFile } from "../../index-builder/source.js";
import { corpusErrorOf } from "./corpus-error-of.js";

const fixture = (path: string) => readFileSync(new URL(`../fixtures/corpus/${path}`, import.meta.url), "utf8");
const source = (path: string): SourceFile => ({ path, id: path.replace(/\.[^.]+$/, ""), collection: path.split("/")[0] ?? "" });
const only = (result: ReadResult) => {
  expect(result.documents).toHaveLength(1);
  const [doc] = result.documents;
  if (!doc) throw new Error("no document");
  return doc;
};
const errorOf = corpusErrorOf;

describe("the seed page (.txt)", () => {
  const seed = readFileSync(new URL("../../corpus/auswaertiges-amt/deutschland-kasachstan.txt", import.meta.url), "utf8");
  const doc = only(readTxt(source("auswaertiges-amt/deutschland-kasachstan.txt"), seed));

  it("is byte for byte the user's seed document", () => {
    const bytes = readFileSync(new URL("../../corpus/auswaertiges-amt/deutschland-kasachstan.txt", import.meta.url));
    expect(bytes.length).toBe(2843);
    expect(bytes.toString("utf8").startsWith("Willkommen auf den Seiten des Auswärtigen Amts\n")).toBe(true);
  });

  it("reads title, date and kind", () => {
    expect(doc).toMatchObject({
      id: "auswaertiges-amt/deutschland-kasachstan",
      title: "Deutschland und Kasachstan: bilaterale Beziehungen",
      date: "2024-10-30",
      kind: "Artikel",
      url: null,
      collection: "auswaertiges-amt",
    });
  });

  it("has exactly the 5 body paragraphs, without site chrome", () => {
    expect(doc.paragraphs).toHaveLength(5);
    expect(doc.paragraphs[0]).toMatch(/^Deutschland und Kasachstan pflegen seit 1992/);
    expect(doc.paragraphs[1]).toMatch(/^Kasachstan ist Deutschlands wichtigster Wirtschaftspartner/);
    expect(doc.paragraphs[4]).toBe(
      "Konrad-Adenauer-Stiftung, Friedrich-Ebert-Stiftung und Rosa-Luxemburg-Stiftung sind in Kasachstan mit Büros präsent.",
    );
    expect(doc.paragraphs.join(" ")).not.toMatch(/Willkommen|Weitere Informationen|nach oben/);
  });
});

describe(".txt pages", () => {
  it("reads a page without a date line, joining wrapped lines", () => {
    const doc = only(readTxt(source("a/b.txt"), "Titel\n\nErste Zeile\nzweite Zeile\n\nnach oben\n\nZweiter Absatz"));
    expect(doc).toMatchObject({ title: "Titel", date: null, kind: null, paragraphs: ["Erste Zeile zweite Zeile", "Zweiter Absatz"] });
  });

  it("rejects an impossible date with its line", () => {
    const error = errorOf(() => readTxt(source("a/b.txt"), "Titel\n\n31.02.2024 - Artikel\n\nText"));
    expect(error.message).toBe('a/b.txt:3: date "31.02.2024 - Artikel" is not a valid date (DD.MM.YYYY)');
  });

  it("rejects a page that is only chrome as having no title", () => {
    expect(errorOf(() => readTxt(source("a/b.txt"), "Willkommen auf den Seiten des Auswärtigen Amts\n\nnach oben\n")).message).toMatch(
      /^a\/b\.txt: has no title/,
    );
  });

  it("skips a page with a title but no body with a notice, not a warning", () => {
    const result = readTxt(source("a/b.txt"), "Nur ein Titel\n");
    expect(result.documents).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.notices).toEqual([{ file: "a/b.txt", kind: "noBody", reason: "has no body text; skipped" }]);
  });
});

describe(".md with front matter", () => {
  const doc = only(readMd(source("docs/anleitung.md"), fixture("docs/anleitung.md")));

  it("reads the front matter", () => {
    expect(doc).toMatchObject({
      id: "docs/anleitung",
      title: "Anleitung zur Suche",
      date: "2025-03-01",
      kind: "Anleitung",
      url: "https://example.org/anleitung",
    });
  });

  it("reads paragraphs, a run of short list items and labelled table rows as plain text, headings excluded", () => {
    expect(doc.paragraphs).toEqual([
      "Die Volltextsuche findet auch gebeugte Formen wie Häuser und Hauses.",
      "Erster Punkt der Liste • Zweiter Punkt mit Code",
      "Spalte: Größe | Bedeutung: Die Straßenbreite in Metern",
      "Ein Absatz mit HTML darin.",
    ]);
    expect(doc.blockKinds).toEqual(["text", "list", "row", "text"]);
    expect(doc.sections).toEqual([{ heading: "Überschrift, kein Absatz", level: 1, anchor: "überschrift-kein-absatz", first: 0 }]);
  });

  it.each([
    ["neither a title nor a heading", "Nur Text", "x/y.md: has no title"],
    ["unclosed front matter", "---\ntitle: A\n\nText", "x/y.md:1: front matter is not closed"],
    ["malformed YAML", "---\ntitle: A\ndate: [2024\n---\nText", "x/y.md:"],
    ["front matter without title and no heading", "---\ndate: 2024-01-01\n---\nText", "x/y.md: has no title"],
    ["an empty title and no heading", "---\ntitle: '  '\n---\nText", "x/y.md: has no title"],
    ["a title that is not a string, even with a heading", "---\ntitle: [A]\n---\n# H\n\nText", "x/y.md:2: title must be a string"],
    ["a bad date", "---\ntitle: A\ndate: 2024-13-01\n---\nText", 'x/y.md:3: date "2024-13-01" is not a valid date in the form YYYY-MM-DD'],
    [
      "a bad url",
      "---\ntitle: A\nurl: javascript:alert(1)\n---\nText",
      'x/y.md:3: url "javascript:alert(1)" is neither an http(s) URL nor a path starting with /',
    ],
    ["a list as front matter", "---\n- a\n- b\n---\nText", "x/y.md:2: front matter must be a mapping"],
    ["a duplicate key", "---\ntitle: A\ntitle: B\n---\nText", "malformed front matter: Map keys must be unique"],
  ])("rejects %s", (_name, text, message) => {
    expect(errorOf(() => readMd(source("x/y.md"), text)).message).toContain(message);
  });
});

describe("the title of a .md file", () => {
  const read = (text: string) => only(readMd(source("x/y.md"), text));

  it("is the first # heading when there is no front matter, and that heading is no paragraph", () => {
    expect(read("# Titel\n\nText")).toMatchObject({ id: "x/y", title: "Titel", url: null, date: null, kind: null, paragraphs: ["Text"] });
  });

  it("is the first # heading when the front matter has no title", () => {
    expect(read("---\ndate: 2024-01-01\nkind: Seite\n---\n# H\n\nText")).toMatchObject({
      title: "H",
      date: "2024-01-01",
      kind: "Seite",
      paragraphs: ["Text"],
    });
  });

  it("is the first # heading when the front matter title is blank", () => {
    expect(read("---\ntitle: ''\n---\n# H\n\nText").title).toBe("H");
  });

  it("is the front matter title, whatever the headings", () => {
    expect(read("---\ntitle: A\n---\n# H\n\nText")).toMatchObject({ title: "A", paragraphs: ["Text"] });
  });

  it("is a level-1 heading rather than an earlier ## heading", () => {
    expect(read("## Einleitung\n\nText\n\n# Haupttitel\n\nMehr")).toMatchObject({ title: "Haupttitel", paragraphs: ["Text", "Mehr"] });
  });

  it("is the first heading of any level when there is no level-1 heading", () => {
    expect(read("Vorspann\n\n### Tiefer\n\n## Erster Abschnitt\n\nText").title).toBe("Tiefer");
  });

  it("is the plain text of an underlined (setext) heading, inline markup dropped", () => {
    expect(read("Die *Suche* in `Code`\n=====\n\nText").title).toBe("Die Suche in Code");
  });

  it("skips a heading with no text, and is never a heading inside a block quote", () => {
    expect(read("#\n\n> # Zitat\n\n# Echt\n\nText").title).toBe("Echt");
    expect(errorOf(() => readMd(source("x/y.md"), "> # Zitat\n\nText")).message).toContain("x/y.md: has no title");
  });
});

describe(".html pages", () => {
  const doc = only(readHtml(source("help/seite.html"), fixture("help/seite.html")));

  it("reads title and date, entities decoded", () => {
    expect(doc).toMatchObject({ title: "Hilfe & Seite", date: "2024-05-06", url: null });
  });

  it("keeps main content paragraphs, the howtoget box, list runs and table rows and skips chrome, scripts and headings", () => {
    expect(doc.paragraphs).toEqual([
      'Erster Absatz mit "Anführungszeichen" & Entitäten hier.',
      "So erreichen Sie diesen Befehl: Extras – Optionen",
      "Listenpunkt eins • Listenpunkt zwei",
      "Taste | Strg+F öffnet die Suchleiste",
      "Verwenden Sie Strg+F.",
    ]);
    expect(doc.blockKinds).toEqual(["text", "text", "list", "row", "text"]);
    expect(doc.sections).toEqual([{ heading: "Hilfe & Seite", level: 1, anchor: null, first: 0 }]);
  });

  it("skips a redirect stub with a notice naming its target, not a warning (--strict passes)", () => {
    const result = readHtml(source("help/stub.html"), fixture("help/stub.html"));
    expect(result.documents).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.notices).toEqual([{ file: "help/stub.html", line: 1, kind: "redirect", reason: "is a redirect to seite.html; skipped" }]);
  });

  it("reads a page whose refresh is only for visitors without JavaScript (<noscript>, as LibreOffice's help has it)", () => {
    const html =
      '<title>Seite</title><noscript><meta http-equiv="refresh" content="0; URL=../noscript.html"></noscript><main><p>Text</p></main>';
    expect(only(readHtml(source("a/b.html"), html)).paragraphs).toEqual(["Text"]);
  });

  it("skips a page without body text with a notice, and a page with body text but no title with a warning", () => {
    expect(readHtml(source("a/leer.html"), "<title>Leer</title><main><p> </p></main>")).toEqual({
      documents: [],
      warnings: [],
      notices: [{ file: "a/leer.html", kind: "noBody", reason: "has no body text; skipped" }],
    });
    expect(readHtml(source("a/ohne.html"), "<main><p>Text ohne Titel</p></main>").warnings).toEqual([
      { file: "a/ohne.html", problem: "has body text but no <title> or <h1>; skipped" },
    ]);
  });

  it("falls back to the first h1 for the title and to the body for content", () => {
    const result = only(readHtml(source("a/b.html"), "<body><h1>Kopf</h1><div>Loser Text <b>fett</b></div></body>"));
    expect(result).toMatchObject({ title: "Kopf", paragraphs: ["Loser Text fett"] });
  });

  it("reads a date written the ISO way, with a time, or the German way; any other is dropped with a warning naming its line", () => {
    const page = (content: string) =>
      readHtml(source("a/b.html"), `<html>\n<head>\n<title>T</title>\n<meta name="date" content="${content}">\n</head><p>Text</p></html>`);
    const cases: [string, string | null][] = [
      ["2025-03-14", "2025-03-14"],
      ["2025-03-14T09:30:00+01:00", "2025-03-14"],
      [" 14.03.2025 ", "2025-03-14"],
      ["1.3.2025", "2025-03-01"],
      ["", null],
    ];
    for (const [content, date] of cases) {
      const result = page(content);
      expect(result.documents[0]?.date, content).toBe(date);
      expect(result.warnings, content).toEqual([]);
    }
    for (const content of ["31.02.2025", "2025-02-31", "gestern", "2025-03-14x", "14.03.25"]) {
      const result = page(content);
      expect(result.documents[0]?.date, content).toBeNull();
      expect(result.warnings, content).toEqual([
        {
          file: "a/b.html",
          line: 4,
          problem: `date "${content}" is no date (YYYY-MM-DD or DD.MM.YYYY); the page is indexed without one`,
        },
      ]);
    }
  });
});

describe(".jsonl", () => {
  const result = readJsonl(source("news/meldungen.jsonl"), fixture("news/meldungen.jsonl"));

  it("reads one document per line with ids under the file's id", () => {
    expect(result.documents.map((d) => [d.id, d.title, d.date, d.kind, d.url, d.line, d.paragraphs.length])).toEqual([
      ["news/meldungen/erste", "Erste Meldung", "2024-01-15", null, null, 1, 2],
      ["news/meldungen/zweite", "Zweite Meldung", null, "Pressemitteilung", "https://example.org/zweite", 3, 1],
    ]);
  });

  it.each([
    ["invalid JSON", '{"id": "a", ', "x/y.jsonl:1: is not valid JSON"],
    ["an array", "[1, 2]", "x/y.jsonl:1: must be a JSON object"],
    ["a missing id", '{"title": "T", "paragraphs": ["p"]}', "x/y.jsonl:1: id is missing"],
    ["an id with #", '{"id": "a#b", "title": "T", "paragraphs": ["p"]}', "x/y.jsonl:1: id must not contain #"],
    ["a missing title", '{"id": "a", "paragraphs": ["p"]}', "x/y.jsonl:1: title is missing"],
    ["missing paragraphs", '{"id": "a", "title": "T"}', "x/y.jsonl:1: paragraphs is missing"],
    ["paragraphs as a string", '{"id": "a", "title": "T", "paragraphs": "p"}', "x/y.jsonl:1: paragraphs must be an array of strings"],
    [
      "a bad date on line 2",
      '{"id": "a", "title": "T", "paragraphs": ["p"]}\n{"id": "b", "title": "T", "paragraphs": ["p"], "date": "30.10.2024"}',
      "x/y.jsonl:2: date",
    ],
  ])("rejects %s", (_name, text, message) => {
    expect(errorOf(() => readJsonl(source("x/y.jsonl"), text)).message).toContain(message);
  });
});

describe("document urls", () => {
  // Refused by common/safe-url.ts; the message shows control characters as \uXXXX.
  const refused: [string, string, string][] = [
    ["//evil.example/x", '"//evil.example/x"', "starts with // (another host)"],
    ["/\\evil.example/x", '"/\\evil.example/x"', "contains a backslash"],
    ["\\\\evil.example", '"\\\\evil.example"', "contains a backslash"],
    ["https:evil.example", '"https:evil.example"', "needs // and a host after the scheme"],
    ["https:///evil.example", '"https:///evil.example"', "needs // and a host after the scheme"],
    ["/x\u0001", '"/x\\u0001"', "contains a space or control character (percent-encode spaces as %20)"],
    ["/a b", '"/a b"', "contains a space or control character (percent-encode spaces as %20)"],
    ["/x\n/y", '"/x\\u000a/y"', "contains a space or control character (percent-encode spaces as %20)"],
    ["JaVaScRiPt:alert(1)", '"JaVaScRiPt:alert(1)"', "is neither an http(s) URL nor a path starting with /"],
    ["data:text/html,x", '"data:text/html,x"', "is neither an http(s) URL nor a path starting with /"],
    ["laender/kasachstan", '"laender/kasachstan"', "is neither an http(s) URL nor a path starting with /"],
  ];
  // Surrounding whitespace is trimmed before the url is judged (and stored): " /x" is stored as "/x".
  const accepted: [string, string][] = [
    ["/laender/kasachstan", "/laender/kasachstan"],
    ["HTTPS://www.example.org/a", "HTTPS://www.example.org/a"],
    ["https://www.auswaertiges-amt.de/de/x", "https://www.auswaertiges-amt.de/de/x"],
    [" /x", "/x"],
    ["/x\t", "/x"],
  ];
  const markdown = (url: string) => `---\ntitle: A\nurl: ${JSON.stringify(url)}\n---\nText`;
  const jsonLines = (url: string) =>
    `${JSON.stringify({ id: "a", title: "T", paragraphs: ["p"] })}\n${JSON.stringify({ id: "b", title: "T", paragraphs: ["p"], url })}`;
  const attribute = (url: string) => url.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const html = (url: string) =>
    `<html><head><title>T</title>\n<link rel="canonical" href="${attribute(url)}"></head><body><p>Text</p></body></html>`;

  it.each(refused)("front matter refuses %j, naming file and line", (url, shown, problem) => {
    expect(errorOf(() => readMd(source("x/y.md"), markdown(url))).message).toBe(`x/y.md:3: url ${shown} ${problem}`);
  });

  it.each(refused)("a JSON line refuses %j, naming file and line", (url, shown, problem) => {
    expect(errorOf(() => readJsonl(source("x/y.jsonl"), jsonLines(url))).message).toBe(`x/y.jsonl:2: url ${shown} ${problem}`);
  });

  it.each(refused)("a canonical link %j leaves the page without a url, with a warning naming file and line", (url, shown, problem) => {
    const result = readHtml(source("x/y.html"), html(url));
    expect(only(result).url).toBeNull();
    expect(result.warnings).toEqual([
      { file: "x/y.html", line: 2, problem: `canonical link ${shown} ${problem}; the page is indexed without a url` },
    ]);
  });

  it.each(accepted)("front matter, JSON lines and canonical links accept %j", (url, stored) => {
    expect(only(readMd(source("x/y.md"), markdown(url))).url).toBe(stored);
    expect(readJsonl(source("x/y.jsonl"), jsonLines(url)).documents[1]?.url).toBe(stored);
    const page = readHtml(source("x/y.html"), html(url));
    expect(page.warnings).toEqual([]);
    expect(only(page).url).toBe(stored);
  });

  it("front matter refuses an unquoted url that leads to another host", () => {
    const message = errorOf(() => readMd(source("x/y.md"), "---\ntitle: A\nurl: /\\evil.example/x\n---\nText")).message;
    expect(message).toBe('x/y.md:3: url "/\\evil.example/x" contains a backslash');
  });
});

describe("a file's url from its collection's baseUrl", () => {
  const served = (path: string): SourceFile => ({ ...source(path), siteUrl: "https://www.example.org/x/y.html" });
  const canonical = (href: string) =>
    `<html><head><title>T</title>\n<link rel="canonical" href="${href}"></head><body><p>Text</p></body></html>`;

  it("is the url of an HTML page without a canonical link of its own; a valid one wins, a refused one falls back to it", () => {
    expect(only(readHtml(served("x/y.html"), "<title>T</title><p>Text</p>")).url).toBe("https://www.example.org/x/y.html");
    expect(only(readHtml(served("x/y.html"), canonical("/eigen"))).url).toBe("/eigen");
    const refused = readHtml(served("x/y.html"), canonical("//evil.example"));
    expect(only(refused).url).toBe("https://www.example.org/x/y.html");
    expect(refused.warnings[0]?.problem).toBe(
      'canonical link "//evil.example" starts with // (another host); the page is indexed at its url from baseUrl, https://www.example.org/x/y.html',
    );
  });

  it("is the url of a Markdown file without url in its front matter; one there wins", () => {
    expect(only(readMd(served("x/y.md"), "# T\n\nText")).url).toBe("https://www.example.org/x/y.html");
    expect(only(readMd(served("x/y.md"), "---\ntitle: T\nurl: /eigen\n---\nText")).url).toBe("/eigen");
  });

  it("is the url of a .txt page, but not of JSON lines, which have no file path per document", () => {
    expect(only(readTxt(served("x/y.txt"), "Titel\n\nText")).url).toBe("https://www.example.org/x/y.html");
    expect(readJsonl(served("x/y.jsonl"), JSON.stringify({ id: "a", title: "T", paragraphs: ["p"] })).documents[0]?.url).toBeNull();
  });
});
