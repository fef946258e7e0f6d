// Character-level normalisation shared by every analyzer step: NFC, case folding, ß, umlaut folding.

/**
 * Canonical form of stored and queried text: Unicode NFC, so that "ä" typed as
 * "a" + U+0308 and the precomposed "ä" are the same string and offsets agree.
 */
export function normalizeText(text: string): string {
  return text.normalize("NFC");
}

const APOSTROPHES = /['’ʼ]/g;

/**
 * The exact normalised form of one token: lower case, ß and ẞ as "ss",
 * apostrophes dropped ("geht's" → "gehts"). Umlauts are kept, so that the exact
 * spelling can rank above its variants.
 *
 * @example foldCase("Straße") // "strasse"
 */
export function foldCase(token: string): string {
  // toLowerCase maps ẞ (U+1E9E) to ß, which then becomes "ss" like every ß.
  const lower = token.toLowerCase();
  return NEEDS_FOLDING.test(lower) ? lower.replace(/ß/g, "ss").replace(APOSTROPHES, "") : lower;
}

/** What {@link foldCase} replaces after lower-casing: most words hold none of it. */
const NEEDS_FOLDING = /[ß'’ʼ]/;

const UMLAUTS: ReadonlyMap<string, string> = new Map([
  ["ä", "a"],
  ["ö", "o"],
  ["ü", "u"],
  ["æ", "ae"],
  ["ø", "o"],
]);

/**
 * Folds German spelling variants onto one form so that "Universität",
 * "Universitaet" and "Universitat" meet: umlauts lose their dots, "ae"/"oe"
 * collapse to "a"/"o", "ue" to "u" unless it follows a vowel or "q" (so "neue"
 * and "Quelle" stay), and other diacritics are removed ("café" → "cafe").
 * Input must already be case-folded. Same rule as Lucene's
 * GermanNormalizationFilter, which has carried it for years in production.
 *
 * @example foldGerman("universitaet") // "universitat"
 */
export function foldGerman(term: string): string {
  let out = "";
  // The state says what the previous character allows: "umlaut" after a or o
  // (and u after a consonant), where a following "e" is an umlaut spelling.
  let state: "none" | "vowel" | "umlaut" = "none";
  for (const ch of term) {
    const mapped = UMLAUTS.get(ch);
    if (mapped !== undefined) {
      out += mapped;
      state = "vowel";
      continue;
    }
    switch (ch) {
      case "a":
      case "o":
        out += ch;
        state = "umlaut";
        break;
      case "u":
        out += ch;
        state = state === "none" ? "umlaut" : "vowel";
        break;
      case "e":
        if (state !== "umlaut") out += ch;
        state = "vowel";
        break;
      case "i":
      case "q":
      case "y":
        out += ch;
        state = "vowel";
        break;
      default: {
        const base = stripDiacritics(ch);
        out += base;
        state = "none";
      }
    }
  }
  return out;
}

const COMBINING_MARKS = /\p{M}/gu;

function stripDiacritics(ch: string): string {
  if (ch.charCodeAt(0) < 0x80) return ch;
  return ch.normalize("NFD").replace(COMBINING_MARKS, "") || ch;
}
