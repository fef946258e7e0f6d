// A document's sections (headings with their anchors) as the store keeps them, and where a section links to.
import type { StoredDocument } from "../../common/artifact.js";
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

/** The sections of document number `doc`; one without headings has one lead section holding every paragraph. */
export function sectionsOf(index: LoadedIndex, doc: number): Section[] {
  const sections = sectionFinder(index, doc);
  return Array.from({ length: sections.count }, (_, i) => sections.section(i));
}

/** A document's sections, found by paragraph without decoding the others' headings and anchors. */
export interface SectionFinder {
  /** How many sections the document has (1, the lead, for a page without headings). */
  count: number;
  /** The position of the section holding the document's paragraph `n`: the last to start at or before it. */
  indexOf(n: number): number;
  /** Section `i`, decoded. */
  section(i: number): Section;
}

/**
 * The sections of document number `doc`, each decoded only when asked for: a page of a search shows a few of a
 * page's sections, and a long page has hundreds.
 */
export function sectionFinder(index: LoadedIndex, doc: number): SectionFinder {
  const outline = index.engine.sectionOutline(doc);
  const count = (index.store.documents[doc] as StoredDocument).count;
  if (outline.count === 0) {
    const lead: Section = { index: 0, heading: "", level: 0, anchor: null, first: 0, end: count };
    return { count: 1, indexOf: () => 0, section: () => lead };
  }
  return {
    count: outline.count,
    indexOf: (n) => {
      let lo = 0;
      let hi = outline.count - 1;
      // Empty sections before the one holding n start where it does: the last of them is the one.
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (outline.first(mid) <= n) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    section: (i) => {
      const [heading, level, anchor, first] = outline.section(i);
      return { index: i, heading, level, anchor, first, end: i + 1 < outline.count ? outline.first(i + 1) : count };
    },
  };
}

/**
 * Where a link to paragraph `n` in `section` goes: the page's url with the section's anchor (the page's url
 * alone for a section without one); for a document without a url, its view in this API, at the paragraph.
 */
export function sectionUrl(doc: StoredDocument, section: Section, n: number): string {
  if (doc.url !== null) {
    if (section.anchor === null) return doc.url;
    const base = doc.url.split("#")[0] as string;
    return `${base}#${fragmentOf(section.anchor)}`;
  }
  return `/documents/${encodeURIComponent(doc.id)}#p-${n}`;
}

/**
 * An anchor as a url's fragment: percent-encoded, except for the characters a fragment may hold as they are
 * (RFC 3986: sub-delimiters, ":", "@", "/" and "?"), so that a PDF page reads `#page=3`, which PDF viewers open.
 */
export function fragmentOf(anchor: string): string {
  return encodeURIComponent(anchor).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D|3A|40|2F|3F)/gi, (escaped) => decodeURIComponent(escaped));
}
