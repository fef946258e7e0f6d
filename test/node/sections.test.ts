// A page of a search finds the sections of its paragraphs without decoding every heading of the page: it must find
// exactly the section that holds the paragraph, the last of the whole list to start at or before it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { sectionFinder, sectionsOf } from "../../worker/search/sections.js";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("a page's sections found by paragraph", () => {
  it.each([
    ["test/fixtures/townhall", 6],
    ["test/fixtures/corpus", 0],
  ])("are the sections of the whole list, for every paragraph of %s", async (dir, pagesWithHeadings) => {
    const index = loadIndex(artifactModule(buildArtifact(await readCorpus(join(ROOT, dir)), null, "test")));
    let withHeadings = 0;
    index.store.documents.forEach((doc, d) => {
      const all = sectionsOf(index, d);
      if (all.length > 1) withHeadings++;
      const finder = sectionFinder(index, d);
      for (let n = 0; n < doc.count; n++) {
        const expected = all.findLast((section) => section.first <= n);
        expect(finder.indexOf(n)).toBe(expected?.index);
        expect(finder.section(finder.indexOf(n))).toEqual(expected);
      }
    });
    expect(withHeadings).toBeGreaterThanOrEqual(pagesWithHeadings);
  });
});
