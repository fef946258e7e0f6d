// Reads .docx (through mammoth's HTML) and .odt (content.xml turned into simple HTML) documents as blocks and
// sections, with a title and date from their metadata; unpacks only the parts it needs, within a budget.
import { Inflate, type Zippable, zipSync } from "fflate";
import { Parser } from "htmlparser2";
import mammoth from "mammoth";
import { cleanText, isIsoDate } from "../source.js";
import { type BinaryLimits, type BinaryReader, type ExtractedDocument, type Extraction, formatSize, LIMIT_SETTINGS } from "./binary.js";
import { htmlDocumentBlocks, type PageBlocks } from "./html.js";

/** Most open XML elements at once: no real document comes near it (a table in a table in a list is about 20). */
const MAX_XML_DEPTH = 1000;

/** Most entries of a zip archive: a .docx or .odt has tens of parts, a few hundred with many images. */
const MAX_ZIP_ENTRIES = 10_000;

/** Most HTML elements open at once in the HTML made of an .odt: deeper lists and tables are read as plain text. */
const MAX_HTML_NESTING = 64;

/** Most spaces one `text:s` gives (they collapse into one anyway). */
const MAX_SPACES = 100;

/** How much compressed data is inflated at a time, so that a lying entry is caught after a bounded amount of work. */
const INFLATE_CHUNK = 16 * 1024;

const ODT_MIMETYPES = new Set(["application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template"]);

/**
 * Word's heading styles under their German names (Word itself stores the English ones, "heading 1", which mammoth
 * maps already; other programs and templates write "Überschrift 1") and the document title style as `<h1>`.
 */
const DOCX_STYLE_MAP = [
  ...[1, 2, 3, 4, 5, 6].map((level) => `p[style-name='Überschrift ${level}'] => h${level}:fresh`),
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Titel'] => h1:fresh",
];

/** Why a file is skipped: the sentence after the file's name in the build's warning. */
class Skip extends Error {}

/** A zip archive's entry as its central directory describes it. */
interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts. */
  offset: number;
}

/** What may still be unpacked from one archive, in bytes. */
interface Budget {
  left: number;
  total: number;
}

/** A name or message from the file for a warning: cleaned, at most 100 characters, in quotes. */
function shown(value: string): string {
  const text = cleanText(value);
  return `"${text.length > 100 ? `${text.slice(0, 100)}…` : text}"`;
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
];

/** The checks before unpacking: size first, then an OLE file (encrypted .docx, .doc), then anything that is no zip. */
function checkContainer(bytes: Uint8Array, limits: BinaryLimits, format: ".docx" | ".odt"): void {
  if (bytes.length > limits.maxBytes) {
    // Worded as the PDF reader words it, naming the setting that raises the limit.
    throw new Skip(
      `is ${formatSize(bytes.length)}, more than the limit of ${formatSize(limits.maxBytes)}; skipped (raise ${LIMIT_SETTINGS.maxBytes} to read it)`,
    );
  }
  if (startsWith(bytes, OLE_SIGNATURE)) {
    throw new Skip(
      format === ".docx"
        ? "is encrypted or an old binary Word file (.doc); skipped"
        : "is an old binary office file or an encrypted one (OLE), not an .odt; skipped",
    );
  }
  if (!ZIP_SIGNATURES.some((signature) => startsWith(bytes, signature))) {
    throw new Skip(`is not a valid ${format} (not a zip archive); skipped`);
  }
}

/** The unpacking budget of one archive: 20 times the largest file, at most 200 MiB. */
function budgetOf(limits: BinaryLimits): Budget {
  const total = Math.min(20 * limits.maxBytes, 200 * 1024 * 1024);
  return { left: total, total };
}

/**
 * The entries of a zip archive from its central directory (Zip64 included), by name; the first of a name wins.
 * Throws Skip for a damaged or truncated archive.
 */
