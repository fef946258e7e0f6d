// Compound splitting: parts with linking elements, a dropped final e, and no junk fragments.
import { describe, expect, it } from "vitest";
import { splitCompound } from "../../analyzer/compound.js";

const WORDS = new Set([
  "handel",
  "volumen",
  "hochschule",
  "zusammenarbeit",
  "energie",
  "effizienz",
  "bund",
  "kanzler",
  "sport",
  "halle",
  "entwicklung",
  "regierung",
  "führung",
  "kind",
  "garten",
  "studie",
  "enden",
  "sonne",
  "schein",
  "amt",
  "haus",
  "tür",
]);
const isWord = (word: string) => WORDS.has(word);
const split = (word: string) => splitCompound(word, isWord)?.map((p) => [word.slice(p.start, p.end), p.word]) ?? null;

describe("splitCompound", () => {
  it.each([
    [
      "handelsvolumen",
      [
        ["handels", "handel"],
        ["volumen", "volumen"],
      ],
    ],
    [
      "hochschulzusammenarbeit",
      [
        ["hochschul", "hochschule"],
        ["zusammenarbeit", "zusammenarbeit"],
      ],
    ],
    [
      "energieeffizienz",
      [
        ["energie", "energie"],
        ["effizienz", "effizienz"],
      ],
    ],
    [
      "bundeskanzler",
      [
        ["bundes", "bund"],
        ["kanzler", "kanzler"],
      ],
    ],
    [
      "sporthalle",
      [
        ["sport", "sport"],
        ["halle", "halle"],
      ],
    ],
    [
      "entwicklungszusammenarbeit",
      [
        ["entwicklungs", "entwicklung"],
        ["zusammenarbeit", "zusammenarbeit"],
      ],
    ],
    [
      "regierungsführung",
      [
        ["regierungs", "regierung"],
        ["führung", "führung"],
      ],
    ],
    [
      "kindergarten",
      [
        ["kinder", "kind"],
        ["garten", "garten"],
      ],
    ],
    [
      "sonnenschein",
      [
        ["sonnen", "sonne"],
        ["schein", "schein"],
      ],
    ],
    [
      "haustürhalle",
      [
        ["haus", "haus"],
        ["tür", "tür"],
        ["halle", "halle"],
      ],
    ],
  ])("splits %s", (word, parts) => {
    expect(split(word)).toEqual(parts);
  });

  it.each([
    ["studierenden", "a dropped e takes no linking element as well"],
    ["sporthallee", "every part must be a word (no leftover 'e')"],
    ["volumen", "a single word is no compound"],
    ["amtshaus", "too short to split (7+ letters needed, and this has 8 but 'amts' + 'haus' is fine)"],
  ])("leaves %s alone when %s", (word) => {
    if (word === "amtshaus")
      expect(split(word)).toEqual([
        ["amts", "amt"],
        ["haus", "haus"],
      ]);
    else expect(split(word)).toBeNull();
  });

  it("gives no part shorter than three letters and no head shorter than four", () => {
    expect(splitCompound("hausamt", isWord)).toBeNull();
  });
});
