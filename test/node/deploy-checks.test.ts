// Checks before npm run deploy uploads: a placeholder D1 database_id with insights on stops the deploy, saying how to fix it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { insightsDatabaseProblem } from "../../scripts/deploy-checks.js";

const ROOT = resolve(import.meta.dirname, "../..");
const block = (id: string) => `\n[[d1_databases]]\nbinding = "INSIGHTS_DB"\ndatabase_name = "stadt-insights"\ndatabase_id = "${id}"\n`;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("a placeholder INSIGHTS_DB database_id", () => {
  it.each(["…", "", "xxx", "YOUR_DATABASE_ID"])("%j with insights on is an error that names the file and the command", (id) => {
    expect(insightsDatabaseProblem(`name = "x"\n[vars]\nINSIGHTS = "true"\n${block(id)}`)).toBe(
      `wrangler.toml: INSIGHTS is "true" but the INSIGHTS_DB database_id is ${JSON.stringify(id)}, a placeholder. Create the database with "npx wrangler d1 create stadt-insights" and put the database_id it prints into wrangler.toml (or set INSIGHTS = "false"). Nothing was uploaded.`,
    );
  });

  it("passes with a real id, with insights off, without the block, and names an [env] that turns insights on", () => {
    expect(insightsDatabaseProblem(`[vars]\nINSIGHTS = "true"\n${block("0f6b0f5e-2c1d-4b7a-9d3e-1a2b3c4d5e6f")}`)).toBeNull();
    expect(insightsDatabaseProblem(`[vars]\nINSIGHTS = "false"\n${block("…")}`)).toBeNull();
    expect(insightsDatabaseProblem(`[vars]\nINSIGHTS = "true"\n`)).toBeNull();
    // Environments inherit neither vars nor databases (wrangler's rule): each is checked with its own.
    expect(insightsDatabaseProblem(`${block("…")}\n[env.produktion.vars]\nINSIGHTS = "true"\n`)).toBeNull();
    const envBlock = block("…").replace("[[d1_databases]]", "[[env.produktion.d1_databases]]");
    expect(insightsDatabaseProblem(`[env.produktion.vars]\nINSIGHTS = "true"\n${envBlock}`)).toMatch(
      /^wrangler\.toml \[env\.produktion\]: /,
    );
  });

  it("stops npm run deploy before wrangler runs (a dry run too)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fundstelle-deploy-"));
    dirs.push(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "stadt" }));
    writeFileSync(join(dir, "wrangler.toml"), `name = "stadt"\nmain = "nirgends.ts"\n[vars]\nINSIGHTS = "true"\n${block("…")}`);
    const result = spawnSync(
      process.execPath,
      ["--import", join(ROOT, "node_modules/tsx/dist/loader.mjs"), join(ROOT, "scripts/wrangler.ts"), "deploy", "--dry-run"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: wrangler.toml: INSIGHTS is "true" but the INSIGHTS_DB database_id is "…", a placeholder.');
  });
});
