// Corpora of a chosen size for the growth benchmark: a base corpus cut to its first pages (in a fixed shuffled
// order), or grown by rewritten copies of it whose new words follow Heaps' law (docs/BENCHMARKS.md, "Growth").
import { foldCase, isStopWord, stemOf } from "../analyzer/index.js";
import type { Corpus } from "../index-builder/corpus.js";
import type { SourceDocument } from "../index-builder/source.js";
import { seededRandom } from "./random.js";

/** Shuffles `list` in place (Fisher–Yates) with `random`. */
function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

/** A word the copies may respell: four letters or more and not a stop word (short and stop words stay, as in real text). */
const WORD = /\p{L}+/gu;
const eligible = (word: string) => word.length >= 4 && !isStopWord(foldCase(word));
const stemKey = (word: string) => stemOf(foldCase(word));

/** FNV-1a: a seed for the pseudo-random numbers of one stem in one copy. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const ONSETS = "b d f g h k l m n p r s t w z br dr fl gr kl pr sch st tr pf".split(" ");
const VOWELS = "a e i o u ei au ie ä ö ü".split(" ");
const CODAS = ["", "", ..."n r l s t m ch ck ng".split(" ")];

/** A pronounceable made-up stem of about `length` letters, drawn from `random`. */
function madeUpStem(length: number, random: () => number): string {
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)] as string;
  let stem = "";
  while (stem.length < Math.max(3, length)) stem += pick(ONSETS) + pick(VOWELS) + pick(CODAS);
  return stem.slice(0, Math.max(3, length));
}

/** `lower` written in the case pattern of `model`: all capitals, a capital first, or lower case. */
function caseLike(model: string, lower: string): string {
  if (model.length > 1 && model === model.toUpperCase()) return lower.toUpperCase();
  if (model[0] !== model[0]?.toLowerCase()) return (lower[0] ?? "").toUpperCase() + lower.slice(1);
  return lower;
}

/** Where a word's stem ends in its lower-case spelling (stems are of the umlaut-folded form). */
function stemEnd(lower: string, stem: string): number {
  const folded = lower.replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
  if (folded.length !== lower.length) return lower.length;
  let end = 0;
  while (end < stem.length && folded[end] === stem[end]) end++;
  return end;
}

/** The respellings of one copy: base stem → made-up stem, and the made-up stems as a list. */
interface Respelling {
  stems: Map<string, string>;
  made: string[];
}

/** How the copies were made, for the report. */
export interface GrowthStats {
  /** Heaps' law exponent of the base corpus (distinct stems ∝ running words^beta), fitted over its shuffled pages. */
  beta: number;
  /** Distinct stems of the words copies may respell, in the base corpus. */
  stems: number;
  /** Of those, the stems rare enough to be respelled (in at most {@link RARE_PARAGRAPHS} paragraphs). */
  rareStems: number;
}

/** A stem occurring in at most this many paragraphs of the base corpus is rare: copies may respell it. */
export const RARE_PARAGRAPHS = 5;

/**
 * Makes corpora of any number of paragraphs from one base corpus. Up to the base's size: its pages in a fixed
 * shuffled order, cut after the page that reaches the size. Beyond: whole copies of the base, then the first
 * pages of one more in its own shuffled order. Copy k (from 1) gives every page the id `<collection>/kopie-k/…`
 * (and `?kopie=k` on its url) and respells words in it so that the vocabulary grows as Heaps' law says it
 * would for new text of the same kind: the distinct stems of k + 1 copies are the base's × (k + 1)^beta, with
 * beta fitted on the base itself. The new stems replace rare ones (a stem in at most {@link RARE_PARAGRAPHS}
 * paragraphs), chosen by hash, each by a made-up pronounceable stem with the word's ending and case kept, so
 * that common words (and the cost of searching them) grow with the copies as in a real larger corpus. A
 * paragraph in which no word was respelled gets one of its copy's made-up stems for its rarest eligible word
 * (adding no stem), so that no copied paragraph with a word of four letters or more is identical to its original.
 */
export class CorpusGrower {
  readonly stats: GrowthStats;
  private readonly order: number[];
  private readonly paragraphCounts = new Map<string, number>();
  private readonly rare: string[];
  private readonly taken = new Set<string>();
  /** Copied paragraphs left as they were by the last {@link corpus} (no word of four letters or more). */
  private unchanged = 0;

  constructor(
    private readonly base: Corpus,
    seed = 19,
  ) {
    this.order = shuffle(
      base.documents.map((_, i) => i),
      seededRandom(seed),
    );
    // Stems per paragraph, and the vocabulary's growth along the shuffled pages (Heaps' law), in one pass.
    const seen = new Set<string>();
    const points: [number, number][] = [];
    let running = 0;
    let nextPoint = 1;
    const totalWords = base.documents.reduce((sum, doc) => sum + doc.paragraphs.join(" ").split(/\s+/).length, 0);
    for (const i of this.order) {
      for (const text of (base.documents[i] as SourceDocument).paragraphs) {
        const stems = new Set<string>();
        for (const [word] of text.matchAll(WORD)) {
          running++;
          if (eligible(word)) stems.add(stemKey(word));
        }
        for (const stem of stems) {
          this.paragraphCounts.set(stem, (this.paragraphCounts.get(stem) ?? 0) + 1);
          seen.add(stem);
        }
      }
      if (running >= (totalWords * nextPoint) / 16) {
        points.push([Math.log(running), Math.log(seen.size)]);
        nextPoint++;
      }
    }
    for (const stem of seen) this.taken.add(stem);
    this.rare = [...this.paragraphCounts].filter(([, n]) => n <= RARE_PARAGRAPHS).map(([stem]) => stem);
    // Least squares over the second half of the points: the start of a corpus grows faster than its steady rate.
    const fit = points.slice(Math.floor(points.length / 2));
    const mx = fit.reduce((s, [x]) => s + x, 0) / fit.length;
    const my = fit.reduce((s, [, y]) => s + y, 0) / fit.length;
    const beta = fit.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / fit.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    this.stats = { beta, stems: seen.size, rareStems: this.rare.length };
  }

