// What a reader made of a document file (a ReadResult) kept by the file's bytes and everything else reading it
// depends on, so that a rebuild reads only the files that changed. The corpus-wide steps after reading (duplicate
// ids, long blocks split, site names stripped from titles, kinds) run on every build, on the cached results too.
import { z } from "zod";
import { type CacheCount, CacheFolder, cacheKey } from "./build-cache.js";
import type { EncodingSetting } from "./decode.js";
import { NOTICE_KINDS, type NoticeKind } from "./errors.js";
import type { ReadResult, SourceFile } from "./source.js";

const section = z.object({ heading: z.string(), level: z.number(), anchor: z.string().nullable(), first: z.number() });

/**
 * A document as a reader returns it. Loose: a field added to SourceDocument later is kept as it was read (and the
 * builder's hash in the cache's version makes such a change start an empty cache anyway).
 */
const document = z.looseObject({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  date: z.string().nullable(),
  kind: z.string().nullable(),
  collection: z.string(),
  paragraphs: z.array(z.string()),
  blockKinds: z.array(z.enum(["text", "row", "list", "code"])),
  cells: z.array(z.array(z.tuple([z.string().nullable(), z.string()])).nullable()).optional(),
  sections: z.array(section),
  file: z.string(),
  line: z.number().optional(),
  titleOfPage: z.object({ title: z.string(), h1: z.string() }).optional(),
});

const CachedRead = z.object({
  documents: z.array(document),
  warnings: z.array(z.object({ file: z.string(), line: z.number().optional(), problem: z.string() })),
  notices: z
    .array(
      z.object({
        file: z.string(),
        line: z.number().optional(),
        kind: z.enum(Object.keys(NOTICE_KINDS) as [NoticeKind, ...NoticeKind[]]),
        reason: z.string(),
      }),
    )
    .optional(),
});

/** What reading a text document file depends on besides its bytes (and the builder's code, in the cache's version). */
export interface ReadInputs {
  source: SourceFile;
  extension: string;
  /** The collection's encoding, and the settings file that names it. */
  encoding: EncodingSetting;
}

/** Reads document files through the cache under `root` (none: every file is read). */
export class ReadCache {
  private readonly folder: CacheFolder;

  constructor(root: string | undefined) {
    this.folder = new CacheFolder(root, "read");
  }

  /** How many files' reads came from the cache. */
  get count(): CacheCount {
    return this.folder.count;
  }

  /**
   * The result of reading a file whose bytes are `bytes`: from the cache when a file of these bytes was read with the
   * same inputs before, else `read()`'s, which is kept. A reader's error (a CorpusError) is thrown, never kept.
   */
  read({ source, extension, encoding }: ReadInputs, bytes: Uint8Array, read: () => ReadResult): ReadResult {
    const inputs = {
      path: source.path,
      id: source.id,
      collection: source.collection,
      siteUrl: source.siteUrl ?? null,
      extension,
      encoding: encoding.encoding,
      settingsFile: encoding.settingsFile,
    };
    const key = cacheKey(["read", inputs], bytes);
    const cached = this.folder.get(key, (body) => {
      const parsed = CachedRead.safeParse(JSON.parse(body.toString("utf8")));
      return parsed.success ? (parsed.data as ReadResult) : undefined;
    });
    if (cached !== undefined) return cached;
    const result = read();
    this.folder.put(key, Buffer.from(JSON.stringify(result)));
    return result;
  }

  /** Bounds the cache after the corpus was read (see CacheFolder.prune). */
  prune(): void {
    this.folder.prune();
  }
}
