// Reads Markdown with optional YAML front matter: the title from it or the first heading; headings are not paragraphs.
import type { Heading, Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { parseDocument } from "yaml";
import { z } from "zod";
import { CorpusError } from "../errors.js";
import {
  cleanText,
  hasContent,
  optionalDate,
  optionalText,
  optionalUrl,
  type ReadResult,
  type SourceFile,
  schemaError,
} from "../source.js";
import { htmlFragmentText } from "./html.js";

/** A front matter title: absent, null or blank leaves the title to the first heading; anything but text is an error. */
const optionalTitle = z
  .string({ error: "title must be a string" })
  .nullish()
  .transform((value) => {
    const cleaned = value == null ? "" : cleanText(value);
    return cleaned === "" ? null : cleaned;
  });

const frontMatterSchema = z.object({
  title: optionalTitle,
  url: optionalUrl,
  date: optionalDate,
  kind: optionalText,
});

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Reads a Markdown document. Optional front matter between `---` lines at the
 * start gives `title`, `url`, `date` and `kind`; other keys are ignored. Without
 * a `url` there, the url is the file's from its collection's `baseUrl`
 * (`source.siteUrl`), else null. The
 * title is the front matter's, else the first level-1 heading's (`# …` or
 * underlined with `===`), else the first heading's of any level (headings in
 * block quotes and lists do not count); with none of them the file is an
 * error. Body paragraphs are Markdown paragraphs, list items, table cells and
 * code blocks, with inline markup reduced to its text; headings, the one that
 * gives the title included, are not body paragraphs.
 */
export function readMd(source: SourceFile, text: string): ReadResult {
  const match = FRONT_MATTER.exec(text);
  if (!match && /^---[ \t]*\r?\n/.test(text)) {
    throw new CorpusError(source.path, "front matter is not closed: add a line '---' after it", 1);
  }
  const meta = match ? readFrontMatter(source, match[1] ?? "") : { title: null, url: null, date: null, kind: null };

  const body = match ? text.slice(match[0].length) : text;
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const title = meta.title ?? headingTitle(tree);
  if (title === null) {
    throw new CorpusError(
      source.path,
      "has no title: start it with a heading ('# …'), or with front matter: '---', a line 'title: …', '---'",
    );
  }
  const paragraphs = markdownParagraphs(tree).filter(hasContent);
  if (paragraphs.length === 0) {
    return { documents: [], warnings: [{ file: source.path, problem: "has no body paragraphs; skipped" }] };
  }
  return {
    documents: [
      {
        id: source.id,
        title,
        url: meta.url ?? source.siteUrl ?? null,
        date: meta.date,
        kind: meta.kind,
        collection: source.collection,
        paragraphs,
        file: source.path,
      },
    ],
    warnings: [],
  };
}

/** The fields of front matter (the YAML between its `---` lines), checked; errors name the line. */
function readFrontMatter(source: SourceFile, yamlText: string): z.infer<typeof frontMatterSchema> {
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // Front matter starts on line 2 of the file.
    const line = (yamlError.linePos?.[0].line ?? 1) + 1;
    throw new CorpusError(source.path, `malformed front matter: ${yamlError.message.split("\n")[0]}`, line);
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CorpusError(source.path, "front matter must be a mapping of keys such as title, date, url", 2);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    const lineOfField = typeof field === "string" ? lineOf(yamlText, field) : undefined;
    throw schemaError(source.path, parsed.error, lineOfField !== undefined ? lineOfField + 1 : 1);
  }
  return parsed.data;
}

/**
 * The title a page's headings give: the text of its first level-1 heading, else of its first heading of
 * any level; headings without text skipped. Only headings of the page itself count, not those in block
 * quotes or list items. Null when there is none.
 */
function headingTitle(tree: Root): string | null {
  const headings = tree.children
    .filter((node): node is Heading => node.type === "heading")
    .map((heading) => ({ depth: heading.depth, text: cleanText(inlineText(heading)) }))
    .filter((heading) => heading.text !== "");
  return (headings.find((heading) => heading.depth === 1) ?? headings[0])?.text ?? null;
}

function lineOf(yamlText: string, key: string): number | undefined {
  const index = yamlText.split(/\r?\n/).findIndex((line) => line.startsWith(`${key}:`));
  return index === -1 ? undefined : index + 1;
}

/** Plain text of inline Markdown: link and emphasis text, code, image alt; inline HTML tags dropped. */
function inlineText(node: Nodes): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
      return node.value;
    case "html":
      return htmlFragmentText(node.value);
    case "image":
      return node.alt ?? "";
    case "break":
      return " ";
    default:
      return "children" in node ? node.children.map((child) => inlineText(child as Nodes)).join("") : "";
  }
}

/** Body paragraphs of a Markdown tree in document order. */
function markdownParagraphs(tree: Root): string[] {
  const out: string[] = [];
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case "heading":
      case "definition":
      case "thematicBreak":
      case "yaml":
        return;
      case "paragraph":
      case "tableCell":
        out.push(cleanText(inlineText(node)));
        return;
      case "code":
        out.push(cleanText(node.value));
        return;
      case "html":
        out.push(cleanText(htmlFragmentText(node.value)));
        return;
      default:
        if ("children" in node) for (const child of node.children) visit(child);
    }
  };
  visit(tree);
  return out.filter((p) => p !== "");
}
