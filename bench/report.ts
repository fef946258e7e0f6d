// Writes a benchmark's section into docs/BENCHMARKS.md between its markers, then formats the file with Biome
// (which formats Markdown tables too), so `npm run check` stays clean after any benchmark run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
export const BENCHMARKS = join(ROOT, "docs/BENCHMARKS.md");

/**
 * Replaces the text from `<!-- name:start -->` to `<!-- name:end -->` (which `section` must begin and end with),
 * or appends the section when the file has none yet. Handwritten text outside the markers stays.
 */
export function writeSection(name: string, section: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  if (!section.startsWith(start) || !section.trimEnd().endsWith(end)) throw new Error(`the ${name} section must be wrapped in its markers`);
  const current = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, "utf8") : "# Benchmarks\n";
  const from = current.indexOf(start);
  const to = from < 0 ? -1 : current.indexOf(end, from);
  const next =
    from >= 0 && to >= 0
      ? current.slice(0, from) + section.trimEnd() + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS, next);
  try {
    execFileSync(join(ROOT, "node_modules/.bin/biome"), ["format", "--write", BENCHMARKS], { stdio: "pipe" });
  } catch (error) {
    console.warn(`Could not format ${BENCHMARKS} with Biome: ${(error as Error).message}`);
  }
}
