// What insights keep of a query: its analyzer normal form, and a keyed hash of it under which it is counted.
import { parseQuery } from "../search/query.js";

/** A word with this many digits or more (a phone, customer or file number, a date of birth) is stored as "#". */
const LONG_NUMBER = 5;
/** A query with this many words holding digits (a phone number or an IBAN typed in groups) has all of them as "#". */
const NUMBER_GROUPS = 3;

const digits = (word: string) => word.replace(/\D/g, "").length;

/**
 * A query in the analyzer's normal form, as insights count it: its searched words (stop words dropped, at most
 * twelve) in their exact normalised form (lower case, ß as ss), excluded words after a minus, in the order typed.
 * "Wie beantrage ich einen Parkausweis?" and "wie beantrage parkausweis" are one query. Numbers that may point to
 * a person are "#": a word with five digits or more ("12.03.1985", "1234567"), and every word with digits in a
 * query with three of them ("+49 170 …", an IBAN in groups); "Haushalt 2024" stays. "" when nothing is searched.
 */
export function normalQuery(q: string): string {
  const parsed = parseQuery(q);
  const words = [...parsed.words.map((w) => w.exact), ...parsed.excluded.map((w) => `-${w.exact}`)];
  const grouped = words.filter((word) => digits(word) > 0).length >= NUMBER_GROUPS;
  return words.map((word) => (digits(word) >= LONG_NUMBER || (grouped && digits(word) > 0) ? "#" : word)).join(" ");
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
