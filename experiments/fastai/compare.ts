/**
 * Published vs reproduced for `exp:fastai`: one rule per kind of row (the
 * blog's rows, the corrected cosine rows, the other learning-rate reading),
 * tested alone in compare_test.ts.
 *
 * @module
 */

import {
  type Comparison,
  comparison,
  type ComparisonStatus,
  type MetricSummary,
  type MetricValue,
} from "../../lib/report/results.ts";
import {
  EXACT_AGREEMENT,
  PUBLISHED,
  ROW_NAMES,
  TRAINED_AGREEMENT,
} from "./document.ts";

/** What the rules need to know about the run besides its metrics. */
export interface CompareContext {
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** How many model seeds the Keras rows ran. */
  readonly seedCount: number;
  /** Data and split are the document's (2016 release, split seed 7, 0.8 train). */
  readonly isDocument: boolean;
  /** The models' settings are the document's (svd k, factors, l2, batch, lr). */
  readonly sameModels: boolean;
  /** The "other settings" note (see `otherSettingsNote`). */
  readonly otherNote: string;
}

type PublishedKey = keyof typeof PUBLISHED;

/** The comparison rows, sorted by published value (the blog's order). */
export function fastaiComparisons(c: CompareContext): Comparison[] {
  const rows = Object.keys(ROW_NAMES).filter((k) => k in c.metrics).map((k) =>
    blogRow(k, c)
  );
  rows.push(
    correctedRow(
      "rmse_item_cosine_train",
      "rmse_item_cosine_leaky",
      "corrected Movie-based Cosine Similarity: means and deviations from the train matrix; test ratings of movies without train ratings fall back to the user's train mean",
      c,
    ),
    correctedRow(
      "rmse_user_cosine_train",
      "rmse_user_cosine_leaky",
      "corrected User-based Cosine Similarity: means and deviations from the train matrix",
      c,
    ),
  );
  for (const key of ["rmse_dot_lr_applied", "rmse_dot_bias_lr_applied"]) {
    if (!(key in c.metrics)) continue;
    rows.push(
      correctedRow(
        key,
        key.replace("_lr_applied", "") as PublishedKey,
        "the other reading: `optimizer.lr = 0.01` taking effect between the fit calls, which Keras 2 did not do",
        c,
      ),
    );
  }
  return rows.sort((a, b) => (a.published as number) - (b.published as number));
}

/**
 * One of the blog's rows: a deterministic number must equal the printed one
 * within `EXACT_AGREEMENT`, a Keras mean over seeds lie within
 * `TRAINED_AGREEMENT` of the single published run; explained by the other
 * settings when the data, split or models are not the document's.
 */
export function blogRow(key: string, c: CompareContext): Comparison {
  const pub = PUBLISHED[key as PublishedKey];
  const value = c.metrics[key];
  const summary = typeof value === "number" ? null : value as MetricSummary;
  const reproducedValue = summary ? summary.mean : value as number;
  const tolerance = summary ? TRAINED_AGREEMENT : EXACT_AGREEMENT;
  const close = Math.abs(reproducedValue - pub) <= tolerance;
  let status: ComparisonStatus;
  let note: string;
  if (!c.isDocument || !c.sameModels) {
    status = "explained";
    note = c.otherNote;
  } else if (close) {
    status = "reproduced";
    note = summary
      ? `${ROW_NAMES[key]}: mean ± std over ${c.seedCount} seed(s) ${
        summary.mean.toFixed(4)
      } ± ${summary.std.toFixed(4)}; the blog's run was one unseeded draw`
      : `${ROW_NAMES[key]}: deterministic, equal to the printed digits`;
    if (key.endsWith("_leaky")) {
      note +=
        "; the blog predicted from the TEST matrix (a leak), see the corrected row";
    }
  } else {
    status = "not-reproduced";
    note = `${
      ROW_NAMES[key]
    }: farther than ${tolerance} from the published value`;
  }
  return comparison(key, c.metrics, pub, status, note);
}

/** A row the blog did not print, set beside the blog row `pubKey`: always explained by `why`. */
function correctedRow(
  key: string,
  pubKey: PublishedKey,
  why: string,
  c: CompareContext,
): Comparison {
  return comparison(key, c.metrics, PUBLISHED[pubKey], "explained", why);
}
