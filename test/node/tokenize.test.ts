// The tokenizer finds abbreviations only where a short word meets a dot; it must cut every text exactly as the first
// version did, which tried the abbreviations at every word (test/node/reference/tokenize-v4.ts): the index stores
// what the builder's tokenizer made, and the worker highlights and matches phrases with its own.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ABBREVIATIONS, tokenize } from "../../analyzer/tokenize.js";
import { tokenize as reference } from "./reference/tokenize-v4.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Every file's text under a folder. */
function textsUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => /\.(txt|md|html|jsonl)$/.test(file))
    .map((file) => readFileSync(join(dir, file), "utf8"));
}

// Pieces that meet at the edges the patterns care about: abbreviations (and their parts, cases and spacing),
// dots, digits with separators, hyphens, apostrophes, combining marks, U+0345, letters of other scripts.
const PIECES = [
  ...ABBREVIATIONS,
  ...ABBREVIATIONS.map((a) => a.toUpperCase()),
  ...ABBREVIATIONS.map((a) => a.replace(/\s/g, "")),
  "z",
  "Z",
  "B",
  "d",
  "h",
  "u",
  "ä",
  "Ä",
  "Prof",
  "Nr",
  "ca",
  "Mrd",
  ".",
  ". ",
  ",",
  " ",
  "\n",
  "-",
  "\u2010",
  "\u2011",
  "–",
  "'",
  "’",
  "+",
  "5",
  "8,75",
  "30.10.2024",
  "\u0301",
  "\u0345",
  "ß",
  "Straße",
  "Goethe",
  "Institut",
  "geht's",
  "Ω",
  "я",
  "中",
  "x",
  "1.",
  "(",
  ")",
];
const texts = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((pieces) => pieces.join(""));

describe("the tokenizer", () => {
  it("cuts the shipped corpus and the test corpora exactly as the first version did", () => {
    const all = [...textsUnder(join(ROOT, "corpus")), ...textsUnder(join(ROOT, "test/fixtures"))];
    expect(all.length).toBeGreaterThan(50);
    for (const text of all) expect(tokenize(text)).toEqual(reference(text));
  });

  it("cuts any mix of abbreviations, dots, digits, hyphens and marks exactly as the first version did (property)", () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(tokenize(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("still finds abbreviations written with and without spaces, in any case, and not inside words", () => {
    const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.text}`);
    expect(kinds("z. B. und z.B. und Z. B.")).toEqual([
      "abbreviation:z. B.",
      "word:und",
      "abbreviation:z.B.",
      "word:und",
      "abbreviation:Z. B.",
    ]);
    expect(kinds("Prof. Dr. Nr. 5, ca. 8,75 Mrd. usw.")).toEqual([
      "abbreviation:Prof.",
      "abbreviation:Dr.",
      "abbreviation:Nr.",
      "number:5",
      "abbreviation:ca.",
      "number:8,75",
      "abbreviation:Mrd.",
      "abbreviation:usw.",
    ]);
    expect(kinds("Abz. B. xca. Art.5")).toEqual(["word:Abz", "word:B", "word:xca", "word:Art", "number:5"]);
  });
});