function zipDirectory(bytes: Uint8Array, format: string): Map<string, ZipEntry> {
  const damaged = () => new Skip(`is not a valid ${format} (a damaged or truncated zip archive); skipped`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : Number.NaN);
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : Number.NaN);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw damaged();
  let count = u16(end + 10);
  let at = u32(end + 16);
  if ((count === 0xffff || at === 0xffffffff) && u32(end - 20) === 0x07064b50) {
    const zip64End = u64(end - 12);
    if (u32(zip64End) !== 0x06064b50) throw damaged();
    count = u64(zip64End + 32);
    at = u64(zip64End + 48);
  }
  if (count > MAX_ZIP_ENTRIES) throw new Skip(`is not a valid ${format} (more than ${MAX_ZIP_ENTRIES} zip entries); skipped`);
  const entries = new Map<string, ZipEntry>();
  const utf8 = new TextDecoder("utf-8");
  const latin1 = new TextDecoder("latin1");
  for (let i = 0; i < count; i++) {
    if (u32(at) !== 0x02014b50) throw damaged();
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > bytes.length) throw damaged();
    const name = ((flags & 0x800) !== 0 ? utf8 : latin1).decode(bytes.subarray(nameStart, nameStart + nameLength));
    let size = u32(at + 24);
    let compressedSize = u32(at + 20);
    let offset = u32(at + 42);
    // Zip64: the sizes and offset that do not fit 32 bits follow in the extra field 0x0001, in this order.
    const extraEnd = nameStart + nameLength + extraLength;
    for (let field = nameStart + nameLength; field + 4 <= extraEnd; field += 4 + u16(field + 2)) {
      if (u16(field) !== 0x0001) continue;
      let value = field + 4;
      if (size === 0xffffffff) {
        size = u64(value);
        value += 8;
      }
      if (compressedSize === 0xffffffff) {
        compressedSize = u64(value);
        value += 8;
      }
      if (offset === 0xffffffff) offset = u64(value);
    }
    if (![size, compressedSize, offset, flags].every(Number.isFinite)) throw damaged();
    if (!entries.has(name)) entries.set(name, { name, flags, method: u16(at + 10), compressedSize, size, offset });
    at = extraEnd + commentLength;
  }
  return entries;
}

/**
 * An entry's bytes, inflated in chunks so that one unpacking to more than its directory says is caught early; its
 * declared size is taken from the budget before anything is inflated. Throws Skip for an encrypted, damaged,
 * unsupported or over-budget entry.
 */
function unpack(bytes: Uint8Array, entry: ZipEntry, budget: Budget, format: string): Uint8Array {
  const invalid = (why: string) => new Skip(`is not a valid ${format} (${shown(entry.name)} ${why}); skipped`);
  if ((entry.flags & 0x1) !== 0) throw new Skip("is encrypted (password-protected); skipped");
  if (entry.size > budget.left) throw new Skip(`would unpack to more than ${formatSize(budget.total)} (a zip bomb?); skipped`);
  budget.left -= entry.size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== 0x04034b50) throw invalid("is damaged");
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw invalid("is truncated");
  const data = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw invalid("is damaged");
    return data;
  }
  if (entry.method !== 8) throw invalid(`uses zip compression method ${entry.method}, which is not supported`);
  const out = new Uint8Array(entry.size);
  let length = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    if (length + chunk.length > out.length) over = true;
    else out.set(chunk, length);
    length += chunk.length;
  });
  try {
    for (let at = 0; at < data.length && !over; at += INFLATE_CHUNK) {
      inflater.push(data.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= data.length);
    }
    if (data.length === 0) inflater.push(data, true);
  } catch {
    throw invalid("is damaged");
  }
  if (over) throw invalid("unpacks to more than its zip directory says");
  if (length !== entry.size) throw invalid("is damaged");
  return out;
}

/** XML text from its bytes: UTF-8, or UTF-16 after a byte order mark. */
function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes);
}

interface XmlHandlers {
  open?: (name: string, attributes: Record<string, string>) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}

const TOO_DEEP = `is nested too deeply to read (more than ${MAX_XML_DEPTH} levels of XML elements); skipped`;

/**
 * Streams XML through htmlparser2 (no tree, no recursion). Throws Skip past {@link MAX_XML_DEPTH} open elements:
 * beyond that the parser's own stack would make the work grow with the square of the depth.
 */
function walkXml(xml: string, handlers: XmlHandlers): void {
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (++depth > MAX_XML_DEPTH) throw new Skip(TOO_DEEP);
        handlers.open?.(name, attributes);
      },
      ontext(text) {
        handlers.text?.(text);
      },
      onclosetag(name) {
        depth--;
        handlers.close?.(name);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
}

