// Search engines compared in the relevance benchmark, each configured as its documentation suggests for German.
import { createRequire } from "node:module";
import { stemmer as germanStemmer } from "@orama/stemmers/german";
import MiniSearch from "minisearch";
import { type Artifact, artifactModule } from "../index-builder/build.js";
import { loadIndex } from "../worker/search/loaded-index.js";
import { search as fundstelleSearch } from "../worker/search/search.js";

const require = createRequire(import.meta.url);

/** One paragraph as every engine sees it. */
export interface BenchParagraph {
  id: string;
  title: string;
  text: string;
}

export interface Engine {
  name: string;
  /** Top 10 paragraph ids for a query, best first. */
  search(query: string): string[];
}

export type EngineFactory = (paragraphs: BenchParagraph[], artifact: Artifact) => Engine | Promise<Engine>;

export const ENGINES: Record<string, EngineFactory> = {
  fundstelle: (_paragraphs, artifact) => {
    const index = loadIndex(artifactModule(artifact));
    return {
      name: "fundstelle",
      search: (q) =>
        fundstelleSearch(index, { q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true }).hits.map((h) => h.id),
    };
  },

  minisearch: (paragraphs) => {
    const ms = new MiniSearch<BenchParagraph>({ fields: ["title", "text"], storeFields: [] });
    ms.addAll(paragraphs);
    return {
      name: "MiniSearch (prefix, fuzzy 0.2)",
      search: (q) =>
        ms
          .search(q, { prefix: true, fuzzy: 0.2 })
          .slice(0, 10)
          .map((r) => r.id as string),
    };
  },

  lunr: (paragraphs) => {
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
      for (const p of paragraphs) this.add(p);
    });
    return {
      name: "lunr + lunr-languages de",
      search: (q) => {
        const tokens = (lunr.tokenizer(q) as { toString(): string }[]).map((t) => t.toString()).filter((t) => t !== "");
        const results = idx.query((query: { term: (t: string, o?: unknown) => void }) => {
          tokens.forEach((token, i) => {
            query.term(token, {});
            // As you type: the last word also matches as a prefix.
            if (i === tokens.length - 1) query.term(token, { wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5, usePipeline: false });
          });
        }) as { ref: string }[];
        return results.slice(0, 10).map((r) => r.ref);
      },
    };
  },

  orama: async (paragraphs) => {
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
      paragraphs.map((p) => ({ pid: p.id, title: p.title, text: p.text })),
      1000,
    );
    return {
      name: "Orama (German stemmer)",
      search: (q) => {
        const result = oramaSearch(db, { term: q, properties: ["title", "text"], boost: { title: 2 }, limit: 10 }) as {
          hits: { document: { pid: string } }[];
        };
        return result.hits.map((h) => h.document.pid);
      },
    };
  },

  flexsearch: async (paragraphs) => {
    const FlexSearch = require("flexsearch");
    const de = require("flexsearch/lang/de");
    const index = new FlexSearch.Document({
      document: { id: "num", index: ["title", "text"] },
      tokenize: "forward",
      encoder: new FlexSearch.Encoder(FlexSearch.Charset.LatinBalance, de),
    });
    paragraphs.forEach((p, num) => {
      index.add({ num, title: p.title, text: p.text });
    });
    return {
      name: "FlexSearch (German pack)",
      search: (q) => {
        const results = index.search(q, { limit: 10, merge: true, suggest: true }) as { id: number }[];
        return results.slice(0, 10).map((r) => paragraphs[r.id]?.id ?? "");
      },
    };
  },

  sqlite: (paragraphs) => {
    const Database = require("better-sqlite3");
    const db = new Database(":memory:");
    db.exec("CREATE VIRTUAL TABLE p USING fts5(pid UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')");
    const insert = db.prepare("INSERT INTO p (pid, title, text) VALUES (?, ?, ?)");
    db.transaction(() => {
      for (const p of paragraphs) insert.run(p.id, p.title, p.text);
    })();
    const select = db.prepare("SELECT pid FROM p WHERE p MATCH ? ORDER BY bm25(p, 0, 2, 1) LIMIT 10");
    return {
      name: "SQLite FTS5 (unicode61, bm25)",
      search: (q) => {
        const tokens = q.match(/[\p{L}\p{N}]+/gu) ?? [];
        if (tokens.length === 0) return [];
        const match = tokens.map((t, i) => `"${t}"${i === tokens.length - 1 ? "*" : ""}`).join(" OR ");
        return (select.all(match) as { pid: string }[]).map((r) => r.pid);
      },
    };
  },
};
