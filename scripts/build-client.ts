// Builds the typed client that other projects import as "fundstelle/client" (package.json "exports"):
// dist/client.js (esbuild; hono stays an import, it is a dependency) and its declarations in dist/types/ (tsc).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const quiet = process.argv.includes("--quiet");

await build({
  entryPoints: [`${root}worker/client.ts`],
  outfile: `${root}dist/client.js`,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: ["hono", "hono/*"],
  logLevel: quiet ? "error" : "warning",
});

rmSync(`${root}dist/types`, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${root}worker/tsconfig.client.json`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
} catch (error) {
  const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
  console.error(`Could not write the client's declarations:\n${stdout ?? ""}${stderr ?? ""}`);
  process.exit(1);
}
if (!quiet) console.log('Built dist/client.js and dist/types/ (the typed client, "fundstelle/client")');
