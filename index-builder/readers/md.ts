// Reads Markdown with optional YAML front matter: the title from it or the first heading; headings start sections.
import GithubSlugger from "github-slugger";
import type { Heading, List, ListItem, Nodes, Root, Table, TableRow } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { parseDocument } from "yaml";
import { z } from "zod";
import { CorpusError } from "../errors.js";
import {
  type BlockKind,
  cleanText,
  hasContent,
  keptCells,
  optionalDate,
  optionalText,
  optionalUrl,
  optionalWeight,
  type ReadResult,
  type RowCells,
  rowText,
  type SourceDocument,
  type SourceFile,
  type SourceSection,
  schemaError,
} from "../source.js";
import { htmlFragmentText } from "./html.js";

/** A front matter title: absent, null or blank leaves the title to the first heading; anything but text is an error. */
const optionalTitle = z
  .string({ error: "title must be a string" })
  .nullish()
  .transform((value) => {
    const cleaned = value == null ? "" : cleanText(value);
    return cleaned === "" ? null : cleaned;
  });

const frontMatterSchema = z.object({
  title: optionalTitle,
  url: optionalUrl,
  date: optionalDate,
  kind: optionalText,
  weight: optionalWeight,
});

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Reads a Markdown document. Optional front matter between `---` lines at the
 * start gives `title`, `url`, `date` and `kind`; other keys are ignored. Without
 * a `url` there, the url is the file's from its collection's `baseUrl`
 * (`source.siteUrl`), else null. The
 * title is the front matter's, else the first level-1 heading's (`# …` or
 * underlined with `===`), else the first heading's of any level (headings in
 * block quotes and lists do not count); with none of them the file is an
 * error.
 *
 * Body blocks are Markdown paragraphs and raw HTML blocks ("text"), code blocks
 * ("code"), GFM table rows ("row": the cells joined with " | ", each labelled
 * with its header cell as `Header: value`, the header row itself no block) and
 * runs of short list items ("list": items of one paragraph of at most 80
 * characters joined with " • "; a longer or complex item is read as blocks of
 * its own), inline markup reduced to its text. Headings are not blocks:
 * each `#` or setext heading of the page itself (not in a block quote or list),
 * the one that gives the title included, starts a section whose anchor is its
 * GitHub slug (github-slugger, numbered -1, -2… when repeated in the file);
 * blocks before the first heading form a lead section.
 */
/**
 * The deepest nesting of quotes a Markdown page may have, and the widest indentation (lists nest by it). The parser's
 * work grows with the square of the depth (400 nested list levels take about 4 s, 1,000 about 50 s), far past any
 * page a person writes; deeper, the page is skipped with a warning naming the line.
 */
export const MAX_MARKDOWN_DEPTH = 100;
export const MAX_MARKDOWN_INDENT = 200;

/** The first line (1-based) that nests deeper than {@link MAX_MARKDOWN_DEPTH} quotes or indents past {@link MAX_MARKDOWN_INDENT} columns, or null. */
function tooDeepLine(text: string): number | null {
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf("\n", start);
    const stop = end < 0 ? text.length : end;
    let column = 0;
    let quotes = 0;
    for (let i = start; i < stop; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x3e)
        quotes++; // ">"
      else if (c === 0x20) column++;
      else if (c === 0x09) column += 4;
      else break;
      if (quotes > MAX_MARKDOWN_DEPTH || column > MAX_MARKDOWN_INDENT) return line;
    }
    if (end < 0) break;
    start = end + 1;
    line++;
  }
  return null;
}

export function readMd(source: SourceFile, text: string): ReadResult {
  const match = FRONT_MATTER.exec(text);
  if (!match && /^---[ \t]*\r?\n/.test(text)) {
    throw new CorpusError(source.path, "front matter is not closed: add a line '---' after it", 1);
  }
  const meta = match ? readFrontMatter(source, match[1] ?? "") : { title: null, url: null, date: null, kind: null, weight: null };

  const body = match ? text.slice(match[0].length) : text;
  const tooDeep = tooDeepLine(body);
  if (tooDeep !== null) {
    const line = tooDeep + (match ? match[0].split("\n").length - 1 : 0);
    const problem = `nests quotes or lists deeper than ${MAX_MARKDOWN_DEPTH} levels (more than ${MAX_MARKDOWN_DEPTH} ">" or ${MAX_MARKDOWN_INDENT} columns of indentation); skipped`;
    return { documents: [], warnings: [{ file: source.path, line, problem }] };
  }
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const title = meta.title ?? headingTitle(tree);
  if (title === null) {
    throw new CorpusError(
      source.path,
      "has no title: start it with a heading ('# …'), or with front matter: '---', a line 'title: …', '---'",
    );
  }
  const blocks = markdownBlocks(tree);
  if (blocks.paragraphs.length === 0) {
    return { documents: [], warnings: [], notices: [{ file: source.path, kind: "noBody", reason: "has no body text; skipped" }] };
  }
  return {
    documents: [
      {
        id: source.id,
        title,
        url: meta.url ?? source.siteUrl ?? null,
        date: meta.date,
        kind: meta.kind,
        collection: source.collection,
        ...blocks,
        ...(meta.weight !== null ? { weight: meta.weight } : {}),
        file: source.path,
      },
    ],
    warnings: [],
  };
}

