// The insights report's help for a query without results: the corpus words nearest its words (a typo away, a
// compound holding its head and tail, the words an unknown compound is made of) and the lines an editor copies.
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { localBackend } from "../../worker/backend.js";
import { rarelyChosenAction, zeroResultAction } from "../../worker/insights/actions.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { nearWords } from "../../worker/search/near.js";
import { scratchCorpora } from "./scratch-corpus.js";

const corpusWith = scratchCorpora("near-words");
const html = (title: string, text: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;

const index = loadIndex(
  artifactModule(
    buildArtifact(
      await readCorpus(
        corpusWith({
          "stadt/hund.html": html("Hundesteuer", "Jeder Hund trägt eine Hundesteuermarke. Die Hundesteuermarke gibt das Bürgerbüro aus."),
          "stadt/kita.html": html("Kindertagesstätten", "Die Kindertagesstätten der Stadt nehmen Kinder ab einem Jahr auf."),
          "stadt/anmelden.html": html(
            "Wohnsitz",
            "Die Anmeldung des Wohnsitzes erfolgt im Bürgerbüro. Ihren Wohnsitz melden Sie binnen zwei Wochen an; die Anmeldung ist gebührenfrei.",
          ),
          "stadt/abfall.html": html("Sperrmüll", "Sperrmüll holen wir zweimal im Jahr ab."),
        }),
      ),
      null,
      "test",
    ),
  ),
);
const backend = localBackend(() => index);
const near = (word: string) => nearWords(index, word).map((n) => `${n.word} (${n.how})`);

describe("the corpus words nearest a word no page holds", () => {
  it("finds typos, compounds that hold the word's head and tail, and the parts of an unknown compound", () => {
    expect(near("hundemarke")).toEqual(["Hundesteuermarke (compound)"]);
    expect(near("kinderstätten")).toEqual(["Kindertagesstätten (compound)"]);
    expect(near("kindertagestätten")).toEqual(["Kindertagesstätten (typo)"]);
    expect(near("wohnsitzanmeldung")).toEqual(["Wohnsitz Anmeldung (parts)"]);
    // One part alone is no answer ("Steuer" is no synonym of "Hundesteuer"), nor a part of four letters.
    expect(near("sperrmüllkarte")).toEqual([]);
    expect(near("hundsteuer")).toEqual(["Hundesteuer (typo)"]);
    // A word the corpus has, or one with nothing near it, gets nothing.
    expect(near("anmeldung")).toEqual([]);
    expect(near("xylophon")).toEqual([]);
    // Bounded: a long word is cut, and "__proto__" is a word like any other.
    expect(near("__proto__")).toEqual([]);
    expect(near("a".repeat(10_000))).toEqual([]);
  });

  it("become ready lines: a one-way synonym to what the site says, and a promotion of the page it then finds", async () => {
    // Its parts stand in no one paragraph together: the search finds nothing, the report's lines would.
    const action = await zeroResultAction(backend, "sperrmüllanmeldung");
    expect(action.synonyms).toBe("sperrmüllanmeldung => Sperrmüll Anmeldung");
    expect(action.promotion).toBe("sperrmüllanmeldung => stadt/abfall");
    expect(action.findsNow).toBe(false);
    // An unknown compound whose parts a paragraph holds is found by the search itself now: no lines needed.
    expect(await zeroResultAction(backend, "wohnsitzanmeldung")).toMatchObject({ findsNow: true, synonyms: null, promotion: null });
    // A query that finds something since gets no lines.
    expect(await zeroResultAction(backend, "hundesteuer")).toMatchObject({ findsNow: true, synonyms: null, promotion: null });
  });

  it("propose no promotion for a misspelt query: the typo tolerance answers it", async () => {
    expect((await rarelyChosenAction(backend, "hundesteuer", undefined)).promotion).toBe("hundesteuer => stadt/hund");
    expect((await rarelyChosenAction(backend, "kindertagestätten", undefined)).promotion).toBeNull();
  });
});
