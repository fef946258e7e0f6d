// Stemming: the German Snowball stemmer on umlaut-folded words, and a canonical form for numbers.
import { stemmer as snowballGerman } from "@orama/stemmers/german";
import { foldGerman } from "./normalize.js";

const LETTERS_ONLY = /^\p{L}+$/u;
const THOUSANDS = /^\d{1,3}(?:\.\d{3})+$/;

/**
 * The stem of an exact normalised word: Snowball German applied to its
 * umlaut-folded form, so that "Universitäten", "Universitaeten" and
 * "Universitaten" share a stem. Words with digits or other signs ("z5+1") are
 * only folded, since Snowball is defined for letters.
 */
export function stemWord(exact: string): string {
  const folded = foldGerman(exact);
  return LETTERS_ONLY.test(folded) ? snowballGerman(folded) : folded;
}

/**
 * The canonical form of a number: German thousands separators dropped
 * ("226.000" → "226000") and the decimal comma written as a dot ("8,75" →
 * "8.75"), so numbers typed either way meet.
 */
export function stemNumber(exact: string): string {
  if (THOUSANDS.test(exact)) return exact.replace(/\./g, "");
  return exact.replace(/,/g, ".");
}
