// Reads the synonyms: the builder's default list of German administrative terms (data/verwaltung-synonyme.txt),
// extended or trimmed by corpus/synonyms.txt. Groups of words that find each other, and one-way rules.
import { readFileSync } from "node:fs";
import { analyze } from "../analyzer/index.js";
import type { Synonyms } from "../common/artifact.js";
import { CorpusError } from "./errors.js";

/** Where the synonyms live, relative to the corpus folder. */
export const SYNONYMS_FILE = "synonyms.txt";

/** The default list, applied to every corpus, as named in its errors. */
export const DEFAULT_SYNONYMS_FILE = "index-builder/data/verwaltung-synonyme.txt";
const DEFAULT_SYNONYMS_URL = new URL("data/verwaltung-synonyme.txt", import.meta.url);

/** An entry: the exact forms of its words (one word, or several that must all occur). */
type Entry = readonly string[];

/**
 * One line of a synonyms file. A group (`from` and `to` the same entries) lets each entry find the others; a
 * one-way rule (`Perso => Personalausweis`) lets the entries of `from` find those of `to`, not back.
 */
export interface SynonymRule {
  from: readonly Entry[];
  to: readonly Entry[];
  oneWay: boolean;
  file: string;
  line: number;
}

/** A parsed file: its rules in order, and the words whose default rules it removes (`!Wort`), with their lines. */
export interface SynonymFile {
  rules: SynonymRule[];
  removals: { word: string; line: number }[];
}

/**
 * Parses a synonyms file: one group per line, entries separated by commas (`Kita, Kindertagesstätte`), or a
 * one-way rule (`Perso, Persi => Personalausweis`); `!Wort` removes the default rules that contain the word
 * (only where `removals` is allowed); `#` starts a comment. Errors name the file and line.
 */
export function parseSynonymFile(text: string, file = SYNONYMS_FILE, removals = true): SynonymFile {
  const parsed: SynonymFile = { rules: [], removals: [] };
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const content = raw.replace(/#.*$/, "").trim();
      if (content === "") return;
      const fail = (problem: string): never => {
        throw new CorpusError(file, problem, line);
      };
      if (content.startsWith("!")) {
        if (!removals) fail("a removal (!Wort) belongs in a site's synonyms.txt, not in the default list");
        const words = wordsOf(content.slice(1));
        if (words.length !== 1 || /[,=]/.test(content)) fail(`"${content}" should name one word to remove: !Wort`);
        parsed.removals.push({ word: words[0] as string, line });
        return;
      }
      const entriesOf = (side: string, empty: string): Entry[] => {
        const entries = side.split(",").map((entry) => entry.trim());
        if (entries.some((entry) => entry === "")) fail(empty);
        return entries.map((entry) => {
          const words = wordsOf(entry);
          if (words.length === 0) fail(`"${entry}" has no word to search for (only stop words)`);
          return words;
        });
      };
      const sides = content.split("=>");
      if (sides.length > 2) fail('a one-way rule has one "=>"');
      if (sides.length === 2) {
        const [left, right] = sides.map((side) => side.trim()) as [string, string];
        if (left === "" || right === "") fail('a one-way rule needs entries on both sides of "=>"');
        const from = entriesOf(left, EMPTY_ENTRY);
        const to = entriesOf(right, EMPTY_ENTRY);
        if (!from.some((entry) => entry.length === 1)) fail('the left side of "=>" needs an entry of one word (it is looked up as typed)');
        parsed.rules.push({ from, to, oneWay: true, file, line });
        return;
      }
      const group = "a synonym group needs at least two entries separated by commas";
      const entries = entriesOf(content, group);
      if (entries.length < 2) fail(group);
      parsed.rules.push({ from: entries, to: entries, oneWay: false, file, line });
    });
  return parsed;
}

const EMPTY_ENTRY = "an entry is empty (two commas in a row, or a comma at an end)";

/** The exact forms of an entry's words that can be searched for (no stop words). */
function wordsOf(entry: string): string[] {
  return analyze(entry)
    .filter((token) => !token.stop && token.kind !== "joined")
    .map((token) => token.exact);
}

/**
 * The lookup the worker uses: for every single-word entry on a finding side (by exact form, and spelt with ae, oe,
 * ue, ss where it has umlauts or ß), the entries it finds, each as the exact forms of its words, in the order of the
 * rules (so the same rules give the same bytes).
 */
export function synonymsOfRules(rules: readonly SynonymRule[]): Synonyms {
  const synonyms = new Map<string, string[][]>();
  for (const rule of rules) {
    for (const entry of rule.from) {
      if (entry.length !== 1) continue;
      const key = entry[0] as string;
      const known = synonyms.get(key) ?? [];
      for (const other of rule.to) {
        if (other.join(" ") === key) continue;
        if (!known.some((k) => k.join(" ") === other.join(" "))) known.push([...other]);
      }
      if (known.length > 0) synonyms.set(key, known);
    }
  }
  // The worker looks a word up as typed: "Muell" and "Gebuehr" find what "Müll" and "Gebühr" find.
  for (const [key, found] of [...synonyms]) {
    const spelt = key.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
    if (spelt !== key && !synonyms.has(spelt)) synonyms.set(spelt, found);
  }
  return synonyms;
}

/**
 * Parses one synonyms file on its own: for every single-word entry (by exact form), the other entries of its
 * groups and the right sides of its one-way rules. A group needs two entries, each a word that is not a stop word.
 */
export function parseSynonyms(text: string, file = SYNONYMS_FILE): Synonyms {
  return synonymsOfRules(parseSynonymFile(text, file).rules);
}

let defaults: SynonymFile | undefined;

/** The builder's default list of administrative synonyms, parsed once (an error in it is the builder's own bug). */
export function defaultSynonymRules(): readonly SynonymRule[] {
  defaults ??= parseSynonymFile(readFileSync(DEFAULT_SYNONYMS_URL, "utf8"), DEFAULT_SYNONYMS_FILE, false);
  return defaults.rules;
}

/**
 * A corpus's synonyms: the default rules, less those a site's `!Wort` line removes (a group containing the word,
 * or a one-way rule with the word on its left side), then the site's own rules. `site` is synonyms.txt's text,
 * or null without one. A removal that matches no default rule stops the build: it is probably misspelt.
 */
export function corpusSynonyms(site: string | null, file = SYNONYMS_FILE, defaultRules = defaultSynonymRules()): Synonyms {
  if (site === null) return synonymsOfRules(defaultRules);
  const own = parseSynonymFile(site, file);
  const removed = new Set<SynonymRule>();
  for (const { word, line } of own.removals) {
    const matching = defaultRules.filter((rule) => rule.from.some((entry) => entry.includes(word)));
    if (matching.length === 0) throw new CorpusError(file, `!${word} matches no rule of the default list (${DEFAULT_SYNONYMS_FILE})`, line);
    for (const rule of matching) removed.add(rule);
  }
  return synonymsOfRules([...defaultRules.filter((rule) => !removed.has(rule)), ...own.rules]);
}
