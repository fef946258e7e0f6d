// Worker entry: loads the bundled index once per isolate and serves the fundstelle app.
import { createApp } from "./app.js";
import { indexProvider } from "./index-source.js";

const app = createApp(indexProvider);

export default app;

/** The app's type, for typed clients: `hc<AppType>("https://…")` from "hono/client". */
export type AppType = typeof app;
