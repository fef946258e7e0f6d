// The synonyms: groups and one-way rules, errors with their line, the default administrative list merged with a
// site's own, and what they find in search.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { artifactModule } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { CorpusError } from "../../index-builder/errors.js";
import {
  corpusSynonyms,
  defaultSynonymRules,
  parseSynonymFile,
  parseSynonyms,
  SYNONYMS_FILE,
  synonymsOfRules,
} from "../../index-builder/synonyms.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { search } from "../../worker/search/search.js";

describe("parseSynonyms", () => {
  it("maps every single-word entry to the other entries of its groups", () => {
    const synonyms = parseSynonyms("# Kommentar\nStudenten, Studierende\n\nBRD, Bundesrepublik Deutschland, Deutschland # Staat\n");
    expect(Object.fromEntries(synonyms)).toEqual({
      studenten: [["studierende"]],
      studierende: [["studenten"]],
      brd: [["bundesrepublik", "deutschland"], ["deutschland"]],
      deutschland: [["brd"], ["bundesrepublik", "deutschland"]],
    });
  });

  it("takes words that name properties of Object.prototype as words", () => {
    // On main this threw "known.some is not a function": synonyms["constructor"] found Object.prototype's.
    const synonyms = parseSynonyms("constructor, Konstrukteur\nvalueOf, toString, hasOwnProperty\n");
    expect([...synonyms.keys()]).toEqual(["constructor", "konstrukteur", "valueof", "tostring", "hasownproperty"]);
    expect(synonyms.get("constructor")).toEqual([["konstrukteur"]]);
    expect(synonyms.get("valueof")).toEqual([["tostring"], ["hasownproperty"]]);
  });

  it.each([
    ["Lehrer\n", "synonyms.txt:1: a synonym group needs at least two entries separated by commas"],
    ["Lehrer, Lehrkraft\nSchüler,, Schülerin\n", "synonyms.txt:2: a synonym group needs at least two entries"],
    ["Lehrer, der die das\n", 'synonyms.txt:1: "der die das" has no word to search for (only stop words)'],
  ])("rejects %j", (text, message) => {
    expect(() => parseSynonyms(text)).toThrow(CorpusError);
    expect(() => parseSynonyms(text)).toThrow(message);
  });
});

describe("a word typed without umlauts or ß", () => {
  it("finds what the word with them finds, unless it has rules of its own", () => {
    const synonyms = parseSynonyms("Müll, Abfall\nStraße => Fahrbahn\nGebühr => Entgelt\ngebuehr => Abgabe\n");
    expect(synonyms.get("muell")).toEqual([["abfall"]]);
    expect(synonyms.get("strasse")).toEqual([["fahrbahn"]]);
    expect(synonyms.get("gebuehr")).toEqual([["abgabe"]]);
  });
});

describe("one-way rules", () => {
  it("let the left side find the right side, not back", () => {
    const synonyms = parseSynonyms("Perso, Persi => Personalausweis, Ausweis der Person\n");
    expect(Object.fromEntries(synonyms)).toEqual({
      perso: [["personalausweis"], ["ausweis", "person"]],
      persi: [["personalausweis"], ["ausweis", "person"]],
    });
  });

  it("add to the groups of the same word, each entry once", () => {
    const synonyms = parseSynonyms("Kita, Kindertagesstätte\nKita => Kindertagesstätte, Krippe\n");
    expect(synonyms.get("kita")).toEqual([["kindertagesstätte"], ["krippe"]]);
    expect(synonyms.get("krippe")).toBeUndefined();
  });

  it.each([
    ["Lehrer, Lehrkraft\n=> Personalausweis\n", 'synonyms.txt:2: a one-way rule needs entries on both sides of "=>"'],
    ["Perso =>\n", 'synonyms.txt:1: a one-way rule needs entries on both sides of "=>"'],
    ["Perso => Personalausweis => Ausweis\n", 'synonyms.txt:1: a one-way rule has one "=>"'],
    ["\n\nPerso => der die das\n", 'synonyms.txt:3: "der die das" has no word to search for (only stop words)'],
    ["Perso, , Persi => Personalausweis\n", "synonyms.txt:1: an entry is empty"],
    ["Ausweis der Person => Personalausweis\n", 'synonyms.txt:1: the left side of "=>" needs an entry of one word'],
  ])("rejects %j", (text, message) => {
    expect(() => parseSynonyms(text)).toThrow(CorpusError);
    expect(() => parseSynonyms(text)).toThrow(message);
  });
});

