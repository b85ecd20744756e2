/**
 * Surprise 1.1.x `BaselineOnly()` at its defaults: baselines b_u, b_i fitted
 * by alternating least squares (`baseline_als`: `n_epochs=10`, `reg_i=10`,
 * `reg_u=15`), predicting μ + b_u + b_i (each bias only when its user/item is
 * known).
 *
 * @module
 */

import type { SurpriseModel, SurpriseTrainset } from "./trainset.ts";

/** ALS baseline options (Surprise's `bsl_options` for `method='als'`). */
export interface AlsBaselineOptions {
  readonly nEpochs?: number;
  readonly regI?: number;
  readonly regU?: number;
}

/** Surprise's defaults: 10 epochs, reg_i 10, reg_u 15. */
export const ALS_BASELINE_DEFAULTS: Required<AlsBaselineOptions> = {
  nEpochs: 10,
  regI: 10,
  regU: 15,
};

/**
 * Surprise's `baseline_als`: per epoch, every item's b_i = Σ_{u∈U_i}(r − μ −
 * b_u) / (reg_i + |U_i|), then every user's b_u = Σ_{i∈I_u}(r − μ − b_i) /
 * (reg_u + |I_u|), both from zeros.
 *
 * @returns bu (length nUsers) and bi (length nItems), inner ids.
 */
export function alsBaselines(
  t: SurpriseTrainset,
  opts: AlsBaselineOptions = {},
): { bu: Float64Array; bi: Float64Array } {
  const { nEpochs, regI, regU } = { ...ALS_BASELINE_DEFAULTS, ...opts };
  const bu = new Float64Array(t.nUsers), bi = new Float64Array(t.nItems);
  const mu = t.globalMean;
  for (let e = 0; e < nEpochs; e++) {
    for (let i = 0; i < t.nItems; i++) {
      let dev = 0;
      for (let p = t.irStart[i]; p < t.irStart[i + 1]; p++) {
        dev += t.irRating[p] - mu - bu[t.irUser[p]];
      }
      bi[i] = dev / (regI + (t.irStart[i + 1] - t.irStart[i]));
    }
    for (let u = 0; u < t.nUsers; u++) {
      let dev = 0;
      for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
        dev += t.urRating[p] - mu - bi[t.urItem[p]];
      }
      bu[u] = dev / (regU + (t.urStart[u + 1] - t.urStart[u]));
    }
  }
  return { bu, bi };
}

/** The baseline estimate μ + b_u + b_i, each bias only when known (−1 = unknown). */
export function baselineEstimate(
  mu: number,
  bu: Float64Array,
  bi: Float64Array,
  u: number,
  i: number,
): number {
  let est = mu;
  if (u >= 0) est += bu[u];
  if (i >= 0) est += bi[i];
  return est;
}

/** A fitted BaselineOnly. */
export interface BaselineOnlyModel extends SurpriseModel {
  readonly bu: Float64Array;
  readonly bi: Float64Array;
}

/** Fits `BaselineOnly(bsl_options)` (ALS) on `t`. */
export function fitBaselineOnly(
  t: SurpriseTrainset,
  opts: AlsBaselineOptions = {},
): BaselineOnlyModel {
  const { bu, bi } = alsBaselines(t, opts);
  return {
    trainset: t,
    bu,
    bi,
    estimate: (u, i) => baselineEstimate(t.globalMean, bu, bi, u, i),
  };
}
