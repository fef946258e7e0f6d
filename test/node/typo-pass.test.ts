// The typo pass extends the first pass's matches instead of evaluating again: it must rank exactly as a full second pass.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../analyzer/index.js";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { parseQuery } from "../../worker/search/query.js";
import { needsTypoPass, rankPass, type SearchRequest, search } from "../../worker/search/search.js";

const corpus = await readCorpus(fileURLToPath(new URL("../../corpus", import.meta.url)));
const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
const words = [
  ...new Set(
    corpus.documents.flatMap((doc) =>
      doc.paragraphs.flatMap((text) =>
        analyze(text)
          .filter((t) => t.kind === "word" && !t.stop && t.text.length >= 4)
          .map((t) => t.text),
      ),
    ),
  ),
].sort();

/** The search as two full passes, the way a shard runs it. */
function withFullPasses(request: SearchRequest) {
  const parsed = parseQuery(request.q);
  let ranked = rankPass(index, parsed, request, false);
  if (needsTypoPass(parsed, request, ranked.fullCount)) ranked = rankPass(index, parsed, request, true);
  const page = ranked.top.slice(request.offset);
  return { total: ranked.total, hits: page.map((_, i) => ranked.hit(request.offset + i)) };
}

/** A corpus word as typed: maybe cut short, maybe with a letter dropped, doubled or swapped. */
const typed = fc.tuple(fc.constantFrom(...words), fc.nat(), fc.integer({ min: 0, max: 3 })).map(([word, at, kind]) => {
  const i = 1 + (at % Math.max(1, word.length - 2));
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word[i] + word.slice(i);
  if (kind === 2) return word.slice(0, i) + (word[i + 1] ?? "") + (word[i] ?? "") + word.slice(i + 2);
  return word.slice(0, Math.max(3, i + 1));
});

describe("the typo pass", () => {
  it("ranks, counts and highlights exactly as a full second pass would", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(typed, fc.constantFrom(...words)), { minLength: 1, maxLength: 4 }),
        fc.record({
          limit: fc.integer({ min: 1, max: 20 }),
          offset: fc.constantFrom(0, 0, 5),
          group: fc.constantFrom(undefined, "document" as const),
          fuzzy: fc.constantFrom("auto" as const, 1 as const, 2 as const),
          prefix: fc.boolean(),
        }),
        (queryWords, options) => {
          const request: SearchRequest = { q: queryWords.join(" "), sort: "relevance", ...options };
          const actual = search(index, request);
          const expected = withFullPasses(request);
          expect(actual.total).toBe(expected.total);
          expect(actual.hits.map((h) => [h.id, h.score, h.highlights])).toEqual(expected.hits.map((h) => [h.id, h.score, h.highlights]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("counts pages alike when a page holds every word but none of its paragraphs does", () => {
    // Found by the property above: the shortcut that skips ranking the first pass counted paragraphs, not pages.
    const request: SearchRequest = {
      q: "überlebt Smith",
      limit: 1,
      offset: 0,
      group: "document",
      fuzzy: "auto",
      prefix: false,
      sort: "relevance",
    };
    const expected = withFullPasses(request);
    expect(search(index, request).total).toBe(expected.total);
    expect(search(index, request).hits.map((h) => h.id)).toEqual(expected.hits.map((h) => h.id));
  });
});
