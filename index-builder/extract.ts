// Binary documents (PDF, .docx, .odt): the reader for each extension, and their extractions cached by content hash so
// that a rebuild does not extract an unchanged file again.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./artifact-files.js";
import { builderHash } from "./build.js";
import type { BinaryLimits, BinaryReader, Extraction } from "./readers/binary.js";
import { readDocx, readOdt } from "./readers/office.js";
import { readPdf } from "./readers/pdf.js";

/** The reader of each binary document extension, and the kind its documents have unless their collection names one. */
export const BINARY_READERS: ReadonlyMap<string, { read: BinaryReader; kind: string }> = new Map([
  [".pdf", { read: readPdf, kind: "PDF" }],
  [".docx", { read: readDocx, kind: "DOCX" }],
  [".odt", { read: readOdt, kind: "ODT" }],
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
}

export function emptyExtractionStats(): ExtractionStats {
  return { files: 0, pages: 0, ms: 0, cached: 0 };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

let extractorKey: string | undefined;

/** What an extraction depends on besides the file: the builder's code and the extracting libraries' versions. */
function extractorVersion(): string {
  extractorKey ??= `${builderHash()} pdfjs-dist ${packageVersion("pdfjs-dist")} mammoth ${packageVersion("mammoth")}`;
  return extractorKey;
}

/**
 * Extracts one binary document, from `cacheDir` when this file's bytes were extracted before by the same code and
 * with the same limits. The cache holds one JSON file per extraction, named by a hash of all of that; a file that
 * cannot be read or parsed is extracted again, and a cache that cannot be written only costs time.
 */
export async function extractCached(
  read: BinaryReader,
  bytes: Uint8Array,
  limits: BinaryLimits,
  cacheDir: string | undefined,
  stats: ExtractionStats,
): Promise<Extraction> {
  const key = createHash("sha256").update(`${extractorVersion()}\0${limits.maxBytes}\0${limits.maxPages}\0`).update(bytes).digest("hex");
  const path = cacheDir === undefined ? undefined : join(cacheDir, "extract", `${key}.json`);
  if (path !== undefined) {
    try {
      const cached = JSON.parse(readFileSync(path, "utf8")) as Extraction;
      stats.cached++;
      return cached;
    } catch {}
  }
  const started = performance.now();
  const extraction = await read(bytes, limits);
  stats.ms += performance.now() - started;
  stats.files++;
  if ("document" in extraction) stats.pages += extraction.document.pages;
  if (path !== undefined) {
    try {
      mkdirSync(join(cacheDir as string, "extract"), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(extraction));
      renameSync(temporary, path);
    } catch {}
  }
  return extraction;
}