/** The part of a name after its namespace prefix: `dc:title` → `title`. */
function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/** The text of the first element of each wanted local name (`title`, `modified`…), cleaned; "" for a missing one. */
function metadataTexts(xml: string, wanted: string[]): Map<string, string> {
  const found = new Map<string, string>();
  let current: { name: string; depth: number; text: string } | null = null;
  let depth = 0;
  walkXml(xml, {
    open(name) {
      depth++;
      const local = localName(name);
      if (current === null && wanted.includes(local) && !found.has(local)) current = { name: local, depth, text: "" };
    },
    text(text) {
      if (current !== null && current.text.length < 10_000) current.text += text;
    },
    close() {
      if (current !== null && current.depth === depth) {
        found.set(current.name, cleanText(current.text));
        current = null;
      }
      depth--;
    },
  });
  return found;
}

/** An ISO day from a metadata timestamp (`2025-03-03T14:05:00Z`), or null when it is none. */
function isoDay(value: string | undefined): string | null {
  const day = value?.slice(0, 10) ?? "";
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && isIsoDate(day) ? day : null;
}

/** The title from the metadata, else the first heading's text, else null. */
function titleOf(metadataTitle: string | undefined, blocks: PageBlocks): string | null {
  if (metadataTitle) return metadataTitle;
  return blocks.sections.find((section) => section.level > 0)?.heading || null;
}

/** The extraction of a converted document; anchors are null, since no link can open a section of a .docx or .odt. */
function extracted(blocks: PageBlocks, title: string | null, date: string | null): Extraction {
  const document: ExtractedDocument = {
    paragraphs: blocks.paragraphs,
    blockKinds: blocks.blockKinds,
    sections: blocks.sections.map((section) => ({ ...section, anchor: null })),
    ...(blocks.cells !== undefined ? { cells: blocks.cells } : {}),
    title,
    date,
    pages: 0,
  };
  return { document };
}

/** A failure as a problem: Skip's own sentence, a stack overflow as too deep, anything else as an invalid file. */
function problemOf(error: unknown, format: string): { problem: string } {
  if (error instanceof Skip) return { problem: error.message };
  if (error instanceof RangeError && /call stack/i.test(error.message)) return { problem: TOO_DEEP };
  const message = error instanceof Error ? error.message : String(error);
  return { problem: `is not a valid ${format} (${shown(message)}); skipped` };
}

/** The target of the package relationship of the given type (`…/officeDocument`) in `_rels/.rels`, without a leading "/". */
function packageTarget(rels: string, type: string): string | null {
  let target: string | null = null;
  walkXml(rels, {
    open(name, attributes) {
      if (target === null && localName(name) === "Relationship" && attributes.Type?.endsWith(type) && attributes.Target) {
        target = attributes.Target.replace(/^\//, "");
      }
    },
  });
  return target;
}

/** mammoth's note references (`<sup><a …>[1]</a></sup>`) and back links (`↑`); its notes' list becomes one block per note. */
function notesAsBlocks(html: string): string {
  const withoutReferences = html.replace(/<sup><a href="#(?:foot|end)note-[^"]*" id="(?:foot|end)note-ref-[^"]*">\[\d+\]<\/a><\/sup>/g, "");
  const start = withoutReferences.search(/<ol><li id="(?:foot|end)note-/);
  if (start < 0 || !withoutReferences.endsWith("</ol>")) return withoutReferences;
  const notes = withoutReferences
    .slice(start + "<ol>".length, -"</ol>".length)
    .replace(/<li id="(?:foot|end)note-[^"]*">/g, "<div>")
    .replace(/ ?<a href="#(?:foot|end)note-ref-[^"]*">↑<\/a><\/p><\/li>/g, "</p></div>");
  return `${withoutReferences.slice(0, start)}<div>${notes}</div>`;
}

/** Whether a .docx part is one mammoth or the metadata may read: XML and relationships, never media. */
function isDocxXmlPart(name: string): boolean {
  return /\.(?:xml|rels)$/i.test(name) && !name.endsWith("/");
}

async function extractDocx(bytes: Uint8Array, limits: BinaryLimits): Promise<Extraction> {
  checkContainer(bytes, limits, ".docx");
  const entries = zipDirectory(bytes, ".docx");
  const budget = budgetOf(limits);
  const parts = new Map<string, Uint8Array>();
  const rels = entries.get("_rels/.rels");
  const relsBytes = rels ? unpack(bytes, rels, budget, ".docx") : new Uint8Array(0);
  const relsXml = decodeXml(relsBytes);
  // As mammoth finds it: the package's officeDocument relationship, else the usual path.
  const mainPaths = [packageTarget(relsXml, "/officeDocument"), "word/document.xml"];
  if (!mainPaths.some((path) => path !== null && entries.has(path))) throw new Skip("is not a valid .docx (no word/document.xml); skipped");
  for (const entry of entries.values()) {
    if (entry.name !== "_rels/.rels" && isDocxXmlPart(entry.name)) parts.set(entry.name, unpack(bytes, entry, budget, ".docx"));
  }
  // mammoth's own unzipping trusts the archive and its XML parser recurses, so it gets only checked parts, stored.
  // Keyed by the archive's own entry names: no prototype for "__proto__" to reach.
  const files: Zippable = Object.create(null);
  if (rels) files["_rels/.rels"] = [relsBytes, { level: 0 }];
  for (const [name, data] of parts) {
    walkXml(decodeXml(data), {});
    files[name] = [data, { level: 0 }];
  }
  const zip = zipSync(files);
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength) },
    {
      styleMap: DOCX_STYLE_MAP,
      includeEmbeddedStyleMap: false,
      // Images are never read: their bytes would only become data: URLs that no block keeps.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })),
    },
  );
  const blocks = htmlDocumentBlocks(notesAsBlocks(result.value));
  const corePath = packageTarget(relsXml, "/metadata/core-properties") ?? "docProps/core.xml";
  const core = parts.get(corePath);
  const metadata = core ? metadataTexts(decodeXml(core), ["title", "modified", "created"]) : new Map<string, string>();
  const date = isoDay(metadata.get("modified")) ?? isoDay(metadata.get("created"));
  return extracted(blocks, titleOf(metadata.get("title"), blocks), date);
}

