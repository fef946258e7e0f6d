// What a crawl fetches and how gently: package.json's fundstelle.crawl section, with the command's flags over it.
import { z } from "zod";
import { globPatterns } from "../project-config.js";

/**
 * The crawler's bounds. Defaults are gentle on a town hall's server: 2 requests in flight, 250 ms between
 * request starts (a robots.txt `Crawl-delay` wins), 30 s per response, 20 MB per response.
 */
export const CrawlLimitsSchema = z
  .object({
    /** Most pages fetched in one crawl (1–1,000,000, default 10,000); further URLs are skipped and named. */
    pages: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Most links followed from a start URL (0 = the start URLs and sitemaps only; default 20). */
    depth: z.number().int().min(0).max(1000).default(20),
    /** Requests in flight per host (1–16, default 2). */
    inFlight: z.number().int().min(1).max(16).default(2),
    /** Milliseconds between the starts of two requests to a host (0–60,000, default 250). */
    delayMs: z.number().int().min(0).max(60_000).default(250),
    /** Seconds a response may take from the request to its last byte (0.1–600, default 30). */
    timeoutSeconds: z.number().min(0.1).max(600).default(30),
    /** Largest response read, in megabytes (0.01–1024, default 20); a larger one is skipped and named. */
    megabytes: z.number().min(0.01).max(1024).default(20),
    /** Largest sitemap read after decompression, in megabytes (default 50, the sitemap protocol's limit). */
    sitemapMegabytes: z.number().min(0.01).max(1024).default(50),
    /** Redirects followed for one URL (0–20, default 5); a longer chain or a loop is named. */
    redirects: z.number().int().min(0).max(20).default(5),
    /** Retries of a 429, a 503, a timeout or a dropped connection (0–10, default 3), with backoff. */
    retries: z.number().int().min(0).max(10).default(3),
    /** Longest wait for a Retry-After, in seconds (default 120); a server asking for more is named, not waited for. */
    retryAfterSeconds: z.number().min(0).max(3600).default(120),
    /** Days after which a page whose sitemap lastmod has not moved is asked again anyway (default 7; 0 = always). */
    recheckDays: z.number().min(0).max(3650).default(7),
    /** Most distinct query strings fetched per path (default 20): a calendar's endless "next month" links stop here. */
    variantsPerPath: z.number().int().min(1).max(100_000).default(20),
  })
  .strict();

export type CrawlLimits = z.output<typeof CrawlLimitsSchema>;

/** Glob patterns on a URL's path, which starts with "/": "buergerservice" alone would match nothing, so it is refused. */
const pathPatterns = globPatterns.superRefine((patterns, ctx) => {
  for (const pattern of patterns) {
    if (!pattern.startsWith("/") && !pattern.startsWith("*"))
      ctx.addIssue({
        code: "custom",
        message: `"${pattern}" matches nothing: patterns match the URL's path, which starts with / (write "/${pattern.replace(/\/+$/, "")}/**")`,
      });
  }
});

/** An http(s) address without credentials: the crawler never sends any. */
const crawlUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  },
  { error: (issue) => `${JSON.stringify(issue.input)} is not an http(s) address without user name and password` },
);

/**
 * The crawl settings (package.json, `fundstelle.crawl`):
 * - `start`: the site's addresses to start from; the scope is their site and folder (`https://www.example.de/hilfe/`
 *   crawls under /hilfe/ only);
 * - `sitemaps`: sitemap addresses beyond those robots.txt names and `/sitemap.xml`;
 * - `collection`: the corpus folder it fills (default: the host's name, `www.musterhausen.de` → `musterhausen-de`);
 * - `include` / `exclude`: glob patterns on the URL's path (`/presse/**`, `**\/druck/**`);
 * - `contact`: an address the site's admins can reach you at, sent in the User-Agent;
 * - `state`: the folder for the crawl state and report (default `.fundstelle/crawl`);
 * - `limits`: see {@link CrawlLimitsSchema}.
 */
export const CrawlSettingsSchema = z
  .object({
    start: z.array(crawlUrl).default([]),
    sitemaps: z.array(crawlUrl).default([]),
    collection: z
      .string()
      .regex(/^[^/\\#?.][^/\\#?]*$/, "must be a folder name (no /, \\, #, ? and not starting with .)")
      .nullable()
      .default(null),
    include: pathPatterns,
    exclude: pathPatterns,
    contact: z.string().max(200).nullable().default(null),
    state: z.string().min(1).default(".fundstelle/crawl"),
    limits: CrawlLimitsSchema.default(CrawlLimitsSchema.parse({})),
  })
  .strict();

export type CrawlSettings = z.output<typeof CrawlSettingsSchema>;

/** The collection a site fills when none is named: its host without "www.", dots as dashes. */
export function collectionOfHost(host: string): string {
  return (
    host
      .replace(/^www\./, "")
      .replace(/[^\p{L}\p{N}-]+/gu, "-")
      .replace(/^-+|-+$/g, "") || "site"
  );
}

/** The User-Agent the crawler sends: its name, version and, when set, how to reach whoever runs it. */
export function userAgentOf(contact: string | null): string {
  const clean = contact?.replace(/[^\x20-\x7e]/g, "").trim();
  return `fundstelle-crawler/0.1 (site search indexer${clean ? `; ${clean}` : ""})`;
}

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = "fundstelle";
