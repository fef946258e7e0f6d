import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import robotsParser from "robots-parser";
import { sha256 } from "../artifact-files.js";
import { URLS_FILE } from "../corpus.js";
import { isIsoDate } from "../source.js";
import { type FetchOutcome, PoliteFetcher } from "./fetcher.js";
import { corpusText, headerRobots, pageFacts } from "./page.js";
import { fileOfUrl, normalUrl, Scope, shortHash, TYPE_EXTENSIONS } from "./scope.js";
import { type CrawlSettings, collectionOfHost, ROBOTS_AGENT, userAgentOf } from "./settings.js";
import { parseSitemap } from "./sitemap.js";
import { loadState, type StateEntry, StateEntrySchema, saveState, writeAtomically } from "./state.js";

/** Why a URL was not written, as the report groups them. */
export const SKIP_REASONS = {
  robots: "disallowed by robots.txt",
  noindex: "noindex",
  canonical: "another canonical address",
  scope: "out of scope",
  type: "not a document type",
  size: "too large",
  trap: "too many query variants of one path",
  limit: "over the page limit",
  duplicate: "the same page as another URL",
  redirect: "a redirect (its target is crawled)",
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

/** One line of the report: what happened to a URL. */
export interface CrawlOutcome {
  url: string;
  result: "new" | "changed" | "unchanged" | "removed" | "kept" | "skipped" | "error";
  reason?: SkipReason;
  detail?: string;
  file?: string;
}

/** What a crawl did, for the summary and the report file. */
export interface CrawlReport {
  collection: string;
  collectionDir: string;
  stateFile: string;
  /** The report of this crawl (a failed one's goes beside the last good one's, not over it). */
  reportFile: string;
  outcomes: CrawlOutcome[];
  /** Problems with the site as a whole (robots.txt, sitemaps, the state): named, the crawl went on. */
  notes: string[];
  requests: number;
  bytes: number;
  notModified: number;
  ms: number;
  /** Whether the crawl kept any page (fetched, or confirmed unchanged); when not, nothing in the corpus was changed. */
  reached: boolean;
  /** Links to other sites or outside the folder, not followed (not listed one by one). */
  linksOutside: number;
}

/** Where the crawl reports while it runs. */
export interface CrawlIo {
  /** Called after each URL, with the running counts, for a progress line. */
  progress?: (counts: { fetched: number; queued: number; skipped: number; errors: number; perSecond: number }) => void;
  /** Ask for every page again (conditionally), whatever the sitemap's lastmod says. */
  recheck?: boolean;
  /** First backoff of a retry, in ms (tests make it short). */
  backoffMs?: number;
}

/** Content-Types that say only "some bytes": the body's own signature decides (a PDF's %PDF-). */
const UNTYPED = new Set([
  "",
  "application/octet-stream",
  "binary/octet-stream",
  "application/x-download",
  "application/force-download",
  "application/download",
]);

/** Longest robots.txt read (Google reads 500 KiB and ignores the rest). */
const MAX_ROBOTS_BYTES = 500 * 1024;
/** Most sitemaps read in one crawl (an index naming more is cut, and says so). */
const MAX_SITEMAPS = 1000;

interface QueueItem {
  url: string;
  depth: number;
  lastmod: string | null;
  /** Where the crawl found it: the page linking to it, a sitemap, or "start". */
  via: string;
}

/** The type a Content-Type header names, in lower case without parameters. */
function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * Crawls the site `settings` names into `corpusDir/<collection>/`, keeping the state in `settings.state` (relative to
 * `cwd`). Never throws for anything the site does: every problem is an outcome or a note. A crawl that cannot reach
 * the site (its robots.txt or every start URL fails) changes nothing in the corpus.
 */
export async function crawlSite(settings: CrawlSettings, corpusDir: string, cwd: string, io: CrawlIo = {}): Promise<CrawlReport> {
  // While it runs, a marker in the state folder tells npm start's watcher to hold its rebuilds (the pages would be
  // indexed before urls.tsv names their addresses); a crawl that dies leaves it with its process id.
  const marker = join(resolve(cwd, settings.state), CRAWLING_MARKER);
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, `${process.pid}\n`);
  try {
    return await crawl(settings, corpusDir, cwd, io);
  } finally {
    rmSync(marker, { force: true });
  }
}

