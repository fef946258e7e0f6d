// Turns the positioned text items of a PDF's pages into lines, paragraphs and headings: pure layout, no pdf.js.
import { cleanText, hasContent } from "../source.js";

/** One run of text as a PDF places it (pdf.js's text item, flattened). */
export interface TextItem {
  str: string;
  /** Left edge of the run, in points. */
  x: number;
  /** Baseline, in points from the page's bottom edge. */
  y: number;
  /** Advance width of the run, in points. */
  width: number;
  /** Font size in points (the text matrix's vertical scale). */
  fontSize: number;
  /** Whether the run ends a line in the content stream (unused by the layout; lines come from positions). */
  hasEOL: boolean;
  fontName: string;
}

/** One page's text items and its height in points. */
export interface PageText {
  items: TextItem[];
  height: number;
}

/** One line of a page: the items on a baseline, left to right. */
export interface TextLine {
  /** Characters expanded (ligatures), zero-width characters removed; a soft hyphen kept only at the end. */
  text: string;
  x: number;
  /** The baseline of the line's main run, from the page's bottom edge. */
  y: number;
  width: number;
  /** The size most of the line's characters are set in. */
  fontSize: number;
}

/** One page's lines, top to bottom, and the page's height. */
export interface PageLines {
  lines: TextLine[];
  height: number;
}

/** One page's result: its first heading-like line (or null) and its body blocks, each cleaned text with content. */
export interface PageBlocks {
  heading: string | null;
  blocks: string[];
}

/** The layout of a document: one entry per page, and the title the first page's largest heading-like line suggests. */
export interface PdfLayout {
  pages: PageBlocks[];
  title: string | null;
}

/** Items of one page beyond this many are ignored, so that a hostile page cannot make the work unbounded. */
export const MAX_ITEMS_PER_PAGE = 50_000;

/**
 * Share of the page height at its top and at its bottom where running headers, footers and page numbers sit: 12 %
 * of A4 is 3.6 cm, which holds a header in a printed page's margin (Chromium's 1 cm and a site's 2 cm).
 */
export const MARGIN_BAND = 0.12;

/** A line is heading-like when its font is at least this many times the body text's size. */
const HEADING_RATIO = 1.15;
/** A heading longer than this is set large but is no heading (a pull quote, a slide's text): a body block. */
const MAX_HEADING_LENGTH = 150;
/** A vertical step larger than this many times the usual one for the font size starts a paragraph. */
const PARAGRAPH_GAP = 1.4;
/** A line shorter than this share of the column, followed by one starting with a capital, ends its paragraph. */
const SHORT_LINE = 0.65;

const LIGATURES: Record<string, string> = {
  "\uFB00": "ff",
  "\uFB01": "fi",
  "\uFB02": "fl",
  "\uFB03": "ffi",
  "\uFB04": "ffl",
  "\uFB05": "st",
  "\uFB06": "st",
};
const LIGATURE = /[\uFB00-\uFB06]/g;
const ZERO_WIDTH = /[\u200B\u200C\u2060\uFEFF]/g;
const SOFT_HYPHEN = /\u00AD/g;

/** A run's characters as the index wants them: ligatures expanded, zero-width characters removed. */
export function normalizeCharacters(text: string): string {
  return text.replace(LIGATURE, (c) => LIGATURES[c] ?? c).replace(ZERO_WIDTH, "");
}

/** Words after a hyphen at a line's end that show an elided compound ("Bus- und Bahnverbindungen"): hyphen and space stay. */
const CONJUNCTIONS: ReadonlySet<string> = new Set(["und", "oder", "bzw.", "sowie", "als", "wie", "bis", "noch", "beziehungsweise"]);

/**
 * Joins the lines of one paragraph, undoing German hyphenation at line ends. After a letter and a hyphen
 * (`-` or U+2010) at a line's end, the next line's first word decides: a conjunction (und, oder, bzw., sowie, als,
 * wie, bis, noch, beziehungsweise) keeps hyphen and space (`Bus- und Bahn`); a lowercase letter drops the hyphen
 * (`Antrags-` `formular` → `Antragsformular`); anything else (a capital, a digit) keeps the hyphen without a space
 * (`Kfz-` `Zulassung` → `Kfz-Zulassung`). After a digit and a hyphen, the hyphen stays, without a space unless a
 * conjunction follows (`1348-` `50` → `1348-50`). A soft hyphen (U+00AD) at a line's end always joins without hyphen.
 * Other lines are joined with a space. Returns cleaned text ({@link cleanText}), soft hyphens removed.
 *
 * @example
 * joinLines(["die Antrags-", "formular"]) // "die Antragsformular"
 */
