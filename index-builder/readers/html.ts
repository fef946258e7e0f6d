// Reads .html pages: title, sections, and body blocks (paragraphs, table rows, list runs, code) of the main content.
import { type AnyNode, type Document, DomHandler, type Element, isTag, isText } from "domhandler";
import { findAll, findOne, getAttributeValue, textContent } from "domutils";
import { Parser } from "htmlparser2";
import { CorpusError, type CorpusWarning, type NoticeKind } from "../errors.js";
import {
  type BlockKind,
  cleanText,
  hasContent,
  isIsoDate,
  isoOfGermanDate,
  keptCells,
  type ReadResult,
  type RowCells,
  readUrl,
  type SourceDocument,
  type SourceFile,
  type SourceSection,
  weightProblem,
} from "../source.js";
import { SEPARATOR } from "../titles.js";
import {
  anchorAt,
  attribute,
  BLOCK_TAGS,
  type ChromeTest,
  chromeTest,
  HEADING_TAGS,
  headingAnchor,
  isContentElement,
  MAIN_SELECTORS,
  textPieces,
} from "./html-elements.js";
import { shortItemText, tableBlocks } from "./html-tables.js";

const SITE_AFTER = new RegExp(`^${SEPARATOR}\\S`, "u");
/** Before the page's name, only a bar, a middle dot or a colon names the site on one page's word alone (see {@link namesSiteToo}). */
const SITE_BEFORE = /\S(?:\s+[|·•]\s+|\s*:\s+)$/u;

/**
 * Whether a `<title>` is the page's `<h1>` and the site's name: "Bürgerbüro – Stadt Musterhausen",
 * "Bürgerbüro: Stadt Musterhausen", "Stadt Musterhausen | Bürgerbüro", "Gemeinde Musterdorf: Hundesteuer" (TYPO3's
 * default order). Then the `<h1>` is the page's title. A dash before the `<h1>` is not enough on one page:
 * "PDF-Export – Verknüpfungen" (LibreOffice's help) is a page's context before its name, which the title keeps;
 * a site's name before a dash is stripped when the collection shows it is one (see titles.ts).
 */
function namesSiteToo(title: string, h1: string): boolean {
  if (h1 === "" || title.length <= h1.length) return false;
  if (title.startsWith(h1) && SITE_AFTER.test(title.slice(h1.length))) return true;
  return title.endsWith(h1) && SITE_BEFORE.test(title.slice(0, title.length - h1.length));
}

/**
 * The deepest nesting of elements an HTML page may have. Legacy pages full of unclosed tags (5,000 nested `<font>`)
 * reach far deeper than any page a person reads; deeper, a page is skipped with a warning, so that no walk of its
 * tree overflows the stack and the parser's work stays linear.
 */
export const MAX_HTML_DEPTH = 1000;

/** Thrown by {@link BoundedHandler} when elements nest deeper than {@link MAX_HTML_DEPTH}: where the deepest opened. */
class TooDeep extends Error {
  constructor(readonly index: number) {
    super("too deep");
  }
}

/** The DOM handler of {@link parseHtml}: builds the tree as htmlparser2's does, counting how deep elements nest. */
class BoundedHandler extends DomHandler {
  private depth = 0;
  private position: { startIndex: number } | null = null;

