// The shape every reader produces, and the checks and clean-ups all readers share.
import { z } from "zod";
import { urlProblem } from "../common/safe-url.js";
import { CorpusError, type CorpusNotice, type CorpusWarning } from "./errors.js";

/** One document as read from the corpus, before indexing. */
export interface SourceDocument {
  id: string;
  title: string;
  url: string | null;
  date: string | null;
  kind: string | null;
  collection: string;
  /** Body blocks in document order; the title and headings are never among them. */
  paragraphs: string[];
  /** What each block of `paragraphs` is: parallel to it, of the same length. */
  blockKinds: BlockKind[];
  /**
   * The cells of each "row" block as the reader read them, parallel to `paragraphs` (null for other blocks), or
   * absent when the page has no table rows; see {@link rowText}. The document view builds tables from them.
   */
  cells?: (RowCells | null)[];
  /** The page's sections in order. sections[0].first === 0; `first` never decreases; the last section ends at paragraphs.length. */
  sections: SourceSection[];
  /** Where it came from, for error messages. */
  file: string;
  line?: number;
  /** The editors' weight the document gives itself (`<meta name="fundstelle:weight">`, front matter, a jsonl field); absent for none. */
  weight?: number;
  /** An HTML page's `<title>` and `<h1>` ("" when it has none), which may name the site too (see titles.ts). Not stored. */
  titleOfPage?: { title: string; h1: string };
}

/**
 * What a body block is: "text" (a paragraph, a list item too long or complex for a run, a note…), "row" (one
 * table row, its cells joined with " | " and labelled `Header: value` when the table has a header row),
 * "list" (a run of short items of one list joined with " • ") or "code" (a code block or `<pre>`).
 */
export type BlockKind = "text" | "row" | "list" | "code";

/** A table row's cells: each its header's text (null for none) and its own text. */
export type RowCells = [label: string | null, text: string][];

/**
 * A row block's text from its cells, as every reader writes it: the cells joined with " | ", each labelled by its
 * header as `Header: value`; a row of one cell is that cell's text alone. Cells of empty text are left out.
 */
export function rowText(cells: RowCells): string {
  if (cells.length === 1) return cells[0]?.[1] ?? "";
  return cells
    .filter(([, text]) => text !== "")
    .map(([label, text]) => (label ? `${label}: ${text}` : text))
    .join(" | ");
}

/**
 * The cells to keep beside a cleaned row text: those whose {@link rowText} is that text exactly (so that a view
 * can cut the text at their lengths), the cells of empty text left out; null when cleaning changed the text.
 */
export function keptCells(cells: RowCells, cleaned: string): RowCells | null {
  const kept = cells.length === 1 ? cells : cells.filter(([, text]) => text !== "");
  return rowText(kept) === cleaned ? kept.map(([label, text]): [string | null, string] => [label === "" ? null : label, text]) : null;
}

/** One section of a page: a heading and the blocks up to the next heading, or the lead before the first. */
export interface SourceSection {
  /** The heading's text (cleanText), "" for the lead: blocks before the first heading. */
  heading: string;
  /** 1–6 for h1–h6 / `#`…`######`; 0 for the lead. */
  level: number;
  /** The anchor a link to this section uses (without "#"), or null. */
  anchor: string | null;
  /** Index into `paragraphs` of the section's first block; a section without blocks has the next one's `first`. */
  first: number;
}

/** The lead section alone: the sections of a page without headings. */
export function flatSections(): SourceSection[] {
  return [{ heading: "", level: 0, anchor: null, first: 0 }];
}

/** Paragraphs of a page without headings or structure (.txt, .jsonl): every block "text", one lead section. */
export function flatBlocks(paragraphs: string[]): Pick<SourceDocument, "paragraphs" | "blockKinds" | "sections"> {
  return { paragraphs, blockKinds: paragraphs.map((): BlockKind => "text"), sections: flatSections() };
}

