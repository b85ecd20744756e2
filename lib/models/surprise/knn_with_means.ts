/**
 * Surprise 1.1.x `KNNWithMeans()` at its defaults: k = 40, min_k = 1 and the
 * default `sim_options` (user-based MSD, min_support 1; see knn_baseline.ts).
 *
 * r̂_ui = μ_u + Σ_{v∈N} sim(u,v)(r_vi − μ_v) / Σ_{v∈N} sim(u,v), μ_u the mean
 * of u's training ratings, N the k raters of i most similar to u
 * (`heapq.nlargest` order) of which only those with sim > 0 count. Below min_k
 * such neighbours, or with no positive similarity, the estimate is μ_u. An
 * unknown user or item raises `PredictionImpossible` (→ the training mean).
 *
 * @module
 */

import type { KnnModel, KnnOptions } from "./knn_basic.ts";
import { msdUserSimilarity, selectTopK } from "./knn_baseline.ts";
import type { SurpriseTrainset } from "./trainset.ts";

/** A fitted KNNWithMeans: similarities and each user's mean rating (length nUsers). */
export interface KnnWithMeansModel extends KnnModel {
  readonly means: Float64Array;
}

/** Mean training rating of each inner user (`np.mean` of `ur[u]`'s ratings). */
export function userMeans(t: SurpriseTrainset): Float64Array {
  const means = new Float64Array(t.nUsers);
  for (let u = 0; u < t.nUsers; u++) {
    let s = 0;
    for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) s += t.urRating[p];
    means[u] = s / (t.urStart[u + 1] - t.urStart[u]);
  }
  return means;
}

/** Fits KNNWithMeans (user-based MSD) on `t`. */
export function fitKnnWithMeans(
  t: SurpriseTrainset,
  opts: KnnOptions = {},
): KnnWithMeansModel {
  const k = opts.k ?? 40, minK = opts.minK ?? 1;
  const sim = msdUserSimilarity(t, opts.minSupport ?? 1);
  const means = userMeans(t);
  const n = t.nUsers;
  const topSim = new Float64Array(k), topPos = new Int32Array(k);
  return {
    trainset: t,
    sim,
    means,
    estimate(u, i) {
      if (u < 0 || i < 0) return null;
      const kept = selectTopK(t, i, sim, u * n, k, topSim, topPos);
      let sumSim = 0, sumRatings = 0, actualK = 0;
      for (let j = 0; j < kept; j++) {
        const s = topSim[j];
        if (s > 0) {
          const p = topPos[j];
          sumSim += s;
          sumRatings += s * (t.irRating[p] - means[t.irUser[p]]);
          actualK++;
        }
      }
      if (actualK < minK) sumRatings = 0;
      return sumSim === 0 ? means[u] : means[u] + sumRatings / sumSim;
    },
  };
}
