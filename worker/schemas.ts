// Zod schemas of the HTTP contract: they validate requests and generate /openapi.json, so the two cannot drift apart.
import { z } from "@hono/zod-openapi";
import { ERROR_STATUS, type ErrorCode } from "./errors.js";
import { LIMITS } from "./limits.js";
import { FACET_NAMES, FACET_VALUES, type FacetName } from "./search/facets.js";

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = LIMITS.queryLength;

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

/** `facets`: a comma-separated list of facet names, each at most once. */
const facetList = z
  .string()
  .optional()
  .transform((value, ctx): FacetName[] | undefined => {
    if (value === undefined || value === "") return undefined;
    const names = value.split(",").map((name) => name.trim());
    const unknown = names.find((name) => !(FACET_NAMES as readonly string[]).includes(name));
    if (unknown !== undefined || new Set(names).size !== names.length) {
      ctx.addIssue({ code: "custom", message: `facets must list some of ${FACET_NAMES.join(", ")}, separated by commas, each once` });
      return z.NEVER;
    }
    // Always in one order, so that one set of facets is one cache entry however it was written.
    return FACET_NAMES.filter((name) => names.includes(name));
  })
  .openapi({
    param: { name: "facets", in: "query" },
    type: "string",
    example: "collection,kind,year",
    description: `Facets to count, comma-separated: \`collection\`, \`kind\`, \`year\` (of the document's date). The answer's \`facets\` then gives each facet's values with how many matches hold them, over every match, not just this page (documents with group=document, as \`total\`). A facet counts with every filter applied but its own (kind's counts ignore \`kind\`, year's ignore \`from\`/\`to\`), so the other values stay visible to switch to. At most ${FACET_VALUES} values per facet: the most frequent, or the newest years.`,
  });

/** The soft hyphen, zero-width space and non-joiner, word joiner and byte order mark (as index-builder/source.ts removes them). */
const INVISIBLE_IN_WORDS = /[\u00AD\u200B\u200C\u2060\uFEFF]/g;

const query = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const q = value ?? "";
    if ([...q].length > MAX_QUERY_LENGTH) {
      ctx.addIssue({ code: "custom", message: `q must be at most ${MAX_QUERY_LENGTH} characters` });
      return z.NEVER;
    }
    // Invisible characters inside words (a soft hyphen copied from a page: "Personal\u00ADausweis") would split a
    // word in two; the builder removes them from every text, so the query loses them too.
    return q.replace(INVISIBLE_IN_WORDS, "");
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
  limit: integer("limit", LIMITS.limit.min, LIMITS.limit.max, LIMITS.limit.default, "Hits per page."),
  offset: integer("offset", 0, LIMITS.offset.max, 0, "Hits to skip, for paging through one stable ranking."),
  collection: text("collection", LIMITS.collection, "Only hits from this collection (an unknown one matches nothing)."),
  doc: text("doc", LIMITS.doc, "Only hits from this document id (an unknown one matches nothing)."),
  kind: text("kind", LIMITS.kind, 'Only hits from documents of this kind ("Artikel"; an unknown one matches nothing).'),
  from: date("from", "Only documents dated on or after this day; undated documents are outside any date range."),
  to: date("to", "Only documents dated on or before this day."),
  group: oneOf(
    "group",
    ["document"],
    undefined,
    "`document`: pages ranked as pages, each once: a page covers the words found anywhere on it (title, headings, paragraphs), and scores by its best paragraphs together; each hit is the page's best paragraph with its best `sections`. `total` then counts documents.",
  ),
  sort: oneOf("sort", ["relevance", "date"], "relevance", "`relevance`, or `date` (newest first)."),
  fuzzy: oneOf(
    "fuzzy",
    ["auto", "0", "1", "2"],
    "auto",
    "Most edits per word for typo tolerance; `auto`: none up to 3 letters, 1 up to 7, 2 from 8. Typo matches are only sought when exact, stem and completion matches do not fill the page.",
  ),
  prefix: boolean("prefix", true, "Whether the last word completes as you type."),
  facets: facetList,
  analytics: boolean(
    "analytics",
    false,
    "With search insights on: count this search as a reader's final query (a search as you type is not counted; the widget marks the final one). Off by default.",
  ),
});

