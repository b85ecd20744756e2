/**
 * Surprise 1.1.x `NormalPredictor()`: every prediction is a draw from
 * N(μ̂, σ̂²), μ̂ the training mean and σ̂ = √(Σ(r − μ̂)²/n) (the maximum
 * likelihood estimate), taken from numpy's global generator
 * (`np.random.normal(mean, sigma)` per test rating, in test order), then
 * clipped to the rating scale like every Surprise prediction. Surprise's
 * benchmark seeds that generator once (`np.random.seed(0)`) and no other
 * benchmarked algorithm draws from it, so its draws continue across folds.
 *
 * @module
 */

import type { RandomState } from "../../rng.ts";
import type { SurpriseModel, SurpriseTrainset } from "./trainset.ts";

/** A fitted NormalPredictor: draws from `rs` on every estimate. */
export interface NormalPredictorModel extends SurpriseModel {
  readonly sigma: number;
}

/**
 * Fits NormalPredictor on `t`; `rs` is the shared stand-in for numpy's
 * global generator (one `RandomState(0)` across all folds in the benchmark).
 */
export function fitNormalPredictor(
  t: SurpriseTrainset,
  rs: RandomState,
): NormalPredictorModel {
  const mu = t.globalMean;
  let num = 0;
  for (let u = 0; u < t.nUsers; u++) {
    for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
      num += (t.urRating[p] - mu) ** 2;
    }
  }
  const sigma = Math.sqrt(num / t.nRatings);
  return { trainset: t, sigma, estimate: () => rs.normal(mu, sigma) };
}
