// The crawl command (npm run crawl [-- URL… options]), as a function of its arguments and surroundings, so that tests
// run it in process; index-builder/crawl/cli.ts runs it for the shell.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import type { CommandIo } from "../command.js";
import { readProjectConfig } from "../project-config.js";
import { type CrawlReport, crawlSite, SKIP_REASONS, type SkipReason } from "./crawler.js";
import { type CrawlSettings, CrawlSettingsSchema } from "./settings.js";

const HELP = `Crawls a live site into a collection of the corpus: its pages and PDFs as files, each with its address.
Then npm run build:index builds the search from them as from any corpus folder.

Usage: npm run crawl [-- URL… options]

  URL               where to start (default: package.json "fundstelle.crawl.start"); the crawl stays on its
                    site and in its folder (https://www.example.de/hilfe/ crawls under /hilfe/ only)
Options:
  --collection NAME the corpus folder it fills (default: fundstelle.crawl.collection, else the host's name)
  --sitemap URL     a sitemap beyond those robots.txt names and /sitemap.xml (more than once allowed)
  --include GLOB    crawl only paths matching (more than once allowed), e.g. "/buerger/**"
  --exclude GLOB    never crawl paths matching (more than once allowed), e.g. "**/druck/**"
  --contact TEXT    how the site's admins reach you (an e-mail address), sent in the User-Agent
  --max-pages N     most pages fetched (default 10,000)
  --depth N         most links followed from a start URL (default 20)
  --in-flight N     requests at once to the site (default 2)
  --delay MS        milliseconds between the starts of two requests (default 250; robots.txt's Crawl-delay wins)
  --timeout S       seconds a response may take (default 30)
  --corpus DIR      the corpus folder (default: package.json "fundstelle.corpus", else corpus)
  --state DIR       where the crawl state and report live (default .fundstelle/crawl)
  --recheck         ask for every page again (conditionally), also those whose sitemap lastmod has not moved
                    (by default they are asked again after 7 days: fundstelle.crawl.limits.recheckDays)
  --quiet           print only the summary's problems
  -h, --help        show this help

A second crawl asks only for what changed (ETag, Last-Modified, the sitemap's lastmod) and writes only changed
files; pages that are gone (404, 410, no longer linked) leave the corpus; a page that fails (5xx, a timeout)
keeps its last good copy. Every URL not written is listed with why in the report file.`;

interface CrawlArgs {
  collection?: string;
  sitemap?: string[];
  include?: string[];
  exclude?: string[];
  contact?: string;
  "max-pages"?: string;
  depth?: string;
  "in-flight"?: string;
  delay?: string;
  timeout?: string;
  corpus?: string;
  state?: string;
  recheck: boolean;
  quiet: boolean;
  help: boolean;
}

const OPTIONS = [
  "collection",
  "sitemap",
  "include",
  "exclude",
  "contact",
  "max-pages",
  "depth",
  "in-flight",
  "delay",
  "timeout",
  "corpus",
  "state",
  "recheck",
  "quiet",
  "help",
];

/** The known option nearest to a mistyped one (at most 2 edits away), or null. */
function nearestOption(typed: string): string | null {
  const name = typed.replace(/^-+/, "").replace(/=.*$/, "");
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length] as number;
  };
  let best: string | null = null;
  let bestDistance = 3;
  for (const option of OPTIONS) {
    const d = distance(name.slice(0, 40), option);
    if (d < bestDistance) [best, bestDistance] = [option, d];
  }
  return best === null ? null : `--${best}`;
}

/** The settings of this run: package.json's fundstelle.crawl with the flags over it, checked as one. */
function settingsOf(section: unknown, args: CrawlArgs, urls: string[]): CrawlSettings {
  const base = (section ?? {}) as Record<string, unknown>;
  const limits = { ...((base.limits as Record<string, unknown> | undefined) ?? {}) };
  const number = (flag: string, value: string | undefined, key: string) => {
    if (value === undefined) return;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new Error(`--${flag} must be a number, not "${value}"`);
    limits[key] = n;
  };
  number("max-pages", args["max-pages"], "pages");
  number("depth", args.depth, "depth");
  number("in-flight", args["in-flight"], "inFlight");
  number("delay", args.delay, "delayMs");
  number("timeout", args.timeout, "timeoutSeconds");
  const merged = {
    ...base,
    ...(urls.length > 0 ? { start: urls } : {}),
    ...(args.collection !== undefined ? { collection: args.collection } : {}),
    ...(args.sitemap !== undefined ? { sitemaps: args.sitemap } : {}),
    ...(args.include !== undefined ? { include: args.include } : {}),
    ...(args.exclude !== undefined ? { exclude: args.exclude } : {}),
    ...(args.contact !== undefined ? { contact: args.contact } : {}),
    ...(args.state !== undefined ? { state: args.state } : {}),
    limits,
  };
  const parsed = CrawlSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `fundstelle.crawl.${issue.path.join(".")}` : "fundstelle.crawl";
    throw new Error(`${where}: ${issue?.message ?? "is not valid"} (from package.json or a flag)`);
  }
  return parsed.data;
}

