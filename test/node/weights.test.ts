import { describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { combinedWeight, readCorpus } from "../../index-builder/corpus.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { search } from "../../worker/search/search.js";
import { corpusErrorOfAsync } from "./corpus-error-of.js";
import { scratchCorpora } from "./scratch-corpus.js";

/** A new corpus folder holding these files: path under the corpus → content. */
const corpusWith = scratchCorpora("weights");

const html = (title: string, text: string, head = "") =>
  `<!doctype html><html><head><title>${title}</title>${head}</head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;
const weights = async (dir: string) => Object.fromEntries((await readCorpus(dir)).documents.map((doc) => [doc.id, doc.weight ?? 1]));

describe("weights read by the builder", () => {
  it("come from the page (meta, front matter, jsonl), the collection and the kind, multiplied and held to 0.1–10", async () => {
    const dir = corpusWith({
      // As an editor writes it (an object literal's __proto__ would set a prototype, not a key).
      "amt/collection.json": '{"title": "Amt", "weight": 2, "kindWeights": {"Satzung": 0.5, "__proto__": 3, "constructor": 4}}',
      "amt/dienst.html": html("Dienst", "Hundesteuer anmelden.", '<meta name="fundstelle:weight" content="1,5">'),
      "amt/satzung.html": html("Satzung", "Hundesteuersatzung.", '<meta name="kind" content="Satzung">'),
      "amt/proto.html": html("Proto", "Text.", '<meta name="kind" content="__proto__">'),
      "amt/ctor.md": "---\ntitle: Ctor\nkind: constructor\nweight: 3\n---\nText.\n",
      "amt/viel.md": "---\ntitle: Viel\nweight: 8\n---\nText.\n",
      "amt/daten.jsonl": `${JSON.stringify({ id: "x", title: "X", paragraphs: ["Text."], weight: 0.1 })}\n`,
      "archiv/alt.txt": "Alt\n\nEin alter Text.\n",
    });
    expect(await weights(dir)).toEqual({
      "amt/dienst": 3,
      "amt/satzung": 1,
      "amt/proto": 6,
      "amt/ctor": 10,
      "amt/viel": 10,
      "amt/daten/x": 0.2,
      "archiv/alt": 1,
    });
  });

  it("stores nothing for a corpus without weights, so its index is what it was", async () => {
    const dir = corpusWith({ "amt/a.html": html("A", "Text."), "amt/b.md": "# B\n\nText.\n" });
    const artifact = buildArtifact(await readCorpus(dir), null, "test");
    expect(artifact.files.store).not.toContain('"weight"');
  });

  it.each([
    [
      { "amt/a.html": html("A", "Text.", '\n<meta name="fundstelle:weight" content="viel">') },
      'amt/a.html:2: <meta name="fundstelle:weight">: "viel" is not a number',
    ],
    [
      { "amt/a.html": html("A", "Text.", '\n\n<meta name="fundstelle:weight" content="0">') },
      'amt/a.html:3: <meta name="fundstelle:weight">: weight 0 is outside 0.1–10',
    ],
    [{ "amt/a.md": "---\ntitle: A\nweight: 20\n---\nText.\n" }, "amt/a.md:3: weight 20 is outside 0.1–10"],
    [
      { "amt/a.jsonl": `${JSON.stringify({ id: "x", title: "X", paragraphs: ["T"], weight: "hoch" })}\n` },
      'amt/a.jsonl:1: weight "hoch" is not a number',
    ],
    [
      { "amt/collection.json": '{"kindWeights": {"Satzung": 11}}', "amt/a.md": "# A\n\nText.\n" },
      'amt/collection.json: kindWeights "Satzung": weight 11 is outside 0.1–10',
    ],
    [{ "amt/collection.json": '{"kindWeights": [1]}', "amt/a.md": "# A\n\nText.\n" }, "amt/collection.json: kindWeights must be an object"],
  ])("refuses a bad weight, naming the file and line (%#)", async (files, message) => {
    const error = await corpusErrorOfAsync(readCorpus(corpusWith(files as Record<string, string>)));
    expect(error.message.startsWith(message)).toBe(true);
  });

  it("holds a product to 0.1–10", () => {
    expect(combinedWeight(10, 10, 10)).toBe(10);
    expect(combinedWeight(0.1, 0.1, undefined)).toBe(0.1);
    expect(combinedWeight(undefined, null, undefined)).toBe(1);
  });
});

describe("weights in search", () => {
  const build = async (extra: Record<string, string>) =>
    loadIndex(
      artifactModule(
        buildArtifact(
          await readCorpus(
            corpusWith({
              "amt/a-satzung.html": html("Hundesteuersatzung", "Die Hundesteuer beträgt 96 Euro im Jahr.", extra.satzung ?? ""),
              "amt/b-dienst.html": html("Hundesteuer anmelden", "Die Hundesteuer beträgt 96 Euro im Jahr."),
              "amt/c-andere.html": html("Hunde", "Hunde an der Leine führen."),
              ...(extra.collection ? { "amt/collection.json": extra.collection } : {}),
            }),
          ),
          null,
          "test",
        ),
      ),
    );
  const order = (index: ReturnType<typeof loadIndex>, q: string, group?: "document") =>
    search(index, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false, ...(group ? { group } : {}) }).hits.map(
      (hit) => hit.doc.id,
    );

  it("multiply a page's score: the weighted page of two alike comes first, in paragraphs and in pages", async () => {
    const plain = await build({});
    const weighted = await build({ satzung: '<meta name="fundstelle:weight" content="2">' });
    expect(order(plain, "Hundesteuer 96 Euro")[0]).toBe("amt/b-dienst");
    expect(order(plain, "Hundesteuer 96 Euro", "document")[0]).toBe("amt/b-dienst");
    expect(order(weighted, "Hundesteuer 96 Euro")[0]).toBe("amt/a-satzung");
    expect(order(weighted, "Hundesteuer 96 Euro", "document")[0]).toBe("amt/a-satzung");
    const [first, second] = search(weighted, {
      q: "Hundesteuer 96 Euro",
      limit: 2,
      offset: 0,
      sort: "relevance",
      fuzzy: 0,
      prefix: false,
    }).hits;
    expect((first?.score ?? 0) / (second?.score ?? 1)).toBeGreaterThan(1.5);
  });

  it("do not lift a page matching fewer of the words above the pages matching all", async () => {
    // Only c holds both words; a at the highest weight holds one of them.
    const boosted = await build({ satzung: '<meta name="fundstelle:weight" content="10">' });
    expect(order(boosted, "Hunde Leine")[0]).toBe("amt/c-andere");
    expect(order(boosted, "Hunde Leine")).toContain("amt/a-satzung");
    expect(order(boosted, "Hunde Leine", "document")[0]).toBe("amt/c-andere");
  });
});
