// A build's Workers against the Workers limits that bind (size, memory, startup; on the free plan, CPU per request),
// and how many shards would fit.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ARTIFACT_FILES, type Manifest } from "../common/artifact.js";
import type { Artifact } from "./build.js";
import { MAX_SHARDS } from "./project-config.js";

/** Bytes as B, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

const gzipped = new WeakMap<Uint8Array, number>();
/** The last three texts' sizes (a build's manifest, store and module): a string cannot be a WeakMap's key. */
const gzippedTexts = new Map<string, number>();

/**
 * The gzip size (level 9) of a file's content, computed once per content object: the size check and the build's
 * summary both need the index's and the module's, and compressing LibreOffice's 7.5 MB index twice took 0.8 s of
 * every rebuild.
 */
export function gzipSize(data: string | Uint8Array): number {
  if (typeof data === "string") {
    let size = gzippedTexts.get(data);
    if (size === undefined) {
      size = gzipSync(data, { level: 9 }).length;
      if (gzippedTexts.size >= 3) gzippedTexts.delete(gzippedTexts.keys().next().value as string);
      gzippedTexts.set(data, size);
    }
    return size;
  }
  let size = gzipped.get(data);
  if (size === undefined) {
    size = gzipSync(data, { level: 9 }).length;
    gzipped.set(data, size);
  }
  return size;
}

/**
 * Cloudflare's limits (https://developers.cloudflare.com/workers/platform/limits/) that a build is checked against:
 * a Worker's size, uncompressed, on every plan since the changelog of 2026-09-04 (workers-sdk#14001; the former
 * 3 MiB free and 10 MiB paid limits, gzip, are gone); an isolate's memory; the startup time; and CPU per request on
 * the free plan (on the paid one 30 s by default, which no search comes near).
 */
export const WORKER_LIMITS = { size: 64 * 1024 * 1024, memory: 128_000_000, startupMs: 1000, freeCpuMs: 10 } as const;

/**
 * The bundle of a Worker besides its index, uncompressed: the app's code (Hono, zod, the analyzer and stemmer, the
 * widget). Measured with `wrangler deploy --dry-run --outdir` on the default corpus (2026-12-07): index.js 1,557,139
 * bytes, of which the bundled artifact.js takes 405,445, leaves 1,151,694 bytes (about 1,125 KiB), rounded up. The
 * estimate adds artifact.js as written, which esbuild bundles a little smaller (its strings in backquotes need fewer
 * escapes: 454,632 bytes on disk, 405,445 bundled), so it errs on the large side: 2.09 MiB for the default corpus's
 * 2.02 MiB upload.
 */
export const CODE_RAW = 1150 * 1024;

/**
 * The memory an isolate holds once the index is loaded, estimated from the artifact's own figures:
 * index.bin (a Data module, an ArrayBuffer outside the V8 heap) + 5 × store.json (parsed at startup) + 83 bytes per
 * index term + 6.3 MB. Fitted by least squares (`npx tsx scripts/fit-limits.ts`: 4.98 × store.json, 82.6 B per term,
 * 6.24 MB; rounded up) to bench:growth's isolate heap after load under `wrangler dev` plus index.bin
 * (docs/BENCHMARKS.md, Growth). Estimate against measured: 10k paragraphs 14.4 MB / 14.0 MB (+2.4%), 50k 33.1 / 33.3
 * (-0.6%), 150k 72.1 / 71.8 (+0.4%), 500k 197.8 / 197.3 (+0.3%). Those corpora grow from one base, so their store,
 * terms and paragraphs grow together; a corpus of another mix (far more terms per paragraph, say) may be further off.
 */
export const MEMORY_MODEL = { perStoreByte: 5, perTerm: 83, base: 6_300_000 } as const;

/**
 * The startup time, estimated from store.json's size (the store is parsed at startup): 15.2 ms per MiB + 32 ms.
 * Fitted by least squares (`npx tsx scripts/fit-limits.ts`: 15.16 ms per MiB, 31.2 ms) to bench:growth's startup CPU
 * (`wrangler check startup` on the machine that ran it, docs/BENCHMARKS.md, Growth). Estimate against measured: 10k
 * paragraphs 43 ms / 44 ms (-1.7%), 50k 66 / 66 (-0.6%), 150k 105 / 100 (+5.0%), 500k 228 / 228 (0%).
 */