/** The file in the crawl state folder that says a crawl is running (see watch-corpus.ts). */
export const CRAWLING_MARKER = "crawling.pid";

async function crawl(settings: CrawlSettings, corpusDir: string, cwd: string, io: CrawlIo): Promise<CrawlReport> {
  const recheck = io.recheck === true;
  const started = performance.now();
  const starts = settings.start.map((url) => normalUrl(url) as string);
  if (starts.length === 0)
    throw new Error("nothing to crawl: give a start URL (npm run crawl -- https://www.example.de/) or fundstelle.crawl.start");
  const origins = new Set(starts.map((url) => new URL(url).origin));
  if (origins.size > 1)
    throw new Error(
      `the start URLs are on ${origins.size} sites (${[...origins].join(", ")}): crawl each site into a collection of its own`,
    );
  const collection = settings.collection ?? collectionOfHost(new URL(starts[0] as string).hostname);
  const collectionDir = join(resolve(cwd, corpusDir), collection);
  const stateDir = resolve(cwd, settings.state);
  const stateFile = join(stateDir, `${collection}.json`);
  const reportFile = join(stateDir, `${collection}-report.txt`);
  const { limits } = settings;
  const report: CrawlReport = {
    collection,
    collectionDir,
    stateFile,
    reportFile,
    outcomes: [],
    notes: [],
    requests: 0,
    bytes: 0,
    notModified: 0,
    ms: 0,
    reached: false,
    linksOutside: 0,
  };
  const loaded = loadState(stateFile, collection);
  if (loaded.problem !== null) report.notes.push(loaded.problem);
  const previous = loaded.entries.size > 0 ? loaded.entries : entriesOfUrlList(collectionDir);
  if (loaded.entries.size === 0 && previous.size > 0)
    report.notes.push(`no crawl state: the ${previous.size} files of the last crawl were taken from ${URLS_FILE}`);
  const aliases = new Map<string, StateEntry>();
  for (const entry of previous.values()) for (const from of entry.from ?? []) aliases.set(from, entry);
  const next = new Map<string, StateEntry>();
  const scope = new Scope(starts, settings.include, settings.exclude);
  const robots = new Map<string, ReturnType<typeof robotsParser> | { unreachable: string }>();
  let startPhase = true;
  const sameSite = (a: string, b: string) => new URL(a).hostname.replace(/^www\./, "") === new URL(b).hostname.replace(/^www\./, "");
  const fetcher = new PoliteFetcher({
    userAgent: userAgentOf(settings.contact),
    inFlight: limits.inFlight,
    delayMs: limits.delayMs,
    timeoutMs: limits.timeoutSeconds * 1000,
    maxBytes: limits.megabytes * 1024 * 1024,
    redirects: limits.redirects,
    retries: limits.retries,
    retryAfterMs: limits.retryAfterSeconds * 1000,
    ...(io.backoffMs !== undefined ? { backoffMs: io.backoffMs } : {}),
    // A start URL may move to https or to www. (the scope then grows to where it went); nothing else leaves the scope.
    mayFollow: (url) => {
      const inScope = scope.verdict(url)?.reason !== "scope" || (startPhase && starts.some((start) => sameSite(start, url)));
      if (!inScope) return { reason: "scope", detail: "out of scope" };
      // A hop into a disallowed path is refused before it is requested (an origin whose rules are not read yet is
      // a start URL's new home: its rules are read before anything else there).
      const rules = robots.get(new URL(url).origin);
      if (rules !== undefined && !("unreachable" in rules) && rules.isAllowed(url, ROBOTS_AGENT) === false)
        return { reason: "robots", detail: "disallowed by robots.txt" };
      return null;
    },
    onRetry: (url, wait, why) => report.notes.push(`${url} ${why}; retried after ${(wait / 1000).toFixed(1)} s`),
  });

  // robots.txt, per origin, fetched once.
  const robotsOf = async (origin: string) => {
    const known = robots.get(origin);
    if (known !== undefined) return known;
    const url = `${origin}/robots.txt`;
    const outcome = await fetcher.fetch(url);
    let rules: ReturnType<typeof robotsParser> | { unreachable: string };
    if (!outcome.ok && (outcome.reason === "scope" || outcome.reason === "robots" || outcome.reason === "redirects")) {
      // RFC 9309: a robots.txt whose redirects cannot be followed counts as unavailable, which allows everything.
      report.notes.push(`${url} ${outcome.detail}: treated as no robots.txt`);
      rules = robotsParser(url, "");
    } else if (!outcome.ok) rules = { unreachable: `${url} ${outcome.detail}` };
    else if (outcome.status >= 500 || outcome.status === 429) rules = { unreachable: `${url} answered ${outcome.status}` };
    else if (outcome.status >= 400) rules = robotsParser(url, "");
    else {
      let body = outcome.body;
      if (body.byteLength > MAX_ROBOTS_BYTES) {
        report.notes.push(`${url} is larger than 500 KiB: its first 500 KiB are read, as search engines do`);
        body = body.subarray(0, MAX_ROBOTS_BYTES);
      }
      const text = new TextDecoder().decode(body);
      if (mediaType(outcome.headers.get("content-type")) === "text/html" || /^\s*</.test(text)) {
        report.notes.push(`${url} is an HTML page, not a robots.txt: no rules read`);
        rules = robotsParser(url, "");
      } else rules = robotsParser(url, text);
      const delay = rules.getCrawlDelay(ROBOTS_AGENT);
      if (typeof delay === "number" && delay > 0) {
        const ms = Math.min(delay, 60) * 1000;
        fetcher.delayFor(new URL(origin).host, ms);
        report.notes.push(`${url} asks for ${delay} s between requests (Crawl-delay): the crawl waits ${ms / 1000} s`);
      }
    }
    robots.set(origin, rules);
    return rules;
  };

  const seen = new Set<string>();
  /** Pages left for their canonical address, with what keeping them needs. */
  const setAside = new Map<
    string,
    { canonical: string; extension: string; bytes: Uint8Array; answer: FetchOutcome & { ok: true }; item: QueueItem; from: string[] }
  >();
  /** Most URLs the crawl keeps track of: 20 for every page it may fetch. */
  const maxDiscovered = limits.pages * 20;
  let undiscovered = 0;
  const queue: QueueItem[] = [];
  let siteName: string | null = null;
  const variants = new Map<string, number>();
  let fetched = 0;
  let limitHit = false;
  let skipped = 0;
  let errors = 0;
  /** Files by lower-cased path (two names differing only in case are one file on macOS and Windows) → their URL. */
  const usedFiles = new Map<string, string>();
  for (const entry of previous.values()) usedFiles.set(entry.file.toLowerCase(), entry.url);
  const outcome = (line: CrawlOutcome) => {
    report.outcomes.push(line);
    if (line.result === "skipped") skipped++;
    if (line.result === "error" || line.result === "kept") errors++;
  };
  /** Explicit verdicts on URLs the state had: their copies go even when the crawl was incomplete. */
  const gone = new Set<string>();

  /** Items waiting in the queue by URL: a sitemap read after the links found a page still gives it its lastmod. */
  const waiting = new Map<string, QueueItem>();
  const enqueue = (url: string, depth: number, lastmod: string | null, listed: boolean, via: string): void => {
    if (seen.has(url)) {
      const item = waiting.get(url);
      if (item !== undefined && lastmod !== null) item.lastmod = lastmod;
      return;
    }
    // Pages full of distinct links (generated archives, session ids in every link) must not grow memory without end.
    if (seen.size >= maxDiscovered) {
      undiscovered++;
      return;
    }
    const verdict = scope.verdict(url);
    if (verdict !== null) {
      // Links out of the site are counted; a sitemap listing them is named.
      if (verdict.reason === "scope" && !listed) report.linksOutside++;
      else outcome({ url, result: "skipped", reason: verdict.reason, detail: verdict.detail });
      seen.add(url);
      return;
    }
    seen.add(url);
    const item = { url, depth, lastmod, via };
    waiting.set(url, item);
    queue.push(item);
  };

  // Sitemaps: those configured, those robots.txt names, else /sitemap.xml; indexes followed, each sitemap once.
  const sitemapLimit = limits.sitemapMegabytes * 1024 * 1024;
  let sitemapBytes = 0;
  const readSitemaps = async (origin: string, rules: ReturnType<typeof robotsParser>) => {
    const named = [...settings.sitemaps, ...rules.getSitemaps()].map((url) => normalUrl(url)).filter((url): url is string => url !== null);
    const pending = named.length > 0 ? named : [`${origin}/sitemap.xml`];
    const implicit = named.length === 0;
    const done = new Set<string>();
    const origins = new Set(scope.folders.map((folder) => new URL(folder).origin));
    while (pending.length > 0) {
      const url = pending.shift() as string;
      if (done.has(url)) continue;
      // The sitemap protocol's own rule, and no requests to hosts nobody asked to crawl (from a CI runner, say).
      if (!origins.has(new URL(url).origin)) {
        report.notes.push(`sitemap ${url} is on another site than the crawl's: not read`);
        done.add(url);
        continue;
      }
      if (sitemapBytes > 4 * sitemapLimit) {
        report.notes.push(`the sitemaps passed ${Math.round((4 * sitemapLimit) / 1024 / 1024)} MB together: the rest are not read`);
        break;
      }
      if (done.size >= MAX_SITEMAPS) {
        report.notes.push(`more than ${MAX_SITEMAPS} sitemaps: the rest are not read`);
        break;
      }
      done.add(url);
      const answer = await fetcher.fetch(url, {}, sitemapLimit);
      if (!answer.ok) {
        report.notes.push(`sitemap ${url} ${answer.detail}`);
        continue;
      }
      if (answer.status !== 200) {
        if (!(implicit && answer.status === 404)) report.notes.push(`sitemap ${url} answered ${answer.status}`);
        continue;
      }
      sitemapBytes += answer.body.byteLength;
      const parsed = parseSitemap(answer.body, sitemapLimit);
      if ("problem" in parsed) {
        report.notes.push(`sitemap ${url} ${parsed.problem}: its URLs are not read`);
        continue;
      }
      for (const { loc, lastmod } of parsed.entries) {
        const entryUrl = normalUrl(loc, url);
        if (entryUrl === null) continue;
        if (parsed.kind === "sitemapindex") pending.push(entryUrl);
        else enqueue(entryUrl, 0, lastmod, true, `the sitemap ${url}`);
      }
    }
  };

  const stored = (entry: StateEntry | undefined): Uint8Array | null => {
    if (entry === undefined) return null;
    try {
      return readFileSync(join(collectionDir, entry.file));
    } catch {
      return null;
    }
  };

  const follow = (html: string, url: string, depth: number) => {
    const facts = pageFacts(html, url);
    if (depth >= limits.depth) return facts;
    for (const link of facts.links) enqueue(link, depth + 1, null, false, url);
    return facts;
  };

  /** Writes a fetched document (unless its copy is already these bytes) and records it in the next state. */
  const keep = (
    url: string,
    extension: string,
    bytes: Uint8Array,
    answer: FetchOutcome & { ok: true },
    item: QueueItem,
    from: string[],
  ) => {
    const before = previous.get(url) ?? next.get(url);
    let file = before?.file;
    if (file === undefined || !file.endsWith(extension)) {
      file = fileOfUrl(url, extension);
      // "/" and "/index.html", "/kontakt" and "/kontakt.html" want one name: the later one gets its URL's hash.
      for (let n = 0; usedFiles.has(file.toLowerCase()) && usedFiles.get(file.toLowerCase()) !== url; n++) {
        file = `${file.slice(0, file.length - extension.length).replace(/-[0-9a-f]{8}$/, "")}-${shortHash(`${url}#${n}`)}${extension}`;
      }
    }
    usedFiles.set(file.toLowerCase(), url);
    const hash = sha256(bytes);
    const path = join(collectionDir, file);
    // Unchanged bytes are not written again, so that the files' times (and an incremental build) see no change.
    const unchanged = existsSync(path) && (before?.hash === hash || sha256(readFileSync(path)) === hash);
    if (!unchanged) writeAtomically(path, bytes);
    report.reached = true;
    if (before !== undefined && before.file !== file) rmSync(join(collectionDir, before.file), { force: true });
    const etag = answer.headers.get("etag");
    const lastModified = answer.headers.get("last-modified");
    const date = pageDate(item.lastmod, lastModified);
    next.set(url, {
      url,
      file,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
      ...(item.lastmod ? { lastmod: item.lastmod } : {}),
      ...(from.length > 0 ? { from } : {}),
      ...(date !== null ? { date } : {}),
      hash,
      status: answer.status,
      checked: new Date().toISOString(),
    });
    outcome({ url, result: unchanged ? "unchanged" : before === undefined ? "new" : "changed", file });
  };

  /** A URL whose last good copy stays (a 5xx, a timeout): it is kept in the state as it was. */
  const keepLast = (url: string, detail: string, depth = 0) => {
    const before = previous.get(url);
    if (before !== undefined) {
      next.set(url, { ...before, status: detail.slice(0, 80) });
      // It may be the only way to other pages: its last copy's links are followed, so that they are not taken for gone.
      const copy = stored(before);
      if (copy !== null && before.file.endsWith(".html")) follow(storedText(copy), url, depth);
      outcome({ url, result: "kept", detail: `${detail}; the last good copy stays`, file: before.file });
    } else outcome({ url, result: "error", detail });
  };

  const visit = async (item: QueueItem): Promise<void> => {
    const { url } = item;
    waiting.delete(url);
    // Kept already as another URL's redirect target: one request, one page-limit place, one report line.
    if (next.has(url)) return;
    const origin = new URL(url).origin;
    const rules = await robotsOf(origin);
    if ("unreachable" in rules) {
      keepLast(url, `not fetched: ${rules.unreachable}`, item.depth);
      return;
    }
    if (rules.isAllowed(url, ROBOTS_AGENT) === false) {
      gone.add(url);
      outcome({ url, result: "skipped", reason: "robots", detail: `line ${rules.getMatchingLineNumber(url, ROBOTS_AGENT)}` });
      return;
    }
    const parsed = new URL(url);
    if (parsed.search !== "") {
      const path = `${parsed.origin}${parsed.pathname}`;
      const count = (variants.get(path) ?? 0) + 1;
      variants.set(path, count);
      if (count > limits.variantsPerPath) {
        outcome({ url, result: "skipped", reason: "trap", detail: `more than ${limits.variantsPerPath} of ${parsed.pathname}` });
        return;
      }
    }
    if (fetched >= limits.pages) {
      limitHit = true;
      outcome({ url, result: "skipped", reason: "limit", detail: `${limits.pages} pages` });
      return;
    }
    fetched++;
    // A URL that redirected last time is known by where it led (the state keeps the final address, and where from).
    const before = previous.get(url) ?? aliases.get(url);
    const copy = stored(before);
    // The sitemap says the page has not changed since the copy was fetched: no request at all.
    // A CMS may forget to move lastmod: a copy older than recheckDays (or every copy, with --recheck) is asked anyway.
    const fresh = before !== undefined && !recheck && Date.now() - Date.parse(before.checked) < limits.recheckDays * 86_400_000;
    if (before !== undefined && copy !== null && item.lastmod !== null && before.lastmod === item.lastmod && fresh) {
      seen.add(before.url);
      next.set(before.url, before);
      outcome({ url: before.url, result: "unchanged", detail: "sitemap lastmod", file: before.file });
      report.reached = true;
      if (before.file.endsWith(".html")) follow(storedText(copy), before.url, item.depth);
      return;
    }
    const conditional: Record<string, string> = {};
    if (before !== undefined && copy !== null) {
      if (before.etag) conditional["if-none-match"] = before.etag;
      if (before.lastModified) conditional["if-modified-since"] = before.lastModified;
    }
    const answer = await fetcher.fetch(url, conditional);
    if (!answer.ok) {
      if (answer.reason === "size" || answer.reason === "scope" || answer.reason === "robots") {
        gone.add(url);
        outcome({ url, result: "skipped", reason: answer.reason, detail: answer.detail });
      } else keepLast(before?.url ?? url, answer.detail, item.depth);
      return;
    }
    // After a redirect, the page is its final address's.
    const final = answer.url;
    const redirected = final !== url;
    if (redirected) {
      gone.add(url);
      outcome({ url, result: "skipped", reason: "redirect", detail: `redirects to ${final}` });
      if (next.has(final)) {
        outcome({ url: final, result: "skipped", reason: "duplicate", detail: "fetched already (by another address)" });
        return;
      }
      seen.add(final);
      if (startPhase) {
        // The start's folder moves with it to https or www.; a redirect to another path (a CMS's id URL, a consent
        // page) does not widen the crawl to that path's folder.
        const moved = new URL(final);
        const start = new URL(url);
        scope.allow(`${moved.origin}${start.pathname}`);
        if (moved.pathname !== start.pathname)
          report.notes.push(
            `the start URL ${url} redirects to ${final}: the crawl stays under ${start.pathname.slice(0, start.pathname.lastIndexOf("/") + 1)} on ${moved.origin}`,
          );
      }
    }
    const from = redirected ? [url] : [];
    if (answer.status === 304 && before !== undefined && copy !== null && before.url === final) {
      next.set(final, { ...before, ...(from.length > 0 ? { from } : {}), status: 304, checked: new Date().toISOString() });
      outcome({ url: final, result: "unchanged", detail: "304", file: before.file });
      report.reached = true;
      if (before.file.endsWith(".html")) follow(storedText(copy), final, item.depth);
      return;
    }
    if (answer.status === 404 || answer.status === 410) {
      gone.add(final);
      // A page never kept that is not there is a broken link: say where it is, so that the editor can fix it.
      const where = previous.has(final) ? "" : ` (a broken link: found in ${item.via})`;
      outcome({ url: final, result: previous.has(final) ? "removed" : "error", detail: `answered ${answer.status}${where}` });
      return;
    }
    if (answer.status !== 200 && answer.status !== 203) {
      keepLast(final, `answered ${answer.status}`, item.depth);
      return;
    }
    const type = mediaType(answer.headers.get("content-type"));
    // "Unknown binary" is no type: a PDF served as application/octet-stream (a common server default) is read as one.
    const extension = TYPE_EXTENSIONS.get(type) ?? (UNTYPED.has(type) && pdfMagic(answer.body) ? ".pdf" : undefined);
    if (extension === undefined) {
      gone.add(final);
      outcome({ url: final, result: "skipped", reason: "type", detail: type === "" ? "no Content-Type" : type });
      return;
    }
    const robotsHeader = headerRobots(answer.headers.get("x-robots-tag"));
    const textual = extension === ".html" || extension === ".txt" || extension === ".md";
    let bytes = answer.body;
    if (textual) {
      const text = corpusText(answer.body, answer.headers.get("content-type"), extension === ".html");
      if ("problem" in text) {
        gone.add(final);
        outcome({ url: final, result: "skipped", reason: "type", detail: text.problem });
        return;
      }
      if (text.note !== null) report.notes.push(`${final} ${text.note}`);
      bytes = text.bytes;
      if (extension === ".html") {
        const facts = robotsHeader.nofollow ? pageFacts(text.text, final) : follow(text.text, final, item.depth);
        if (startPhase) siteName ??= facts.siteName;
        if (facts.noindex || robotsHeader.noindex) {
          gone.add(final);
          outcome({ url: final, result: "skipped", reason: "noindex", detail: facts.noindex ? "<meta name=robots>" : "X-Robots-Tag" });
          return;
        }
        // One document per canonical address: this copy is the other's (fetched in its turn). A canonical address
        // outside the scope (http for https, another host) is no reason to lose the page: the builder files it under that address.
        if (facts.canonical !== null && facts.canonical !== final && scope.verdict(facts.canonical) === null) {
          gone.add(final);
          enqueue(facts.canonical, item.depth, null, false, final);
          // Kept aside: should the canonical address not be kept (a 404, noindex, a redirect back here), this is the page.
          setAside.set(final, { canonical: facts.canonical, extension, bytes, answer, item, from });
          outcome({ url: final, result: "skipped", reason: "canonical", detail: facts.canonical });
          return;
        }
      }
    } else if (pdfMagic(bytes) === false && extension === ".pdf") {
      gone.add(final);
      outcome({ url: final, result: "skipped", reason: "type", detail: "served as application/pdf but is no PDF" });
      return;
    }
    if (robotsHeader.noindex) {
      gone.add(final);
      outcome({ url: final, result: "skipped", reason: "noindex", detail: "X-Robots-Tag" });
      return;
    }
    keep(final, extension, bytes, answer, item, from);
  };

  // Start URLs first (their redirects settle the scope), then everything they and the sitemaps lead to.
  for (const start of starts) enqueue(start, 0, null, false, "the start URLs");
  const startItems = queue.splice(0, queue.length);
  for (const item of startItems) await visit(item);
  startPhase = false;
  for (const origin of new Set(scope.folders.map((folder) => new URL(folder).origin))) {
    const rules = await robotsOf(origin);
    if (!("unreachable" in rules)) await readSitemaps(origin, rules);
  }
  const startedAt = performance.now();
  const progress = () =>
    io.progress?.({
      fetched,
      queued: queue.length,
      skipped,
      errors,
      perSecond: fetched / Math.max(0.001, (performance.now() - startedAt) / 1000),
    });
  let active = 0;
  await new Promise<void>((done) => {
    const pump = () => {
      while (active < limits.inFlight && queue.length > 0) {
        const item = queue.shift() as QueueItem;
        active++;
        visit(item)
          .catch((error: unknown) => outcome({ url: item.url, result: "error", detail: (error as Error).message }))
          .finally(() => {
            active--;
            progress();
            pump();
          });
      }
      if (active === 0 && queue.length === 0) done();
    };
    pump();
  });

  for (const [url, aside] of setAside) {
    if (next.has(aside.canonical) || next.has(url)) continue;
    gone.delete(url);
    report.notes.push(`${url} names ${aside.canonical} as its canonical address, which was not kept: it is kept under its own`);
    keep(url, aside.extension, aside.bytes, aside.answer, aside.item, aside.from);
  }
  Object.assign(report, { requests: fetcher.stats.requests, bytes: fetcher.stats.bytes, notModified: fetcher.stats.notModified });
  if (!report.reached) {
    report.notes.push("the crawl kept no page of the site: the corpus and the crawl state are unchanged");
    report.reportFile = join(stateDir, `${collection}-report-failed.txt`);
    report.ms = performance.now() - started;
    writeReport(report);
    return report;
  }
  // Copies of URLs this crawl did not keep: gone (404, noindex, now excluded) always; unvisited ones only after a
  // whole crawl (one cut by the page limit has not seen every page, so they may still be there).
  const keptFiles = new Set([...next.values()].map((entry) => entry.file));
  const firstOutcome = new Map<string, CrawlOutcome>();
  for (const line of report.outcomes) if (!firstOutcome.has(line.url)) firstOutcome.set(line.url, line);
  for (const [url, entry] of previous) {
    if (next.has(url) || keptFiles.has(entry.file)) continue;
    if (!gone.has(url) && (limitHit || undiscovered > 0)) {
      next.set(url, entry);
      continue;
    }
    rmSync(join(collectionDir, entry.file), { force: true });
    if (!gone.has(url)) outcome({ url, result: "removed", detail: "no longer linked or in a sitemap", file: entry.file });
    else if (firstOutcome.get(url)?.result !== "removed") {
      const why = firstOutcome.get(url);
      outcome({ url, result: "removed", detail: why?.reason ? SKIP_REASONS[why.reason] : (why?.detail ?? "gone"), file: entry.file });
    }
  }
  if (undiscovered > 0)
    report.notes.push(
      `${undiscovered} more URLs were found than the crawl keeps track of (${maxDiscovered}, 20 per page of the page limit): they were not followed`,
    );
  if (limitHit || undiscovered > 0) report.notes.push("the crawl did not see every page: pages not visited keep their last copy");
  writeCollectionFiles(collectionDir, next, starts[0] as string, siteName);
  saveState(stateFile, collection, next);
  report.ms = performance.now() - started;
  writeReport(report);
  return report;
}

