import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { prescanCharset } from "../../index-builder/decode.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { search } from "../../worker/search/search.js";
import { scratchCorpora } from "./scratch-corpus.js";

/** A new corpus folder holding these files: path under the corpus → content. */
const corpusWith = scratchCorpora("encodings");

const latin1 = (text: string) => Buffer.from(text, "latin1");
const utf16le = (text: string) => Buffer.from(text, "utf16le");
const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

/** Windows-1252 bytes: Latin-1, and the characters German text uses from 0x80–0x9F. */
function windows1252(text: string): Buffer {
  const high: Record<string, number> = {
    "€": 0x80,
    "‚": 0x82,
    "„": 0x84,
    "…": 0x85,
    "‘": 0x91,
    "’": 0x92,
    "“": 0x93,
    "”": 0x94,
    "–": 0x96,
  };
  return Buffer.from(
    [...text].map((c) => {
      const byte = high[c] ?? c.charCodeAt(0);
      if (byte > 0xff) throw new Error(`${c} is not in windows-1252`);
      return byte;
    }),
  );
}

const TITLE = "Öffnungszeiten für Bürger";
const BODY = "Das Bürgeramt öffnet montags um acht Uhr. Gebühren zahlen Sie bar oder mit Karte.";
/** An HTML page with `head` before its title (the declaration sits on line 4). */
const page = (head: string, body = `<p>${BODY}</p>`) =>
  `<!DOCTYPE html>\n<html lang="de">\n<head>\n${head}\n<title>${TITLE}</title>\n</head>\n<body><main>${body}</main></body>\n</html>\n`;

const documentOf = async (dir: string) => {
  const [doc, ...rest] = (await readCorpus(dir)).documents;
  expect(rest).toEqual([]);
  return doc;
};

describe("HTML pages", () => {
  it("reads a page in ISO-8859-1 declared by <meta charset> with its umlauts, and finds and shows it", async () => {
    const dir = corpusWith({ "amt/zeiten.html": latin1(page('<meta charset="iso-8859-1">')) });
    const corpus = await readCorpus(dir);
    expect(corpus.documents).toMatchObject([{ id: "amt/zeiten", title: TITLE, paragraphs: [BODY] }]);
    const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
    const result = search(index, { q: "Gebuehren Bürgeramt", limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false });
    expect(result.hits.map((hit) => [hit.id, hit.doc.title])).toEqual([["amt/zeiten#0", TITLE]]);
    expect(result.hits[0]?.snippetHtml).toContain("Das <mark>Bürgeramt</mark> öffnet montags");
    expect(index.paragraphText(0)).toBe(BODY);
    const titleHit = search(index, { q: "Öffnungszeiten", limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false }).hits[0];
    expect(titleHit?.titleHtml).toBe("<mark>Öffnungszeiten</mark> für Bürger");
  });

  it.each([
    ['<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'],
    ["<META CONTENT='text/html;charset=ISO-8859-1' HTTP-EQUIV='content-type'>"],
  ])("reads a page whose charset an http-equiv Content-Type declares: %s", async (meta) => {
    expect(await documentOf(corpusWith({ "amt/zeiten.html": latin1(page(meta)) }))).toMatchObject({ title: TITLE, paragraphs: [BODY] });
  });

  it.each([
    ["UTF-16LE", (text: string) => utf16le(`\uFEFF${text}`)],
    ["UTF-16BE", (text: string) => utf16be(`\uFEFF${text}`)],
    ["UTF-8", (text: string) => Buffer.from(`\uFEFF${text}`)],
  ])("reads a page that starts with a %s byte order mark in that encoding, whatever its <meta> declares", async (_name, encode) => {
    const doc = await documentOf(corpusWith({ "amt/zeiten.html": encode(page('<meta charset="iso-8859-1">')) }));
    expect(doc).toMatchObject({ title: TITLE, paragraphs: [BODY] });
  });

  it("stops on a charset label that names no encoding, naming the file, the line and the label", async () => {
    const dir = corpusWith({ "amt/zeiten.html": latin1(page('<meta charset="latin-9x">')) });
    await expect(readCorpus(dir)).rejects.toThrow('amt/zeiten.html:4: declares charset "latin-9x", which is not the name of an encoding');
  });

  it("stops on invalid bytes in the declared charset, naming the file, the line and the charset", async () => {
    // 0x81 starts a two-byte Shift_JIS character; a space cannot end one.
    const [before = "", after = ""] = page('<meta charset="Shift_JIS">', "<p>A\nB</p>\n<p>@</p>").split("@");
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0x81, 0x20, 0x41]), Buffer.from(after)]);
    await expect(readCorpus(corpusWith({ "amt/zeiten.html": bytes }))).rejects.toThrow(
      'amt/zeiten.html:9: is not valid shift_jis, the charset its <meta> on line 4 declares ("Shift_JIS")',
    );
  });

  it("stops on a page that declares UTF-8 but is not, suggesting the declaration it may need", async () => {
    await expect(readCorpus(corpusWith({ "amt/zeiten.html": latin1(page('<meta charset="UTF-8">')) }))).rejects.toThrow(
      'amt/zeiten.html:5: is not valid UTF-8, the charset its <meta> on line 4 declares ("UTF-8"); if it is Latin-1 or Windows-1252, correct it to <meta charset="windows-1252">',
    );
  });

  it("stops on an unpaired surrogate in a UTF-16 page, naming the line", async () => {
    const bytes = Buffer.concat([utf16le("\uFEFF<title>T</title>\n<p>"), Buffer.from([0x00, 0xd8]), utf16le("x</p>\n")]);
    await expect(readCorpus(corpusWith({ "amt/zeiten.html": bytes }))).rejects.toThrow(
      "amt/zeiten.html:2: is not valid UTF-16LE, though it starts with a UTF-16LE byte order mark",
    );
  });

  it("stops on a page that is not UTF-8 and declares no charset, suggesting a declaration or the collection setting", async () => {
    const dir = corpusWith({ "amt/zeiten.html": latin1(page("")) });
    await expect(readCorpus(dir)).rejects.toThrow(
      'amt/zeiten.html:5: is not valid UTF-8 and declares no charset; if it is Latin-1 or Windows-1252, declare it with <meta charset="windows-1252"> in its <head>, or set "encoding": "windows-1252" in amt/collection.json',
    );
  });

  it("says so when the page's only charset declaration comes after the first 1024 bytes, where it is not read", async () => {
    const late = page(`<!-- ${"x".repeat(1100)} -->\n<meta charset="iso-8859-1">`);
    await expect(readCorpus(corpusWith({ "amt/zeiten.html": latin1(late) }))).rejects.toThrow(
      "amt/zeiten.html:6: is not valid UTF-8; its <meta> on line 5 declares a charset, but after the first 1024 bytes, where it is not read: move it to the start of <head>",
    );
  });
});

