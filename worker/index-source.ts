// The one place that knows where the index lives: the artifact module bundled into the worker.
import * as artifact from "../build/artifact.js";
import { IndexUnavailable, type LoadedIndex, loadIndex } from "./search/loaded-index.js";

// Parsed at global scope: once per isolate, never per request. A bad index is
// remembered as the reason every search answers 503.
let loaded: LoadedIndex | IndexUnavailable;
try {
  loaded = loadIndex(artifact);
} catch (error) {
  loaded = error instanceof IndexUnavailable ? error : new IndexUnavailable(`The index could not be loaded: ${String(error)}`);
}

/** Returns the bundled index, or throws IndexUnavailable with the reason. */
export function indexProvider(): LoadedIndex {
  if (loaded instanceof IndexUnavailable) throw loaded;
  return loaded;
}