/**
 * Reads a .docx (Office Open XML) document: its body converted by mammoth to HTML and read as
 * {@link htmlDocumentBlocks} reads a converted document. Word's heading styles (Heading 1–6 under their English
 * names, as Word stores them, or under German ones, "Überschrift 1–6") start sections, and so does the "Title"/"Titel"
 * style (level 1); tables give "row" blocks labelled by a header row (Word's "repeat as header row"), short list
 * items a "list" run. Footnotes and endnotes are blocks of their own after the body, their reference marks
 * dropped; comments, images and page headers and footers are not read. Section anchors are null.
 *
 * Title: `dc:title` of docProps/core.xml, else the first heading, else null. Date: `dcterms:modified`, else
 * `dcterms:created`, as `YYYY-MM-DD` (null when it is none). `pages` is 0.
 *
 * Only the XML parts are unpacked, each checked against its declared size, all together against a budget of
 * 20 × `limits.maxBytes`, at most 200 MiB. Never throws: a file that cannot be read gives a problem — larger
 * than `limits.maxBytes`, an OLE file (a password-protected .docx or an old .doc), no zip, a damaged zip,
 * no main document part, an encrypted or over-budget part, XML nested more than 1000 levels deep.
 */
export const readDocx: BinaryReader = async (bytes, limits) => {
  try {
    return await extractDocx(bytes, limits);
  } catch (error) {
    return problemOf(error, ".docx");
  }
};

/** Where the HTML of one part of an .odt goes: the body, or one note. */
interface HtmlTarget {
  parts: string[];
  /** HTML elements open in it. */
  depth: number;
}

/** An open element of content.xml and what closes it in the HTML. */
interface OdtFrame {
  /** What closes it in the HTML: "" for an element that opened none, " " in a stretch read as plain text. */
  close: string;
  target: HtmlTarget;
  /** Whether it opened an HTML element (and so counts in its target's depth). */
  opened: boolean;
  /** Whether it started a stretch read as plain text (nesting too deep for more HTML). */
  flattens: boolean;
  /** What else to undo when it closes. */
  kind: "office-text" | "note-body" | "table" | "header-rows" | null;
}

/**
 * ODF elements whose text is not the document's: comments, tracked deletions, note numbers, list and heading
 * numbers (as mammoth leaves out Word's), declarations, indexes (a table of contents repeats the headings),
 * image titles, forms and formulas.
 */
