// The insights report: shaped from the counts, served as an HTML dashboard (no scripts, SVG charts), JSON and CSV.

import { compareCodeUnits } from "../../common/order.js";
import { escapeHtml } from "../search/highlight.js";
import type { QueryAction } from "./actions.js";
import type { InsightsData, ReportedQuery } from "./store.js";

/** Rows in each of the report's lists. */
const LIST = 20;

export interface ReportedPage {
  doc: string;
  anchor: string | null;
  title: string;
  /** The chosen section's heading; "" for the page itself. */
  heading: string;
  choices: number;
}

/** The report, as /insights.json serves it. */
export interface InsightsReport {
  from: string;
  to: string;
  /** k: a query's text appears only when it was searched this often in the period. */
  minCount: number;
  totals: { searches: number; zero: number; choices: number; zeroRate: number };
  days: InsightsData["days"];
  topQueries: ReportedQuery[];
  /** Queries without results, each with what to do about it (see actions.ts). */
  topZeroQueries: (ReportedQuery & { action?: QueryAction })[];
  topPages: ReportedPage[];
  /** Queries with results whose results are chosen least often (choices per search with results), with a promotion to check. */
  rarelyChosen: (ReportedQuery & { choiceRate: number; action?: QueryAction })[];
  /** Pages the editors promote, chosen for their queries (counted apart), most chosen first. */
  promoted: { query: string; doc: string; title: string; choices: number }[];
}

