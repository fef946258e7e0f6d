// npm start's corpus watcher: a change in the corpus rebuilds the index once things settle; a failed build says the
// last good index is still served. And the scheduled workflow of the README deploys only after a good crawl and build.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { watchCorpus } from "../../scripts/watch-corpus.js";

const project = mkdtempSync(join(tmpdir(), "fundstelle-watch-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Resolves with the first logged line that matches, or rejects after `ms` (the build itself takes a second or two). */
function nextLine(lines: string[], waiters: ((line: string) => void)[], pattern: RegExp, ms = 60_000): Promise<string> {
  const seen = lines.find((line) => pattern.test(line));
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms:\n${lines.join("\n")}`)), ms);
    waiters.push((line) => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

/** Resolves once `ready()` holds, checked every 50 ms, or rejects after `ms`. */
function until(ready: () => boolean, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (ready()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`not within ${ms} ms`));
      else setTimeout(check, 50);
    };
    check();
  });
}

describe("the corpus watcher", () => {
  it("rebuilds after a change, and keeps the last good index when the build fails", async () => {
    mkdirSync(join(project, "corpus/amt"), { recursive: true });
    writeFileSync(join(project, "corpus/amt/start.txt"), "Start\n\nDas Amt hat heute geöffnet.\n");
    const lines: string[] = [];
    const waiters: ((line: string) => void)[] = [];
    const stop = watchCorpus(project, "corpus", (line) => {
      lines.push(line);
      for (const waiter of waiters) waiter(line);
    });
    try {
      expect(lines[0]).toBe("[fundstelle] watching corpus/ and package.json: a change rebuilds the index");
      writeFileSync(join(project, "corpus/amt/neu.txt"), "Neu\n\nDas Zauberwort steht hier.\n");
      await nextLine(lines, waiters, /index rebuilt in/);
      expect(readFileSync(join(project, "build/store.json"), "utf8")).toContain("Zauberwort");
      // A file saved by replacing it (as sed -i and many editors do), then changed again: both changes rebuild.
      const count = () => lines.filter((line) => line.includes("index rebuilt")).length;
      const before = count();
      writeFileSync(join(project, "corpus/amt/neu.tmp"), "Neu\n\nDas Ersatzwort steht hier.\n");
      renameSync(join(project, "corpus/amt/neu.tmp"), join(project, "corpus/amt/neu.txt"));
      await until(() => count() > before && readFileSync(join(project, "build/store.json"), "utf8").includes("Ersatzwort"));
      const replaced = count();
      writeFileSync(join(project, "corpus/amt/neu.txt"), "Neu\n\nDas Nachwort steht hier.\n");
      await until(() => count() > replaced && readFileSync(join(project, "build/store.json"), "utf8").includes("Nachwort"));
      // package.json's settings are part of the build: a change there rebuilds too.
      const settled = count();
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ name: "amt", fundstelle: { noResults: { links: [{ title: "Kontakt", url: "/kontakt" }] } } }),
      );
      await until(() => count() > settled && readFileSync(join(project, "build/manifest.json"), "utf8").includes("/kontakt"));
      writeFileSync(join(project, "corpus/amt/kaputt.jsonl"), "{kein json\n");
      await nextLine(lines, waiters, /the build failed \(see above\): the last good index is still served/);
      expect(lines.some((line) => line.startsWith("error: amt/kaputt.jsonl:1:"))).toBe(true);
      expect(readFileSync(join(project, "build/store.json"), "utf8")).toContain("Nachwort");
      // While a crawl runs (its marker in the state folder), changes wait; its end brings one rebuild.
      rmSync(join(project, "corpus/amt/kaputt.jsonl"));
      mkdirSync(join(project, ".fundstelle/crawl"), { recursive: true });
      writeFileSync(join(project, ".fundstelle/crawl/crawling.pid"), "1\n");
      const rebuilt = lines.filter((line) => line.includes("index rebuilt")).length;
      writeFileSync(join(project, "corpus/amt/gecrawlt.txt"), "Gecrawlt\n\nDas Wort Krawlinger kommt vom Crawler.\n");
      await nextLine(lines, waiters, /a crawl is running: the index is rebuilt when it is done/);
      expect(lines.filter((line) => line.includes("index rebuilt")).length).toBe(rebuilt);
      rmSync(join(project, ".fundstelle/crawl/crawling.pid"));
      await new Promise<void>((resolve, reject) => {
        const check = () => (lines.filter((line) => line.includes("index rebuilt")).length > rebuilt ? resolve() : null);
        if (check() === null) waiters.push(() => void check());
        setTimeout(() => reject(new Error("no rebuild after the crawl ended")), 60_000).unref();
      });
      expect(readFileSync(join(project, "build/store.json"), "utf8")).toContain("Krawlinger");
    } finally {
      stop();
    }
  });
});

describe("the scheduled crawl-and-deploy workflow (docs/examples)", () => {
  const workflow = parse(readFileSync(join(import.meta.dirname, "../../docs/examples/crawl-and-deploy.yml"), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<string, { steps: { name?: string; run?: string; uses?: string; if?: string }[] }>;
  };
  const steps = Object.values(workflow.jobs)[0]?.steps ?? [];
  const at = (test: (step: (typeof steps)[number]) => boolean) => steps.findIndex(test);

  it("runs nightly and on demand", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  it("restores the last crawl, crawls, builds, saves the crawl, then deploys with wrangler-action; no step runs past a failure", () => {
    const restore = at((s) => s.uses?.startsWith("actions/cache/restore") === true);
    const crawl = at((s) => s.run === "npm run crawl");
    const build = at((s) => s.run?.startsWith("npm run build") === true);
    const save = at((s) => s.uses?.startsWith("actions/cache/save") === true);
    const deploy = at((s) => s.uses?.startsWith("cloudflare/wrangler-action") === true);
    expect([restore, crawl, build, save, deploy].every((i) => i >= 0)).toBe(true);
    expect(restore < crawl && crawl < build && build < save && save < deploy).toBe(true);
    // Only the report upload may run after a failure; the deploy and the cache save never do.
    expect(steps.filter((s) => s.if !== undefined).map((s) => s.name)).toEqual(["Keep the crawl report"]);
  });
});
