// Runs `wrangler dev` or `wrangler deploy` for the project as package.json's "fundstelle" section configures it:
// one Worker, or the shard Workers and their router. Further arguments go to wrangler.
// Usage: tsx scripts/wrangler.ts dev|deploy [--watch] [wrangler arguments]
// With dev --watch (npm start), a change in the corpus rebuilds the index, and wrangler dev serves the new one.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readProjectConfig, shardedWranglerFiles } from "../index-builder/project-config.js";
import { insightsDatabaseProblem } from "./deploy-checks.js";
import { watchCorpus } from "./watch-corpus.js";

const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const [command, ...args] = process.argv.slice(2);
const watch = args.includes("--watch");
const rest = args.filter((arg) => arg !== "--watch");
if (command !== "dev" && command !== "deploy") {
  console.error("usage: tsx scripts/wrangler.ts dev|deploy [wrangler arguments]");
  process.exit(2);
}

/** Runs wrangler with these arguments, as this process's child on the same terminal; returns its exit code. */
function wrangler(args: string[]): number {
  return spawnSync(process.execPath, [WRANGLER, ...args], { stdio: "inherit" }).status ?? 1;
}

let config: ReturnType<typeof readProjectConfig>;
try {
  config = readProjectConfig(process.cwd());
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}
const { shards } = config;
const { router, shards: shardFiles } = shardedWranglerFiles(".", shards);
if (command === "deploy") {
  // Before anything is uploaded (a dry run included): a placeholder database would count nothing, silently.
  const file = shards === 1 ? "wrangler.toml" : router;
  const problem = existsSync(file) ? insightsDatabaseProblem(readFileSync(file, "utf8"), file) : null;
  if (problem !== null) {
    console.error(`error: ${problem}`);
    process.exit(1);
  }
}
const devArgs = ["dev", ...(shards === 1 ? [] : ["-c", router, ...shardFiles.flatMap((file) => ["-c", file])]), ...rest];
if (shards > 1 && !existsSync(router)) {
  console.error(`error: package.json asks for ${shards} shards, but build-shards/ has no router: run "npm run build" first.`);
  process.exit(1);
}
if (command === "dev" && watch) {
  // wrangler runs beside the watcher, on the same terminal; its exit ends both. It reloads the artifact module when the
  // build replaces it.
  const child = spawn(process.execPath, [WRANGLER, ...devArgs], { stdio: "inherit" });
  const crawlState = (config.crawl as { state?: unknown } | undefined)?.state;
  const stop = watchCorpus(
    process.cwd(),
    config.corpus,
    (line) => console.log(line),
    typeof crawlState === "string" ? crawlState : undefined,
  );
  child.on("exit", (code) => {
    stop();
    process.exit(code ?? 1);
  });
} else if (command === "dev") {
  // Sharded: one wrangler dev serves the router (the first -c) and runs the shards beside it, bound by name.
  process.exit(wrangler(devArgs));
} else if (shards === 1) process.exit(wrangler(["deploy", ...rest]));
else {
  // The shards first: the router binds to them.
  for (const file of [...shardFiles, router]) {
    console.log(`Deploying ${file} …`);
    // Further arguments (an --env, say) are the router's: the shards are named and bound by the build.
    const status = wrangler(["deploy", "-c", file, ...(file === router ? rest : [])]);
    if (status !== 0) {
      console.error(`error: deploying ${file} failed; the Workers deployed before it are live, the rest unchanged.`);
      process.exit(status);
    }
  }
}
