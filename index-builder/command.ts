// The build command (npm run build:index [-- --corpus DIR --out DIR --strict --if-stale --quiet]), as a function
// of its arguments and surroundings, so that tests run it in process; index-builder/cli.ts runs it for the shell.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { ARTIFACT_FILES, EXPECTED_ANALYZER, FORMAT_VERSION, type Manifest } from "../common/artifact.js";
import { buildFilesProblem, recoverBuild, shardedBuildFilesProblem, writeArtifact, writeShardedBuild } from "./artifact-files.js";
import { type Artifact, buildArtifact, builderHash, buildShards, builtAtFromEnvironment, corpusVersion } from "./build.js";
import type { CacheCount } from "./build-cache.js";
import { type Corpus, type ReadCorpusOptions, readCorpus } from "./corpus.js";
import { CorpusError, formatNotice, formatWarning, NOTICE_KINDS, type NoticeKind, SettingsError } from "./errors.js";
import { binaryLimits, builtFrom, MAX_SHARDS, type ProjectConfig, readProjectConfig, writeBuiltFrom } from "./project-config.js";
import { formatBytes, gzipSize, sizeVerdict, workerFigures, workerFiguresOnDisk, workerSize } from "./size-budget.js";

const HELP = `Builds the search index from a corpus folder.

Usage: npm run build:index [-- options]

Options:
  --corpus DIR   corpus folder (default: package.json "fundstelle.corpus", else corpus)
  --out DIR      build folder (default: build)
  --plan P       free or paid: the Workers plan; on free, a corpus large enough for searches to pass its 10 ms
                 of CPU per request gets a warning (default: package.json "fundstelle.plan", else free)
  --strict       treat warnings (files outside collections, bad dates and canonical links, PDFs and office
                 files that cannot be read, skipped pipes, sockets, devices and symbolic links) as errors;
                 notices (redirect stubs, pages without body text, noindex pages, excluded files) never are;
                 and stop a Worker over 64 MiB, or over 128 MB of memory or 1 s of startup as estimated (a
                 warning without --strict); the free plan's CPU warning never stops a build
  --if-stale     build only when the index is missing, damaged (a file missing, cut off or changed), older than
                 the corpus or the builder, or from another analyzer or format
  --shards N     build N shard Workers and a router for a corpus too large for one Worker (default out: build-shards;
                 default: package.json "fundstelle.shards", else 1)
  --quiet        print only errors and warnings
  --verbose      also list every file skipped on purpose, with why (excluded, not a page, noindex, a redirect,
                 no body text, not a document format); the build always writes that list to OUT/skipped.txt
  --allow-links-into DIR
                 follow symbolic links in the corpus that lead into DIR (may be given more than once);
                 by default a link must stay inside the corpus folder, or it is skipped with a warning
  --no-cache     read, extract and analyse every file afresh, without the build cache: by default a build keeps
                 what it read and analysed of each file by content in node_modules/.cache/fundstelle/ and a
                 rebuild redoes only what changed (the index is the same byte for byte either way)
  -h, --help     show this help

A flag overrides package.json's "fundstelle" section for this run, and says so.
Environment: SOURCE_DATE_EPOCH sets the manifest's builtAt (otherwise null, for byte-identical builds).`;

/** A one-line progress bar on a terminal; on a pipe, a line every 10%. */
/** Where the command reads and writes: the folder it runs in, the environment, and its two output streams. */
export interface CommandIo {
  cwd: string;
  env: Record<string, string | undefined>;
  /** A line for standard output. */
  out(line: string): void;
  /** A line for standard error. */
  err(line: string): void;
  /** Progress while reading a large corpus (a terminal's progress bar); none when absent. */
  progress?: (text: string) => void;
  /** Whether `progress` draws on a terminal (one line redrawn) rather than a log (one line per tenth). */
  tty?: boolean;
}

/** The shell's surroundings for a command: this process's folder and environment, its standard streams and terminal. */
export function shellIo(): CommandIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    progress: (text) => process.stderr.write(text),
    tty: process.stderr.isTTY,
  };
}

