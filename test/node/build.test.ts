// Builder end to end on a fixture corpus: manifest, determinism, a known query, atomic writes, and bad input through the CLI.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ANALYZER_ID, ANALYZER_VERSION, indexTerms } from "../../analyzer/index.js";
import { ARTIFACT_FILES, FORMAT_VERSION, type Manifest, type Store } from "../../common/artifact.js";
import { readArtifact, recoverBuild, writeArtifact } from "../../index-builder/artifact-files.js";
import { buildArtifact } from "../../index-builder/build.js";
import { runBuildCommand } from "../../index-builder/command.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = join(ROOT, "test/fixtures/corpus");
const scratch = mkdtempSync(join(tmpdir(), "fundstelle-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
const freshDir = (name: string) => join(scratch, `${name}-${counter++}`);

async function buildFixture(outDir: string, builtAt: string | null = null) {
  const artifact = buildArtifact(await readCorpus(FIXTURE), builtAt);
  writeArtifact(artifact, outDir);
  return artifact;
}

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

/** The build command as the shell runs it: a process of its own (one test, which checks the real entry point). */
function cliProcess(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "index-builder/cli.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The build command run in this process, with its output collected: what the shell would see, without a process per case. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let status: number;
  try {
    status = await runBuildCommand(args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      out: (line) => stdout.push(`${line}\n`),
      err: (line) => stderr.push(`${line}\n`),
    });
  } catch (error) {
    // An unexpected error ends the process with status 1 and its message on standard error.
    status = 1;
    stderr.push(`${String(error)}\n`);
  }
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("building the fixture corpus", async () => {
  const out = freshDir("build");
  const artifact = await buildFixture(out);
  const manifest = JSON.parse(readFileSync(join(out, ARTIFACT_FILES.manifest), "utf8")) as Manifest;
  const store = JSON.parse(readFileSync(join(out, ARTIFACT_FILES.store), "utf8")) as Store;

  it("writes manifest, index and store", () => {
    expect(readdirSync(out).sort()).toEqual(["artifact.d.ts", "artifact.js", "index.bin", "manifest.json", "store.json"]);
  });

  it("records format, analyzer, counts and file hashes in the manifest", () => {
    expect(manifest).toMatchObject({
      formatVersion: FORMAT_VERSION,
      analyzer: { id: ANALYZER_ID, version: ANALYZER_VERSION },
      builtAt: null,
      counts: { collections: 3, documents: 7, paragraphs: 21 },
      minisearch: { fields: ["title", "text", "parts", "headings"], idField: "id" },
    });
    expect(manifest.version).toMatch(/^[0-9a-f]{20}$/);
    expect(manifest.counts.terms).toBeGreaterThan(100);
    expect(manifest.files.index.bytes).toBe(readFileSync(join(out, ARTIFACT_FILES.index)).length);
    expect(artifact.manifest).toEqual(manifest);
  });

  it("stores documents in path order (then line order) with their collections", () => {
    expect(store.documents.map((d) => [d.id, d.collection, d.first, d.count])).toEqual([
      ["docs/anleitung", "docs", 0, 4],
      ["help/seite", "help", 4, 5],
      ["news/kasachstan", "news", 9, 5],
      ["news/meldungen/erste", "news", 14, 2],
      ["news/meldungen/zweite", "news", 16, 1],
      ["news/ranking/haeuser", "news", 17, 3],
      ["news/ranking/feindlich", "news", 20, 1],
    ]);
    expect(store.collections.find((c) => c.id === "news")).toEqual({
      id: "news",
      title: "Meldungen",
      attribution: "Beispielredaktion",
      license: "CC0-1.0",
      url: "https://example.org",
      documents: 5,
      paragraphs: 12,
    });
    expect(store.collections.find((c) => c.id === "docs")?.title).toBe("Docs");
    expect(store.documents.reduce((sum, doc) => sum + doc.count, 0)).toBe(artifact.manifest.counts.paragraphs);
  });

  it("finds a known paragraph for a query in another spelling and inflection", () => {
    const index = loadIndex(readArtifact(out));
    const search = (query: string) => {
      const matches = index.evaluator.evaluate(
        { combineWith: "OR", queries: indexTerms(query).map((term) => ({ term, boost: 1 })) },
        { boost: { title: 1, text: 1, parts: 1 }, bm25: { k: 1.2, b: 0.7, d: 0.5 } },
      );
      return [...matches.ids.subarray(0, matches.count)]
        .sort((a, b) => matches.sum(b) * matches.termsOf(b).length - matches.sum(a) * matches.termsOf(a).length || a - b)
        .map((id) => index.paragraphText(id));
    };
    expect(search("Universitaet")).toContain("Die Universität Leipzig eröffnet ein Studienzentrum.");
    expect(search("Universitat")).toContain("Die Universitaet Leipzig plant einen Neubau am Stadtrand.");
    expect(search("Handelsvolumens Kasachstans")[0]).toMatch(/^Kasachstan ist Deutschlands wichtigster Wirtschaftspartner/);
    expect(search("226000")[0]).toBe("Mehr als 226.000 Personen nahmen teil.");
    expect(search("Goetheinstitut")[0]).toBe("Das Goethe-Institut lädt zu Sprachkursen ein.");
  });

  it("gives byte-identical files when the same corpus is built again", async () => {
    const again = freshDir("again");
    await buildFixture(again);
    expect(filesOf(again)).toEqual(filesOf(out));
  });

  it("takes builtAt from SOURCE_DATE_EPOCH and nothing else from the clock", async () => {
    const dir = freshDir("dated");
    const result = await cli(["--corpus", FIXTURE, "--out", dir], { SOURCE_DATE_EPOCH: "1730246400" });
    expect(result.status).toBe(0);
    const dated = JSON.parse(readFileSync(join(dir, ARTIFACT_FILES.manifest), "utf8")) as Manifest;
    expect(dated.builtAt).toBe("2024-10-30T00:00:00.000Z");
    expect({ ...dated, builtAt: null }).toEqual(manifest);
    expect(readFileSync(join(dir, ARTIFACT_FILES.index), "utf8")).toBe(readFileSync(join(out, ARTIFACT_FILES.index), "utf8"));
  });
});

describe("the build command", () => {
  it("prints a summary with counts, sizes and time, and the skipped redirect stub as a notice, run from the shell", () => {
    const out = freshDir("cli");
    const result = cliProcess(["--corpus", FIXTURE, "--out", out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/collections 3, documents 7, paragraphs 21, terms \d+/);
    expect(result.stdout).toMatch(/total\s+[\d.]+ KiB raw\s+[\d.]+ (B|KiB) gzip/);
    expect(result.stdout).toContain(`skipped 1 files (redirects 1): see ${out}/skipped.txt or --verbose`);
    expect(result.stdout).toMatch(/warnings 0, [\d.]+ s/);
    expect(result.stderr).toBe("");
    expect(readFileSync(join(out, "skipped.txt"), "utf8")).toContain("skipped: help/stub.html:1: is a redirect to seite.html; skipped");
  });

  it("rebuilds with --if-stale only when the corpus changed", async () => {
    const corpus = freshDir("stale-corpus");
    const out = freshDir("stale-out");
    cpSync(FIXTURE, corpus, { recursive: true });
    expect((await cli(["--corpus", corpus, "--out", out, "--if-stale"])).stdout).toContain(
      "Building the index: no index has been built yet.",
    );
    expect((await cli(["--corpus", corpus, "--out", out, "--if-stale"])).stdout).toContain("is up to date");
    writeFileSync(join(corpus, "docs/neu.md"), "---\ntitle: Neu\n---\nNeuer Absatz.\n");
    expect((await cli(["--corpus", corpus, "--out", out, "--if-stale"])).stdout).toContain("the corpus has changed");
  });

  const damages: [string, (out: string) => void, string][] = [
    [
      "index.bin is one byte short",
      (out) => truncateSync(join(out, "index.bin"), statSync(join(out, "index.bin")).size - 1),
      "index.bin is 1 byte shorter than the manifest records (",
    ],
    [
      "a byte of store.json is flipped",
      (out) => {
        const bytes = readFileSync(join(out, "store.json"));
        bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 1;
        writeFileSync(join(out, "store.json"), bytes);
      },
      "store.json does not match the sha256 in the manifest.",
    ],
    ["artifact.js is missing", (out) => rmSync(join(out, "artifact.js")), "artifact.js is missing."],
    [
      "artifact.js holds another store",
      (out) => writeFileSync(join(out, "artifact.js"), readFileSync(join(out, "artifact.js"), "utf8").replace("Kasachstan", "Kasachstam")),
      "artifact.js is not the module this builder writes for index.bin, store.json and manifest.json.",
    ],
    ["artifact.d.ts is missing", (out) => rmSync(join(out, "artifact.d.ts")), "artifact.d.ts is missing."],
    ["manifest.json is cut off", (out) => truncateSync(join(out, "manifest.json"), 100), "manifest.json is not valid JSON."],
  ];

  it.each(damages)("rebuilds with --if-stale when %s, and the rebuild is whole again", async (_name, damage, reason) => {
    const out = freshDir("damaged");
    await buildFixture(out);
    const good = filesOf(out);
    damage(out);
    const result = await cli(["--corpus", FIXTURE, "--out", out, "--if-stale"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Building the index: ${reason}`);
    // The command also notes which corpus folder the build is of, beside the artifact.
    const { "source.json": source, "skipped.txt": skipped, ...rebuilt } = filesOf(out);
    expect(rebuilt).toEqual(good);
    expect(skipped).toContain("skipped: help/stub.html:1: is a redirect to seite.html; skipped");
    expect(JSON.parse(source ?? "{}")).toEqual({ corpus: "test/fixtures/corpus" });
    expect((await cli(["--corpus", FIXTURE, "--out", out, "--if-stale"])).stdout).toContain("is up to date");
  });

  it("rebuilds a sharded build with --if-stale when any shard or generated Worker file is damaged", async () => {
    const out = freshDir("sharded");
    const build = () => cli(["--corpus", FIXTURE, "--out", out, "--shards", "2", "--if-stale"]);
    const first = (await build()).stdout;
    expect(first).toContain("Building the index: no index has been built yet.");
    // The summary counts the whole corpus (it showed shard 0's counts), and each shard's size.
    expect(first).toContain("the whole corpus: collections 3, documents 7, paragraphs 21, in 2 shards");
    expect(first).toMatch(/shard 1: documents \d+, paragraphs \d+, terms \d+, Worker [\d.]+ MiB\n/);
    expect(first).toMatch(/ {2}limits \(largest of 2 Workers\): Worker [\d.]+ MiB of 64 MiB \(\d+%\), .*; nearest: memory\n/);
    expect((await build()).stdout).toContain("is up to date");
    const index = join(out, "shard-1/index.bin");
    truncateSync(index, statSync(index).size - 1);
    expect((await build()).stdout).toContain("Building the index: shard-1/index.bin is 1 byte shorter than the manifest records (");
    rmSync(join(out, "router/wrangler.toml"));
    expect((await build()).stdout).toContain("Building the index: router/wrangler.toml is missing.");
    expect((await build()).stdout).toContain("is up to date");
  });

  it("turns warnings into errors with --strict and keeps the last good build; notices (the redirect stub) pass it", async () => {
    const out = freshDir("strict");
    await buildFixture(out);
    const before = filesOf(out);
    expect((await cli(["--corpus", FIXTURE, "--out", freshDir("strict-ok"), "--strict"])).status).toBe(0);
    const corpus = freshDir("strict-corpus");
    cpSync(FIXTURE, corpus, { recursive: true });
    writeFileSync(join(corpus, "help/datum.html"), '<title>Datum</title><meta name="date" content="gestern"><p>Text</p>');
    const result = await cli(["--corpus", corpus, "--out", out, "--strict"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('help/datum.html:1: date "gestern" is no date');
    expect(result.stderr).toContain("--strict is set");
    expect(filesOf(out)).toEqual(before);
  });

  const badCases: [string, (dir: string) => void, string][] = [
    [
      "invalid UTF-8",
      (d) => writeFileSync(join(d, "c/bad.txt"), Buffer.from([0x54, 0x69, 0x74, 0x65, 0x6c, 0x0a, 0x0a, 0xc3, 0x28])),
      'c/bad.txt:3: is not valid UTF-8; if it is Latin-1 or Windows-1252, set "encoding": "windows-1252" in c/collection.json',
    ],
    [
      "malformed front matter",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: [unclosed\n---\nText\n"),
      "c/bad.md:2: malformed front matter",
    ],
    [
      "a malformed JSON line",
      (d) => writeFileSync(join(d, "c/bad.jsonl"), '{"id":"a","title":"T","paragraphs":["p"]}\n{"id": \n'),
      "c/bad.jsonl:2: is not valid JSON",
    ],
    [
      "Markdown with no title in its front matter and no heading",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\nkind: Seite\n---\nText\n"),
      "c/bad.md: has no title",
    ],
    [
      "a bad date",
      (d) => writeFileSync(join(d, "c/bad.txt"), "Titel\n\n32.01.2024 - Artikel\n\nText\n"),
      'c/bad.txt:3: date "32.01.2024 - Artikel" is not a valid date',
    ],
    [
      "duplicate ids",
      (d) => {
        writeFileSync(join(d, "c/x.md"), "---\ntitle: X\n---\nText\n");
        writeFileSync(join(d, "c/x.txt"), "X\n\nText\n");
      },
      'c/x.txt: duplicate document id "c/x" (also from c/x.md)',
    ],
    ["an unreadable file", (d) => symlinkSync(join(d, "nowhere.txt"), join(d, "c/dangling.txt")), "c/dangling.txt: cannot be read"],
    ["a broken collection.json", (d) => writeFileSync(join(d, "c/collection.json"), "{ title: }"), "c/collection.json: is not valid JSON"],
    [
      "a collection.json with a bad url",
      (d) => writeFileSync(join(d, "c/collection.json"), '{"url": "ftp://x"}'),
      'c/collection.json: url "ftp://x" is neither an http(s) URL nor a path starting with /',
    ],
    ["Markdown with neither front matter nor a heading", (d) => writeFileSync(join(d, "c/bad.md"), "Nur Text\n"), "c/bad.md: has no title"],
    [
      "unclosed front matter",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: A\n\nText\n"),
      "c/bad.md:1: front matter is not closed",
    ],
    [
      "front matter that is a list",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\n- a\n---\nText\n"),
      "c/bad.md:2: front matter must be a mapping",
    ],
    [
      "a duplicate front matter key",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: A\ntitle: B\n---\nText\n"),
      "c/bad.md:2: malformed front matter",
    ],
    [
      "a front matter date that is no day",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: A\ndate: 2024-02-30\n---\nText\n"),
      'c/bad.md:3: date "2024-02-30"',
    ],
    [
      "a javascript: url",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: A\nurl: javascript:alert(1)\n---\nText\n"),
      "c/bad.md:3: url",
    ],
    [
      "a url that leads to another host",
      (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: A\nurl: //evil.example/x\n---\nText\n"),
      'c/bad.md:3: url "//evil.example/x" starts with // (another host)',
    ],
    [
      "a collection url that leads to another host",
      (d) => writeFileSync(join(d, "c/collection.json"), '{"title": "C", "url": "/\\\\evil.example/x"}'),
      'c/collection.json: url "/\\evil.example/x" contains a backslash',
    ],
    ["an empty title and no heading", (d) => writeFileSync(join(d, "c/bad.md"), "---\ntitle: ''\n---\nText\n"), "c/bad.md: has no title"],
    ["a JSON line that is an array", (d) => writeFileSync(join(d, "c/bad.jsonl"), "[1, 2]\n"), "c/bad.jsonl:1: must be a JSON object"],
    [
      "a JSON line without id",
      (d) => writeFileSync(join(d, "c/bad.jsonl"), '{"title":"T","paragraphs":["p"]}\n'),
      "c/bad.jsonl:1: id is missing",
    ],
    [
      "a JSON line id with #",
      (d) => writeFileSync(join(d, "c/bad.jsonl"), '{"id":"a#b","title":"T","paragraphs":["p"]}\n'),
      "c/bad.jsonl:1: id must not contain #",
    ],
    [
      "a JSON line id with ..",
      (d) => writeFileSync(join(d, "c/bad.jsonl"), '{"id":"../x","title":"T","paragraphs":["p"]}\n'),
      "c/bad.jsonl:1: id must not contain",
    ],
    [
      "paragraphs that are not strings",
      (d) => writeFileSync(join(d, "c/bad.jsonl"), '{"id":"a","title":"T","paragraphs":[1]}\n'),
      "c/bad.jsonl:1: paragraphs.0: each paragraph must be a string",
    ],
    [
      "a JSON line without title",
      (d) => writeFileSync(join(d, "c/bad.jsonl"), '{"id":"a","paragraphs":["p"]}\n'),
      "c/bad.jsonl:1: title is missing",
    ],
    [
      "duplicate ids inside one JSON lines file",
      (d) =>
        writeFileSync(join(d, "c/bad.jsonl"), '{"id":"a","title":"T","paragraphs":["p"]}\n{"id":"a","title":"U","paragraphs":["q"]}\n'),
      'c/bad.jsonl:2: duplicate document id "c/bad/a"',
    ],
    [
      "invalid UTF-8 on a later JSON line",
      (d) =>
        writeFileSync(
          join(d, "c/bad.jsonl"),
          Buffer.concat([Buffer.from('{"id":"a","title":"T","paragraphs":["p"]}\n\n'), Buffer.from([0xff, 0xfe, 0x0a])]),
        ),
      "c/bad.jsonl:3: is not valid UTF-8",
    ],
    [
      "a page that is only site chrome",
      (d) => writeFileSync(join(d, "c/bad.txt"), "Willkommen auf den Seiten des Auswärtigen Amts\n\nnach oben\n"),
      "c/bad.txt: has no title",
    ],
    ["a file name with #", (d) => writeFileSync(join(d, "c/a#b.txt"), "Titel\n\nText\n"), "c/a#b.txt: file name must not contain #"],
    [
      "a synonyms file with a one-word group",
      (d) => writeFileSync(join(d, "synonyms.txt"), "Lehrer, Lehrkraft\nSchüler\n"),
      "synonyms.txt:2: a synonym group needs at least two entries",
    ],
    [
      "a synonyms entry of stop words only",
      (d) => writeFileSync(join(d, "synonyms.txt"), "Lehrer, und oder\n"),
      'synonyms.txt:1: "und oder" has no word to search for',
    ],
  ];

  it.each(badCases)("stops on %s, names the file and line, and leaves the last good build", async (_name, breakCorpus, message) => {
    const corpus = freshDir("bad-corpus");
    const out = freshDir("bad-out");
    mkdirSync(join(corpus, "c"), { recursive: true });
    writeFileSync(join(corpus, "c/gut.txt"), "Guter Titel\n\nGuter Absatz.\n");
    expect((await cli(["--corpus", corpus, "--out", out])).status).toBe(0);
    const before = filesOf(out);
    breakCorpus(corpus);
    const result = await cli(["--corpus", corpus, "--out", out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stderr).toContain("the last good build");
    expect(filesOf(out)).toEqual(before);
  });

  it.each([
    ["//evil.example/x", 'url "//evil.example/x" starts with // (another host)'],
    ["\\\\evil.example", 'url "\\\\evil.example" contains a backslash'],
    ["https:evil.example", 'url "https:evil.example" needs // and a host after the scheme'],
    ["/x\u0001", 'url "/x\\u0001" contains a space or control character (percent-encode spaces as %20)'],
    ["JaVaScRiPt:alert(1)", 'url "JaVaScRiPt:alert(1)" is neither an http(s) URL nor a path starting with /'],
    ["data:text/html,x", 'url "data:text/html,x" is neither an http(s) URL nor a path starting with /'],
  ])("refuses the collection url %j in collection.json", async (url, message) => {
    const corpus = freshDir("collection-url");
    mkdirSync(join(corpus, "c"), { recursive: true });
    writeFileSync(join(corpus, "c/gut.txt"), "Guter Titel\n\nGuter Absatz.\n");
    writeFileSync(join(corpus, "c/collection.json"), JSON.stringify({ title: "C", url }));
    await expect(readCorpus(corpus)).rejects.toThrow(`c/collection.json: ${message}`);
  });

  it.each([
    ["/laender", "/laender"],
    ["HTTPS://www.example.org/a", "HTTPS://www.example.org/a"],
    [" https://www.auswaertiges-amt.de ", "https://www.auswaertiges-amt.de"],
  ])("accepts the collection url %j in collection.json", async (url, stored) => {
    const corpus = freshDir("collection-url");
    mkdirSync(join(corpus, "c"), { recursive: true });
    writeFileSync(join(corpus, "c/gut.txt"), "Guter Titel\n\nGuter Absatz.\n");
    writeFileSync(join(corpus, "c/collection.json"), JSON.stringify({ title: "C", url }));
    expect((await readCorpus(corpus)).collections[0]?.url).toBe(stored);
  });

  it("refuses an empty corpus instead of writing an empty index", async () => {
    const corpus = freshDir("empty");
    mkdirSync(join(corpus, "leer"), { recursive: true });
    const result = await cli(["--corpus", corpus, "--out", freshDir("empty-out")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/contains no documents: add \.txt, \.md, \.html, \.jsonl, \.pdf, \.docx or \.odt files/);
  });

  it("refuses a corpus folder that does not exist", async () => {
    const result = await cli(["--corpus", join(scratch, "missing"), "--out", freshDir("x")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("does not exist");
  });

  it("rejects unknown options with usage help", async () => {
    const result = await cli(["--bogus"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage: npm run build:index");
  });
});

describe("atomic writes", () => {
  it("leaves the last good build in place and loadable when a build is killed halfway", async () => {
    const corpus = freshDir("big-corpus");
    const out = freshDir("killed-out");
    mkdirSync(join(corpus, "c"), { recursive: true });
    writeFileSync(join(corpus, "c/gut.txt"), "Guter Titel\n\nGuter Absatz über Kasachstan.\n");
    expect((await cli(["--corpus", corpus, "--out", out])).status).toBe(0);
    const before = filesOf(out);
    // A corpus large enough that the build is still running when it is killed.
    const words = "Handelsvolumen Zusammenarbeit Universität Bundeskanzler Energieeffizienz Kasachstan Hochschule Zentralasien".split(" ");
    for (let f = 0; f < 400; f++) {
      const lines = Array.from({ length: 25 }, (_, i) =>
        JSON.stringify({
          id: `d${i}`,
          title: `Dokument ${f}-${i}`,
          paragraphs: Array.from(
            { length: 8 },
            (_, p) => `${words[(f + i + p) % words.length]} Absatz ${f} ${i} ${p} ${"Text mit vielen Wörtern ".repeat(6)}`,
          ),
        }),
      );
      writeFileSync(join(corpus, `c/teil-${f}.jsonl`), `${lines.join("\n")}\n`);
    }
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "index-builder/cli.ts"), "--corpus", corpus, "--out", out], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    // Killed once it reports half the corpus read (on a pipe it prints a line every 10%): mid-build, however fast
    // or loaded the machine is, rather than after a fixed time it might not reach or might overshoot.
    await new Promise<void>((resolve, reject) => {
      let seen = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        const halves = [...seen.matchAll(/Reading corpus: (\d+)\/(\d+) files/g)];
        if (halves.some(([, done, total]) => Number(done) * 2 >= Number(total))) resolve();
      });
      child.once("exit", (code) => reject(new Error(`the build ended (${code}) before it was killed:\n${seen}`)));
    });
    expect(child.exitCode).toBeNull();
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(filesOf(out)).toEqual(before);
    const index = loadIndex(readArtifact(out));
    expect(index.manifest.counts.documents).toBe(1);
  }, 60_000);

  it("restores the last good build when a run died between moving it aside and moving the new one in", async () => {
    const out = freshDir("killed");
    await buildFixture(out);
    const before = filesOf(out);
    renameSync(out, `${out}.old-1234-1`);
    recoverBuild(out);
    expect(filesOf(out)).toEqual(before);
  });

  it("leaves the old build untouched when writing the new one fails", async () => {
    const out = freshDir("failing");
    const artifact = await buildFixture(out);
    const before = filesOf(out);
    const broken = { ...artifact, files: { ...artifact.files, store: undefined as unknown as string } };
    expect(() => writeArtifact(broken, out)).toThrow();
    expect(filesOf(out)).toEqual(before);
    expect(readdirSync(scratch).filter((name) => name.includes("failing") && name.includes(".tmp-"))).toEqual([]);
  });
});
