// The tokenizer of analyzer version 4 as it was first written: one pattern with the abbreviations as an alternative
// tried at every word. Kept as the reference that analyzer/tokenize.ts must agree with token for token; the patterns
// it is made of did not change and are shared.
import { ABBREVIATION_SOURCE, HYPHEN, type RawToken, SEGMENT } from "../../../analyzer/tokenize.js";

const TOKEN_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<abbr>${ABBREVIATION_SOURCE})(?![\p{L}\p{N}])|(?<group>${SEGMENT}(?:${HYPHEN}${SEGMENT})*)`,
  "giu",
);
const SEGMENT_PATTERN = new RegExp(SEGMENT, "gu");
const HAS_HYPHEN = new RegExp(HYPHEN);
const NUMBER = /^\p{N}+(?:[.,]\p{N}+)*$/u;

export function tokenize(text: string): RawToken[] {
  const tokens: RawToken[] = [];
  let position = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const start = match.index;
    const whole = match[0];
    if (match.groups?.abbr !== undefined) {
      tokens.push({ text: whole, start, end: start + whole.length, kind: "abbreviation", position, group: position });
      position++;
      continue;
    }
    const group = position;
    if (!HAS_HYPHEN.test(whole) && !whole.includes("\u0345")) {
      tokens.push({ text: whole, start, end: start + whole.length, kind: NUMBER.test(whole) ? "number" : "word", position, group });
      position++;
      continue;
    }
    let parts = 0;
    for (const part of whole.matchAll(SEGMENT_PATTERN)) {
      const partStart = start + part.index;
      tokens.push({
        text: part[0],
        start: partStart,
        end: partStart + part[0].length,
        kind: NUMBER.test(part[0]) ? "number" : "word",
        position,
        group,
      });
      position++;
      parts++;
    }
    if (parts > 1) tokens.push({ text: whole, start, end: start + whole.length, kind: "joined", position: group, group });
  }
  return tokens;
}
