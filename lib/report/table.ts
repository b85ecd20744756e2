/**
 * HTML tables for reports: header, rows of strings and numbers, numbers
 * formatted with a per-column precision and right-aligned, an optional
 * caption, and a "comparison" variant that colours status cells.
 *
 * @module
 */

import { escapeHtml, inlineMarkup } from "./escape.ts";
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
  /** A tooltip (the `title` attribute), e.g. the raw metric key behind a label. */
  readonly title?: string;
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
  /** Caption shown above the table (every table should have one). */
  readonly caption?: string;
  /** "comparison": cells holding a status ("reproduced", ...) are coloured. */
  readonly variant?: "plain" | "comparison";
  /**
   * Columns (0-based) that on a narrow screen (≤ 720 px) leave the row and
   * fold into a `<details>` line under it, so the other columns stay
   * readable; on a wide screen the line is hidden and the columns show.
   */
  readonly fold?: readonly number[];
  /** Numbered notes printed under the table (cells refer to them as "note 1", ...). */
  readonly footnotes?: readonly string[];
}

/** Width (CSS px) at and below which `TableBlock.fold` columns fold. */
export const FOLD_WIDTH_PX = 720;

/**
 * Formats `value` for a table: `decimals` fixed digits, or (null) integers
 * as they are and other numbers with 4 decimals. A non-zero number that
 * those digits would print as zero (|value| < half a unit of the last digit)
 * is written in exponent form with 3 significant digits (`2.86e-6`), so a
 * small difference can always be read; a true minus sign for negatives.
 *
 * @example
 * ```ts
 * import { formatNumber } from "./table.ts";
 * console.assert(formatNumber(0.0000028612, 4) === "2.86e-6");
 * console.assert(formatNumber(943, null) === "943");
 * ```
 */
export function formatNumber(value: number, decimals: number | null): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const d = decimals ?? 4;
  let text: string;
  if (decimals === null && Number.isInteger(value)) text = String(value);
  else if (value !== 0 && Math.abs(value) < 0.5 * 10 ** -d) {
    text = value.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
  } else text = value.toFixed(d);
  // "-0.0000" reads as a sign where there is none; use a true minus sign otherwise.
  if (/^-0(?:\.0*)?$/.test(text)) return text.slice(1);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function renderTextCell(
  cell: TextCell,
  comparison: boolean,
  extra: readonly string[],
): string {
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
  return tdTag(
    [
      ...(cell.numeric ? ["num"] : []),
      ...(comparison && cell.status !== undefined
        ? ["status", `status-${cell.status}`]
        : []),
      ...extra,
    ],
    text,
    cell.title,
  );
}

function tdTag(classes: readonly string[], html: string, title?: string) {
  const cls = classes.length === 0 ? "" : ` class="${classes.join(" ")}"`;
  const tip = title === undefined ? "" : ` title="${escapeHtml(title)}"`;
  return `<td${cls}${tip}>${html}</td>`;
}

/** The plain text a cell shows (numbers formatted with `decimals`). */
export function cellText(cell: TableCell, decimals: number | null): string {
  if (typeof cell === "object") return cell.text;
  if (typeof cell === "number") return formatNumber(cell, decimals);
  return cell;
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
  const fold = new Set(table.fold ?? []);
  for (const c of fold) {
    if (!(Number.isInteger(c) && c >= 0 && c < n)) {
      throw new Error(`table fold column ${c} is not one of the ${n} columns`);
    }
  }
  const foldClass = (c: number) => (fold.has(c) ? ["fold"] : []);
  const classes = [
    ...(table.variant === "comparison" ? ["comparison"] : []),
    ...(fold.size > 0 ? ["folding"] : []),
  ];
  const lines: string[] = [
    `<div class="table-wrap"><table${
      classes.length > 0 ? ` class="${classes.join(" ")}"` : ""
    }>`,
  ];
  if (table.caption !== undefined) {
    lines.push(`<caption>${renderCaption(table.caption)}</caption>`);
  }
  lines.push(
    `<thead><tr>${
      table.header.map((h, c) =>
        `<th scope="col"${fold.has(c) ? ' class="fold"' : ""}>${
          escapeHtml(h)
        }</th>`
      ).join("")
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
        return renderTextCell(
          cell,
          table.variant === "comparison",
          foldClass(c),
        );
      }
      if (typeof cell === "number") {
        return tdTag(
          ["num", ...foldClass(c)],
          escapeHtml(formatNumber(cell, precisions[c])),
        );
      }
      if (table.variant === "comparison" && statuses.includes(cell)) {
        return tdTag(
          ["status", `status-${cell as ComparisonStatus}`, ...foldClass(c)],
          escapeHtml(cell),
        );
      }
      return tdTag(foldClass(c), inlineMarkup(cell));
    });
    lines.push(`<tr>${cells.join("")}</tr>`);
    if (fold.size > 0) {
      const items = [...fold].sort((a, b) => a - b).map((c) => ({
        label: table.header[c],
        text: cellText(row[c], precisions[c]),
      })).filter((x) => x.text.trim() !== "" && x.text !== "—");
      if (items.length > 0) {
        lines.push(
          `<tr class="fold-row"><td colspan="${
            n - fold.size
          }"><details><summary>${
            escapeHtml(items.map((x) => x.label).join(", "))
          }</summary><dl>${
            items.map((x) =>
              `<dt>${escapeHtml(x.label)}</dt><dd>${inlineMarkup(x.text)}</dd>`
            ).join("")
          }</dl></details></td></tr>`,
        );
      }
    }
  });
  lines.push("</tbody>", "</table>");
  if (table.footnotes !== undefined && table.footnotes.length > 0) {
    lines.push(
      `<ol class="footnotes">${
        table.footnotes.map((f) => `<li>${inlineMarkup(f)}</li>`).join("")
      }</ol>`,
    );
  }
  lines.push("</div>");
  return lines.join("\n");
}

/** A caption's text, escaped, with `inlineMarkup`. */
const renderCaption = inlineMarkup;
