// Server-rendered HTML: a readable document page and the API's home page. Every interpolated value is escaped.
import type { CollectionInfo } from "../common/artifact.js";
import type { DocumentAnswer, DocumentRow } from "./backend.js";
import { escapeHtml } from "./search/highlight.js";

/** Content-Security-Policy for the HTML pages: no scripts, styles only from the page itself. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STYLE = `body{font:16px/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;line-height:1.25}.meta{color:#555}:is(p,tr,ul,pre,h2,h3,h4,h5,h6):target{background:#fff6bf;outline:4px solid #fff6bf}
table{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto}:is(td,th){border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top;text-align:left}
pre code{white-space:pre-wrap;overflow-wrap:anywhere}
a{color:#0b57d0}footer{margin-top:3rem;color:#555;font-size:.9rem}code{background:#f2f2f2;padding:0 .25em}pre{background:#f2f2f2;padding:.75rem;overflow-x:auto;white-space:pre-wrap}
:root{color-scheme:light dark}
@media (prefers-color-scheme:dark){body{background:#121316;color:#e8e8ec}.meta,footer{color:#b9b9c3}a{color:#8ab4f8}
code,pre{background:#23252b}:is(td,th){border-color:#4a4c55}:is(p,tr,ul,pre,h2,h3,h4,h5,h6):target{background:#4d3d00;outline-color:#4d3d00}}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A document as a readable page, each paragraph anchored as `#p-N`. */
export function documentPage(doc: DocumentAnswer, collection: CollectionInfo | undefined): string {
  const meta = [doc.date, doc.kind, collection?.title ?? doc.collection].filter((v): v is string => Boolean(v)).map(escapeHtml);
  const source = doc.url ? `<p><a href="${escapeHtml(doc.url)}" rel="noopener">Originalquelle</a></p>` : "";
  const attribution = collection?.attribution
    ? `<p>${escapeHtml(collection.attribution)}${collection.license ? ` (${escapeHtml(collection.license)})` : ""}</p>`
    : "";
  // The heading that gives the title is the page's h1, with its anchor.
  const titleAnchor = doc.sections.find((section) => isTitleSection(doc, section))?.anchor ?? null;
  return page(
    doc.title,
    `<main>
<h1${idAttribute(titleAnchor)}>${escapeHtml(doc.title)}</h1>
<p class="meta">${meta.join(" · ")}</p>
${documentBody(doc)}
</main>
<footer>${source}${attribution}</footer>`,
  );
}

const idAttribute = (id: string | null) => (id === null ? "" : ` id="${escapeHtml(id)}"`);

const isTitleSection = (doc: DocumentAnswer, section: DocumentAnswer["sections"][number]) =>
  section.level === 1 && section.heading === doc.title;

/**
 * A document's sections and blocks as HTML: each heading at its level (h2 at the least, under the page's h1)
 * with its anchor as id; each paragraph anchored as #p-N: table rows (consecutive ones form one table, see
 * {@link tableHtml}), list runs (items split at " • "), code and text.
 */
function documentBody(doc: DocumentAnswer): string {
  const out: string[] = [];
  const sections = doc.sections.length > 0 ? doc.sections : [{ heading: "", level: 0, anchor: null, paragraph: 0 }];
  sections.forEach((section, s) => {
    const end = sections[s + 1]?.paragraph ?? doc.paragraphs.length;
    if (section.heading !== "" && !isTitleSection(doc, section)) {
      const level = Math.min(6, Math.max(2, section.level));
      out.push(`<h${level}${idAttribute(section.anchor)}>${escapeHtml(section.heading)}</h${level}>`);
    }
    let rows: number[] = [];
    const closeTable = () => {
      if (rows.length > 0) out.push(tableHtml(doc, rows));
      rows = [];
    };
    for (let n = section.paragraph; n < end; n++) {
      const text = doc.paragraphs[n] ?? "";
      const kind = doc.blocks[n] ?? "text";
      if (kind === "row") {
        rows.push(n);
        continue;
      }
      closeTable();
      if (kind === "list") {
        out.push(
          `<ul id="p-${n}">${text
            .split(" • ")
            .map((item) => `<li>${escapeHtml(item)}</li>`)
            .join("")}</ul>`,
        );
      } else if (kind === "code") {
        out.push(`<pre id="p-${n}"><code>${escapeHtml(text)}</code></pre>`);
      } else {
        out.push(`<p id="p-${n}">${escapeHtml(text)}</p>`);
      }
    }
    closeTable();
  });
  return out.join("\n");
}

