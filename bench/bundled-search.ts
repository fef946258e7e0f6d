// The search code as a Worker runs it, for timing: bundled by esbuild as wrangler bundles it, function names not
// kept (wrangler.toml: keep_names = false). Under tsx every function is wrapped in a call that keeps its name, so a
// closure made in a hot loop costs a property definition each time, which a deployed Worker never pays.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { loadIndex } from "../worker/search/loaded-index.js";
import type { search } from "../worker/search/search.js";

const ROOT = resolve(import.meta.dirname, "..");

export interface SearchCode {
  loadIndex: typeof loadIndex;
  search: typeof search;
}

/** `loadIndex` and `search` from one esbuild bundle of worker/search under `root` (ES module, names not kept, not minified). */
export async function bundledSearch(root: string = ROOT): Promise<SearchCode> {
  const dir = mkdtempSync(join(tmpdir(), "fundstelle-bundle-"));
  try {
    const outfile = join(dir, "search.mjs");
    await build({
      stdin: {
        contents: 'export { loadIndex } from "./worker/search/loaded-index.ts";\nexport { search } from "./worker/search/search.ts";\n',
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "neutral",
      keepNames: false,
      outfile,
      logLevel: "warning",
    });
    return (await import(pathToFileURL(outfile).href)) as SearchCode;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
