// HTTP for the crawler: one host's requests kept apart and few at a time, every response bounded in time and size,
// redirects followed by hand (each hop checked), 429 and 503 retried after the server's Retry-After.
import { concatBytes } from "../../common/binary.js";

/** What one request brings back (after redirects), or why it brought nothing. */
export type FetchOutcome =
  | {
      ok: true;
      /** The URL the body came from, after redirects. */
      url: string;
      status: number;
      headers: Headers;
      /** The body (empty for a 304). */
      body: Uint8Array;
      /** Each URL redirected from, in order. */
      redirectedFrom: string[];
    }
  | { ok: false; url: string; reason: "size" | "redirects" | "error" | "timeout" | "scope" | "robots"; detail: string; status?: number };

/** How the fetcher behaves: see CrawlLimits for the meaning and defaults of each. */
export interface FetcherOptions {
  userAgent: string;
  inFlight: number;
  delayMs: number;
  timeoutMs: number;
  maxBytes: number;
  redirects: number;
  retries: number;
  retryAfterMs: number;
  /** First backoff after a failure without Retry-After, doubled each time (default 1,000 ms). */
  backoffMs?: number;
  /** Why a redirect may not lead to this URL (in normal form): out of scope, or disallowed by robots.txt; null when it may. */
  mayFollow: (url: string) => { reason: "scope" | "robots"; detail: string } | null;
  /** Called before each wait of a retry, to report it. */
  onRetry?: (url: string, waitMs: number, why: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null when it says nothing usable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Reads a response's body, refusing it past `maxBytes` (by Content-Length before reading, else while reading). */
async function boundedBody(response: Response, maxBytes: number): Promise<Uint8Array | { tooLarge: number }> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return { tooLarge: declared };
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      return { tooLarge: length };
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** The cause of a failed fetch in words: DNS, refused connection, TLS, reset. */
function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `the host name does not resolve (${code})`;
  if (code === "ECONNREFUSED") return "the connection was refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was dropped";
  if (/CERT|SSL|TLS/i.test(code) || /certificate|TLS|SSL/i.test(cause?.message ?? ""))
    return `the TLS connection failed (${code || cause?.message})`;
  const message = cause?.message ?? (error as Error).message;
  // fetch refuses the ports browsers block (25, 110, …), with just these two words.
  if (message === "bad port") return "its port is one fetch never connects to (a blocked port, as in browsers)";
  return message;
}

/**
 * Fetches for the crawler. Requests to one host start at least `delayMs` apart with at most `inFlight` open;
 * a 429 or 503 pauses the host for its Retry-After (bounded) or a backoff, then retries. Cookies are never
 * kept or sent (fetch has no cookie jar), nor credentials.
 */
export class PoliteFetcher {
  private readonly hosts = new Map<string, { active: number; nextStart: number; waiting: (() => void)[] }>();
  private readonly delays = new Map<string, number>();
  /** Requests sent and bytes received, for the report. */
  readonly stats = { requests: 0, bytes: 0, notModified: 0 };

  constructor(private readonly options: FetcherOptions) {}

  /** Sets the gap between two requests to `host` (a robots.txt Crawl-delay), in milliseconds. */
  delayFor(host: string, ms: number): void {
    this.delays.set(host, ms);
  }

  private slot(host: string) {
    let slot = this.hosts.get(host);
    if (slot === undefined) {
      slot = { active: 0, nextStart: 0, waiting: [] };
      this.hosts.set(host, slot);
    }
    return slot;
  }

  /** Waits for a free place and the host's next start time, then holds the place until `release`. */
  private async acquire(host: string): Promise<() => void> {
    const slot = this.slot(host);
    while (slot.active >= this.options.inFlight) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    slot.active++;
    const now = Date.now();
    const start = Math.max(now, slot.nextStart);
    slot.nextStart = start + (this.delays.get(host) ?? this.options.delayMs);
    if (start > now) await sleep(start - now);
    return () => {
      slot.active--;
      slot.waiting.shift()?.();
    };
  }

  /** Holds back every request to `host` until `ms` from now (a 429's Retry-After is about the host, not one URL). */
  private pause(host: string, ms: number): void {
    const slot = this.slot(host);
    slot.nextStart = Math.max(slot.nextStart, Date.now() + ms);
  }

