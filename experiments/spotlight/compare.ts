/**
 * Published vs reproduced for `exp:spotlight`: one rule per kind of row,
 * tested alone in compare_test.ts.
 *
 * @module
 */

import {
  type Comparison,
  comparison,
  type ComparisonStatus,
  countComparison,
  type MetricSummary,
  type MetricValue,
  otherSettingsNote,
} from "../../lib/report/results.ts";
import type { Flags } from "../../lib/cli.ts";
import {
  DOCUMENT,
  type FLAGS,
  PUBLISHED_EPOCH_LOSS,
  RMSE_AGREEMENT,
} from "./document.ts";

/** What the rules need to know about the run besides its metrics. */
export interface CompareContext {
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Model seeds, in order. */
  readonly seeds: readonly number[];
  /** Data and split are the document's (ml-100k, raw ids, split seed 42, 20 % test). */
  readonly isDocument: boolean;
  /** The model's settings are the document's. */
  readonly sameModel: boolean;
  /** The counts' changes: dataset or test fraction changed; ids changed. */
  readonly countsChanged: boolean;
  readonly idsChanged: boolean;
  /** Minibatches per epoch. */
  readonly batches: number;
  /** Epochs run. */
  readonly epochs: number;
  /** The "other settings" note (see `otherSettingsNote`). */
  readonly otherNote: string;
}

/** The rules' context of a run with `flags` (`args` as given) and its metrics. */
export function compareContext(
  flags: Flags<typeof FLAGS>,
  args: readonly string[],
  metrics: Readonly<Record<string, MetricValue>>,
  seeds: readonly number[],
  trainRows: number,
): CompareContext {
  return {
    metrics,
    seeds,
    isDocument: flags.dataset === "ml-100k" && flags.ids === "raw" &&
      flags["split-seed"] === 42 && flags["test-fraction"] === 0.2,
    sameModel: flags.dim === 128 && flags.epochs === 10 &&
      flags["batch-size"] === 1024 && flags.lr === 1e-3 && flags.l2 === 1e-9,
    countsChanged: flags.dataset !== "ml-100k" ||
      flags["test-fraction"] !== 0.2,
    idsChanged: flags.ids !== "raw",
    batches: Math.ceil(trainRows / flags["batch-size"]),
    epochs: flags.epochs,
    otherNote: otherSettingsNote(args),
  };
}

/** The comparison rows, in report order. */
export function spotlightComparisons(c: CompareContext): Comparison[] {
  const pub = DOCUMENT.published as Record<string, number>;
  const countRow = (m: string, changed: boolean) =>
    countComparison(m, c.metrics, pub[m], changed ? c.otherNote : null);
  return [
    countRow("users", c.countsChanged || c.idsChanged),
    countRow("items", c.countsChanged || c.idsChanged),
    countRow("train_ratings", c.countsChanged),
    countRow("test_ratings", c.countsChanged),
    rmseRow("train_rmse", pub.train_rmse, c),
    rmseRow("test_rmse", pub.test_rmse, c),
    comparison(
      "onnx_test_rmse",
      c.metrics,
      pub.test_rmse,
      "explained",
      `test RMSE of seed ${
        c.seeds[0]
      }'s model computed from the ONNX model's scores`,
    ),
    lossRow(
      "first_epoch_loss_sum",
      PUBLISHED_EPOCH_LOSS[0],
      "the first epoch's loss depends most on the initial draw, which was unseeded in the document",
      c,
    ),
    lossRow(
      "last_epoch_loss_sum",
      PUBLISHED_EPOCH_LOSS.at(-1)!,
      `the loss after ${c.epochs} epochs, a draw from the same spread`,
      c,
    ),
  ];
}

/** An RMSE over seeds: reproduced within `RMSE_AGREEMENT` of the document's single run. */
export function rmseRow(
  m: string,
  published: number,
  c: CompareContext,
): Comparison {
  const s = c.metrics[m] as MetricSummary;
  const close = Math.abs(s.mean - published) <= RMSE_AGREEMENT;
  const comparable = c.isDocument && c.sameModel;
  const status: ComparisonStatus = close && comparable
    ? "reproduced"
    : comparable
    ? "not-reproduced"
    : "explained";
  const note = status === "explained"
    ? c.otherNote
    : `mean ± std over ${c.seeds.length} model seeds: ${s.mean.toFixed(4)} ± ${
      s.std.toFixed(4)
    }; ` +
      `the document's single run used unseeded torch initialisation, so it is one draw from this spread` +
      (close ? "" : ` — farther than ${RMSE_AGREEMENT} from it`);
  return comparison(m, c.metrics, published, status, note);
}

/** A summed epoch loss over seeds: explained (summed as the document's Spotlight printed it). */
function lossRow(
  m: string,
  published: number,
  note: string,
  c: CompareContext,
): Comparison {
  const ls = c.metrics[m] as MetricSummary;
  return comparison(
    m,
    c.metrics,
    published,
    "explained",
    `summed over the ${c.batches} minibatches of an epoch, as the document's Spotlight version printed it; ` +
      `mean ± std over ${c.seeds.length} model seeds ${ls.mean.toFixed(2)} ± ${
        ls.std.toFixed(2)
      }; ${note}`,
  );
}
