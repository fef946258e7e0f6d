// A collection without collection.json is named after its folder, in a readable form.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readableName, readCorpus } from "../../index-builder/corpus.js";

describe("a collection's title", () => {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-names-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["meldungen", "Meldungen"],
    ["auswaertiges-amt", "Auswaertiges Amt"],
    ["meldungen_2024", "Meldungen 2024"],
    ["über.uns", "Über Uns"],
    ["FAQ", "FAQ"],
    ["---", "---"],
  ])("reads the folder %j as %j", (folder, title) => {
    expect(readableName(folder)).toBe(title);
  });

  it("comes from collection.json, else from the folder's name", () => {
    mkdirSync(join(dir, "buerger-service"));
    writeFileSync(join(dir, "buerger-service", "a.md"), "# Öffnungszeiten\n\nMontag bis Freitag.\n");
    mkdirSync(join(dir, "presse"));
    writeFileSync(join(dir, "presse", "collection.json"), JSON.stringify({ title: "Pressemitteilungen" }));
    writeFileSync(join(dir, "presse", "b.md"), "# Neu\n\nEine Meldung.\n");
    expect(readCorpus(dir).collections.map((c) => [c.id, c.title])).toEqual([
      ["buerger-service", "Buerger Service"],
      ["presse", "Pressemitteilungen"],
    ]);
  });
});
