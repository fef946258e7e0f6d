// The build cache (index-builder/build-cache.ts, read-cache.ts, analysis-cache.ts): a build from a cold cache, a warm
// one, after a file changed, after a setting changed and over damaged entries gives the very bytes a build without the
// cache gives; the summary says what came from the cache; the cache stays bounded.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ARTIFACT_FILES } from "../../common/artifact.js";
import { CacheFolder, cacheVersion } from "../../index-builder/build-cache.js";
import { runBuildCommand } from "../../index-builder/command.js";

const ROOT = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "fundstelle-build-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;

/** A project folder (package.json) with a copy of the fixture corpus and a collection of site pages with a baseUrl. */
function project(): { dir: string; corpus: string; cache: string } {
  const dir = join(scratch, `project-${projects++}`);
  const corpus = join(dir, "corpus");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cache-test", fundstelle: {} }));
  cpSync(join(ROOT, "test/fixtures/corpus"), corpus, { recursive: true });
  mkdirSync(join(corpus, "site"));
  writeFileSync(join(corpus, "site/collection.json"), JSON.stringify({ title: "Stadt Test", baseUrl: "https://www.example.org/" }));
  for (const [name, title] of [
    ["buergerbuero", "Bürgerbüro"],
    ["standesamt", "Standesamt"],
  ]) {
    const long = `Das ${title} der Stadt hat montags geöffnet, die Handelsvolumenstatistik liegt aus. `.repeat(12);
    writeFileSync(
      join(corpus, `site/${name}.html`),
      `<!DOCTYPE html><html lang="de"><head><title>${title} – Stadt Test</title></head><body><main><h1>Das ${title}</h1><p>${long}</p></main></body></html>`,
    );
  }
  return { dir, corpus, cache: join(dir, "node_modules/.cache/fundstelle") };
}

