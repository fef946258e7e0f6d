// Sharded mode: shards of the shipped corpus behind the router answer exactly as one index of everything does,
// in process and as separate Workers under Miniflare (workerd) with service bindings.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactModule, readArtifact, writeShardedBuild } from "../../index-builder/artifact-files.js";
import { buildArtifact, buildShards } from "../../index-builder/build.js";
import { readCorpus } from "../../index-builder/corpus.js";
import { createApp, createBackendApp } from "../../worker/app.js";
import { shardedBackend } from "../../worker/router.js";
import { loadIndex } from "../../worker/search/loaded-index.js";
import { inProcessShard, shardWorker } from "../../worker/shard.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SHARDS = 3;
const corpus = await readCorpus(join(ROOT, "corpus"));
const single = createApp(() => whole);
const whole = loadIndex(artifactModule(buildArtifact(corpus, null, "test")));
const out = mkdtempSync(join(tmpdir(), "fundstelle-shards-"));
writeShardedBuild(buildShards(corpus, SHARDS, null, "test"), out);
const shardApps = Array.from({ length: SHARDS }, (_, i) => shardWorker(readArtifact(join(out, `shard-${i}`))));
const router = createBackendApp(shardedBackend(shardApps.map((shard) => inProcessShard(shard.service))));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Requests whose answers must not depend on sharding: paging, grouping, dates, filters, typos, exclusions, phrases. */
const PATHS = [
  "/search?q=Kasachstan",
  "/search?q=Kasachstan%20Handel",
  "/search?q=Deutschland&limit=5&offset=3",
  "/search?q=Deutschland&offset=12&limit=7",
  "/search?q=Deutschland&group=document",
  "/search?q=Deutschland&sort=date",
  "/search?q=Universitaet",
  "/search?q=Kasachstn%20Verteidigugn",
  "/search?q=Bundes",
  "/search?q=Kanzler",
  "/search?q=Volumen%20Handel",
  "/search?q=Deutschland%20-Kasachstan",
  "/search?q=%22bilaterale%20Beziehungen%22",
  "/search?q=Super%20Bowl&collection=wikipedia",
  "/search?q=Panthers&doc=wikipedia%2Fxquad-de%2FSuper_Bowl_50",
  "/search?q=Deutschland&from=2024-01-01&to=2024-12-31",
  "/search?q=zzzzqqq",
  "/search?q=Deutschland&facets=collection,kind,year&group=document",
  "/search?q=Handel&facets=collection,year&kind=Artikel",
  "/search?q=Kasachtan%20Handl&facets=kind",
  "/search?q=der%20die%20das",
  // 256 characters, but 512 UTF-16 code units: the shards' limit counts characters as the public one does.
  `/search?q=${encodeURIComponent(`Kasachstan ${"😀".repeat(245)}`)}`,
  `/suggest?q=${encodeURIComponent(`${"😀".repeat(253)} Kas`)}`,
  "/suggest?q=Kas",
  "/suggest?q=deutschland%20Kas",
  "/suggest?q=Zentrala&limit=10",
  "/collections",
  "/documents/auswaertiges-amt%2Fdeutschland-kasachstan",
  "/documents/nope",
  // Ids a URL would resolve as path steps (see the test of the backend below).
  "/documents/.",
  "/documents/auswaertiges-amt%2F..%2F..",
  "/documents/auswaertiges-amt%2F%2Fdeutschland-kasachstan",
];

