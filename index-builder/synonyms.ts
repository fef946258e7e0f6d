// Reads corpus/synonyms.txt: groups of words that find each other at query time.
import { analyze } from "../analyzer/index.js";
import type { Synonyms } from "../common/artifact.js";
import { CorpusError } from "./errors.js";

/** Where the synonyms live, relative to the corpus folder. */
export const SYNONYMS_FILE = "synonyms.txt";

/**
 * Parses a synonyms file: one group per line, entries separated by commas, `#` starts a comment.
 * Returns, for every single-word entry (by exact form), the other entries of its groups, each as the
 * exact forms of its words. A group needs two entries, and each entry a word that is not a stop word.
 */
export function parseSynonyms(text: string, file = SYNONYMS_FILE): Synonyms {
  const synonyms = new Map<string, string[][]>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const entries = line.split(",").map((entry) => entry.trim());
    if (entries.length < 2 || entries.some((entry) => entry === "")) {
      throw new CorpusError(file, "a synonym group needs at least two entries separated by commas", index + 1);
    }
    const words = entries.map((entry) => {
      const exact = analyze(entry)
        .filter((token) => !token.stop && token.kind !== "joined")
        .map((token) => token.exact);
      if (exact.length === 0) throw new CorpusError(file, `"${entry}" has no word to search for (only stop words)`, index + 1);
      return exact;
    });
    words.forEach((entry, i) => {
      if (entry.length !== 1) return;
      const key = entry[0] as string;
      const others = words.filter((_, j) => j !== i);
      const known = synonyms.get(key) ?? [];
      for (const other of others) if (!known.some((k) => k.join(" ") === other.join(" "))) known.push(other);
      synonyms.set(key, known);
    });
  });
  return synonyms;
}
