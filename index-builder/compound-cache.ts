// The last build's compound splits, kept so that a rebuild splits again only the words a change can affect. A word's
// split depends on which of its pieces are words: German nouns (the dictionary, the same for a builder version) or
// words the corpus uses twice or more. So the splits of a build hold for the next one for every word that none of
// the words that became frequent, or stopped being so, can be a piece of.
import { z } from "zod";
import { CacheFolder, cacheKey } from "./build-cache.js";

/** One capitalised word of the vocabulary: its parts (`[part word, end]`) and the terms those give the `parts` field, or nulls when it is no compound. */
export type CompoundSplit = [word: string, parts: [string, number][] | null, terms: string[] | null];

/** The splits of one build and the corpus's frequent words they were made with. */
export interface CompoundSplits {
  frequent: string[];
  splits: CompoundSplit[];
}

const isString = (value: unknown): value is string => typeof value === "string";
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isParts = (value: unknown): value is [string, number][] =>
  Array.isArray(value) && value.every((part) => Array.isArray(part) && part.length === 2 && isString(part[0]) && Number.isInteger(part[1]));
const isSplit = (value: unknown): value is CompoundSplit =>
  Array.isArray(value) &&
  value.length === 3 &&
  isString(value[0]) &&
  (value[1] === null ? value[2] === null : isParts(value[1]) && isStrings(value[2]));

/** Kept splits as they must read back. The lists are checked by hand: zod's tuples took 0.1 s for LibreOffice's help. */
const Splits = z.object({
  frequent: z.custom<string[]>(isStrings),
  splits: z.custom<CompoundSplit[]>((value) => Array.isArray(value) && value.every(isSplit)),
});

/** More words changing from or to frequent than this, and every word is split again (checking each against them would cost as much). */
const MOST_CHANGED = 200;

/** The splits kept under `root` for a corpus of these collections: the last build's. */
export class CompoundCache {
  private readonly folder: CacheFolder;
  private readonly key: string;

  constructor(root: string | undefined, collections: readonly string[]) {
    this.folder = new CacheFolder(root, "compounds");
    this.key = cacheKey(["compounds", collections]);
  }

  /**
   * The last build's split of each word that the change from its frequent words to `frequent` cannot affect: a word
   * none of whose pieces (nor a piece with an "e" after it, as splitCompound tries) became or stopped being frequent;
   * and whether no word did.
   */
  reusable(frequent: ReadonlySet<string>): { split: (word: string) => CompoundSplit | undefined; unchanged: boolean } {
    const previous = this.folder.get(this.key, (body) => {
      const parsed = Splits.safeParse(JSON.parse(body.toString("utf8")));
      return parsed.success ? parsed.data : undefined;
    });
    const none = { split: () => undefined, unchanged: false };
    if (previous === undefined) return none;
    const before = new Set(previous.frequent);
    const changed: string[] = [];
    for (const word of frequent) if (!before.has(word)) changed.push(word);
    for (const word of before) if (!frequent.has(word)) changed.push(word);
    if (changed.length > MOST_CHANGED) return none;
    const splits = new Map(previous.splits.map((split) => [split[0], split]));
    const affected = (word: string) =>
      changed.some((piece) => word.includes(piece) || (piece.endsWith("e") && word.includes(piece.slice(0, -1))));
    return {
      split: (word) => {
        const split = splits.get(word);
        return split === undefined || affected(word) ? undefined : split;
      },
      unchanged: changed.length === 0,
    };
  }

  /** Keeps this build's splits for the next. */
  save(splits: CompoundSplits): void {
    this.folder.put(this.key, Buffer.from(JSON.stringify(splits)));
  }
}