export function joinLines(lines: readonly string[]): string {
  // Pieces, not one growing string: a paragraph of many lines stays linear (no flattening per line).
  const pieces: string[] = [];
  let previous = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    if (previous === "") {
      pieces.push(line);
    } else if (/\p{L}\u00AD$/u.test(previous)) {
      pieces[pieces.length - 1] = previous.slice(0, -1);
      pieces.push(line);
    } else if (/[\p{L}\p{N}][-\u2010]$/u.test(previous)) {
      const word = /^\S+/u.exec(line)?.[0] ?? "";
      if (CONJUNCTIONS.has(word.replace(/[,;]$/, ""))) pieces.push(" ", line);
      // After a digit the hyphen is never a syllable break: "2-" "Zimmer", "1348-" "50".
      else if (/^\p{Ll}/u.test(line) && /\p{L}.$/u.test(previous)) {
        pieces[pieces.length - 1] = previous.slice(0, -1);
        pieces.push(line);
      } else pieces.push(line);
    } else {
      pieces.push(" ", line);
    }
    previous = line;
  }
  return cleanText(pieces.join("").replace(SOFT_HYPHEN, ""));
}

/** Whether a line is only a page number in a usual form: "3", "- 3 -", "Seite 3", "Seite 3 von 12", "3 / 12", "S. 3". */
export function isPageNumber(text: string): boolean {
  const t = cleanText(text);
  return (
    /^[-–—]?\s*\d{1,5}\s*[-–—]?$/u.test(t) ||
    /^(?:seite|s\.|page|blatt|bl\.)\s*\d{1,5}(?:\s*(?:von|aus|of|\/)\s*\d{1,5})?$/iu.test(t) ||
    /^\d{1,5}\s*(?:\/|von|of)\s*\d{1,5}$/iu.test(t) ||
    /^[-–—]\s*[ivxlc]{1,8}\s*[-–—]$/iu.test(t)
  );
}

/** A line's text with digits as "#": the same running header or footer on every page has the same key. */
function repeatKey(text: string): string {
  return cleanText(text).replace(/\d+/g, "#");
}

function isUsable(item: TextItem): boolean {
  return (
    typeof item.str === "string" &&
    item.str !== "" &&
    Number.isFinite(item.x) &&
    Number.isFinite(item.y) &&
    Number.isFinite(item.width) &&
    Number.isFinite(item.fontSize) &&
    item.fontSize > 0
  );
}

/** The value with the most weight (characters); ties to the first seen. */
function heaviest(weights: Map<number, number>): number | null {
  let best: number | null = null;
  let bestWeight = -1;
  for (const [value, weight] of weights) {
    if (weight > bestWeight) {
      best = value;
      bestWeight = weight;
    }
  }
  return best;
}

/** A font size to a half point: PDFs write 10.99 and 11.0 for the same body text. */
function sizeKey(size: number): number {
  return Math.round(size * 2) / 2;
}

/** Builds one line from items on one baseline. */
function lineOf(items: TextItem[]): TextLine | null {
  items.sort((a, b) => a.x - b.x);
  const pieces: string[] = [];
  const sizes = new Map<number, number>();
  let baseline = 0;
  let baselineWeight = -1;
  let left = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let end: number | null = null;
  let last = "";
  for (const item of items) {
    const text = normalizeCharacters(item.str);
    if (text === "") continue;
    const width = Math.max(0, item.width);
    // Runs that touch belong to one word ("Steuerp" "fl" "icht"); a gap of a fifth of the size is a space.
    if (end !== null && !/\s$/u.test(last) && !/^\s/u.test(text) && item.x - end > 0.2 * item.fontSize) pieces.push(" ");
    pieces.push(text);
    last = text;
    end = Math.max(end ?? Number.NEGATIVE_INFINITY, item.x + width);
    left = Math.min(left, item.x);
    right = Math.max(right, item.x + width);
    const chars = text.trim().length;
    const key = sizeKey(item.fontSize);
    sizes.set(key, (sizes.get(key) ?? 0) + chars);
    if (chars > baselineWeight) {
      baseline = item.y;
      baselineWeight = chars;
    }
  }
  // A soft hyphen means something only at the line's end (a word broken there); elsewhere it is invisible.
  const joined = pieces.join("").replace(/\s+$/u, "");
  const text = joined.endsWith("\u00AD") ? `${joined.slice(0, -1).replace(SOFT_HYPHEN, "")}\u00AD` : joined.replace(SOFT_HYPHEN, "");
  if (text.trim() === "") return null;
  return { text: text.trim(), x: left, y: baseline, width: right - left, fontSize: heaviest(sizes) ?? 0 };
}

