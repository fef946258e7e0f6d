// What the readers of binary documents (PDF, .docx, .odt) return: an extraction that is plain data (cached as JSON
// by content hash), or the reason the file is skipped.
import type { SourceDocument } from "../source.js";

/** Limits on one binary document: larger files or more pages are skipped with a warning, never read. */
export interface BinaryLimits {
  /** Largest file, in bytes. */
  maxBytes: number;
  /** Most pages of a PDF (a .docx or .odt has no pages: ignored there). */
  maxPages: number;
}

/** The defaults: 50 MiB and 500 pages (a town's budget plan is about 400). */
export const DEFAULT_BINARY_LIMITS: BinaryLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 500 };

/**
 * The text of a binary document as the builder needs it: blocks and sections as every reader gives them, a title
 * and a date from the file's metadata (or its first heading-like line) when it has them. Plain JSON data only.
 */
export interface ExtractedDocument extends Pick<SourceDocument, "paragraphs" | "blockKinds" | "sections" | "cells"> {
  /** From the metadata, else the first heading-like line; null when neither gives one (the file name stands in). */
  title: string | null;
  /** ISO `YYYY-MM-DD` from the metadata, or null. */
  date: string | null;
  /** Pages read (a PDF's), for the build's figures; 0 for formats without pages. */
  pages: number;
}

/**
 * An extraction: the document, or why the file is skipped (a sentence for a warning after the file's name), and
 * whether that depends on the run rather than the file (`transient`: a step that timed out under load).
 */
export type Extraction = { document: ExtractedDocument } | { problem: string; transient?: boolean };

/** A reader of one binary format. `bytes` is the caller's: a reader that hands it to a library that takes ownership copies it. */
export type BinaryReader = (bytes: Uint8Array, limits: BinaryLimits) => Promise<Extraction>;

/** The project settings that raise each limit, as messages name them. */
export const LIMIT_SETTINGS: Record<keyof BinaryLimits, string> = {
  maxBytes: "fundstelle.limits.fileMegabytes in package.json",
  maxPages: "fundstelle.limits.pdfPages in package.json",
};

/** A size for a message: bytes below 1 KiB, else KiB or MiB with one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The problem of a file over the size limit, as a warning names it. */
export function tooLarge(bytes: number, limit: number): string {
  return `is ${formatSize(bytes)}, more than the limit of ${formatSize(limit)}; skipped (raise ${LIMIT_SETTINGS.maxBytes} to read it)`;
}
