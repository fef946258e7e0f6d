// The Hono app: middleware, the API's routes, search insights, the demo page and the widget, and the one place
// that maps errors to HTTP. Routes live in api-routes.ts, middleware in middleware.ts, caching in http-cache.ts.
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import widgetCode from "../dist/widget-module.js";
import { apiRoutes } from "./api-routes.js";
import { type IndexProvider, localBackend, type SearchBackend } from "./backend.js";
import type { AppEnv } from "./bindings.js";
import { ApiError } from "./errors.js";
import { cacheMaxAge, fnv1a } from "./http-cache.js";
import { searchInsights } from "./insights/routes.js";
import { useMiddleware } from "./middleware.js";
import { DEMO_CSP, demoPage } from "./pages.js";
import { IndexUnavailable } from "./search/loaded-index.js";
import { settingsOf } from "./settings.js";

export type { IndexProvider } from "./backend.js";
export type { AppEnv } from "./bindings.js";

/**
 * Builds the fundstelle app around an index provider. The provider is called
 * per request and should return a value loaded once per isolate.
 *
 * @example
 * const app = createApp(() => loadIndex(artifact));
 * export default app;
 */
export function createApp(getIndex: IndexProvider) {
  return createBackendApp(localBackend(getIndex));
}

/** Options of {@link createBackendApp}. */
export interface BackendAppOptions {
  /** Routes added before the public ones (a shard's internal API). */
  extend?: (app: OpenAPIHono<AppEnv>) => void;
}

/**
 * Builds the fundstelle app around a search backend: one bundled index ({@link createApp}), or the
 * shards of a larger corpus behind a router (worker/router.ts). Routes, validation, caching and errors
 * are the same either way.
 */
export function createBackendApp(backend: SearchBackend, options: BackendAppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const param = String(issue?.path[0] ?? "");
        const code = param === "q" ? "query_too_long" : "invalid_parameter";
        throw new ApiError(code, issue?.message ?? "invalid parameter", param || undefined);
      }
    },
  });

  useMiddleware(app);
  options.extend?.(app);
  const insights = searchInsights(backend);
  insights.routes(app);

  const routes = apiRoutes(app, backend, insights);

  app.get("/", async (c) => {
    c.header("Content-Security-Policy", DEMO_CSP);
    c.header("X-Frame-Options", "DENY");
    let info: { documents: number; paragraphs: number; examples: string[] } = { documents: 0, paragraphs: 0, examples: [] };
    try {
      info = await backend.info();
    } catch {
      // The demo page still renders without an index; the widget shows the error and /health says why.
    }
    return c.html(demoPage(new URL(c.req.url).origin, info.documents, info.paragraphs, info.examples, settingsOf(c.env).insights !== null));
  });

  const widgetEtag = `"w-${fnv1a(widgetCode)}"`;
  app.get("/widget.js", (c) => {
    const headers = { ETag: widgetEtag, "Cache-Control": `public, max-age=${cacheMaxAge(c)}` };
    if (c.req.header("If-None-Match") === widgetEtag) return c.body(null, 304, headers);
    return c.body(widgetCode, 200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" });
  });

  app.notFound(() => {
    throw new ApiError("not_found", "No such endpoint; see /openapi.json");
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json(error.toJSON(), error.status, { ...error.headers, "Cache-Control": "no-store" });
    }
    if (error instanceof IndexUnavailable) {
      return c.json(new ApiError("index_unavailable", error.message).toJSON(), 503, { "Cache-Control": "no-store" });
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(new ApiError("invalid_parameter", error.message || "invalid request").toJSON(), 400, { "Cache-Control": "no-store" });
    }
    console.error(JSON.stringify({ event: "error", requestId: c.get("requestId"), error: String(error), stack: (error as Error)?.stack }));
    return c.json(new ApiError("internal", "Internal error; the request id is in the X-Request-Id header").toJSON(), 500, {
      "Cache-Control": "no-store",
    });
  });

  return routes;
}