  override onparserinit(parser: { startIndex: number } & Parameters<DomHandler["onparserinit"]>[0]): void {
    this.position = parser;
    super.onparserinit(parser);
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (++this.depth > MAX_HTML_DEPTH) throw new TooDeep(this.position?.startIndex ?? 0);
    super.onopentag(name, attribs);
  }

  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

/**
 * Parses HTML as `parseDocument` of htmlparser2 does, with entities decoded and start indices: the document, or,
 * for elements nested deeper than {@link MAX_HTML_DEPTH}, the line where that depth is passed.
 */
export function parseHtml(html: string): { doc: Document } | { tooDeepAt: number } {
  const handler = new BoundedHandler(undefined, { withStartIndices: true });
  try {
    new Parser(handler, { decodeEntities: true }).end(html);
  } catch (error) {
    if (error instanceof TooDeep) return { tooDeepAt: html.slice(0, error.index).split("\n").length };
    throw error;
  }
  return { doc: handler.root };
}

/** Body blocks and sections of a page, as {@link readHtml} describes them. */
export type PageBlocks = Pick<SourceDocument, "paragraphs" | "blockKinds" | "sections" | "cells">;

/** Reads the blocks and sections under `root` (see {@link readHtml}); headings start sections and are no blocks. */
function pageBlocks(root: AnyNode, isChrome: ChromeTest): PageBlocks {
  const reader = new BlockReader(isChrome);
  reader.walk(root, null);
  return reader.finish();
}

/** The walk of {@link pageBlocks}: text gathers in a buffer until a block ends; tables, lists and code are blocks of their own. */
class BlockReader {
  private readonly paragraphs: string[] = [];
  private readonly blockKinds: BlockKind[] = [];
  /** Each block's row cells (null but for table rows), parallel to the paragraphs. */
  private readonly cells: (RowCells | null)[] = [];
  private readonly sections: SourceSection[] = [];
  private buffer = "";
  /** The nearest anchor since the last block with content, and where the buffer stood when it came. */
  private anchor: { name: string; at: number } | null = null;

  constructor(private readonly isChrome: ChromeTest) {}

  /** Walks `node` (whose parent is given) and what is under it. */
  readonly walk = (node: AnyNode, parent: Element | null): void => {
    if (!isContentElement(node, parent, this.isChrome, this.addText, this.walk)) return;
    // An anchor where it stands, or a container's id (TYPO3's <div id="c123"><h2>…): either is the target of a
    // heading that follows before any other content.
    const name = anchorAt(node) ?? (HEADING_TAGS.has(node.name) ? null : attribute(node, "id"));
    if (name !== null) this.anchor = { name, at: this.buffer.length };
    if (HEADING_TAGS.has(node.name)) {
      this.startSection(node, parent);
      return;
    }
    if (node.name === "br") {
      this.buffer += " ";
      return;
    }
    if (node.name === "table" || node.name === "ul" || node.name === "ol" || node.name === "pre") {
      this.flush();
      if (node.name === "table") for (const block of tableBlocks(node, this.isChrome)) this.pushBlock(block.text, block.kind, block.cells);
      else if (node.name === "pre") this.pushBlock(textPieces(node, parent, this.isChrome).join(" "), "code");
      else this.list(node);
      return;
    }
    const block = BLOCK_TAGS.has(node.name);
    if (block) this.flush();
    for (const child of node.children) this.walk(child, node);
    if (block) this.flush();
  };

  private readonly addText = (text: string): void => {
    this.buffer += text;
  };

  finish(): PageBlocks {
    this.flush();
    if (this.sections.length === 0) this.sections.push({ heading: "", level: 0, anchor: null, first: 0 });
    const blocks: PageBlocks = { paragraphs: this.paragraphs, blockKinds: this.blockKinds, sections: this.sections };
    if (this.cells.some((cells) => cells !== null)) blocks.cells = this.cells;
    return blocks;
  }

  private push(text: string, kind: BlockKind, cells?: RowCells): boolean {
    const cleaned = cleanText(text);
    if (!hasContent(cleaned)) return false;
    this.paragraphs.push(cleaned);
    this.blockKinds.push(kind);
    this.cells.push(cells === undefined ? null : keptCells(cells, cleaned));
    return true;
  }

  private pushBlock(text: string, kind: BlockKind, cells?: RowCells): void {
    if (this.push(text, kind, cells)) this.anchor = null;
  }

  private flush(): void {
    const anchor = this.anchor;
    if (this.push(this.buffer, "text")) {
      // An anchor after the block's last text is a target for what follows, not for this block.
      this.anchor = anchor !== null && !hasContent(this.buffer.slice(anchor.at)) ? { name: anchor.name, at: 0 } : null;
    }
    this.buffer = "";
    if (this.anchor !== null) this.anchor.at = 0;
  }

  private startSection(heading: Element, parent: Element | null): void {
    this.flush();
    const text = textPieces(heading, parent, this.isChrome).join(" ");
    if (text === "") return;
    if (this.sections.length === 0 && this.paragraphs.length > 0) this.sections.push({ heading: "", level: 0, anchor: null, first: 0 });
    const level = Number(heading.name.slice(1));
    this.sections.push({
      heading: text,
      level,
      anchor: headingAnchor(heading) ?? this.anchor?.name ?? null,
      first: this.paragraphs.length,
    });
    this.anchor = null;
  }

