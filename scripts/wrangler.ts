// Runs `wrangler dev` or `wrangler deploy` for the project as package.json's "fundstelle" section configures it:
// one Worker, or the shard Workers and their router. Further arguments go to wrangler.
// Usage: tsx scripts/wrangler.ts dev|deploy [wrangler arguments]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readProjectConfig, shardedWranglerFiles } from "../index-builder/project-config.js";
import { insightsDatabaseProblem } from "./deploy-checks.js";

const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const [command, ...rest] = process.argv.slice(2);
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
if (shards === 1) process.exit(wrangler([command, ...rest]));
if (!existsSync(router)) {
  console.error(`error: package.json asks for ${shards} shards, but build-shards/ has no router: run "npm run build" first.`);
  process.exit(1);
}
if (command === "dev") {
  // One wrangler dev serves the router (the first -c) and runs the shards beside it, bound by name.
  process.exit(wrangler(["dev", "-c", router, ...shardFiles.flatMap((file) => ["-c", file]), ...rest]));
}
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
