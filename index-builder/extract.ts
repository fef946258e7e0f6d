// Binary documents (PDF, .docx, .odt): the reader for each extension, and their extractions cached by content hash so
// that a rebuild does not extract an unchanged file again.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { builderHash, packageVersion } from "./builder-version.js";
import type { BinaryLimits, BinaryReader, Extraction } from "./readers/binary.js";

/**
 * The reader of each binary document extension, loaded on first use (pdf.js and mammoth take most of a second to
 * load, which a corpus without such files never pays), and the kind its documents have unless their collection
 * names one.
 */
export const BINARY_READERS: ReadonlyMap<string, { load: () => Promise<BinaryReader>; kind: string }> = new Map([
  [".pdf", { load: async () => (await import("./readers/pdf.js")).readPdf, kind: "PDF" }],
  [".docx", { load: async () => (await import("./readers/office.js")).readDocx, kind: "DOCX" }],
  [".odt", { load: async () => (await import("./readers/office.js")).readOdt, kind: "ODT" }],
]);

/** A cached extraction as it must read back: anything else (a cut-off or foreign file) is extracted again. */
const CachedExtraction = z.union([
  z.object({ problem: z.string() }),
  z.object({
    document: z.object({
      title: z.string().nullable(),
      date: z.string().nullable(),
      pages: z.number(),
      paragraphs: z.array(z.string()),
      blockKinds: z.array(z.enum(["text", "row", "list", "code"])),
      sections: z.array(z.object({ heading: z.string(), level: z.number(), anchor: z.string().nullable(), first: z.number() })),
      cells: z.array(z.array(z.tuple([z.string().nullable(), z.string()])).nullable()).optional(),
    }),
  }),
]);

/** What extracting a corpus's binary documents took, for the build's summary. */
export interface ExtractionStats {
  /** Files extracted in this run, and pages of those (PDFs). */
  files: number;
  pages: number;
  /** Milliseconds spent extracting them. */
  ms: number;
  /** Files whose extraction came from the cache. */
  cached: number;
  /** Files of those extracted that could not be read (each a warning). */
  failed: number;
}

export function emptyExtractionStats(): ExtractionStats {
  return { files: 0, pages: 0, ms: 0, cached: 0, failed: 0 };
}

let extractorKey: string | undefined;

/** What an extraction depends on besides the file: the builder's code and the extracting libraries' versions. */
function extractorVersion(): string {
  extractorKey ??= [
    builderHash(),
    ...["pdfjs-dist", "mammoth", "fflate", "htmlparser2", "domhandler", "domutils"].map((name) => `${name} ${packageVersion(name)}`),
  ].join("\0");
  return extractorKey;
}

/**
 * Extracts one binary document, from `cacheDir` when this file's bytes were extracted before by the same code and
 * with the same limits. The cache holds one JSON file per extraction, named by a hash of all of that; a file that
 * cannot be read or parsed is extracted again, and a cache that cannot be written only costs time.
 */
export async function extractCached(
  load: () => Promise<BinaryReader>,
  bytes: Uint8Array,
  limits: BinaryLimits,
  cacheDir: string | undefined,
  stats: ExtractionStats,
): Promise<Extraction> {
  const key = createHash("sha256").update(`${extractorVersion()}\0${limits.maxBytes}\0${limits.maxPages}\0`).update(bytes).digest("hex");
  const path = cacheDir === undefined ? undefined : join(cacheDir, "extract", `${key}.json`);
  if (path !== undefined) {
    try {
      const cached = CachedExtraction.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (cached.success) {
        stats.cached++;
        return cached.data;
      }
    } catch {}
  }
  const started = performance.now();
  const extraction = await (await load())(bytes, limits);
  stats.ms += performance.now() - started;
  stats.files++;
  if ("document" in extraction) stats.pages += extraction.document.pages;
  else stats.failed++;
  if (path !== undefined && !("problem" in extraction && extraction.transient === true)) {
    try {
      mkdirSync(join(cacheDir as string, "extract"), { recursive: true });
      // Written whole under a name of its own, then renamed: a build beside this one reads the old file or the new.
      const temporary = `${path}.${randomUUID()}.tmp`;
      writeFileSync(temporary, JSON.stringify(extraction));
      renameSync(temporary, path);
    } catch {}
  }
  return extraction;
}
