/**
 * The per-epoch curves of `exp:keras` and the metrics record built from
 * them: counts, parameter counts, each model's losses per epoch summarised
 * over seeds, the ExplicitMF run continued past the document's epochs, and
 * the ONNX exports' test MSE and parity.
 *
 * @module
 */

import { mse } from "../../lib/metrics.ts";
import type { FitJobEpoch } from "../../lib/train/fit_job.ts";
import {
  type MetricSummary,
  type MetricValue,
  summarize,
} from "../../lib/report/results.ts";
import { type ModelName, MODELS } from "./document.ts";

/** One `T` per model. */
export type PerModel<T> = Record<ModelName, T>;

/** A record with `make()` for each model (a fresh value each). */
export function perModel<T>(make: () => T): PerModel<T> {
  return { mf: make(), bias: make(), mlp: make() };
}

/** Per-epoch figures of one run (arrays of length epochs). */
export interface Curve {
  /** Mean batch MSE (dropout on for the MLP), squared rating units. */
  readonly trainMse: number[];
  /** L2 penalty c·Σw² after the epoch. */
  readonly penalty: number[];
  /** Test-set MSE after the epoch (no penalty). */
  readonly valMse: number[];
}

/** The curve of one fit's `epochs`, scored against `testRatings` (length N). */
export function curveOf(
  epochs: readonly FitJobEpoch[],
  testRatings: Float32Array,
): Curve {
  return {
    trainMse: epochs.map((e) => e.loss.meanLoss),
    penalty: epochs.map((e) => e.loss.penalty),
    valMse: epochs.map((e) => mse(e.predictions, testRatings)),
  };
}

/** The first `n` epochs of `c`. */
export function firstEpochs(c: Curve, n: number): Curve {
  return {
    trainMse: c.trainMse.slice(0, n),
    penalty: c.penalty.slice(0, n),
    valMse: c.valMse.slice(0, n),
  };
}

/** Keras' `val_loss` after epoch `e` (0-based): validation MSE + L2 penalty. */
export const valLoss = (c: Curve, e: number): number =>
  c.valMse[e] + c.penalty[e];
/** Keras' `loss` after epoch `e` (0-based): mean batch MSE + L2 penalty. */
export const trainLoss = (c: Curve, e: number): number =>
  c.trainMse[e] + c.penalty[e];

/** `f` at epoch `e` over the seeds' curves. */
export function perEpoch(
  curves: readonly Curve[],
  f: (c: Curve, e: number) => number,
  e: number,
): MetricSummary {
  return summarize(curves.map((c) => f(c, e)));
}

/** What the metrics record is built from. */
export interface MetricsInput {
  /** Counts and parameter counts, first in the record. */
  readonly counts: Readonly<Record<string, number>>;
  /** Per model, one curve per seed, `epochs` long. */
  readonly curves: Readonly<Record<ModelName, readonly Curve[]>>;
  /** ExplicitMF per seed, `epochs + extraEpochs` long. */
  readonly mfLong: readonly Curve[];
  readonly epochs: number;
  /** `--mf-extra-epochs`. */
  readonly extraEpochs: number;
  /** The first seed's ONNX export per model: test MSE and max |ONNX − TypeScript|. */
  readonly onnxMse: Readonly<Record<ModelName, number>>;
  readonly parity: Readonly<Record<ModelName, number>>;
}

/**
 * The metrics record: per model `<m>_val_loss_epochK`, `<m>_val_mse_epochK`,
 * `<m>_loss_epochK`, `<m>_val_mse` (last epoch), `<m>_evaluate_loss` (last
 * epoch's test MSE + penalty, what Keras' `evaluate()` returns), `<m>_best_val_mse`,
 * `<m>_best_epoch` (1-based), `<m>_onnx_test_mse`,
 * `<m>_onnx_parity_max_abs_diff`; then `mf_continued_*` for the continued
 * ExplicitMF run at epochs shift+1 … shift+E, shift = min(extra, 3).
 */
export function kerasMetrics(d: MetricsInput): Record<string, MetricValue> {
  const E = d.epochs;
  const metrics: Record<string, MetricValue> = { ...d.counts };
  for (const name of MODELS) {
    const cs = d.curves[name];
    for (let e = 0; e < E; e++) {
      metrics[`${name}_val_loss_epoch${e + 1}`] = perEpoch(cs, valLoss, e);
      metrics[`${name}_val_mse_epoch${e + 1}`] = perEpoch(
        cs,
        (c, k) => c.valMse[k],
        e,
      );
      metrics[`${name}_loss_epoch${e + 1}`] = perEpoch(cs, trainLoss, e);
    }
    metrics[`${name}_val_mse`] = summarize(cs.map((c) => c.valMse[E - 1]));
    metrics[`${name}_evaluate_loss`] = perEpoch(cs, valLoss, E - 1);
    metrics[`${name}_best_val_mse`] = summarize(
      cs.map((c) => Math.min(...c.valMse)),
    );
    metrics[`${name}_best_epoch`] = summarize(
      cs.map((c) => c.valMse.indexOf(Math.min(...c.valMse)) + 1),
    );
    metrics[`${name}_onnx_test_mse`] = d.onnxMse[name];
    metrics[`${name}_onnx_parity_max_abs_diff`] = d.parity[name];
  }
  const extra = d.extraEpochs;
  const shift = Math.min(extra, 3);
  if (extra > 0) {
    for (let e = shift; e < shift + E && e < E + extra; e++) {
      metrics[`mf_continued_val_loss_epoch${e + 1}`] = perEpoch(
        d.mfLong,
        valLoss,
        e,
      );
      metrics[`mf_continued_loss_epoch${e + 1}`] = perEpoch(
        d.mfLong,
        trainLoss,
        e,
      );
    }
  }
  return metrics;
}
