// German cases on the shipped corpus: compounds, spellings, typos, prefixes and synonyms, each with the paragraph it must find.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../../worker/search/search.js";

const corpus = await readCorpus(fileURLToPath(new URL("../../corpus", import.meta.url)));
const artifact = buildArtifact(corpus, null, "test");
const index = loadIndex(artifactModule(artifact));
const run = (q: string, options: Partial<SearchRequest> = {}) =>
  search(index, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true, ...options });
const SEED = "auswaertiges-amt/deutschland-kasachstan";

describe("German cases", () => {
  // [case, query, the paragraph (or document) that must come first, a word it must mark]
  it.each([
    ["compound head", "Kanzler", `${SEED}#0`, "kanzler"],
    ["compound parts in another order", "Volumen Handel", `${SEED}#1`, "Handelsvolumen"],
    ["compound part with a dropped e", "Hochschule Zusammenarbeit", `${SEED}#2`, "Hochschulzusammenarbeit"],
    ["compound head at the end", "Effizienz Umwelt", `${SEED}#3`, "effizienz"],
    ["head of a word not in any dictionary", "Anatolien Normannen", "wikipedia/xquad-de/Normans#3", "anatolien"],
    ["ae for ä", "Gebaerdensprache", "wikipedia/xquad-de/Super_Bowl_50#3", "Gebärdensprache"],
    ["ue for ü in an inflection", "Universitaeten", "wikipedia/xquad-de/Newcastle_upon_Tyne#4", "Universitäten"],
    ["a missing letter", "Kasachstn", SEED, "Kasachstan"],
    ["swapped letters", "Verteidigugn Panthers", "wikipedia/xquad-de/Super_Bowl_50#0", "Verteidigung"],
    ["as you type", "Zentralas", SEED, "Zentralasien"],
    ["an inflection through the stem", "kasachischer Studierender", `${SEED}#2`, "Studierenden"],
    ["a synonym from corpus/synonyms.txt", "Lehrer Astana", `${SEED}#2`, "Lehrkräfte"],
    ["a name's genitive -s, which the stemmer keeps", "Almatys Büros", `${SEED}#3`, "Almaty"],
    [
      "a question, whose question words need not appear",
      "Seit wann pflegen Deutschland und Kasachstan Beziehungen?",
      `${SEED}#0`,
      "Beziehungen",
    ],
  ])("%s: %s finds %s", (_case, query, expected, word) => {
    const [hit] = run(query).hits;
    if (!hit) throw new Error(`no hit for ${query}`);
    if (expected.includes("#")) expect(hit.id).toBe(expected);
    else expect(hit.doc.id).toBe(expected);
    const doc = index.store.documents[index.documentsById.get(hit.doc.id) ?? -1];
    const text = index.paragraphText((doc?.first ?? 0) + hit.paragraph);
    expect(hit.highlights.map(([start, end]) => text.slice(start, end).toLowerCase())).toContain(word.toLowerCase());
  });

  it("does not let a typo variant of a corpus word stand in for it in an all-words match", () => {
    // "mehr" is one edit from "Meer", and #4 has "mehr", "Khan" and "startete": it must not outrank #3,
    // which has "Meer" and "Khans" as typed.
    const ids = run("Meer Khans star").hits.map((h) => h.id);
    expect(ids[0]).toBe("wikipedia/xquad-de/Genghis_Khan#3");
    expect(ids).toContain("wikipedia/xquad-de/Genghis_Khan#4");
  });

  it("splits a compound typed with ae/oe/ue as its corpus spelling splits", () => {
    const ids = (q: string) => run(q, { fuzzy: 0, prefix: false }).hits.map((h) => h.id);
    const proper = ids("Komplexitätsklassen");
    expect(proper).toContain("wikipedia/xquad-de/Computational_complexity_theory#0"); // only through its parts
    expect(ids("Komplexitaetsklassen")).toEqual(proper);
  });

  it("marks the matching part inside a compound", () => {
    const hit = run("Volumen").hits.find((h) => h.id === `${SEED}#1`);
    expect(hit?.snippetHtml).toContain("Handels<mark>volumen</mark>");
  });

  it("ranks the exact spelling above its variants", () => {
    const ids = run("Universität", { limit: 50 }).hits.map((h) => h.id);
    expect(ids.length).toBeGreaterThan(3);
    const first = run("Universität").hits[0];
    expect(first?.snippetHtml).toMatch(/<mark>Universität<\/mark>/);
  });

  it("does not apply typo tolerance when exact matches fill the page", () => {
    const exact = run("Kasachstan", { limit: 3 });
    expect(exact.total).toBe(run("Kasachstan", { limit: 3, fuzzy: 0 }).total);
  });
});
