// What the HTML reader knows of elements: which are page chrome, blocks or headings, where anchors stand, and
// the visible text under one.
import { type AnyNode, type Element, isTag, isText } from "domhandler";
import { findOne, getAttributeValue, textContent } from "domutils";
import { cleanText } from "../source.js";

/**
 * Elements whose content is never body text. `<aside>`, `<header>` and `<footer>` are decided by where they stand
 * (see {@link chromeTest}); `<nav>` is navigation wherever it stands, even inside the content (a table of contents
 * repeats the page's headings, which are indexed as sections).
 */
const SKIPPED_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "nav",
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
export const BLOCK_TAGS = new Set([
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

export const HEADING_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

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
  /^(nav|navigation|navbar|menu|mainmenu|breadcrumbs?|sidebar|footer|header|skip|skiplinks?|skip-link|cookies?|cookie-?banner|cookie-?consent|consent|share|social|pagination|pager|toc|relatedtopics|related|debug|print|noprint|visually-?hidden|sr-only|headerlink|navheader|navfooter)$/i;

/**
 * Elements that are sectioning content or the page's main content: a `<header>` or `<footer>` inside one belongs to
 * it (an article's or a TYPO3 content element's heading), not to the site (HTML's rule for the banner landmark).
 */
const SECTIONING_TAGS = new Set(["main", "article", "section", "aside"]);

/** Explicit roles that make a `<header>` or `<footer>` the site's, wherever it stands. */
const SITE_ROLES = new Set(["banner", "contentinfo", "navigation"]);

/** An inline style that hides its element, in any case and spacing: `display: none`, `visibility: hidden`. */
const HIDING_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

/**
 * Ids of containers of the main content: the common ones, LibreOffice help's, TYPO3's bootstrap_package
 * (`page-content`) and German templates' (`inhalt`, `hauptinhalt`).
 */
const MAIN_IDS = new Set(["content", "main-content", "maincontent", "main", "DisplayArea", "page-content", "inhalt", "hauptinhalt"]);

/** Containers of the main content, best first; the body is the fallback. */
export const MAIN_SELECTORS: ((el: Element) => boolean)[] = [
  (el) => el.name === "main",
  (el) => getAttributeValue(el, "role") === "main",
  (el) => el.name === "article",
  (el) => MAIN_IDS.has(getAttributeValue(el, "id") ?? ""),
];

/** Whether an element (whose parent is given) is chrome or hidden, and so contributes no text. */
export type ChromeTest = (el: Element, parent: Element | null) => boolean;

/**
 * The chrome test for one page. `inMain`: whether the walk is inside the chosen main container, where an `<aside>` is
 * a note box of the content (unless it is all links) and a `<header>` with a heading heads a part of it; outside it,
 * or when the body is all there is, an `<aside>` is a sidebar and a `<header>` the site's unless sectioning content
 * holds it.
 */
export function chromeTest(inMain: boolean): ChromeTest {
  return (el, parent) => {
    if (SKIPPED_TAGS.has(el.name)) return true;
    if (el.name === "aside" && (!inMain || isLinkList(el))) return true;
    if ((el.name === "header" || el.name === "footer") && isSiteHeaderOrFooter(el, inMain)) return true;
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

/**
 * Whether a `<header>` or `<footer>` is the site's banner or footer rather than part of the content: it says so
 * (`role="banner"`, `contentinfo`, `navigation`), holds the site's navigation, holds no heading inside the main
 * container (`inMain`: the walk is inside the page's `<main>`, `#content`…), or stands outside both the main
 * container and any sectioning element or TYPO3 content element. TYPO3
 * writes every content element's heading as `<header><h2>…</h2></header>` inside the main content.
 */
function isSiteHeaderOrFooter(el: Element, inMain: boolean): boolean {
  const role = getAttributeValue(el, "role");
  if (role !== undefined && SITE_ROLES.has(role)) return true;
  if (findOne((inner) => inner.name === "nav" || getAttributeValue(inner, "role") === "navigation", el.children, true) !== null)
    return true;
  // Inside the main container, a header is content when it heads something (a TYPO3 element's <header><h2>); one
  // without a heading there is a site's banner that the container wraps too (logo and search).
  if (inMain) return findOne((inner) => HEADING_TAGS.has(inner.name), el.children, true) === null;
  for (let up = el.parent; up !== null && isTag(up); up = up.parent) {
    if (SECTIONING_TAGS.has(up.name) || getAttributeValue(up, "role") === "main" || isContentElementFrame(up)) return false;
  }
  return true;
}

/**
 * Whether an element's text (its headings aside) is all link text: a box of related links ("Weitere Informationen"
 * with a list of links), which is navigation even inside the content, unlike a note.
 */
function isLinkList(el: Element): boolean {
  let links = 0;
  let other = 0;
  const count = (node: AnyNode, inLink: boolean): void => {
    if (isText(node)) {
      const letters = node.data.replace(/\s+/g, "").length;
      if (inLink) links += letters;
      else other += letters;
    } else if (isTag(node) && !HEADING_TAGS.has(node.name)) {
      for (const child of node.children) count(child, inLink || node.name === "a");
    }
  };
  for (const child of el.children) count(child, false);
  return links > 0 && other <= links * 0.1;
}

/** A TYPO3 content element's wrapper (`<div id="c123" class="frame frame-default …">`): its `<header>` is its heading. */
function isContentElementFrame(el: Element): boolean {
  return /^c\d+$/.test(getAttributeValue(el, "id") ?? "") || (getAttributeValue(el, "class") ?? "").split(/\s+/).includes("frame");
}

/** A non-blank attribute value, trimmed, or null. */
export function attribute(el: Element, name: string): string | null {
  const value = getAttributeValue(el, name)?.trim() ?? "";
  return value === "" ? null : value;
}

/** The anchor an element sets where it stands: an `<a name>`/`<a id>`, or an empty element with an id. Null otherwise. */
export function anchorAt(el: Element): string | null {
  if (el.name === "a") return attribute(el, "name") ?? attribute(el, "id");
  const id = attribute(el, "id");
  return id !== null && textContent(el).trim() === "" ? id : null;
}

/** The anchor a heading gives itself: its own `id` or `name`, else those of an element inside it. */
export function headingAnchor(heading: Element): string | null {
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
export function isContentElement(
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
export function textPieces(root: AnyNode, parent: Element | null, isChrome: ChromeTest): string[] {
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