/**
 * Groups one page's items into lines, top to bottom: items whose baselines lie within half a font size of the
 * line's first (top-most) item share a line (superscripts included), sorted left to right. O(n log n) in the
 * items; at most {@link MAX_ITEMS_PER_PAGE} are read. Empty items and items with non-finite positions are skipped.
 */
export function pageLines(items: readonly TextItem[], height: number): PageLines {
  const usable = items.slice(0, MAX_ITEMS_PER_PAGE).filter(isUsable);
  usable.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: TextLine[] = [];
  let group: TextItem[] = [];
  let top = 0;
  let size = 0;
  const close = () => {
    const line = group.length > 0 ? lineOf(group) : null;
    if (line !== null) lines.push(line);
    group = [];
  };
  for (const item of usable) {
    if (group.length > 0 && top - item.y <= 0.5 * Math.max(size, item.fontSize)) {
      group.push(item);
      size = Math.max(size, item.fontSize);
      continue;
    }
    close();
    group.push(item);
    top = item.y;
    size = item.fontSize;
  }
  close();
  return { lines, height: Number.isFinite(height) && height > 0 ? height : 0 };
}

/** Whether a line sits in the top or bottom band of its page, where headers, footers and page numbers are. */
function inMarginBand(line: TextLine, height: number): boolean {
  if (height <= 0) return false;
  return line.y < MARGIN_BAND * height || line.y + 0.7 * line.fontSize > (1 - MARGIN_BAND) * height;
}

/**
 * Marks running headers and footers: lines in the margin bands whose text (digits as "#") repeats on at least
 * half of the pages and on two or more, and lines there that are only a page number, on any page.
 */
function marginLines(pages: readonly PageLines[]): Set<TextLine> {
  const pagesOf = new Map<string, number>();
  const seen = new Map<string, number>();
  pages.forEach((page, index) => {
    for (const line of page.lines) {
      if (!inMarginBand(line, page.height)) continue;
      const key = repeatKey(line.text);
      if (seen.get(key) === index) continue;
      seen.set(key, index);
      pagesOf.set(key, (pagesOf.get(key) ?? 0) + 1);
    }
  });
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  const dropped = new Set<TextLine>();
  for (const page of pages) {
    for (const line of page.lines) {
      if (!inMarginBand(line, page.height)) continue;
      if (isPageNumber(line.text) || (pagesOf.get(repeatKey(line.text)) ?? 0) >= needed) dropped.add(line);
    }
  }
  return dropped;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)] ?? null;
}

/** A percentile (0–1) of the values, or null when there are none. */
function percentile(values: number[], share: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(share * values.length))] ?? null;
}

/** Figures of the whole document that the paragraph and heading rules compare against. */
interface Measures {
  bodySize: number;
  /** The usual baseline step between lines of one paragraph, per font size (see {@link sizeKey}). */
  steps: Map<number, number>;
  /** The width of a full line of body text. */
  columnWidth: number;
}

function measure(pages: readonly { lines: TextLine[] }[]): Measures {
  const sizes = new Map<number, number>();
  const stepSamples = new Map<number, number[]>();
  for (const { lines } of pages) {
    lines.forEach((line, index) => {
      const key = sizeKey(line.fontSize);
      sizes.set(key, (sizes.get(key) ?? 0) + line.text.length);
      const next = lines[index + 1];
      if (next === undefined || sizeKey(next.fontSize) !== key) return;
      const step = line.y - next.y;
      if (step > 0 && step < 4 * line.fontSize) {
        const samples = stepSamples.get(key) ?? [];
        samples.push(step);
        stepSamples.set(key, samples);
      }
    });
  }
  const bodySize = heaviest(sizes) ?? 0;
  const steps = new Map<number, number>();
  for (const [key, samples] of stepSamples) steps.set(key, median(samples) ?? 1.2 * key);
  const widths = pages.flatMap(({ lines }) => lines.filter((line) => sizeKey(line.fontSize) === bodySize).map((line) => line.width));
  return { bodySize, steps, columnWidth: percentile(widths, 0.9) ?? 0 };
}

