// What the benchmarks measure when they measure "the project": the index built from the corpus that package.json's
// "fundstelle" section names, as one Worker or as shards and their router (index-builder/project-config.ts).
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { builtFrom, type ProjectConfig, readProjectConfig, shardedWranglerFiles } from "../index-builder/project-config.js";

export interface BenchProject {
  config: ProjectConfig;
  /** The corpus folder as a path from the project root, as the build records it. */
  corpus: string;
  /** The built index folders to time: build/, or each shard's folder. */
  indexDirs: string[];
  /** wrangler dev arguments that serve the project as `npm start` does (the router and its shards when sharded). */
  wranglerArgs: string[];
  /** "one Worker" or "a router and N shards". */
  mode: string;
}

/**
 * Reads the project's settings in `root` and checks that its build is of the configured corpus; otherwise the
 * error says what to run. A benchmark of the demo corpus when the site's corpus is configured would mislead.
 */
export function benchProject(root: string): BenchProject {
  const config = readProjectConfig(root);
  const corpus = relative(root, resolve(root, config.corpus)).split(sep).join("/") || ".";
  const out = join(root, config.shards > 1 ? "build-shards" : "build");
  const from = builtFrom(out);
  if (from === null) throw new Error(`No index in ${relative(root, out)}/: run "npm run build:index" first.`);
  if (from !== corpus) {
    throw new Error(
      `${relative(root, out)}/ holds an index of ${from}/, but package.json's "fundstelle" section names the corpus ${corpus}/: run "npm run build:index" first.`,
    );
  }
  if (config.shards === 1) return { config, corpus, indexDirs: [out], wranglerArgs: [], mode: "one Worker" };
  const files = shardedWranglerFiles(root, config.shards);
  if (!existsSync(files.router)) throw new Error(`${relative(root, out)}/ has no router: run "npm run build:index" first.`);
  return {
    config,
    corpus,
    indexDirs: files.shards.map(dirname),
    wranglerArgs: [files.router, ...files.shards].flatMap((file) => ["-c", file]),
    mode: `a router and ${config.shards} shards`,
  };
}