/** What a reader returns for one file. */
export interface ReadResult {
  documents: SourceDocument[];
  warnings: CorpusWarning[];
  /** Files or documents skipped on purpose, not for a problem (a redirect stub, a `noindex` page): never fail `--strict`. */
  notices?: CorpusNotice[];
}

/** Where a file sits: its path under corpus/ and the id and collection that follow from it. */
export interface SourceFile {
  /** Path relative to corpus/, with "/" separators. */
  path: string;
  /** The path without its extension: the document id (for .jsonl, the id prefix). */
  id: string;
  collection: string;
  /**
   * The url its collection's `baseUrl` gives the file (see {@link siteUrl}), or null/absent when the collection
   * has none or the file is JSON lines. Readers use it only for a document without a url of its own.
   */
  siteUrl?: string | null;
}

/**
 * Control characters, and the invisible characters editors and CMSs put inside words: the soft hyphen (U+00AD,
 * `Personal&shy;ausweis`), the zero-width space and non-joiner (U+200B, U+200C), the word joiner (U+2060) and a
 * stray byte order mark (U+FEFF). Left in, they would split a word in two for the analyzer. The zero-width joiner
 * (U+200D) stays: it holds emoji sequences together.
 */
const INVISIBLE_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u00AD\u200B\u200C\u2060\uFEFF]/g;

/**
 * Cleans one paragraph or title for storage: NFC, control characters and invisible characters inside words
 * removed (see {@link INVISIBLE_CHARACTERS}), every run of whitespace as one space, trimmed.
 */
export function cleanText(text: string): string {
  return text.normalize("NFC").replace(INVISIBLE_CHARACTERS, "").replace(/\s+/g, " ").trim();
}

/** Whether a cleaned paragraph carries any searchable character at all. */
export function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Whether `YYYY-MM-DD` names a real calendar day. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A German date's day, month (one or two digits each) and year as an ISO day, `2024-10-30`; unchecked. */
export function isoOfGermanDate(day: string, month: string, year: string): string {
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}

/** An optional ISO date: absent or null as null; a YAML date object accepted as its ISO day. */
export const optionalDate = z
  .union([z.string(), z.date(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null) return null;
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
    if (!isIsoDate(text)) {
      ctx.addIssue({ code: "custom", message: `date "${text}" is not a valid date in the form YYYY-MM-DD` });
      return z.NEVER;
    }
    return text;
  });

/** The range of an editor's weight (a page's, a collection's, a kind's) and of their product. */
export const WEIGHT_RANGE = { min: 0.1, max: 10 } as const;

/** Why a weight is refused, or null for a number within {@link WEIGHT_RANGE}. */
export function weightProblem(value: unknown): string | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return `weight ${JSON.stringify(value)} is not a number`;
  if (value < WEIGHT_RANGE.min || value > WEIGHT_RANGE.max)
    return `weight ${value} is outside ${WEIGHT_RANGE.min}–${WEIGHT_RANGE.max} (1 is neutral, 2 doubles a page's score, 0.5 halves it)`;
  return null;
}

/** An optional weight (see {@link weightProblem}): absent or null as null. */
export const optionalWeight = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null) return null;
    const problem = weightProblem(value);
    if (problem !== null) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return value as number;
  });

/** An optional text field: absent, null or blank as null. */
export const optionalText = z
  .string()
  .nullish()
  .transform((value) => {
    const cleaned = value == null ? "" : cleanText(value);
    return cleaned === "" ? null : cleaned;
  });

/** A required title: a string with at least one visible character. */
export const requiredTitle = z
  .string({ error: (issue) => (issue.input === undefined ? "title is missing" : "title must be a string") })
  .transform((value, ctx) => {
    const cleaned = cleanText(value);
    if (cleaned === "") {
      ctx.addIssue({ code: "custom", message: "title is empty" });
      return z.NEVER;
    }
    return cleaned;
  });

