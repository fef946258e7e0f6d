// Typo distance and expansions of a query word into index terms, on a compact index.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completionsOf, typoDistance, typoVariantsOf } from "../../worker/search/expand.js";
import { compactFrom } from "./compact.js";

describe("typoDistance (optimal string alignment)", () => {
  it.each([
    ["verteidigung", "verteidigung", 0],
    ["verteidigung", "verteiigung", 1],
    ["verteidigung", "verteidigugn", 1],
    ["verteidigung", "vertiedigung", 1],
    ["kasachstan", "kasachstn", 1],
    ["kasachstan", "kasahcstn", 2],
    ["haus", "maus", 1],
    ["", "abc", 3],
  ])("%s → %s is %i", (a, b, distance) => {
    expect(typoDistance(a, b)).toBe(distance);
    expect(typoDistance(b, a)).toBe(distance);
  });
});

describe("expansions", () => {
  const { engine: index } = compactFrom([
    {
      title: "",
      paragraphs: ["kasachstan kasachische", "kasachstan kasachisch", "kasachstan maus", "kasachensteppe haus", "kasachensteppe"],
    },
  ]);

  it("ranks completions by how many paragraphs use them, and never returns the word itself", () => {
    const completions = completionsOf(index, "kasach", 1);
    expect(completions.map((c) => c.term)).toEqual(["kasachstan", "kasachensteppe", "kasachisch", "kasachische"]);
    expect(completions[0]?.weight).toBeGreaterThan(completions[1]?.weight ?? 1);
    expect(completionsOf(index, "kasach", 1, 2)).toHaveLength(2);
  });

  it("finds typo variants within the allowed edits, trusting the first letter", () => {
    expect(typoVariantsOf(index, "kasachstn", 1, 1).map((v) => v.term)).toEqual(["kasachstan"]);
    expect(typoVariantsOf(index, "kasahcstan", 1, 1).map((v) => v.term)).toEqual(["kasachstan"]);
    // "haus" → "maus" changes the first letter: allowed only with one edit to spare.
    expect(typoVariantsOf(index, "haus", 1, 1).map((v) => v.term)).toEqual([]);
    expect(typoVariantsOf(index, "haus", 2, 1).map((v) => v.term)).toContain("maus");
    expect(typoVariantsOf(index, "kasachstn", 0, 1)).toEqual([]);
  });
});

describe("typo variants over the sorted term list", () => {
  // Short words over a small alphabet, so that many are within one or two edits of each other.
  const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d", "ä"), minLength: 1, maxLength: 7 });

  it("finds exactly the terms a brute-force scan finds, whatever the terms", () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 60 }), word, fc.integer({ min: 1, max: 2 }), (terms, query, edits) => {
        const { engine } = compactFrom([{ title: "", paragraphs: terms }]);
        const found = typoVariantsOf(engine, query, edits, 1, Number.POSITIVE_INFINITY).map((v) => v.term);
        const expected = terms.filter((t) => t !== query && typoDistance(query, t) <= (t[0] === query[0] ? edits : edits - 1));
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});
