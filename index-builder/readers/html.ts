// Reads .html pages: title, sections, and body blocks (paragraphs, table rows, list runs, code) of the main content.
import { type AnyNode, type Element, isTag, isText } from "domhandler";
import { findOne, getAttributeValue, textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import type { CorpusWarning } from "../errors.js";
import {
  type BlockKind,
  cleanText,
  hasContent,
  isIsoDate,
  type ReadResult,
  readUrl,
  type SourceDocument,
  type SourceFile,
  type SourceSection,
} from "../source.js";

/** Elements whose content is never body text (`<aside>` is decided by where it stands: see {@link chromeTest}). */
const SKIPPED_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "nav",
  "header",
  "footer",
  "form",
  "button",
  "select",
  "option",
  "textarea",
  "input",
  "label",
  "svg",
  "math",
  "iframe",
  "object",
  "embed",
  "canvas",
  "audio",
  "video",
  "map",
  "head",
  "title",
  "meta",
  "link",
  "dialog",
]);

/** Elements that start and end a block of their own. */
const BLOCK_TAGS = new Set([
  "p",
  "div",
  "li",
  "td",
  "th",
  "dd",
  "dt",
  "ul",
  "ol",
  "dl",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "section",
  "article",
  "main",
  "aside",
  "blockquote",
  "pre",
  "figure",
  "figcaption",
  "caption",
  "address",
  "details",
  "summary",
  "fieldset",
  "center",
  "hr",
  "body",
  "html",
]);

const HEADING_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/** What makes a list item too complex to join a run of short items. */
const COMPLEX_ITEM_TAGS = new Set(["ul", "ol", "dl", "table", "pre", ...HEADING_TAGS]);

/** The longest list item, in characters, that still joins a run of short items. */
const SHORT_ITEM_LENGTH = 80;

/** ARIA landmarks that hold navigation and chrome rather than content. */
const CHROME_ROLES = new Set(["navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert"]);

/**
 * Class or id names of page chrome: navigation, breadcrumbs, cookie banners,
 * share bars, and LibreOffice help's related-topic lists ("related" is their
 * heading) and debug footer. Boxes a reader of the content sees, such as
 * LibreOffice's "So greifen Sie auf diesen Befehl zu" (class "howtoget"),
 * notes and tips, are content.
 */
const CHROME_NAMES =
  /^(nav|navigation|navbar|menu|mainmenu|breadcrumbs?|sidebar|footer|header|skip|skiplinks?|skip-link|cookies?|cookie-?banner|consent|share|social|pagination|pager|toc|relatedtopics|related|debug|print|noprint|visually-?hidden|sr-only)$/i;

/** An inline style that hides its element, in any case and spacing: `display: none`, `visibility: hidden`. */
const HIDING_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

/** Containers of the main content, best first; the body is the fallback. */
const MAIN_SELECTORS: ((el: Element) => boolean)[] = [
  (el) => el.name === "main",
  (el) => getAttributeValue(el, "role") === "main",
  (el) => el.name === "article",
  (el) => ["content", "main-content", "maincontent", "main", "DisplayArea"].includes(getAttributeValue(el, "id") ?? ""),
];

/** Whether an element (whose parent is given) is chrome or hidden, and so contributes no text. */
type ChromeTest = (el: Element, parent: Element | null) => boolean;

/**
 * The chrome test for one page. `asideIsContent`: whether `<aside>` is a note box of the content (inside the
 * chosen main container) rather than a sidebar (outside it, or when the body is all there is).
 */
function chromeTest(asideIsContent: boolean): ChromeTest {
  return (el, parent) => {
    if (SKIPPED_TAGS.has(el.name)) return true;
    if (el.name === "aside" && !asideIsContent) return true;
    const role = getAttributeValue(el, "role");
    if (role !== undefined && CHROME_ROLES.has(role) && el.name !== "aside") return true;
    if (getAttributeValue(el, "aria-hidden") === "true") return true;
    // LibreOffice help writes platform- and module-dependent phrases as hidden
    // variants that a script reveals; the default variant is the one to keep.
    // Phrases switch with "switchinline", whole blocks (a howtoget box, notes) with "switch".
    const inSwitch =
      parent !== null && (getAttributeValue(parent, "class") ?? "").split(/\s+/).some((c) => c === "switchinline" || c === "switch");
    if (inSwitch) return !(getAttributeValue(el, "id") ?? "").startsWith("default");
    if (el.attribs.hidden !== undefined) return true;
    if (HIDING_STYLE.test(getAttributeValue(el, "style") ?? "")) return true;
    const names = [...(getAttributeValue(el, "class") ?? "").split(/\s+/), getAttributeValue(el, "id") ?? ""];
    return names.some((name) => name !== "" && CHROME_NAMES.test(name));
  };
}

