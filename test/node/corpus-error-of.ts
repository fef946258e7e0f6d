// Test helper: the CorpusError a builder step throws (any other error is rethrown; none at all fails the test).
import { CorpusError } from "../../index-builder/errors.js";

export function corpusErrorOf(fn: () => unknown): CorpusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CorpusError) return error;
    throw error;
  }
  throw new Error("expected a CorpusError");
}

/** The CorpusError a promise of a builder step rejects with (any other error is rethrown; none at all fails the test). */
export async function corpusErrorOfAsync(promise: Promise<unknown>): Promise<CorpusError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CorpusError) return error;
    throw error;
  }
  throw new Error("expected a CorpusError");
}
