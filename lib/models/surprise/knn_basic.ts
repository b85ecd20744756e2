/**
 * Surprise 1.1.x `KNNBasic()` at its defaults: k = 40, min_k = 1 and the
 * default `sim_options` (user-based MSD, min_support 1; see knn_baseline.ts).
 *
 * r̂_ui = Σ_{v∈N} sim(u,v)·r_vi / Σ_{v∈N} sim(u,v), N the k raters of i most
 * similar to u (`heapq.nlargest` order, ties by `ir[i]` order) of which only
 * those with sim > 0 count, summed in that order. Surprise raises
 * `PredictionImpossible` (so `predict` falls back to the training mean) when
 * the user or the item is unknown, or when fewer than min_k neighbours have
 * sim > 0.
 *
 * @module
 */

import { msdUserSimilarity, selectTopK } from "./knn_baseline.ts";
import type { SurpriseModel, SurpriseTrainset } from "./trainset.ts";

/** KNNBasic / KNNWithMeans settings (Surprise names: k, min_k, min_support). */
export interface KnnOptions {
  readonly k?: number;
  readonly minK?: number;
  readonly minSupport?: number;
}

/** A fitted user-based k-NN: its similarity matrix, nUsers × nUsers row-major. */
export interface KnnModel extends SurpriseModel {
  readonly sim: Float64Array;
}

/** Fits KNNBasic (user-based MSD) on `t`. */
export function fitKnnBasic(
  t: SurpriseTrainset,
  opts: KnnOptions = {},
): KnnModel {
  const k = opts.k ?? 40, minK = opts.minK ?? 1;
  const sim = msdUserSimilarity(t, opts.minSupport ?? 1);
  const n = t.nUsers;
  const topSim = new Float64Array(k), topPos = new Int32Array(k);
  return {
    trainset: t,
    sim,
    estimate(u, i) {
      if (u < 0 || i < 0) return null;
      const kept = selectTopK(t, i, sim, u * n, k, topSim, topPos);
      let sumSim = 0, sumRatings = 0, actualK = 0;
      for (let j = 0; j < kept; j++) {
        const s = topSim[j];
        if (s > 0) {
          sumSim += s;
          sumRatings += s * t.irRating[topPos[j]];
          actualK++;
        }
      }
      if (actualK < minK) return null;
      return sumRatings / sumSim;
    },
  };
}
