// Reads .txt pages like the Auswärtiges Amt seed: chrome lines dropped, title, "DD.MM.YYYY - Kind" line, body blocks.
import { CorpusError } from "../errors.js";
import { cleanText, flatBlocks, hasContent, isIsoDate, isoOfGermanDate, type ReadResult, type SourceFile, splitBlocks } from "../source.js";

/** Blocks that are site chrome wherever they stand (compared after trimming, case-insensitively). */
const CHROME_BLOCKS = [
  /^willkommen auf den seiten de[sr] .+$/i,
  /^nach oben$/i,
  /^seitenanfang$/i,
  /^zum seitenanfang$/i,
  /^drucken$/i,
  /^teilen$/i,
];

/** A block from which the rest of the page is its trailing link list. */
const TRAILER_BLOCKS = [/^weitere informationen$/i];

const DATE_LINE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*[-–—]\s*(.+))?$/;

/**
 * Reads a plain-text page: blocks separated by blank lines; chrome blocks such
 * as "Willkommen auf den Seiten des Auswärtigen Amts" and "nach oben" skipped,
 * and "Weitere Informationen" ends the content. The first content block is the
 * title; a following "30.10.2024 - Artikel" line gives date and kind. Every
 * other block is a body paragraph of kind "text", all in one lead section (a
 * plain-text page has no headings). A page
 * carries no url of its own: its url is the file's from its collection's
 * `baseUrl` (`source.siteUrl`), else null.
 */
export function readTxt(source: SourceFile, text: string): ReadResult {
  const blocks = [];
  for (const block of splitBlocks(text)) {
    const trimmed = block.text.trim();
    if (TRAILER_BLOCKS.some((pattern) => pattern.test(trimmed))) break;
    if (CHROME_BLOCKS.some((pattern) => pattern.test(trimmed))) continue;
    blocks.push(block);
  }
  const titleBlock = blocks.shift();
  if (!titleBlock) throw new CorpusError(source.path, "has no title: the first block after the page chrome is the title");
  const title = cleanText(titleBlock.text);

  let date: string | null = null;
  let kind: string | null = null;
  const dateMatch = blocks[0] ? DATE_LINE.exec(blocks[0].text.trim()) : null;
  if (blocks[0] && dateMatch) {
    const [, day = "", month = "", year = "", kindText] = dateMatch;
    const iso = isoOfGermanDate(day, month, year);
    if (!isIsoDate(iso))
      throw new CorpusError(source.path, `date "${blocks[0].text.trim()}" is not a valid date (DD.MM.YYYY)`, blocks[0].line);
    date = iso;
    kind = kindText ? cleanText(kindText) : null;
    blocks.shift();
  }

  const paragraphs = blocks.map((block) => cleanText(block.text)).filter(hasContent);
  if (paragraphs.length === 0) {
    return { documents: [], warnings: [], notices: [{ file: source.path, kind: "noBody", reason: "has no body text; skipped" }] };
  }
  return {
    documents: [
      {
        id: source.id,
        title,
        url: source.siteUrl ?? null,
        date,
        kind,
        collection: source.collection,
        ...flatBlocks(paragraphs),
        file: source.path,
      },
    ],
    warnings: [],
  };
}
