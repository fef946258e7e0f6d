// Reads Markdown with YAML front matter: headings are not paragraphs; list items and table cells are.
import type { Nodes, Root } from "mdast";
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
  requiredTitle,
  type SourceFile,
  schemaError,
} from "../source.js";
import { htmlFragmentText } from "./html.js";

const frontMatterSchema = z.object({
  title: requiredTitle,
  url: optionalUrl,
  date: optionalDate,
  kind: optionalText,
});

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Reads a Markdown document. Front matter between `---` lines gives `title`
 * (required), `url`, `date` and `kind`; other keys are ignored. Body
 * paragraphs are Markdown paragraphs, list items, table cells and code blocks,
 * with inline markup reduced to its text; headings are not body paragraphs.
 */
export function readMd(source: SourceFile, text: string): ReadResult {
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    const problem = text.startsWith("---")
      ? "front matter is not closed: add a line '---' after it"
      : "has no front matter: start the file with '---', a line 'title: …', and '---'";
    throw new CorpusError(source.path, problem, 1);
  }
  const yamlText = match[1] ?? "";
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

  const body = text.slice(match[0].length);
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const paragraphs = markdownParagraphs(tree).filter(hasContent);
  if (paragraphs.length === 0) {
    return { documents: [], warnings: [{ file: source.path, problem: "has no body paragraphs; skipped" }] };
  }
  const meta = parsed.data;
  return {
    documents: [
      {
        id: source.id,
        title: meta.title,
        url: meta.url,
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
