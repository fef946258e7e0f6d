// Phrase matching: the scans never miss what the analysis finds and never confirm what it does not; work per request is bounded.
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, foldGerman } from "../../analyzer/index.js";
import { artifactModule, readArtifact } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { PhraseFilter, PhraseText } from "../../worker/search/phrase.js";
import { type Phrase, parseQuery, phraseOfTokens } from "../../worker/search/query.js";
import { search } from "../../worker/search/search.js";
import { corpusOf } from "./corpus-of.js";

/** The reference: a phrase as parseQuery builds it, and whether a text holds it by full analysis. */
function phraseOf(text: string): Phrase {
  return phraseOfTokens(analyze(text));
}
function analysedHolds(text: string, phrase: Phrase): boolean {
  const words = analyze(text)
    .filter((t) => t.kind !== "joined")
    .map((t) => foldGerman(t.exact));
  for (let i = 0; i + phrase.folded.length <= words.length; i++) {
    if (phrase.folded.every((word, j) => words[i + j] === word)) return true;
  }
  return false;
}

// Words and separators chosen where scans and analysis could part: umlauts and their ae/oe/ue spellings, ß and
// ss, "ue" after a vowel, apostrophes, digits joined by , . +, abbreviations, hyphens, marks, letters beyond German.
// biome-ignore format: a word list reads better as a block
const WORDS = [
  "wählen", "Waehlen", "wahlen", "WÄHLEN", "Sie", "sie", "die", "der", "in", "Tabelle", "Tabellen", "neue", "Neue", "Quelle",
  "Straße", "Strasse", "STRASSE", "Fuß", "Fuss", "Schlußsatz", "geht's", "gibt’s", "Z5", "8", "75", "8,75", "30.10.2024",
  "z", "B", "z. B.", "d. h.", "ca.", "u", "a", "ä", "Goethe-Institut", "E-Mail", "Café", "cafe", "Σοφία", "ΟΔΟΣ", "a\u0301",
  "ei", "Au", "ö", "Oe", "ue", "Übung", "Uebung", "aue", "äe", "Aee", "x",
  "Kraków", "krakow", "Łódź", "lodz", "Ærø", "aero", "İstanbul", "istanbul", "naïve", "naive", "\u212a", "k", "ſ", "ﬁx", "한국", "x²", "ΣΟΦΙΑΣ",
  "zB", "z.B.", "dh", "oä", "o. ä.", "idR", "i. d. R.", "u. U.", "u. a.", "u. v. m.", "ua", "m", "gehtʼs", "gehts", "𐐀𐐇", "𐐨𐐯", "في", "البيت", "ss", "sß",
];
const SEPARATORS = [
  " ",
  "  ",
  ", ",
  ". ",
  "-",
  "+",
  "'",
  "’",
  "„",
  "“",
  " – ",
  "…",
  "\u00ad",
  "\u00a0",
  "\n",
  ".",
  ",",
  "(",
  ")",
  "\u0301",
];

const texts = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 14 })
  // Stored paragraphs are NFC (the builder normalises them), so offsets of the text and its analysis agree.
  .map((parts) =>
    parts
      .map(([word, separator]) => word + separator)
      .join("")
      .normalize("NFC"),
  );

