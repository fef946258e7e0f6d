// CORS_ORIGINS read once per isolate: origins normalised as browsers send them, bad entries logged once and left out.

/** The origins a deployment allows: any (`*`), or a set of normalised origins. */
export type AllowedOrigins = { any: true } | { any: false; origins: ReadonlySet<string> };

/**
 * An entry of CORS_ORIGINS as the origin a browser sends (`scheme://host[:port]`, lower case, no default port,
 * no trailing slash), or null when it is not one. "https://www.example.org/" and "HTTPS://WWW.Example.org" are
 * "https://www.example.org"; "www.example.org" (no scheme) and "https://example.org/suche" (a path) are not
 * origins.
 *
 * @example
 * normaliseOrigin(" https://www.example.org/ ") // "https://www.example.org"
 */
export function normaliseOrigin(entry: string): string | null {
  const text = entry.trim();
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.origin === "null" ? null : url.origin;
  } catch {
    return null;
  }
}

const parsed = new Map<string, AllowedOrigins>();

/**
 * The allowed origins of a CORS_ORIGINS value (comma-separated origins, or `*`; unset means `*`), parsed on first
 * use and kept for the isolate. An entry that is not an origin is left out, and logged once with what to write
 * instead; a value of nothing but bad entries allows no origin (the API still answers, browsers on other sites
 * cannot read it).
 */
export function allowedOrigins(value: string | undefined, log: (line: string) => void = console.warn): AllowedOrigins {
  const raw = value ?? "*";
  let allowed = parsed.get(raw);
  if (!allowed) {
    const entries = raw
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    if (entries.includes("*")) allowed = { any: true };
    else {
      const origins = new Set<string>();
      for (const entry of entries) {
        const origin = normaliseOrigin(entry);
        if (origin) origins.add(origin);
        else
          log(
            JSON.stringify({
              event: "config",
              problem: `CORS_ORIGINS: "${entry.slice(0, 200)}" is not an origin and is ignored; write scheme and host, e.g. "https://www.example.org"`,
            }),
          );
      }
      allowed = { any: false, origins };
    }
    parsed.set(raw, allowed);
  }
  return allowed;
}

/** The Access-Control-Allow-Origin value for a request's Origin header, or null to allow none. */
export function allowOrigin(allowed: AllowedOrigins, origin: string): string | null {
  if (allowed.any) return "*";
  const normalised = normaliseOrigin(origin);
  return normalised && allowed.origins.has(normalised) ? origin : null;
}
