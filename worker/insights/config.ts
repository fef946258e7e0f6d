// Search insights as configured by the Worker's bindings (read once per isolate, in worker/settings.ts).
import type { Bindings, InsightsDatabase } from "../bindings.js";

/** Insights as configured: on only with INSIGHTS = "true" and the INSIGHTS_DB binding. */
export interface InsightsConfig {
  db: InsightsDatabase;
  /** The INSIGHTS_TOKEN secret: the report's password and the key of the query hashes; null when not set. */
  token: string | null;
  /** k: a query's text is stored and reported only once searched this often. */
  minCount: number;
  retentionDays: number;
  /** Least milliseconds between two writes of one isolate (INSIGHTS_FLUSH_MS, default 1000). */
  flushInterval: number;
  /** The most new rows one isolate adds in a UTC day (INSIGHTS_MAX_ROWS_PER_DAY, default 10,000). */
  maxRowsPerDay: number;
}

function positive(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

/** The insights configuration of an environment, or null when insights are off. */
export function insightsConfig(env: Partial<Bindings> | undefined): InsightsConfig | null {
  if (env?.INSIGHTS !== "true" || !env.INSIGHTS_DB) return null;
  return {
    db: env.INSIGHTS_DB,
    token: env.INSIGHTS_TOKEN ? env.INSIGHTS_TOKEN : null,
    minCount: positive(env.INSIGHTS_MIN_COUNT, 5, 1000),
    retentionDays: positive(env.INSIGHTS_RETENTION_DAYS, 90, 3650),
    flushInterval: env.INSIGHTS_FLUSH_MS === "0" ? 0 : positive(env.INSIGHTS_FLUSH_MS, 1000, 10_000),
    maxRowsPerDay: positive(env.INSIGHTS_MAX_ROWS_PER_DAY, 10_000, 1_000_000),
  };
}
