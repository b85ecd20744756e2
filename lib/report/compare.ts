/**
 * Pinned vs fresh results: the check behind the pinned-results test and
 * `deno task verify`. A metric passes when both files have it and the
 * absolute difference is within its tolerance.
 *
 * @module
 */

import { type Json, metricNumber, type Results } from "./results.ts";

/** Absolute tolerances: `default` for every metric, `metrics` per metric name. */
export interface Tolerances {
  readonly default: number;
  readonly metrics?: Readonly<Record<string, number>>;
}

/** One metric of the comparison; `null` where a side lacks the metric. */
export interface CompareRow {
  readonly metric: string;
  readonly pinned: number | null;
  readonly fresh: number | null;
  /** `|fresh − pinned|`, null when either side is missing. */
  readonly absDiff: number | null;
  readonly tol: number;
  /** Both present and `absDiff ≤ tol`. */
  readonly ok: boolean;
}

function checkTolerance(name: string, tol: number): void {
  if (!Number.isFinite(tol) || tol < 0) {
    throw new RangeError(
      `tolerance for ${name} must be a finite number ≥ 0, got ${tol}`,
    );
  }
}

/**
 * Compares every metric of `pinned` and `fresh` (the union of names, sorted);
 * a summary metric compares by its mean. A metric missing on either side is a
 * failing row.
 *
 * @throws {Error} when the files are of different experiments, or a
 *   tolerance is negative or names a metric neither file has (a typo guard).
 */
export function compareResults(
  pinned: Results,
  fresh: Results,
  tolerances: Tolerances,
): CompareRow[] {
  if (pinned.experiment !== fresh.experiment) {
    throw new Error(
      `cannot compare results of "${pinned.experiment}" with results of "${fresh.experiment}"`,
    );
  }
  checkTolerance("default", tolerances.default);
  const names = [
    ...new Set([...Object.keys(pinned.metrics), ...Object.keys(fresh.metrics)]),
  ].sort();
  const perMetric = tolerances.metrics ?? {};
  for (const [name, tol] of Object.entries(perMetric)) {
    if (!names.includes(name)) {
      throw new Error(`tolerance given for unknown metric "${name}"`);
    }
    checkTolerance(name, tol);
  }
  return names.map((metric) => {
    const p = Object.hasOwn(pinned.metrics, metric)
      ? metricNumber(pinned.metrics[metric])
      : null;
    const f = Object.hasOwn(fresh.metrics, metric)
      ? metricNumber(fresh.metrics[metric])
      : null;
    const tol = Object.hasOwn(perMetric, metric)
      ? perMetric[metric]
      : tolerances.default;
    const absDiff = p === null || f === null ? null : Math.abs(f - p);
    return {
      metric,
      pinned: p,
      fresh: f,
      absDiff,
      tol,
      ok: absDiff !== null && absDiff <= tol,
    };
  });
}

/**
 * Paths (like `config.model.factors`) where the two configurations differ:
 * a non-empty list means the fresh numbers come from a different setup.
 */
export function diffConfig(
  pinned: Json,
  fresh: Json,
  path = "config",
): string[] {
  if (Array.isArray(pinned) && Array.isArray(fresh)) {
    if (pinned.length !== fresh.length) return [path];
    return pinned.flatMap((v, i) => diffConfig(v, fresh[i], `${path}[${i}]`));
  }
  const isObj = (v: Json): v is { [k: string]: Json } =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(pinned) && isObj(fresh)) {
    const keys = [...new Set([...Object.keys(pinned), ...Object.keys(fresh)])]
      .sort();
    return keys.flatMap((k) => {
      if (!Object.hasOwn(pinned, k) || !Object.hasOwn(fresh, k)) {
        return [`${path}.${k}`];
      }
      return diffConfig(pinned[k], fresh[k], `${path}.${k}`);
    });
  }
  return Object.is(pinned, fresh) ? [] : [path];
}

/**
 * A plain-text table of `rows` for a terminal or CI log, one line per metric
 * ending in "ok" or "FAIL", numbers with `digits` significant digits.
 */
export function formatCompareRows(
  rows: readonly CompareRow[],
  digits = 6,
): string {
  const fmt = (
    v: number | null,
  ) => (v === null ? "missing" : Number(v.toPrecision(digits)).toString());
  const table = [
    ["metric", "pinned", "fresh", "|diff|", "tol", ""],
    ...rows.map((
      r,
    ) => [
      r.metric,
      fmt(r.pinned),
      fmt(r.fresh),
      fmt(r.absDiff),
      fmt(r.tol),
      r.ok ? "ok" : "FAIL",
    ]),
  ];
  const widths = table[0].map((_, c) =>
    Math.max(...table.map((row) => row[c].length))
  );
  return table
    .map((row) =>
      row.map((
        cell,
        c,
      ) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(
        "  ",
      ).trimEnd()
    )
    .join("\n");
}