/** Most results one search may leave out ({@link SearchRequestSchema}'s `hide`): a promotion's pages. */
export const MAX_HIDDEN = 5;

/**
 * The search request in its normal form, the one type every part passes on: the API maps its parameters to it
 * ({@link searchRequestOf}), the beacons too, a router sends it to its shards, which check it with this schema again
 * (they are Workers of their own). `hide` is no public parameter: promotions leave their pages out of the ranking.
 */
export const SearchRequestSchema = z.object({
  q: z.string().max(LIMITS.queryLength),
  limit: z.number().int().min(LIMITS.limit.min).max(LIMITS.limit.max),
  offset: z.number().int().min(0).max(LIMITS.offset.max),
  collection: z.string().max(LIMITS.collection).optional(),
  doc: z.string().max(LIMITS.doc).optional(),
  kind: z.string().max(LIMITS.kind).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  group: z.literal("document").optional(),
  sort: z.enum(["relevance", "date"]),
  fuzzy: z.union([z.literal("auto"), z.literal(0), z.literal(1), z.literal(2)]),
  prefix: z.boolean(),
  facets: z.array(z.enum(FACET_NAMES)).max(FACET_NAMES.length).optional(),
  hide: z
    .array(z.object({ doc: z.string().max(LIMITS.doc), paragraph: z.number().int().min(0).optional() }))
    .max(MAX_HIDDEN)
    .optional(),
});

/** The search request in its normal form (see {@link SearchRequestSchema}). */
export type SearchRequest = z.infer<typeof SearchRequestSchema>;

/**
 * The /search parameters (checked by {@link SearchQuery}) as a search request: the one mapping, for the API and the
 * beacons. Parameters that only the API reads (`analytics`) are not part of it.
 */
export function searchRequestOf(params: Partial<z.output<typeof SearchQuery>> & { q: string }): SearchRequest {
  const { analytics: _, fuzzy, sort, limit, offset, prefix, ...filters } = params;
  return {
    ...filters,
    limit: limit ?? LIMITS.limit.default,
    offset: offset ?? 0,
    sort: sort ?? "relevance",
    fuzzy: fuzzy === "auto" || fuzzy === undefined ? "auto" : (Number(fuzzy) as 0 | 1 | 2),
    prefix: prefix ?? true,
  };
}

export const SuggestQuery = z.object({
  q: query,
  limit: integer("limit", LIMITS.suggestLimit.min, LIMITS.suggestLimit.max, LIMITS.suggestLimit.default, "Suggestions to return."),
});

const Range = z
  .tuple([z.number().int(), z.number().int()])
  .openapi({ description: "[start, end) offsets in UTF-16 code units.", example: [0, 10] });

/** The seed page's document id, for examples. */
export const SEED = "auswaertiges-amt/deutschland-kasachstan";

const DocumentMeta = z
  .object({
    id: z.string().openapi({ description: "The document id: its file's path under corpus/ without extension.", example: SEED }),
    title: z
      .string()
      .openapi({ description: "The document title, plain text.", example: "Deutschland und Kasachstan: bilaterale Beziehungen" }),
    url: z.string().nullable().openapi({
      description: "Where the document is published: an absolute http(s) URL or a path on the site; null when unknown.",
      example: null,
    }),
    date: z
      .string()
      .nullable()
      .openapi({ format: "date", description: "The document's date (YYYY-MM-DD), or null.", example: "2024-10-30" }),
    kind: z.string().nullable().openapi({ description: 'What kind of page it is ("Artikel"), or null.', example: "Artikel" }),
    collection: z
      .string()
      .openapi({ description: "The id of the document's collection (its folder under corpus/).", example: "auswaertiges-amt" }),
  })
  .openapi("DocumentMeta", { description: "A document's metadata, without its paragraphs." });

