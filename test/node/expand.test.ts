// Typo distance and expansions of a query word into index terms, on a real MiniSearch term index.
import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { completionsOf, termIndexOf, typoDistance, typoVariantsOf } from "../../worker/search/expand.js";

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
  const ms = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  ms.addAll([
    { id: 1, text: "kasachstan kasachische" },
    { id: 2, text: "kasachstan kasachisch" },
    { id: 3, text: "kasachstan maus" },
    { id: 4, text: "kasachensteppe haus" },
  ]);
  const index = termIndexOf(ms);

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
