// Watches the corpus folder while wrangler dev runs (npm start) and rebuilds the index when a file changes: the
// build replaces build/artifact.js, which wrangler dev watches as part of the worker, so the server serves the new one.
import { existsSync, type FSWatcher, watch } from "node:fs";
import { join, resolve } from "node:path";
import { runBuildCommand } from "../index-builder/command.js";
import { CRAWLING_MARKER } from "../index-builder/crawl/crawler.js";

/** Quiet time after the last change before a rebuild: a crawl or a checkout writes many files at once. */
const SETTLE_MS = 400;

/**
 * Rebuilds (`build:index --if-stale`) after each burst of changes under `cwd/corpus` or to `cwd/package.json`, one
 * build at a time (changes
 * during a build start another after it). A failed build leaves the last good index served, as `build:index` does,
 * and says so. Returns a function that stops watching.
 */
export function watchCorpus(cwd: string, corpus: string, log: (line: string) => void, crawlState = ".fundstelle/crawl"): () => void {
  const dir = resolve(cwd, corpus);
  const marker = join(resolve(cwd, crawlState), CRAWLING_MARKER);
  let waitingForCrawl = false;
  let timer: NodeJS.Timeout | undefined;
  let building = false;
  let again = false;
  const rebuild = async () => {
    // A crawl writes page after page and urls.tsv last: one build when it is done, not one per pause between pages.
    if (existsSync(marker)) {
      if (!waitingForCrawl) log("[fundstelle] a crawl is running: the index is rebuilt when it is done");
      waitingForCrawl = true;
      clearTimeout(timer);
      timer = setTimeout(() => void rebuild(), SETTLE_MS);
      return;
    }
    waitingForCrawl = false;
    if (building) {
      again = true;
      return;
    }
    building = true;
    const started = performance.now();
    const errors: string[] = [];
    const code = await runBuildCommand(["--if-stale", "--quiet"], {
      cwd,
      env: process.env,
      out: (line) => log(line),
      err: (line) => errors.push(line),
    }).catch((error: unknown) => {
      errors.push(`error: ${(error as Error).message}`);
      return 1;
    });
    for (const line of errors) log(line);
    log(
      code === 0
        ? `[fundstelle] ${corpus}/ changed: index rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s; wrangler dev serves it after its reload`
        : `[fundstelle] ${corpus}/ changed, but the build failed (see above): the last good index is still served`,
    );
    building = false;
    if (again) {
      again = false;
      void rebuild();
    }
  };
  let watchers: FSWatcher[] = [];
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Watched afresh after each burst: Node's recursive watch on Linux loses a file that an editor saved by
      // replacing it (sed -i, atomic saves), and would miss its later changes.
      rewatch();
      void rebuild();
    }, SETTLE_MS);
  };
  const rewatch = () => {
    for (const watcher of watchers) watcher.close();
    watchers = [
      watch(dir, { recursive: true }, changed),
      // package.json's fundstelle section (noResults, exclude, limits) is part of the build too.
      watch(resolve(cwd), (_event, name) => {
        if (name === "package.json") changed();
      }),
    ];
  };
  try {
    rewatch();
  } catch (error) {
    log(`[fundstelle] cannot watch ${corpus}/ (${(error as Error).message}): rebuild by hand with npm run build:index`);
    return () => {};
  }
  log(`[fundstelle] watching ${corpus}/ and package.json: a change rebuilds the index`);
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