/**
 * A fetched page's date for the index (YYYY-MM-DD), used when the page names none itself: its sitemap lastmod, else
 * its Last-Modified unless that is the last hour (a CMS that renders each request says "now", which dates nothing).
 */
export function pageDate(lastmod: string | null, lastModified: string | null, now = Date.now()): string | null {
  const day = lastmod?.trim().slice(0, 10);
  // The builder's own test of a day: Date.parse takes 2024-02-30 and urls.tsv would then stop the build.
  if (day !== undefined && isIsoDate(day)) return day;
  const modified = lastModified === null ? Number.NaN : Date.parse(lastModified);
  if (Number.isNaN(modified) || now - modified < 3_600_000) return null;
  return new Date(modified).toISOString().slice(0, 10);
}

/**
 * The last crawl's files from the collection's urls.tsv, for a crawl whose state is lost or unreadable (a cache that
 * expired): without them, the files of pages gone since would stay in the corpus for good. Their validators are
 * unknown, so each is fetched in full once; unchanged bytes are still not written.
 */
function entriesOfUrlList(collectionDir: string): Map<string, StateEntry> {
  const entries = new Map<string, StateEntry>();
  let text: string;
  try {
    text = readFileSync(join(collectionDir, URLS_FILE), "utf8");
  } catch {
    return entries;
  }
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.includes("\t")) continue;
    const [file = "", url = "", date] = line.split("\t");
    const parsed = StateEntrySchema.safeParse({
      url,
      file,
      hash: "",
      status: "from urls.tsv",
      checked: new Date(0).toISOString(),
      ...(date ? { date } : {}),
    });
    if (parsed.success && normalUrl(url) === url && existsSync(join(collectionDir, file))) entries.set(url, parsed.data);
  }
  return entries;
}

