/**
 * Published vs reproduced for `exp:surprise`: the README's figures are fold
 * means of deterministic runs (every generator seeded), printed to 3
 * decimals, so each is judged by `deterministicRule` (float64) on the figure
 * as printed: reproduced iff |mean − published| ≤ 0.0005 + 1e-12 relative.
 * A run with other settings than the document's gives "not comparable" rows
 * (another quantity).
 *
 * @module
 */

import {
  deterministicRule,
  notComparable,
} from "../../lib/report/agreement.ts";
import {
  type Comparison,
  comparison,
  countComparison,
  type MetricSummary,
  type MetricValue,
} from "../../lib/report/results.ts";
import { DOCUMENT } from "./document.ts";

/** What the rules need to know about the run besides its metrics. */
export interface CompareContext {
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Metric prefixes of the algorithms run, in report order. */
  readonly keys: readonly string[];
  /** The run has the document's data, folds and settings. */
  readonly isDocument: boolean;
  /** The "other settings" note (see `otherSettingsNote`). */
  readonly otherNote: string;
}

/** The comparison rows: the rating count, then RMSE and MAE per algorithm. */
export function surpriseComparisons(c: CompareContext): Comparison[] {
  const pub = DOCUMENT.published as Record<string, number>;
  const rows = [
    countComparison(
      "ratings",
      c.metrics,
      pub.ratings,
      c.isDocument ? null : c.otherNote,
      { basis: "data" },
    ),
  ];
  for (const key of c.keys) {
    for (const m of ["rmse", "mae"]) {
      const metric = `${key}_${m}`;
      if (Object.hasOwn(pub, metric)) {
        rows.push(foldMeanRow(metric, pub[metric], c));
      }
    }
  }
  return rows;
}

/**
 * A fold-mean RMSE or MAE against the README's figure, printed "{:.3f}"
 * (read as 3 decimals whatever the number's shortest form).
 */
export function foldMeanRow(
  metric: string,
  published: number,
  c: CompareContext,
): Comparison {
  const s = c.metrics[metric] as MetricSummary;
  if (!c.isDocument) {
    return comparison(
      metric,
      c.metrics,
      published,
      notComparable(c.otherNote),
      c.otherNote,
    );
  }
  const rule = deterministicRule(published.toFixed(3), s.mean, {
    float: "float64",
  });
  const spread = `mean ± std over ${s.values.length} folds ${
    s.mean.toFixed(4)
  } ± ${s.std.toFixed(4)}`;
  return comparison(
    metric,
    c.metrics,
    published,
    rule,
    rule.status === "reproduced"
      ? spread
      : `${spread}: outside ${rule.interval_text}`,
  );
}
