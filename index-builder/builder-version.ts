// What identifies this builder: the project's folder, the versions of installed packages, and a hash of the code
// that decides what an artifact holds (a changed builder rebuilds on `npm start` and starts its caches afresh).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's folder (where package.json, node_modules and the code are). */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** An installed package's version, or "unknown": part of the build caches' keys, so that an update starts them afresh. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * A hash of the code that decides what the artifact contains: the readers,
 * the analyzer, the artifact format and the MiniSearch version. `npm start`
 * rebuilds when it differs, so a changed reader never serves a stale index.
 */
export function builderHash(): string {
  const hash = createHash("sha256");
  for (const dir of ["analyzer", "common", "index-builder"]) {
    const files = readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: "utf8" })
      // The code, and the data it reads (the default synonyms in index-builder/data/): a change to either rebuilds.
      .filter((name) => name.endsWith(".ts") || name.startsWith(`data${sep}`) || name.startsWith("data/"))
      .map((name) => name.split(sep).join("/"))
      .sort();
    for (const name of files) {
      hash.update(`${dir}/${name}\0`);
      hash.update(readFileSync(join(PROJECT_ROOT, dir, name)));
    }
  }
  const miniSearch = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules/minisearch/package.json"), "utf8")) as { version: string };
  hash.update(`minisearch ${miniSearch.version}`);
  return hash.digest("hex").slice(0, 20);
}
