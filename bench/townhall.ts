// npm run bench:townhall [-- --baseline DIR] [-- --promotions FILE [--both]]: a town hall's TYPO3 export with its PDFs
// (test/fixtures/townhall) and its citizens' queries (bench/data/townhall-queries.json): is the right page first, the
// right section its first, and how long the build takes. With --baseline (a checkout of another commit, e.g.
// `git worktree add ../main-before main`), both codes build and answer the same queries in one run, side by side.
// With --promotions FILE (e.g. bench/data/townhall-promotions.txt, an editor's rules), a copy of the fixture gets FILE
// as its promotions.txt and the queries are answered as the API answers them (searchWithPromotions over the local
// backend) instead of by search() alone; with --both too, each code answers both ways, one row each. A baseline
// without promotions (no worker/promotions.ts) gets no promotions row.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { median } from "./stats.js";

const ROOT = resolve(import.meta.dirname, "..");
const CORPUS = join(ROOT, "test/fixtures/townhall");

interface Query {
  q: string;
  doc: string;
  section: string | null;
  why: string;
}

interface PageHit {
  doc: { id: string };
  sections?: { anchor: string | null }[];
  promoted?: boolean;
}

/** One code's answers: for each query the expected page's rank (0 = not in the top 10) and whether its first section is the expected one. */
interface Outcome {
  label: string;
  buildMs: number;
  documents: number;
  ranks: number[];
  sectionRight: (boolean | null)[];
  /** Whether the expected page came as a promoted result. */
  promoted: boolean[];
}

/** Whether a code has the editors' promotions (the baseline may predate them). */
function hasPromotions(codeRoot: string): boolean {
  return existsSync(join(codeRoot, "worker/promotions.ts")) && existsSync(join(codeRoot, "common/promotions.ts"));
}

/**
 * A copy of the fixture with the rules of `file` as its promotions.txt (at the top of the corpus folder, where the
 * builder reads it), in a temporary folder the caller removes.
 */
function corpusWithPromotions(file: string): string {
  const folder = mkdtempSync(join(tmpdir(), "fundstelle-townhall-"));
  cpSync(CORPUS, folder, { recursive: true });
  writeFileSync(join(folder, "promotions.txt"), readFileSync(file));
  return folder;
}

/**
 * Builds `corpusFolder` with one code and answers the queries: with `promotions`, as the API does (searchWithPromotions
 * over the local backend, the promoted pages first), else with search() alone.
 */
async function run(
  label: string,
  codeRoot: string,
  queries: readonly Query[],
  corpusFolder: string,
  promotions: boolean,
): Promise<Outcome> {
  const load = (path: string) => import(pathToFileURL(join(codeRoot, path)).href);
  const { readCorpus } = await load("index-builder/corpus.ts");
  const { buildArtifact } = await load("index-builder/build.ts");
  const { artifactModule } = await load("index-builder/artifact-files.ts");
  const { loadIndex } = await load("worker/search/loaded-index.ts");
  const { search } = await load("worker/search/search.ts");
  const started = performance.now();
  // The baseline's readCorpus may be synchronous: await takes either. A bad rule is named by the file it came from.
  const corpus = await Promise.resolve(readCorpus(corpusFolder)).catch((error: unknown) => {
    const { file, line, problem } = error as { file?: unknown; line?: number; problem?: string };
    if (!promotions || file !== "promotions.txt") throw error;
    throw new Error(`${values.promotions}${line === undefined ? "" : `:${line}`} (the corpus's promotions.txt): ${problem}`);
  });
  const artifact = buildArtifact(corpus, null, "bench");
  const buildMs = performance.now() - started;
  const index = loadIndex(artifactModule(artifact));
  let answer = async (request: object) => search(index, request) as { hits: PageHit[] };
  if (promotions) {
    const { searchWithPromotions } = await load("worker/promotions.ts");
    const { localBackend } = await load("worker/backend.ts");
    const backend = localBackend(() => index);
    if (corpus.promotions.length === 0) throw new Error(`${label}: the corpus has no promotions (is promotions.txt read?)`);
    answer = async (request) => (await searchWithPromotions(backend, request)) as { hits: PageHit[] };
  }
  const ranks: number[] = [];
  const sectionRight: (boolean | null)[] = [];
  const promoted: boolean[] = [];
  for (const query of queries) {
    const request = { q: query.q, limit: 10, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true, group: "document" };
    const hits = (await answer(request)).hits;
    const at = hits.findIndex((hit) => hit.doc.id === query.doc);
    ranks.push(at + 1);
    promoted.push(at >= 0 && hits[at]?.promoted === true);
    const top = hits[0];
    sectionRight.push(query.section === null || at !== 0 ? null : top?.sections?.[0]?.anchor === query.section);
  }
  return { label, buildMs, documents: corpus.documents.length, ranks, sectionRight, promoted };
}

