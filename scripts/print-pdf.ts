// Prints an HTML file to PDF with headless Chromium (Debian's, or CHROMIUM_PATH), as the PDF fixtures are made.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Prints `src` (an HTML file) to `out` without Chromium's own header and footer; `profile` is a scratch folder. */
export function printToPdf(src: string, out: string, profile: string): void {
  execFileSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-pdf-header-footer",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      `--print-to-pdf=${out}`,
      pathToFileURL(src).href,
    ],
    { stdio: "ignore", timeout: 60_000 },
  );
  if (!existsSync(out)) throw new Error(`chromium made no ${out}`);
}