/** The build command in this process; its output folder's artifact files, and what came from the cache. */
async function build(where: { dir: string; corpus: string }, ...flags: string[]) {
  const out = join(where.dir, `out-${Math.random().toString(36).slice(2)}`);
  const lines: string[] = [];
  const status = await runBuildCommand(["--corpus", where.corpus, "--out", out, ...flags], {
    cwd: where.dir,
    env: {},
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  });
  expect(status, lines.join("\n")).toBe(0);
  const files = Object.fromEntries(
    [ARTIFACT_FILES.manifest, ARTIFACT_FILES.index, ARTIFACT_FILES.store, ARTIFACT_FILES.module].map((name) => [
      name,
      readFileSync(join(out, name)).toString("base64"),
    ]),
  );
  const line = lines.find((l) => l.includes("unchanged since the last build"));
  const counts = line?.match(/(\d+) of (\d+) files unchanged .*, (\d+) of (\d+) documents' analyses/);
  const cached = counts
    ? { files: Number(counts[1]), of: Number(counts[2]), analyses: Number(counts[3]), documents: Number(counts[4]) }
    : null;
  return { files, cached };
}

/** The cache's entry files of one kind ("read", "analysis"). */
function entries(cache: string, kind: string): string[] {
  const dir = join(cache, `build-${cacheVersion()}`, kind);
  return readdirSync(dir).map((name) => join(dir, name));
}

describe("a build with the cache", () => {
  it("is byte-identical to one without it: from a cold cache, a warm one, and after a file changed", async () => {
    const p = project();
    const fresh = await build(p, "--no-cache");
    expect(fresh.cached).toBeNull();
    expect(readdirSync(p.dir)).not.toContain("node_modules");

    const cold = await build(p);
    expect(cold.files).toEqual(fresh.files);
    expect(cold.cached).toMatchObject({ files: 0, analyses: 0 });

    const warm = await build(p);
    expect(warm.files).toEqual(fresh.files);
    const total = warm.cached?.of ?? 0;
    expect(total).toBeGreaterThan(5);
    expect(warm.cached).toEqual({ files: total, of: total, analyses: warm.cached?.documents, documents: warm.cached?.documents });

    // One page edited: read and analysed again, the rest from the cache; the same bytes as a build without it.
    const page = join(p.corpus, "docs/anleitung.md");
    writeFileSync(page, readFileSync(page, "utf8").replace("Die **Volltextsuche** findet", "Die **Suche im Volltext** findet"));
    const edited = await build(p);
    expect(edited.files).toEqual((await build(p, "--no-cache")).files);
    expect(edited.files).not.toEqual(fresh.files);
    expect(edited.cached).toMatchObject({ files: total - 1, of: total, analyses: (warm.cached?.documents ?? 0) - 1 });
  });

  it("reads and analyses again what a damaged, cut-off or foreign entry held, with the same result", async () => {
    const p = project();
    const fresh = await build(p, "--no-cache");
    await build(p);
    const damaged = [...entries(p.cache, "read"), ...entries(p.cache, "analysis")];
    damaged.forEach((file, i) => {
      const bytes = readFileSync(file);
      if (i % 5 === 0) truncateSync(file, Math.floor(bytes.length / 2));
      else if (i % 5 === 1) writeFileSync(file, "");
      else if (i % 5 === 2) writeFileSync(file, "{}");
      else {
        // One byte of the body changed: still a whole file, with a checksum that no longer fits.
        const at = i % 5 === 3 ? bytes.length - 1 : Math.floor(bytes.length * 0.7);
        bytes[at] = (bytes[at] as number) ^ 0x20;
        writeFileSync(file, bytes);
      }
    });
    // A temporary file that an interrupted write left is no entry.
    writeFileSync(`${damaged[0]}.0000.tmp`, "half an entry");
    const repaired = await build(p);
    expect(repaired.files).toEqual(fresh.files);
    expect(repaired.cached).toMatchObject({ files: 0, analyses: 0 });
    // The damaged entries were written again.
    expect((await build(p)).cached).toMatchObject({ files: repaired.cached?.of, analyses: repaired.cached?.documents });
  });

  it("reads again the files whose reading a changed setting changes, and applies the corpus-wide steps to all", async () => {
    const p = project();
    await build(p);
    const settings = join(p.corpus, "site/collection.json");
    const sitePages = 2;

    // baseUrl gives the pages their url: both read again, nothing else.
    writeFileSync(settings, JSON.stringify({ title: "Stadt Test", baseUrl: "https://stadt.example.org/" }));
    const moved = await build(p);
    expect(moved.files).toEqual((await build(p, "--no-cache")).files);
    expect(moved.cached?.files).toBe((moved.cached?.of ?? 0) - sitePages);

    // A url listed in urls.tsv wins over baseUrl: that page read again.
    writeFileSync(join(p.corpus, "site/urls.tsv"), "standesamt.html\thttps://www.example.org/standesamt/\n");
    const listed = await build(p);
    expect(listed.files).toEqual((await build(p, "--no-cache")).files);
    expect(listed.cached?.files).toBe((listed.cached?.of ?? 0) - 1);

    // The collection's kind is given after reading: nothing read again, yet every page has it.
    writeFileSync(settings, JSON.stringify({ title: "Stadt Test", baseUrl: "https://stadt.example.org/", kind: "Dienstleistung" }));
    const kinded = await build(p);
    expect(kinded.files).toEqual((await build(p, "--no-cache")).files);
    expect(kinded.cached?.files).toBe(kinded.cached?.of);
    expect(Buffer.from(kinded.files[ARTIFACT_FILES.store] ?? "", "base64").toString()).toContain('"kind":"Dienstleistung"');

    // A third page with the site's name in its title: the name now recurs enough to be stripped from every title,
    // those read from the cache too.
    writeFileSync(
      join(p.corpus, "site/kita.html"),
      '<!DOCTYPE html><html lang="de"><head><title>Kita – Stadt Test</title></head><body><main><h1>Die Kita</h1><p>Die Kita der Stadt.</p></main></body></html>',
    );
    const stripped = await build(p);
    expect(stripped.files).toEqual((await build(p, "--no-cache")).files);
    expect(stripped.cached?.files).toBe((stripped.cached?.of ?? 0) - 1);
    expect(Buffer.from(stripped.files[ARTIFACT_FILES.store] ?? "", "base64").toString()).toContain('"title":"Standesamt"');

    // A long block split at another length: cached reads, split anew.
    writeFileSync(join(p.dir, "package.json"), JSON.stringify({ name: "cache-test", fundstelle: { limits: { blockCharacters: 500 } } }));
    const split = await build(p);
    expect(split.files).toEqual((await build(p, "--no-cache")).files);
    expect(split.files).not.toEqual(stripped.files);
    expect(split.cached?.files).toBe(split.cached?.of);
  });
  it("splits again the compounds of unchanged documents that a word become frequent elsewhere now splits", async () => {
    const p = project();
    mkdirSync(join(p.corpus, "notes"));
    // "Quaxel" is no German noun: "Quaxelbrunnen" is a compound only once the corpus uses "Quaxel" twice.
    writeFileSync(join(p.corpus, "notes/brunnen.txt"), "Der Quaxelbrunnen\n\nAm Quaxelbrunnen steht eine Bank.\n");
    writeFileSync(join(p.corpus, "notes/name.txt"), "Der Name\n\nDer Name Quaxel ist alt.\n");
    const before = await build(p);
    expect(before.files).toEqual((await build(p, "--no-cache")).files);
    const storeOf = (files: Record<string, string>) => Buffer.from(files[ARTIFACT_FILES.store] ?? "", "base64").toString();
    expect(storeOf(before.files)).not.toContain('"quaxelbrunnen":[[');
    writeFileSync(join(p.corpus, "notes/name.txt"), "Der Name\n\nDer Name Quaxel ist alt, älter als jeder Quaxel.\n");
    const after = await build(p);
    expect(after.files).toEqual((await build(p, "--no-cache")).files);
    expect(storeOf(after.files)).toContain('"quaxelbrunnen":[["quaxel",6],["brunnen",13]]');
    expect(after.cached?.analyses).toBe((after.cached?.documents ?? 0) - 1);
  });
});

describe("the cache's bounds", () => {
  it("prunes the least recently used entries a build did not use, past twice what it used, and never those of the last day", () => {
    const root = join(scratch, "prune");
    const hoursAgo = (file: string, hours: number) => {
      const time = new Date(Date.now() - hours * 3_600_000);
      utimesSync(file, time, time);
    };
    const first = new CacheFolder(root, "read", 3);
    for (const key of ["a", "b", "c", "d", "e"]) first.put(key, Buffer.from(key));
    const dir = join(root, `build-${cacheVersion()}`, "read");
    hoursAgo(join(dir, "a.entry"), 72);
    hoursAgo(join(dir, "b.entry"), 48);
    hoursAgo(join(dir, "c.entry"), 30);
    hoursAgo(join(dir, "d.entry"), 72);
    hoursAgo(join(dir, "e.entry"), 2);
    writeFileSync(join(dir, "x.entry.1234.tmp"), "half");
    hoursAgo(join(dir, "x.entry.1234.tmp"), 2);
    // The next build uses only "d" (its last use is now): five entries, more than the bound of three, so the two used
    // longest ago go, and the interrupted write's leftover.
    const next = new CacheFolder(root, "read", 3);
    expect(next.get("d", (body) => body.toString())).toBe("d");
    next.prune();
    expect(readdirSync(dir).sort()).toEqual(["c.entry", "d.entry", "e.entry"]);
    expect(next.count).toEqual({ hits: 1, lookups: 1 });
    // A build that uses none of them, with a bound of one: only "c" is a day old; "d" and "e" were used within the day.
    new CacheFolder(root, "read", 1).prune();
    expect(readdirSync(dir).sort()).toEqual(["d.entry", "e.entry"]);
  });

  it("removes the folders of other builder versions but the two most recently used", () => {
    const root = join(scratch, "versions");
    const others = ["1111111111111111", "2222222222222222", "3333333333333333", "4444444444444444"];
    others.forEach((version, i) => {
      mkdirSync(join(root, `build-${version}`, "read"), { recursive: true });
      const time = new Date(Date.now() - (i + 1) * 3_600_000);
      utimesSync(join(root, `build-${version}`), time, time);
    });
    mkdirSync(join(root, "extract"));
    const folder = new CacheFolder(root, "read");
    folder.put("k", Buffer.from("v"));
    folder.prune();
    expect(readdirSync(root).sort()).toEqual(
      ["build-1111111111111111", "build-2222222222222222", `build-${cacheVersion()}`, "extract"].sort(),
    );
  });
});
