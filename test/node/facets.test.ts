// Facets (collection, kind, year) with counts over every match, and "Meinten Sie …?" corrections: on a generated
// site of several collections, kinds and years, read and built by the real builder, in process and sharded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { artifactModule, readArtifact, writeShardedBuild } from "../../index-builder/artifact-files.js";
import { buildArtifact, buildShards } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp, createBackendApp } from "../../worker/app.js";
import { shardedBackend } from "../../worker/router.js";
import { FACET_NAMES, type FacetName } from "../../worker/search/facets.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { type SearchRequest, search } from "../../worker/search/search.js";
import { inProcessShard, shardWorker } from "../../worker/shard.js";

// "Satzung" and "Sitzung" are one edit apart: each is a typo variant of the other.
const WORDS = [
  "Abfall",
  "Biotonne",
  "Bürgeramt",
  "Ausweis",
  "Öffnungszeiten",
  "Parkausweis",
  "Hundesteuer",
  "Satzung",
  "Sitzung",
  "Trauung",
];
const KINDS = ["Artikel", "Formular", "Pressemitteilung", null];
const YEARS = ["2021", "2023", "2024", null];
const COLLECTIONS = [
  ["stadt", "Stadt Musterhausen"],
  ["kreis", "Landkreis Beispiel"],
  ["land", null],
] as const;

/** Every value each facet can take on this site. */
const DOMAIN: Record<FacetName, string[]> = {
  collection: COLLECTIONS.map(([id]) => id),
  kind: KINDS.filter((k): k is string => k !== null),
  year: YEARS.filter((y): y is string => y !== null),
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A deterministic pseudo-random site: 60 documents over three collections (one without collection.json). */
function siteCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-facets-"));
  dirs.push(dir);
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // The high bits: an LCG's low bits repeat with short periods.
    return Math.floor(seed / 65536) % n;
  };
  COLLECTIONS.forEach(([id, title], c) => {
    mkdirSync(join(dir, id));
    if (title !== null) writeFileSync(join(dir, id, "collection.json"), JSON.stringify({ title }));
    const lines = Array.from({ length: 20 }, (_, d) => {
      const kind = KINDS[next(KINDS.length)];
      const year = YEARS[next(YEARS.length)];
      const paragraphs = Array.from({ length: 1 + next(3) }, () =>
        Array.from({ length: 3 + next(4) }, () => WORDS[next(WORDS.length)]).join(" und "),
      );
      return JSON.stringify({
        id: `seite-${c}-${d}`,
        title: `Seite ${d} über ${WORDS[next(WORDS.length)]}`,
        paragraphs,
        ...(kind ? { kind } : {}),
        ...(year ? { date: `${year}-0${1 + next(9)}-1${next(9)}` } : {}),
      });
    });
    writeFileSync(join(dir, id, "seiten.jsonl"), `${lines.join("\n")}\n`);
  });
  return dir;
}

const corpus = await readCorpus(siteCorpus());
const index = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));