/** A non-blank attribute value, trimmed, or null. */
function attribute(el: Element, name: string): string | null {
  const value = getAttributeValue(el, name)?.trim() ?? "";
  return value === "" ? null : value;
}

/** A `<title>`'s separator between the page's name and the site's: " – ", " - ", " | ", " — ", " · " or " :: ". */
const SEPARATOR = String.raw`\s+(?:[-–—|·]|::)\s+`;
const SITE_AFTER = new RegExp(`^${SEPARATOR}\\S`, "u");

/**
 * Whether a `<title>` is the page's `<h1>` followed by the site's name ("Bürgerbüro – Stadt Musterhausen"):
 * then the `<h1>` is the page's title. Not the other way round: "PDF-Export – Allgemein" (LibreOffice's
 * help) is a page's context before its name, which the title should keep.
 */
function namesSiteToo(title: string, h1: string): boolean {
  return h1 !== "" && title.length > h1.length && title.startsWith(h1) && SITE_AFTER.test(title.slice(h1.length));
}

/** The anchor an element sets where it stands: an `<a name>`/`<a id>`, or an empty element with an id. Null otherwise. */
function anchorAt(el: Element): string | null {
  if (el.name === "a") return attribute(el, "name") ?? attribute(el, "id");
  const id = attribute(el, "id");
  return id !== null && textContent(el).trim() === "" ? id : null;
}

/** The anchor a heading gives itself: its own `id` or `name`, else those of an element inside it. */
function headingAnchor(heading: Element): string | null {
  const own = attribute(heading, "id") ?? attribute(heading, "name");
  if (own !== null) return own;
  const inner = findOne((el) => attribute(el, "id") !== null || attribute(el, "name") !== null, heading.children, true);
  return inner ? (attribute(inner, "id") ?? attribute(inner, "name")) : null;
}

/**
 * The first step of walking the visible content: text goes to `onText`, a document or fragment node walks its
 * children (with the same parent), chrome and hidden elements are skipped. True when `node` is an element of
 * content that the caller handles itself (narrowing it to Element).
 */
function isContentElement(
  node: AnyNode,
  parent: Element | null,
  isChrome: ChromeTest,
  onText: (text: string) => void,
  walk: (node: AnyNode, parent: Element | null) => void,
): node is Element {
  if (isText(node)) {
    onText(node.data);
    return false;
  }
  if (!isTag(node)) {
    if ("children" in node) for (const child of node.children) walk(child, parent);
    return false;
  }
  return !isChrome(node, parent);
}

/**
 * The visible text under `root` as cleaned, non-empty pieces, one per block (headings and table cells
 * included, `<br>` a space), chrome and hidden elements skipped. For text that is flattened into one block:
 * a table cell, a list item, a heading.
 */
function textPieces(root: AnyNode, parent: Element | null, isChrome: ChromeTest): string[] {
  const out: string[] = [];
  let buffer = "";
  const flush = () => {
    const text = cleanText(buffer);
    if (text !== "") out.push(text);
    buffer = "";
  };
  const walk = (node: AnyNode, parent: Element | null): void => {
    if (!isContentElement(node, parent, isChrome, (text) => (buffer += text), walk)) return;
    if (node.name === "br") {
      buffer += " ";
      return;
    }
    const block = BLOCK_TAGS.has(node.name) || HEADING_TAGS.has(node.name);
    if (block) flush();
    for (const child of node.children) walk(child, node);
    if (block) flush();
  };
  walk(root, parent);
  flush();
  return out;
}

interface TableCell {
  text: string;
  /** The column it starts in, from 0. */
  column: number;
  /** How many columns it spans (`colspan`), at least 1. */
  span: number;
  /** Whether it is a `<th>`. */
  header: boolean;
}

/** The cells of a table row (`<td>`, `<th>`) with the column each starts in, counting `colspan`. */
function rowCells(row: Element, isChrome: ChromeTest): TableCell[] {
  const cells: TableCell[] = [];
  let column = 0;
  for (const cell of row.children) {
    if (!isTag(cell) || (cell.name !== "td" && cell.name !== "th") || isChrome(cell, row)) continue;
    const span = Math.max(1, Math.min(1000, Number.parseInt(getAttributeValue(cell, "colspan") ?? "1", 10) || 1));
    cells.push({ text: textPieces(cell, row, isChrome).join(" "), column, span, header: cell.name === "th" });
    column += span;
  }
  return cells;
}

/**
 * The blocks of a table: its caption (a "text" block), then one "row" block per row, the cells' text joined
 * with " | ". The header row (the `<thead>`'s last row, else a first row of `<th>` cells only) is no block:
 * it labels the other rows' cells as `Header: value`, a cell whose header is empty unlabelled; empty cells
 * are left out, and a row of a single cell is that cell's text. A table inside a cell is flattened into it.
 */
