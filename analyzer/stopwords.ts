// German stop words: Snowball's list (via @orama/stopwords) plus abbreviations that carry no meaning.
import { stopwords as snowballGerman } from "@orama/stopwords/german";
import { foldCase } from "./normalize.js";

// Abbreviations the tokenizer keeps whole ("z. B." → "zb") that are as empty as the words they abbreviate.
const ABBREVIATION_STOP_WORDS = [
  "zb",
  "dh",
  "ua",
  "uu",
  "va",
  "zt",
  "oa",
  "idr",
  "uvm",
  "ca",
  "bzw",
  "usw",
  "etc",
  "ggf",
  "inkl",
  "evtl",
  "vgl",
  "sog",
];

/** Every stop word in its exact normalised form (so "daß" appears as "dass"). */
export const STOP_WORDS: ReadonlySet<string> = new Set([...snowballGerman.map(foldCase), ...ABBREVIATION_STOP_WORDS]);

/** Whether an exact normalised term is a stop word. */
export function isStopWord(term: string): boolean {
  return STOP_WORDS.has(term);
}