const CollectionAttribution = {
  title: z.string().openapi({ description: "The collection's title.", example: "Auswärtiges Amt" }),
  attribution: z.string().nullable().openapi({ description: "Whom to credit for the texts, or null.", example: "Auswärtiges Amt" }),
  license: z.string().nullable().openapi({ description: "The texts' licence, or null.", example: null }),
  url: z.string().nullable().openapi({ description: "The collection's home page, or null.", example: "https://www.auswaertiges-amt.de" }),
};

export const SearchSectionSchema = z
  .object({
    heading: z.string().openapi({
      description:
        'The section\'s heading as plain text; "" for the lead (what comes before the first heading, or a page without headings).',
      example: "Wirtschaft",
    }),
    headingHtml: z.string().openapi({ description: "The heading, HTML-escaped, with <mark> around matched words.", example: "Wirtschaft" }),
    level: z
      .number()
      .int()
      .min(0)
      .max(6)
      .openapi({ description: "The heading's level, 1–6 (h1–h6, # to ######); 0 for the lead.", example: 2 }),
    anchor: z.string().nullable().openapi({
      description: "The section's anchor on the page (the heading's id, or a GitHub-style slug in Markdown), without #; or null.",
      example: "wirtschaft",
    }),
    url: z.string().openapi({
      description:
        "Where to link: the page's url with #anchor (the page's url alone when the section has no anchor); for a document without a url, its view in this API, /documents/{id}#p-N.",
      example: "https://www.auswaertiges-amt.de/de/service/laender/kasachstan-node/bilateral-205870#wirtschaft",
    }),
    paragraph: z
      .number()
      .int()
      .openapi({ description: "The section's best-matching paragraph, numbered in the document from 0.", example: 1 }),
    snippetHtml: z.string().openapi({
      description: "That paragraph's snippet, as the hit's snippetHtml.",
      example: "<mark>Kasachstan</mark> ist Deutschlands wichtigster Wirtschaftspartner in Zentralasien. …",
    }),
    highlights: z
      .array(Range)
      .openapi({ description: "[start, end) offsets of matched words in that paragraph's stored text.", example: [[0, 10]] }),
  })
  .openapi("SearchSection", { description: "A section of a page hit (a sub-result): its heading, link and best snippet." });

export const SearchHitSchema = z
  .object({
    id: z.string().openapi({ example: `${SEED}#1`, description: "Paragraph id: document id, #, paragraph number." }),
    paragraph: z.number().int().openapi({ description: "Paragraph number in the document, from 0.", example: 1 }),
    score: z.number().openapi({ description: "Relevance; higher is better. Comparable within one response only.", example: 12.7 }),
    doc: DocumentMeta,
    collection: z.object(CollectionAttribution).openapi({ description: "The hit's collection, for attribution." }),
    titleHtml: z.string().openapi({
      description: "The document title, HTML-escaped, with <mark> around matched words.",
      example: "Deutschland und <mark>Kasachstan</mark>: bilaterale Beziehungen",
    }),
    snippetHtml: z.string().openapi({
      description: "About 160–200 characters around the densest cluster of matches, HTML-escaped, with <mark>.",
      example: "<mark>Kasachstan</mark> ist Deutschlands wichtigster Wirtschaftspartner in Zentralasien. …",
    }),
    highlights: z
      .array(Range)
      .openapi({ description: "[start, end) offsets (UTF-16 code units) of matched words in the stored paragraph.", example: [[0, 10]] }),
    sections: z.array(SearchSectionSchema).optional().openapi({
      description:
        "Only with group=document: up to 3 of the page's best-matching sections, best first, each once (the first holds the hit's own paragraph).",
    }),
    promoted: z.literal(true).optional().openapi({
      description:
        "Present (true) on a page the site's editors show first for this query (corpus/promotions.txt); its score is its match's, or 0 when it holds none of the query's words.",
    }),
  })
  .openapi("SearchHit");

