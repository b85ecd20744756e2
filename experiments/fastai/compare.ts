/**
 * Published vs reproduced for `exp:fastai`, every row through the agreement
 * rule (lib/report/agreement.ts), one kind of row per function, tested alone
 * in compare_test.ts:
 *
 * - the counts: exact;
 * - the numpy/scipy rows (baselines, cosine, SVD): deterministic float64
 *   computations, so `deterministicRule` with the digits the blog's cells
 *   printed (Python 2's 12 significant digits, e.g. 0.815992426671);
 * - the Keras rows (dot, dot+bias, NN): a single unseeded run each, so the
 *   95 % prediction interval of our seeded runs (`predictionIntervalRule`);
 * - rows the blog did not print, set beside its rows: the corrected cosine
 *   rows (means and deviations from the train matrix instead of the test
 *   matrix) and the other learning-rate reading are other quantities than
 *   the blog's figure, so "not comparable", their note saying how they
 *   relate to it.
 *
 * A run with other data, split or model settings gives "not comparable" rows.
 *
 * @module
 */

import {
  deterministicRule,
  notComparable,
  predictionIntervalRule,
} from "../../lib/report/agreement.ts";
import type { Flags } from "../../lib/cli.ts";
import {
  type Comparison,
  comparison,
  countComparison,
  type MetricSummary,
  type MetricValue,
  otherSettingsNote,
} from "../../lib/report/results.ts";
import {
  DOCUMENT_DATASET,
  type FLAGS,
  PUBLISHED,
  ROW_NAMES,
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

/** The context of a run with `flags` (given as `args`), its `metrics` and `seedCount` model seeds. */
export function compareContext(
  flags: Flags<typeof FLAGS>,
  args: readonly string[],
  metrics: Readonly<Record<string, MetricValue>>,
  seedCount: number,
): CompareContext {
  return {
    metrics,
    seedCount,
    isDocument: flags.dataset === DOCUMENT_DATASET &&
      flags["split-seed"] === 7 && flags["train-fraction"] === 0.8,
    sameModels: flags["svd-k"] === 50 && flags.factors === 50 &&
      flags.l2 === 1e-4 && flags["batch-size"] === 64 && flags.lr === 1e-3,
    otherNote: otherSettingsNote(args),
  };
}

type PublishedKey = keyof typeof PUBLISHED;

/** The count rows, then the comparison rows sorted by published value (the blog's order). */
export function fastaiComparisons(c: CompareContext): Comparison[] {
  const counts = (["users", "movies", "ratings"] as const).filter((k) =>
    k in c.metrics
  ).map((k) =>
    countComparison(
      k,
      c.metrics,
      PUBLISHED[k],
      c.isDocument ? null : c.otherNote,
      { basis: "data" },
    )
  );
  const rows = Object.keys(ROW_NAMES).filter((k) => k in c.metrics).map((k) =>
    blogRow(k, c)
  );
  if ("rmse_item_cosine_train" in c.metrics) {
    rows.push(
      correctedRow(
        "rmse_item_cosine_train",
        "rmse_item_cosine_leaky",
        "the corrected Movie-based Cosine Similarity, another quantity than the blog's: means and " +
          "deviations from the TRAIN matrix (the blog took them from the test matrix, so each " +
          "prediction saw the rating it predicts); test ratings of movies without train ratings fall " +
          "back to the user's train mean",
        c,
      ),
    );
  }
  if ("rmse_user_cosine_train" in c.metrics) {
    rows.push(
      correctedRow(
        "rmse_user_cosine_train",
        "rmse_user_cosine_leaky",
        "the corrected User-based Cosine Similarity, another quantity than the blog's: means and " +
          "deviations from the TRAIN matrix (the blog took them from the test matrix)",
        c,
      ),
    );
  }
  for (const key of ["rmse_dot_lr_applied", "rmse_dot_bias_lr_applied"]) {
    if (!(key in c.metrics)) continue;
    rows.push(lrAppliedRow(key, c));
  }
  rows.sort((a, b) => (a.published as number) - (b.published as number));
  return [...counts, ...rows];
}

/** A Keras row: a metric summarised over seeds. */
function isKeras(value: MetricValue): value is MetricSummary {
  return typeof value !== "number";
}

/**
 * One of the blog's rows: a deterministic number by the tolerance rule at
 * the printed digits (float64), a Keras row (a summary over seeds) by the
 * prediction interval of our seeds; not comparable when the data, split or
 * models are not the document's.
 */
export function blogRow(key: string, c: CompareContext): Comparison {
  const pub = PUBLISHED[key as PublishedKey];
  const value = c.metrics[key];
  const name = ROW_NAMES[key];
  if (!c.isDocument || !c.sameModels) {
    return comparison(
      key,
      c.metrics,
      pub,
      notComparable(c.otherNote),
      c.otherNote,
    );
  }
  if (isKeras(value)) {
    const rule = predictionIntervalRule(String(pub), value.values);
    const note =
      `${name}: the blog's single unseeded run against our ${value.values.length} ` +
      `seeded runs, mean ± std ${value.mean.toFixed(4)} ± ${
        value.std.toFixed(4)
      }` +
      (value.values.length < 10
        ? `; with ${value.values.length} seeds the interval is wide (t quantile ${
          rule.parameters.t_quantile?.toFixed(2)
        })`
        : "");
    return comparison(key, c.metrics, pub, rule, note);
  }
  const rule = deterministicRule(String(pub), value, { float: "float64" });
  let note = rule.status === "reproduced"
    ? `${name}: deterministic (numpy/scipy float64), equal to the ${rule.parameters.decimals} printed decimals`
    : `${name}: deterministic, outside ${rule.interval_text}`;
  if (key.endsWith("_leaky")) {
    note +=
      "; the blog predicted from the TEST matrix (a leak), which this row repeats on purpose: see the corrected row";
  }
  return comparison(key, c.metrics, pub, rule, note);
}

/** A row the blog did not print, beside its row `pubKey`: another quantity (not comparable). */
function correctedRow(
  key: string,
  pubKey: PublishedKey,
  why: string,
  c: CompareContext,
): Comparison {
  const reason = c.isDocument && c.sameModels ? why : c.otherNote;
  return comparison(
    key,
    c.metrics,
    PUBLISHED[pubKey],
    notComparable(reason),
    reason,
  );
}

/**
 * The other reading of the blog's `optimizer.lr = 0.01` (applied between the
 * fit calls, which Keras 2 did not do): not the quantity the blog ran, so not
 * comparable; its note says whether the blog's figure lies in its prediction
 * interval too (computed by the rule, for information).
 */
export function lrAppliedRow(key: string, c: CompareContext): Comparison {
  const pubKey = key.replace("_lr_applied", "") as PublishedKey;
  const pub = PUBLISHED[pubKey];
  if (!c.isDocument || !c.sameModels) {
    return comparison(
      key,
      c.metrics,
      pub,
      notComparable(c.otherNote),
      c.otherNote,
    );
  }
  const runs = (c.metrics[key] as MetricSummary).values;
  const pi = predictionIntervalRule(String(pub), runs);
  const reason =
    "the other reading: `optimizer.lr = 0.01` taking effect between the fit calls, which Keras 2 " +
    "did not do, so not the blog's run; the blog's figure is " +
    (pi.agrees === null
      ? "not judged against it"
      : pi.agrees
      ? "inside"
      : "outside") +
    ` this reading's ${pi.interval_text}`;
  return comparison(key, c.metrics, pub, notComparable(reason), reason);
}
