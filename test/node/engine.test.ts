// The compact index against MiniSearch: the same query trees give the same paragraphs, scores and matched terms.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { FIELDS, type IndexedParagraph, miniSearchOptions } from "../../common/artifact.js";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact, indexedFields } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import type { Field } from "../../worker/search/compact-index.js";
import type { Evaluator } from "../../worker/search/evaluator.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import type { EvaluateOptions, Matches, QueryNode } from "../../worker/search/query-tree.js";
import { AS_GIVEN, compactFrom, toMiniSearchQuery } from "./compact.js";

/** MiniSearch's score of a match: the sum of its terms' scores times the number of distinct query terms it matched. */
function miniSearchScore(matches: Matches, p: number): number {
  return matches.sum(p) * new Set(matches.termsOf(p)).size;
}

/** Both engines' answers to one tree, as comparable records. */
function compare(evaluator: Evaluator, miniSearch: MiniSearch<IndexedParagraph>, root: QueryNode, options: EvaluateOptions): void {
  const fields = FIELDS.filter((field) => options.boost[field] !== undefined);
  const expected = miniSearch.search(toMiniSearchQuery(root), { ...AS_GIVEN, fields, boost: options.boost, bm25: options.bm25 });
  const matches = evaluator.evaluate(root, options);
  const actual = [...matches.ids.subarray(0, matches.count)].sort((a, b) => a - b);
  expect(actual).toEqual(expected.map((r) => r.id as number).sort((a, b) => a - b));
  for (const result of expected) {
    const id = result.id as number;
    // MiniSearch's score: the sum times the number of distinct query terms matched (derived here; the engine needs the sum).
    const score = miniSearchScore(matches, id);
    expect(score).toBeCloseTo(result.score, 9);
    expect(Math.abs(score - result.score)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(result.score)));
    expect(matches.termsOf(id).length).toBe(result.queryTerms.length);
    expect(matches.termsOf(id).sort()).toEqual([...result.terms].sort());
  }
}

/** Random trees over `terms`: OR and AND groups up to three deep, boosts including 0, and unknown terms. */
function treeOf(terms: readonly string[]) {
  const leaf = fc.record({
    term: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...terms) }, { weight: 1, arbitrary: fc.constant("zzz-not-a-term") }),
    boost: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0.01, max: 3, noNaN: true })),
  });
  const { tree } = fc.letrec<{ tree: QueryNode }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.record({
        combineWith: fc.constantFrom("OR" as const, "AND" as const),
        queries: fc.array(tie("tree"), { minLength: 0, maxLength: 4 }),
      }),
    ),
  }));
  return fc.record({
    combineWith: fc.constantFrom("OR" as const, "AND" as const),
    queries: fc.array(tree, { minLength: 1, maxLength: 5 }),
  });
}

