// What insights keep of a query: its analyzer normal form, and a keyed hash of it under which it is counted.
import { parseQuery } from "../search/query.js";

/** A word with this many digits or more (a phone, customer or file number, a date of birth) is stored as "#". */
const LONG_NUMBER = 5;
/** A query with this many runs of digits (a phone number "030 1234", an IBAN in groups) has every word with digits as "#". */
const NUMBER_GROUPS = 2;

const digits = (word: string) => word.replace(/\D/g, "").length;

/** Month names and their abbreviations, as a date with a day writes them ("12. März 1985", "3. Okt."). */
const MONTHS =
  "jan(?:uar)?|feb(?:ruar)?|m(?:ä|ae)rz|mrz|apr(?:il)?|mai|jun[i]?|jul[i]?|aug(?:ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dez(?:ember)?";

/**
 * What in a query identifies a person, as spans of its text: e-mail addresses, IBAN-like strings (two letters, two
 * digits and groups of letters or digits), dates with a day ("12.03.1985", "12. März 1985", "1985-03-12", "12.3.").
 */
const PERSONAL = new RegExp(
  [
    String.raw`[^\s@]+@[^\s@]+\.[^\s@]+`,
    String.raw`\b[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){2,8}(?:\s?[a-z0-9]{1,4})?\b`,
    String.raw`\b\d{1,2}\.\s?(?:\d{1,2}\.|(?:${MONTHS})\b\.?)\s?(?:\d{2,4}\b)?`,
    String.raw`\b\d{4}-\d{1,2}-\d{1,2}\b`,
  ].join("|"),
  "giu",
);

/**
 * A query in the analyzer's normal form, as insights count it: its searched words (stop words dropped, at most
 * twelve) in their exact normalised form (lower case, ß as ss), excluded words after a minus, in the order typed.
 * "Wie beantrage ich einen Parkausweis?" and "wie beantrage parkausweis" are one query. What may identify a person
 * is "#" (one "#" for a run of such words): an e-mail address, an IBAN, a date with a day, a word with five digits
 * or more ("1234567"), and every word with digits in a query with two runs of digits or more (a phone number
 * "Tel 030 1234"); "Haushalt 2024" stays. "" when nothing is searched.
 */
export function normalQuery(q: string): string {
  const query = q.normalize("NFC");
  const spans = [...query.matchAll(PERSONAL)].map((match) => [match.index, match.index + match[0].length] as const);
  const parsed = parseQuery(query);
  const typed = [...parsed.words.map((w) => ({ word: w, minus: "" })), ...parsed.excluded.map((w) => ({ word: w, minus: "-" }))];
  const grouped = (query.match(/\d+/g) ?? []).length >= NUMBER_GROUPS;
  const out: string[] = [];
  for (const { word, minus } of typed) {
    const end = word.start + word.text.length;
    const personal =
      spans.some(([from, to]) => word.start < to && end > from) || digits(word.exact) >= LONG_NUMBER || (grouped && digits(word.exact) > 0);
    const form = personal ? "#" : `${minus}${word.exact}`;
    if (form !== "#" || out.at(-1) !== "#") out.push(form);
  }
  return out.join(" ");
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The key a normal query is counted under: HMAC-SHA-256 with the deployment's secret, 128 bits as hex. Until a
 * query was searched k times, only this key is stored; without the secret it does not tell which text it stands
 * for, not even by trying likely texts.
 */
export async function queryKey(normal: string, secret: string): Promise<string> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(`fundstelle-insights:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    keys.clear();
    keys.set(secret, key);
  }
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(normal)));
  return Array.from(mac.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Whether two secrets are equal, in time that does not depend on where they differ (both are hashed first). */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([given, expected].map((s) => crypto.subtle.digest("SHA-256", encoder.encode(s))));
  const x = new Uint8Array(a as ArrayBuffer);
  const y = new Uint8Array(b as ArrayBuffer);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= (x[i] as number) ^ (y[i] as number);
  return difference === 0;
}
