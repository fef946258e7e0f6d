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

/**
 * A file (or document) skipped on purpose rather than for a problem: a redirect stub, a page without body text, a
 * `noindex` page, an excluded or non-page file. Listed in the build's skipped.txt and with `--verbose`; never an
 * error, even with `--strict`.
 */
export interface CorpusNotice {
  file: string;
  line?: number;
  /** What kind of skip it is, as the build's summary counts it. */
  kind: NoticeKind;
  /** Why, as a phrase after the file's name: "is a redirect to /x.html", "asks not to be indexed (noindex)". */
  reason: string;
}

/**
 * The kinds of notices, each with its name in the build's summary ("skipped 9 files (noindex 2, …)"); a block split
 * for its length is no skip: its file is read, and the summary counts it apart.
 */
export const NOTICE_KINDS = {
  excluded: "excluded",
  crawlerFile: "not pages",
  otherFormat: "other formats",
  noindex: "noindex",
  redirect: "redirects",
  noBody: "no body text",
  split: "long blocks split",
} as const;

export type NoticeKind = keyof typeof NOTICE_KINDS;

export function formatNotice(notice: CorpusNotice): string {
  return `${notice.file}${notice.line !== undefined ? `:${notice.line}` : ""}: ${notice.reason}`;
}
