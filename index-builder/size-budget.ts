// How large a build's Workers are against the Workers plan's limit, and how many shards would fit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ARTIFACT_FILES } from "../common/artifact.js";
import type { Artifact } from "./build.js";
import { WORKER_SIZE_LIMITS } from "./project-config.js";

/** Bytes as B, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * The bundle of a Worker besides its index, gzip: the app's code (Hono, zod, the analyzer and stemmer, the
 * widget), measured with `wrangler deploy --dry-run` on the default corpus (about 197 KiB) and rounded up.
 */
const CODE_GZIP = 200 * 1024;

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

/** A Worker's size as Cloudflare limits it, gzip: its index file, the artifact module and the code. */
function bundleSize(index: Uint8Array, module: string | Uint8Array): number {
  return gzipSize(index) + gzipSize(module) + CODE_GZIP;
}

/** The size of the Worker that bundles an artifact (see {@link bundleSize}). */
export function workerSize(artifact: Artifact): number {
  return bundleSize(artifact.files.index, artifact.files.module);
}

/** The sizes of the Workers of the build on disk (one, or one per shard). */
export function workerSizesOnDisk(outDir: string, shards: number): number[] {
  return Array.from({ length: shards }, (_, i) => {
    const dir = shards > 1 ? join(outDir, `shard-${i}`) : outDir;
    return bundleSize(readFileSync(join(dir, ARTIFACT_FILES.index)), readFileSync(join(dir, ARTIFACT_FILES.module)));
  });
}

/**
 * Prints the Workers' sizes against the plan's limit; over it, a warning that names the number of shards that
 * should fit (an error with --strict, which `npm run deploy` uses). Returns the exit code: 1 when --strict
 * stops the build, else 0.
 */
export function sizeVerdict(sizes: readonly number[], plan: "free" | "paid", strict: boolean, log: (line: string) => void): number {
  const limit = WORKER_SIZE_LIMITS[plan];
  const largest = Math.max(...sizes);
  const label = sizes.length > 1 ? `largest of ${sizes.length} Workers` : "Worker";
  log(`  size: ${label} about ${formatBytes(largest)} gzip of the ${plan} plan's ${formatBytes(limit)}`);
  if (largest <= limit) return 0;
  // Every shard carries the code and the whole term list, so a shard's share is taken as three quarters of the limit.
  const total = sizes.reduce((sum, size) => sum + size - CODE_GZIP, 0);
  const needed = Math.max(sizes.length + 1, Math.ceil(total / (0.75 * limit - CODE_GZIP)));
  const advice = `build with --shards ${needed} (or "shards": ${needed} in package.json's "fundstelle" section)${plan === "free" ? ', or set "plan": "paid"' : ""}`;
  if (strict) {
    console.error(
      `error: the ${label} would be about ${formatBytes(largest)} gzip, over the ${plan} plan's ${formatBytes(limit)}: ${advice}.`,
    );
    return 1;
  }
  console.warn(
    `warning: the ${label} would be about ${formatBytes(largest)} gzip, over the ${plan} plan's ${formatBytes(limit)}: ${advice}.`,
  );
  return 0;
}