export const STARTUP_MODEL = { msPerStoreByte: 15.2 / (1024 * 1024), baseMs: 32 } as const;

/**
 * The paragraphs from which the free plan's 10 ms of CPU per request no longer holds: bench:growth measured page
 * searches (`group=document`) seen for the first time passing 10 ms at their 99th percentile at about 92,000
 * paragraphs (Node, on the machine that ran it; docs/BENCHMARKS.md, Growth). Paragraph searches passed it at about
 * 170,000.
 */
export const FREE_CPU_PARAGRAPHS = 92_000;

/** What the size budget knows of one Worker: its files' sizes in bytes and its manifest's counts. */
export interface WorkerFigures {
  /** index.bin. */
  index: number;
  /** artifact.js, the module that bundles the manifest and store. */
  module: number;
  /** store.json. */
  store: number;
  paragraphs: number;
  terms: number;
}

/** The figures of the Worker that bundles an artifact. */
export function workerFigures(artifact: Artifact): WorkerFigures {
  const { files, manifest } = artifact;
  return {
    index: files.index.byteLength,
    module: Buffer.byteLength(files.module),
    store: Buffer.byteLength(files.store),
    paragraphs: manifest.counts.paragraphs,
    terms: manifest.counts.terms,
  };
}

/** The figures of the Workers of the build on disk (one, or one per shard). */
export function workerFiguresOnDisk(outDir: string, shards: number): WorkerFigures[] {
  return Array.from({ length: shards }, (_, i) => {
    const dir = shards > 1 ? join(outDir, `shard-${i}`) : outDir;
    const manifest = JSON.parse(readFileSync(join(dir, ARTIFACT_FILES.manifest), "utf8")) as Manifest;
    return {
      index: statSync(join(dir, ARTIFACT_FILES.index)).size,
      module: statSync(join(dir, ARTIFACT_FILES.module)).size,
      store: statSync(join(dir, ARTIFACT_FILES.store)).size,
      paragraphs: manifest.counts.paragraphs,
      terms: manifest.counts.terms,
    };
  });
}

/** A Worker's size, uncompressed, as Cloudflare limits it: index.bin, the artifact module and the code. */
export function workerSize(w: WorkerFigures): number {
  return w.index + w.module + CODE_RAW;
}

/** The estimated memory of a Worker's isolate with its index loaded, in bytes (see {@link MEMORY_MODEL}). */
export function memoryEstimate(w: WorkerFigures): number {
  return w.index + MEMORY_MODEL.perStoreByte * w.store + MEMORY_MODEL.perTerm * w.terms + MEMORY_MODEL.base;
}

/** The estimated startup time of a Worker, in ms (see {@link STARTUP_MODEL}). */
export function startupEstimate(w: WorkerFigures): number {
  return STARTUP_MODEL.msPerStoreByte * w.store + STARTUP_MODEL.baseMs;
}

/**
 * One limit that stops a build: a Worker's figure against it, that figure's part every shard has whatever its share
 * of the corpus (the code; the runtime and the term list, which every shard holds whole), and how the figure reads.
 */
interface HardLimit {
  name: string;
  limit: number;
  of: (w: WorkerFigures) => number;
  fixed: (w: WorkerFigures) => number;
  /** The figure against the limit, for the summary. */
  share: (value: number) => string;
  /** The figure over the limit, for the warning ("be 70.00 MiB, over the 64 MiB Cloudflare takes"). */
  over: (value: number) => string;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
const duration = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);
const percent = (share: number) => `${Math.round(share * 100)}%`;

const HARD_LIMITS: HardLimit[] = [
  {
    name: "size",
    limit: WORKER_LIMITS.size,
    of: workerSize,
    fixed: () => CODE_RAW,
    share: (v) => `Worker ${formatBytes(v)} of 64 MiB (${percent(v / WORKER_LIMITS.size)})`,
    over: (v) => `be ${formatBytes(v)}, over the 64 MiB Cloudflare takes`,
  },
  {
    name: "memory",
    limit: WORKER_LIMITS.memory,
    of: memoryEstimate,
    fixed: (w) => MEMORY_MODEL.base + MEMORY_MODEL.perTerm * w.terms,
    share: (v) => `memory about ${megabytes(v)} of 128 MB (${percent(v / WORKER_LIMITS.memory)})`,
    over: (v) => `need about ${megabytes(v)} of memory (estimated), over an isolate's 128 MB`,
  },
  {
    name: "startup",
    limit: WORKER_LIMITS.startupMs,
    of: startupEstimate,
    fixed: () => STARTUP_MODEL.baseMs,
    share: (v) => `startup about ${duration(v)} of 1 s (${percent(v / WORKER_LIMITS.startupMs)})`,
    over: (v) => `take about ${duration(v)} to start (estimated), over the 1 s Cloudflare allows`,
  },
];

