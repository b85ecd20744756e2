/**
 * HTML tables for reports: header, rows of strings and numbers, numbers
 * formatted with a per-column precision and right-aligned, an optional
 * caption, and a "comparison" variant that colours status cells.
 *
 * @module
 */

import { escapeHtml } from "./escape.ts";
import { COMPARISON_STATUSES, type ComparisonStatus } from "./results.ts";

/**
 * A cell given as ready-made text: a link when `href` is set (a relative
 * path, `#anchor` or an http(s) URL), right-aligned like a number when
 * `numeric`, coloured as `status` in the comparison variant.
 */
export interface TextCell {
  /** The cell's text. */
  readonly text: string;
  /** Link target: a relative path, `#anchor` or http(s) URL. */
  readonly href?: string;
  /** Right-align like a number. */
  readonly numeric?: boolean;
  /** Comparison status to colour the cell with. */
  readonly status?: ComparisonStatus;
}

/** One cell: a string, a number (formatted with the column's precision), or a `TextCell`. */
export type TableCell = string | number | TextCell;

/** A table block of a report. */
export interface TableBlock {
  /** Block tag. */
  readonly kind: "table";
  /** Column headings; every row has exactly this many cells. */
  readonly header: readonly string[];
  /** Body rows, each with one cell per heading. */
  readonly rows: readonly (readonly TableCell[])[];
  /**
   * Decimals for numbers: one for every column, or one per column (`null`:
   * integers as is, other numbers with 4 decimals, which is also the default).
   */
  readonly precision?: number | readonly (number | null)[];
  /** Caption shown under the table. */
  readonly caption?: string;
  /** "comparison": cells holding a status ("reproduced", ...) are coloured. */
  readonly variant?: "plain" | "comparison";
}

/** Formats `value` for a table: `decimals` fixed digits, or the default rule above. */
export function formatNumber(value: number, decimals: number | null): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const text = decimals === null
    ? (Number.isInteger(value) ? String(value) : value.toFixed(4))
    : value.toFixed(decimals);
  // "-0.0000" reads as a sign where there is none; use a true minus sign otherwise.
  if (/^-0(?:\.0*)?$/.test(text)) return text.slice(1);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function renderTextCell(cell: TextCell, comparison: boolean): string {
  if (cell.href !== undefined && SCHEME_RE.test(cell.href)) {
    if (!/^https?:\/\//i.test(cell.href)) {
      throw new Error(
        `table link must be relative or http(s), got ${
          JSON.stringify(cell.href)
        }`,
      );
    }
  }
  const text = cell.href === undefined
    ? escapeHtml(cell.text)
    : `<a href="${escapeHtml(cell.href)}">${escapeHtml(cell.text)}</a>`;
  const classes = [
    ...(cell.numeric ? ["num"] : []),
    ...(comparison && cell.status !== undefined
      ? ["status", `status-${cell.status}`]
      : []),
  ];
  return classes.length === 0
    ? `<td>${text}</td>`
    : `<td class="${classes.join(" ")}">${text}</td>`;
}

/**
 * Renders `table` as an HTML `<table>` (inside a scrolling wrapper).
 *
 * @throws {Error} when a row's length differs from the header's, a
 *   precision is not an integer in [0, 20], or a link has a scheme other
 *   than http(s).
 */
export function renderTable(table: TableBlock): string {
  const n = table.header.length;
  const precisions = Array.isArray(table.precision)
    ? table.precision as readonly (number | null)[]
    : new Array<number | null>(n).fill(
      (table.precision as number | undefined) ?? null,
    );
  if (precisions.length !== n) {
    throw new Error(
      `table "${
        table.caption ?? table.header.join(", ")
      }": ${precisions.length} precisions for ${n} columns`,
    );
  }
  for (const p of precisions) {
    if (p !== null && !(Number.isInteger(p) && p >= 0 && p <= 20)) {
      throw new Error(
        `table precision must be an integer in [0, 20], got ${p}`,
      );
    }
  }
  const statuses: readonly string[] = COMPARISON_STATUSES;
  const lines: string[] = [
    `<div class="table-wrap"><table${
      table.variant === "comparison" ? ' class="comparison"' : ""
    }>`,
  ];
  if (table.caption !== undefined) {
    lines.push(`<caption>${escapeHtml(table.caption)}</caption>`);
  }
  lines.push(
    `<thead><tr>${
      table.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")
    }</tr></thead>`,
  );
  lines.push("<tbody>");
  table.rows.forEach((row, r) => {
    if (row.length !== n) {
      throw new Error(
        `table "${table.caption ?? table.header.join(", ")}": row ${
          r + 1
        } has ${row.length} cells, header has ${n}`,
      );
    }
    const cells = row.map((cell, c) => {
      if (typeof cell === "object") {
        return renderTextCell(cell, table.variant === "comparison");
      }
      if (typeof cell === "number") {
        return `<td class="num">${
          escapeHtml(formatNumber(cell, precisions[c]))
        }</td>`;
      }
      if (table.variant === "comparison" && statuses.includes(cell)) {
        return `<td class="status status-${cell as ComparisonStatus}">${
          escapeHtml(cell)
        }</td>`;
      }
      return `<td>${escapeHtml(cell)}</td>`;
    });
    lines.push(`<tr>${cells.join("")}</tr>`);
  });
  lines.push("</tbody>", "</table></div>");
  return lines.join("\n");
}
