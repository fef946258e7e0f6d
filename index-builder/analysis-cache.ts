// Each document's analysis (document-analysis.ts) kept by its content, so that a rebuild analyses only the documents
// that changed: the key hashes what the analysis reads (the title, the sections' headings, each paragraph's text and
// headings) with the cache's version (build-cache.ts: the builder's code, analyzer and format versions included).
import { z } from "zod";
import { type CacheCount, CacheFolder, cacheKey } from "./build-cache.js";
import { analyseDocument, type DocumentAnalysis, isConsistentAnalysis } from "./document-analysis.js";
import type { SourceDocument } from "./source.js";

const numbers = z.custom<number[]>((value) => Array.isArray(value) && value.every((n) => typeof n === "number"));
const strings = z.custom<string[]>((value) => Array.isArray(value) && value.every((s) => typeof s === "string"));

/** A cached analysis as it must read back (the numbers are checked further by isConsistentAnalysis). */
const CachedAnalysis = z.object({ words: strings, vocabulary: numbers, title: numbers, titleParts: numbers, paragraphs: numbers });

/** Analyses documents, each from the cache under `root` when its content was analysed before by the same code. */
export class AnalysisCache {
  private readonly folder: CacheFolder;

  constructor(root: string | undefined) {
    this.folder = new CacheFolder(root, "analysis");
  }

  /** How many documents' analyses came from the cache. */
  get count(): CacheCount {
    return this.folder.count;
  }

  /** The analysis of `doc`, whose paragraphs' fields are `fields` (build.ts's indexedFields). */
  analyse(doc: SourceDocument, fields: readonly { text: string; headings: string }[]): DocumentAnalysis {
    const key = cacheKey([
      "analysis",
      doc.title,
      doc.sections.map((section) => section.heading),
      fields.map(({ text, headings }) => [text, headings]),
    ]);
    const cached = this.folder.get(key, (value) => {
      const parsed = CachedAnalysis.safeParse(value);
      return parsed.success && isConsistentAnalysis(parsed.data, fields.length) ? parsed.data : undefined;
    });
    if (cached !== undefined) return cached;
    const analysis = analyseDocument(doc, fields);
    this.folder.put(key, analysis);
    return analysis;
  }

  /** Bounds the cache after a build (see CacheFolder.prune). */
  prune(): void {
    this.folder.prune();
  }
}
