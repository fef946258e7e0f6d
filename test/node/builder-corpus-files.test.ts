// Which entries of a corpus folder the builder reads: regular files and folders only, symbolic links only inside the corpus, no loops.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCorpus } from "../../index-builder/corpus.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "fundstelle-corpus-files-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A corpus with one good document in collection "coll", and a folder beside it that is not part of it. */
function freshCorpus(): { corpus: string; outside: string } {
  const base = join(scratch, `case-${counter++}`);
  const corpus = join(base, "corpus");
  const outside = join(base, "outside");
  mkdirSync(join(corpus, "coll"), { recursive: true });
  mkdirSync(join(corpus, "andere"), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(corpus, "coll/gut.txt"), "Guter Titel\n\nGuter Absatz über Kasachstan.\n");
  writeFileSync(join(corpus, "andere/quelle.txt"), "Quelle\n\nEin Absatz über Zentralasien.\n");
  writeFileSync(join(outside, "geheim.txt"), "Geheim\n\nDieser Geheimtext liegt außerhalb des Korpus.\n");
  return { corpus, outside };
}

/** The CLI in a child process with a time limit, so a builder that blocks fails the test instead of hanging the suite. */
function cli(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "index-builder/cli.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
    killSignal: "SIGKILL",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const allText = (corpus: Awaited<ReturnType<typeof readCorpus>>) =>
  corpus.documents.flatMap((doc) => [doc.title, ...doc.paragraphs]).join("\n");

describe("files that are not regular files", () => {
  it("skips a named pipe with a warning instead of waiting for a writer, and --strict stops on it", () => {
    const { corpus } = freshCorpus();
    execFileSync("mkfifo", [join(corpus, "coll/pipe.md")]);
    const out = join(corpus, "..", "out");
    const result = cli(["--corpus", corpus, "--out", out]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("warning: coll/pipe.md: is a named pipe (FIFO), not a regular file; skipped");
    expect(result.stdout).toMatch(/documents 2, .*\n[\s\S]*warnings 1,/);
    const strict = cli(["--corpus", corpus, "--out", out, "--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("--strict is set");
  }, 70_000);

  it("skips a socket with a warning", async () => {
    const { corpus } = freshCorpus();
    // A socket file stays behind when its server is gone; make one with a throwaway Unix-socket server.
    execFileSync(process.execPath, [
      "-e",
      `const s = require("node:net").createServer(); s.listen(${JSON.stringify(join(corpus, "coll/sock.txt"))}, () => process.exit(0));`,
    ]);
    const result = await readCorpus(corpus);
    expect(result.warnings).toContainEqual({ file: "coll/sock.txt", problem: "is a socket, not a regular file; skipped" });
    expect(result.documents.map((doc) => doc.id)).toEqual(["andere/quelle", "coll/gut"]);
  });
});

describe("symbolic links", () => {
  it("skips a link to a file outside the corpus with a warning and indexes none of its text", async () => {
    const { corpus, outside } = freshCorpus();
    symlinkSync(join(outside, "geheim.txt"), join(corpus, "coll/verweis.txt"));
    const result = await readCorpus(corpus);
    expect(result.warnings).toContainEqual({
      file: "coll/verweis.txt",
      problem: expect.stringMatching(/^is a symbolic link that points outside the corpus folder \(to .*geheim\.txt\); skipped/),
    });
    expect(allText(result)).not.toContain("Geheim");
    expect(result.files.map((file) => file.path)).toEqual(["andere/quelle.txt", "coll/gut.txt"]);
  });

  it("skips a link to a folder outside the corpus, and a relative link that climbs out of it", async () => {
    const { corpus, outside } = freshCorpus();
    symlinkSync(outside, join(corpus, "coll/extern"));
    symlinkSync("../../outside/geheim.txt", join(corpus, "coll/hinaus.txt"));
    symlinkSync(outside, join(corpus, "draussen"));
    const result = await readCorpus(corpus);
    expect(result.warnings.map((warning) => warning.file)).toEqual(["coll/extern", "coll/hinaus.txt", "draussen"]);
    expect(allText(result)).not.toContain("Geheim");
  });

  it("follows links to files and folders inside the corpus", async () => {
    const { corpus } = freshCorpus();
    symlinkSync("../andere/quelle.txt", join(corpus, "coll/verweis.txt"));
    symlinkSync(join(corpus, "andere"), join(corpus, "coll/ordner"));
    const result = await readCorpus(corpus);
    expect(result.warnings).toEqual([]);
    expect(result.documents.map((doc) => [doc.id, doc.paragraphs])).toEqual([
      ["andere/quelle", ["Ein Absatz über Zentralasien."]],
      ["coll/gut", ["Guter Absatz über Kasachstan."]],
      ["coll/ordner/quelle", ["Ein Absatz über Zentralasien."]],
      ["coll/verweis", ["Ein Absatz über Zentralasien."]],
    ]);
  });

  it("follows links inside a corpus folder that is itself reached through a link", async () => {
    const { corpus } = freshCorpus();
    const linked = join(corpus, "..", "linked-corpus");
    symlinkSync(corpus, linked);
    symlinkSync("../andere/quelle.txt", join(corpus, "coll/verweis.txt"));
    expect((await readCorpus(linked)).documents.map((doc) => doc.id)).toEqual(["andere/quelle", "coll/gut", "coll/verweis"]);
  });

  it("follows links into folders it is told to allow", async () => {
    const { corpus, outside } = freshCorpus();
    symlinkSync(outside, join(corpus, "extern"));
    const result = await readCorpus(corpus, undefined, { allowLinksInto: [outside] });
    expect(result.warnings).toEqual([]);
    expect(result.documents.map((doc) => doc.id)).toContain("extern/geheim");
    const cliResult = cli(["--corpus", corpus, "--out", join(corpus, "..", "out"), "--allow-links-into", outside]);
    expect(cliResult.status).toBe(0);
    expect(cliResult.stdout).toContain("documents 3,");
  });

  it("refuses an empty --allow-links-into (the working folder) and a file named as a folder to allow", async () => {
    const { corpus, outside } = freshCorpus();
    const empty = cli(["--corpus", corpus, "--out", join(corpus, "..", "out-empty"), "--allow-links-into", ""]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain("--allow-links-into needs a folder");
    const file = join(outside, "geheim.txt");
    await expect(readCorpus(corpus, undefined, { allowLinksInto: [file] })).rejects.toThrow(
      `${file}: cannot be allowed as a target of symbolic links: it is not a folder`,
    );
  });

  it("skips a link to a folder that contains it, and the build finishes", async () => {
    const { corpus } = freshCorpus();
    symlinkSync(".", join(corpus, "coll/schleife"));
    symlinkSync("..", join(corpus, "coll/zurueck"));
    symlinkSync(corpus, join(corpus, "andere/wurzel"));
    const result = await readCorpus(corpus);
    expect(result.warnings).toEqual([
      { file: "andere/wurzel", problem: "is a symbolic link to a folder that contains it (a loop); skipped" },
      { file: "coll/schleife", problem: "is a symbolic link to a folder that contains it (a loop); skipped" },
      { file: "coll/zurueck", problem: "is a symbolic link to a folder that contains it (a loop); skipped" },
    ]);
    expect(result.documents.map((doc) => doc.id)).toEqual(["andere/quelle", "coll/gut"]);
  });

  it("skips two links that point at each other", async () => {
    const { corpus } = freshCorpus();
    symlinkSync("b.txt", join(corpus, "coll/a.txt"));
    symlinkSync("a.txt", join(corpus, "coll/b.txt"));
    const result = await readCorpus(corpus);
    expect(result.warnings.map((warning) => [warning.file, warning.problem])).toEqual([
      ["coll/a.txt", "is a symbolic link that leads in a circle; skipped"],
      ["coll/b.txt", "is a symbolic link that leads in a circle; skipped"],
    ]);
  });
});
