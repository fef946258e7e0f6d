// The project's own settings for building and running: the "fundstelle" section of package.json.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import { urlProblem } from "../common/safe-url.js";
import { type BinaryLimits, DEFAULT_BINARY_LIMITS } from "./readers/binary.js";
import { DEFAULT_MAX_BLOCK_LENGTH } from "./source.js";

/** Glob patterns (a list of non-empty strings), absent or null as none; a pattern picomatch cannot read is refused. */
export const globPatterns = z
  .array(z.string().min(1, "an exclude pattern must not be empty"), { error: "exclude must be a list of glob patterns" })
  .nullish()
  .transform((value) => value ?? [])
  .superRefine((patterns, ctx) => {
    for (const pattern of patterns) {
      try {
        picomatch.makeRe(pattern);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `exclude pattern "${pattern}" is not a glob pattern: ${(error as Error).message}` });
      }
    }
  });

/**
 * The settings, all optional:
 * - `corpus`: the corpus folder, relative to the project (default "corpus");
 * - `shards`: how many shard Workers to build (default 1: one Worker);
 * - `plan`: the Cloudflare Workers plan, "free" (10 ms of CPU per request, which the build warns of for a large
 *   corpus) or "paid" (30 s by default); the other limits are the same on both (index-builder/size-budget.ts);
 * - `allowLinksInto`: folders outside the corpus that its symbolic links may lead into;
 * - `defaultCollection`: the collection of files at the top of the corpus folder (a site export's index.html);
 * - `exclude`: glob patterns of paths under the corpus folder not to read;
 * - `noResults`: what a search without hits offers instead: `links` (at most 8 `{ "title", "url" }`, a site's
 *   service directory and contact) and `popular` (the most searched queries that have results, from search
 *   insights when they are on; default true);
 * - `limits`: `fileMegabytes` (largest PDF or office file read, default 50), `pdfPages` (most pages, default 500) and
 *   `blockCharacters` (the longest block kept whole, default 10,000; longer ones are split at sentence ends).
 *
 * They live in package.json, a file every project already has and edits (its scripts run the builder), so a site
 * needs no new file and one look shows both the commands and what they build from. wrangler.toml is wrangler's:
 * keys it does not know give warnings on every run.
 */
/** The most shards a build makes (`--shards`, package.json's "fundstelle.shards"). */
export const MAX_SHARDS = 64;

export const ProjectConfigSchema = z
  .object({
    corpus: z.string().min(1).default("corpus"),
    shards: z.number().int().min(1).max(MAX_SHARDS).default(1),
    plan: z.enum(["free", "paid"]).default("free"),
    allowLinksInto: z.array(z.string().min(1)).default([]),
    defaultCollection: z
      .string()
      .regex(/^[^/\\#?.][^/\\#?]*$/, "must be a folder name (no /, \\, #, ? and not starting with .)")
      .nullable()
      .default(null),
    exclude: globPatterns,
    noResults: z
      .object({
        links: z
          .array(
            z
              .object({
                title: z.string().trim().min(1, "a link needs a title").max(80, "a link's title has at most 80 characters"),
                url: z.string().superRefine((url, ctx) => {
                  const problem = urlProblem(url);
                  if (problem !== null) ctx.addIssue({ code: "custom", message: `a link's url ${problem}` });
                }),
              })
              .strict(),
          )
          .max(8, "at most 8 links")
          .default([]),
        popular: z.boolean().default(true),
      })
      .strict()
      .default({ links: [], popular: true }),
    /** What `npm run crawl` fetches: read and checked by the crawl command (index-builder/crawl/settings.ts). */
    crawl: z.unknown().optional(),
    limits: z
      .object({
        fileMegabytes: z
          .number()
          .positive()
          .max(1024)
          .default(DEFAULT_BINARY_LIMITS.maxBytes / 1024 / 1024),
        pdfPages: z.number().int().min(1).max(100_000).default(DEFAULT_BINARY_LIMITS.maxPages),
        blockCharacters: z.number().int().min(500).max(1_000_000).default(DEFAULT_MAX_BLOCK_LENGTH),
      })
      .strict()
      .default({
        fileMegabytes: DEFAULT_BINARY_LIMITS.maxBytes / 1024 / 1024,
        pdfPages: DEFAULT_BINARY_LIMITS.maxPages,
        blockCharacters: DEFAULT_MAX_BLOCK_LENGTH,
      }),
  })
  .strict();

export type ProjectConfig = z.output<typeof ProjectConfigSchema>;

/** The "fundstelle" section of `<dir>/package.json` (defaults when there is none); an invalid one names the problem. */
export function readProjectConfig(dir: string): ProjectConfig {
  const path = join(dir, "package.json");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return ProjectConfigSchema.parse({});
    throw new Error(`package.json: cannot be read (${(error as Error).message})`);
  }
  const section =
    json !== null && typeof json === "object" && Object.hasOwn(json, "fundstelle") ? (json as { fundstelle: unknown }).fundstelle : {};
  const parsed = ProjectConfigSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `fundstelle.${issue.path.join(".")}` : "fundstelle";
    throw new Error(`package.json: ${where}: ${issue?.message ?? "is not valid"}`);
  }
  return parsed.data;
}

/** The limits on binary documents that the project's settings give. */
export function binaryLimits(config: ProjectConfig): BinaryLimits {
  return { maxBytes: Math.round(config.limits.fileMegabytes * 1024 * 1024), maxPages: config.limits.pdfPages };
}

/** Beside the artifact in a build folder: which corpus folder it was built from (not part of the artifact). */
const SOURCE_FILE = "source.json";

/** Where the build in `outDir` was built from (its corpus folder, as a path from the project), or null. */
export function builtFrom(outDir: string): string | null {
  try {
    const { corpus } = JSON.parse(readFileSync(join(outDir, SOURCE_FILE), "utf8")) as { corpus?: unknown };
    return typeof corpus === "string" ? corpus : null;
  } catch {
    return null;
  }
}

/** Records in `outDir` which corpus folder its build came from. */
export function writeBuiltFrom(outDir: string, corpus: string): void {
  writeFileSync(join(outDir, SOURCE_FILE), `${JSON.stringify({ corpus })}\n`);
}

/** The wrangler.toml files of a sharded build in `root`'s build-shards/: the router's, then each shard's. */
export function shardedWranglerFiles(root: string, shards: number): { router: string; shards: string[] } {
  return {
    router: join(root, "build-shards/router/wrangler.toml"),
    shards: Array.from({ length: shards }, (_, i) => join(root, `build-shards/shard-${i}/wrangler.toml`)),
  };
}
