// Checks shared by the hostile-input tests: how a browser encodes text, and what every answer must look like.
import fc from "fast-check";
import { expect } from "vitest";

const CODES = new Set(["invalid_parameter", "query_too_long", "not_found", "method_not_allowed", "rate_limited", "index_unavailable"]);

/** Percent-encodes text as a browser would; lone surrogates (which UTF-8 cannot carry) become U+FFFD. */
export function encode(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));
}

/** Checks one answer against the contract; returns the status. */
export async function checkAnswer(response: Response, label: string): Promise<number> {
  const status = response.status;
  expect(status, label).toBeLessThan(500);
  if (status === 204 || status === 304) return status;
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("text/html")) {
    await response.text();
    return status;
  }
  expect(type, label).toContain("application/json");
  const body = (await response.json()) as Record<string, unknown>;
  if (status >= 400) {
    const error = body.error as { code: string; message: string } | undefined;
    expect(error, label).toBeDefined();
    expect(CODES.has(error?.code ?? ""), `${label}: ${error?.code}`).toBe(true);
    expect(typeof error?.message, label).toBe("string");
  } else if (label.includes("/search")) {
    expect(Array.isArray(body.hits), label).toBe(true);
    expect(typeof body.total, label).toBe("number");
  }
  return status;
}

/**
 * Own property names of Object.prototype and Function.prototype, and "__proto__": words too, which a lookup
 * in a plain object keyed by text would find where they do not belong.
 */
export const PROTOTYPE_WORDS: readonly string[] = [
  ...new Set(["__proto__", ...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Function.prototype)]),
];

/** Query text a client may send: any string, and the cases that broke or slowed something once. */
export const hostileText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    '"',
    '""""',
    "-",
    "- - -",
    '-"',
    "\u0000\u0001\u001f",
    "🙂🙂🙂 Kasachstan",
    "שלום مرحبا Kasachstan",
    "a\u0301\u0308\u0327",
    "z. B. ca. 8,75 Mrd.",
    "<script>alert(1)</script>",
    "%",
    "%E0%A4%A",
    "\uD800",
    "Z5+1-Gipfel Goethe-Institut",
    "x".repeat(256),
    "Kasachstan ".repeat(30),
    `${'"in der" '.repeat(27)}d`,
    '"Kasachstan Handel" "kasachstan handel" "Deutschland und"',
    "Kasachstan constructor",
  ),
  // Words that name properties of Object.prototype and Function.prototype, alone, mixed with corpus words,
  // quoted, excluded and completed.
  fc
    .array(fc.constantFrom(...PROTOTYPE_WORDS, "Kasachstan", "Handel", "und"), { minLength: 1, maxLength: 6 })
    .chain((words) =>
      fc.constantFrom(words.join(" "), `"${words.join(" ")}"`, `-${words.join(" -")}`, `${words.join(" ")} ${words[0]?.slice(0, 3) ?? ""}`),
    ),
);

export const paramName = fc.constantFrom(
  "q",
  "limit",
  "offset",
  "collection",
  "doc",
  "from",
  "to",
  "group",
  "sort",
  "fuzzy",
  "prefix",
  "x",
  "",
);
export const paramValue = fc.oneof(
  hostileText,
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    "-1",
    "0",
    "1",
    "2",
    "50",
    "51",
    "1000",
    "1001",
    "1e3",
    "0x10",
    "NaN",
    "Infinity",
    "true",
    "false",
    "[]",
    "{}",
    "2024-02-30",
    "2024-10-30",
    "document",
    "date",
    ...PROTOTYPE_WORDS,
    "auto",
    "",
  ),
);

/** A query string of the pairs, percent-encoded as a browser would or raw. */
export function rawQueryString(pairs: [string, string][], encoded: boolean): string {
  return pairs.map(([k, v]) => (encoded ? `${encode(k)}=${encode(v)}` : `${k}=${v}`)).join("&");
}

/** How a test sends a request: a path with its query string, answered by the app. */
export type Send = (path: string) => Response | Promise<Response>;

/** Any query text gets 200 or 400 with the documented shape. */
export function anyQueryText(send: Send) {
  return fc.asyncProperty(hostileText, fc.boolean(), async (q, encoded) => {
    const path = `/search?q=${encoded ? encode(q) : q.replace(/[#\s]/g, "+")}`;
    expect([200, 400]).toContain(await checkAnswer(await send(path), path));
  });
}

/** Any combination of parameters, repeated or not, gets a JSON answer and never a 5xx. */
export function anyParameters(send: Send) {
  return fc.asyncProperty(
    fc.constantFrom("/search", "/suggest"),
    fc.array(fc.tuple(paramName, paramValue), { maxLength: 6 }),
    fc.boolean(),
    async (path, pairs, encoded) => {
      const url = `${path}?${rawQueryString(pairs, encoded)}`.replace(/[#\s]/g, "+");
      await checkAnswer(await send(url), url);
    },
  );
}
