// Candidates are ordered on numbers (dates as ranks) within an index, and merged from shards by rankOrder on the
// dates themselves: both must give one order, or a sharded answer would differ from one index's.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { type Candidates, candidateOrder, rankOrder } from "../../worker/search/candidates.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { corpusOf } from "./corpus-of.js";

// Dates that tie, differ in a day or a year, and none: an undated page sorts after every dated one.
const DATES = [null, "2024-01-01", "2024-01-02", "2023-12-31", "2024-01-01", null, "2021-06-15", "2024-10-30"];
const corpus = corpusOf(DATES.map((_, i) => ({ name: `d${i}`, paragraphs: [`Absatz eins von ${i}.`, `Absatz zwei von ${i}.`] })));
corpus.documents.forEach((doc, i) => {
  doc.date = DATES[i] ?? null;
});
const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
const paragraphs = index.engine.paragraphs;

describe("the order of candidates", () => {
  it.each(["relevance", "date"] as const)("is rankOrder's, sorting by %s (property)", (sort) => {
    const candidate = fc.record({
      id: fc.nat({ max: paragraphs - 1 }),
      score: fc.constantFrom(0, 0.5, 1, 1, 2.25, 7),
      full: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(candidate, { minLength: 2, maxLength: 12 }), (list) => {
        const c = {
          count: list.length,
          ids: Int32Array.from(list, (x) => x.id),
          scores: Float64Array.from(list, (x) => x.score),
          full: Uint8Array.from(list, (x) => (x.full ? 1 : 0)),
        } as Candidates;
        const order = candidateOrder(index, c, sort);
        const date = (i: number) => (sort === "date" ? index.docOf(c.ids[i] as number).date : null);
        for (let a = 0; a < list.length; a++)
          for (let b = 0; b < list.length; b++) {
            const expected = rankOrder(
              c.full[a] === 1,
              c.full[b] === 1,
              date(a),
              date(b),
              c.scores[a] as number,
              c.scores[b] as number,
              c.ids[a] as number,
              c.ids[b] as number,
            );
            expect(Math.sign(order(a, b))).toBe(Math.sign(expected));
          }
      }),
      { numRuns: 300 },
    );
  });
});
