// Zod schemas of the HTTP contract: they validate requests and generate /openapi.json, so the two cannot drift apart.
import { z } from "@hono/zod-openapi";

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 256;

function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function integer(name: string, min: number, max: number, fallback: number, description: string) {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return n;
    })
    .openapi({ param: { name, in: "query" }, type: "integer", minimum: min, maximum: max, default: fallback, description });
}

function oneOf<const T extends string>(name: string, values: readonly T[], fallback: T | undefined, description: string) {
  const message = `${name} must be one of ${values.join(", ")}`;
  return z
    .string()
    .optional()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value === "") return fallback;
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return value as T;
    })
    .openapi({ param: { name, in: "query" }, type: "string", enum: [...values], ...(fallback ? { default: fallback } : {}), description });
}

function boolean(name: string, fallback: boolean, description: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      if (value === "true" || value === "1") return true;
      if (value === "false" || value === "0") return false;
      ctx.addIssue({ code: "custom", message: `${name} must be true, false, 1 or 0` });
      return z.NEVER;
    })
    .openapi({ param: { name, in: "query" }, type: "boolean", default: fallback, description });
}

function date(name: string, description: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return undefined;
      if (!isIsoDate(value)) {
        ctx.addIssue({ code: "custom", message: `${name} must be a date in the form YYYY-MM-DD` });
        return z.NEVER;
      }
      return value;
    })
    .openapi({ param: { name, in: "query" }, type: "string", format: "date", description });
}

function text(name: string, maxLength: number, description: string) {
  return z
    .string()
    .max(maxLength, `${name} must be at most ${maxLength} characters`)
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .openapi({ param: { name, in: "query" }, type: "string", maxLength, description });
}

const query = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const q = value ?? "";
    if ([...q].length > MAX_QUERY_LENGTH) {
      ctx.addIssue({ code: "custom", message: `q must be at most ${MAX_QUERY_LENGTH} characters` });
      return z.NEVER;
    }
    return q;
  })
  .openapi({
    param: { name: "q", in: "query" },
    type: "string",
    maxLength: MAX_QUERY_LENGTH,
    example: "kasachstan handel",
    description:
      'The query: words, "quoted phrases" (these words in this order) and -word (exclude paragraphs containing it). The first 12 words that are not stop words are searched; the rest are listed in `ignored`. Longer than 256 characters: 400 query_too_long.',
  });

export const SearchQuery = z.object({
  q: query,
  limit: integer("limit", 1, 50, 10, "Hits per page."),
  offset: integer("offset", 0, 1000, 0, "Hits to skip, for paging through one stable ranking."),
  collection: text("collection", 200, "Only hits from this collection (an unknown one matches nothing)."),
  doc: text("doc", 500, "Only hits from this document id (an unknown one matches nothing)."),
  from: date("from", "Only documents dated on or after this day; undated documents are outside any date range."),
  to: date("to", "Only documents dated on or before this day."),
  group: oneOf("group", ["document"], undefined, "`document`: the best paragraph per document; `total` then counts documents."),
  sort: oneOf("sort", ["relevance", "date"], "relevance", "`relevance`, or `date` (newest first)."),
  fuzzy: oneOf(
    "fuzzy",
    ["auto", "0", "1", "2"],
    "auto",
    "Most edits per word for typo tolerance; `auto`: none up to 3 letters, 1 up to 7, 2 from 8. Typo matches are only sought when exact, stem and completion matches do not fill the page.",
  ),
  prefix: boolean("prefix", true, "Whether the last word completes as you type."),
});

export const SuggestQuery = z.object({
  q: query,
  limit: integer("limit", 1, 10, 5, "Suggestions to return."),
});

const Range = z.tuple([z.number().int(), z.number().int()]);

const DocumentMeta = z
  .object({
    id: z.string().openapi({ example: "auswaertiges-amt/deutschland-kasachstan" }),
    title: z.string().openapi({ description: "Plain text." }),
    url: z.string().nullable(),
    date: z.string().nullable().openapi({ format: "date" }),
    kind: z.string().nullable(),
    collection: z.string(),
  })
  .openapi("DocumentMeta");

export const SearchHitSchema = z
  .object({
    id: z
      .string()
      .openapi({ example: "auswaertiges-amt/deutschland-kasachstan#1", description: "Paragraph id: document id, #, paragraph number." }),
    paragraph: z.number().int().openapi({ description: "Paragraph number in the document, from 0." }),
    score: z.number(),
    doc: DocumentMeta,
    collection: z
      .object({ title: z.string(), attribution: z.string().nullable(), license: z.string().nullable(), url: z.string().nullable() })
      .openapi({ description: "The hit's collection, for attribution." }),
    titleHtml: z.string().openapi({ description: "The document title, HTML-escaped, with <mark> around matched words." }),
    snippetHtml: z
      .string()
      .openapi({ description: "About 160–200 characters around the densest cluster of matches, HTML-escaped, with <mark>." }),
    highlights: z
      .array(Range)
      .openapi({ description: "[start, end) offsets (UTF-16 code units) of matched words in the stored paragraph." }),
  })
  .openapi("SearchHit");

export const SearchResponseSchema = z
  .object({
    query: z.string(),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    partial: z.boolean().openapi({ description: "Whether the page holds hits that contain only some of the words." }),
    ignored: z.array(z.string()),
    hits: z.array(SearchHitSchema),
  })
  .openapi("SearchResponse");

export const SuggestResponseSchema = z
  .object({
    query: z.string(),
    suggestions: z.array(z.object({ text: z.string(), html: z.string(), query: z.string() })),
  })
  .openapi("SuggestResponse");

export const DocumentSchema = DocumentMeta.extend({ paragraphs: z.array(z.string()) }).openapi("Document");

export const CollectionsSchema = z
  .object({
    collections: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        documents: z.number().int(),
        paragraphs: z.number().int(),
        attribution: z.string().nullable(),
        license: z.string().nullable(),
        url: z.string().nullable(),
      }),
    ),
  })
  .openapi("Collections");

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    reason: z.string().optional(),
    index: z
      .object({
        version: z.string(),
        formatVersion: z.number().int(),
        analyzer: z.object({ id: z.string(), version: z.number().int() }),
        documents: z.number().int(),
        paragraphs: z.number().int(),
        builtAt: z.string().nullable(),
      })
      .optional(),
  })
  .openapi("Health");

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        "invalid_parameter",
        "query_too_long",
        "not_found",
        "method_not_allowed",
        "rate_limited",
        "index_unavailable",
        "internal",
      ]),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .openapi("Error");
