// Errors and warnings about corpus input, each naming the file (and line) and the problem.

/** A problem in one corpus file that stops the build. */
/** The settings do not fit this corpus (more shards than documents, say): a clear error, not a crash. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

export class CorpusError extends Error {
  override readonly name = "CorpusError";
  constructor(
    /** Path of the file, relative to the corpus folder. */
    readonly file: string,
    readonly problem: string,
    /** 1-based line, where there is one. */
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ""}: ${problem}`);
  }
}

/** A problem that skips part of the input; `--strict` turns warnings into errors. */
export interface CorpusWarning {
  file: string;
  line?: number;
  problem: string;
}

export function formatWarning(warning: CorpusWarning): string {
  return `${warning.file}${warning.line !== undefined ? `:${warning.line}` : ""}: ${warning.problem}`;
}