const request = (q: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({
  q,
  limit: 10,
  offset: 0,
  sort: "relevance",
  fuzzy: 0,
  prefix: true,
  ...extra,
});

/** The request restricted to `value` of facet `name`, its other filters kept. */
function refined(base: SearchRequest, name: FacetName, value: string): SearchRequest {
  if (name === "collection") return { ...base, collection: value, facets: undefined };
  if (name === "kind") return { ...base, kind: value, facets: undefined };
  return { ...base, from: `${value}-01-01`, to: `${value}-12-31`, facets: undefined };
}

describe("facets", () => {
  it("count, for each value, exactly the matches that choosing it gives, other filters kept, typo pass or not (property)", () => {
    fc.assert(
      fc.property(
        // Words of the site, and misspelt ones, which the typo pass finds.
        fc.subarray([...WORDS, "Biotone", "Hundestuer", "Ausweiss"], { minLength: 1, maxLength: 2 }),
        fc.option(fc.constantFrom("stadt", "kreis", "land"), { nil: undefined }),
        fc.option(fc.constantFrom("Artikel", "Formular", "Pressemitteilung"), { nil: undefined }),
        fc.option(fc.constantFrom("2021", "2023", "2024"), { nil: undefined }),
        fc.boolean(),
        fc.constantFrom(0 as const, "auto" as const),
        fc.integer({ min: 1, max: 12 }),
        (words, collection, kind, year, pages, fuzzy, limit) => {
          const base = request(words.join(" "), {
            collection,
            kind,
            ...(year ? { from: `${year}-01-01`, to: `${year}-12-31` } : {}),
            group: pages ? "document" : undefined,
            facets: [...FACET_NAMES],
            fuzzy,
            limit,
          });
          const answer = search(index, base);
          expect(search(index, { ...base, facets: undefined }).total).toBe(answer.total);
          for (const name of FACET_NAMES) {
            const values = answer.facets?.[name] ?? [];
            const counts = new Map(values.map((v) => [v.value, v.count]));
            // Every value there is: those not answered would give nothing.
            for (const value of DOMAIN[name]) {
              expect(counts.get(value) ?? 0, `${name}=${value}`).toBe(search(index, refined(base, name, value)).total);
            }
            // Every collection value there is, unless a collection was chosen: then its matches pass the other filters.
            if (name === "collection" && collection === undefined) {
              expect(values.reduce((sum, v) => sum + v.count, 0)).toBe(answer.total);
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it("label collections by their title, or their folder's name without collection.json; years newest first", () => {
    const answer = search(index, request("Abfall", { facets: ["collection", "year"], group: "document" }));
    const labels = new Map(answer.facets?.collection?.map((v) => [v.value, v.label]));
    expect(labels.get("stadt")).toBe("Stadt Musterhausen");
    // The builder titles a collection without collection.json after its folder.
    expect(labels.get("land")).toBe(index.collectionsById.get("land")?.title);
    const years = answer.facets?.year?.map((v) => v.value) ?? [];
    expect(years).toEqual([...years].sort().reverse());
    expect(years.length).toBeGreaterThan(1);
    const counts = answer.facets?.collection?.map((v) => v.count) ?? [];
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("are absent unless asked for, and empty lists for a query without matches", () => {
    expect(search(index, request("Abfall")).facets).toBeUndefined();
    expect(search(index, request("Zzyzx", { facets: ["kind"] })).facets).toEqual({ kind: [] });
    expect(search(index, request("und", { facets: ["kind", "year"] })).facets).toEqual({ kind: [], year: [] });
  });

  it("are validated and answered through the API, in one order however they are written", async () => {
    const app = createApp(() => index);
    const bad = await app.request("/search?q=Abfall&facets=kind,colour");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_parameter", param: "facets" } });
    expect((await app.request("/search?q=Abfall&facets=kind,kind")).status).toBe(400);
    type Body = { total: number; facets: Record<string, { value: string; count: number }[]> };
    const all = (await (await app.request("/search?q=Abfall&facets=year,kind")).json()) as Body;
    expect(Object.keys(all.facets)).toEqual(["kind", "year"]);
    const kind = all.facets.kind?.[0];
    expect(kind?.count).toBeGreaterThan(0);
    const chosen = (await (await app.request(`/search?q=Abfall&facets=kind&kind=${kind?.value}`)).json()) as Body;
    expect(chosen.total).toBe(kind?.count);
    // Its own facet still shows the other kinds.
    expect(chosen.facets.kind).toEqual(all.facets.kind);
  });

  it("add up over shards to the counts of one index of everything", async () => {
    const out = mkdtempSync(join(tmpdir(), "fundstelle-facet-shards-"));
    dirs.push(out);
    writeShardedBuild(buildShards(corpus, 3, null, "test"), out);
    const shardApps = Array.from({ length: 3 }, (_, i) => shardWorker(readArtifact(join(out, `shard-${i}`))));
    const router = createBackendApp(shardedBackend(shardApps.map((shard) => inProcessShard(shard.service))));
    const single = createApp(() => loadIndex(artifactModule(buildArtifact(corpus, null, "test"))));
    for (const path of [
      "/search?q=Abfall%20Trauung&facets=collection,kind,year",
      "/search?q=Ausweis&facets=collection,kind,year&group=document&kind=Artikel",
      "/search?q=Biotonn&facets=year&from=2023-01-01&to=2023-12-31&collection=kreis",
      "/search?q=Hundestuer&facets=collection&offset=5&limit=3",
    ]) {
      const [a, b] = await Promise.all([single.request(path), router.request(path)]);
      expect(await b.json(), path).toEqual(await a.json());
    }
  });
});

describe('"Meinten Sie …?"', () => {
  it("names the corrected query when the best hit holds a word only as a typo variant, as the corpus spells it", () => {
    expect(search(index, request("Hundestuer", { fuzzy: "auto" })).correction).toBe("Hundesteuer");
    expect(search(index, request("biotone abfall", { fuzzy: "auto", prefix: false })).correction).toBe("Biotonne abfall");
  });

  it("corrects a typo that carries a combining mark composing with nothing (U+0301 after a t, U+0345), as the word it is", () => {
    expect(search(index, request("Hundest\u0301uer", { fuzzy: "auto" })).correction).toBe("Hundesteuer");
    expect(search(index, request("Hunde\u0345stuer", { fuzzy: "auto" })).correction).toBe("Hundesteuer");
  });

  it("is null when the words are found as typed, or nothing matches", () => {
    expect(search(index, request("Hundesteuer", { fuzzy: "auto" })).correction).toBeNull();
    expect(search(index, request("Zzyzx", { fuzzy: "auto" })).correction).toBeNull();
    expect(search(index, request("Hundestuer", { fuzzy: 0 })).correction).toBeNull();
  });

  it("searching the correction finds the best hit with every word as typed", () => {
    const first = search(index, request("Trauumg Bürgeramt", { fuzzy: "auto", group: "document" }));
    expect(first.correction).toBe("Trauung Bürgeramt");
    const again = search(index, request(first.correction ?? "", { fuzzy: "auto", group: "document" }));
    expect(again.correction).toBeNull();
    expect(again.partial).toBe(false);
    expect(again.hits[0]?.doc.id).toBe(first.hits[0]?.doc.id);
  });
});