function progressReporter(quiet: boolean, io: CommandIo): (done: number, total: number) => void {
  const write = io.progress;
  if (quiet || !write) return () => {};
  const tty = io.tty === true;
  let lastDraw = 0;
  let lastTenth = -1;
  return (done, total) => {
    if (total < 50) return;
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 100 && done !== total) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      write(`\rReading corpus [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} files${done === total ? "\n" : ""}`);
    } else {
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        write(`Reading corpus: ${done}/${total} files\n`);
      }
    }
  };
}

/** The manifest of a build folder: null when there is none, a string saying why when it cannot be read. */
function readManifest(outDir: string): Manifest | string | null {
  let text: string;
  try {
    text = readFileSync(resolve(outDir, ARTIFACT_FILES.manifest), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return `${ARTIFACT_FILES.manifest} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  try {
    const manifest = JSON.parse(text) as unknown;
    if (typeof manifest === "object" && manifest !== null && !Array.isArray(manifest)) return manifest as Manifest;
  } catch {}
  return `${ARTIFACT_FILES.manifest} is not valid JSON`;
}

/**
 * Why the build in `outDir` must be rebuilt for this corpus version, or null when it is current: no build,
 * another format, analyzer, corpus version or builder, or files that are not the ones the manifest describes
 * (missing, cut off, changed: see {@link buildFilesProblem}). A sharded build is checked shard by shard.
 */
export function staleReason(outDir: string, version: string, shards = 1): string | null {
  const folder = shards > 1 ? "shard-0/" : "";
  const manifest = readManifest(join(outDir, folder));
  if (manifest === null) return existsSync(outDir) ? `${folder}${ARTIFACT_FILES.manifest} is missing` : "no index has been built yet";
  if (typeof manifest === "string") return `${folder}${manifest}`;
  if (manifest.formatVersion !== FORMAT_VERSION) return `the index has format ${manifest.formatVersion}, this code reads ${FORMAT_VERSION}`;
  if (manifest.analyzer?.id !== EXPECTED_ANALYZER.id || manifest.analyzer?.version !== EXPECTED_ANALYZER.version) {
    return `the index was built by analyzer ${manifest.analyzer?.id} ${manifest.analyzer?.version}, this code has ${EXPECTED_ANALYZER.id} ${EXPECTED_ANALYZER.version}`;
  }
  if (manifest.version !== version) return "the corpus has changed since the index was built";
  if (manifest.builder !== builderHash()) return "the index builder has changed since the index was built";
  if ((manifest.shard?.shards ?? 1) !== shards) return `the build has another number of shards than ${shards}`;
  return shards > 1 ? shardedBuildFilesProblem(outDir, shards) : buildFilesProblem(outDir);
}

interface CliOptions {
  corpus?: string;
  out?: string;
  plan?: string;
  strict: boolean;
  "if-stale": boolean;
  "no-cache": boolean;
  quiet: boolean;
  verbose: boolean;
  help: boolean;
  shards?: string;
  "allow-links-into"?: string[];
}

/** The command's arguments, or the exit code when they are wrong or ask for help. */
function parseCommandArgs(argv: string[], io: CommandIo): CliOptions | number {
  let args: CliOptions;
  try {
    args = parseArgs({
      args: argv,
      options: {
        corpus: { type: "string" },
        out: { type: "string" },
        plan: { type: "string" },
        shards: { type: "string" },
        "allow-links-into": { type: "string", multiple: true },
        strict: { type: "boolean", default: false },
        "if-stale": { type: "boolean", default: false },
        "no-cache": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  return args;
}

/** What one run builds: the project's settings with the flags' overrides, each override said once. */
interface RunSettings {
  corpusDir: string;
  shards: number;
  plan: "free" | "paid";
  allowLinksInto: string[];
  /** The output folder as given (relative), and resolved. */
  out: string;
  outDir: string;
  /** The corpus folder relative to the working directory, as the summary names it. */
  source: string;
  /** What the project's settings say about reading the corpus. */
  read: Pick<ReadCorpusOptions, "defaultCollection" | "exclude" | "limits" | "cacheDir" | "maxBlockLength" | "noResults">;
}

/** The run's settings from package.json and the flags, or the exit code after saying what is wrong. */
function runSettings(args: CliOptions, io: CommandIo, log: (line: string) => void): RunSettings | number {
  let config: ProjectConfig;
  try {
    config = readProjectConfig(io.cwd);
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  const corpusPath = args.corpus ?? config.corpus;
  if (args.corpus !== undefined && resolve(io.cwd, args.corpus) !== resolve(io.cwd, config.corpus)) {
    log(`Using --corpus ${args.corpus} for this run (package.json's fundstelle.corpus is ${config.corpus}).`);
  }
  const corpusDir = resolve(io.cwd, corpusPath);
  const shards = args.shards === undefined ? config.shards : Number(args.shards);
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    io.err(`error: --shards must be a whole number from 1 to ${MAX_SHARDS}, not "${args.shards}"`);
    return 2;
  }
  if (args.shards !== undefined && shards !== config.shards)
    log(`Using --shards ${shards} for this run (package.json's fundstelle.shards is ${config.shards}).`);
  const plan = args.plan ?? config.plan;
  if (plan !== "free" && plan !== "paid") {
    io.err(`error: --plan must be free or paid, not "${plan}"`);
    return 2;
  }
  if (args.plan !== undefined && plan !== config.plan)
    log(`Using --plan ${plan} for this run (package.json's fundstelle.plan is ${config.plan}).`);
  const allowLinksInto = args["allow-links-into"] ?? config.allowLinksInto;
  // An empty value would resolve to the folder the command runs in (and let links reach everything under it).
  if (allowLinksInto.some((folder) => folder.trim() === "")) {
    io.err("error: --allow-links-into needs a folder: an empty value would allow links into the whole working folder");
    return 2;
  }
  if (args["allow-links-into"] !== undefined && config.allowLinksInto.length > 0) {
    log(
      `Using --allow-links-into ${allowLinksInto.join(", ")} for this run instead of package.json's fundstelle.allowLinksInto (${config.allowLinksInto.join(", ")}).`,
    );
  }
  const out = args.out ?? (shards > 1 ? "build-shards" : "build");
  return {
    corpusDir,
    shards,
    plan,
    allowLinksInto: allowLinksInto.map((folder) => resolve(io.cwd, folder)),
    out,
    outDir: resolve(io.cwd, out),
    source: relative(io.cwd, corpusDir).split(sep).join("/") || ".",
    read: {
      defaultCollection: config.defaultCollection,
      exclude: config.exclude,
      limits: binaryLimits(config),
      maxBlockLength: config.limits.blockCharacters,
      noResults: config.noResults,
      cacheDir: args["no-cache"] ? undefined : join(io.cwd, "node_modules", ".cache", "fundstelle"),
    },
  };
}

/** Runs the build command with `argv` (the arguments after the command); returns its exit code. */
export async function runBuildCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs(argv, io);
  if (typeof args === "number") return args;
  const started = performance.now();
  const log = (line: string) => {
    if (!args.quiet) io.out(line);
  };
  const settings = runSettings(args, io, log);
  if (typeof settings === "number") return settings;
  const { out, outDir, shards, plan, source } = settings;
  try {
    recoverBuild(outDir);
    const builtAt = builtAtFromEnvironment(io.env.SOURCE_DATE_EPOCH);
    const corpus = await readCorpus(settings.corpusDir, progressReporter(args.quiet, io), {
      allowLinksInto: settings.allowLinksInto,
      ...settings.read,
    });
    for (const warning of corpus.warnings) io.err(`warning: ${formatWarning(warning)}`);
    if (args.verbose && !args.quiet) for (const notice of corpus.notices) io.out(`skipped: ${formatNotice(notice)}`);
    if (args.strict && corpus.warnings.length > 0) {
      io.err(`error: ${corpus.warnings.length} warning(s) and --strict is set; the last good build in ${out}/ is unchanged`);
      return 1;
    }
    const built = builtFrom(outDir);
    if (args["if-stale"]) {
      const reason = staleReason(outDir, corpusVersion(corpus.files), shards);
      if (reason === null) {
        log(`Index in ${out}/ is up to date (version ${corpusVersion(corpus.files)}).`);
        return sizeVerdict(workerFiguresOnDisk(outDir, shards), plan, args.strict, log);
      }
      log(`Building the index: ${reason}.`);
    }
    // Never replace an index of another corpus without saying so (a build:index --corpus elsewhere, then npm start).
    if (built !== null && built !== source) log(`Replacing the index of ${built}/ in ${out}/ with one of ${source}/.`);
    let artifact: Artifact;
    const analysisCount: CacheCount = { hits: 0, lookups: 0 };
    const buildOptions = { cacheDir: settings.read.cacheDir, analysisCount };
    if (shards > 1) {
      const artifacts = buildShards(corpus, shards, builtAt, undefined, buildOptions);
      if (sizeVerdict(artifacts.map(workerFigures), plan, args.strict, log) !== 0) return 1;
      writeShardedBuild(artifacts, outDir);
      writeBuiltFrom(outDir, source);
      for (const [i, shard] of artifacts.entries()) {
        const { counts } = shard.manifest;
        log(
          `  shard ${i}: documents ${counts.documents}, paragraphs ${counts.paragraphs}, terms ${counts.terms}, Worker ${formatBytes(workerSize(workerFigures(shard)))}`,
        );
      }
      log(`Deploy each shard-<i>/wrangler.toml in ${out}/, then ${out}/router/wrangler.toml (see README, Sharded mode).`);
      artifact = artifacts[0] as Artifact;
    } else {
      artifact = buildArtifact(corpus, builtAt, undefined, buildOptions);
      if (sizeVerdict([workerFigures(artifact)], plan, args.strict, log) !== 0) return 1;
      writeArtifact(artifact, outDir);
      writeBuiltFrom(outDir, source);
    }
    writeSkipped(outDir, corpus);
    // The summary's sizes cost a gzip of every file: not for a --quiet build (npm start's rebuilds) that prints none.
    if (!args.quiet) logSummary(artifact, corpus, settings, log);
    logSkipped(corpus, out, log);
    if (settings.read.cacheDir !== undefined) logCache(corpus, analysisCount, log);
    log(`  warnings ${corpus.warnings.length}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof CorpusError || error instanceof SettingsError) {
      io.err(`error: ${error.message}`);
      io.err(
        existsSync(join(settings.outDir, ARTIFACT_FILES.manifest)) || existsSync(join(settings.outDir, "shard-0", ARTIFACT_FILES.manifest))
          ? `The build stopped; the last good build in ${out}/ is unchanged.`
          : `The build stopped; there is no build in ${out}/ yet.`,
      );
      return 1;
    }
    throw error;
  }
}

/** The build summary: the corpus's counts and, for one Worker, each file's size. */
function logSummary(artifact: Artifact, corpus: Corpus, { out, source }: RunSettings, log: (line: string) => void): void {
  // A shard's manifest counts its own part; the summary is of the whole corpus.
  const whole = artifact.manifest.shard;
  const counts = whole
    ? { ...artifact.manifest.counts, documents: whole.documents, paragraphs: whole.paragraphs }
    : artifact.manifest.counts;
  log(`Built ${out}/ (version ${artifact.manifest.version}) from ${source}/`);
  if (whole) {
    log(
      `  the whole corpus: collections ${corpus.collections.length}, documents ${counts.documents}, paragraphs ${counts.paragraphs}, in ${whole.shards} shards`,
    );
    return;
  }
  log(`  collections ${counts.collections}, documents ${counts.documents}, paragraphs ${counts.paragraphs}, terms ${counts.terms}`);
  // artifact.js repackages the other files for the worker bundle, so it is listed but not added to the total.
  const sizes = Object.entries(artifact.files).map(([name, text]) => ({
    name: ARTIFACT_FILES[name as keyof typeof ARTIFACT_FILES],
    raw: Buffer.byteLength(text),
    gzip: gzipSize(text),
  }));
  const files = sizes.filter((s) => s.name !== ARTIFACT_FILES.module);
  const row = (name: string, rawBytes: number, gzipBytes: number) =>
    log(`  ${name.padEnd(14)} ${formatBytes(rawBytes).padStart(10)} raw ${formatBytes(gzipBytes).padStart(10)} gzip`);
  for (const s of files) row(s.name, s.raw, s.gzip);
  row(
    "total",
    files.reduce((sum, s) => sum + s.raw, 0),
    files.reduce((sum, s) => sum + s.gzip, 0),
  );
  for (const s of sizes.filter((s) => s.name === ARTIFACT_FILES.module)) row(`${s.name} `, s.raw, s.gzip);
}

/**
 * The summary's line on the build cache: how many document files came from it unchanged (read, or for PDFs and
 * office files extracted, before), and how many documents' analyses.
 */
function logCache(corpus: Corpus, analysis: CacheCount, log: (line: string) => void): void {
  const read = corpus.readCache ?? { hits: 0, lookups: 0 };
  const { cached, files } = corpus.extraction;
  const unchanged = read.hits + cached;
  const total = read.lookups + cached + files;
  log(
    `  ${unchanged} of ${total} files unchanged since the last build (read from the cache), ${analysis.hits} of ${analysis.lookups} documents' analyses too`,
  );
}

/** Beside the artifact: every file the build skipped or warned about, one a line with why (not part of the artifact). */
export const SKIPPED_FILE = "skipped.txt";

/** Writes {@link SKIPPED_FILE}: warnings first, then the files skipped on purpose, each group in path order. */
function writeSkipped(outDir: string, corpus: Corpus): void {
  const lines = [
    "# Files the last build of this folder did not index as they are, and why (warnings, then files skipped on purpose).",
    ...corpus.warnings.map((warning) => `warning: ${formatWarning(warning)}`),
    ...corpus.notices.map((notice) => `skipped: ${formatNotice(notice)}`),
  ];
  writeFileSync(join(outDir, SKIPPED_FILE), `${lines.join("\n")}\n`);
}

/** The summary's lines on binary documents and skipped files: how many of each reason, and where the list is. */
function logSkipped(corpus: Corpus, out: string, log: (line: string) => void): void {
  const { extraction } = corpus;
  if (extraction.files + extraction.cached > 0) {
    const perPage = extraction.pages > 0 ? `, ${(extraction.ms / extraction.pages).toFixed(0)} ms a page` : "";
    log(
      `  PDFs and office files: ${extraction.files} extracted (${extraction.pages} pages, ${(extraction.ms / 1000).toFixed(1)} s${perPage}${extraction.failed > 0 ? `; ${extraction.failed} could not be read, see the warnings` : ""}), ${extraction.cached} unchanged from the cache`,
    );
  }
  if (corpus.notices.length === 0) return;
  const counts = new Map<NoticeKind, number>();
  for (const { kind } of corpus.notices) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const split = counts.get("split") ?? 0;
  counts.delete("split");
  const skipped = corpus.notices.length - split;
  const named = [...counts].map(([kind, count]) => `${NOTICE_KINDS[kind]} ${count}`).join(", ");
  // A file whose long blocks were split is read all the same: counted apart from the files skipped.
  if (skipped > 0) log(`  skipped ${skipped} files (${named}): see ${out}/${SKIPPED_FILE} or --verbose`);
  if (split > 0) log(`  ${NOTICE_KINDS.split} ${split}: see ${out}/${SKIPPED_FILE} or --verbose`);
}
