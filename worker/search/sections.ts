// A document's sections (headings with their anchors) as the store keeps them, and where a section links to.
import type { StoredDocument, StoredSection } from "../../common/artifact.js";

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

/** The document's sections; a document stored without any has one lead section holding every paragraph. */
export function sectionsOf(doc: StoredDocument): Section[] {
  const stored = doc.sections && doc.sections.length > 0 ? doc.sections : [LEAD];
  return stored.map(([heading, level, anchor, first], index) => ({
    index,
    heading,
    level,
    anchor,
    first,
    end: stored[index + 1]?.[3] ?? doc.count,
  }));
}

/** The section holding paragraph `n` of the document (counted from its first). */
export function sectionAt(doc: StoredDocument, n: number): Section {
  const sections = sectionsOf(doc);
  let lo = 0;
  let hi = sections.length - 1;
  // The last section starting at or before n (empty sections before it are passed over).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sections[mid] as Section).first <= n) lo = mid;
    else hi = mid - 1;
  }
  return sections[lo] as Section;
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
