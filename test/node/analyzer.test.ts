// Analyzer tables: normalisation, umlaut and ß spellings, hyphens, numbers, abbreviations, stop words, golden stems.
import { describe, expect, it } from "vitest";
import { analyze, foldCase, foldGerman, indexTerms, normalizeText } from "../../analyzer/index.js";
import { stemWord } from "../../analyzer/stem.js";

const exact = (text: string) => analyze(text).map((t) => t.exact);
const stems = (text: string) => analyze(text).map((t) => t.stem);

describe("normalisation", () => {
  it.each([
    ["Straße", "strasse"],
    ["STRASSE", "strasse"],
    ["GROẞE", "grosse"],
    ["Universität", "universität"],
    ["geht's", "gehts"],
    ["O’Neill", "oneill"],
  ])("folds the case of %s to %s", (input, expected) => {
    expect(foldCase(input)).toBe(expected);
  });

  it("composes decomposed umlauts (NFC) so both spellings give one token", () => {
    const decomposed = "Universita\u0308t";
    expect(normalizeText(decomposed)).toBe("Universität");
    expect(exact(decomposed)).toEqual(["universität"]);
  });

  it.each([
    ["universität", "universitat"],
    ["universitaet", "universitat"],
    ["universitat", "universitat"],
    ["österreich", "osterreich"],
    ["oesterreich", "osterreich"],
    ["müller", "muller"],
    ["mueller", "muller"],
    ["neue", "neue"],
    ["quelle", "quelle"],
    ["café", "cafe"],
  ])("folds the German spelling %s to %s", (input, expected) => {
    expect(foldGerman(input)).toBe(expected);
  });

  it.each([
    ["Universität", "Universitaet", "Universitat"],
    ["Größe", "Groesse", "Grosse"],
    ["Straße", "Strasse", "STRASSE"],
    ["Übersetzung", "Uebersetzung", "Ubersetzung"],
  ])("gives %s, %s and %s the same stem", (a, b, c) => {
    expect(new Set([...stems(a), ...stems(b), ...stems(c)]).size).toBe(1);
  });

  it("keeps the exact spelling apart from the folded one, so exact matches can rank first", () => {
    expect(exact("Universität Universitaet")).toEqual(["universität", "universitaet"]);
  });
});

describe("tokens and offsets", () => {
  it("gives offsets into the analysed text", () => {
    const text = "Deutschland und Kasachstan pflegen Beziehungen.";
    for (const token of analyze(text)) expect(text.slice(token.start, token.end)).toBe(token.text);
    expect(analyze(text).map((t) => [t.start, t.end])).toEqual([
      [0, 11],
      [12, 15],
      [16, 26],
      [27, 34],
      [35, 46],
    ]);
  });

  it("takes a word as its segments even where case-insensitive matching would take more (U+0345 folds to a letter)", () => {
    // The token pattern matches case-insensitively (for abbreviations), under which U+0345 counts as a letter;
    // a word's segments are matched without, so the mark starts no word and joins none after an apostrophe.
    expect(analyze(" \u0345abc").map((t) => [t.text, t.start])).toEqual([["abc", 2]]);
    expect(analyze("geht'\u0345s").map((t) => [t.text, t.kind])).toEqual([
      ["geht", "word"],
      ["s", "word"],
      ["geht'\u0345s", "joined"],
    ]);
    expect(analyze("Haus\u0345").map((t) => t.text)).toEqual(["Haus\u0345"]);
  });

  it("splits hyphenated compounds into parts and keeps the joined form", () => {
    const tokens = analyze("das Goethe-Institut");
    expect(tokens.map((t) => [t.kind, t.exact, t.start, t.end])).toEqual([
      ["word", "das", 0, 3],
      ["word", "goethe", 4, 10],
      ["word", "institut", 11, 19],
      ["joined", "goetheinstitut", 4, 19],
    ]);
    expect(tokens[3]?.position).toBe(tokens[1]?.position);
    expect(new Set(tokens.slice(1).map((t) => t.group)).size).toBe(1);
  });

  it("keeps Z5+1 together and joins it with the rest of its compound", () => {
    expect(exact("(Z5+1-Gipfel)")).toEqual(["z5+1", "gipfel", "z5+1gipfel"]);
  });

  it("treats a truncated compound as a word and a dash as a separator", () => {
    expect(exact("Kultur- und Bildungspolitik – Berlin")).toEqual(["kultur", "und", "bildungspolitik", "berlin"]);
  });

  it.each([
    ["8,75", "8,75", "8.75"],
    ["226.000", "226.000", "226000"],
    ["2024", "2024", "2024"],
    ["30.10.2024", "30.10.2024", "30.10.2024"],
  ])("keeps the number %s whole (exact %s, stem %s)", (input, exactForm, stem) => {
    const [token] = analyze(input);
    expect(analyze(input)).toHaveLength(1);
    expect(token).toMatchObject({ kind: "number", exact: exactForm, stem });
  });

  it("does not take a sentence-final dot into a number", () => {
    expect(analyze("im Jahr 2023. Danach").map((t) => t.text)).toEqual(["im", "Jahr", "2023", "Danach"]);
  });

  it.each([
    ["z. B. hier", "zb", "z. B."],
    ["z.B. hier", "zb", "z.B."],
    ["ca. 800.000", "ca", "ca."],
    ["5,52 Mrd. Euro", "mrd", "Mrd."],
    ["d. h. so", "dh", "d. h."],
  ])("reads the abbreviation in %s as %s", (input, term, surface) => {
    const token = analyze(input).find((t) => t.kind === "abbreviation");
    expect(token).toMatchObject({ exact: term, text: surface });
  });

  it("does not mistake the end of a word for an abbreviation", () => {
    expect(analyze("Mica.").map((t) => t.kind)).toEqual(["word"]);
  });

  it("finds no tokens in punctuation, emoji or whitespace", () => {
    expect(analyze(" … – „“ 🙂 \t\n")).toEqual([]);
  });
});

