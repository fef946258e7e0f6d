// The query language: words, phrases, exclusions, stray characters as text.
import { describe, expect, it } from "vitest";
import { MAX_QUERY_WORDS, parseQuery } from "../../worker/search/query.js";

const words = (q: string) => parseQuery(q).words.map((w) => w.exact);

describe("parseQuery", () => {
  it("keeps words that are not stop words, with exact form and stem", () => {
    expect(parseQuery("die Beziehungen zu Kasachstan").words.map((w) => [w.text, w.exact, w.stem])).toEqual([
      ["Beziehungen", "beziehungen", "bezieh"],
      ["Kasachstan", "kasachstan", "kasachstan"],
    ]);
  });

  it("marks question words as weak beside other words, and not when they are all there is", () => {
    expect(parseQuery("Wann lautet der Name Astanas?").words.map((w) => [w.exact, w.weak])).toEqual([
      ["wann", true],
      ["lautet", true],
      ["name", false],
      ["astanas", false],
    ]);
    expect(parseQuery("wann lautet").words.map((w) => w.weak)).toEqual([false, false]);
    expect(parseQuery('"wie lautet" Name').words.map((w) => w.weak)).toEqual([false, false]);
    // Only the searched words count: a word beyond the limit does not make the others weak.
    const many = parseQuery(`${Array(MAX_QUERY_WORDS).fill("wann").join(" ")} Astana`);
    expect(many.ignored).toEqual(["Astana"]);
    expect(many.words.every((w) => !w.weak)).toBe(true);
  });

  it("reads a quoted phrase with its stop words in order", () => {
    const parsed = parseQuery('"Deutschland und Kasachstan" Handel');
    expect(parsed.phrases).toEqual([{ folded: ["deutschland", "und", "kasachstan"], plain: true }]);
    expect(parsed.words.map((w) => [w.exact, w.inPhrase])).toEqual([
      ["deutschland", true],
      ["kasachstan", true],
      ["handel", false],
    ]);
  });

  it("bounds phrases like words: each once, none of stop words only, none reaching past the searched words", () => {
    // On main, this query held 27 phrases, each checked against every paragraph that "d" completes to.
    const attack = parseQuery(`${'"in der" '.repeat(27)}d`);
    expect(attack.phrases).toEqual([]);
    expect(attack.words.map((w) => w.exact)).toEqual(["d"]);
    expect(parseQuery('"Klicken Sie" "klicken sie" "Klicken  Sie!"').phrases).toEqual([{ folded: ["klicken", "sie"], plain: true }]);
    // A word repeated across phrases is searched once; each phrase still checks it in the text.
    const repeated = parseQuery('"wählen sie" "wählen die" "wählen das"');
    expect(repeated.words.map((w) => w.exact)).toEqual(["wählen"]);
    expect(repeated.phrases).toHaveLength(3);
    const long = parseQuery(`${"Wort ".repeat(11)}"Deutschland und Kasachstan"`);
    expect(long.phrases).toEqual([]);
    expect(long.ignored).toEqual(["Kasachstan"]);
    expect(parseQuery('"z. B. Astana"').phrases).toEqual([{ folded: ["zb", "astana"], plain: false }]);
  });

  it("reads -word as an exclusion only at the start of a word", () => {
    const parsed = parseQuery("Kasachstan -Almaty Goethe-Institut");
    expect(parsed.excluded.map((w) => w.exact)).toEqual(["almaty"]);
    expect(parsed.words.map((w) => [w.exact, w.parts.map((p) => p.exact)])).toEqual([
      ["kasachstan", []],
      ["goetheinstitut", ["goethe", "institut"]],
    ]);
  });

  it.each([
    ['"Kasachstan', ["kasachstan"]],
    ['Kasachstan"', ["kasachstan"]],
    ["Kasachstan -", ["kasachstan"]],
    ["- -- ---", []],
    ['"', []],
    ['""', []],
    ["((Almaty))!?", ["almaty"]],
    ["C++ & <b>", ["c", "b"]],
  ])("treats stray characters in %j as text", (q, expected) => {
    expect(words(q)).toEqual(expected);
  });

  it(`searches at most ${MAX_QUERY_WORDS} words and reports the rest`, () => {
    const parsed = parseQuery(Array.from({ length: 15 }, (_, i) => `wort${i}`).join(" "));
    expect(parsed.words).toHaveLength(MAX_QUERY_WORDS);
    expect(parsed.ignored).toEqual(["wort12", "wort13", "wort14"]);
  });

  it("knows whether the query ends inside a word", () => {
    expect(parseQuery("Kasach").endsInWord).toBe(true);
    expect(parseQuery("Kasach ").endsInWord).toBe(false);
    expect(parseQuery('"Kasach"').endsInWord).toBe(false);
  });
});