  /** The base's pages in the shuffled order: the first ones are in every grown corpus. */
  basePages(): SourceDocument[] {
    return this.order.map((i) => this.base.documents[i] as SourceDocument);
  }

  /** A corpus of about `paragraphs` paragraphs (cut after the page that reaches it). */
  corpus(paragraphs: number): Corpus & { copies: number; unchanged: number } {
    const documents: SourceDocument[] = [];
    let count = 0;
    let copy = 0;
    this.unchanged = 0;
    for (; count < paragraphs; copy++) {
      const respell = this.respeller(copy);
      const chosen: number[] = [];
      for (const i of this.shuffled(copy)) {
        if (count >= paragraphs) break;
        chosen.push(i);
        count += (this.base.documents[i] as SourceDocument).paragraphs.length;
      }
      // Each copy's pages in the base's order, so that a cut copy's pages read like a smaller manual.
      for (const i of chosen.sort((a, b) => a - b)) {
        const doc = this.base.documents[i] as SourceDocument;
        documents.push(copy === 0 ? doc : this.copyOf(doc, copy, respell));
      }
    }
    const description = new TextEncoder().encode(JSON.stringify({ paragraphs, copies: copy, grown: "bench/growth-corpus.ts" }));
    const files = [...this.base.files, { path: "growth.json", bytes: description }];
    return { ...this.base, documents, files, copies: copy, unchanged: this.unchanged };
  }

  /** Copy 0 (the base) in the fixed order; every further copy in an order of its own, so cut copies differ. */
  private shuffled(copy: number): number[] {
    return copy === 0 ? this.order : shuffle([...this.order], seededRandom(hash(`order ${copy}`)));
  }

  /** The stems copy `copy` respells, each with its made-up replacement. */
  private readonly respellings = new Map<number, Respelling>();
  private respeller(copy: number): Respelling {
    const known = this.respellings.get(copy);
    if (known) return known;
    const stems = new Map<string, string>();
    if (copy > 0) {
      const wanted = this.stats.stems * ((copy + 1) ** this.stats.beta - copy ** this.stats.beta);
      const share = Math.min(1, wanted / this.rare.length);
      for (const stem of this.rare) if (hash(`${stem} ${copy}`) / 2 ** 32 < share) stems.set(stem, this.madeUp(stem, copy));
    }
    const respelling = { stems, made: [...stems.values()] };
    this.respellings.set(copy, respelling);
    return respelling;
  }

  /** A made-up stem for `stem` in `copy`, of about its length, that no base word and no other respelling has. */
  private madeUp(stem: string, copy: number): string {
    const random = seededRandom(hash(`${stem} ${copy} made up`));
    for (;;) {
      const made = madeUpStem(stem.length, random);
      if (!this.taken.has(made)) {
        this.taken.add(made);
        return made;
      }
    }
  }

  private copyOf(doc: SourceDocument, copy: number, respelled: Respelling): SourceDocument {
    const rewrite = (text: string, force: boolean): string => {
      let changed = false;
      const out = text.replace(WORD, (word) => {
        if (!eligible(word)) return word;
        const made = respelled.stems.get(stemKey(word));
        if (made === undefined) return word;
        changed = true;
        return this.respell(word, made);
      });
      if (changed || !force) return out;
      // No word respelled: the paragraph's rarest eligible word (and its repeats) takes one of this copy's new stems.
      let rarest: string | undefined;
      for (const [word] of text.matchAll(WORD)) {
        if (!eligible(word)) continue;
        const stem = stemKey(word);
        if (rarest === undefined || (this.paragraphCounts.get(stem) ?? 0) < (this.paragraphCounts.get(rarest) ?? 0)) rarest = stem;
      }
      if (rarest === undefined) return text;
      const made = respelled.made[hash(`${rarest} ${copy} forced`) % respelled.made.length] as string;
      return text.replace(WORD, (word) => (eligible(word) && stemKey(word) === rarest ? this.respell(word, made) : word));
    };
    const rest = doc.id.slice(doc.collection.length + 1);
    return {
      ...doc,
      id: `${doc.collection}/kopie-${copy}/${rest}`,
      url: doc.url === null ? null : `${doc.url}${doc.url.includes("?") ? "&" : "?"}kopie=${copy}`,
      title: rewrite(doc.title, false),
      sections: doc.sections.map((section) => ({ ...section, heading: rewrite(section.heading, false) })),
      paragraphs: doc.paragraphs.map((text) => {
        const rewritten = rewrite(text, true);
        if (rewritten === text) this.unchanged++;
        return rewritten;
      }),
    };
  }

  /** `word` with its stem replaced by `made`: its ending and case kept. */
  private respell(word: string, made: string): string {
    const lower = foldCase(word);
    return caseLike(word, made + lower.slice(stemEnd(lower, stemKey(word))));
  }
}
