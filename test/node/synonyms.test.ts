// The synonyms file: groups of words, errors with their line.
import { describe, expect, it } from "vitest";
import { CorpusError } from "../../index-builder/errors.js";
import { parseSynonyms } from "../../index-builder/synonyms.js";

describe("parseSynonyms", () => {
  it("maps every single-word entry to the other entries of its groups", () => {
    const synonyms = parseSynonyms("# Kommentar\nStudenten, Studierende\n\nBRD, Bundesrepublik Deutschland, Deutschland # Staat\n");
    expect(Object.fromEntries(synonyms)).toEqual({
      studenten: [["studierende"]],
      studierende: [["studenten"]],
      brd: [["bundesrepublik", "deutschland"], ["deutschland"]],
      deutschland: [["brd"], ["bundesrepublik", "deutschland"]],
    });
  });

  it("takes words that name properties of Object.prototype as words", () => {
    // On main this threw "known.some is not a function": synonyms["constructor"] found Object.prototype's.
    const synonyms = parseSynonyms("constructor, Konstrukteur\nvalueOf, toString, hasOwnProperty\n");
    expect([...synonyms.keys()]).toEqual(["constructor", "konstrukteur", "valueof", "tostring", "hasownproperty"]);
    expect(synonyms.get("constructor")).toEqual([["konstrukteur"]]);
    expect(synonyms.get("valueof")).toEqual([["tostring"], ["hasownproperty"]]);
  });

  it.each([
    ["Lehrer\n", "synonyms.txt:1: a synonym group needs at least two entries separated by commas"],
    ["Lehrer, Lehrkraft\nSchüler,, Schülerin\n", "synonyms.txt:2: a synonym group needs at least two entries"],
    ["Lehrer, der die das\n", 'synonyms.txt:1: "der die das" has no word to search for (only stop words)'],
  ])("rejects %j", (text, message) => {
    expect(() => parseSynonyms(text)).toThrow(CorpusError);
    expect(() => parseSynonyms(text)).toThrow(message);
  });
});
