// Server-rendered HTML: a readable document page and the API's home page. Every interpolated value is escaped.
import type { CollectionInfo } from "../common/artifact.js";
import type { DocumentAnswer } from "./backend.js";
import { escapeHtml } from "./search/highlight.js";

/** Content-Security-Policy for the HTML pages: no scripts, styles only from the page itself. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STYLE = `body{font:16px/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;line-height:1.25}.meta{color:#555}p:target{background:#fff6bf;outline:4px solid #fff6bf}
a{color:#0b57d0}footer{margin-top:3rem;color:#555;font-size:.9rem}code{background:#f2f2f2;padding:0 .25em}pre{background:#f2f2f2;padding:.75rem;overflow-x:auto;white-space:pre-wrap}`;

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
export function documentPage(doc: DocumentAnswer, paragraphs: readonly string[], collection: CollectionInfo | undefined): string {
  const meta = [doc.date, doc.kind, collection?.title ?? doc.collection].filter((v): v is string => Boolean(v)).map(escapeHtml);
  const body = paragraphs.map((text, n) => `<p id="p-${n}">${escapeHtml(text)}</p>`).join("\n");
  const source = doc.url ? `<p><a href="${escapeHtml(doc.url)}" rel="noopener">Originalquelle</a></p>` : "";
  const attribution = collection?.attribution
    ? `<p>${escapeHtml(collection.attribution)}${collection.license ? ` (${escapeHtml(collection.license)})` : ""}</p>`
    : "";
  return page(
    doc.title,
    `<main>
<h1>${escapeHtml(doc.title)}</h1>
<p class="meta">${meta.join(" · ")}</p>
${body}
</main>
<footer>${source}${attribution}</footer>`,
  );
}

/** Content-Security-Policy for the demo page: scripts and requests only to this origin. */
export const DEMO_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The demo page: the widget against this worker, and how to embed it elsewhere. */
export function demoPage(origin: string, documents: number, paragraphs: number, examples: readonly string[] = []): string {
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
<fundstelle-search></fundstelle-search>
<h2>Einbinden</h2>
<p>Zwei Zeilen auf Ihrer Seite genügen:</p>
<pre><code>${escapeHtml(embed)}</code></pre>
<p>Die API: <a href="/search?q=${encodeURIComponent(first)}">/search</a>, <a href="/suggest?q=${encodeURIComponent(typed)}">/suggest</a>,
<a href="/collections">/collections</a>, <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
</main>
<script src="/widget.js" type="module"></script>`,
  );
}
