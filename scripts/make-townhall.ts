// Makes the PDFs of the "Stadt Musterhausen" fixture (test/fixtures/townhall/musterhausen, a TYPO3 site as
// `wget --mirror` saves it): prints each HTML page of test/fixtures/townhall-pdf-src/ with headless Chromium to
// test/fixtures/townhall/musterhausen/fileadmin/dokumente/<name>.pdf. The PDFs are checked in, so neither the
// tests nor the benchmarks need Chromium; run this only after editing a source page.
// Usage: npx tsx scripts/make-townhall.ts [name…]   (needs /usr/bin/chromium, or CHROMIUM_PATH=…; pdfinfo is optional)
//
// Each source page is a run of `<div class="page">` sheets of A4 with its own running header and "Seite N von M"
// footer (Chromium's own header and footer are off), and its <title> becomes the PDF's Title. Line-end hyphens are
// typed: `Antrags-<br>formular` in the statutes and forms, soft hyphens (&shy;) in the two-column budget speech
// (Chromium ships no hyphenation dictionaries headless, so CSS `hyphens: auto` breaks nothing).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { CHROMIUM, printToPdf } from "./print-pdf.js";

const SRC = resolve("test/fixtures/townhall-pdf-src");
const OUT = resolve("test/fixtures/townhall/musterhausen/fileadmin/dokumente");
const MAX_BYTES = 80 * 1024;

function pdfPages(file: string): number | undefined {
  try {
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const m = /^Pages:\s+(\d+)/m.exec(info);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // no pdfinfo: skip the check
  }
}

function print(src: string, out: string, profile: string): void {
  printToPdf(src, out, profile);
}

function main(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH=…)`);
  const wanted = new Set(process.argv.slice(2));
  const sources = readdirSync(SRC)
    .filter((f) => f.endsWith(".html"))
    .filter((f) => wanted.size === 0 || wanted.has(basename(f, ".html")))
    .sort();
  if (sources.length === 0) throw new Error(`no sources in ${SRC}${wanted.size ? ` named ${[...wanted].join(", ")}` : ""}`);
  mkdirSync(OUT, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "make-townhall-"));
  const started = Date.now();
  let problems = 0;
  try {
    for (const file of sources) {
      const name = basename(file, ".html");
      const src = join(SRC, file);
      const out = join(OUT, `${name}.pdf`);
      const t0 = Date.now();
      print(src, out, profile);
      const size = statSync(out).size;
      const sheets = (readFileSync(src, "utf8").match(/<div class="page">/g) ?? []).length;
      const pages = pdfPages(out);
      const notes: string[] = [];
      if (size > MAX_BYTES) notes.push(`over ${MAX_BYTES / 1024} KB`);
      if (pages !== undefined && pages !== sheets) notes.push(`${pages} pages for ${sheets} sheets: a sheet overflows`);
      problems += notes.length;
      console.log(
        `${name}.pdf  ${pages ?? "?"} page(s), ${(size / 1024).toFixed(1)} KB, ${Date.now() - t0} ms${notes.length ? `  WARNING: ${notes.join("; ")}` : ""}`,
      );
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${sources.length} PDF(s) in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${OUT}`);
  if (problems > 0) process.exitCode = 1;
}

main();