const FacetValueSchema = z
  .object({
    value: z.string().openapi({ description: "What to filter by: the collection id, kind or year.", example: "2024" }),
    label: z.string().openapi({ description: "The value for people: a collection's title, else the value.", example: "2024" }),
    count: z.number().int().openapi({ description: "Matches with this value (documents with group=document).", example: 3 }),
  })
  .openapi("FacetValue");

export const SearchResponseSchema = z
  .object({
    query: z.string().openapi({ description: "The query as given.", example: "kasachstan handel" }),
    total: z.number().int().openapi({ description: "Every match, partial ones included (documents with group=document).", example: 14 }),
    offset: z.number().int().openapi({ description: "Hits skipped, as requested.", example: 0 }),
    limit: z.number().int().openapi({ description: "Hits per page, as requested.", example: 10 }),
    partial: z.boolean().openapi({ description: "Whether the page holds hits that contain only some of the words.", example: true }),
    ignored: z.array(z.string()).openapi({ description: "Words beyond the 12 searched ones, as typed.", example: [] }),
    correction: z.string().nullable().openapi({
      description:
        'When the best hit matched a word only through a typo variant (the index does not know the word as typed): the query with each such word spelled as the corpus spells it, for "Meinten Sie …?"; else null.',
      example: null,
    }),
    hits: z.array(SearchHitSchema).openapi({ description: "The page of hits, best first." }),
    facets: z
      .object(
        Object.fromEntries(
          FACET_NAMES.map((name) => [
            name,
            z
              .array(FacetValueSchema)
              .optional()
              .openapi({ description: `The ${name} facet's values, ${name === "year" ? "newest first" : "most frequent first"}.` }),
          ]),
        ) as Record<FacetName, z.ZodOptional<z.ZodArray<typeof FacetValueSchema>>>,
      )
      .optional()
      .openapi({ description: "Only with `facets`: each requested facet's values and counts over every match." }),
    help: z
      .object({
        links: z
          .array(
            z.object({
              title: z.string().openapi({ description: "What the link says.", example: "Alle Dienstleistungen A–Z" }),
              url: z.string().openapi({ description: "Where it goes: a URL, or a path on the site.", example: "/buergerservice" }),
            }),
          )
          .openapi({ description: "The site's links for a search without hits (package.json's fundstelle.noResults.links), in order." }),
        popular: z.array(z.string()).openapi({
          description:
            "With search insights on: up to 5 of the site's most searched queries of the last 30 days that find something (each searched at least INSIGHTS_MIN_COUNT times).",
        }),
      })
      .optional()
      .openapi({
        description:
          "Only when nothing was found (total 0) and the site offers something instead: its links and popular queries. Absent when it offers neither.",
      }),
  })
  .openapi("SearchResponse");

export const SuggestResponseSchema = z
  .object({
    query: z.string().openapi({ description: "The query as given.", example: "deutschland kasach" }),
    suggestions: z
      .array(
        z.object({
          text: z.string().openapi({ description: "The completed last word, as the corpus usually spells it.", example: "Kasachstan" }),
          html: z.string().openapi({ description: "`text` HTML-escaped, the typed part in <mark>.", example: "<mark>Kasach</mark>stan" }),
          query: z.string().openapi({ description: "The whole query with the completed word.", example: "deutschland Kasachstan" }),
        }),
      )
      .openapi({ description: "Completions, most likely first." }),
  })
  .openapi("SuggestResponse");

