// Suggestions name distinct words: several forms of one word are one suggestion (issue #16: "handele",
// "Handeln", "handelt" stacked above the results).
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { suggest, wordKey } from "../../worker/search/suggest.js";
import { corpusOf } from "./corpus-of.js";

describe("wordKey", () => {
  it.each([
    [["handel", "handele", "handeln", "handelt", "handelns"], "handel"],
    [["wichtig", "wichtige", "wichtigen", "wichtigsten"], "wichtig"],
    [["beziehung", "beziehungen"], "beziehung"],
  ])("puts the forms %j together", (forms, key) => {
    for (const form of forms) expect(wordKey(form)).toBe(key);
  });

  it.each([
    ["beziehung", "bezieht"],
    ["stadt", "stadium"],
    ["hand", "handel"],
    ["handel", "handelsrat"],
  ])("keeps %s and %s apart", (a, b) => {
    expect(wordKey(a)).not.toBe(wordKey(b));
  });
});

/** The index of one document "test/a" with these paragraphs. */
const indexOf = (paragraphs: string[]) => loadIndex(artifactModule(buildArtifact(corpusOf([{ name: "a", paragraphs }]), null, "test")));

describe("suggestions", () => {
  const index = indexOf([
    "Wir handeln mit Tee. Er handelt mit Tee. Ich handele mit Tee. Der Handel mit Tee wächst, des Handelns wegen.",
    "Die Handelsbeziehungen und der Handelsrat, dazu die Hand und das Handwerk.",
  ]);

  it("give each word once, in its most frequent form, and fill up with other words", () => {
    const texts = suggest(index, "hand", 10).suggestions.map((s) => s.text);
    const keys = texts.map((text) => wordKey(text.toLowerCase()));
    expect(new Set(keys).size).toBe(keys.length);
    expect(texts.filter((text) => wordKey(text.toLowerCase()) === "handel")).toHaveLength(1);
    expect(texts).toEqual(expect.arrayContaining(["Handelsbeziehungen", "Handelsrat", "Hand", "Handwerk"]));
  });
});

describe("suggestions for a word typed without umlauts or ß", () => {
  const index = indexOf([
    "Das Bürgerbüro in der Hauptstraße hat montags geöffnet. Die Bürgerbüros beraten.",
    "Die Burg steht am Fluss; der Bürger zahlt Gebühren. Die Quelle ist neu.",
  ]);
  const texts = (q: string) => suggest(index, q, 10).suggestions.map((s) => s.text);

  it("completes 'buergerb' to Bürgerbüro, as search understands 'buergerbuero', marking what was typed", () => {
    const [first] = suggest(index, "buergerb", 5).suggestions;
    expect(first).toEqual({ text: "Bürgerbüro", html: "<mark>Bürgerb</mark>üro", query: "Bürgerbüro" });
    expect(texts("hauptstrass")).toEqual(["Hauptstraße"]);
    expect(texts("geoeff")).toEqual(["geöffnet"]);
  });

  it("keeps words spelled without the umlaut apart: 'buer' is not 'Burg', 'bur' is not 'Bürger'", () => {
    expect(texts("bur")).toEqual(["Burg"]);
    expect(texts("buer")).toEqual(expect.arrayContaining(["Bürgerbüro", "Bürger"]));
    expect(texts("buer")).not.toContain("Burg");
    expect(texts("quel")).toEqual(["Quelle"]);
  });

  it("offers the umlaut word beside a word that starts with the ASCII spelling itself", () => {
    const both = loadIndex(
      artifactModule(
        buildArtifact(
          corpusOf([{ name: "b", paragraphs: ["Das Muesli aus der Mühle, das Muesli vom Markt und die Mühle am Bach."] }]),
          null,
          "test",
        ),
      ),
    );
    expect(suggest(both, "mue", 5).suggestions.map((s) => s.text)).toEqual(expect.arrayContaining(["Muesli", "Mühle"]));
  });

  it("completes after earlier words, counting them together", () => {
    expect(suggest(index, "montags buergerb", 5).suggestions[0]?.query).toBe("montags Bürgerbüro");
  });
});
