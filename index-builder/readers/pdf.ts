// Reads a PDF's text layer with pdf.js, page by page, into blocks and one section per page (anchor `page=N`).
import { getDocument, type PDFDocumentLoadingTask, type PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { cleanText, isIsoDate, type SourceSection } from "../source.js";
import { type BinaryLimits, type BinaryReader, type Extraction, formatSize, LIMIT_SETTINGS } from "./binary.js";
import { layoutDocument, type PageLines, pageLines, type TextItem } from "./pdf-layout.js";

/**
 * How the warnings name the settings that raise the limits: the lead changes the wording here (and only here).
 * Each follows "raise … to read it".
 */

/** Longest wait for any one step of pdf.js (opening the file, one page, its text): a stuck file is skipped, not waited for. */
export const STEP_TIMEOUT_MS = 30_000;

/** The problems {@link readPdf} reports, each a sentence that follows the file's name in a warning. */
export const PDF_PROBLEMS = {
  encrypted: "is encrypted (password-protected); skipped",
  notPdf: "is not a PDF (it does not start with %PDF); skipped",
  noText: "has no text layer (a scanned image?); skipped: run OCR on it first, for example with ocrmypdf",
  damaged: (message: string) => `is damaged or not a PDF (${message}); skipped`,
  unreadable: (message: string) => `cannot be read as a PDF: ${message}; skipped`,
  noPage: (message: string) => `cannot be read as a PDF: none of its pages could be read (${message}); skipped`,
  timeout: (seconds: number) => `took more than ${seconds} s to read (a damaged or hostile PDF?); skipped`,
  tooManyPages: (pages: number, limit: number) =>
    `has ${pages} pages, more than the limit of ${limit}; skipped (raise ${LIMIT_SETTINGS.maxPages} to read it)`,
  tooLarge: (bytes: number, limit: number) =>
    `is ${formatSize(bytes)}, more than the limit of ${formatSize(limit)}; skipped (raise ${LIMIT_SETTINGS.maxBytes} to read it)`,
};

/** Whether `%PDF` appears in the first 1024 bytes (readers accept junk before it, as pdf.js does). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 1024) - 4;
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46) return true;
  }
  return false;
}

/**
 * A PDF date (`D:20240315120000+01'00'`, the `D:` optional) as its ISO day `2024-03-15`, the day as written
 * (the author's local date); null without month and day, or for a day that does not exist.
 */
export function pdfDate(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const match = /^\s*(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(value);
  if (!match) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  return isIsoDate(iso) ? iso : null;
}

/** Titles that word processors and printers fill in by themselves: no title at all. */
const PLACEHOLDER_TITLE =
  /^(?:untitled|unbenannt|ohne titel|kein titel|dokument|document|präsentation|presentation|titel|title|folie|slide|neues dokument|new document)(?:[\s_-]*\d*)$/iu;

/**
 * The metadata title when it names the document: null for an empty one, a file name (`bericht_2024.pdf`,
 * `image.html`, `Entwurf_final`), a path, a program's placeholder ("untitled", "Unbenannt-1", "Dokument1") or a
 * Microsoft Office print title ("Microsoft Word - x.docx"). Cleaned ({@link cleanText}).
 */
export function meaningfulTitle(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const title = cleanText(value.replace(/[\u00AD\u200B\u200C\u2060\uFEFF]/g, ""));
  if (!/\p{L}/u.test(title)) return null;
  if (/^microsoft\s+(?:word|excel|powerpoint)\s+-\s/iu.test(title)) return null;
  if (/\.(?:pdf|docx?|odt|rtf|txt|html?|xlsx?|ods|pptx?|odp|indd|tex|ps|eps|jpe?g|png|tiff?)$/iu.test(title)) return null;
  if (/^(?:[a-z]:)?[\\/]/iu.test(title) || (/[\\/]/.test(title) && !/\s/.test(title))) return null;
  if (/_/.test(title) && !/\s/.test(title)) return null;
  if (PLACEHOLDER_TITLE.test(title)) return null;
  return title;
}

class StepTimeout extends Error {}

/** Waits for a pdf.js step, at most {@link STEP_TIMEOUT_MS}. */
async function step<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout()), STEP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return cleanText(message).slice(0, 200) || "unknown error";
}

function problemOf(error: unknown): string {
  if (error instanceof StepTimeout) return PDF_PROBLEMS.timeout(STEP_TIMEOUT_MS / 1000);
  const name = error instanceof Error ? error.name : "";
  if (name === "PasswordException") return PDF_PROBLEMS.encrypted;
  if (name === "InvalidPDFException" || name === "FormatError") return PDF_PROBLEMS.damaged(messageOf(error));
  return PDF_PROBLEMS.unreadable(messageOf(error));
}