/**
 * Prints the Workers' figures against the limits that bind (the largest Worker's, for shards) and names the nearest
 * one. Over the size limit (64 MiB uncompressed) or the estimated memory (128 MB) or startup (1 s), a warning that
 * names the number of shards that should fit; an error with --strict (which `npm run deploy` uses), since Cloudflare
 * would refuse the Worker or it could not run. On the free plan, a corpus past {@link FREE_CPU_PARAGRAPHS} per
 * Worker gets a warning about CPU per request, never an error. Returns the exit code: 1 when --strict stops the
 * build, else 0.
 */
export function sizeVerdict(
  workers: readonly WorkerFigures[],
  plan: "free" | "paid",
  strict: boolean,
  log: (line: string) => void,
): number {
  const label = workers.length > 1 ? `largest of ${workers.length} Workers` : "Worker";
  const figures = HARD_LIMITS.map((limit) => {
    const value = Math.max(...workers.map(limit.of));
    return { limit, value, share: value / limit.limit };
  });
  const paragraphs = Math.max(...workers.map((w) => w.paragraphs));
  const parts = figures.map((f) => ({ name: f.limit.name, text: f.limit.share(f.value), share: f.share }));
  if (plan === "free") {
    const share = paragraphs / FREE_CPU_PARAGRAPHS;
    parts.push({
      name: "CPU",
      text: `CPU per request (free plan) ${paragraphs.toLocaleString("en")} of about ${FREE_CPU_PARAGRAPHS.toLocaleString("en")} paragraphs (${percent(share)})`,
      share,
    });
  }
  const nearest = parts.reduce((a, b) => (b.share > a.share ? b : a));
  log(`  limits${workers.length > 1 ? ` (${label})` : ""}: ${parts.map((p) => p.text).join(", ")}; nearest: ${nearest.name}`);

  let code = 0;
  const over = figures.filter((f) => f.value > f.limit.limit);
  if (over.length > 0) {
    // Every shard carries the code, the runtime and the whole term list (in index.bin too), so a shard's share of the
    // corpus is given three quarters of each limit less that fixed part; the shards needed are those every limit needs.
    const needed = Math.max(
      workers.length + 1,
      ...HARD_LIMITS.map(({ limit, of, fixed }) => {
        const room = 0.75 * limit - Math.max(...workers.map(fixed));
        return room > 0 ? Math.ceil(workers.reduce((sum, w) => sum + of(w) - fixed(w), 0) / room) : Number.POSITIVE_INFINITY;
      }),
    );
    const advice =
      needed <= MAX_SHARDS
        ? `build with --shards ${needed} (or "shards": ${needed} in package.json's "fundstelle" section)`
        : `no number of shards up to ${MAX_SHARDS} fits (every shard holds the whole term list): index fewer files`;
    const message = `the ${label} would ${over.map((f) => f.limit.over(f.value)).join(", and ")}: ${advice}.`;
    if (strict) {
      console.error(`error: ${message}`);
      code = 1;
    } else console.warn(`warning: ${message}`);
  }
  if (plan === "free" && paragraphs > FREE_CPU_PARAGRAPHS) {
    console.warn(
      `warning: the ${label} has ${paragraphs.toLocaleString("en")} paragraphs; from about ${FREE_CPU_PARAGRAPHS.toLocaleString("en")}, page searches seen for the first time took over 10 ms of CPU at their 99th percentile (bench:growth, on the machine that ran it), the free plan's limit per request, so some searches may fail on the free plan. On the paid plan (30 s by default) it does not bind: if the Worker runs there, set "plan": "paid" in package.json's "fundstelle" section.`,
    );
  }
  return code;
}
