// Test servers on loopback: `wrangler dev` serving the worker, and a plain page on a second port (another origin).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface WranglerDev {
  origin: string;
  /** The loopback port of the DevTools inspector of the Worker's isolate. */
  inspectorPort: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `wrangler dev` on a free loopback port and waits until /health answers (at most 90 s).
 * `cwd` is the folder with the wrangler.toml (this project's by default).
 */
export async function startWranglerDev(extraArgs: string[] = [], cwd: string = ROOT): Promise<WranglerDev> {
  const port = await freePort();
  const inspector = await freePort();
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [
      `${ROOT}node_modules/wrangler/bin/wrangler.js`,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--show-interactive-dev-session=false",
      ...extraArgs,
    ],
    { cwd, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-(child.pid ?? 0), "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}/health`);
      if (response.ok) return { origin, inspectorPort: inspector, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`wrangler dev did not answer /health within 90 s:\n${output}`);
}

/** Serves one HTML page on a free loopback port: a host page on another origin than the worker. */
export async function startPageServer(html: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url === "/" || request.url?.startsWith("/?")) {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Where Chromium is, or null: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Flags for headless Chromium on a machine without network access or a sandbox. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Writes `dir`/wrangler.toml: this project's with search insights on (k = `minCount`) and a local D1 database
 * bound as INSIGHTS_DB. Serve it with `startWranglerDev(["-c", file, "--persist-to", state, "--var",
 * "INSIGHTS_TOKEN:…"])`; `dir` must be two levels below the project (test-output/…) for `main` to resolve.
 */
export function writeInsightsConfig(dir: string, minCount: number): string {
  const base = readFileSync(`${ROOT}wrangler.toml`, "utf8");
  const file = `${dir.replace(/\/$/, "")}/wrangler.toml`;
  writeFileSync(
    file,
    `${base
      .replace('main = "worker/index.ts"', 'main = "../../worker/index.ts"')
      .replace('INSIGHTS = "false"', 'INSIGHTS = "true"')
      .replace('INSIGHTS_MIN_COUNT = "5"', `INSIGHTS_MIN_COUNT = "${minCount}"`)}
[[d1_databases]]
binding = "INSIGHTS_DB"
database_name = "fundstelle-insights-test"
database_id = "00000000-0000-4000-8000-000000000000"
`,
  );
  return file;
}