function isHeadingLike(line: TextLine, measures: Measures): boolean {
  return (
    measures.bodySize > 0 &&
    line.fontSize >= HEADING_RATIO * measures.bodySize &&
    line.text.length <= MAX_HEADING_LENGTH &&
    /\p{L}/u.test(line.text)
  );
}

/**
 * Whether `next` starts a new paragraph after `line` (both body lines, next below line on one page; `before` the line
 * above `line` in its paragraph, if any). A line is short against its own block, the longer of its neighbours: a
 * narrow box on a form (9 cm of a 17 cm column) is one paragraph, whatever the page's column is, though German
 * capitalises its nouns at the start of many lines.
 */
function startsParagraph(line: TextLine, next: TextLine, measures: Measures, before?: TextLine): boolean {
  const size = Math.max(line.fontSize, next.fontSize);
  if (Math.abs(line.fontSize - next.fontSize) > 0.1 * size) return true;
  const step = line.y - next.y;
  if (step <= 0) return true;
  const usual = measures.steps.get(sizeKey(line.fontSize)) ?? 1.2 * line.fontSize;
  if (step > PARAGRAPH_GAP * usual) return true;
  const block = Math.min(measures.columnWidth, Math.max(next.width, before?.width ?? 0));
  return block > 0 && line.width < SHORT_LINE * block && !/\p{L}[-\u2010\u00AD]$/u.test(line.text) && /^[\p{Lu}\d•–-]/u.test(next.text);
}

/** Whether two heading-like lines are one heading set on two lines. */
function continuesHeading(line: TextLine, next: TextLine): boolean {
  const step = line.y - next.y;
  return Math.abs(line.fontSize - next.fontSize) <= 0.05 * line.fontSize && step > 0 && step <= 1.7 * line.fontSize;
}

/**
 * Lays out a document's pages (see {@link pageLines}): running headers, footers and page numbers dropped
 * (see {@link isPageNumber}); lines set clearly larger than the body text (the font size most characters are set
 * in) are headings, the first on a page its heading and the others blocks of their own; the other lines are joined
 * into paragraphs ({@link joinLines}) that end at a gap larger than 1.4 times the usual line step for the font
 * size, at a change of font size, or after a short line followed by one starting with a capital. The title is the
 * first page's largest heading-like line, or null.
 */
export function layoutDocument(pages: readonly PageLines[]): PdfLayout {
  const dropped = marginLines(pages);
  const kept = pages.map((page) => ({ lines: page.lines.filter((line) => !dropped.has(line)) }));
  const measures = measure(kept);
  const title: { text: string | null; size: number } = { text: null, size: 0 };
  const result = kept.map(({ lines }, pageIndex): PageBlocks => {
    let heading: string | null = null;
    const blocks: string[] = [];
    let index = 0;
    while (index < lines.length) {
      const first = lines[index];
      if (first === undefined) break;
      const group = [first];
      const headingLike = isHeadingLike(first, measures);
      for (let next = lines[++index]; next !== undefined; next = lines[++index]) {
        const previous = group[group.length - 1] ?? first;
        if (headingLike) {
          if (!isHeadingLike(next, measures) || !continuesHeading(previous, next)) break;
        } else if (isHeadingLike(next, measures) || startsParagraph(previous, next, measures, group[group.length - 2])) break;
        group.push(next);
      }
      const text = joinLines(group.map((line) => line.text));
      if (!hasContent(text)) continue;
      if (headingLike && text.length <= MAX_HEADING_LENGTH) {
        if (pageIndex === 0 && (title.text === null || first.fontSize > title.size)) {
          title.text = text;
          title.size = first.fontSize;
        }
        if (heading === null) {
          heading = text;
          continue;
        }
      }
      blocks.push(text);
    }
    return { heading, blocks };
  });
  return { pages: result, title: title.text };
}

/** {@link pageLines} and {@link layoutDocument} in one step, for pages whose items are all at hand. */
export function layoutPages(pages: readonly PageText[]): PdfLayout {
  return layoutDocument(pages.map((page) => pageLines(page.items, page.height)));
}
