// Tables and lists of an HTML page as blocks: a table's rows labelled by its header, short list items as one run.
import { type Element, isTag } from "domhandler";
import { findOne, getAttributeValue } from "domutils";
import { type BlockKind, type RowCells, rowText } from "../source.js";
import { type ChromeTest, HEADING_TAGS, textPieces } from "./html-elements.js";

/** What makes a list item too complex to join a run of short items. */
const COMPLEX_ITEM_TAGS = new Set(["ul", "ol", "dl", "table", "pre", ...HEADING_TAGS]);

/** The longest list item, in characters, that still joins a run of short items. */
const SHORT_ITEM_LENGTH = 80;

interface TableCell {
  text: string;
  /** The column it starts in, from 0. */
  column: number;
  /** How many columns it spans (`colspan`), at least 1. */
  span: number;
  /** Whether it is a `<th>`. */
  header: boolean;
}

/** The cells of a table row (`<td>`, `<th>`) with the column each starts in, counting `colspan`. */
function rowCells(row: Element, isChrome: ChromeTest): TableCell[] {
  const cells: TableCell[] = [];
  let column = 0;
  for (const cell of row.children) {
    if (!isTag(cell) || (cell.name !== "td" && cell.name !== "th") || isChrome(cell, row)) continue;
    const span = Math.max(1, Math.min(1000, Number.parseInt(getAttributeValue(cell, "colspan") ?? "1", 10) || 1));
    cells.push({ text: textPieces(cell, row, isChrome).join(" "), column, span, header: cell.name === "th" });
    column += span;
  }
  return cells;
}

/**
 * The blocks of a table: its caption (a "text" block), then one "row" block per row, the cells' text joined
 * with " | ". The header row (the `<thead>`'s last row, else a first row of `<th>` cells only) is no block:
 * it labels the other rows' cells as `Header: value`, a cell whose header is empty unlabelled; empty cells
 * are left out, and a row of a single cell is that cell's text. A table inside a cell is flattened into it.
 */
export function tableBlocks(table: Element, isChrome: ChromeTest): { text: string; kind: BlockKind; cells?: RowCells }[] {
  const blocks: { text: string; kind: BlockKind; cells?: RowCells }[] = [];
  const rows: Element[] = [];
  const headRows: Element[] = [];
  for (const child of table.children) {
    if (!isTag(child) || isChrome(child, table)) continue;
    if (child.name === "caption") blocks.push({ text: textPieces(child, table, isChrome).join(" "), kind: "text" });
    if (child.name === "tr") rows.push(child);
    if (child.name === "thead" || child.name === "tbody" || child.name === "tfoot") {
      for (const row of child.children) {
        if (!isTag(row) || row.name !== "tr" || isChrome(row, child)) continue;
        rows.push(row);
        if (child.name === "thead") headRows.push(row);
      }
    }
  }
  const first = rows[0];
  const firstCells = first ? rowCells(first, isChrome) : [];
  const header = headRows.at(-1) ?? (firstCells.length > 0 && firstCells.every((cell) => cell.header) ? first : undefined);
  const labels: string[] = [];
  if (header) {
    for (const cell of rowCells(header, isChrome)) for (let i = 0; i < cell.span; i++) labels[cell.column + i] = cell.text;
  }
  for (const row of rows) {
    if (row === header || headRows.includes(row)) continue;
    const cells: RowCells = rowCells(row, isChrome).map((cell): [string | null, string] => [labels[cell.column] || null, cell.text]);
    // A row of one cell is that cell's text, unlabelled (as rowText writes it).
    if (cells.length === 1 && cells[0]) cells[0][0] = null;
    blocks.push({ text: rowText(cells), kind: "row", cells });
  }
  return blocks;
}

/**
 * A list item's text when it is short and simple enough to join a run of items: at most
 * {@link SHORT_ITEM_LENGTH} characters, one paragraph, no nested list, table, code block or heading.
 * Null when it is not.
 */
export function shortItemText(item: Element, list: Element, isChrome: ChromeTest): string | null {
  if (findOne((el) => COMPLEX_ITEM_TAGS.has(el.name), item.children, true)) return null;
  const pieces = textPieces(item, list, isChrome);
  if (pieces.length > 1) return null;
  const text = pieces[0] ?? "";
  return [...text].length <= SHORT_ITEM_LENGTH ? text : null;
}
