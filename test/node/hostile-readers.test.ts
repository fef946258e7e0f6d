// Hostile documents at build time: nesting past any page a person writes, and giant paragraphs. Each gives a warning
// or a notice naming the file and line, never a stack overflow, a build that runs for minutes, or a block so long
// that every search hitting it is slow.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readCorpus } from "../../index-builder/corpus.js";
import { MAX_HTML_DEPTH, readHtml } from "../../index-builder/readers/html.js";
import { MAX_MARKDOWN_DEPTH, readMd } from "../../index-builder/readers/md.js";
import { DEFAULT_MAX_BLOCK_LENGTH, splitLongBlocks } from "../../index-builder/source.js";

const scratch = mkdtempSync(join(tmpdir(), "fundstelle-hostile-readers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const html = { path: "a/tief.html", id: "a/tief", collection: "a" };
const md = { path: "a/tief.md", id: "a/tief", collection: "a" };

describe("deep nesting", () => {
  it.each([
    ["5,000 nested unclosed <font>", `<title>Alt</title>\n<body><p>Text</p>\n${"<font size=2>".repeat(5000)}Ende</body>`, 3],
    ["100,000 nested <div>", `<title>Tief</title>\n<main>${"<div>".repeat(100_000)}x${"</div>".repeat(100_000)}</main>`, 2],
    ["20,000 nested tables", `<title>T</title>\n\n<main>${"<table><tr><td>".repeat(20_000)}x</main>`, 3],
  ])("skips an HTML page with %s with a warning naming the line", (_name, page, line) => {
    expect(readHtml(html, page)).toEqual({
      documents: [],
      warnings: [{ file: "a/tief.html", line, problem: `nests its elements more than ${MAX_HTML_DEPTH} deep (unclosed tags?); skipped` }],
    });
  });

  it("reads a page nested as deep as the limit allows", () => {
    const depth = MAX_HTML_DEPTH - 10;
    const result = readHtml(html, `<title>Tief</title><main>${"<div>".repeat(depth)}<p>Unten</p>${"</div>".repeat(depth)}</main>`);
    expect(result.documents[0]?.paragraphs).toEqual(["Unten"]);
  });

  it.each([
    ["100,000 nested quotes", `# Titel\n\n${">".repeat(100_000)} Zitat\n`, 3],
    ["1,000 nested list levels", `# Titel\n\n${Array.from({ length: 1000 }, (_, i) => `${"  ".repeat(i)}- Punkt ${i}`).join("\n")}\n`, 104],
  ])("skips a Markdown page with %s with a warning naming the line", (_name, page, line) => {
    const result = readMd(md, page);
    expect(result.documents).toEqual([]);
    expect(result.warnings).toEqual([
      { file: "a/tief.md", line, problem: expect.stringContaining(`deeper than ${MAX_MARKDOWN_DEPTH} levels`) },
    ]);
  });

  it("reads every generated document of any depth and width to an answer: a document or a warning, never a throw", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom("div", "font", "ul", "blockquote"),
        (depth, width, tag) => {
          const inner = Array.from({ length: width }, (_, i) => `<p>Absatz ${i}</p>`).join("");
          const page = `<title>T</title><main>${`<${tag}>`.repeat(depth)}${inner}</main>`;
          const result = readHtml(html, page);
          expect(result.documents.length + result.warnings.length).toBe(1);
          const quotes = readMd(md, `# T\n\n${"> ".repeat(depth % 400)}Zitat\n\n${"- a\n".repeat(width)}`);
          expect(quotes.documents.length + quotes.warnings.length).toBe(1);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("giant paragraphs", () => {
  const sentence = "Die Stadt Musterhausen erhebt eine Hundesteuer für jeden Hund im Stadtgebiet. ";

  it("splits a 7 MB paragraph of a JSON line into blocks of at most 10,000 characters at sentence ends, with a notice", async () => {
    const dir = join(scratch, "giant");
    mkdirSync(join(dir, "daten"), { recursive: true });
    const giant = sentence.repeat(90_000).trim();
    writeFileSync(
      join(dir, "daten/gross.jsonl"),
      `${JSON.stringify({ id: "riesig", title: "Riesig", paragraphs: ["Kurz.", giant, "Ende."] })}\n`,
    );
    const corpus = await readCorpus(dir);
    const [doc] = corpus.documents;
    expect(doc?.paragraphs.every((p) => p.length <= DEFAULT_MAX_BLOCK_LENGTH)).toBe(true);
    expect(doc?.paragraphs[0]).toBe("Kurz.");
    expect(doc?.paragraphs.at(-1)).toBe("Ende.");
    expect(doc?.paragraphs.slice(1, -1).join(" ")).toBe(giant);
    expect(doc?.paragraphs.slice(1, -1).every((p) => p.endsWith("Stadtgebiet."))).toBe(true);
    expect(corpus.notices).toEqual([
      {
        file: "daten/gross.jsonl",
        line: 1,
        kind: "split",
        reason: `paragraph 1 (${giant.length.toLocaleString("en")} characters) split into ${(doc?.paragraphs.length ?? 0) - 2} blocks of at most 10,000`,
      },
    ]);
  });

  it("moves the sections with their blocks, and cuts text without sentence ends at spaces, or anywhere", () => {
    const doc = {
      paragraphs: ["a", "wort ".repeat(30).trim(), "b", "x".repeat(45)],
      blockKinds: ["text" as const, "list" as const, "text" as const, "code" as const],
      sections: [
        { heading: "", level: 0, anchor: null, first: 0 },
        { heading: "Zwei", level: 2, anchor: "zwei", first: 2 },
        { heading: "Drei", level: 2, anchor: "drei", first: 3 },
      ],
    };
    splitLongBlocks(doc, 20);
    expect(doc.paragraphs.every((p) => p.length <= 20)).toBe(true);
    expect(doc.paragraphs.slice(1, 9).join(" ")).toBe("wort ".repeat(30).trim());
    expect(doc.sections.map((s) => doc.paragraphs[s.first])).toEqual(["a", "b", "x".repeat(20)]);
    expect(doc.blockKinds).toEqual(["text", ...Array(8).fill("list"), "text", "code", "code", "code"]);
  });
});

describe("metadata with too many distinct values", () => {
  it("keeps the 200 most frequent kinds and indexes the documents of the others without one, with a warning", async () => {
    const dir = join(scratch, "kinds");
    mkdirSync(join(dir, "daten"), { recursive: true });
    const lines = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify({ id: `d${i}`, title: `T ${i}`, paragraphs: ["Text"], kind: i < 400 ? `Art ${i % 10}` : `Id-${i}` }),
    );
    writeFileSync(join(dir, "daten/viele.jsonl"), `${lines.join("\n")}\n`);
    const corpus = await readCorpus(dir);
    const kinds = new Set(corpus.documents.map((d) => d.kind).filter((k) => k !== null));
    expect(kinds.size).toBe(200);
    for (let i = 0; i < 10; i++) expect(kinds.has(`Art ${i}`)).toBe(true);
    expect(corpus.warnings).toEqual([
      {
        file: "daten/viele.jsonl",
        line: expect.any(Number),
        problem:
          "the corpus has 610 distinct kinds, more than 200: the 410 documents of the rarer ones (this is the first) are indexed without a kind",
      },
    ]);
  });
});
