// The Worker's settings, parsed from its bindings once per isolate: routes read these, not the raw strings.
import type { Bindings } from "./bindings.js";
import { type AllowedOrigins, allowedOrigins } from "./cors-origins.js";
import { type InsightsConfig, insightsConfig } from "./insights/config.js";

/** What the app does with its `[vars]` and bindings (see worker/bindings.ts and the README's Configuration). */
export interface Settings {
  corsOrigins: AllowedOrigins;
  /** Seconds browsers and the edge may cache GET answers; 0 turns caching off. */
  cacheMaxAge: number;
  logQueries: boolean;
  /** Search insights, or null when they are off. */
  insights: InsightsConfig | null;
}

const parsed = new WeakMap<object, Settings>();
const NO_BINDINGS = {};

function cacheMaxAge(value: string | undefined): number {
  const n = Number(value ?? "300");
  return Number.isInteger(n) && n >= 0 ? n : 300;
}

/**
 * The settings of an environment. Workers pass one environment object to every request of an isolate, so this
 * parses it once; a test's own environment object is parsed on its first request.
 */
export function settingsOf(env: Partial<Bindings> | undefined): Settings {
  const key = env ?? NO_BINDINGS;
  let settings = parsed.get(key);
  if (!settings) {
    settings = {
      corsOrigins: allowedOrigins(env?.CORS_ORIGINS),
      cacheMaxAge: cacheMaxAge(env?.CACHE_MAX_AGE),
      logQueries: env?.LOG_QUERIES === "true",
      insights: insightsConfig(env),
    };
    parsed.set(key, settings);
  }
  return settings;
}
