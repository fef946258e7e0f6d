// The tokenizer of analyzer version 4 as it was first written: one pattern with the abbreviations as an alternative
// tried at every word. Kept as the reference that analyzer/tokenize.ts must agree with token for token; the patterns
// it is made of, and how a word or hyphen group becomes tokens (pushGroup), did not change and are shared.
import { ABBREVIATION_SOURCE, HYPHEN, pushGroup, type RawToken, SEGMENT } from "../../../analyzer/tokenize.js";

const TOKEN_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<abbr>${ABBREVIATION_SOURCE})(?![\p{L}\p{N}])|(?<group>${SEGMENT}(?:${HYPHEN}${SEGMENT})*)`,
  "giu",
);

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
    position = pushGroup(tokens, whole, start, position);
  }
  return tokens;
}