/** The fields of front matter (the YAML between its `---` lines), checked; errors name the line. */
function readFrontMatter(source: SourceFile, yamlText: string): z.infer<typeof frontMatterSchema> {
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // Front matter starts on line 2 of the file.
    const line = (yamlError.linePos?.[0].line ?? 1) + 1;
    throw new CorpusError(source.path, `malformed front matter: ${yamlError.message.split("\n")[0]}`, line);
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CorpusError(source.path, "front matter must be a mapping of keys such as title, date, url", 2);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    const lineOfField = typeof field === "string" ? lineOf(yamlText, field) : undefined;
    throw schemaError(source.path, parsed.error, lineOfField !== undefined ? lineOfField + 1 : 1);
  }
  return parsed.data;
}

/**
 * The title a page's headings give: the text of its first level-1 heading, else of its first heading of
 * any level; headings without text skipped. Only headings of the page itself count, not those in block
 * quotes or list items. Null when there is none.
 */
function headingTitle(tree: Root): string | null {
  const headings = tree.children
    .filter((node): node is Heading => node.type === "heading")
    .map((heading) => ({ depth: heading.depth, text: cleanText(inlineText(heading)) }))
    .filter((heading) => heading.text !== "");
  return (headings.find((heading) => heading.depth === 1) ?? headings[0])?.text ?? null;
}

function lineOf(yamlText: string, key: string): number | undefined {
  const index = yamlText.split(/\r?\n/).findIndex((line) => line.startsWith(`${key}:`));
  return index === -1 ? undefined : index + 1;
}

/** Plain text of inline Markdown: link and emphasis text, code, image alt; inline HTML tags dropped. */
function inlineText(node: Nodes): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
      return node.value;
    case "html":
      return htmlFragmentText(node.value);
    case "image":
      return node.alt ?? "";
    case "break":
      return " ";
    default:
      return "children" in node ? node.children.map((child) => inlineText(child as Nodes)).join("") : "";
  }
}

/** The longest list item, in characters, that still joins a run of short items. */
const SHORT_ITEM_LENGTH = 80;

/** Cleaned text of each cell of a table row. */
function cellTexts(row: TableRow): string[] {
  return row.children.map((cell) => cleanText(inlineText(cell)));
}

/**
 * A list item's text when it is short and simple enough to join a run of items: a single paragraph (or
 * nothing) of at most {@link SHORT_ITEM_LENGTH} characters. Null when it is not.
 */
function shortItemText(item: ListItem): string | null {
  if (item.children.length > 1) return null;
  const [only] = item.children;
  if (only !== undefined && only.type !== "paragraph") return null;
  const text = only ? cleanText(inlineText(only)) : "";
  return [...text].length <= SHORT_ITEM_LENGTH ? text : null;
}

/**
 * Body blocks and sections of a Markdown tree in document order (see {@link readMd}). Every heading gets
 * its slug in turn, those in block quotes and lists too, so that repeated headings are numbered as on GitHub.
 */
function markdownBlocks(tree: Root): Pick<SourceDocument, "paragraphs" | "blockKinds" | "sections" | "cells"> {
  const slugger = new GithubSlugger();
  const paragraphs: string[] = [];
  const blockKinds: BlockKind[] = [];
  const cells: (RowCells | null)[] = [];
  const sections: SourceSection[] = [];
  const push = (text: string, kind: BlockKind, rowCells?: RowCells) => {
    const cleaned = cleanText(text);
    if (!hasContent(cleaned)) return;
    paragraphs.push(cleaned);
    blockKinds.push(kind);
    cells.push(rowCells === undefined ? null : keptCells(rowCells, cleaned));
  };
  const table = (node: Table) => {
    const [header, ...rows] = node.children;
    const labels = header ? cellTexts(header) : [];
    for (const row of rows) {
      const texts = cellTexts(row);
      const rowCells: RowCells = texts.map((text, column): [string | null, string] => [
        texts.length === 1 ? null : labels[column] || null,
        text,
      ]);
      push(rowText(rowCells), "row", rowCells);
    }
  };
  const list = (node: List) => {
    let run: string[] = [];
    const endRun = () => {
      push(run.join(" • "), "list");
      run = [];
    };
    for (const item of node.children) {
      const short = shortItemText(item);
      if (short !== null) {
        if (hasContent(short)) run.push(short);
        continue;
      }
      endRun();
      visit(item, false);
    }
    endRun();
  };
  const visit = (node: Nodes, topLevel: boolean): void => {
    switch (node.type) {
      case "heading": {
        const text = cleanText(inlineText(node));
        if (text === "") return;
        const anchor = slugger.slug(text);
        if (!topLevel) return;
        if (sections.length === 0 && paragraphs.length > 0) sections.push({ heading: "", level: 0, anchor: null, first: 0 });
        sections.push({ heading: text, level: node.depth, anchor, first: paragraphs.length });
        return;
      }
      case "definition":
      case "thematicBreak":
      case "yaml":
        return;
      case "paragraph":
        push(inlineText(node), "text");
        return;
      case "code":
        push(node.value, "code");
        return;
      case "html":
        push(htmlFragmentText(node.value), "text");
        return;
      case "table":
        table(node);
        return;
      case "list":
        list(node);
        return;
      default:
        if ("children" in node) for (const child of node.children) visit(child, false);
    }
  };
  for (const child of tree.children) visit(child, true);
  if (sections.length === 0) sections.push({ heading: "", level: 0, anchor: null, first: 0 });
  return { paragraphs, blockKinds, sections, ...(cells.some((row) => row !== null) ? { cells } : {}) };
}