  /** A list: runs of short items joined into one block, any other item walked as blocks of its own. */
  private list(el: Element): void {
    let run: string[] = [];
    const endRun = () => {
      this.pushBlock(run.join(" • "), "list");
      run = [];
    };
    for (const child of el.children) {
      if (isTag(child) && child.name === "li") {
        if (this.isChrome(child, el)) continue;
        const short = shortItemText(child, el, this.isChrome);
        if (short !== null) {
          if (hasContent(short)) run.push(short);
          continue;
        }
      }
      if (isText(child) && child.data.trim() === "") continue;
      endRun();
      this.walk(child, el);
      this.flush();
    }
    endRun();
  }
}

/**
 * The body blocks and sections of a whole HTML document made by a converter (a .docx's or .odt's body as HTML):
 * everything under `<body>` is content (an `<aside>` is a note), headings start sections, chrome rules as for pages.
 */
export function htmlDocumentBlocks(html: string): PageBlocks {
  const parsed = parseHtml(html);
  // The converters bound their own nesting (office.ts); past this depth there is nothing to read.
  if (!("doc" in parsed)) return { paragraphs: [], blockKinds: [], sections: [{ heading: "", level: 0, anchor: null, first: 0 }] };
  const { doc } = parsed;
  return pageBlocks(findOne((el) => el.name === "body", doc.children, true) ?? doc, chromeTest(true));
}

/** Plain text of an HTML fragment (for raw HTML inside Markdown): its blocks joined with spaces, chrome and headings skipped. */
export function htmlFragmentText(html: string): string {
  const parsed = parseHtml(html);
  // A fragment nested deeper than any a person writes gives no text rather than a stack overflow.
  return "doc" in parsed ? pageBlocks(parsed.doc, chromeTest(false)).paragraphs.join(" ") : "";
}

/** A page's kind from its metadata: trimmed, at most 100 characters, else null (a longer one is no kind). */
function readKind(content: string | undefined): string | null {
  const kind = content?.replace(/\s+/g, " ").trim() ?? "";
  return kind === "" || kind.length > 100 ? null : kind;
}

/** The first of a page's `<meta>` elements whose name (or Open Graph property) is one of `names`. */
function metaElement(metas: readonly Element[], names: string[]): Element | undefined {
  return metas.find((el) => names.includes((getAttributeValue(el, "name") ?? getAttributeValue(el, "property") ?? "").toLowerCase()));
}

function metaContent(metas: readonly Element[], names: string[]): string | undefined {
  const meta = metaElement(metas, names);
  return meta ? getAttributeValue(meta, "content") : undefined;
}

/**
 * A page's date from its metadata: an ISO day (`2024-10-30`, also with a time after it, as Open Graph writes it)
 * or a German one (`30.10.2024`). Anything else is no date: the page is indexed without one, with a warning.
 */
function readDate(content: string | undefined): { date: string | null; problem?: string } {
  const text = content?.trim() ?? "";
  if (text === "") return { date: null };
  const iso = /^\d{4}-\d{2}-\d{2}(?:$|[T ])/.test(text) ? text.slice(0, 10) : germanDate(text);
  if (iso !== null && isIsoDate(iso)) return { date: iso };
  return { date: null, problem: `date "${text.slice(0, 60)}" is no date (YYYY-MM-DD or DD.MM.YYYY); the page is indexed without one` };
}

/** `30.10.2024` (day and month with one or two digits) as `2024-10-30`, unchecked; null for other text. */
function germanDate(text: string): string | null {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (!match) return null;
  const [, day = "", month = "", year = ""] = match;
  return isoOfGermanDate(day, month, year);
}

/**
 * Reads an HTML page. Title from `<title>`, else the first `<h1>`; the `<h1>` also when the `<title>` holds
 * its text and more (a site's name: "Bürgerbüro – Stadt Musterhausen" gives "Bürgerbüro"); date from
 * `<meta name="date">` (or Dublin Core / Open Graph equivalents); url from
 * `<link rel="canonical">`, else the file's url from its collection's `baseUrl`
 * (`source.siteUrl`), else null; a canonical link the shared url rule
 * (common/safe-url.ts) refuses is passed over with a warning naming the line.
 *
 * Body blocks come from the main content (`<main>`, `role="main"`, `<article>`,
 * `#content`, `#DisplayArea`, else `<body>`), entities decoded:
 * - paragraphs and other blocks, including instruction boxes, notes and tips
 *   (LibreOffice's "howtoget" box) and an `<aside>` inside the main container, are "text";
 * - a table row is one "row" block, its cells joined with " | " and, when the
 *   table has a header row (its `<thead>`'s, or a first row of `<th>` only),
 *   labelled `Header: value`; the header row itself is no block;
 * - a run of short items of one list (at most 80 characters, a single
 *   paragraph, no nested list or table) is one "list" block joined with " • ";
 *   a longer or complex item is read as blocks of its own;
 * - `<pre>` is a "code" block.
 *
 * Chrome is skipped: scripts, navigation, site header and footer, breadcrumbs,
 * an `<aside>` outside the main container; so is hidden text (`hidden`,
 * `aria-hidden="true"`, an inline `display: none` or `visibility: hidden`,
 * `<template>`, `<meta>`), and attribute values are never text. Of LibreOffice's
 * `switchinline` variants only the default one is read.
 *
 * Headings (h1–h6) are not blocks: each starts a section (see {@link SourceSection})
 * whose anchor is the heading's `id` or `name`, else that of an element inside it,
 * else the nearest anchor before it (an `<a name>`/`<a id>` or an empty element
 * with an id) that follows the last block with content; blocks before the first
 * heading form a lead section. A page without body blocks (a redirect stub) is
 * skipped with a warning.
 */
export function readHtml(source: SourceFile, html: string): ReadResult {
  const parsed = parseHtml(html);
  if (!("doc" in parsed)) {
    const problem = `nests its elements more than ${MAX_HTML_DEPTH} deep (unclosed tags?); skipped`;
    return { documents: [], warnings: [{ file: source.path, line: parsed.tooDeepAt, problem }] };
  }
  const { doc } = parsed;
  const lineOf = (el: Element) => html.slice(0, el.startIndex ?? 0).split("\n").length;
  // The page's <meta> elements, found in one walk: robots, refresh, date and kind are read from them.
  const metas = findAll((el) => el.name === "meta", doc.children);
  const skipped = skipReason(metas);
  if (skipped !== null)
    return {
      documents: [],
      warnings: [],
      notices: [{ file: source.path, line: lineOf(skipped.meta), kind: skipped.kind, reason: skipped.reason }],
    };

  let main: AnyNode | null = null;
  for (const selector of MAIN_SELECTORS) {
    main = findOne(selector, doc.children, true);
    if (main) break;
  }
  const inMain = main !== null;
  main ??= findOne((el) => el.name === "body", doc.children, true) ?? doc;
  const blocks = pageBlocks(main, chromeTest(inMain));
  if (blocks.paragraphs.length === 0) {
    return { documents: [], warnings: [], notices: [{ file: source.path, kind: "noBody", reason: "has no body text; skipped" }] };
  }

  const titleEl = findOne((el) => el.name === "title", doc.children, true);
  const h1 = findOne((el) => el.name === "h1", doc.children, true);
  const h1Text = h1 ? textPieces(h1, null, chromeTest(true)).join(" ") : "";
  const titleText = titleEl ? cleanText(textContent(titleEl)) : "";
  const fromTitleElement = titleText !== "" && !namesSiteToo(titleText, h1Text);
  const title = fromTitleElement ? titleText : h1Text;
  if (title === "") {
    return { documents: [], warnings: [{ file: source.path, problem: "has body text but no <title> or <h1>; skipped" }] };
  }

  const dateMeta = metaElement(metas, ["date", "dcterms.date", "dc.date", "article:published_time"]);
  const { date, problem: dateProblem } = readDate(dateMeta ? getAttributeValue(dateMeta, "content") : undefined);
  const canonical = findOne((el) => el.name === "link" && getAttributeValue(el, "rel") === "canonical", doc.children, true);
  const url = readUrl(canonical ? getAttributeValue(canonical, "href") : undefined);
  const warnings: CorpusWarning[] = [];
  if (canonical && url.problem !== undefined) {
    // A warning, not an error: the canonical link is the page's own metadata, often saved with it from its
    // site, as its date is (see below); --strict still stops on it.
    const line = lineOf(canonical);
    const fallback = source.siteUrl ? `at its url from baseUrl, ${source.siteUrl}` : "without a url";
    warnings.push({ file: source.path, line, problem: `canonical link ${url.problem}; the page is indexed ${fallback}` });
  }
  const weightMeta = metaElement(metas, ["fundstelle:weight"]);
  const weight = weightMeta ? pageWeight(source.path, weightMeta, lineOf(weightMeta)) : undefined;
  if (dateMeta && dateProblem !== undefined) {
    // A warning for the same reason: metadata saved with the page; --strict stops on it.
    warnings.push({ file: source.path, line: lineOf(dateMeta), problem: dateProblem });
  }
  return {
    documents: [
      {
        id: source.id,
        title,
        url: url.url ?? source.siteUrl ?? null,
        date,
        kind: readKind(metaContent(metas, ["kind", "dcterms.type", "dc.type"])),
        collection: source.collection,
        ...blocks,
        ...(weight !== undefined ? { weight } : {}),
        file: source.path,
        ...(titleText !== "" ? { titleOfPage: { title: titleText, h1: h1Text } } : {}),
      },
    ],
    warnings,
  };
}

/**
 * A page's weight from `<meta name="fundstelle:weight" content="2">` (a decimal comma allowed); one that is no number
 * or outside 0.1–10 stops the build, naming the file and line: an editor set it, and a silent 1 would hide the mistake.
 */
function pageWeight(file: string, meta: Element, line: number): number {
  const raw = (getAttributeValue(meta, "content") ?? "").trim();
  const value = raw === "" ? Number.NaN : Number(raw.replace(",", "."));
  const problem = Number.isNaN(value) ? `"${raw}" is not a number` : weightProblem(value);
  if (problem !== null) throw new CorpusError(file, `<meta name="fundstelle:weight">: ${problem}`, line);
  return value;
}

/** The longest delay, in seconds, of a `<meta http-equiv="refresh">` that makes a page a redirect stub. */
const REDIRECT_DELAY = 5;

function insideNoscript(el: Element): boolean {
  for (let up = el.parent; up !== null && isTag(up); up = up.parent) if (up.name === "noscript") return true;
  return false;
}

/**
 * Why a page is skipped on purpose, with the `<meta>` element that says so: `<meta name="robots">` with `noindex`
 * or `none` (also `<meta name="fundstelle">`; `nofollow` alone indexes the page), or a redirect stub
 * (`<meta http-equiv="refresh" content="0; url=…">`: a refresh that names a url, within {@link REDIRECT_DELAY}
 * seconds and outside `<noscript>`). Null for a page to read.
 */
function skipReason(metas: readonly Element[]): { meta: Element; kind: NoticeKind; reason: string } | null {
  for (const robots of metas) {
    const name = getAttributeValue(robots, "name")?.toLowerCase();
    if (name !== "robots" && name !== "fundstelle") continue;
    const directives =
      getAttributeValue(robots, "content")
        ?.toLowerCase()
        .split(/[\s,]+/) ?? [];
    if (directives.includes("noindex") || directives.includes("none")) {
      return {
        meta: robots,
        kind: "noindex",
        reason: `asks not to be indexed (noindex: <meta name="${name}" content="${directives.join(", ")}">); skipped`,
      };
    }
  }
  // A refresh inside <noscript> is for visitors without JavaScript (LibreOffice's help sends them to a notice page),
  // and one after more than a few seconds reloads a page people read (a news ticker's "600; url=…").
  for (const refresh of metas) {
    if (getAttributeValue(refresh, "http-equiv")?.toLowerCase() !== "refresh" || insideNoscript(refresh)) continue;
    const match = /^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*url\s*=\s*['"]?([^'"\s]+)/i.exec(getAttributeValue(refresh, "content") ?? "");
    if (match && Number(match[1] ?? "0") <= REDIRECT_DELAY)
      return { meta: refresh, kind: "redirect", reason: `is a redirect to ${match[2]?.slice(0, 200)}; skipped` };
  }
  return null;
}