/** A cell of a stored row without its cells: "Header: value" where the table had a header row. */
const LABELLED = /^([^:|]{1,80}): (.*)$/s;

/**
 * A row's cells: as the reader read them ({@link DocumentAnswer.rows}), else, for an index that has none for it, its
 * text split at " | " and each piece at its first ": ".
 */
function cellsOf(doc: DocumentAnswer, n: number, rows: ReadonlyMap<number, DocumentRow["cells"]>): DocumentRow["cells"] {
  const read = rows.get(n);
  if (read !== undefined) return read;
  return (doc.paragraphs[n] ?? "").split(" | ").map((cell) => {
    const match = LABELLED.exec(cell);
    return match ? { label: match[1] as string, text: match[2] as string } : { label: null, text: cell };
  });
}

/**
 * Consecutive row blocks as one table, each row's cells as the page's table had them. When every cell has its
 * column's header ("Tag: Montag"), the headers become the header row again and each cell stands under its own (a
 * cell the row left out stays empty); otherwise the cells stand in order.
 */
function tableHtml(doc: DocumentAnswer, rows: readonly number[]): string {
  const read = new Map((doc.rows ?? []).map((row) => [row.paragraph, row.cells]));
  const cells = rows.map((n) => cellsOf(doc, n, read));
  const labelled = cells.every((row) => row.every((cell) => cell.label !== null));
  if (!labelled) {
    const body = rows.map(
      (n, r) => `<tr id="p-${n}">${(cells[r] ?? []).map((cell) => `<td>${escapeHtml(cellText(cell))}</td>`).join("")}</tr>`,
    );
    return `<table>\n${body.join("\n")}\n</table>`;
  }
  const columns: string[] = [];
  for (const row of cells) for (const cell of row) if (cell.label !== null && !columns.includes(cell.label)) columns.push(cell.label);
  const head = `<thead><tr>${columns.map((label) => `<th scope="col">${escapeHtml(label)}</th>`).join("")}</tr></thead>`;
  const body = rows.map((n, r) => {
    const values = new Map((cells[r] ?? []).map((cell) => [cell.label, cell.text]));
    return `<tr id="p-${n}">${columns.map((label) => `<td>${escapeHtml(values.get(label) ?? "")}</td>`).join("")}</tr>`;
  });
  return `<table>\n${head}\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`;
}

/** A cell in a table without a header row: its text, with its label where only some cells have one. */
function cellText(cell: DocumentRow["cells"][number]): string {
  return cell.label === null ? cell.text : `${cell.label}: ${cell.text}`;
}

/** Content-Security-Policy for the demo page: scripts and requests only to this origin. */
export const DEMO_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The demo page: the widget against this worker, and how to embed it elsewhere. */
export function demoPage(
  origin: string,
  documents: number,
  paragraphs: number,
  examples: readonly string[] = [],
  insights = false,
): string {
  const embed = `<script src="${origin}/widget.js" type="module"></script>
<fundstelle-search endpoint="${origin}"></fundstelle-search>`;
  const quoted = examples.map((q) => `„${escapeHtml(q)}“`);
  const tryThese =
    quoted.length === 0
      ? ""
      : ` Probieren Sie ${quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} oder ${quoted.at(-1)}` : quoted[0]}.`;
  const [first = "", , typed = first] = examples;
  return page(
    "fundstelle – Suche",
    `<main>
<h1>fundstelle</h1>
<p>Volltextsuche für deutsche Dokumente: ${documents} Dokumente, ${paragraphs} Absätze.${tryThese}</p>
<fundstelle-search url-query${insights ? " insights" : ""}></fundstelle-search>
<h2>Einbinden</h2>
<p>Zwei Zeilen auf Ihrer Seite genügen:</p>
<pre><code>${escapeHtml(embed)}</code></pre>
<p>Die API: <a href="/search?q=${encodeURIComponent(first)}">/search</a>, <a href="/suggest?q=${encodeURIComponent(typed)}">/suggest</a>,
<a href="/collections">/collections</a>, <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
</main>
<script src="/widget.js" type="module"></script>`,
  );
}
