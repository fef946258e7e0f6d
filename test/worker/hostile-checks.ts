// Checks shared by the hostile-input tests: how a browser encodes text, and what every answer must look like.
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