describe("phrase scans", () => {
  it("find a phrase exactly when the analysis does, for phrases taken from the text", () => {
    fc.assert(
      fc.property(texts, fc.nat(), fc.integer({ min: 2, max: 4 }), (text, at, length) => {
        const words = analyze(text).filter((t) => t.kind !== "joined");
        if (words.length < 2) return;
        const start = at % words.length;
        // As the query would read the same words typed apart: an abbreviation as the word it stands for.
        const phrase = phraseOfTokens(words.slice(start, start + length));
        expect(new PhraseText(text).holds(phrase), JSON.stringify({ text, phrase })).toBe(analysedHolds(text, phrase));
      }),
      { numRuns: 3000 },
    );
  });

  it("find a phrase exactly when the analysis does, for phrases typed apart from the text", () => {
    fc.assert(
      fc.property(texts, texts, (text, typed) => {
        const phrase = phraseOf(typed);
        if (phrase.folded.length < 2) return;
        expect(new PhraseText(text).holds(phrase), JSON.stringify({ text, typed })).toBe(analysedHolds(text, phrase));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["Wählen Sie Format", '"waehlen sie"', true],
    ["Wählen Sie Format", '"wahlen sie"', true],
    ["WAEHLEN sie", '"Wählen Sie"', true],
    ["Die Strasse", '"die Straße"', true],
    ["Die neue Quelle", '"neu quelle"', false],
    ["z. B. Astana", '"b astana"', false],
    ["Z5+in der Stadt", '"in der"', false],
    ["8,75 Mrd.", '"8 75"', false],
    ["Wählen Sie.", '"Wählen Sie"', true],
    ["geht's weiter", '"gehts weiter"', true],
    ["Café Astana", '"cafe astana"', true],
    // Found by review: a word typed without the dots its abbreviation has in the text, the apostrophe ʼ, a window
    // that would have started inside an abbreviation, letters beyond the Basic Multilingual Plane.
    ["Man nimmt z. B. einen Hammer mit.", '"zB einen Hammer"', true],
    ["Das gilt i. d. R. montags.", '"idR montags"', true],
    ["Na, gehtʼs gut heute?", '"gehts gut"', true],
    ["Das gilt u. U. u. a. x", '"a x"', false],
    ["Das gilt u. U. v. m. x", '"m x"', true],
    ["𐐀𐐇 der Text", '"𐐨𐐯 der"', true],
  ])("%j holds %s: %s", (text, query, expected) => {
    const [phrase] = parseQuery(query).phrases.length > 0 ? parseQuery(query).phrases : [phraseOf(query.replaceAll('"', ""))];
    expect(new PhraseText(text).holds(phrase as Phrase)).toBe(expected);
    expect(analysedHolds(text, phrase as Phrase)).toBe(expected);
  });
});

describe("phrase work on hostile text", () => {
  it("stays linear on a paragraph whose letters a scan could take for separators (this took hours before)", () => {
    // Arabic letters are neither ASCII nor folded to it: a scan that let its separators match them tried every
    // way to split the paragraph between the phrase's words (11.7 s at 224 characters, ten times more per 31).
    const words = ["في", "البيت", "و", "المدرسة"];
    const text = `Krieg und Frieden. ${Array.from({ length: 60 }, (_, i) => `${words[i % 4]} في`).join(" ")} Ende`;
    const corpus = corpusOf([{ name: "a", title: "A", paragraphs: [text] }]);
    const arabic = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
    const q = `"${Array(11).fill("في").join(" ")} krieg"`;
    expect(search(arabic, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true }).total).toBe(0);
    expect(new PhraseText(text).holds(parseQuery(q).phrases[0] as Phrase)).toBe(false);
  });
});

describe("phrase work per request", () => {
  const index = loadIndex(readArtifact(join(new URL("../../", import.meta.url).pathname, "build")));

  it("analyses each paragraph and title at most once, however many phrases and passes ask", () => {
    const phrases = parseQuery('"Deutschland und" "und Kasachstan" "die Republik" "in Zentralasien" "der Handel"').phrases;
    expect(phrases).toHaveLength(5);
    const filter = new PhraseFilter(index, phrases);
    const everything = Array.from({ length: index.engine.paragraphs }, (_, id) => id);
    const first = everything.map((id) => filter.accepts(id));
    const again = everything.map((id) => filter.accepts(id));
    expect(again).toEqual(first);
    expect(filter.analysed).toBeLessThanOrEqual(index.engine.paragraphs + index.store.documents.length);
    // Texts in plain German are scanned, not analysed, unless a scan finds a place it cannot confirm alone.
    expect(filter.analysed).toBeLessThan(index.engine.paragraphs / 4);
  });

  it.each(['"Deutschland und Kasachstan"', '"im Jahr"', '"wurde die"', '"der Stadt"', '"Super Bowl"', '"zum Beispiel"'])(
    "answers %s with exactly the paragraphs whose text or title hold it, by full analysis",
    (q) => {
      const phrase = parseQuery(q).phrases[0] as Phrase;
      const expected = new Set<string>();
      for (const doc of index.store.documents) {
        for (let n = 0; n < doc.count; n++) {
          if (analysedHolds(index.paragraphText(doc.first + n), phrase) || analysedHolds(doc.title, phrase)) expected.add(`${doc.id}#${n}`);
        }
      }
      const response = search(index, { q, limit: 50, offset: 0, sort: "relevance", fuzzy: 0, prefix: false });
      expect(response.total).toBe(expected.size);
      for (const hit of response.hits) expect(expected.has(hit.id), hit.id).toBe(true);
    },
  );
});