function tableBlocks(table: Element, isChrome: ChromeTest): { text: string; kind: BlockKind }[] {
  const blocks: { text: string; kind: BlockKind }[] = [];
  const rows: Element[] = [];
  const headRows: Element[] = [];
  for (const child of table.children) {
    if (!isTag(child) || isChrome(child, table)) continue;
    if (child.name === "caption") blocks.push({ text: textPieces(child, table, isChrome).join(" "), kind: "text" });
    if (child.name === "tr") rows.push(child);
    if (child.name === "thead" || child.name === "tbody" || child.name === "tfoot") {
      for (const row of child.children) {
        if (!isTag(row) || row.name !== "tr" || isChrome(row, child)) continue;
        rows.push(row);
        if (child.name === "thead") headRows.push(row);
      }
    }
  }
  const first = rows[0];
  const firstCells = first ? rowCells(first, isChrome) : [];
  const header = headRows.at(-1) ?? (firstCells.length > 0 && firstCells.every((cell) => cell.header) ? first : undefined);
  const labels: string[] = [];
  if (header) {
    for (const cell of rowCells(header, isChrome)) for (let i = 0; i < cell.span; i++) labels[cell.column + i] = cell.text;
  }
  for (const row of rows) {
    if (row === header || headRows.includes(row)) continue;
    const cells = rowCells(row, isChrome);
    const text =
      cells.length === 1
        ? (cells[0]?.text ?? "")
        : cells
            .filter((cell) => cell.text !== "")
            .map((cell) => {
              const label = labels[cell.column];
              return label ? `${label}: ${cell.text}` : cell.text;
            })
            .join(" | ");
    blocks.push({ text, kind: "row" });
  }
  return blocks;
}

/**
 * A list item's text when it is short and simple enough to join a run of items: at most
 * {@link SHORT_ITEM_LENGTH} characters, one paragraph, no nested list, table, code block or heading.
 * Null when it is not.
 */
function shortItemText(item: Element, list: Element, isChrome: ChromeTest): string | null {
  if (findOne((el) => COMPLEX_ITEM_TAGS.has(el.name), item.children, true)) return null;
  const pieces = textPieces(item, list, isChrome);
  if (pieces.length > 1) return null;
  const text = pieces[0] ?? "";
  return [...text].length <= SHORT_ITEM_LENGTH ? text : null;
}

/** Body blocks and sections of a page, as {@link readHtml} describes them. */
type PageBlocks = Pick<SourceDocument, "paragraphs" | "blockKinds" | "sections">;

/** Reads the blocks and sections under `root` (see {@link readHtml}); headings start sections and are no blocks. */
function pageBlocks(root: AnyNode, isChrome: ChromeTest): PageBlocks {
  const paragraphs: string[] = [];
  const blockKinds: BlockKind[] = [];
  const sections: SourceSection[] = [];
  let buffer = "";
  // The nearest anchor since the last block with content, and where the buffer stood when it came.
  let anchor: { name: string; at: number } | null = null;

  const push = (text: string, kind: BlockKind): boolean => {
    const cleaned = cleanText(text);
    if (!hasContent(cleaned)) return false;
    paragraphs.push(cleaned);
    blockKinds.push(kind);
    return true;
  };
  const pushBlock = (text: string, kind: BlockKind) => {
    if (push(text, kind)) anchor = null;
  };
  const flush = () => {
    if (push(buffer, "text")) {
      // An anchor after the block's last text is a target for what follows, not for this block.
      anchor = anchor !== null && !hasContent(buffer.slice(anchor.at)) ? { name: anchor.name, at: 0 } : null;
    }
    buffer = "";
    if (anchor !== null) anchor.at = 0;
  };
  const startSection = (heading: Element, parent: Element | null) => {
    flush();
    const text = textPieces(heading, parent, isChrome).join(" ");
    if (text === "") return;
    if (sections.length === 0 && paragraphs.length > 0) sections.push({ heading: "", level: 0, anchor: null, first: 0 });
    const level = Number(heading.name.slice(1));
    sections.push({ heading: text, level, anchor: headingAnchor(heading) ?? anchor?.name ?? null, first: paragraphs.length });
    anchor = null;
  };
  const list = (el: Element) => {
    let run: string[] = [];
    const endRun = () => {
      pushBlock(run.join(" • "), "list");
      run = [];
    };
    for (const child of el.children) {
      if (isTag(child) && child.name === "li") {
        if (isChrome(child, el)) continue;
        const short = shortItemText(child, el, isChrome);
        if (short !== null) {
          if (hasContent(short)) run.push(short);
          continue;
        }
      }
      if (isText(child) && child.data.trim() === "") continue;
      endRun();
      walk(child, el);
      flush();
    }
    endRun();
  };
  const walk = (node: AnyNode, parent: Element | null): void => {
    if (!isContentElement(node, parent, isChrome, (text) => (buffer += text), walk)) return;
    // An anchor where it stands, or a container's id (TYPO3's <div id="c123"><h2>…): either is the target of a
    // heading that follows before any other content.
    const name = anchorAt(node) ?? (HEADING_TAGS.has(node.name) ? null : attribute(node, "id"));
    if (name !== null) anchor = { name, at: buffer.length };
    if (HEADING_TAGS.has(node.name)) {
      startSection(node, parent);
      return;
    }
    if (node.name === "br") {
      buffer += " ";
      return;
    }
    if (node.name === "table" || node.name === "ul" || node.name === "ol" || node.name === "pre") {
      flush();
      if (node.name === "table") for (const block of tableBlocks(node, isChrome)) pushBlock(block.text, block.kind);
      else if (node.name === "pre") pushBlock(textPieces(node, parent, isChrome).join(" "), "code");
      else list(node);
      return;
    }
    const block = BLOCK_TAGS.has(node.name);
    if (block) flush();
    for (const child of node.children) walk(child, node);
    if (block) flush();
  };
  walk(root, null);
  flush();
  if (sections.length === 0) sections.push({ heading: "", level: 0, anchor: null, first: 0 });
  return { paragraphs, blockKinds, sections };
}

