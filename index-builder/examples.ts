// Example queries for the demo page, taken from the corpus itself: the words its titles use most.
import { analyze } from "../analyzer/index.js";
import { compareCodeUnits } from "../common/order.js";

/**
 * Up to three example queries from the documents' titles: the word most titles share; that word with the word
 * most often beside it in a title; and the start of another frequent word, to show completion as you type.
 * Words are counted once per title, by exact form, and shown in their most frequent spelling; only words of four
 * letters or more that are not stop words count. Empty when no title has such a word. Deterministic: ties go to
 * the word first in code-unit order.
 *
 * @example
 * exampleQueries(["Deutschland und Kasachstan", "Kasachstan: Reise", "Kasachstan und Usbekistan"])
 * // ["Kasachstan", "Kasachstan Usbekistan", "Deuts"]
 */
export function exampleQueries(titles: readonly string[]): string[] {
  const counts = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  const wordsOfTitles = titles.map((title) => {
    const words = new Set<string>();
    for (const token of analyze(title)) {
      if (token.kind !== "word" || token.stop || [...token.exact].length < 4 || !/^\p{L}+$/u.test(token.exact)) continue;
      words.add(token.exact);
      const surfaces = spellings.get(token.exact) ?? new Map<string, number>();
      surfaces.set(token.text, (surfaces.get(token.text) ?? 0) + 1);
      spellings.set(token.exact, surfaces);
    }
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    return words;
  });
  const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || compareCodeUnits(a[0], b[0]);
  const ranked = [...counts].sort(byCount).map(([word]) => word);
  const spelled = (word: string) => [...(spellings.get(word) ?? new Map([[word, 1]]))].sort(byCount)[0]?.[0] ?? word;
  const first = ranked[0];
  if (first === undefined) return [];
  const examples = [spelled(first)];
  const beside = new Map<string, number>();
  for (const words of wordsOfTitles) {
    if (!words.has(first)) continue;
    for (const word of words) if (word !== first) beside.set(word, (beside.get(word) ?? 0) + (counts.get(word) ?? 0));
  }
  const partner = [...beside].sort(byCount)[0]?.[0];
  if (partner !== undefined) examples.push(`${spelled(first)} ${spelled(partner)}`);
  const typed = ranked.find((word) => word !== first && word !== partner && [...word].length >= 7);
  if (typed !== undefined) examples.push([...spelled(typed)].slice(0, 5).join(""));
  return examples;
}
