// The limits SECURITY.md lists, each on the shipped corpus at its worst: expansions, compound heads, exclusions.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readArtifact } from "../../index-builder/artifact-files.js";
import { completionsOf, EXPANSION_LIMITS, typoVariantsOf } from "../../worker/search/expand.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { MAX_EXCLUDED_WORDS, MAX_QUERY_WORDS, parseQuery } from "../../worker/search/query.js";
import { RANKING, suffixStems } from "../../worker/search/search.js";

const index = loadIndex(readArtifact(join(new URL("../../", import.meta.url).pathname, "build")));

describe("limits on one request's work", () => {
  it("completes the last word to at most 24 terms, even from one letter", () => {
    expect(EXPANSION_LIMITS.completions).toBe(24);
    for (const prefix of ["a", "d", "s", "k"]) expect(completionsOf(index.engine, prefix, 1)).toHaveLength(24);
  });

  it("tries at most 12 typo variants of a word, even with two edits of a short common word", () => {
    expect(EXPANSION_LIMITS.typoVariants).toBe(12);
    for (const word of ["anden", "sein", "dern", "haten"]) expect(typoVariantsOf(index.engine, word, 2, 1).length).toBeLessThanOrEqual(12);
  });

  it("adds at most 12 longer words a word ends", () => {
    expect(RANKING.maxSuffixes).toBe(12);
    for (const stem of ["ung", "schaft", "land", "stadt"]) expect(suffixStems(index, stem).length).toBeLessThanOrEqual(12);
  });

  it("searches 12 words and excludes 12 at most, however many are typed", () => {
    const many = Array.from({ length: 40 }, (_, i) => `wort${i}`);
    const parsed = parseQuery(`${many.join(" ")} ${many.map((w) => `-aus${w}`).join(" ")}`);
    expect(parsed.words).toHaveLength(MAX_QUERY_WORDS);
    expect(parsed.excluded).toHaveLength(MAX_EXCLUDED_WORDS);
    expect(MAX_QUERY_WORDS).toBe(12);
    expect(MAX_EXCLUDED_WORDS).toBe(12);
  });
});
