// Proximity re-ranking: how close query words stand, and the exact top k without scaling every candidate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { loadIndex, withRanking } from "../../worker/search/loaded-index.js";
import { proximityOf, RANKING, search, selectScaled } from "../../worker/search/search.js";
import { corpusOf } from "./corpus-of.js";

describe("selectScaled", () => {
  it("picks exactly the top k that scaling every candidate would", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            score: fc.double({ min: 0, max: 100, noNaN: true }),
            full: fc.boolean(),
            date: fc.constantFrom("2024", "2025"),
            factor: fc.double({ min: 1, max: 2, noNaN: true }),
            headroom: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 300 },
        ),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (items, k, byDate) => {
          const orderBy = (score: (i: number) => number) => (a: number, b: number) => {
            const [x, y] = [items[a], items[b]] as [(typeof items)[number], (typeof items)[number]];
            if (x.full !== y.full) return x.full ? -1 : 1;
            if (byDate && x.date !== y.date) return x.date < y.date ? 1 : -1;
            return score(b) - score(a) || a - b;
          };
          const positions = Int32Array.from(items.keys());
          let calls = 0;
          const { best, scaled } = selectScaled(
            positions,
            k,
            (i) => items[i]?.score as number,
            orderBy,
            (i) => {
              calls++;
              return items[i]?.factor as number;
            },
            // Each item's own bound: its factor or more.
            (i) => (items[i]?.factor as number) + (items[i]?.headroom as number),
          );
          const all = (i: number) => (items[i]?.score as number) * (items[i]?.factor as number);
          const expected = [...positions].sort(orderBy(all)).slice(0, k);
          expect(best).toEqual(expected);
          for (const i of best) expect(scaled.get(i)).toBe(all(i));
          expect(calls).toBe(scaled.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("scales only the leaders when the rest cannot catch up", () => {
    const scores = Array.from({ length: 1000 }, (_, i) => 1000 / (i + 1));
    let calls = 0;
    selectScaled(
      Int32Array.from(scores.keys()),
      10,
      (i) => scores[i] as number,
      (score) => (a, b) => score(b) - score(a) || a - b,
      () => {
        calls++;
        return 1.5;
      },
      () => 2,
    );
    // The 10th scores 100, 150 scaled; only the 11th to 13th (≥ 75) could reach that doubled.
    expect(calls).toBe(13);
  });
});

const corpus = corpusOf([
  {
    name: "a",
    title: "Eins",
    paragraphs: [
      "Die Deutsche Botschaft in Astana berät kasachische Unternehmen zu Fragen des Handels mit Europa.",
      "Astana ist die Hauptstadt. Viele Jahre später, nach langen Verhandlungen über Zölle und Quoten, wuchs der Handel deutlich.",
      "Der Handel mit Astana wächst seit Jahren, getragen von Rohstoffen, Maschinen, Chemie, Fahrzeugen und weiteren Gütern.",
      "Astana wuchs, später der Handel.",
    ],
  },
]);

describe("proximity", () => {
  const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
  const astana = { exact: "astana", bits: 1 };
  const handel = { exact: "handel", bits: 2 };
  const termWords = new Map([
    [astana.exact, astana.bits],
    [handel.exact, handel.bits],
    ["handels", handel.bits],
  ]);

  it("is 1 for words side by side, less the further apart they stand, 0 when one is missing", () => {
    const near = proximityOf(index, 2, termWords, 0b11);
    const close = proximityOf(index, 0, termWords, 0b11);
    const far = proximityOf(index, 1, termWords, 0b11);
    expect(near).toBeLessThanOrEqual(1);
    expect(near).toBeGreaterThan(close);
    expect(close).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(0);
    expect(proximityOf(index, 0, new Map([[astana.exact, 1]]), 0b11)).toBe(0);
    expect(
      proximityOf(
        index,
        2,
        new Map([
          ["handel", 1],
          ["astana", 2],
        ]),
        0b11,
      ),
    ).toBe(near);
  });

  /** The order of paragraphs 2 (words together, longer) and 3 (words apart, shorter) for "Astana Handel". */
  const order = (ranked = index) =>
    search(ranked, { q: "Astana Handel", limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false })
      .hits.map((h) => h.paragraph)
      .filter((p) => p === 2 || p === 3);

  it("lifts a longer paragraph whose words stand together above a shorter one where they stand apart", () => {
    expect(order(withRanking(index, { proximityWeight: 0 }))).toEqual([3, 2]);
    expect(order()).toEqual([2, 3]);
  });

  it("leaves queries whose words are all common to BM25 alone", () => {
    // Both words are in 4 paragraphs: above this limit, proximity stays out.
    expect(order(withRanking(index, { proximityMaxDf: 3 }))).toEqual([3, 2]);
  });

  it("ranks with weights nobody can change by accident", () => {
    expect(() => Object.assign(RANKING, { proximityWeight: 0 })).toThrow(TypeError);
    expect(() => Object.assign(RANKING.bm25, { b: 1 })).toThrow(TypeError);
    expect(index.ranking).toBe(RANKING);
  });
});