describe("the encoding setting of collection.json", () => {
  const PAGE = "Eintrittspreise\n\nDer Eintritt kostet 5 € – „ermäßigt“ 3 €, für Schüler ‚frei‘.\n";
  const PARAGRAPH = "Der Eintritt kostet 5 € – „ermäßigt“ 3 €, für Schüler ‚frei‘.";

  it.each(["windows-1252", "iso-8859-1", "ISO-8859-1"])(
    'reads .txt files in Windows-1252 when collection.json sets "encoding": "%s", € and „quotes“ included',
    async (encoding) => {
      const dir = corpusWith({ "alt/preise.txt": windows1252(PAGE), "alt/collection.json": JSON.stringify({ title: "Alt", encoding }) });
      expect(await documentOf(dir)).toMatchObject({ title: "Eintrittspreise", paragraphs: [PARAGRAPH] });
    },
  );

  it('reads .md files in ISO-8859-15 when collection.json sets "encoding": "iso-8859-15" (0xA4 is €)', async () => {
    const dir = corpusWith({
      "alt/preise.md": latin1("---\ntitle: Preise\n---\nFünf ¤ für alle.\n"),
      "alt/collection.json": '{"encoding": "iso-8859-15"}',
    });
    expect(await documentOf(dir)).toMatchObject({ title: "Preise", paragraphs: ["Fünf € für alle."] });
  });

  it.each([
    ["alt/preise.txt", windows1252(PAGE), 3],
    ["alt/preise.md", latin1("---\ntitle: Preise\n---\nFünf Euro für alle.\n"), 4],
  ])("stops on %s in Latin-1 without the setting, naming the file and line and suggesting the setting", async (path, bytes, line) => {
    await expect(readCorpus(corpusWith({ [path]: bytes }))).rejects.toThrow(
      `${path}:${line}: is not valid UTF-8; if it is Latin-1 or Windows-1252, set "encoding": "windows-1252" in alt/collection.json`,
    );
  });

  it("applies to HTML pages that declare no charset; a page's own declaration wins", async () => {
    const dir = corpusWith({
      "alt/collection.json": '{"encoding": "windows-1252"}',
      "alt/alt.html": windows1252(page("", "<p>Preis: 5 €</p>")),
      "alt/neu.html": page('<meta charset="utf-8">', "<p>Preis: 6 €</p>"),
    });
    expect((await readCorpus(dir)).documents.map((doc) => [doc.id, doc.title, doc.paragraphs])).toEqual([
      ["alt/alt", TITLE, ["Preis: 5 €"]],
      ["alt/neu", TITLE, ["Preis: 6 €"]],
    ]);
  });

  it("does not apply to .jsonl, which is always UTF-8, and the error says so", async () => {
    const dir = corpusWith({
      "alt/collection.json": '{"encoding": "windows-1252"}',
      "alt/zeilen.jsonl": latin1('{"id": "a", "title": "Für", "paragraphs": ["p"]}\n'),
    });
    await expect(readCorpus(dir)).rejects.toThrow(
      'alt/zeilen.jsonl:1: is not valid UTF-8 (save it as UTF-8: JSON lines are always UTF-8, whatever "encoding" alt/collection.json sets)',
    );
  });

  it.each([
    ['"utf-16"', 'encoding "utf-16" is not one of "windows-1252", "iso-8859-1", "iso-8859-15" or "utf-8" (the default)'],
    ['"latin1"', 'encoding "latin1" is not one of "windows-1252", "iso-8859-1", "iso-8859-15" or "utf-8" (the default)'],
    ["1252", "encoding must be a string"],
  ])("refuses the encoding %s in collection.json, naming collection.json", async (value, message) => {
    const dir = corpusWith({ "alt/collection.json": `{"encoding": ${value}}`, "alt/a.txt": "Titel\n\nText\n" });
    await expect(readCorpus(dir)).rejects.toThrow(`alt/collection.json: ${message}`);
  });
});