export function shapeReport(data: InsightsData, pages: ReportedPage[], titles: ReadonlyMap<string, string> = new Map()): InsightsReport {
  const searches = data.days.reduce((sum, d) => sum + d.searches, 0);
  const zero = data.days.reduce((sum, d) => sum + d.zero, 0);
  const choices = data.days.reduce((sum, d) => sum + d.choices, 0);
  const withResults = data.queries.filter((q) => q.searches > q.zero);
  return {
    from: data.from,
    to: data.to,
    minCount: data.minCount,
    totals: { searches, zero, choices, zeroRate: searches === 0 ? 0 : round(zero / searches) },
    days: data.days,
    topQueries: data.queries.slice(0, LIST),
    topZeroQueries: data.queries
      .filter((q) => q.zero > 0)
      .sort((a, b) => b.zero - a.zero || b.searches - a.searches || compare(a.query, b.query))
      .slice(0, LIST),
    topPages: pages,
    rarelyChosen: withResults
      .map((q) => ({ ...q, choiceRate: round(q.choices / (q.searches - q.zero)) }))
      .sort((a, b) => a.choiceRate - b.choiceRate || b.searches - a.searches || compare(a.query, b.query))
      .slice(0, LIST),
    promoted: data.promoted.map((p) => ({ ...p, title: titles.get(p.doc) ?? p.doc })),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const compare = compareCodeUnits;

/** One CSV field: quoted when needed, and a leading = + - @ defused so that a spreadsheet does not run it as a formula. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: `queries` (every query shown, with its counts), `days` or `pages`. */
export function reportCsv(report: InsightsReport, data: InsightsData, table: "queries" | "days" | "pages"): string {
  const rows: (string | number)[][] =
    table === "days"
      ? [["day", "searches", "zero_results", "choices"], ...report.days.map((d) => [d.day, d.searches, d.zero, d.choices])]
      : table === "pages"
        ? [
            ["doc", "anchor", "title", "heading", "choices"],
            ...report.topPages.map((p) => [p.doc, p.anchor ?? "", p.title, p.heading, p.choices]),
          ]
        : [["query", "searches", "zero_results", "choices"], ...data.queries.map((q) => [q.query, q.searches, q.zero, q.choices])];
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

const percent = (x: number) => `${(x * 100).toLocaleString("de-DE", { maximumFractionDigits: 1 })} %`;
const number = (x: number) => x.toLocaleString("de-DE");
const dayLabel = (day: string) => `${Number(day.slice(8, 10))}.${Number(day.slice(5, 7))}.`;

/** Searches per day as stacked SVG bars: with results, and without (the zero-result rate's share). */
function dayChart(days: InsightsReport["days"]): string {
  const width = 720;
  const height = 180;
  const top = 10;
  const bottom = 24;
  const left = 40;
  const max = Math.max(1, ...days.map((d) => d.searches));
  const step = (width - left) / Math.max(1, days.length);
  const bar = Math.max(2, step * 0.7);
  const y = (n: number) => top + (height - top - bottom) * (1 - n / max);
  const labelEvery = Math.ceil(days.length / 10);
  const bars = days
    .map((d, i) => {
      const x = left + i * step + (step - bar) / 2;
      const found = d.searches - d.zero;
      const title = `${dayLabel(d.day)}: ${d.searches} Suchen, ${d.zero} ohne Treffer`;
      const label =
        i % labelEvery === 0
          ? `<text x="${(x + bar / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle" class="axis">${dayLabel(d.day)}</text>`
          : "";
      return `<g><title>${escapeHtml(title)}</title><rect class="found" x="${x.toFixed(1)}" y="${y(found).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(0) - y(found)).toFixed(1)}"/><rect class="zero" x="${x.toFixed(1)}" y="${y(d.searches).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(found) - y(d.searches)).toFixed(1)}"/></g>${label}`;
    })
    .join("");
  const grid = [0, 0.5, 1]
    .map((f) => {
      const n = Math.round(max * f);
      return `<line class="grid" x1="${left}" x2="${width}" y1="${y(n).toFixed(1)}" y2="${y(n).toFixed(1)}"/><text class="axis" x="${left - 6}" y="${(y(n) + 4).toFixed(1)}" text-anchor="end">${n}</text>`;
    })
    .join("");
  const summary = `Suchen pro Tag von ${dayLabel(days[0]?.day ?? "")} bis ${dayLabel(days.at(-1)?.day ?? "")}, höchstens ${max} an einem Tag`;
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(summary)}">${grid}${bars}</svg>`;
}

function table(caption: string, head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<h2>${escapeHtml(caption)}</h2><p class="empty">${escapeHtml(empty)}</p>`;
  const headRow = head.map((h, i) => `<th scope="col"${i > 0 ? ' class="n"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<td>${cell}</td>` : `<td class="n">${cell}</td>`)).join("")}</tr>`)
    .join("");
  return `<h2>${escapeHtml(caption)}</h2><table><thead><tr>${headRow}</tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem}a{color:#0b57d0}.muted,.empty{color:#5e5e66}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.25rem 0}.card{border:1px solid #c8c8d0;border-radius:8px;padding:.6rem 1rem;min-width:10rem}
.card b{display:block;font-size:1.5rem}nav a{margin-right:.75rem}table{border-collapse:collapse;width:100%}
:is(td,th){border-bottom:1px solid #dcdce2;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
@media (max-width:40rem){body{margin:1rem auto}.axis{font-size:22px}:is(td,th){padding:.3rem .25rem;font-size:.9rem}.card{min-width:0;flex:1 1 8rem}}.n{text-align:right;font-variant-numeric:tabular-nums}
svg{width:100%;height:auto;max-height:14rem}.found{fill:#0b57d0}.zero{fill:#c2410c}.grid{stroke:#dcdce2}.axis{font-size:11px;fill:#5e5e66}
.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;vertical-align:-.05em}.legend span:first-child{margin-left:0}
.key-found{background:#0b57d0}.key-zero{background:#c2410c}
.action{font-size:.9rem;margin-top:.3rem}.action pre{margin:.15rem 0 .35rem;padding:.3rem .5rem;background:#f1f1f4;border-radius:4px;white-space:pre-wrap;user-select:all}
:root{color-scheme:light dark}
@media (prefers-color-scheme:dark){body{background:#121316;color:#e8e8ec}a{color:#8ab4f8}.muted,.empty{color:#b9b9c3}.card{border-color:#4a4c55}
:is(td,th){border-color:#33353c}.action pre{background:#23252b}.found{fill:#8ab4f8}.zero{fill:#fb923c}.key-found{background:#8ab4f8}.key-zero{background:#fb923c}.grid{stroke:#33353c}.axis{fill:#b9b9c3}}`;

/**
 * What the report suggests for a query, as HTML under it: the corpus words nearest its unknown words, and the
 * lines to copy into corpus/synonyms.txt or corpus/promotions.txt (then rebuild and deploy).
 */
function actionHtml(action: QueryAction | undefined): string {
  if (!action) return "";
  if (action.findsNow && action.promotion === null) return '<div class="action muted">findet inzwischen Treffer</div>';
  const parts: string[] = [];
  if (action.near.length > 0) {
    const near = action.near
      .map(({ word, nearest }) => `${escapeHtml(word)}: ${nearest.map((n) => `<q>${escapeHtml(n.word)}</q>`).join(", ")}`)
      .join("; ");
    parts.push(`<span class="muted">Ähnliche Wörter im Bestand – ${near}</span>`);
  }
  if (action.synonyms !== null) parts.push(`für <code>synonyms.txt</code>: <pre>${escapeHtml(action.synonyms)}</pre>`);
  if (action.promotion !== null) {
    const page = action.page === null ? "" : ` <span class="muted">(${escapeHtml(action.page)})</span>`;
    parts.push(`für <code>promotions.txt</code>${page}: <pre>${escapeHtml(action.promotion)}</pre>`);
  }
  if (parts.length === 0) return '<div class="action muted">kein ähnliches Wort im Bestand</div>';
  return `<div class="action">${parts.join("<br>")}</div>`;
}

/** The dashboard: one server-rendered page, readable without JavaScript. */
export function dashboardPage(report: InsightsReport, periods: readonly number[], days: number): string {
  const { totals } = report;
  const query = (q: { query: string }) => `<q>${escapeHtml(q.query)}</q>`;
  const nav = periods.map((n) => (n === days ? `<strong>${n} Tage</strong>` : `<a href="/insights?days=${n}">${n} Tage</a>`)).join(" ");
  const cards = [
    ["Suchen", number(totals.searches)],
    ["ohne Treffer", percent(totals.zeroRate)],
    ["gewählte Ergebnisse", number(totals.choices)],
  ]
    .map(([label, value]) => `<div class="card"><b>${escapeHtml(value ?? "")}</b>${escapeHtml(label ?? "")}</div>`)
    .join("");
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Suchanalyse – fundstelle</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><h1>Suchanalyse</h1>
<p class="muted">${escapeHtml(`${dayLabel(report.from)}${report.from.slice(0, 4)} bis ${dayLabel(report.to)}${report.to.slice(0, 4)}`)} (UTC). Suchanfragen erscheinen erst, wenn sie im Zeitraum mindestens ${report.minCount}-mal gesucht wurden; seltenere zählen nur in den Summen.</p>
<nav aria-label="Zeitraum">${nav}</nav></header>
<main>
<div class="cards">${cards}</div>
<h2>Suchen pro Tag</h2>
<p class="legend muted"><span class="key-found"></span>mit Treffern<span class="key-zero"></span>ohne Treffer</p>
${dayChart(report.days)}
${table(
  "Häufigste Suchanfragen",
  ["Suchanfrage", "Suchen", "ohne Treffer", "gewählt"],
  report.topQueries.map((q) => [query(q), number(q.searches), number(q.zero), number(q.choices)]),
  "Noch keine Suchanfrage wurde oft genug gesucht.",
)}
${table(
  "Suchanfragen ohne Treffer",
  ["Suchanfrage", "ohne Treffer", "Suchen"],
  report.topZeroQueries.map((q) => [`${query(q)}${actionHtml(q.action)}`, number(q.zero), number(q.searches)]),
  "Keine häufige Suchanfrage blieb ohne Treffer.",
)}
${table(
  "Meistgewählte Seiten",
  ["Seite", "gewählt"],
  report.topPages.map((p) => [
    `${escapeHtml(p.title)}${p.heading ? ` › ${escapeHtml(p.heading)}` : ""} <span class="muted">${escapeHtml(p.doc)}${p.anchor ? `#${escapeHtml(p.anchor)}` : ""}</span>`,
    number(p.choices),
  ]),
  "Noch wurde kein Ergebnis gewählt.",
)}
${table(
  "Selten gewählte Ergebnisse",
  ["Suchanfrage", "gewählt je Suche mit Treffern", "Suchen"],
  report.rarelyChosen.map((q) => [`${query(q)}${actionHtml(q.action)}`, percent(q.choiceRate), number(q.searches)]),
  "Noch keine Suchanfrage mit Treffern wurde oft genug gesucht.",
)}
${table(
  "Empfohlene Ergebnisse",
  ["Suchanfrage › empfohlene Seite", "gewählt"],
  report.promoted.map((p) => [`${query(p)} › ${escapeHtml(p.title)} <span class="muted">${escapeHtml(p.doc)}</span>`, number(p.choices)]),
  "Noch wurde keine empfohlene Seite gewählt (Empfehlungen: corpus/promotions.txt).",
)}
<p class="muted">Die Vorschläge unter den Suchanfragen sind Zeilen zum Kopieren: in <code>corpus/synonyms.txt</code> (was Bürgerinnen und Bürger tippen ⇒ was die Seiten sagen) oder <code>corpus/promotions.txt</code> (Suchanfrage ⇒ Seite, die zuerst erscheint); danach neu bauen und veröffentlichen. Prüfen Sie jede Zeile, bevor Sie sie übernehmen. Vorschläge stehen unter den ersten zehn Suchanfragen beider Listen.</p>
<p class="muted">Daten: <a href="/insights.json?days=${days}">JSON</a>, CSV: <a href="/insights.csv?days=${days}">Suchanfragen</a>, <a href="/insights.csv?days=${days}&amp;table=days">Tage</a>, <a href="/insights.csv?days=${days}&amp;table=pages">Seiten</a>.</p>
</main>
</body>
</html>
`;
}