/** Runs the crawl command with `argv`; returns its exit code (0 crawled, 1 the site could not be crawled, 2 usage). */
export async function runCrawlCommand(argv: string[], io: CommandIo & { backoffMs?: number }): Promise<number> {
  let args: CrawlArgs;
  let urls: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        collection: { type: "string" },
        sitemap: { type: "string", multiple: true },
        include: { type: "string", multiple: true },
        exclude: { type: "string", multiple: true },
        contact: { type: "string" },
        "max-pages": { type: "string" },
        depth: { type: "string" },
        "in-flight": { type: "string" },
        delay: { type: "string" },
        timeout: { type: "string" },
        corpus: { type: "string" },
        state: { type: "string" },
        recheck: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
    });
    args = parsed.values as CrawlArgs;
    urls = parsed.positionals;
  } catch (error) {
    const unknown = /^Unknown option '(--?[^']+)'/.exec((error as Error).message)?.[1];
    if (unknown !== undefined) {
      const near = nearestOption(unknown);
      io.err(`error: unknown option ${unknown}${near ? `; did you mean ${near}?` : ""} (npm run crawl -- --help lists them all)`);
    } else io.err(`error: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  let settings: CrawlSettings;
  let corpus: string;
  try {
    const config = readProjectConfig(io.cwd);
    corpus = args.corpus ?? config.corpus;
    settings = settingsOf(config.crawl, args, urls);
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  if (settings.start.length === 0) {
    io.err(
      "error: nothing to crawl: give a start URL (npm run crawl -- https://www.example.de/) or set fundstelle.crawl.start in package.json",
    );
    return 2;
  }
  const log = (line: string) => {
    if (!args.quiet) io.out(line);
  };
  log(`Crawling ${settings.start.join(", ")} (${settings.limits.inFlight} in flight, ${settings.limits.delayMs} ms apart)`);
  let lastDraw = 0;
  let report: CrawlReport;
  try {
    report = await crawlSite(settings, corpus, io.cwd, {
      recheck: args.recheck,
      ...(io.backoffMs !== undefined ? { backoffMs: io.backoffMs } : {}),
      progress: ({ fetched, queued, skipped, errors, perSecond }) => {
        if (args.quiet || !io.progress) return;
        const now = Date.now();
        const line = `fetched ${fetched}, queued ${queued}, skipped ${skipped}, errors ${errors}, ${perSecond.toFixed(1)} pages/s`;
        if (io.tty) {
          if (now - lastDraw < 200) return;
          lastDraw = now;
          io.progress(`\r${line}   `);
        } else if (fetched % 100 === 0 && fetched > 0) io.progress(`${line}\n`);
      },
    });
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  if (io.tty && !args.quiet) io.progress?.("\n");
  const demos = ["wikipedia", "auswaertiges-amt"].filter((name) => existsSync(join(io.cwd, corpus, name)));
  summarize(
    report,
    io,
    log,
    args.corpus !== undefined ? ` -- --corpus ${args.corpus}` : "",
    demos.map((name) => `${corpus}/${name}`),
  );
  return report.reached ? 0 : 1;
}

/** The summary: counts by result, skipped URLs by reason (the first few named), the notes, where the report is. */
function summarize(report: CrawlReport, io: CommandIo, log: (line: string) => void, corpusFlag: string, demos: string[]): void {
  const count = (result: string) => report.outcomes.filter((o) => o.result === result).length;
  const where = relative(io.cwd, report.collectionDir) || ".";
  log(
    `Crawled into ${where}/ in ${(report.ms / 1000).toFixed(1)} s: ${count("new")} new, ${count("changed")} changed, ${count("unchanged")} unchanged, ${count("removed")} removed`,
  );
  log(
    `  ${report.requests} requests (${report.notModified} answered 304 Not Modified), ${(report.bytes / 1024 / 1024).toFixed(1)} MB fetched, ${report.linksOutside} links outside the scope not followed`,
  );
  const byReason = new Map<SkipReason, string[]>();
  for (const o of report.outcomes)
    if (o.result === "skipped" && o.reason) byReason.set(o.reason, [...(byReason.get(o.reason) ?? []), o.url]);
  for (const [reason, urls] of byReason) {
    const shown = urls.slice(0, 3).join(", ");
    log(`  skipped ${urls.length} (${SKIP_REASONS[reason]}): ${shown}${urls.length > 3 ? `, … ${urls.length - 3} more` : ""}`);
  }
  const failed = report.outcomes.filter((o) => o.result === "error" || o.result === "kept");
  for (const o of failed.slice(0, 10)) io.err(`error: ${o.url} ${o.detail ?? ""}`);
  if (failed.length > 10) io.err(`error: … ${failed.length - 10} more`);
  for (const note of report.notes.slice(0, 20)) io.err(`note: ${note}`);
  if (report.notes.length > 20) io.err(`note: … ${report.notes.length - 20} more`);
  log(`  every URL with what happened: ${relative(io.cwd, report.reportFile)}`);
  if (report.reached)
    log(
      `Now build the search from it: npm run build:index${corpusFlag}, or let a running npm start rebuild by itself.${demos.length > 0 ? ` The demo collections ${demos.join(" and ")} are searched beside it until you delete them.` : ""}`,
    );
  else io.err("error: the crawl kept no page of the site; the corpus and the last build are unchanged");
}