describe("the HTML prescan for a charset declaration", () => {
  it.each([
    ['<meta charset="utf-8">', "utf-8"],
    ["<META CHARSET=ISO-8859-15>", "iso-8859-15"],
    ["<meta charset = ' latin1 ' />", "windows-1252"],
    [`<meta http-equiv="Content-Type" content="text/html;charset='koi8-r'">`, "koi8-r"],
    ['<meta content="text/html; charset = windows-1250" http-equiv=content-type>', "windows-1250"],
    ['<meta name="x" content="text/html; charset=iso-8859-1">', null],
    ['<!-- <meta charset="iso-8859-1"> --><meta charset="utf-8">', "utf-8"],
    ['<!--><meta charset="iso-8859-2">', "iso-8859-2"],
    ['<metadata charset="iso-8859-1"><meta/charset="utf-8">', "utf-8"],
    ['<div title="<meta charset=iso-8859-1>"><meta charset="koi8-r">', "koi8-r"],
    ['<meta charset="iso-8859-1" charset="utf-8">', "windows-1252"],
    ['<meta charset="utf-16le">', "utf-8"],
    ['<meta charset="x-user-defined">', "windows-1252"],
    ['<meta charset="nonsense"><meta charset="iso-8859-15">', "iso-8859-15"],
    ['<meta charset="">', null],
    ["<p>no declaration</p>", null],
  ])("finds in %j the encoding %j", (html, encoding) => {
    expect(prescanCharset(Buffer.from(html))?.encoding ?? null).toBe(encoding);
  });

  it("reads only the first 1024 bytes unless told otherwise", () => {
    const late = Buffer.from(`<!-- ${"x".repeat(1024)} -->\n<meta charset="iso-8859-1">`);
    expect(prescanCharset(late)).toBeNull();
    expect(prescanCharset(late, late.length)).toEqual({ label: "iso-8859-1", encoding: "windows-1252", line: 2 });
  });

  it("gives an unknown label as written, with no encoding, and the line of its <meta>", () => {
    expect(prescanCharset(Buffer.from('<html>\n<head>\n<meta charset="Latin-9X">'))).toEqual({
      label: "Latin-9X",
      encoding: null,
      line: 3,
    });
  });
});
