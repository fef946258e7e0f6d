// Which document urls may be followed: one rule for the builder (refuses), the worker (serves null) and the widget (links the document view).

/** A stand-in origin for resolving site paths; only ever compared, never fetched. */
const PROBE_ORIGIN = "https://fundstelle.invalid";

/**
 * Why a document url may not be followed, or null when it may. Allowed are an absolute http(s) URL with a host
 * (`https://www.example.org/x`, any case of the scheme) and a path on the site itself that starts with exactly
 * one `/` (`/laender/kasachstan`). Judged after the URL parser's normalisation, which strips leading spaces and
 * control characters, drops tabs and newlines and reads `\` as `/`, so none of these may appear at all:
 * `//evil.example/x`, `/\evil.example/x`, `\\evil.example`, ` /x` and `https:evil.example` would all lead
 * off the site or be read differently by a browser than by a person.
 *
 * @example
 * urlProblem("/laender/kasachstan") // null
 * urlProblem("//evil.example/x") // "starts with // (another host)"
 */
export function urlProblem(url: string): string | null {
  if (url === "") return "is empty";
  // C0 controls, space, DEL and C1 controls: the parser strips or drops some of them silently.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return "contains a space or control character (percent-encode spaces as %20)";
  if (url.includes("\\")) return "contains a backslash";
  if (url.startsWith("/")) {
    if (url.startsWith("//")) return "starts with // (another host)";
    let resolved: URL;
    try {
      resolved = new URL(url, PROBE_ORIGIN);
    } catch {
      return "is not a valid path";
    }
    return resolved.origin === PROBE_ORIGIN ? null : "does not stay on the site";
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== "http" && scheme !== "https") return "is neither an http(s) URL nor a path starting with /";
  // "https:evil.example" and "https:///evil.example" parse as https://evil.example/: demand the two slashes and a host.
  if (!/^https?:\/\/[^/?#]/i.test(url)) return "needs // and a host after the scheme";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a valid URL";
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.hostname === "") return "has no host";
  return null;
}

/** Whether a document url may be followed and served (see {@link urlProblem}). */
export function isSafeUrl(url: string): boolean {
  return urlProblem(url) === null;
}
