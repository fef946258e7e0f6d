// Deterministic query sets derived from the XQuAD-de questions, independent of any engine's analyzer.
import { readFileSync } from "node:fs";
import { stopwords } from "@orama/stopwords/german";

export interface Question {
  id: string;
  question: string;
  /** Id of the answering paragraph: "<doc id>#<n>". */
  paragraph: string;
}

export interface BenchQuery {
  questionId: string;
  query: string;
  /** The paragraph id that answers it. */
  relevant: string;
}

export type SetName = "question" | "keywords" | "prefix" | "typo" | "umlaut" | "compound" | "compoundInner";

export const SET_LABELS: Record<SetName, string> = {
  question: "full questions",
  keywords: "keywords",
  prefix: "as-you-type",
  typo: "one typo",
  umlaut: "ae/oe/ue/ss",
  compound: "compound keyword",
  compoundInner: "compound, never at the start",
};

const STOP = new Set(stopwords.map((w) => w.toLowerCase()));
const WORD = /\p{L}[\p{L}\p{N}]*/gu;

function wordsOf(text: string): { text: string; index: number }[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], index: m.index }));
}

const isContent = (word: string) => word.length >= 3 && !STOP.has(word.toLowerCase());

/** Loads the questions file. */
export function loadQuestions(path: string): Question[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Question);
}

const UMLAUTS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss", ẞ: "SS" };

function withTypo(word: string, variant: number): string {
  const mid = Math.floor(word.length / 2);
  if (variant === 0) return word.slice(0, mid) + word.slice(mid + 1);
  if (variant === 1) return word.slice(0, mid - 1) + (word[mid] ?? "") + (word[mid - 1] ?? "") + word.slice(mid + 1);
  const ch = word[mid] ?? "a";
  const next = /[a-y]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 1) : ch === "z" ? "a" : "e";
  return word.slice(0, mid) + next + word.slice(mid + 1);
}

/**
 * Builds every query set from the questions and the paragraph texts (by paragraph id).
 * Keywords are the question's (up to) three rarest content words (not stop words, 3+ letters) among
 * those that occur anywhere in the corpus, in question order; questions with fewer than two have no
 * keyword query. The typo, as-you-type and umlaut sets are variations of the keyword queries.
 */
export function buildQuerySets(questions: Question[], paragraphs: Map<string, string>): Record<SetName, BenchQuery[]> {
  const df = new Map<string, number>();
  const paragraphWords = new Map<string, Set<string>>();
  for (const [id, text] of paragraphs) {
    const set = new Set(wordsOf(text).map((w) => w.text.toLowerCase()));
    paragraphWords.set(id, set);
    for (const word of set) df.set(word, (df.get(word) ?? 0) + 1);
  }
  const sets: Record<SetName, BenchQuery[]> = {
    question: [],
    keywords: [],
    prefix: [],
    typo: [],
    umlaut: [],
    compound: [],
    compoundInner: [],
  };
  questions.forEach((q, qi) => {
    const add = (set: SetName, query: string) => sets[set].push({ questionId: q.id, query, relevant: q.paragraph });
    add("question", q.question);
    const answerWords = paragraphWords.get(q.paragraph) ?? new Set<string>();
    const candidates = wordsOf(q.question).filter((w) => isContent(w.text));
    // Keywords: the question's (up to) three rarest content words that occur somewhere in the corpus, in question order.
    const seen = new Set<string>();
    const known = candidates.filter((w) => {
      const lower = w.text.toLowerCase();
      if (seen.has(lower) || !df.has(lower)) return false;
      seen.add(lower);
      return true;
    });
    const keywords = [...known]
      .sort((a, b) => (df.get(a.text.toLowerCase()) ?? 0) - (df.get(b.text.toLowerCase()) ?? 0) || a.index - b.index)
      .slice(0, 3)
      .sort((a, b) => a.index - b.index)
      .map((w) => w.text);
    if (keywords.length >= 2) {
      add("keywords", keywords.join(" "));
      const last = keywords.at(-1) ?? "";
      if (last.length > 4) add("prefix", [...keywords.slice(0, -1), last.slice(0, 4)].join(" "));
      const target = keywords.reduce((best, w) => (w.length > best.length ? w : best), "");
      if (target.length >= 5) add("typo", keywords.map((w) => (w === target ? withTypo(w, qi % 3) : w)).join(" "));
      if (keywords.some((w) => /[äöüÄÖÜßẞ]/.test(w)))
        add("umlaut", keywords.map((w) => w.replace(/[äöüÄÖÜßẞ]/g, (c) => UMLAUTS[c] ?? c)).join(" "));
    }
    // A noun of the question (capitalised, 5+ letters) found in the answer only inside longer words.
    const answerList = [...answerWords];
    for (const w of candidates) {
      const lower = w.text.toLowerCase();
      if (lower.length < 5 || !/^\p{Lu}/u.test(w.text) || answerWords.has(lower)) continue;
      const containing = answerList.filter((a) => a.length >= lower.length + 3 && a.includes(lower));
      if (containing.length === 0) continue;
      const others = keywords.filter((k) => k.toLowerCase() !== lower).slice(0, 2);
      const words = [...others.map((k) => ({ text: k, index: q.question.indexOf(k) })), w]
        .sort((a, b) => a.index - b.index)
        .map((x) => x.text);
      add("compound", words.join(" "));
      if (containing.every((a) => !a.startsWith(lower))) add("compoundInner", words.join(" "));
      break;
    }
  });
  return sets;
}
