// npx tsx scripts/fit-limits.ts: fits the build's estimates of a Worker's memory and startup (index-builder/size-budget.ts)
// to what bench:growth measured, the table between <!-- growth:start --> and <!-- growth:end --> in docs/BENCHMARKS.md,
// by least squares; prints the constants and each estimate's error against the measured figure. After a new
// bench:growth run, run it and copy the constants into size-budget.ts (with the figures, into its doc comments).
import { readFileSync } from "node:fs";
import { join } from "node:path";

const MIB = 1024 * 1024;
const text = readFileSync(join(import.meta.dirname, "..", "docs", "BENCHMARKS.md"), "utf8");
const section = text.slice(text.indexOf("<!-- growth:start -->"), text.indexOf("<!-- growth:end -->"));

/** The cells of the growth table's row that starts with `label`. */
function row(label: string): string[] {
  const line = section.split("\n").find((l) => l.startsWith(`| ${label} `));
  if (line === undefined) throw new Error(`docs/BENCHMARKS.md, growth: no row "${label}"`);
  return line
    .split("|")
    .slice(2, -1)
    .map((cell) => cell.trim());
}
/** The numbers in a cell, in order ("2.19 MiB + 0.74 MiB" → [2.19, 0.74]; "10,134 (672)" → [10134, 672]). */
const numbers = (cell: string) => [...cell.matchAll(/[\d,]+(?:\.\d+)?/g)].map((m) => Number(m[0].replaceAll(",", "")));
const first = (label: string, i = 0) => row(label).map((cell) => numbers(cell)[i] as number);

const paragraphs = first("paragraphs (pages)");
const terms = first("index terms (vocabulary words)");
const index = first("index.bin + store.json, raw").map((v) => v * MIB);
const store = first("index.bin + store.json, raw", 1).map((v) => v * MIB);
const heap = first("isolate heap after load (+ index.bin)").map((v) => v * MIB);
const startup = first("startup CPU");

/** Least squares: the coefficients c minimising |X c - y| (normal equations, solved by Gaussian elimination). */
function leastSquares(columns: number[][], y: number[]): number[] {
  const n = columns.length;
  const a = columns.map((ci) => [
    ...columns.map((cj) => ci.reduce((s, v, k) => s + v * (cj[k] as number), 0)),
    ci.reduce((s, v, k) => s + v * (y[k] as number), 0),
  ]);
  for (let i = 0; i < n; i++) {
    const pivot = a[i] as number[];
    for (let j = i + 1; j < n; j++) {
      const r = a[j] as number[];
      const f = (r[i] as number) / (pivot[i] as number);
      for (let k = i; k <= n; k++) r[k] = (r[k] as number) - f * (pivot[k] as number);
    }
  }
  const c = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const r = a[i] as number[];
    let s = r[n] as number;
    for (let k = i + 1; k < n; k++) s -= (r[k] as number) * (c[k] as number);
    c[i] = s / (r[i] as number);
  }
  return c;
}

const ones = paragraphs.map(() => 1);
const [perStoreByte, perTerm, base] = leastSquares([store, terms, ones], heap) as [number, number, number];
console.log(
  `memory ≈ index.bin + ${perStoreByte.toFixed(3)} × store.json + ${perTerm.toFixed(1)} B × terms + ${(base / 1e6).toFixed(3)} MB`,
);
paragraphs.forEach((p, i) => {
  const measured = (heap[i] as number) + (index[i] as number);
  const estimate = (index[i] as number) + perStoreByte * (store[i] as number) + perTerm * (terms[i] as number) + base;
  console.log(
    `  ${p.toLocaleString("en")} paragraphs: estimate ${(estimate / MIB).toFixed(1)} MiB, measured ${(measured / MIB).toFixed(1)} MiB (${(((estimate - measured) / measured) * 100).toFixed(1)}%)`,
  );
});
const [msPerStoreByte, startBase] = leastSquares([store, ones], startup) as [number, number];
console.log(`startup ≈ ${(msPerStoreByte * MIB).toFixed(2)} ms per MiB of store.json + ${startBase.toFixed(1)} ms`);
paragraphs.forEach((p, i) => {
  const estimate = msPerStoreByte * (store[i] as number) + startBase;
  const measured = startup[i] as number;
  console.log(
    `  ${p.toLocaleString("en")} paragraphs: estimate ${estimate.toFixed(0)} ms, measured ${measured} ms (${(((estimate - measured) / measured) * 100).toFixed(1)}%)`,
  );
});