/** A value for a message: in double quotes, control characters shown as `\uXXXX`, cut after 200 characters. */
function quoted(value: string): string {
  const shown = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return `"${shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/**
 * A document or collection url from the corpus, as the builder stores it: surrounding whitespace trimmed
 * (YAML already strips it from plain values), blank as null, and then judged by the rule every reader of
 * urls shares ({@link urlProblem}: http(s) with a host, or a path with exactly one leading "/"). Returns
 * the url, or null and the problem (the url quoted, then why) when the rule refuses it.
 */
export function readUrl(value: string | null | undefined): { url: string | null; problem?: string } {
  const url = value?.trim() ?? "";
  if (url === "") return { url: null };
  const problem = urlProblem(url);
  return problem === null ? { url } : { url: null, problem: `${quoted(url)} ${problem}` };
}

/** An optional url field (see {@link readUrl}): one the rule refuses fails validation, naming the url and the problem. */
export const optionalUrl = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    const { url, problem } = readUrl(value);
    if (problem === undefined) return url;
    ctx.addIssue({ code: "custom", message: `url ${problem}` });
    return z.NEVER;
  });

/**
 * `baseUrl` of collection.json: absent, null or blank as null; otherwise judged like a document url
 * ({@link readUrl}), refused with a query or fragment (a page's path could not follow it), and given a
 * trailing "/" when it has none, since it names a folder (`https://www.example.org/hilfe` is `…/hilfe/`).
 */
export const optionalBaseUrl = z
  .string({ error: "baseUrl must be a string" })
  .nullish()
  .transform((value, ctx): string | null => {
    if (value === undefined || value === null) return null;
    const { url, problem } = readUrl(value);
    if (problem !== undefined || (url !== null && /[?#]/.test(url))) {
      const why = problem ?? `${quoted(url ?? "")} has a query or fragment (? or #): give the folder the pages are served from`;
      ctx.addIssue({ code: "custom", message: `baseUrl ${why}` });
      return z.NEVER;
    }
    if (url === null) return null;
    return url.endsWith("/") ? url : `${url}/`;
  });

/** Extensions of the files a collection's `baseUrl` gives a url: a built site's pages and files, and the sources of pages. */
export const SITE_EXTENSIONS: ReadonlySet<string> = new Set([".html", ".htm", ".md", ".txt", ".pdf", ".docx", ".odt"]);

/**
 * The path a web server serves a file at, for its path inside the collection folder (with "/" separators),
 * each segment percent-encoded with `encodeURIComponent` (spaces and umlauts included, the file name's
 * characters otherwise kept as they are, without Unicode normalisation):
 * - `.html` and `.htm` files keep their name (`a/b.html` → `a/b.html`, `a/b.htm` → `a/b.htm`);
 * - `.md` and `.txt` files are served as the `.html` page a static site generator makes of them
 *   (`a/b.md` → `a/b.html`, `a/b.txt` → `a/b.html`); the extension is matched in any case;
 * - a page that is then named exactly `index.html` or `index.htm` (lower case, as servers look for it) is
 *   its folder's page: `a/index.html` → `a/`, `a/index.md` → `a/`, and `index.html` at the top → ``.
 *
 * @example
 * servedPath("a/index.html") // "a/"
 * servedPath("Über uns.html") // "%C3%9Cber%20uns.html"
 * servedPath("a/b.md") // "a/b.html"
 */
export function servedPath(path: string): string {
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf(".");
  const extension = dot <= 0 ? "" : name.slice(dot).toLowerCase();
  const served = extension === ".md" || extension === ".txt" ? `${name.slice(0, dot)}.html` : name;
  const page = served === "index.html" || served === "index.htm" ? "" : served;
  return `${path.slice(0, slash + 1)}${page}`.split("/").map(encodeURIComponent).join("/");
}

/**
 * A file's public url from its collection's `baseUrl` (as {@link optionalBaseUrl} stores it, ending in "/")
 * and its path inside the collection folder: `baseUrl` followed by {@link servedPath}. Null, with the
 * problem, in the unlikely case that the result fails the shared url rule ({@link urlProblem}).
 *
 * @example
 * siteUrl("https://www.example.org/hilfe/", "a/index.html") // { url: "https://www.example.org/hilfe/a/" }
 */
export function siteUrl(baseUrl: string, path: string): { url: string | null; problem?: string } {
  return readUrl(`${baseUrl}${servedPath(path)}`);
}

/** Turns the first zod issue into a CorpusError naming the field. */
export function schemaError(file: string, error: z.ZodError, line?: number): CorpusError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") ?? "";
  const message = issue?.message ?? "invalid value";
  const named = field === "" || message.includes(field) ? message : `${field}: ${message}`;
  return new CorpusError(file, named, line);
}

/**
 * Splits text into blocks separated by blank lines, each with the 1-based line
 * it starts on. Line endings may be \n or \r\n.
 */
export function splitBlocks(text: string, firstLine = 1): { text: string; line: number }[] {
  const blocks: { text: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  let current: string[] = [];
  let start = firstLine;
  lines.forEach((line, index) => {
    if (line.trim() === "") {
      if (current.length > 0) blocks.push({ text: current.join("\n"), line: start });
      current = [];
    } else {
      if (current.length === 0) start = firstLine + index;
      current.push(line);
    }
  });
  if (current.length > 0) blocks.push({ text: current.join("\n"), line: start });
  return blocks;
}

/** The longest block a build keeps whole, in characters; longer ones are split (see {@link splitLongBlocks}). */
export const DEFAULT_MAX_BLOCK_LENGTH = 10_000;

/** A sentence's end and the space after it: where a long block is best cut. */
const SENTENCE_END = /[.!?…][»«"“”'’)]?\s+(?=\S)/gu;

/** Cuts one text into pieces of at most `max` characters: at the last sentence end in a piece's second half, else at its last space, else at `max`. */
function cutText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    SENTENCE_END.lastIndex = Math.floor(max / 2);
    for (let m = SENTENCE_END.exec(window); m !== null; m = SENTENCE_END.exec(window)) cut = m.index + m[0].length;
    if (cut <= 0) cut = window.lastIndexOf(" ") + 1;
    if (cut <= 0 || cut > max) cut = max;
    // Never between the halves of a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(rest.charAt(cut - 1))) cut--;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut);
  }
  if (rest.trim() !== "") pieces.push(rest.trim());
  return pieces.filter((piece) => piece !== "");
}

/**
 * Splits every block of a document longer than `max` characters into blocks of at most `max`, at sentence ends
 * where it can, so that no single block (a 7 MB paragraph of a JSON line) can make a search that hits it slow.
 * The pieces keep the block's kind and section; sections' `first` indices move with them. Changes `doc` in place;
 * returns a notice's text per split block ("paragraph 3 (6,912,345 characters) split into 692 blocks"), or none.
 */
export function splitLongBlocks(doc: Pick<SourceDocument, "paragraphs" | "blockKinds" | "sections" | "cells">, max: number): string[] {
  if (!doc.paragraphs.some((text) => text.length > max)) return [];
  const paragraphs: string[] = [];
  const blockKinds: BlockKind[] = [];
  const cells: (RowCells | null)[] = [];
  const newIndex: number[] = [];
  const notes: string[] = [];
  doc.paragraphs.forEach((text, i) => {
    newIndex.push(paragraphs.length);
    const pieces = text.length > max ? cutText(text, max) : [text];
    if (pieces.length > 1)
      notes.push(
        `paragraph ${i} (${text.length.toLocaleString("en")} characters) split into ${pieces.length} blocks of at most ${max.toLocaleString("en")}`,
      );
    for (const piece of pieces) {
      paragraphs.push(piece);
      blockKinds.push(doc.blockKinds[i] ?? "text");
      // A row cut in pieces has no cells any more: its pieces are shown as the text they are.
      cells.push(pieces.length === 1 ? (doc.cells?.[i] ?? null) : null);
    }
  });
  newIndex.push(paragraphs.length);
  doc.sections = doc.sections.map((section) => ({ ...section, first: newIndex[section.first] ?? paragraphs.length }));
  doc.paragraphs = paragraphs;
  doc.blockKinds = blockKinds;
  if (doc.cells !== undefined) doc.cells = cells;
  return notes;
}