  /**
   * GETs `url` with `headers`, following redirects to `options.redirects` hops within scope, retrying 429, 503,
   * timeouts and dropped connections; any other status is returned as it is (a 404 is an answer).
   */
  async fetch(url: string, headers: Record<string, string> = {}, maxBytes = this.options.maxBytes): Promise<FetchOutcome> {
    const { retries, retryAfterMs: maxWait } = this.options;
    let backoff = this.options.backoffMs ?? 1000;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.fetchFollowing(url, headers, maxBytes);
      const retryable =
        (outcome.ok && (outcome.status === 429 || outcome.status === 503)) ||
        (!outcome.ok && (outcome.reason === "timeout" || (outcome.reason === "error" && /dropped|refused/.test(outcome.detail))));
      if (!retryable || attempt >= retries) return outcome;
      const asked = outcome.ok ? retryAfterMs(outcome.headers.get("retry-after")) : null;
      if (asked !== null && asked > maxWait) {
        return {
          ok: false,
          url,
          reason: "error",
          status: outcome.ok ? outcome.status : undefined,
          detail: `answered ${outcome.ok ? outcome.status : ""} and asks to wait ${Math.round(asked / 1000)} s (Retry-After), more than the ${Math.round(maxWait / 1000)} s the crawl waits`,
        };
      }
      const wait = asked ?? backoff;
      backoff *= 2;
      const why = outcome.ok ? `answered ${outcome.status}` : outcome.detail;
      this.options.onRetry?.(url, wait, why);
      this.pause(new URL(outcome.url).host, wait);
    }
  }

  private async fetchFollowing(url: string, headers: Record<string, string>, maxBytes: number): Promise<FetchOutcome> {
    const chain: string[] = [];
    let current = url;
    for (;;) {
      const outcome = await this.fetchOnce(current, headers, maxBytes);
      if (!outcome.ok || outcome.status < 300 || outcome.status >= 400 || outcome.status === 304) {
        return outcome.ok ? { ...outcome, redirectedFrom: chain } : outcome;
      }
      const location = outcome.headers.get("location");
      if (location === null) return { ...outcome, redirectedFrom: chain };
      let next: string;
      try {
        const target = new URL(location, current);
        target.hash = "";
        next = target.href;
      } catch {
        return { ok: false, url: current, reason: "error", detail: `redirects to "${location}", which is no address` };
      }
      chain.push(current);
      if (chain.includes(next))
        return { ok: false, url, reason: "redirects", detail: `redirects in a loop (${[...chain, next].join(" → ")})` };
      if (chain.length > this.options.redirects)
        return { ok: false, url, reason: "redirects", detail: `redirects more than ${this.options.redirects} times` };
      const refused = this.options.mayFollow(next);
      if (refused !== null) return { ok: false, url, reason: refused.reason, detail: `redirects to ${next}, ${refused.detail}` };
      current = next;
    }
  }

  private async fetchOnce(url: string, headers: Record<string, string>, maxBytes: number): Promise<FetchOutcome> {
    const host = new URL(url).host;
    const release = await this.acquire(host);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      this.stats.requests++;
      const response = await fetch(url, {
        headers: { "user-agent": this.options.userAgent, accept: "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8", ...headers },
        redirect: "manual",
        signal: controller.signal,
      });
      if (response.status === 304) {
        this.stats.notModified++;
        await response.body?.cancel().catch(() => {});
        return { ok: true, url, status: 304, headers: response.headers, body: new Uint8Array(0), redirectedFrom: [] };
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => {});
        return { ok: true, url, status: response.status, headers: response.headers, body: new Uint8Array(0), redirectedFrom: [] };
      }
      const body = await boundedBody(response, maxBytes);
      if (!(body instanceof Uint8Array)) {
        return {
          ok: false,
          url,
          reason: "size",
          status: response.status,
          detail: `is larger than the ${(maxBytes / 1024 / 1024).toFixed(2).replace(/\.?0+$/, "")} MB a response may have`,
        };
      }
      this.stats.bytes += body.byteLength;
      return { ok: true, url, status: response.status, headers: response.headers, body, redirectedFrom: [] };
    } catch (error) {
      if (controller.signal.aborted)
        return { ok: false, url, reason: "timeout", detail: `did not answer in full within ${this.options.timeoutMs / 1000} s` };
      return { ok: false, url, reason: "error", detail: networkProblem(error) };
    } finally {
      clearTimeout(timer);
      release();
    }
  }
}
