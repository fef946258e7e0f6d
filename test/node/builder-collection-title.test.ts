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

  it("comes from collection.json, else from the folder's name", async () => {
    mkdirSync(join(dir, "buerger-service"));
    writeFileSync(join(dir, "buerger-service", "a.md"), "# Öffnungszeiten\n\nMontag bis Freitag.\n");
    mkdirSync(join(dir, "presse"));
    writeFileSync(join(dir, "presse", "collection.json"), JSON.stringify({ title: "Pressemitteilungen" }));
    writeFileSync(join(dir, "presse", "b.md"), "# Neu\n\nEine Meldung.\n");
    expect((await readCorpus(dir)).collections.map((c) => [c.id, c.title])).toEqual([
      ["buerger-service", "Buerger Service"],
      ["presse", "Pressemitteilungen"],
    ]);
  });

  it("gives documents without a kind of their own the collection's kind; an HTML page names its own in its metadata", async () => {
    const site = mkdtempSync(join(tmpdir(), "fundstelle-kinds-"));
    try {
      mkdirSync(join(site, "formulare"));
      writeFileSync(join(site, "formulare", "collection.json"), JSON.stringify({ kind: "Formular" }));
      writeFileSync(join(site, "formulare", "hund.html"), "<title>Hundesteuer</title><main><p>Anmeldung eines Hundes.</p></main>");
      writeFileSync(
        join(site, "formulare", "satzung.html"),
        '<title>Satzung</title><meta name="DC.type" content=" Satzung "><main><p>Die Satzung über die Hundesteuer.</p></main>',
      );
      writeFileSync(join(site, "formulare", "info.md"), "---\nkind: Merkblatt\n---\n# Hinweise\n\nBitte beachten.\n");
      mkdirSync(join(site, "seiten"));
      writeFileSync(join(site, "seiten", "a.html"), '<title>A</title><meta name="kind" content="Artikel"><p>Text.</p>');
      writeFileSync(join(site, "seiten", "b.html"), "<title>B</title><p>Text.</p>");
      const kinds = Object.fromEntries((await readCorpus(site)).documents.map((d) => [d.id, d.kind]));
      expect(kinds).toEqual({
        "formulare/hund": "Formular",
        "formulare/info": "Merkblatt",
        "formulare/satzung": "Satzung",
        "seiten/a": "Artikel",
        "seiten/b": null,
      });
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});
