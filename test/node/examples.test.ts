// The demo page's example queries come from the corpus's titles.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readArtifact } from "../../index-builder/artifact-files.js";
import { exampleQueries } from "../../index-builder/examples.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

describe("exampleQueries", () => {
  it("takes the commonest title word, its commonest neighbour, and the start of another word", () => {
    expect(
      exampleQueries([
        "Deutschland und Kasachstan: bilaterale Beziehungen",
        "Kasachstan: Reise- und Sicherheitshinweise",
        "Kasachstan und Usbekistan",
        "Usbekistan: Einreise",
        "Deutschland und Usbekistan",
      ]),
    ).toEqual(["Kasachstan", "Kasachstan Usbekistan", "Deuts"]);
  });

  it("shows words in their usual spelling and skips stop words, short words and numbers", () => {
    expect(exampleQueries(["Die Öffnungszeiten", "ÖFFNUNGSZEITEN 2024", "Öffnungszeiten der Ämter", "Ämter und Ämter"])[0]).toBe(
      "Öffnungszeiten",
    );
    expect(exampleQueries(["und der die", "ab 2024", ""])).toEqual([]);
  });

  it("treats the words that name Object.prototype's properties as words", () => {
    expect(exampleQueries(["constructor toString", "constructor valueOf"])[0]).toBe("constructor");
  });
});

describe("the demo page", () => {
  const index = loadIndex(readArtifact(join(new URL("../../", import.meta.url).pathname, "build")));

  it("suggests queries from the corpus it serves, never a fixed one", async () => {
    const page = await (await createApp(() => index).request("/")).text();
    const examples = index.manifest.examples ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(page).toContain(`„${example}“`);
    const other = await (
      await createApp(() => ({ ...index, manifest: { ...index.manifest, examples: ["Öffnungszeiten"] } })).request("/")
    ).text();
    expect(other).toContain("Probieren Sie „Öffnungszeiten“.");
    expect(other).not.toContain("Kasachstan Handel");
  });
});