function summary(outcome: Outcome): string[] {
  const n = outcome.ranks.length;
  const mrr = outcome.ranks.reduce((sum, rank) => sum + (rank > 0 ? 1 / rank : 0), 0) / n;
  const first = outcome.ranks.filter((rank) => rank === 1).length;
  const top10 = outcome.ranks.filter((rank) => rank > 0).length;
  const judged = outcome.sectionRight.filter((right) => right !== null);
  const sections = judged.filter((right) => right === true).length;
  return [
    outcome.label,
    String(outcome.documents),
    mrr.toFixed(3),
    `${first}/${n} (${((100 * first) / n).toFixed(0)} %)`,
    `${top10}/${n}`,
    `${sections}/${judged.length}`,
    `${outcome.buildMs.toFixed(0)} ms`,
  ];
}

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    promotions: { type: "string" },
    both: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});
if (values.both && values.promotions === undefined) throw new Error("--both compares with and without --promotions FILE: name the file");
const queries = JSON.parse(readFileSync(join(ROOT, "bench/data/townhall-queries.json"), "utf8")) as Query[];
const promotionsFile = values.promotions === undefined ? null : resolve(values.promotions);
const promotedCorpus = promotionsFile === null ? null : corpusWithPromotions(promotionsFile);
const codes: { label: string; root: string }[] = [
  ...(values.baseline === undefined ? [] : [{ label: "baseline", root: resolve(values.baseline) }]),
  { label: "this code", root: ROOT },
];
const outcomes: Outcome[] = [];
const notes: string[] = [];
try {
  for (const code of codes) {
    if (promotedCorpus === null || values.both) outcomes.push(await run(code.label, code.root, queries, CORPUS, false));
    if (promotedCorpus === null) continue;
    if (hasPromotions(code.root)) outcomes.push(await run(`${code.label} + editor's promotions`, code.root, queries, promotedCorpus, true));
    else notes.push(`${code.label} has no promotions (no worker/promotions.ts): no promotions row for it`);
  }
} finally {
  if (promotedCorpus !== null) rmSync(promotedCorpus, { recursive: true, force: true });
}

console.log(`Town hall (test/fixtures/townhall): ${queries.length} citizens' queries, pages (group=document), top 10`);
if (promotionsFile !== null)
  console.log(`Promotions: ${promotionsFile} as the corpus's promotions.txt, answered with searchWithPromotions`);
for (const note of notes) console.log(`(${note})`);
console.log("");
console.log("| code | documents | MRR@10 | right page first | in the top 10 | right section first¹ | read and build |");
console.log("|---|---|---|---|---|---|---|");
for (const outcome of outcomes) console.log(`| ${summary(outcome).join(" | ")} |`);
console.log("\n¹ of the queries whose right page came first and that name a section\n");
console.log(`| query | right page | ${outcomes.map((o) => o.label).join(" | ")} |`);
console.log(`|---|---|${outcomes.map(() => "---").join("|")}|`);
queries.forEach((query, i) => {
  const cells = outcomes.map((o) => {
    const rank = o.ranks[i] ?? 0;
    const section = o.sectionRight[i];
    return `${rank === 0 ? "–" : rank}${o.promoted[i] ? " (promoted)" : ""}${section === false ? " (other section)" : ""}`;
  });
  if (values.verbose || cells.some((cell) => cell !== "1")) {
    console.log(
      `| ${query.q} | ${query.doc.replace(/^musterhausen\//, "")}${query.section ? `#${query.section}` : ""} | ${cells.join(" | ")} |`,
    );
  }
});
if (!values.verbose)
  console.log("\n(queries whose right page every row shows first, none of them promoted, left out; --verbose lists all)");

// Extraction time of the site's PDFs with this code's reader, once pdf.js is loaded: each PDF's median of 5 reads.
const { BINARY_READERS } = await import("../index-builder/extract.js");
const { DEFAULT_BINARY_LIMITS } = await import("../index-builder/readers/binary.js");
const pdfReader = BINARY_READERS.get(".pdf");
if (pdfReader !== undefined) {
  const folder = join(CORPUS, "musterhausen/fileadmin/dokumente");
  const files = readdirSync(folder).filter((name) => name.endsWith(".pdf"));
  const read = await pdfReader.load();
  const rows: string[] = [];
  let pages = 0;
  let total = 0;
  for (const name of files) {
    const bytes = new Uint8Array(readFileSync(join(folder, name)));
    const extraction = await read(bytes, DEFAULT_BINARY_LIMITS);
    const count = "document" in extraction ? extraction.document.pages : 0;
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      await read(bytes, DEFAULT_BINARY_LIMITS);
      times.push(performance.now() - started);
    }
    const ms = median(times);
    pages += count;
    total += ms;
    rows.push(`| ${name} | ${count} | ${ms.toFixed(1)} ms | ${(ms / Math.max(1, count)).toFixed(1)} ms |`);
  }
  console.log("\nPDF extraction with pdf.js loaded (the build above loaded it), each file's median of 5 reads\n");
  console.log("| file | pages | per file | per page |");
  console.log("|---|---|---|---|");
  for (const row of rows) console.log(row);
  console.log(`| all | ${pages} | ${total.toFixed(1)} ms | ${(total / pages).toFixed(1)} ms |`);
}
