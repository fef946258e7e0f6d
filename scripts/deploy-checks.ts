// Checks of a wrangler.toml before `npm run deploy` uploads it: what Cloudflare would accept but that cannot work.
import { parse } from "smol-toml";

/** A D1 database id as Cloudflare gives it (`wrangler d1 create` prints one): a UUID. */
const DATABASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface WranglerToml {
  vars?: Record<string, unknown>;
  d1_databases?: { binding?: unknown; database_name?: unknown; database_id?: unknown }[];
  env?: Record<string, WranglerToml>;
}

/**
 * Why a deploy with this wrangler.toml (its text; `file` names it) would not count searches though it asks to:
 * `INSIGHTS = "true"` with an `INSIGHTS_DB` block whose `database_id` is a placeholder ("…", "", "xxx") rather
 * than the id `wrangler d1 create` printed. Null when insights are off or the block is real. Each `[env.*]` is
 * checked on its own: wrangler does not carry `vars` and `d1_databases` into an environment, so an environment has
 * only its own.
 */
export function insightsDatabaseProblem(text: string, file = "wrangler.toml"): string | null {
  let toml: WranglerToml;
  try {
    toml = parse(text) as WranglerToml;
  } catch {
    return null; // wrangler itself names a broken file.
  }
  const scopes: [string, WranglerToml][] = [
    ["", toml],
    ...Object.entries(toml.env ?? {}).map(([name, env]): [string, WranglerToml] => [name, env]),
  ];
  for (const [name, scope] of scopes) {
    const vars = scope.vars ?? {};
    if (
      String(vars.INSIGHTS ?? "false")
        .trim()
        .toLowerCase() !== "true"
    )
      continue;
    const block = (scope.d1_databases ?? []).find((db) => db.binding === "INSIGHTS_DB");
    if (block === undefined) continue; // Without the binding, insights are off by design (the README says so).
    const id = typeof block.database_id === "string" ? block.database_id.trim() : "";
    if (DATABASE_ID.test(id)) continue;
    const where = name === "" ? file : `${file} [env.${name}]`;
    const database = typeof block.database_name === "string" && block.database_name !== "" ? block.database_name : "fundstelle-insights";
    return (
      `${where}: INSIGHTS is "true" but the INSIGHTS_DB database_id is ${JSON.stringify(id)}, a placeholder. ` +
      `Create the database with "npx wrangler d1 create ${database}" and put the database_id it prints into ${file} ` +
      `(or set INSIGHTS = "false"). Nothing was uploaded.`
    );
  }
  return null;
}
