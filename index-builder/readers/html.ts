// Reads .html pages: title, main content paragraphs, list items and table cells; page chrome skipped.
import { type AnyNode, type Element, isTag, isText } from "domhandler";
import { findOne, getAttributeValue, textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import type { CorpusWarning } from "../errors.js";
import { cleanText, hasContent, isIsoDate, type ReadResult, readUrl, type SourceFile } from "../source.js";

/** Elements whose content is never body text. */
const SKIPPED_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "nav",
  "header",
  "footer",
  "aside",
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

/** Elements that start and end a paragraph of their own. */
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

/** ARIA landmarks that hold navigation and chrome rather than content. */
const CHROME_ROLES = new Set(["navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert"]);

/**
 * Class or id names of page chrome: navigation, breadcrumbs, cookie banners,
 * share bars, and LibreOffice help's "how to get there" boxes ("howtoget"),
 * related-topic lists ("related" is their heading) and debug footer.
 */
const CHROME_NAMES =
  /^(nav|navigation|navbar|menu|mainmenu|breadcrumbs?|sidebar|footer|header|skip|skiplinks?|skip-link|cookies?|cookie-?banner|consent|share|social|pagination|pager|toc|howtoget|relatedtopics|related|debug|print|noprint|visually-?hidden|sr-only)$/i;

/** Containers of the main content, best first; the body is the fallback. */
const MAIN_SELECTORS: ((el: Element) => boolean)[] = [
  (el) => el.name === "main",
  (el) => getAttributeValue(el, "role") === "main",
  (el) => el.name === "article",
  (el) => ["content", "main-content", "maincontent", "main", "DisplayArea"].includes(getAttributeValue(el, "id") ?? ""),
];

function isChrome(el: Element, parent: Element | null): boolean {
  if (SKIPPED_TAGS.has(el.name)) return true;
  const role = getAttributeValue(el, "role");
  if (role !== undefined && CHROME_ROLES.has(role)) return true;
  if (getAttributeValue(el, "aria-hidden") === "true") return true;
  // LibreOffice help writes platform- and module-dependent phrases as hidden
  // variants that a script reveals; the default variant is the one to keep.
  const inSwitch = parent !== null && (getAttributeValue(parent, "class") ?? "").split(/\s+/).includes("switchinline");
  if (inSwitch) return !(getAttributeValue(el, "id") ?? "").startsWith("default");
  if (el.attribs.hidden !== undefined) return true;
  const names = [...(getAttributeValue(el, "class") ?? "").split(/\s+/), getAttributeValue(el, "id") ?? ""];
  return names.some((name) => name !== "" && CHROME_NAMES.test(name));
}

/** Collects block text under `root`, one paragraph per block element, headings and chrome skipped. */
function blockTexts(root: AnyNode): string[] {
  const out: string[] = [];
  let buffer = "";
  const flush = () => {
    const text = cleanText(buffer);
    if (text !== "") out.push(text);
    buffer = "";
  };
  const walk = (node: AnyNode, parent: Element | null): void => {
    if (isText(node)) {
      buffer += node.data;
      return;
    }
    if (!isTag(node)) {
      if ("children" in node) for (const child of node.children) walk(child, parent);
      return;
    }
    if (isChrome(node, parent)) return;
    if (HEADING_TAGS.has(node.name)) {
      flush();
      return;
    }
    if (node.name === "br") {
      buffer += " ";
      return;
    }
    const block = BLOCK_TAGS.has(node.name);
    if (block) flush();
    for (const child of node.children) walk(child, node);
    if (block) flush();
  };
  walk(root, null);
  flush();
  return out;
}

/** Plain text of an HTML fragment (for raw HTML inside Markdown), chrome and scripts skipped. */
export function htmlFragmentText(html: string): string {
  return blockTexts(parseDocument(html)).join(" ");
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
 * Reads an HTML page. Title from `<title>`, else the first `<h1>`; date from
 * `<meta name="date">` (or Dublin Core / Open Graph equivalents); url from
 * `<link rel="canonical">`, else the file's url from its collection's `baseUrl`
 * (`source.siteUrl`), else null; a canonical link the shared url rule
 * (common/safe-url.ts) refuses is passed over with a warning naming the line.
 * Body paragraphs come from the main content (`<main>`, `role="main"`,
 * `<article>`, `#content`, else `<body>`): paragraphs, list items, table cells
 * and other blocks, headings and page chrome skipped, entities decoded. A page
 * without body paragraphs (a redirect stub) is skipped with a warning.
 */
export function readHtml(source: SourceFile, html: string): ReadResult {
  const doc = parseDocument(html, { decodeEntities: true, withStartIndices: true });
  const titleEl = findOne((el) => el.name === "title", doc.children, true) ?? findOne((el) => el.name === "h1", doc.children, true);
  const title = titleEl ? cleanText(textContent(titleEl)) : "";
  if (title === "") {
    return { documents: [], warnings: [{ file: source.path, problem: "has no <title> or <h1>; skipped" }] };
  }

  let main: AnyNode | null = null;
  for (const selector of MAIN_SELECTORS) {
    main = findOne(selector, doc.children, true);
    if (main) break;
  }
  main ??= findOne((el) => el.name === "body", doc.children, true) ?? doc;
  const paragraphs = blockTexts(main).filter(hasContent);
  if (paragraphs.length === 0) {
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
        kind: null,
        collection: source.collection,
        paragraphs,
        file: source.path,
      },
    ],
    warnings,
  };
}
