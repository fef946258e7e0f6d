// A compound no page holds is searched as the two words of the index it is made of, so "Hundemarke" finds the page
// that says "Hundesteuermarke" (#29), while a typo, a known word and short cuts are left alone.
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { unknownCompoundParts } from "../../worker/search/plan.js";
import { search } from "../../worker/search/search.js";
import { corpusOf } from "./corpus-of.js";

const index = loadIndex(
  artifactModule(
    buildArtifact(
      corpusOf([
        { name: "hundesteuer", title: "Hundesteuer", paragraphs: ["Sie erhalten einen Steuerbescheid und die Hundesteuermarke."] },
        { name: "sperrmuell", title: "Sperrmüll", paragraphs: ["Der Sperrmüll wird auf Bestellung abgeholt. Die Abholung ist kostenlos."] },
        { name: "kinder", title: "Kinder", paragraphs: ["Kinder und Hunde spielen im Garten."] },
      ]),
      null,
      "test",
    ),
  ),
);
const request = { limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: false } as const;

describe("a compound no page holds", () => {
  it("is split into two terms of the index, with or without a linking s, es, n or en", () => {
    expect(unknownCompoundParts(index, "hundemarke").map((p) => p.exact)).toEqual(["hunde", "marke"]);
    expect(unknownCompoundParts(index, "sperrmüllabholung").map((p) => p.exact)).toEqual(["sperrmüll", "abholung"]);
    // The longest first part wins: "gartens" is a form of "Garten" (one stem), so the linking s stays with it.
    expect(unknownCompoundParts(index, "gartensabholung").map((p) => p.exact)).toEqual(["gartens", "abholung"]);
  });

  it("is not split where a part would be shorter than five letters or no term of the index", () => {
    expect(unknownCompoundParts(index, "hundemark")).toEqual([]);
    expect(unknownCompoundParts(index, "kindhunde")).toEqual([]);
    expect(unknownCompoundParts(index, "persnalausweis")).toEqual([]);
  });

  it("finds the page whose compound holds both parts, and marks them there", () => {
    const answer = search(index, { ...request, q: "Hundemarke" });
    expect(answer.hits[0]?.doc.id).toBe("test/hundesteuer");
    expect(answer.hits[0]?.snippetHtml).toContain("<mark>Hunde</mark>steuer<mark>marke</mark>");
    expect(answer.correction).toBeNull();
  });

  it("finds a page holding both words apart", () => {
    expect(search(index, { ...request, q: "Sperrmüllabholung" }).hits[0]?.doc.id).toBe("test/sperrmuell");
  });

  it("is searched as typed when the index knows it", () => {
    expect(search(index, { ...request, q: "Hundesteuermarke" }).hits[0]?.doc.id).toBe("test/hundesteuer");
    expect(search(index, { ...request, q: "Kinder" }).hits.map((h) => h.doc.id)).toEqual(["test/kinder"]);
  });
});
