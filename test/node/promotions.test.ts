// Promoted results: corpus/promotions.txt read by the builder (errors name file and line), and the API showing the
// promoted pages first, marked, with paging, filters and totals that add up; one index and shards alike.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { promotionKey } from "../../common/promotions.js";
import { artifactModule, readArtifact, writeShardedBuild } from "../../index-builder/artifact-files.js";
import { buildArtifact, buildShards } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp, createBackendApp } from "../../worker/app.js";
import { shardedBackend } from "../../worker/router.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import type { SearchResponse } from "../../worker/search/search.js";
import { inProcessShard, shardWorker } from "../../worker/shard.js";
import { corpusErrorOfAsync } from "./corpus-error-of.js";
import { scratchCorpora } from "./scratch-corpus.js";

const corpusWith = scratchCorpora("promotions");

const html = (title: string, text: string, head = "") =>
  `<!doctype html><html><head><title>${title}</title>${head}</head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;

/** A town hall's pages: the statute says "Hundesteuer" most often, the service page is what citizens need. */
const TOWN = {
  "stadt/collection.json": '{"title": "Musterhausen", "baseUrl": "https://www.musterhausen.de/"}',
  "stadt/satzung-hundesteuer.html": html(
    "Satzung über die Hundesteuer",
    "Hundesteuer: Die Hundesteuer beträgt 96 Euro. Hundesteuer wird jährlich erhoben. § 1 Hundesteuer.",
    '<meta name="kind" content="Satzung">',
  ),
  "stadt/buergerservice/hundesteuer.html": html(
    "Tier anmelden",
    "Melden Sie Ihr Tier innerhalb von zwei Wochen beim Bürgerbüro an, persönlich, schriftlich oder online mit dem Formular. Sie erhalten eine Marke, die das Tier sichtbar trägt. Sie zahlen jährlich zum 1. Juli per Überweisung oder Lastschrift. Wer ein Tier aus dem Tierheim aufnimmt, zahlt im ersten Jahr keine Hundesteuer.",
  ),
  "stadt/buergerservice/kontakt.html": html("Kontakt", "Rathaus Musterhausen, Marktplatz 1, Telefon 0123 4567."),
  "stadt/abfall.html": html("Abfallkalender", "Die Müllabfuhr kommt dienstags; Sperrmüll auf Anfrage."),
  "stadt/hunde-1.html": html("Hundewiese", "Hundesteuer und Hundewiese am Stadtpark."),
  "stadt/hunde-2.html": html("Hundeschule", "Hundesteuer ermäßigt nach der Hundeschule."),
};

const PROMOTIONS = [
  "# Was Bürgerinnen und Bürger suchen => die Seite, die sie brauchen",
  "Hundesteuer, Hundemarke => /buergerservice/hundesteuer",
  "Müll => stadt/abfall, https://www.musterhausen.de/buergerservice/kontakt",
  "Öffnungszeiten Rathaus => stadt/buergerservice/kontakt.html",
].join("\n");

async function appOf(files: Record<string, string>) {
  const index = loadIndex(artifactModule(buildArtifact(await readCorpus(corpusWith(files)), null, "test")));
  return createApp(() => index);
}

async function get(app: { request: (path: string) => Response | Promise<Response> }, path: string): Promise<SearchResponse> {
  const response = await app.request(path);
  expect(response.status).toBe(200);
  return (await response.json()) as SearchResponse;
}

const ids = (answer: SearchResponse) => answer.hits.map((hit) => `${hit.doc.id}${hit.promoted ? " (promoted)" : ""}`);

describe("a promoted query's normal form", () => {
  it("is one for case, umlaut spellings, punctuation, stop words and word order", () => {
    expect(new Set(["Müll", "muell", "Müll?", "MÜLL", "der Müll"].map(promotionKey))).toEqual(new Set(["mull"]));
    expect(promotionKey("Kita Kosten")).toBe(promotionKey("Kosten der Kita"));
    expect(promotionKey("Öffnungszeit")).toBe(promotionKey("Öffnungszeiten"));
    expect(promotionKey("Hundesteuer")).not.toBe(promotionKey("Hundesteuermarke"));
    expect(promotionKey("die und der")).toBe("");
  });
});

describe("promotions.txt read by the builder", () => {
  it("names pages by id, corpus path, site path or URL, and puts the rules in the manifest by key", async () => {
    const artifact = buildArtifact(await readCorpus(corpusWith({ ...TOWN, "promotions.txt": PROMOTIONS })), null, "test");
    expect(artifact.manifest.promotions).toEqual([
      [promotionKey("Hundemarke"), ["stadt/buergerservice/hundesteuer"]],
      [promotionKey("Hundesteuer"), ["stadt/buergerservice/hundesteuer"]],
      ["mull", ["stadt/abfall", "stadt/buergerservice/kontakt"]],
      [promotionKey("Öffnungszeiten Rathaus"), ["stadt/buergerservice/kontakt"]],
    ]);
  });

  it("leaves the manifest as it was without a promotions file", async () => {
    const artifact = buildArtifact(await readCorpus(corpusWith(TOWN)), null, "test");
    expect(artifact.files.manifest).not.toContain("promotions");
  });

  it.each([
    ["Hundesteuer => stadt/hundesteuer-neu", 'promotions.txt:1: no page is "stadt/hundesteuer-neu"'],
    [
      "# Kommentar\nHundesteuer => /buergerservice/hundesteuer\nhundesteuer? => stadt/abfall",
      'promotions.txt:3: "hundesteuer?" is promoted already on line 2',
    ],
    ["Müll, muell => stadt/abfall", 'promotions.txt:1: "muell" and "Müll" are one query'],
    ["Hundesteuer stadt/abfall", 'promotions.txt:1: a rule is queries, "=>", then the pages'],
    ["Hundesteuer => stadt/abfall => stadt/abfall", 'promotions.txt:1: a rule has one "=>"'],
    ["Hundesteuer => stadt/abfall, , stadt/hunde-1", "promotions.txt:1: an entry is empty"],
    ["die und => stadt/abfall", 'promotions.txt:1: "die und" has no word to search for'],
    [
      "Eins Zwei Drei Vier Fünf Sechs Sieben Acht Neun Zehn Elf Zwölf Dreizehn => stadt/abfall",
      'promotions.txt:1: "Eins Zwei Drei Vier Fünf Sechs Sieben Acht Neun Zehn Elf Zwölf Dreizehn" has more than 12 words',
    ],
    ["Müll => /abfall#termine", 'promotions.txt:1: "/abfall#termine" names a section'],
    ["Müll # der Abfall => stadt/abfall", 'promotions.txt:1: its "=>" stands after a "#"'],
    ["Müll => stadt/abfall, stadt/abfall.html", "promotions.txt:1: the page stadt/abfall is named twice"],
    [
      "Hund => stadt/abfall, stadt/hunde-1, stadt/hunde-2, stadt/satzung-hundesteuer, stadt/buergerservice/kontakt, stadt/buergerservice/hundesteuer",
      "promotions.txt:1: a rule promotes at most 5 pages, this one 6",
    ],
  ])("refuses a bad rule, naming the file and line: %s", async (rules, message) => {
    const error = await corpusErrorOfAsync(readCorpus(corpusWith({ ...TOWN, "promotions.txt": rules })));
    expect(error.message.startsWith(message)).toBe(true);
  });

  it("refuses a file that is not UTF-8, naming it", async () => {
    const latin1 = Uint8Array.from([...Buffer.from("M"), 0xfc, ...Buffer.from("ll => stadt/abfall\n")]);
    const error = await corpusErrorOfAsync(readCorpus(corpusWith({ ...TOWN, "promotions.txt": latin1 as unknown as string })));
    expect(error.message).toMatch(/^promotions\.txt.*UTF-8/);
  });
});

describe("promoted results in search", async () => {
  const plain = await appOf(TOWN);
  const app = await appOf({ ...TOWN, "promotions.txt": PROMOTIONS });

  it("shows the promoted page first, marked, once, for every spelling of the query, in pages and paragraphs", async () => {
    const before = await get(plain, "/search?q=Hundesteuer&group=document");
    expect(ids(before)[0]).toBe("stadt/satzung-hundesteuer");
    for (const q of ["Hundesteuer", "hundesteuer", "HUNDESTEUER!", "die Hundesteuer"]) {
      const after = await get(app, `/search?q=${encodeURIComponent(q)}&group=document`);
      expect(ids(after)[0]).toBe("stadt/buergerservice/hundesteuer (promoted)");
      expect(ids(after).filter((id) => id.startsWith("stadt/buergerservice/hundesteuer"))).toHaveLength(1);
      // The rest ranked as before, the promoted page taken out.
      expect(ids(after).slice(1)).toEqual(ids(before).filter((id) => id !== "stadt/buergerservice/hundesteuer"));
      expect(after.total).toBe(before.total);
    }
    const paragraphs = await get(app, "/search?q=Hundesteuer");
    expect(paragraphs.hits[0]?.promoted).toBe(true);
    expect(paragraphs.hits[0]?.snippetHtml).toContain("<mark>Hundesteuer</mark>");
    expect(paragraphs.hits.slice(1).every((hit) => hit.promoted === undefined)).toBe(true);
  });

  it("shows a promoted page that holds none of the words by its lead, unmarked, and counts it in total", async () => {
    // "Müll" matches the calendar's "Sperrmüll"; the contact page holds no such word.
    const before = await get(plain, "/search?q=M%C3%BCll&group=document&fuzzy=0");
    const after = await get(app, "/search?q=muell&group=document&fuzzy=0");
    expect(ids(after).slice(0, 2)).toEqual(["stadt/abfall (promoted)", "stadt/buergerservice/kontakt (promoted)"]);
    const contact = after.hits[1];
    expect(contact?.score).toBe(0);
    expect(contact?.highlights).toEqual([]);
    expect(contact?.snippetHtml).toContain("Rathaus Musterhausen");
    expect(contact?.sections?.[0]?.url).toBe("https://www.musterhausen.de/buergerservice/kontakt.html");
    expect(after.total).toBe(before.total + 1);
  });

  it("goes on after the promoted pages on the next page, without repeating or skipping a page", async () => {
    const all = await get(app, "/search?q=Hundesteuer&group=document&limit=50");
    const pages: string[] = [];
    for (let offset = 0; offset < all.total; offset += 2)
      pages.push(...ids(await get(app, `/search?q=Hundesteuer&group=document&limit=2&offset=${offset}`)));
    expect(pages).toEqual(ids(all));
  });

  it("counts facets over every match, the promoted pages among them", async () => {
    for (const path of [
      "/search?q=Hundesteuer&group=document&facets=kind,collection",
      "/search?q=Hundesteuer&facets=kind&limit=2&offset=1",
    ]) {
      expect((await get(app, path)).facets).toEqual((await get(plain, path)).facets);
    }
  });

  it("leaves a promoted page out where the filters do", async () => {
    const filtered = await get(app, "/search?q=Hundesteuer&group=document&kind=Satzung");
    expect(ids(filtered)).toEqual(["stadt/satzung-hundesteuer"]);
    const dated = await get(app, "/search?q=M%C3%BCll&from=2020-01-01");
    expect(dated.hits).toEqual([]);
  });

  it("does nothing for a query that is only like a promoted one", async () => {
    expect(ids(await get(app, "/search?q=Hundesteuer%20Satzung&group=document"))).toEqual(
      ids(await get(plain, "/search?q=Hundesteuer%20Satzung&group=document")),
    );
  });
});

describe("promoted results through shards", async () => {
  const corpus = await readCorpus(corpusWith({ ...TOWN, "promotions.txt": PROMOTIONS }));
  const out = mkdtempSync(join(tmpdir(), "fundstelle-promotion-shards-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  writeShardedBuild(buildShards(corpus, 3, null, "test"), out);
  const shardApps = Array.from({ length: 3 }, (_, i) => shardWorker(readArtifact(join(out, `shard-${i}`))));
  const router = createBackendApp(shardedBackend(shardApps.map((shard) => inProcessShard(shard.service))));
  const single = createApp(() => loadIndex(artifactModule(buildArtifact(corpus, null, "test"))));

  it.each(["/search?q=Hundesteuer&group=document", "/search?q=muell&fuzzy=0", "/search?q=Hundemarke&group=document&limit=1&offset=1"])(
    "answer as one index does: %s",
    async (path) => {
      expect(await get(router, path)).toEqual(await get(single, path));
    },
  );
});

describe("the help a search without results offers", () => {
  it("holds the project's links (package.json's fundstelle.noResults) in the answer, and nothing when something is found", async () => {
    const links = [
      { title: "Alle Dienstleistungen A–Z", url: "/buergerservice" },
      { title: "Kontakt", url: "https://www.musterhausen.de/buergerservice/kontakt.html" },
    ];
    const corpus = await readCorpus(corpusWith(TOWN), undefined, { noResults: { links, popular: true } });
    const artifact = buildArtifact(corpus, null, "test");
    expect(artifact.manifest.noResults).toEqual({ links, popular: true });
    const index = loadIndex(artifactModule(artifact));
    const app = createApp(() => index);
    expect((await get(app, "/search?q=Xylophonquartett")).help).toEqual({ links, popular: [] });
    expect((await get(app, "/search?q=Hundesteuer")).help).toBeUndefined();
    // Without links and without insights there is nothing to offer.
    expect((await get(await appOf(TOWN), "/search?q=Xylophonquartett")).help).toBeUndefined();
    // The links are part of the index's version: changing them rebuilds.
    const other = await readCorpus(corpusWith(TOWN), undefined, { noResults: { links: links.slice(1), popular: true } });
    expect(buildArtifact(other, null, "test").manifest.version).not.toBe(artifact.manifest.version);
  });
});
