// The demo page's example queries come from the corpus's titles.
import { describe, expect, it } from "vitest";
import { exampleQueries } from "../../index-builder/examples.js";

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
