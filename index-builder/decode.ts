// Turns corpus bytes into text: UTF-8 by default, a byte order mark, an HTML page's declared charset or a collection's encoding.
import { CorpusError } from "./errors.js";

/**
 * The values `encoding` in collection.json may take: the encoding of the collection's .txt and .md files,
 * and of its HTML pages that declare none. Labels as the WHATWG Encoding Standard reads them, so
 * "iso-8859-1" is windows-1252 (as in every browser), which differs from it only in 0x80–0x9F, where
 * Latin-1 has control characters and windows-1252 has € „ “ – and the like.
 */
export const COLLECTION_ENCODINGS = ["windows-1252", "iso-8859-1", "iso-8859-15", "utf-8"] as const;
export type CollectionEncoding = (typeof COLLECTION_ENCODINGS)[number];

/** What a collection says about how its files are read. */
export interface EncodingSetting {
  /** The collection's `encoding`, or null when it sets none (UTF-8). */
  encoding: CollectionEncoding | null;
  /** Path of the collection's collection.json under the corpus (whether or not it exists), for messages. */
  settingsFile: string;
}

/** How many bytes at the start of an HTML page are searched for its charset (the HTML standard's prescan). */
export const PRESCAN_BYTES = 1024;

/** A charset declared by a `<meta>` element. */
export interface CharsetDeclaration {
  /** The label as written, e.g. "ISO-8859-1". */
  label: string;
  /** The encoding the label names, as the HTML standard reads it (e.g. "windows-1252"); null when no encoding has this label. */
  encoding: string | null;
  /** 1-based line of the `<meta>`. */
  line: number;
}

/** How a decoder names its encoding in messages: "UTF-8", "UTF-16LE", else the WHATWG name ("windows-1252", "shift_jis"). */
function displayName(encoding: string): string {
  return encoding.startsWith("utf-") ? encoding.toUpperCase() : encoding;
}

/** The encoding a byte order mark at the start of `bytes` names, or null. */
export function bomEncoding(bytes: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return null;
}

/**
 * The 1-based line of the first byte that `encoding` cannot decode. The shortest prefix that a streaming
 * decoder refuses ends at the byte where the error shows; a file no prefix of which is refused ends in an
 * incomplete sequence. Lines are counted in the decoded text, so this holds for UTF-16 too.
 */
