// A document's sections (headings with their anchors) as the store keeps them, and where a section links to.
import type { StoredDocument, StoredSection } from "../../common/artifact.js";
import type { LoadedIndex } from "./loaded-index.js";

/** A section of a document, its paragraphs `first … end` (counted from the document's first paragraph). */
export interface Section {
  /** Its position among the document's sections. */
  index: number;
  /** The heading's text; "" for the lead (the paragraphs before the first heading, or a page without headings). */
  heading: string;
  /** 1–6, or 0 for the lead. */
  level: number;
  anchor: string | null;
  first: number;
  end: number;
}

const LEAD: StoredSection = ["", 0, null, 0];

/** The stored sections of document number `doc`; a page without headings has one lead section. */
function storedOf(index: LoadedIndex, doc: number): readonly StoredSection[] {
  const stored = index.engine.sectionsOf(doc);
  return stored.length > 0 ? stored : [LEAD];
}

/** The sections of document number `doc`; one without headings has one lead section holding every paragraph. */
export function sectionsOf(index: LoadedIndex, doc: number): Section[] {
  const stored = storedOf(index, doc);
  const count = (index.store.documents[doc] as StoredDocument).count;
  return stored.map(([heading, level, anchor, first], i) => ({
    index: i,
    heading,
    level,
    anchor,
    first,
    end: stored[i + 1]?.[3] ?? count,
  }));
}

/** The section holding paragraph `n` (counted from the document's first) of document number `doc`. */
export function sectionAt(index: LoadedIndex, doc: number, n: number): Section {
  const stored = storedOf(index, doc);
  let lo = 0;
  let hi = stored.length - 1;
  // The last section starting at or before n (empty sections before it are passed over).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((stored[mid] as StoredSection)[3] <= n) lo = mid;
    else hi = mid - 1;
  }
  const [heading, level, anchor, first] = stored[lo] as StoredSection;
  return { index: lo, heading, level, anchor, first, end: stored[lo + 1]?.[3] ?? (index.store.documents[doc] as StoredDocument).count };
}

/**
 * Where a link to paragraph `n` in `section` goes: the page's url with the section's anchor (the page's url
 * alone for a section without one); for a document without a url, its view in this API, at the paragraph.
 */
export function sectionUrl(doc: StoredDocument, section: Section, n: number): string {
  if (doc.url !== null) {
    if (section.anchor === null) return doc.url;
    const base = doc.url.split("#")[0] as string;
    return `${base}#${encodeURIComponent(section.anchor)}`;
  }
  return `/documents/${encodeURIComponent(doc.id)}#p-${n}`;
}
