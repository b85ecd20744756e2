/**
 * The reproduction scorecard: one row per experiment and compared metric,
 * with the published figure, ours (mean ± std over seeds where there are
 * several), the difference and the status, formatted once so the README
 * table and `reports/index.html` show the same text.
 *
 * @module
 */

import {
  COMPARISON_STATUSES,
  type ComparisonStatus,
  type MetricValue,
  type ReferenceRun,
  type Results,
} from "./results.ts";

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
  /** The status as a reader says it: "reproduced", "explained difference", "not reproduced", ... */
  readonly statusLabel: string;
  /** The rule and its interval, e.g. "95 % PI [0.9273, 0.9600] (n = 5)". */
  readonly rule: string;
  /** The reference re-run as `mean ± std (n seeds; Welch p = …)`, or "—". */
  readonly reference: string;
  readonly note: string;
}

/** Reader-facing words for each status. */
export const STATUS_LABELS: Readonly<Record<ComparisonStatus, string>> = {
  "reproduced": "reproduced",
  "explained": "explained difference",
  "not-reproduced": "not reproduced",
  "hypothesis": "difference, cause not demonstrated",
  "cannot-judge": "cannot judge",
  "not-comparable": "not comparable",
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

/**
 * A metric as ours: the number, or `mean ± std (n runs)` for a summary over
 * several runs (std: sample standard deviation); `runs` names them
 * ("seeds", "folds").
 */
export function formatMetric(value: MetricValue, runs = "seeds"): string {
  if (typeof value === "number") return formatFigure(value);
  if (value.values.length === 1) return formatFigure(value.mean);
  return `${formatFigure(value.mean)} ± ${
    formatFigure(value.std)
  } (${value.values.length} ${runs})`;
}

/**
 * A reference re-run as `mean ± std (n seeds; Welch p = …)`; one known only
 * by summary statistics says so and shows its quoted range:
 * `mean ± std (n seeds, summary only, min–max; Welch p = …)`. p has two
 * significant digits; "Welch: cannot judge" when the test had too few runs.
 */
export function formatReference(ref: ReferenceRun): string {
  const n = ref.values?.length ?? ref.n ?? 0;
  const parts = [`${n} ${n === 1 ? "seed" : "seeds"}`];
  if (ref.values === undefined) {
    parts.push("summary only");
    if (ref.min !== undefined || ref.max !== undefined) {
      parts.push(
        `${ref.min === undefined ? "?" : formatFigure(ref.min)}–${
          ref.max === undefined ? "?" : formatFigure(ref.max)
        }`,
      );
    }
  }
  const p = ref.rule.rule === "welch" ? ref.rule.parameters.p : null;
  const test = typeof p === "number"
    ? `Welch p = ${p.toPrecision(2)}`
    : `Welch: ${STATUS_LABELS[ref.rule.status]}`;
  return `${formatFigure(ref.mean)} ± ${formatFigure(ref.std)} (${
    parts.join(", ")
  }; ${test})`;
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
      reproduced: formatMetric(r.metrics[c.metric], runsWord(r)),
      difference: c.difference === null ? "—" : formatDifference(c.difference),
      status: c.status,
      statusLabel: STATUS_LABELS[c.status],
      rule: c.rule.interval_text,
      reference: c.reference === undefined ? "—" : formatReference(c.reference),
      note: c.note,
    }))
  );
}

/** What a results file's summaries run over: "folds" when its config says it cross-validates, else "seeds". */
export function runsWord(results: Results): string {
  return typeof results.config.folds === "number" ? "folds" : "seeds";
}

/** How many comparisons of `results` have each status. */
export function statusCounts(
  results: Results,
): Record<ComparisonStatus, number> {
  const counts = Object.fromEntries(
    COMPARISON_STATUSES.map((s) => [s, 0]),
  ) as Record<ComparisonStatus, number>;
  for (const c of results.comparisons) counts[c.status]++;
  return counts;
}
