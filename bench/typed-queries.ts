// Keyword queries as a user types them, drawn deterministically from a corpus's paragraphs (bench:scale,
// bench:growth, bench:shards).
import { analyze } from "../analyzer/index.js";
import { seededRandom } from "./random.js";

/**
 * `count` distinct queries (fewer if the paragraphs do not give that many): 1–3 neighbouring words of four letters
 * or more from a paragraph, a quarter of the words of five letters or more with one typo (a letter dropped,
 * replaced or swapped with the next), the last word cut to 3 letters or more as if still being typed. The same
 * paragraphs and seed give the same queries.
 */
export function typedQueries(paragraphs: readonly { text: string }[], count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const typo = (word: string): string => {
    const letters = [...word];
    const at = 1 + Math.floor(random() * (letters.length - 1));
    const kind = Math.floor(random() * 3);
    if (kind === 0) letters.splice(at, 1);
    else if (kind === 1) letters[at] = pick([..."aeinrstu"]);
    else if (at < letters.length - 1) [letters[at], letters[at + 1]] = [letters[at + 1] as string, letters[at] as string];
    return letters.join("");
  };
  const queries = new Set<string>();
  for (let guard = 0; queries.size < count && guard < count * 20; guard++) {
    const words = analyze(pick(paragraphs).text)
      .filter((t) => t.kind === "word" && !t.stop && /^\p{L}{4,}$/u.test(t.exact))
      .map((t) => t.exact);
    if (words.length === 0) continue;
    const n = 1 + Math.floor(random() * Math.min(3, words.length));
    const start = Math.floor(random() * (words.length - n + 1));
    const chosen = words.slice(start, start + n).map((w) => (w.length >= 5 && random() < 0.25 ? typo(w) : w));
    const last = chosen.length - 1;
    const lastWord = chosen[last] as string;
    // The last word as typed so far: 3 letters up to the whole word.
    chosen[last] = lastWord.slice(0, 3 + Math.floor(random() * (lastWord.length - 2)));
    queries.add(chosen.join(" "));
  }
  return [...queries];
}