/** One page's text items in the layout's terms, positions relative to the page's lower-left corner. */
async function readPageText(doc: PDFDocumentProxy, number: number): Promise<{ lines: PageLines; chars: number }> {
  const page = await step(doc.getPage(number));
  try {
    const [x0 = 0, y0 = 0, , y1 = 0] = page.view;
    const content = await step(page.getTextContent());
    const items: TextItem[] = [];
    let chars = 0;
    for (const item of content.items) {
      if (!("str" in item) || item.str === "") continue;
      const [, , c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
      chars += item.str.trim().length;
      items.push({
        str: item.str,
        x: x - x0,
        y: y - y0,
        width: item.width,
        fontSize: Math.hypot(c, d),
        hasEOL: item.hasEOL,
        fontName: item.fontName,
      });
    }
    return { lines: pageLines(items, y1 - y0), chars };
  } finally {
    page.cleanup();
  }
}

async function readDocument(doc: PDFDocumentProxy, limits: BinaryLimits): Promise<Extraction> {
  if (doc.numPages > limits.maxPages) return { problem: PDF_PROBLEMS.tooManyPages(doc.numPages, limits.maxPages) };
  const pages: PageLines[] = [];
  let chars = 0;
  let failures = 0;
  let firstFailure: unknown = null;
  for (let number = 1; number <= doc.numPages; number++) {
    try {
      const page = await readPageText(doc, number);
      pages.push(page.lines);
      chars += page.chars;
    } catch (error) {
      if (error instanceof StepTimeout) throw error;
      // One broken page loses that page only: its section stays, without blocks.
      failures++;
      firstFailure ??= error;
      pages.push({ lines: [], height: 0 });
    }
  }
  if (doc.numPages > 0 && failures === doc.numPages) return { problem: PDF_PROBLEMS.noPage(messageOf(firstFailure)) };
  if (chars === 0) return { problem: PDF_PROBLEMS.noText };
  const layout = layoutDocument(pages);
  const paragraphs: string[] = [];
  const sections: SourceSection[] = [];
  layout.pages.forEach((page, index) => {
    sections.push({ heading: page.heading ?? `Seite ${index + 1}`, level: 2, anchor: `page=${index + 1}`, first: paragraphs.length });
    paragraphs.push(...page.blocks);
  });
  const { info } = await step(doc.getMetadata()).catch(() => ({ info: {} }));
  const fields = (info ?? {}) as Record<string, unknown>;
  return {
    document: {
      paragraphs,
      blockKinds: paragraphs.map(() => "text" as const),
      sections,
      title: meaningfulTitle(fields.Title) ?? layout.title,
      date: pdfDate(fields.ModDate) ?? pdfDate(fields.CreationDate),
      pages: doc.numPages,
    },
  };
}

/**
 * Reads a PDF's text layer (see {@link BinaryReader}): one section per page (level 2, anchor `page=N`, heading the
 * page's first heading-like line or `Seite N`), body paragraphs as "text" blocks laid out by
 * {@link layoutDocument} (German line-end hyphenation undone, running headers, footers and page numbers dropped,
 * ligatures expanded). Title from the metadata when it is a real one ({@link meaningfulTitle}), else the first
 * page's largest heading-like line; date from `ModDate`, else `CreationDate` ({@link pdfDate}).
 *
 * Never throws: a file over `limits.maxBytes` or `limits.maxPages`, without `%PDF` in its first 1024 bytes,
 * encrypted with a password to open it, damaged, without any text, or stuck for {@link STEP_TIMEOUT_MS} in one step
 * gives a problem ({@link PDF_PROBLEMS}). A PDF with only an owner password (restrictions) is read. `bytes` is
 * copied: pdf.js takes over the buffer it is given.
 */
export const readPdf: BinaryReader = async (bytes, limits) => {
  if (bytes.length > limits.maxBytes) return { problem: PDF_PROBLEMS.tooLarge(bytes.length, limits.maxBytes) };
  if (!hasPdfHeader(bytes)) return { problem: PDF_PROBLEMS.notPdf };
  let task: PDFDocumentLoadingTask | null = null;
  try {
    task = getDocument({
      // A copy as a plain Uint8Array: pdf.js detaches what it is given and refuses a Node Buffer.
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      stopAtErrors: false,
    });
    const doc = await step(task.promise);
    return await readDocument(doc, limits);
  } catch (error) {
    // A step that timed out may pass on a quieter machine: the problem is the run's, not the file's.
    return { problem: problemOf(error), ...(error instanceof StepTimeout ? { transient: true } : {}) };
  } finally {
    // Destroying the task destroys its document too; a failure to tidy up is no reason to lose the text.
    await task?.destroy().catch(() => undefined);
  }
};