const optionsArbitrary: fc.Arbitrary<EvaluateOptions> = fc.record({
  boost: fc
    .subarray([...FIELDS] as Field[], { minLength: 1 })
    .chain((fields) =>
      fc
        .tuple(...fields.map(() => fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 3, noNaN: true }))))
        .map((boosts) => Object.fromEntries(fields.map((field, i) => [field, boosts[i]]))),
    ),
  bm25: fc.record({
    k: fc.double({ min: 0.1, max: 3, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    d: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
});

describe("the compact index scores as MiniSearch does", () => {
  it("on random corpora with titles shared by their paragraphs, for random trees", () => {
    const word = fc.constantFrom("haus", "maus", "hof", "see", "berg", "tal", "wald", "feld", "weg", "bach");
    const text = fc.array(word, { minLength: 0, maxLength: 12 }).map((words) => words.join(" "));
    const documents = fc.array(fc.record({ title: text, paragraphs: fc.array(text, { minLength: 1, maxLength: 4 }) }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(documents, optionsArbitrary, fc.infiniteStream(fc.nat()), (docs, options, seeds) => {
        const { evaluator, miniSearch } = compactFrom(docs);
        const terms = ["haus", "maus", "hof", "see", "berg", "tal", "wald", "feld", "weg", "bach"];
        for (const root of fc.sample(treeOf(terms), { numRuns: 5, seed: seeds.next().value as number }))
          compare(evaluator, miniSearch, root, options);
      }),
      { numRuns: 150 },
    );
  });

  it("on the shipped corpus, for random trees over its terms", async () => {
    const corpus = await readCorpus(fileURLToPath(new URL("../../corpus", import.meta.url)));
    const artifact = buildArtifact(corpus, null, "test");
    const index = loadIndex(artifactModule(artifact));
    // The builder's MiniSearch index, rebuilt the same way: paragraphs in order, each with its title and headings.
    const miniSearch = new MiniSearch<IndexedParagraph>(miniSearchOptions(index.compounds));
    let id = 0;
    for (const doc of corpus.documents) for (const fields of indexedFields(doc)) miniSearch.add({ id: id++, ...fields });
    const terms = index.engine.terms.filter((_, i) => i % 7 === 0);
    fc.assert(
      fc.property(treeOf(terms), optionsArbitrary, (root, options) => compare(index.evaluator, miniSearch, root, options)),
      { numRuns: 300 },
    );
  });

  it("extends a query with leaves as if they had been in its root OR", () => {
    const terms = ["haus", "maus", "hof", "see", "berg", "tal", "wald", "feld", "weg", "bach"];
    const word = fc.constantFrom(...terms);
    const text = fc.array(word, { minLength: 0, maxLength: 12 }).map((words) => words.join(" "));
    const documents = fc.array(fc.record({ title: text, paragraphs: fc.array(text, { minLength: 1, maxLength: 4 }) }), {
      minLength: 1,
      maxLength: 8,
    });
    const extra = fc.array(
      fc.record({
        term: fc.constantFrom(...terms, "zzz-not-a-term"),
        boost: fc.double({ min: 0.01, max: 3, noNaN: true }),
        mask: fc.integer({ min: 0, max: 7 }),
      }),
      { minLength: 1, maxLength: 4 },
    );
    let extended = 0;
    fc.assert(
      fc.property(documents, optionsArbitrary, treeOf(terms), extra, (docs, options, tree, leaves) => {
        const { evaluator } = compactFrom(docs);
        const root: QueryNode = { combineWith: "OR", queries: tree.queries };
        const whole = evaluator.evaluate({ combineWith: "OR", queries: [...root.queries, ...leaves] }, options);
        const expected = new Map(
          [...whole.ids.subarray(0, whole.count)].map((p) => [p, [miniSearchScore(whole, p), whole.mask(p), whole.termsOf(p).sort()]]),
        );
        evaluator.evaluate(root, options);
        const matches = evaluator.extend(leaves);
        if (!matches) return;
        extended++;
        const actual = new Map(
          [...matches.ids.subarray(0, matches.count)].map((p) => [
            p,
            [miniSearchScore(matches, p), matches.mask(p), matches.termsOf(p).sort()],
          ]),
        );
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [p, [score, distinct, mask, matched]] of expected) {
          const [s, dt, m, t] = actual.get(p) as [number, number, number, string[]];
          expect(Math.abs(s - (score as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(score as number)));
          expect([dt, m, t]).toEqual([distinct, mask, matched]);
        }
      }),
      { numRuns: 400 },
    );
    expect(extended).toBeGreaterThan(100);
  });

  it("keeps a query's matches valid until the next query, and refuses reads after it", () => {
    const { engine, evaluator } = compactFrom([{ title: "haus", paragraphs: ["maus see", "see"] }]);
    const options: EvaluateOptions = { boost: { title: 1, text: 1 }, bm25: { k: 1.2, b: 0.7, d: 0.5 } };
    const first = evaluator.evaluate({ term: "see", boost: 1 }, options);
    expect(first.count).toBe(2);
    expect(engine.paragraphsWith("maus", ["text"])).toEqual(Int32Array.from([0]));
    expect(first.termsOf(1)).toEqual(["see"]);
    evaluator.evaluate({ term: "maus", boost: 1 }, options);
    expect(() => first.sum(0)).toThrow(/overwritten/);
  });
});