function lineOfInvalidBytes(bytes: Uint8Array, encoding: string): number {
  const refuses = (length: number): boolean => {
    try {
      new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let valid = bytes.length;
  if (refuses(bytes.length)) {
    let low = 0;
    let high = bytes.length;
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (refuses(middle)) high = middle;
      else low = middle;
    }
    valid = low;
  }
  return new TextDecoder(encoding).decode(bytes.subarray(0, valid), { stream: true }).split("\n").length;
}

/**
 * Decodes `bytes` as `encoding` (a WHATWG label), dropping a byte order mark of that encoding. Bytes the
 * encoding cannot hold throw a CorpusError with the problem (worked out only then) and the line where they are.
 */
function decodeAs(file: string, bytes: Uint8Array, encoding: string, problem: string | (() => string)): string {
  const text = decodeStandard(bytes, encoding, true);
  if (text !== null) return text;
  throw new CorpusError(file, typeof problem === "string" ? problem : problem(), lineOfInvalidBytes(bytes, encoding));
}

/**
 * Decodes `bytes` as the Encoding Standard says for `encoding` (a WHATWG label), dropping a byte order mark of that
 * encoding; null when `fatal` and a byte cannot be decoded (else it becomes U+FFFD).
 */
export function decodeStandard(bytes: Uint8Array, encoding: string, fatal: boolean): string | null {
  const decoder = new TextDecoder(encoding, { fatal, ignoreBOM: false });
  try {
    if (decoder.encoding === "utf-8") return decoder.decode(bytes);
    // Decoded in one piece, windows-1252 (and with it iso-8859-1 and ascii) takes a Latin-1 shortcut in Node
    // 20.18.3 and later that reads 0x80–0x9F as control characters instead of € „ “ – (nodejs/node#60888);
    // a streamed decode goes through ICU, as the standard says.
    return decoder.decode(bytes, { stream: true }) + decoder.decode();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return null;
  }
}

/**
 * Decodes strict UTF-8 (a leading byte order mark dropped), for files that are UTF-8 by definition:
 * JSON lines, collection.json, synonyms.txt. Invalid bytes throw a CorpusError naming the line; `note`
 * replaces the advice after "is not valid UTF-8".
 */
export function decodeUtf8(file: string, bytes: Uint8Array, note = "save it as UTF-8"): string {
  return decodeAs(file, bytes, "utf-8", `is not valid UTF-8 (${note})`);
}

/**
 * Decodes a .txt or .md file: a byte order mark (UTF-8, UTF-16LE/BE) wins; else the collection's
 * `encoding`; else UTF-8, and invalid bytes throw a CorpusError naming the line and the setting.
 */
export function decodeText(file: string, bytes: Uint8Array, setting: EncodingSetting): string {
  const bom = bomEncoding(bytes);
  if (bom !== null) return decodeAs(file, bytes, bom, byteOrderMarkProblem(bom));
  if (setting.encoding !== null && setting.encoding !== "utf-8") {
    return decodeAs(file, bytes, setting.encoding, settingProblem(setting));
  }
  return decodeAs(
    file,
    bytes,
    "utf-8",
    `is not valid UTF-8; if it is Latin-1 or Windows-1252, set "encoding": "windows-1252" in ${setting.settingsFile}`,
  );
}

/**
 * Decodes an HTML page as the HTML standard determines its encoding, except that an unknown label is an
 * error rather than ignored: a byte order mark wins; else a `<meta charset>` or `<meta http-equiv=
 * "Content-Type">` within the first {@link PRESCAN_BYTES} bytes (see {@link prescanCharset}); else the
 * collection's `encoding`; else UTF-8. Throws a CorpusError naming the line for a label that names no
 * encoding and for bytes the encoding cannot hold.
 */
export function decodeHtml(file: string, bytes: Uint8Array, setting: EncodingSetting): string {
  const bom = bomEncoding(bytes);
  if (bom !== null) return decodeAs(file, bytes, bom, byteOrderMarkProblem(bom));
  const declared = prescanCharset(bytes);
  if (declared !== null) {
    if (declared.encoding === null) {
      throw new CorpusError(
        file,
        `declares charset "${declared.label}", which is not the name of an encoding (see https://encoding.spec.whatwg.org/#names-and-labels): correct its <meta>`,
        declared.line,
      );
    }
    const problem = `is not valid ${displayName(declared.encoding)}, the charset its <meta> on line ${declared.line} declares ("${declared.label}")`;
    // Exports that write a UTF-8 declaration over Latin-1 text are common enough to name the likely fix.
    const advice = declared.encoding === "utf-8" ? '; if it is Latin-1 or Windows-1252, correct it to <meta charset="windows-1252">' : "";
    return decodeAs(file, bytes, declared.encoding, problem + advice);
  }
  if (setting.encoding !== null && setting.encoding !== "utf-8") {
    return decodeAs(file, bytes, setting.encoding, `${settingProblem(setting)} (the page declares no charset)`);
  }
  return decodeAs(file, bytes, "utf-8", () => {
    // Browsers may still find a later declaration; the prescan, and so this builder, does not.
    const late = prescanCharset(bytes, bytes.length);
    return late === null
      ? `is not valid UTF-8 and declares no charset; if it is Latin-1 or Windows-1252, declare it with <meta charset="windows-1252"> in its <head>, or set "encoding": "windows-1252" in ${setting.settingsFile}`
      : `is not valid UTF-8; its <meta> on line ${late.line} declares a charset, but after the first ${PRESCAN_BYTES} bytes, where it is not read: move it to the start of <head>`;
  });
}

function byteOrderMarkProblem(bom: string): string {
  return `is not valid ${displayName(bom)}, though it starts with a ${displayName(bom)} byte order mark`;
}

function settingProblem(setting: EncodingSetting): string {
  return `is not valid ${setting.encoding}, the "encoding" that ${setting.settingsFile} sets`;
}

// The HTML standard's prescan (https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding),
// byte by byte: tag and attribute names are ASCII, so it reads any ASCII-compatible encoding alike.

const isSpace = (byte: number | undefined) => byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x20;
const isLetter = (byte: number | undefined) => byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
const lowerByte = (byte: number) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/** What an encoding label names in a `<meta>`: null for none; UTF-16 read as UTF-8 and x-user-defined as windows-1252, as the standard says. */
function encodingOfLabel(label: string): string | null {
  if (label.trim().toLowerCase() === "x-user-defined") return "windows-1252";
  try {
    const encoding = new TextDecoder(label).encoding;
    // A page whose <meta> could be read byte by byte is not UTF-16, whatever it says.
    return encoding.startsWith("utf-16") ? "utf-8" : encoding;
  } catch {
    // Unknown labels, and those of the "replacement" encoding (iso-2022-kr…), which decodes nothing.
    return null;
  }
}

/**
 * The charset label in a `<meta http-equiv="Content-Type">`'s content ("text/html; charset=iso-8859-1"),
 * or null: the HTML standard's "extract a character encoding from a meta element", returning the label.
 */
export function charsetInContent(content: string): string | null {
  const spaceAt = (i: number) => /^[\t\n\f\r ]$/.test(content[i] ?? "");
  let position = 0;
  for (;;) {
    const found = content.slice(position).search(/charset/i);
    if (found === -1) return null;
    let i = position + found + "charset".length;
    while (spaceAt(i)) i++;
    if (content[i] !== "=") {
      position = i;
      continue;
    }
    i++;
    while (spaceAt(i)) i++;
    const first = content[i];
    if (first === undefined) return null;
    if (first === '"' || first === "'") {
      const close = content.indexOf(first, i + 1);
      return close === -1 ? null : content.slice(i + 1, close);
    }
    let end = i;
    while (end < content.length && !spaceAt(end) && content[end] !== ";") end++;
    return content.slice(i, end);
  }
}

/**
 * Finds the charset an HTML page declares in its first `limit` bytes, as the HTML standard's prescan does:
 * `<meta charset="…">`, or `<meta http-equiv="Content-Type" content="…; charset=…">` (in any attribute
 * order and case), skipping comments, other tags with their attributes, and `<!…>`, `</…>`, `<?…>`. The
 * first declaration that names an encoding wins; when none does, the first with an unknown label is
 * returned (encoding null) so that the caller can name it. Blank labels are ignored, and null means no
 * declaration. Default limit: {@link PRESCAN_BYTES}.
 */
export function prescanCharset(bytes: Uint8Array, limit = PRESCAN_BYTES): CharsetDeclaration | null {
  return new Prescan(bytes, Math.min(bytes.length, limit)).run();
}

/** The HTML standard's prescan of a byte stream for its encoding, over `bytes[0 … end)`. */
class Prescan {
  private position = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly end: number,
  ) {}

  run(): CharsetDeclaration | null {
    let unknown: CharsetDeclaration | null = null;
    while (this.position < this.end) {
      if (this.startsWith("<!--")) {
        // The closing "--" may be the opening one's: "<!-->" is a whole comment.
        const close = this.indexOf("-->", this.position + 2);
        if (close === -1) break;
        this.position = close + 2;
      } else if (this.startsWith("<meta") && (isSpace(this.at(this.position + 5)) || this.at(this.position + 5) === 0x2f)) {
        const declaration = this.meta();
        if (declaration === undefined) break;
        if (declaration !== null && declaration.encoding !== null) return declaration;
        unknown ??= declaration;
      } else if (
        this.at(this.position) === 0x3c &&
        (isLetter(this.at(this.position + 1)) || (this.at(this.position + 1) === 0x2f && isLetter(this.at(this.position + 2))))
      ) {
        while (this.position < this.end && !isSpace(this.at(this.position)) && this.at(this.position) !== 0x3e) this.position++;
        while (this.attribute() !== null);
      } else if (this.startsWith("<!") || this.startsWith("</") || this.startsWith("<?")) {
        const close = this.indexOf(">", this.position + 1);
        if (close === -1) break;
        this.position = close;
      }
      this.position++;
    }
    return unknown;
  }

  /** A `<meta` tag at the position: its declaration, null for none, undefined when the bytes end inside it. */
  private meta(): CharsetDeclaration | null | undefined {
    const start = this.position;
    this.position += 5;
    const seen = new Set<string>();
    let gotPragma = false;
    let needPragma: boolean | null = null;
    let label: string | null = null;
    for (let attr = this.attribute(); attr !== null; attr = this.attribute()) {
      if (seen.has(attr.name)) continue;
      seen.add(attr.name);
      if (attr.name === "http-equiv") {
        if (attr.value.toLowerCase() === "content-type") gotPragma = true;
      } else if (attr.name === "content") {
        const found: string | null = label === null ? charsetInContent(attr.value) : null;
        if (found !== null) {
          label = found;
          needPragma = true;
        }
      } else if (attr.name === "charset") {
        label = attr.value;
        needPragma = false;
      }
    }
    if (this.position >= this.end) return undefined;
    // A content attribute counts only beside http-equiv="Content-Type"; a blank label declares nothing.
    if (label === null || label.trim() === "" || needPragma === null || (!gotPragma && needPragma)) return null;
    let line = 1;
    for (let i = 0; i < start; i++) if (this.bytes[i] === 0x0a) line++;
    return { label, encoding: encodingOfLabel(label), line };
  }

  /** The standard's "get an attribute"; null when there is none, or when the bytes end inside one. */
  private attribute(): { name: string; value: string } | null {
    while (isSpace(this.byte()) || this.byte() === 0x2f) this.position++;
    if (this.byte() === undefined || this.byte() === 0x3e) return null;
    let name = "";
    for (;;) {
      const b = this.byte();
      if (b === undefined) return null;
      if (b === 0x3d && name !== "") {
        this.position++;
        break;
      }
      if (isSpace(b)) {
        while (isSpace(this.byte())) this.position++;
        if (this.byte() === undefined) return null;
        if (this.byte() !== 0x3d) return { name, value: "" };
        this.position++;
        break;
      }
      if (b === 0x2f || b === 0x3e) return { name, value: "" };
      name += String.fromCharCode(lowerByte(b));
      this.position++;
    }
    const value = this.attributeValue();
    return value === null ? null : { name, value };
  }

  /** An attribute's value after its "="; null when the bytes end inside it. */
  private attributeValue(): string | null {
    let value = "";
    while (isSpace(this.byte())) this.position++;
    const quote = this.byte();
    if (quote === undefined) return null;
    if (quote === 0x22 || quote === 0x27) {
      this.position++;
      for (;;) {
        const b = this.byte();
        if (b === undefined) return null;
        this.position++;
        if (b === quote) return value;
        value += String.fromCharCode(b);
      }
    }
    if (quote === 0x3e) return value;
    for (;;) {
      const b = this.byte();
      if (b === undefined) return null;
      if (isSpace(b) || b === 0x3e) return value;
      value += String.fromCharCode(b);
      this.position++;
    }
  }

  private at(i: number): number | undefined {
    return i < this.end ? this.bytes[i] : undefined;
  }

  private byte(): number | undefined {
    return this.at(this.position);
  }

  /** Whether the bytes at the position are `text`, ASCII case-insensitively (`text` in lower case). */
  private startsWith(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (lowerByte(this.at(this.position + i) ?? 0) !== text.charCodeAt(i)) return false;
    return true;
  }

  private indexOf(text: string, from: number): number {
    for (let i = from; i + text.length <= this.end; i++) {
      let j = 0;
      while (j < text.length && this.at(i + j) === text.charCodeAt(j)) j++;
      if (j === text.length) return i;
    }
    return -1;
  }
}