describe("sharded mode in process", () => {
  it.each(PATHS)("answers %s as one index does", async (path) => {
    const [a, b] = await Promise.all([single.request(path), router.request(path)]);
    expect(b.status).toBe(a.status);
    expect(await b.json()).toEqual(await a.json());
  });

  it("looks a document id up as one index does: an empty, . or .. segment is no path step but an unknown id", async () => {
    // Over HTTP, POST /insights/choice {"doc": ".."} once asked https://shard-0/documents/.., the shard's "/" (503).
    const backend = shardedBackend(shardApps.map((shard) => inProcessShard(shard.service)));
    for (const id of ["..", ".", "a/../b", "auswaertiges-amt//deutschland-kasachstan", "/x", "x/"])
      expect(await backend.document(id)).toBeNull();
    expect(await backend.document("auswaertiges-amt/deutschland-kasachstan")).not.toBeNull();
  });

  it("calls each shard once per pass of a search, with arguments and answers that survive RPC's copying", async () => {
    const calls: string[] = [];
    const backend = shardedBackend(
      shardApps.map((shard, i) => inProcessShard(shard.service, ({ method }) => calls.push(`${i} ${method}`))),
    );
    await backend.info();
    calls.length = 0;
    await backend.search({ q: "Kasachstan", limit: 5, offset: 0, sort: "relevance", fuzzy: "auto", prefix: true });
    expect(calls.sort()).toEqual(["0 search", "1 search", "2 search"]);
  });

  it("reports the whole corpus in /health", async () => {
    const [a, b] = await Promise.all([single.request("/health"), router.request("/health")]);
    expect(await b.json()).toEqual(await a.json());
  });

  it("answers 503 with the reason when a shard cannot answer (not deployed, or of an older build without the method)", async () => {
    const broken = inProcessShard({
      ...(shardApps[1] as (typeof shardApps)[0]).service,
      search: () => Promise.reject(new Error('The RPC receiver does not implement the method "search".')),
    });
    const backend = createBackendApp(
      shardedBackend([(shardApps[0] as (typeof shardApps)[0]).service, broken, (shardApps[2] as (typeof shardApps)[0]).service]),
    );
    const res = await backend.request("/search?q=Kasachstan");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Shard 1 cannot answer \(The RPC receiver/);
  });

  it("refuses shards bound in the wrong order", async () => {
    const swapped = createBackendApp(
      shardedBackend([shardApps[1], shardApps[0], shardApps[2]].map((shard) => inProcessShard((shard as (typeof shardApps)[0]).service))),
    );
    const res = await swapped.request("/search?q=Kasachstan");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/SHARD_0 is bound to shard 1 of 3/);
  });
});

describe("sharded mode as Workers in workerd", () => {
  let miniflare: Miniflare | undefined;
  const bundles = mkdtempSync(join(tmpdir(), "fundstelle-shard-bundles-"));

  beforeAll(async () => {
    const bundle = (config: string, outdir: string) => {
      const result = spawnSync(
        process.execPath,
        [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "-c", config, "--outdir", outdir],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
        },
      );
      if (result.status !== 0) throw new Error(`wrangler deploy --dry-run -c ${config} failed:\n${result.stdout}\n${result.stderr}`);
      return outdir;
    };
    const worker = (name: string, dir: string, serviceBindings: Record<string, string> = {}) => ({
      name,
      modules: true,
      scriptPath: join(dir, name === "router" ? "router.js" : "worker.js"),
      modulesRoot: dir,
      modulesRules: [{ type: "Data" as const, include: ["**/*.bin"] }],
      compatibilityDate: "2026-04-20",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { CACHE_MAX_AGE: "0", CORS_ORIGINS: "*", LOG_QUERIES: "false" },
      serviceBindings,
    });
    const shardWorkers = Array.from({ length: SHARDS }, (_, i) =>
      worker(`fundstelle-shard-${i}`, bundle(join(out, `shard-${i}`, "wrangler.toml"), join(bundles, `shard-${i}`))),
    );
    const routerWorker = worker(
      "router",
      bundle(join(out, "router", "wrangler.toml"), join(bundles, "router")),
      Object.fromEntries(Array.from({ length: SHARDS }, (_, i) => [`SHARD_${i}`, `fundstelle-shard-${i}`])),
    );
    // The router first: Miniflare sends dispatchFetch to the first worker.
    miniflare = new Miniflare({ workers: [routerWorker, ...shardWorkers] });
    await miniflare.ready;
  }, 180_000);

  afterAll(async () => {
    await miniflare?.dispose();
    rmSync(bundles, { recursive: true, force: true });
  });

  it.each(PATHS.filter((_, i) => i % 3 === 0))("answers %s through service bindings as one index does", async (path) => {
    if (!miniflare) throw new Error("Miniflare did not start");
    const [a, b] = await Promise.all([single.request(path), miniflare.dispatchFetch(`http://localhost${path}`)]);
    expect(b.status).toBe(a.status);
    expect(await b.json()).toEqual(await a.json());
  });
});
