// npm run bench:build-time [-- --baseline DIR --rounds N]: how long reading and building LibreOffice's German help
// takes in this process (corpus read, analysis, index), and, with --baseline (a checkout of another commit), the same
// for that code in alternating rounds, so that both see the same machine. Prints medians and the ratio.
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Corpus } from "../index-builder/corpus.js";
import { LIBREOFFICE, readLinkedCorpus, requireLibreOffice } from "./corpora.js";
import { median } from "./stats.js";

requireLibreOffice("bench:build-time");
const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { baseline: { type: "string" }, rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);

interface Code {
  label: string;
  build: () => Promise<{ documents: number; paragraphs: number }>;
  times: number[];
}

/** A code's read-and-build of LibreOffice's help, with its own readers and builder (its readCorpus may be synchronous). */
async function codeAt(label: string, root: string): Promise<Code> {
  const load = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { readCorpus } = await load("index-builder/corpus.ts");
  const { buildArtifact } = await load("index-builder/build.ts");
  const build = async () => {
    const corpus = await readLinkedCorpusWith(readCorpus);
    const artifact = buildArtifact(corpus, null, "bench");
    return { documents: artifact.manifest.counts.documents, paragraphs: artifact.manifest.counts.paragraphs };
  };
  return { label, build, times: [] };
}

/** readLinkedCorpus with a given code's readCorpus (the benchmark's own helper reads with this code's). */
async function readLinkedCorpusWith(readCorpus: (dir: string, progress: undefined, options: object) => Corpus | Promise<Corpus>) {
  return readLinkedCorpus({ libreoffice: LIBREOFFICE }, (dir, options) => readCorpus(dir, undefined, options));
}

const codes = [
  ...(values.baseline === undefined ? [] : [await codeAt("baseline", resolve(values.baseline))]),
  await codeAt("this code", ROOT),
];
let counts = "";
for (let round = 0; round < rounds + 1; round++) {
  for (const code of round % 2 === 0 ? codes : [...codes].reverse()) {
    const started = performance.now();
    const built = await code.build();
    // The first round warms both up (module loading, the JIT) and is not counted.
    if (round > 0) code.times.push(performance.now() - started);
    counts = `${built.documents} documents, ${built.paragraphs} paragraphs`;
  }
}
console.log(`Read and build LibreOffice's German help (${counts}), in process, ${rounds} alternating rounds after one to warm up\n`);
console.log("| code | median | min | max |");
console.log("|---|---|---|---|");
for (const code of codes) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`| ${code.label} | ${s(median(code.times))} | ${s(Math.min(...code.times))} | ${s(Math.max(...code.times))} |`);
}
if (codes.length === 2) {
  const [before, after] = codes as [Code, Code];
  const ratios = after.times.map((t, i) => t / (before.times[i] as number));
  console.log(
    `\nthis code / baseline: ${(median(after.times) / median(before.times)).toFixed(3)} (median of the per-round ratios ${median(ratios).toFixed(3)})`,
  );
}