describe("stop words and index terms", () => {
  it("flags German stop words (Snowball list, ß folded) but keeps them as tokens", () => {
    const tokens = analyze("Der Vertrag und die Verhandlungen, daß es");
    expect(tokens.filter((t) => t.stop).map((t) => t.exact)).toEqual(["der", "und", "die", "dass", "es"]);
  });

  it("flags meaningless abbreviations as stop words", () => {
    expect(analyze("z. B. ca. usw.").every((t) => t.stop)).toBe(true);
  });

  it("indexes the exact form and the stem of every non-stop word", () => {
    expect(indexTerms("Die Beziehungen zu Kasachstan")).toEqual(["beziehungen", "bezieh", "kasachstan"]);
  });

  it("lets an inflected form in a document and another in a query share a term (parity)", () => {
    const documentTerms = new Set(indexTerms("Kasachstan ist Deutschlands wichtigster Wirtschaftspartner"));
    const queryTerms = indexTerms("wichtige Wirtschaftspartnern Deutschland");
    for (const term of ["wichtig", "wirtschaftspartn", "deutschland"]) expect(queryTerms).toContain(term);
    expect(queryTerms.filter((term) => documentTerms.has(term))).toEqual(["wichtig", "wirtschaftspartn", "deutschland"]);
  });
});

describe("German Snowball stemmer (golden list)", () => {
  // Word → stem pairs from the Snowball German algorithm, applied to umlaut-folded words.
  const golden: [string, string][] = [
    ["aufeinanderfolgenden", "aufeinanderfolg"],
    ["beziehungen", "bezieh"],
    ["beziehung", "bezieh"],
    ["häuser", "haus"],
    ["hauses", "haus"],
    ["kasachischen", "kasach"],
    ["kasachische", "kasach"],
    ["studierenden", "studier"],
    ["lehrkräfte", "lehrkraft"],
    ["zusammenarbeit", "zusammenarbeit"],
    ["unternehmen", "unternehm"],
    ["unternehmens", "unternehm"],
    ["wirtschaftlichen", "wirtschaft"],
    ["deutschlands", "deutschland"],
    ["schulen", "schul"],
    ["schule", "schul"],
    ["politischen", "polit"],
    ["katastrophenprävention", "katastrophenpravention"],
    ["strasse", "strass"],
    ["universitäten", "universitat"],
    ["europäischen", "europa"],
    ["gefährlich", "gefahr"],
  ];
  it.each(golden)("stems %s to %s", (word, stem) => {
    expect(stemWord(word)).toBe(stem);
  });
});
