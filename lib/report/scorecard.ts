/**
 * The reproduction scorecard: one row per experiment and compared metric,
 * with the published figure, ours (mean ± std over seeds where there are
 * several), the difference and the status, formatted once so the README
 * table and `reports/index.html` show the same text.
 *
 * @module
 */

import type { ComparisonStatus, MetricValue, Results } from "./results.ts";

/** One formatted row of the scorecard. */
export interface ScorecardRow {
  /** `Results.experiment`, e.g. "als". */
  readonly experiment: string;
  readonly metric: string;
  /** As published (a number formatted by `formatFigure`, or the document's text). */
  readonly published: string;
  /** Ours: a number, or `mean ± std (n seeds)`. */
  readonly reproduced: string;
  /** `reproduced − published` with its sign, or "—" when published is not a number. */
  readonly difference: string;
  readonly status: ComparisonStatus;
  /** The status as a reader says it: "reproduced", "explained difference", "not reproduced". */
  readonly statusLabel: string;
  readonly note: string;
}

/** Reader-facing words for each status. */
export const STATUS_LABELS: Readonly<Record<ComparisonStatus, string>> = {
  "reproduced": "reproduced",
  "explained": "explained difference",
  "not-reproduced": "not reproduced",
};

/**
 * A number for a table: integers as they are (digits grouped by thousands
 * from 10,000), other numbers with up to 4 decimals (trailing zeros dropped),
 * and numbers below 0.001 in magnitude in exponent form, 3 significant digits
 * (`2.86e-6`). A true minus sign for negatives.
 */
export function formatFigure(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  let text: string;
  if (Number.isInteger(value)) {
    text = Math.abs(value) >= 10000
      ? value.toLocaleString("en-US", { useGrouping: true })
      : String(value);
  } else if (Math.abs(value) < 1e-3) {
    text = value.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
  } else {
    text = value.toFixed(4).replace(/\.?0+$/, "");
  }
  if (/^-0(?:\.0*)?$/.test(text)) return text.slice(1);
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** `formatFigure` with an explicit sign: "+0.0036", "−2", "0". */
export function formatDifference(value: number): string {
  const text = formatFigure(value);
  return value > 0 && text !== "0" ? `+${text}` : text;
}

/** A metric as ours: the number, or `mean ± std (n seeds)` for a summary over several seeds. */
export function formatMetric(value: MetricValue): string {
  if (typeof value === "number") return formatFigure(value);
  if (value.values.length === 1) return formatFigure(value.mean);
  return `${formatFigure(value.mean)} ± ${
    formatFigure(value.std)
  } (${value.values.length} seeds)`;
}

/** The scorecard rows of every results file, in the given order, each file's comparisons in its own order. */
export function scorecardRows(
  results: readonly Results[],
): ScorecardRow[] {
  return results.flatMap((r) =>
    r.comparisons.map((c) => ({
      experiment: r.experiment,
      metric: c.metric,
      published: typeof c.published === "number"
        ? formatFigure(c.published)
        : c.published,
      reproduced: formatMetric(r.metrics[c.metric]),
      difference: c.difference === null ? "—" : formatDifference(c.difference),
      status: c.status,
      statusLabel: STATUS_LABELS[c.status],
      note: c.note,
    }))
  );
}

/** How many comparisons of `results` have each status. */
export function statusCounts(
  results: Results,
): Record<ComparisonStatus, number> {
  const counts: Record<ComparisonStatus, number> = {
    "reproduced": 0,
    "explained": 0,
    "not-reproduced": 0,
  };
  for (const c of results.comparisons) counts[c.status]++;
  return counts;
}