const ODT_SKIPPED = new Set([
  "office:annotation",
  "office:annotation-end",
  "office:forms",
  "office:event-listeners",
  "text:tracked-changes",
  "text:note-citation",
  "text:number",
  "text:sequence-decls",
  "text:variable-decls",
  "text:user-field-decls",
  "text:dde-connection-decls",
  "text:table-of-content",
  "text:illustration-index",
  "text:table-index",
  "text:object-index",
  "text:user-index",
  "text:alphabetical-index",
  "text:bibliography",
  "table:table-columns",
  "table:table-column",
  "table:table-column-group",
  "table:table-header-columns",
  "table:covered-table-cell",
  "svg:title",
  "svg:desc",
  "draw:image",
  "math:math",
]);

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A whole number from an attribute, within [min, max]; `fallback` when absent or no number. */
function count(value: string | undefined, fallback: number, min: number, max: number): number {
  const parsed = Number.parseInt(value ?? "", 10);
  return Number.isFinite(parsed) ? Math.min(max, Math.max(min, parsed)) : fallback;
}

/**
 * The HTML of an .odt's content.xml, in a form {@link htmlDocumentBlocks} reads: `text:h` → `<hN>` (its outline
 * level, 1 by default, 6 at most), `text:p` → `<div>` (a frame's text box inside a paragraph is a block of its own,
 * which a `<p>` could not hold), lists → `<ul>`/`<li>`, tables → `<table>` with header rows as `<thead>`/`<th>`,
 * `text:s` → spaces, a tab → a space, `text:line-break` → `<br>`. Notes (footnotes and endnotes) are taken out of
 * the text, as their citation mark is, and follow the body, one block each, as mammoth places a .docx's.
 */
function odtHtml(xml: string): string {
  const body: HtmlTarget = { parts: [], depth: 0 };
  const notes: string[] = [];
  const targets: HtmlTarget[] = [body];
  const frames: OdtFrame[] = [];
  const headerRows: boolean[] = [];
  let inText = 0;
  let skipped = 0;
  let flat = 0;
  const target = (): HtmlTarget => targets.at(-1) ?? body;

  /** Opens an HTML element (or, nested too deep, a space) and returns its frame. */
  const element = (open: string, close: string, kind: OdtFrame["kind"] = null): OdtFrame => {
    const to = target();
    if (flat > 0 || to.depth >= MAX_HTML_NESTING) {
      to.parts.push(" ");
      const flattens = flat === 0;
      if (flattens) flat++;
      return { close: " ", target: to, opened: false, flattens, kind };
    }
    to.parts.push(open);
    to.depth++;
    return { close, target: to, opened: true, flattens: false, kind };
  };
  const inline = (kind: OdtFrame["kind"] = null): OdtFrame => ({ close: "", target: target(), opened: false, flattens: false, kind });

  walkXml(xml, {
    open(name, attributes) {
      if (skipped > 0 || ODT_SKIPPED.has(name)) {
        skipped++;
        frames.push(inline());
        return;
      }
      const to = target();
      switch (name) {
        case "office:text":
          inText++;
          frames.push(inline("office-text"));
          return;
        case "text:h": {
          const level = count(attributes["text:outline-level"], 1, 1, 6);
          frames.push(element(`<h${level}>`, `</h${level}>`));
          return;
        }
        case "text:p":
        case "draw:text-box":
          frames.push(element("<div>", "</div>"));
          return;
        case "text:list":
          frames.push(element("<ul>", "</ul>"));
          return;
        case "text:list-item":
        case "text:list-header":
          frames.push(element("<li>", "</li>"));
          return;
        case "table:table":
          headerRows.push(false);
          frames.push(element("<table>", "</table>", "table"));
          return;
        case "table:table-header-rows":
          headerRows[headerRows.length - 1] = true;
          frames.push(element("<thead>", "</thead>", "header-rows"));
          return;
        case "table:table-row":
          frames.push(element("<tr>", "</tr>"));
          return;
        case "table:table-cell": {
          const tag = headerRows.at(-1) ? "th" : "td";
          // A cell repeated is read once, spanning the columns it fills.
          const span =
            count(attributes["table:number-columns-spanned"], 1, 1, 1000) * count(attributes["table:number-columns-repeated"], 1, 1, 1000);
          frames.push(element(span > 1 ? `<${tag} colspan="${Math.min(span, 1000)}">` : `<${tag}>`, `</${tag}>`));
          return;
        }
        case "text:note-body":
          targets.push({ parts: [], depth: 0 });
          frames.push(inline("note-body"));
          return;
        case "text:s":
          if (inText > 0) to.parts.push(" ".repeat(count(attributes["text:c"], 1, 1, MAX_SPACES)));
          frames.push(inline());
          return;
        case "text:tab":
          if (inText > 0) to.parts.push(" ");
          frames.push(inline());
          return;
        case "text:line-break":
          if (inText > 0) to.parts.push(flat > 0 ? " " : "<br>");
          frames.push(inline());
          return;
        default:
          // Spans, links, bookmarks, sections, frames, fields: their text is read where it stands.
          frames.push(inline());
      }
    },
    text(text) {
      if (skipped === 0 && inText > 0) target().parts.push(escapeHtml(text));
    },
    close() {
      const frame = frames.pop();
      if (frame === undefined) return;
      if (skipped > 0) {
        skipped--;
        return;
      }
      frame.target.parts.push(frame.close);
      if (frame.opened) frame.target.depth--;
      if (frame.flattens) flat--;
      if (frame.kind === "office-text") inText--;
      else if (frame.kind === "table") headerRows.pop();
      else if (frame.kind === "header-rows") headerRows[headerRows.length - 1] = false;
      else if (frame.kind === "note-body") {
        const note = targets.pop();
        if (note !== undefined) notes.push(`<div>${note.parts.join("")}</div>`);
      }
    },
  });
  return `${body.parts.join("")}${notes.join("")}`;
}

