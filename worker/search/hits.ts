// Hits as answered: a paragraph's snippet and highlights, a page's best sections, and the "Meinten Sie …?" correction.
import { analyze, foldCase, type Token } from "../../analyzer/index.js";
import type { CollectionInfo, StoredDocument } from "../../common/artifact.js";
import { type MatchContext, markHtml, matchedRanges, selectSnippet } from "./highlight.js";
import { IndexCache, type LoadedIndex } from "./loaded-index.js";
import { type PassPlan, vocabularyIndexOf } from "./plan.js";
import type { ParsedQuery } from "./query.js";
import type { Matches } from "./query-tree.js";
import type { SearchHit, SearchRequest, SearchSection } from "./search-types.js";
import { sectionFinder, sectionUrl } from "./sections.js";

export const NO_COLLECTION = { title: "", attribution: null, license: null, url: null };

/** Most analysed hit texts kept per index: popular paragraphs and titles come up again and again. */
export const ANALYSIS_MEMO_LIMIT = 512;
/** An analysed text; `positions` (each term's word positions, for proximity) is filled on first use. */
export interface AnalysedText {
  text: string;
  tokens: Token[];
  positions?: Map<string, number[]>;
}
const ANALYSIS = new IndexCache<Map<number, AnalysedText>>("analysed texts of recent hits");

/**
 * A paragraph's text and tokens (`-1 - doc` for a document's title), from a bounded memo that keeps the
 * most recently used; the answer never depends on what is in it.
 */
export function analysedText(index: LoadedIndex, key: number): AnalysedText {
  const memo = index.cached(ANALYSIS, () => new Map<number, AnalysedText>());
  let entry = memo.get(key);
  if (entry) {
    memo.delete(key);
  } else {
    const text = key >= 0 ? index.paragraphText(key) : (index.store.documents[-1 - key]?.title ?? "");
    entry = { text, tokens: analyze(text) };
    if (memo.size >= ANALYSIS_MEMO_LIMIT) memo.delete(memo.keys().next().value as number);
  }
  memo.set(key, entry);
  return entry;
}

export function toHit(
  index: LoadedIndex,
  id: number,
  score: number,
  terms: ReadonlySet<string>,
  suffixes: ReadonlyMap<string, number>,
): SearchHit {
  const doc = index.docOf(id);
  const { text, tokens } = analysedText(index, id);
  const title = analysedText(index, -1 - (index.engine.paragraphDoc[id] as number));
  const context: MatchContext = { compounds: index.compounds, suffixes };
  const highlights = matchedRanges(text, terms, context, tokens);
  const collection: CollectionInfo | undefined = index.collectionsById.get(doc.collection);
  return {
    id: `${doc.id}#${id - doc.first}`,
    paragraph: id - doc.first,
    score: Math.round(score * 1000) / 1000,
    doc: { id: doc.id, title: doc.title, url: doc.url, date: doc.date, kind: doc.kind, collection: doc.collection },
    collection: collection
      ? { title: collection.title, attribution: collection.attribution, license: collection.license, url: collection.url }
      : NO_COLLECTION,
    titleHtml: markHtml(doc.title, matchedRanges(title.text, terms, context, title.tokens)),
    snippetHtml: selectSnippet(text, highlights).html,
    highlights,
  };
}

/**
 * The query with each word that the best match (`id`) holds only as a typo variant, and in none of its own
 * forms, spelled as the corpus spells that variant: "Kasachtan" becomes "Kasachstan", "Normanen" "Normannen".
 * Other words, and variants that are no word of the corpus as written (a stem, a compound's part), are left as
 * typed. Null when nothing would change.
 */
export function correctionOf(
  index: LoadedIndex,
  parsed: ParsedQuery,
  request: SearchRequest,
  plan: PassPlan,
  matches: Matches,
  id: number,
): string | null {
  if (!plan.corrections.some(({ typos }) => typos.size > 0)) return null;
  const terms = new Set(matches.termsOf(id));
  const spelled = new Map<string, string>();
  plan.corrections.forEach(({ typos, own }, i) => {
    // The match holds the word as typed (or a form of it): nothing to correct.
    for (const term of own) if (terms.has(term)) return;
    let best: string | undefined;
    let bestWeight = -1;
    for (const [term, weight] of typos) {
      if (!terms.has(term) || weight <= bestWeight) continue;
      const at = vocabularyIndexOf(index, term);
      if (at >= 0) {
        best = index.store.vocabulary.words[at];
        bestWeight = weight;
      }
    }
    const word = parsed.words[i];
    if (best !== undefined && word) spelled.set(word.exact, best);
  });
  if (spelled.size === 0) return null;
  // The query as typed, each corrected word replaced where it stands (its case folded as the analyzer folds it).
  const typed = request.q.normalize("NFC");
  // Words as the analyzer cuts them: combining marks that compose with nothing (U+0301 after a "t", U+0345) belong
  // to their word, so a typo carrying one is found and replaced whole.
  const corrected = typed.replace(/[\p{L}\p{M}\p{N}]+/gu, (token) => spelled.get(foldCase(token)) ?? token);
  return corrected === typed ? null : corrected;
}

/**
 * A page's best sections: those of its matched paragraphs (`ids`, all of the hit's page, best first), each once,
 * with the best of its paragraphs as the snippet, in that order.
 */
export function pageSections(
  index: LoadedIndex,
  hit: SearchHit,
  ids: Iterable<number>,
  matches: Matches,
  suffixes: ReadonlyMap<string, number>,
): SearchSection[] {
  const out: SearchSection[] = [];
  const seen = new Set<number>();
  const context: MatchContext = { compounds: index.compounds, suffixes };
  // Every paragraph is the hit's page's: its document is looked up once, and only the sections shown are decoded.
  const docNumber = index.documentsById.get(hit.doc.id) as number;
  const doc = index.store.documents[docNumber] as StoredDocument;
  const sections = sectionFinder(index, docNumber);
  for (const id of ids) {
    if (out.length >= index.ranking.pageSections) break;
    const n = id - doc.first;
    const at = sections.indexOf(n);
    if (seen.has(at)) continue;
    seen.add(at);
    const section = sections.section(at);
    const terms = new Set(matches.termsOf(id));
    const headingHtml = markHtml(section.heading, matchedRanges(section.heading, terms, context, analyze(section.heading)));
    const place = {
      heading: section.heading,
      headingHtml,
      level: section.level,
      anchor: section.anchor,
      url: sectionUrl(doc, section, n),
      paragraph: n,
    };
    // The hit's own paragraph: its snippet is made already.
    if (n === hit.paragraph) {
      out.push({ ...place, snippetHtml: hit.snippetHtml, highlights: hit.highlights });
      continue;
    }
    const { text, tokens } = analysedText(index, id);
    const highlights = matchedRanges(text, terms, context, tokens);
    out.push({ ...place, snippetHtml: selectSnippet(text, highlights).html, highlights });
  }
  return out;
}
