/**
 * The README's generated parts: the results table and the citation table,
 * rendered from the pinned results as Markdown laid out the way `deno fmt`
 * lays out tables (so the README stays format-clean), and the marker-delimited
 * regions (`<!-- results:start -->` ... `<!-- results:end -->`) they live in.
 *
 * @module
 */

import type { Results } from "./results.ts";
import { scorecardRows } from "./scorecard.ts";

/** A README region's markers, `<!-- <name>:start -->` and `<!-- <name>:end -->`. */
export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/**
 * A Markdown table with every column padded to its widest cell and the
 * separator row of dashes, as `deno fmt` writes it. Widths count code points.
 *
 * @throws {Error} when a row's length differs from the header's.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const cells = [header, ...rows].map((row, r) => {
    if (row.length !== header.length) {
      throw new Error(
        `markdown table: row ${r} has ${row.length} cells, header has ${header.length}`,
      );
    }
    return row.map(escapeCell);
  });
  const width = (s: string) => [...s].length;
  const widths = header.map((_, c) =>
    Math.max(3, ...cells.map((row) => width(row[c])))
  );
  const line = (row: readonly string[]) =>
    `| ${
      row.map((cell, c) => cell + " ".repeat(widths[c] - width(cell))).join(
        " | ",
      )
    } |`;
  return [
    line(cells[0]),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...cells.slice(1).map(line),
  ].join("\n");
}

/**
 * The README results table: experiment (linking its pinned JSON under
 * `reportsDir`), metric, published, reproduced (mean ± sample std over
 * seeds), reference re-run ("—" when none), the agreement rule with its
 * interval, and the status as a reader says it; one row per comparison of
 * each results file.
 */
export function renderResultsTable(
  results: readonly Results[],
  reportsDir = "reports",
): string {
  return markdownTable(
    [
      "experiment",
      "metric",
      "published",
      "reproduced",
      "reference re-run",
      "rule and interval",
      "status",
    ],
    scorecardRows(results).map((row) => [
      `[${row.experiment}](${reportsDir}/${row.experiment}.json)`,
      `\`${row.metric}\``,
      row.published,
      row.reproduced,
      row.reference,
      row.rule,
      row.statusLabel,
    ]),
  );
}

/**
 * The README citation table: per pinned results file, the commit it was
 * produced at and every data file read, with its SHA-256.
 */
export function renderCitationTable(
  results: readonly Results[],
  reportsDir = "reports",
): string {
  return markdownTable(
    ["pinned results", "commit", "data file", "SHA-256"],
    results.flatMap((r) =>
      r.dataset.files.map((f, i) => [
        i === 0 ? `\`${reportsDir}/${r.experiment}.json\`` : "",
        i === 0 ? `\`${r.environment.git_commit}\`` : "",
        `\`${f.name}\``,
        `\`${f.sha256}\``,
      ])
    ),
  );
}

/** Where a region's markers are in `text`, as offsets of the body between them. */
function region(
  text: string,
  name: string,
  source: string,
): { from: number; to: number } {
  const { start, end } = markers(name);
  const first = text.indexOf(start);
  const last = text.indexOf(end);
  if (first < 0 || last < 0) {
    throw new Error(
      `${source}: missing the marker ${
        first < 0 ? start : end
      }; put ${start} and ${end} around the generated part`,
    );
  }
  if (
    text.indexOf(start, first + 1) >= 0 || text.indexOf(end, last + 1) >= 0
  ) {
    throw new Error(`${source}: the markers of "${name}" appear twice`);
  }
  if (last < first) {
    throw new Error(`${source}: ${end} comes before ${start}`);
  }
  return { from: first + start.length, to: last };
}

/**
 * The text between `name`'s markers in `text`, trimmed.
 *
 * @throws {Error} naming `source` when a marker is missing, repeated or out of order.
 */
export function readRegion(text: string, name: string, source: string): string {
  const { from, to } = region(text, name, source);
  return text.slice(from, to).trim();
}

/**
 * `text` with the part between `name`'s markers replaced by `body`,
 * surrounded by blank lines; everything outside the markers is kept as is.
 *
 * @throws {Error} naming `source` when a marker is missing, repeated or out of order.
 */
export function replaceRegion(
  text: string,
  name: string,
  body: string,
  source: string,
): string {
  const { from, to } = region(text, name, source);
  return `${text.slice(0, from)}\n\n${body.trim()}\n\n${text.slice(to)}`;
}