/** Whether META-INF/manifest.xml says a part is encrypted (a document saved with a password). */
function manifestEncrypts(xml: string): boolean {
  let encrypted = false;
  walkXml(xml, {
    open(name) {
      if (localName(name) === "encryption-data") encrypted = true;
    },
  });
  return encrypted;
}

async function extractOdt(bytes: Uint8Array, limits: BinaryLimits): Promise<Extraction> {
  checkContainer(bytes, limits, ".odt");
  const entries = zipDirectory(bytes, ".odt");
  const budget = budgetOf(limits);
  const part = (name: string): string | null => {
    const entry = entries.get(name);
    return entry ? decodeXml(unpack(bytes, entry, budget, ".odt")) : null;
  };
  const mimetypeEntry = entries.get("mimetype");
  if (mimetypeEntry) {
    const mimetype = mimetypeEntry.size <= 200 ? (part("mimetype")?.trim() ?? "") : "";
    if (!ODT_MIMETYPES.has(mimetype)) {
      throw new Skip(`is not a valid .odt (its mimetype is ${shown(mimetype)}, not a text document); skipped`);
    }
  }
  const manifest = part("META-INF/manifest.xml");
  if (manifest !== null && manifestEncrypts(manifest)) throw new Skip("is encrypted (password-protected); skipped");
  const content = part("content.xml");
  if (content === null) throw new Skip("is not a valid .odt (no content.xml); skipped");
  const blocks = htmlDocumentBlocks(odtHtml(content));
  const meta = part("meta.xml");
  const metadata = meta === null ? new Map<string, string>() : metadataTexts(meta, ["title", "date", "creation-date"]);
  const date = isoDay(metadata.get("date")) ?? isoDay(metadata.get("creation-date"));
  return extracted(blocks, titleOf(metadata.get("title"), blocks), date);
}

/**
 * Reads an .odt (OpenDocument text) document: content.xml turned into simple HTML (see {@link odtHtml}) and read as
 * {@link htmlDocumentBlocks} reads a converted document: `text:h` headings start sections at their outline level,
 * paragraphs and text boxes are "text" blocks, table rows "row" blocks labelled by the table's header rows, short
 * list items "list" runs. Footnotes and endnotes are blocks of their own after the body (as a .docx's are);
 * comments, tracked deletions, indexes (a table of contents) and page headers and footers (in styles.xml) are not
 * read. Section anchors are null.
 *
 * Title: `dc:title` of meta.xml, else the first heading, else null. Date: `dc:date` (last saved), else
 * `meta:creation-date`, as `YYYY-MM-DD`. `pages` is 0.
 *
 * Never throws: a file that cannot be read gives a problem — larger than `limits.maxBytes`, an OLE file, no zip,
 * a damaged zip, a `mimetype` other than an OpenDocument text (an .ods renamed), a manifest with
 * `manifest:encryption-data` (saved with a password), no content.xml, a part over the budget (20 ×
 * `limits.maxBytes`, at most 200 MiB) or larger than it says, XML nested more than 1000 levels deep.
 */
export const readOdt: BinaryReader = async (bytes, limits) => {
  try {
    return await extractOdt(bytes, limits);
  } catch (error) {
    return problemOf(error, ".odt");
  }
};