/** Plain text of an HTML fragment (for raw HTML inside Markdown): its blocks joined with spaces, chrome and headings skipped. */
export function htmlFragmentText(html: string): string {
  return pageBlocks(parseDocument(html), chromeTest(false)).paragraphs.join(" ");
}

/** A page's kind from its metadata: trimmed, at most 100 characters, else null (a longer one is no kind). */
function readKind(content: string | undefined): string | null {
  const kind = content?.replace(/\s+/g, " ").trim() ?? "";
  return kind === "" || kind.length > 100 ? null : kind;
}

function metaContent(root: AnyNode, names: string[]): string | undefined {
  const meta = findOne(
    (el) => el.name === "meta" && names.includes((getAttributeValue(el, "name") ?? getAttributeValue(el, "property") ?? "").toLowerCase()),
    [root],
    true,
  );
  return meta ? getAttributeValue(meta, "content") : undefined;
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
  const doc = parseDocument(html, { decodeEntities: true, withStartIndices: true });
  const titleEl = findOne((el) => el.name === "title", doc.children, true);
  const h1 = findOne((el) => el.name === "h1", doc.children, true);
  const h1Text = h1 ? cleanText(textContent(h1)) : "";
  const titleText = titleEl ? cleanText(textContent(titleEl)) : "";
  const title = titleText === "" || namesSiteToo(titleText, h1Text) ? h1Text : titleText;
  if (title === "") {
    return { documents: [], warnings: [{ file: source.path, problem: "has no <title> or <h1>; skipped" }] };
  }

  let main: AnyNode | null = null;
  for (const selector of MAIN_SELECTORS) {
    main = findOne(selector, doc.children, true);
    if (main) break;
  }
  const asideIsContent = main !== null;
  main ??= findOne((el) => el.name === "body", doc.children, true) ?? doc;
  const blocks = pageBlocks(main, chromeTest(asideIsContent));
  if (blocks.paragraphs.length === 0) {
    return { documents: [], warnings: [{ file: source.path, problem: "has no body paragraphs; skipped" }] };
  }

  const dateText = metaContent(doc, ["date", "dcterms.date", "dc.date", "article:published_time"])?.slice(0, 10);
  const canonical = findOne((el) => el.name === "link" && getAttributeValue(el, "rel") === "canonical", doc.children, true);
  const url = readUrl(canonical ? getAttributeValue(canonical, "href") : undefined);
  const warnings: CorpusWarning[] = [];
  if (canonical && url.problem !== undefined) {
    // A warning, not an error: the canonical link is the page's own metadata, often saved with it from its
    // site, read like its date (which is left empty when it is no date); --strict still stops on it.
    const line = html.slice(0, canonical.startIndex ?? 0).split("\n").length;
    const fallback = source.siteUrl ? `at its url from baseUrl, ${source.siteUrl}` : "without a url";
    warnings.push({ file: source.path, line, problem: `canonical link ${url.problem}; the page is indexed ${fallback}` });
  }
  return {
    documents: [
      {
        id: source.id,
        title,
        url: url.url ?? source.siteUrl ?? null,
        date: dateText && isIsoDate(dateText) ? dateText : null,
        kind: readKind(metaContent(doc, ["kind", "dcterms.type", "dc.type"])),
        collection: source.collection,
        ...blocks,
        file: source.path,
      },
    ],
    warnings,
  };
}
