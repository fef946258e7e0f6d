// Pure functions for highlights and snippets: which tokens matched, which window to show, and its escaped HTML.
import { analyze, foldCase, MIN_COMPOUND_LENGTH, stemOf, type Token } from "../../analyzer/index.js";
import type { Compounds } from "../../common/artifact.js";

/** A highlighted range: `[start, end)` in UTF-16 code units of the stored text. */
export type Range = [number, number];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** What else decides which parts of a token matched, beyond whole terms. */
export interface MatchContext {
  /** The corpus's compounds: a part of one is marked when the part's word or stem matched. */
  compounds?: Compounds;
  /**
   * Stems matched only through their end ("Ostanatolien" for "Anatolien"): stem → leading characters not to
   * mark. A stem that a query word also matches whole does not belong here.
   */
  suffixes?: ReadonlyMap<string, number>;
}

/** Characters the exact form drops: hyphens joining a compound, apostrophes. */
const ZERO_WIDTH_IN_EXACT = /^[-\u2010\u2011'’ʼ]$/;

/**
 * Maps an offset in a token's exact form to an offset in its surface text, since the exact form may be
 * longer (ß → ss) or shorter (hyphens and apostrophes dropped).
 */
function surfaceOffset(surface: string, exactOffset: number): number {
  let exact = 0;
  let at = 0;
  for (const ch of surface) {
    if (exact >= exactOffset) break;
    exact += (ZERO_WIDTH_IN_EXACT.test(ch) ? "" : foldCase(ch)).length;
    at += ch.length;
  }
  // A hyphen or apostrophe at the boundary belongs to neither side's mark.
  while (at < surface.length && ZERO_WIDTH_IN_EXACT.test(surface[at] ?? "")) at++;
  return at;
}

/**
 * The ranges of a text whose tokens matched: every non-stop token whose exact
 * form or stem is among the matched index terms, so inflected forms matched
 * through their stem are marked too; inside a compound, only the part that
 * matched ("Handels<mark>volumen</mark>"). Overlapping ranges (a hyphen group
 * and its parts) are merged. Sorted by start. `tokens` are `analyze(text)`, when the caller has them.
 */
export function matchedRanges(
  text: string,
  terms: ReadonlySet<string>,
  context: MatchContext = {},
  tokens: readonly Token[] = analyze(text),
): Range[] {
  if (terms.size === 0) return [];
  const ranges: Range[] = [];
  for (const token of tokens) {
    if (token.stop) continue;
    const modifier = context.suffixes?.get(token.stem);
    if (modifier === undefined && (terms.has(token.exact) || terms.has(token.stem))) {
      ranges.push([token.start, token.end]);
      continue;
    }
    // Matched only in part: the end it was matched as, and the compound parts that matched.
    if (modifier !== undefined && terms.has(token.stem)) ranges.push([token.start + surfaceOffset(token.text, modifier), token.end]);
    // The builder splits only words of MIN_COMPOUND_LENGTH or more: a shorter token is no key of the compounds.
    const parts = token.exact.length < MIN_COMPOUND_LENGTH ? undefined : context.compounds?.get(token.exact);
    if (!parts) continue;
    let start = 0;
    for (const [word, end] of parts) {
      if (terms.has(word) || terms.has(stemOf(word))) {
        ranges.push([token.start + surfaceOffset(token.text, start), token.start + surfaceOffset(token.text, end)]);
      }
      start = end;
    }
  }
  return mergeRanges(ranges);
}

/** Sorts ranges and merges those that overlap or touch. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Escaped HTML of `text[from, to)` with `<mark>` around the parts of the
 * ranges that fall inside it. Nothing but `<mark>` is added.
 */
export function markHtml(text: string, ranges: readonly Range[], from = 0, to = text.length): string {
  let html = "";
  let at = from;
  for (const [start, end] of ranges) {
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e <= s) continue;
    html += `${escapeHtml(text.slice(at, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  return html + escapeHtml(text.slice(at, to));
}

/** Snippet length limits in characters. */
export const SNIPPET = { max: 200, context: 40 } as const;

/** A chosen snippet window and its HTML. */
export interface Snippet {
  start: number;
  end: number;
  html: string;
}

/**
 * Chooses the snippet window of at most {@link SNIPPET.max} characters around
 * the densest cluster of matches (most distinct matched words, then most
 * matches, then the earliest), with some context before it, cut at word
 * boundaries and marked with "…" where text was cut. A paragraph that fits is
 * shown whole; one without matches from its start.
 */
export function selectSnippet(text: string, ranges: readonly Range[], max: number = SNIPPET.max): Snippet {
  if (text.length <= max) return { start: 0, end: text.length, html: markHtml(text, ranges) };

  let clusterStart = 0;
  let clusterEnd = 0;
  let best = -1;
  for (let i = 0; i < ranges.length; i++) {
    const first = ranges[i] as Range;
    const words = new Set<string>();
    let count = 0;
    let end = first[1];
    for (let j = i; j < ranges.length; j++) {
      const range = ranges[j] as Range;
      if (range[1] - first[0] > max) break;
      words.add(text.slice(range[0], range[1]).toLowerCase());
      count++;
      end = range[1];
    }
    const score = words.size * 1000 + count;
    if (score > best) {
      best = score;
      clusterStart = first[0];
      clusterEnd = end;
    }
  }

  const slack = max - (clusterEnd - clusterStart);
  let start = Math.max(0, clusterStart - Math.min(SNIPPET.context, Math.floor(slack / 2)));
  let end = Math.min(text.length, start + max);
  start = Math.max(0, end - max);
  // Cut at word boundaries, never inside the cluster.
  if (start > 0) {
    const space = text.slice(start, clusterStart + 1).search(/\s/);
    if (space !== -1 && start + space < clusterStart) start = start + space + 1;
    else if (!/\s/.test(text[start - 1] ?? " ")) start = clusterStart;
  }
  if (end < text.length) {
    const lastSpace = text.slice(clusterEnd, end + 1).search(/\s\S*$/);
    if (lastSpace !== -1) end = clusterEnd + lastSpace;
    else end = clusterEnd;
  }
  const body = markHtml(text, ranges, start, end).trim();
  return { start, end, html: `${start > 0 ? "… " : ""}${body}${end < text.length ? " …" : ""}` };
}
