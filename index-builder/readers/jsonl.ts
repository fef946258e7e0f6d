// Reads .jsonl files: one document per line, validated field by field.
import { z } from "zod";
import { CorpusError } from "../errors.js";
import {
  cleanText,
  flatBlocks,
  optionalDate,
  optionalText,
  optionalUrl,
  optionalWeight,
  type ReadResult,
  requiredTitle,
  type SourceFile,
  schemaError,
} from "../source.js";

const lineSchema = z.object({
  id: z
    .string({ error: (issue) => (issue.input === undefined ? "id is missing" : "id must be a string") })
    .trim()
    .min(1, "id is empty")
    .refine(
      (id) => !/[#?\\]|^\/|\/$|\/\/|(^|\/)\.\.?(\/|$)/.test(id),
      "id must not contain #, ?, \\, empty or dot segments, or start or end with /",
    ),
  title: requiredTitle,
  paragraphs: z.array(z.string({ error: "each paragraph must be a string" }), {
    error: (issue) => (issue.input === undefined ? "paragraphs is missing" : "paragraphs must be an array of strings"),
  }),
  url: optionalUrl,
  date: optionalDate,
  kind: optionalText,
  weight: optionalWeight,
});

/**
 * Reads a JSON-lines file. Each non-blank line is one document with `id`,
 * `title` and `paragraphs` required; its id is the file's id plus "/" plus the
 * line's id. Its paragraphs are blocks of kind "text" in one lead section (a
 * line has no headings). A document with no non-blank paragraph is skipped with a warning.
 * The url is the line's `url` or null: a collection's `baseUrl` does not apply,
 * since a line has no file path of its own to serve.
 */
export function readJsonl(source: SourceFile, text: string): ReadResult {
  const result = { documents: [], warnings: [], notices: [] } as Required<ReadResult>;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new CorpusError(source.path, `is not valid JSON: ${(error as Error).message}`, line);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CorpusError(source.path, "must be a JSON object with id, title and paragraphs", line);
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) throw schemaError(source.path, parsed.error, line);
    const doc = parsed.data;
    const paragraphs = doc.paragraphs.map(cleanText).filter((p) => p !== "");
    if (paragraphs.length === 0) {
      result.notices.push({ file: source.path, line, kind: "noBody", reason: `document "${doc.id}" has no body text; skipped` });
      return;
    }
    result.documents.push({
      id: `${source.id}/${doc.id}`,
      title: doc.title,
      url: doc.url,
      date: doc.date,
      kind: doc.kind,
      collection: source.collection,
      ...flatBlocks(paragraphs),
      ...(doc.weight !== null ? { weight: doc.weight } : {}),
      file: source.path,
      line,
    });
  });
  return result;
}