export const DocumentSchema = DocumentMeta.extend({
  paragraphs: z
    .array(z.string())
    .openapi({ description: "The body paragraphs in order; paragraph n is anchored as #p-n on the HTML page.", example: ["…"] }),
  sections: z
    .array(
      z.object({
        heading: z.string().openapi({ description: 'The heading\'s text; "" for the lead (before the first heading).', example: "" }),
        level: z.number().int().min(0).max(6).openapi({ description: "1–6 (h1–h6); 0 for the lead.", example: 0 }),
        anchor: z.string().nullable().openapi({ description: "The section's anchor on the page, without #; or null.", example: null }),
        paragraph: z.number().int().openapi({ description: "Its first paragraph; it runs to the next section's.", example: 0 }),
      }),
    )
    .openapi({ description: "The document's sections in order; a page without headings has one lead section." }),
  rows: z
    .array(
      z.object({
        paragraph: z.number().int().openapi({ description: "The row's paragraph.", example: 3 }),
        cells: z
          .array(
            z.object({
              label: z.string().nullable().openapi({ description: "The cell's column header, or null.", example: "Uhrzeit" }),
              text: z.string().openapi({ description: "The cell's text.", example: "8–12 Uhr" }),
            }),
          )
          .openapi({ description: "The row's cells as the page has them; empty cells left out." }),
      }),
    )
    .optional()
    .openapi({
      description:
        'The cells of the table rows (blocks of kind row), as the page\'s table has them, so that a cell holding " | " or ": " is never split; absent when the document has none.',
    }),
  blocks: z.array(z.enum(["text", "row", "list", "code"])).openapi({
    description:
      'What each paragraph is: text; a table row (cells joined by " | ", labelled "Header: value" where the table has a header row); a run of short list items (joined by " • "); or code.',
    example: ["text"],
  }),
}).openapi("Document");

export const CollectionsSchema = z
  .object({
    collections: z
      .array(
        z.object({
          id: z.string().openapi({ description: "The collection's id: its folder under corpus/.", example: "auswaertiges-amt" }),
          ...CollectionAttribution,
          documents: z.number().int().openapi({ description: "Documents in the collection.", example: 1 }),
          paragraphs: z.number().int().openapi({ description: "Body paragraphs in the collection.", example: 5 }),
        }),
      )
      .openapi({ description: "Every collection with documents." }),
  })
  .openapi("Collections");

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]).openapi({ description: "`ok` when an index is loaded.", example: "ok" }),
    reason: z.string().optional().openapi({ description: "Why no index is loaded, and how to fix it (only when unavailable)." }),
    index: z
      .object({
        version: z
          .string()
          .openapi({ description: "Hash of the corpus, analyzer and format the index was built from.", example: "3f1c0a9e5b7d2c4e8a10" }),
        formatVersion: z.number().int().openapi({ description: "The index format version.", example: 4 }),
        analyzer: z
          .object({
            id: z.string().openapi({ description: "The analyzer's id.", example: "fundstelle-german" }),
            version: z.number().int().openapi({ description: "The analyzer's version.", example: 3 }),
          })
          .openapi({ description: "The analyzer the index was built with; queries are analysed with the same." }),
        documents: z.number().int().openapi({ description: "Documents in the index.", example: 49 }),
        paragraphs: z.number().int().openapi({ description: "Body paragraphs in the index.", example: 245 }),
        builtAt: z.string().nullable().openapi({ description: "Build time from SOURCE_DATE_EPOCH, or null.", example: null }),
      })
      .optional()
      .openapi({ description: "The loaded index (only when ok)." }),
  })
  .openapi("Health");

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z
          .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
          .openapi({ description: "What went wrong, for programs.", example: "invalid_parameter" }),
        message: z.string().openapi({ description: "What went wrong, for people.", example: "limit must be an integer from 1 to 50" }),
        param: z.string().optional().openapi({ description: "The parameter at fault, if one is.", example: "limit" }),
      })
      .openapi({ description: "The error." }),
  })
  .openapi("Error");