/** A stored page's text as the builder reads it (its own <meta> charset, else UTF-8), to follow its links again. */
function storedText(copy: Uint8Array): string {
  const text = corpusText(copy, null, true);
  return "text" in text ? text.text : "";
}

/** Whether bytes start as a PDF does (within its first KiB, as readers allow). */
function pdfMagic(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  return head.includes("%PDF-");
}

/** The collection's urls.tsv (each file's address) and, when it has none, a collection.json naming the site. */
function writeCollectionFiles(dir: string, entries: ReadonlyMap<string, StateEntry>, start: string, siteName: string | null): void {
  const lines = [...entries.values()]
    .map((entry) => `${entry.file}\t${entry.url}${entry.date ? `\t${entry.date}` : ""}`)
    .sort()
    .join("\n");
  writeAtomically(join(dir, URLS_FILE), `# Written by npm run crawl: each file's address (path in this folder, tab, URL).\n${lines}\n`);
  const settingsFile = join(dir, "collection.json");
  if (!existsSync(settingsFile)) {
    // The site's own name (og:site_name of its start page) when it gives one; the editor may change it.
    writeAtomically(settingsFile, `${JSON.stringify({ title: siteName ?? new URL(start).hostname, url: start }, null, 2)}\n`);
  }
}

/** The report file: every URL with what happened, grouped, then the notes. */
function writeReport(report: CrawlReport): void {
  const lines = [
    `# Crawl of ${report.collection}: ${report.outcomes.length} URLs, ${report.requests} requests, ${(report.ms / 1000).toFixed(1)} s`,
    ...report.notes.map((note) => `note: ${note}`),
    ...report.outcomes
      .slice()
      .sort((a, b) => (a.result < b.result ? -1 : a.result > b.result ? 1 : a.url < b.url ? -1 : 1))
      .map(
        (o) =>
          `${o.result}${o.reason ? ` (${SKIP_REASONS[o.reason]})` : ""}: ${o.url}${o.detail ? ` — ${o.detail}` : ""}${o.file ? ` → ${o.file}` : ""}`,
      ),
  ];
  writeAtomically(report.reportFile, `${lines.join("\n")}\n`);
}