describe("the default list and a site's own", () => {
  const defaults = parseSynonymFile("Kita, Kindertagesstätte\nUmzug => Ummeldung\nMüll, Abfall\n", "default.txt", false).rules;

  it("parses the builder's list, at least 150 rules, every one with a word to look up", () => {
    const rules = defaultSynonymRules();
    expect(rules.length).toBeGreaterThanOrEqual(150);
    expect(rules.every((rule) => rule.from.some((entry) => entry.length === 1))).toBe(true);
    const synonyms = synonymsOfRules(rules);
    expect(synonyms.get("perso")).toEqual([["personalausweis"]]);
    expect(synonyms.get("personalausweis")).toBeUndefined();
    expect(synonyms.get("hundemarke")).toEqual([["hundesteuermarke"]]);
    expect(synonyms.get("hundesteuermarke")).toEqual([["hundemarke"]]);
    expect(synonyms.get("kosten")).toContainEqual(["gebühr"]);
    expect(synonyms.get("gebühr")).not.toContainEqual(["kosten"]);
    expect(synonyms.get("beitrag")).toBeUndefined();
  });

  it("applies to a corpus without synonyms.txt, and the site's lines extend it, in the same order every time", () => {
    expect([...corpusSynonyms(null, SYNONYMS_FILE, defaults)]).toEqual([
      ["kita", [["kindertagesstätte"]]],
      ["kindertagesstätte", [["kita"]]],
      ["umzug", [["ummeldung"]]],
      ["müll", [["abfall"]]],
      ["abfall", [["müll"]]],
      ["kindertagesstaette", [["kita"]]],
      ["muell", [["abfall"]]],
    ]);
    const site = "Kita, Kinderhaus\nPerso => Personalausweis\n";
    const merged = corpusSynonyms(site, SYNONYMS_FILE, defaults);
    expect(merged.get("kita")).toEqual([["kindertagesstätte"], ["kinderhaus"]]);
    expect(merged.get("perso")).toEqual([["personalausweis"]]);
    expect(JSON.stringify([...corpusSynonyms(site, SYNONYMS_FILE, defaults)])).toBe(JSON.stringify([...merged]));
    expect([...corpusSynonyms(null)]).toEqual([...corpusSynonyms(null)]);
  });

  it("drops the default rules whose group or left side holds a word the site names with !", () => {
    const merged = corpusSynonyms("!umzug\n!Abfall\nMüll, Kehricht\n", SYNONYMS_FILE, defaults);
    expect(Object.fromEntries(merged)).toEqual({
      kita: [["kindertagesstätte"]],
      kindertagesstätte: [["kita"]],
      müll: [["kehricht"]],
      kehricht: [["müll"]],
      kindertagesstaette: [["kita"]],
      muell: [["kehricht"]],
    });
    // The right side of a one-way rule is not its left: !Ummeldung names no rule.
    expect(() => corpusSynonyms("!Ummeldung\n", SYNONYMS_FILE, defaults)).toThrow(
      "synonyms.txt:1: !ummeldung matches no rule of the default list (index-builder/data/verwaltung-synonyme.txt)",
    );
  });

  it.each([
    ["Kita, Kinderhaus\n!Kita, Krippe\n", 'synonyms.txt:2: "!Kita, Krippe" should name one word to remove: !Wort'],
    ["!\n", 'synonyms.txt:1: "!" should name one word to remove: !Wort'],
    ["!Kita Krippe\n", 'synonyms.txt:1: "!Kita Krippe" should name one word to remove'],
  ])("rejects the removal %j", (text, message) => {
    expect(() => corpusSynonyms(text, SYNONYMS_FILE, defaults)).toThrow(CorpusError);
    expect(() => corpusSynonyms(text, SYNONYMS_FILE, defaults)).toThrow(message);
  });

  it("allows no removal in the default list", () => {
    expect(() => parseSynonymFile("!Kita\n", "default.txt", false)).toThrow(
      "default.txt:1: a removal (!Wort) belongs in a site's synonyms.txt",
    );
  });
});

describe("synonyms in search", () => {
  const scratch = mkdtempSync(join(tmpdir(), "fundstelle-synonyms-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function searchIn(files: Record<string, string>) {
    const dir = join(scratch, `case-${Object.keys(files).length}-${Math.random().toString(36).slice(2)}`);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const artifact = buildArtifact(await readCorpus(dir), null, "test");
    const index = loadIndex(artifactModule(artifact));
    // Neither completion nor typo variants: only the words and their synonyms.
    return (q: string) =>
      search(index, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: 0, prefix: false, group: "document" }).hits.map(
        (hit) => hit.doc.id,
      );
  }

  const pages = {
    "amt/ausweis.md": "# Ausweis beantragen\n\nDen Personalausweis beantragen Sie im Bürgerbüro.\n",
    "amt/perso.md": "# Kurz erklärt\n\nDer Perso ist in zehn Minuten beantragt.\n",
    "amt/hund.md": "# Hunde\n\nDie Hundesteuermarke ist am Halsband zu tragen.\n",
    "amt/kinder.md": "# Betreuung\n\nPlätze in der Kindertagesstätte vergibt das Jugendamt.\n",
  };

  it("finds the administration's word for the citizen's: Perso, Hundemarke, Kita", async () => {
    const find = await searchIn(pages);
    expect(find("Perso")).toEqual(["amt/perso", "amt/ausweis"]);
    expect(find("Hundemarke")).toEqual(["amt/hund"]);
    expect(find("Kita")).toEqual(["amt/kinder"]);
  });

  it("does not turn a one-way rule around, and a site's !Wort switches a default rule off", async () => {
    expect((await searchIn(pages))("Personalausweis")).toEqual(["amt/ausweis"]);
    expect((await searchIn({ ...pages, "synonyms.txt": "!Kita\n" }))("Kita")).toEqual([]);
    // Without its rule, "Hundemarke" still finds the page through its parts (hunde, marke: see plan.ts partsOf).
    expect((await searchIn({ ...pages, "synonyms.txt": "!Hundemarke\n" }))("Hundemarke")).toEqual(["amt/hund"]);
  });
});
