/**
 * Surprise 1.1.x `KNNBaseline()` at its defaults: k = 40, min_k = 1,
 * baselines by ALS (`bsl_options` defaults, see baseline_only.ts), and the
 * default `sim_options` — **user-based MSD similarity** with min_support 1
 * (`AlgoBase` fills in `name='msd'`, `user_based=True`; the pearson_baseline
 * measure is only the documentation's recommendation, not the default).
 *
 * r̂_ui = b_ui + Σ_{v∈N} sim(u,v)(r_vi − b_vi) / Σ_{v∈N} sim(u,v), with N the
 * k users who rated i with the largest similarity to u (`heapq.nlargest`:
 * ties keep the order of `ir[i]`), of which only those with sim > 0 count;
 * below min_k such neighbours the neighbourhood term is 0. Unknown user or
 * item: the baseline alone (never impossible).
 *
 * MSD: msd(u, v) = mean over co-rated items of (r_ui − r_vi)²; sim = 1 /
 * (msd + 1); 0 for pairs with fewer than min_support common items; 1 on the
 * diagonal.
 *
 * @module
 */

import {
  type AlsBaselineOptions,
  alsBaselines,
  baselineEstimate,
} from "./baseline_only.ts";
import type { SurpriseModel, SurpriseTrainset } from "./trainset.ts";

/** KNNBaseline settings. */
export interface KnnBaselineOptions {
  readonly k?: number;
  readonly minK?: number;
  readonly minSupport?: number;
  readonly baselines?: AlsBaselineOptions;
}

/** A fitted KNNBaseline (user-based): similarity nUsers × nUsers row-major. */
export interface KnnBaselineModel extends SurpriseModel {
  readonly sim: Float64Array;
  readonly bu: Float64Array;
  readonly bi: Float64Array;
}

/**
 * Surprise's `similarities.msd` over users (x = user, y = item): squared
 * differences and co-rating counts accumulated item by item.
 *
 * @returns nUsers × nUsers similarities, row-major.
 */
export function msdUserSimilarity(
  t: SurpriseTrainset,
  minSupport = 1,
): Float64Array {
  const n = t.nUsers;
  const sq = new Float64Array(n * n);
  const freq = new Int32Array(n * n);
  for (let i = 0; i < t.nItems; i++) {
    const a = t.irStart[i], b = t.irStart[i + 1];
    for (let p = a; p < b; p++) {
      const x = t.irUser[p], r = t.irRating[p], row = x * n;
      for (let q = p + 1; q < b; q++) {
        const d = r - t.irRating[q];
        const y = t.irUser[q];
        const lo = x < y ? row + y : y * n + x;
        sq[lo] += d * d;
        freq[lo]++;
      }
    }
  }
  const sim = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    sim[x * n + x] = 1;
    for (let y = x + 1; y < n; y++) {
      const c = freq[x * n + y];
      const s = c < minSupport || c === 0 ? 0 : 1 / (sq[x * n + y] / c + 1);
      sim[x * n + y] = s;
      sim[y * n + x] = s;
    }
  }
  return sim;
}

/** Fits KNNBaseline (user-based MSD) on `t`. */
export function fitKnnBaseline(
  t: SurpriseTrainset,
  opts: KnnBaselineOptions = {},
): KnnBaselineModel {
  const k = opts.k ?? 40, minK = opts.minK ?? 1;
  const { bu, bi } = alsBaselines(t, opts.baselines);
  const sim = msdUserSimilarity(t, opts.minSupport ?? 1);
  const mu = t.globalMean, n = t.nUsers;
  const topSim = new Float64Array(k), topPos = new Int32Array(k);
  return {
    trainset: t,
    sim,
    bu,
    bi,
    estimate(u, i) {
      let est = baselineEstimate(mu, bu, bi, u, i);
      if (u < 0 || i < 0) return est;
      const row = u * n;
      const kept = selectTopK(t, i, sim, row, k, topSim, topPos);
      let sumSim = 0, sumRatings = 0, actualK = 0;
      for (let j = 0; j < kept; j++) {
        const s = topSim[j];
        if (s > 0) {
          const v = t.irUser[topPos[j]];
          sumSim += s;
          sumRatings += s * (t.irRating[topPos[j]] - (mu + bu[v] + bi[i]));
          actualK++;
        }
      }
      if (actualK < minK) sumRatings = 0;
      if (sumSim !== 0) est += sumRatings / sumSim;
      return est;
    },
  };
}

/**
 * `heapq.nlargest(k, ir[i], key=sim)` (shared by every k-NN algorithm here): the k raters of item i most similar
 * to the user whose similarity row starts at `row`, best first; among equal
 * similarities the earlier in `ir[i]` first (a candidate enters only when
 * strictly better than the one it displaces).
 *
 * @returns How many were kept (≤ k); `topSim`/`topPos` hold them (positions in ir).
 */
export function selectTopK(
  t: SurpriseTrainset,
  i: number,
  sim: Float64Array,
  row: number,
  k: number,
  topSim: Float64Array,
  topPos: Int32Array,
): number {
  let kept = 0;
  for (let p = t.irStart[i]; p < t.irStart[i + 1]; p++) {
    const s = sim[row + t.irUser[p]];
    if (kept === k && !(s > topSim[k - 1])) continue;
    let j = kept < k ? kept++ : k - 1;
    while (j > 0 && s > topSim[j - 1]) {
      topSim[j] = topSim[j - 1];
      topPos[j] = topPos[j - 1];
      j--;
    }
    topSim[j] = s;
    topPos[j] = p;
  }
  return kept;
}
