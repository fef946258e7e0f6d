// The crawl state kept beside the corpus between crawls: for each URL fetched, its file, validators and content hash.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { compareCodeUnits } from "../../common/order.js";

/** What the last crawl learnt about one URL. */
export const StateEntrySchema = z.object({
  url: z.string(),
  /** The file under the collection folder holding its copy: a relative path that stays inside it (a state from a
   * poisoned cache must not make the crawl read, write or delete elsewhere). */
  file: z
    .string()
    .min(1)
    .refine(
      (file) =>
        !file.startsWith("/") &&
        !file.includes("\\") &&
        !file.includes("\0") &&
        !file.split("/").some((part) => part === ".." || part === "." || part === ""),
      {
        error: "a file outside the collection folder",
      },
    ),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** The sitemap's lastmod when it was fetched. */
  lastmod: z.string().optional(),
  /** The page's date for the index (sitemap lastmod or Last-Modified), YYYY-MM-DD. */
  date: z.string().optional(),
  /** URLs that redirected here. */
  from: z.array(z.string()).optional(),
  /** sha256 of the bytes written. */
  hash: z.string(),
  /** The last status: 200, 304, or the error that kept this copy. */
  status: z.union([z.number(), z.string()]),
  /** When it was last fetched or confirmed (ISO). */
  checked: z.string(),
});

export type StateEntry = z.infer<typeof StateEntrySchema>;

const StateSchema = z.object({
  format: z.literal(1),
  collection: z.string(),
  entries: z.array(StateEntrySchema),
});

/** A loaded state: entries by URL, or a note saying why a file there could not be used (the crawl then starts afresh). */
export function loadState(path: string, collection: string): { entries: Map<string, StateEntry>; problem: string | null } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: new Map(), problem: null };
    return { entries: new Map(), problem: `${path} cannot be read (${(error as Error).message}); fetching everything again` };
  }
  let parsed: z.infer<typeof StateSchema>;
  try {
    parsed = StateSchema.parse(JSON.parse(text));
  } catch {
    return { entries: new Map(), problem: `${path} is not a crawl state this version reads; fetching everything again` };
  }
  if (parsed.collection !== collection)
    return {
      entries: new Map(),
      problem: `${path} is the state of the collection "${parsed.collection}", not "${collection}"; fetching everything again`,
    };
  return { entries: new Map(parsed.entries.map((entry) => [entry.url, entry])), problem: null };
}

/** Writes the state atomically (a temporary file, then a rename), entries in URL order. */
export function saveState(path: string, collection: string, entries: ReadonlyMap<string, StateEntry>): void {
  const sorted = [...entries.values()].sort((a, b) => compareCodeUnits(a.url, b.url));
  writeAtomically(path, `${JSON.stringify({ format: 1, collection, entries: sorted }, null, 1)}\n`);
}

/** Writes a file whole or not at all: a crawl cut off never leaves half a page or half a state. */
export function writeAtomically(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
