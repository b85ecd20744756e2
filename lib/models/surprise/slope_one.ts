/**
 * Surprise 1.1.x `SlopeOne()` (Lemire & Maclachlan 2005): dev(i, j) = mean
 * over users who rated both of r_ui − r_uj; r̂_ui = μ_u + mean over R_i(u) of
 * dev(i, j), R_i(u) the items u rated that share at least one user with i.
 * Unknown user or item: impossible (global mean).
 *
 * @module
 */

import type { SurpriseModel, SurpriseTrainset } from "./trainset.ts";

/** A fitted SlopeOne: dense nItems × nItems frequencies and deviations. */
export interface SlopeOneModel extends SurpriseModel {
  readonly freq: Int32Array;
  readonly dev: Float64Array;
  readonly userMean: Float64Array;
}

/** Fits SlopeOne on `t` (memory: nItems² × 12 bytes). */
export function fitSlopeOne(t: SurpriseTrainset): SlopeOneModel {
  const n = t.nItems;
  const freq = new Int32Array(n * n), dev = new Float64Array(n * n);
  const userMean = new Float64Array(t.nUsers);
  for (let u = 0; u < t.nUsers; u++) {
    const a = t.urStart[u], b = t.urStart[u + 1];
    let s = 0;
    for (let p = a; p < b; p++) {
      const i = t.urItem[p], ri = t.urRating[p], row = i * n;
      s += ri;
      for (let q = a; q < b; q++) {
        freq[row + t.urItem[q]]++;
        dev[row + t.urItem[q]] += ri - t.urRating[q];
      }
    }
    userMean[u] = s / (b - a);
  }
  for (let i = 0; i < n; i++) {
    dev[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      const c = freq[i * n + j];
      dev[i * n + j] = c > 0 ? dev[i * n + j] / c : 0;
      dev[j * n + i] = -dev[i * n + j];
    }
  }
  return {
    trainset: t,
    freq,
    dev,
    userMean,
    estimate(u, i) {
      if (u < 0 || i < 0) return null;
      let s = 0, m = 0;
      for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
        const j = t.urItem[p];
        if (freq[i * n + j] > 0) {
          s += dev[i * n + j];
          m++;
        }
      }
      return m > 0 ? userMean[u] + s / m : userMean[u];
    },
  };
}
