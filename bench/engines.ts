// Search engines compared in the relevance benchmark, each configured as its documentation suggests for German.
import { createRequire } from "node:module";
import { stemmer as germanStemmer } from "@orama/stemmers/german";
import MiniSearch from "minisearch";
import { artifactModule } from "../index-builder/artifact-files.js";
import type { Artifact } from "../index-builder/build.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { search as fundstelleSearch } from "../worker/search/search.js";

const require = createRequire(import.meta.url);

/** One entry as every engine indexes it: a paragraph, or at page level a whole page (title and all its paragraphs). */
export interface BenchEntry {
  id: string;
  title: string;
  text: string;
}

export interface Engine {
  name: string;
  /** The ids of the best `limit` (default 10) entries for a query, best first. */
  search(query: string, limit?: number): string[];
  /**
   * The ids of the best 10 pages (documents) for a query, for an engine that groups its paragraph hits by page
   * itself; the benchmark ranks pages for the others from their paragraph ranking or an index of whole pages.
   */
  searchPages?(query: string): string[];
}

/** Builds an engine on the given entries; fundstelle ignores them and loads the prebuilt artifact instead. */
export type EngineFactory = (entries: BenchEntry[], artifact: Artifact) => Engine | Promise<Engine>;

/** MiniSearch over title and text, searched with prefix and fuzzy 0.2; `processTerm` replaces its own (lower case). */
export function miniSearchEngine(entries: BenchEntry[], name: string, processTerm?: (term: string) => string): Engine {
  const ms = new MiniSearch<BenchEntry>({ fields: ["title", "text"], storeFields: [], ...(processTerm ? { processTerm } : {}) });
  ms.addAll(entries);
  return {
    name,
    search: (q, limit = 10) =>
      ms
        .search(q, { prefix: true, fuzzy: 0.2 })
        .slice(0, limit)
        .map((r) => r.id as string),
  };
}

export const ENGINES: Record<string, EngineFactory> = {
  fundstelle: (_entries, artifact) => {
    const index = loadIndex(artifactModule(artifact));
    const request = (q: string, limit: number) => ({ q, limit, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true }) as const;
    return {
      name: "fundstelle",
      search: (q, limit = 10) => fundstelleSearch(index, request(q, limit)).hits.map((h) => h.id),
      searchPages: (q) => fundstelleSearch(index, { ...request(q, 10), group: "document" }).hits.map((h) => h.doc.id),
    };
  },

  minisearch: (entries) => miniSearchEngine(entries, "MiniSearch (prefix, fuzzy 0.2)"),

  lunr: (entries) => {
    const lunr = require("lunr");
    require("lunr-languages/lunr.stemmer.support")(lunr);
    require("lunr-languages/lunr.de")(lunr);
    const idx = lunr(function (this: {
      use: (p: unknown) => void;
      ref: (f: string) => void;
      field: (f: string, o?: unknown) => void;
      add: (d: unknown) => void;
    }) {
      this.use(lunr.de);
      this.ref("id");
      this.field("title", { boost: 2 });
      this.field("text");
      for (const entry of entries) this.add(entry);
    });
    return {
      name: "lunr + lunr-languages de",
      search: (q, limit = 10) => {
        const tokens = (lunr.tokenizer(q) as { toString(): string }[]).map((t) => t.toString()).filter((t) => t !== "");
        const results = idx.query((query: { term: (t: string, o?: unknown) => void }) => {
          tokens.forEach((token, i) => {
            query.term(token, {});
            // As you type: the last word also matches as a prefix.
            if (i === tokens.length - 1) query.term(token, { wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5, usePipeline: false });
          });
        }) as { ref: string }[];
        return results.slice(0, limit).map((r) => r.ref);
      },
    };
  },

  orama: async (entries) => {
    // Imported by name: the benchmark's engines live in bench/node_modules, which type checks do not need.
    const oramaPackage = "@orama/orama";
    const {
      create,
      insertMultiple,
      search: oramaSearch,
    } = (await import(oramaPackage)) as {
      create: (options: unknown) => unknown;
      insertMultiple: (db: unknown, docs: unknown[], batch?: number) => Promise<unknown>;
      search: (db: unknown, params: unknown) => unknown;
    };
    const db = create({
      schema: { pid: "string", title: "string", text: "string" } as const,
      components: { tokenizer: { language: "german", stemming: true, stemmer: germanStemmer } },
    });
    await insertMultiple(
      db,
      entries.map((e) => ({ pid: e.id, title: e.title, text: e.text })),
      1000,
    );
    return {
      name: "Orama (German stemmer)",
      search: (q, limit = 10) => {
        const result = oramaSearch(db, { term: q, properties: ["title", "text"], boost: { title: 2 }, limit }) as {
          hits: { document: { pid: string } }[];
        };
        return result.hits.map((h) => h.document.pid);
      },
    };
  },

  flexsearch: async (entries) => {
    const FlexSearch = require("flexsearch");
    const de = require("flexsearch/lang/de");
    const index = new FlexSearch.Document({
      document: { id: "num", index: ["title", "text"] },
      tokenize: "forward",
      encoder: new FlexSearch.Encoder(FlexSearch.Charset.LatinBalance, de),
    });
    entries.forEach((e, num) => {
      index.add({ num, title: e.title, text: e.text });
    });
    return {
      name: "FlexSearch (German pack)",
      search: (q, limit = 10) => {
        const results = index.search(q, { limit, merge: true, suggest: true }) as { id: number }[];
        return results.slice(0, limit).map((r) => entries[r.id]?.id ?? "");
      },
    };
  },

  sqlite: (entries) => {
    const Database = require("better-sqlite3");
    const db = new Database(":memory:");
    db.exec("CREATE VIRTUAL TABLE p USING fts5(pid UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')");
    const insert = db.prepare("INSERT INTO p (pid, title, text) VALUES (?, ?, ?)");
    db.transaction(() => {
      for (const e of entries) insert.run(e.id, e.title, e.text);
    })();
    const select = db.prepare("SELECT pid FROM p WHERE p MATCH ? ORDER BY bm25(p, 0, 2, 1) LIMIT ?");
    return {
      name: "SQLite FTS5 (unicode61, bm25)",
      search: (q, limit = 10) => {
        const tokens = q.match(/[\p{L}\p{N}]+/gu) ?? [];
        if (tokens.length === 0) return [];
        const match = tokens.map((t, i) => `"${t}"${i === tokens.length - 1 ? "*" : ""}`).join(" OR ");
        return (select.all(match, limit) as { pid: string }[]).map((r) => r.pid);
      },
    };
  },
};
