/**
 * Evaluation metrics: rating errors (RMSE, MSE, MAE) and top-k ranking metrics
 * (precision, recall, MAP, NDCG, AUC at k) computed the way implicit's
 * `evaluation.ranking_metrics_at_k` computes them, and the parity figures
 * (mean squared error, largest absolute difference) experiments report
 * between two score vectors. Top-k selection lives in
 * models/factor_model.ts.
 *
 * @module
 */

import type { Csr } from "./sparse.ts";

/** A vector of predictions or targets. */
export type FloatVector = Float32Array | Float64Array;

function checkPair(fn: string, pred: FloatVector, actual: FloatVector): void {
  if (pred.length !== actual.length) {
    throw new RangeError(
      `${fn}: pred has ${pred.length} values but actual has ${actual.length}`,
    );
  }
  if (pred.length === 0) {
    throw new RangeError(`${fn}: pred and actual are empty`);
  }
}

/**
 * Root mean squared error `sqrt(mean((pred - actual)^2))`, accumulated in
 * float64, in the units of the ratings.
 *
 * @param pred Predictions, length n > 0.
 * @param actual Targets, length n.
 * @throws {RangeError} When the lengths differ or are zero.
 *
 * @example
 * ```ts
 * import { rmse } from "./metrics.ts";
 * console.assert(rmse(Float32Array.of(1, 3), Float32Array.of(3, 3)) === Math.SQRT2);
 * ```
 */
export function rmse(pred: FloatVector, actual: FloatVector): number {
  checkPair("rmse", pred, actual);
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i] - actual[i];
    s += d * d;
  }
  return Math.sqrt(s / pred.length);
}

/**
 * Mean absolute error `mean(|pred - actual|)`, accumulated in float64, in the
 * units of the ratings.
 *
 * @param pred Predictions, length n > 0.
 * @param actual Targets, length n.
 * @throws {RangeError} When the lengths differ or are zero.
 *
 * @example
 * ```ts
 * import { mae } from "./metrics.ts";
 * console.assert(mae(Float32Array.of(1, 3), Float32Array.of(2, 3)) === 0.5);
 * ```
 */
export function mae(pred: FloatVector, actual: FloatVector): number {
  checkPair("mae", pred, actual);
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - actual[i]);
  return s / pred.length;
}

/**
 * Mean squared error `mean((pred - actual)^2)`, accumulated in float64 in
 * index order (each term `d * d`, `d = pred[i] - actual[i]`), in squared
 * rating units (Keras' `mean_squared_error`). Not `rmse(...) ** 2`, which
 * differs in the last bits.
 *
 * @param pred Predictions, length n > 0.
 * @param actual Targets, length n.
 * @throws {RangeError} When the lengths differ or are zero.
 * @example
 * ```ts
 * import { mse } from "./metrics.ts";
 * console.assert(mse(Float32Array.of(1, 3), Float32Array.of(2, 3)) === 0.5);
 * ```
 */
export function mse(pred: FloatVector, actual: FloatVector): number {
  checkPair("mse", pred, actual);
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i] - actual[i];
    s += d * d;
  }
  return s / pred.length;
}

/**
 * Largest absolute difference `max |a[j] - b[j]|` (0 for empty vectors; NaN
 * if any difference is NaN): the parity figure between two implementations'
 * scores.
 *
 * @throws {RangeError} When the lengths differ.
 * @example
 * ```ts
 * import { maxAbsDiff } from "./metrics.ts";
 * console.assert(maxAbsDiff(Float32Array.of(1, 2), Float32Array.of(1.5, 2)) === 0.5);
 * ```
 */
export function maxAbsDiff(a: FloatVector, b: FloatVector): number {
  if (a.length !== b.length) {
    throw new RangeError(
      `maxAbsDiff: a has ${a.length} values but b has ${b.length}`,
    );
  }
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
}

/** Ranking metrics at k, averaged over the users that have test items. */
export interface RankingMetrics {
  /** Σ_u hits_u / Σ_u min(k, |T_u|) (implicit's "precision"). */
  readonly precision: number;
  /** mean_u hits_u / |T_u| (not in implicit). */
  readonly recall: number;
  /** mean_u (Σ_{i: hit at rank i} hits_≤i / i) / min(k, |T_u|). */
  readonly map: number;
  /** mean_u DCG_u / IDCG_u with discount 1 / log2(rank + 1). */
  readonly ndcg: number;
  /** mean_u of implicit's AUC limited to the top k (see rankingMetricsAtK). */
  readonly auc: number;
  /** Number of users with at least one test item: the ones averaged. */
  readonly users: number;
}

/** Options of {@link rankingMetricsAtK}. */
export interface RankingOptions {
  /** The training matrix (users × items); needed by `auc: "exclude-train"`. */
  readonly train?: Csr;
  /**
   * How AUC counts a user's negative items. `"implicit"` (default):
   * `nItems − |T_u|`, exactly as implicit. `"exclude-train"`:
   * `nItems − |T_u| − |R_u \ T_u|`, where R_u is the user's train items,
   * i.e. only items that could have been recommended count as negatives
   * (differs from implicit; requires `train`).
   */
  readonly auc?: "implicit" | "exclude-train";
}

/**
 * Top-k ranking metrics following implicit's `ranking_metrics_at_k`.
 *
 * For each user u with a non-empty test set T_u (the distinct items of row u
 * of `test`; users with none are skipped), let r_1..r_k be the row
 * `recommended[u*k .. u*k+k)` (−1 = no recommendation, always a miss; a
 * repeated item counts each time it appears, as in implicit), hit_i = 1 when
 * r_i ∈ T_u, hits_u = Σ_i hit_i and m_u = min(k, |T_u|):
 *
 * - precision = Σ_u hits_u / Σ_u m_u (a pooled ratio, not a mean over users;
 *   with m_u in the denominator a user with fewer than k test items can
 *   still reach 1).
 * - recall = mean_u hits_u / |T_u|.
 * - map = mean_u AP_u, AP_u = (Σ_i hit_i · (hits among r_1..r_i) / i) / m_u.
 * - ndcg = mean_u (Σ_i hit_i / log2(i + 1)) / (Σ_{j=1..m_u} 1 / log2(j + 1)).
 * - auc: with P = |T_u|, N = nItems − P (see {@link RankingOptions.auc}),
 *   walk the list keeping `hit` (hits so far) and `miss`; each miss adds
 *   `hit`; then add (hit + P)/2 · (N − miss) for the unranked negatives;
 *   AUC_u = total / (P · N); auc = mean_u AUC_u (NaN, as in implicit, if
 *   some user has N = 0).
 *
 * Differences from implicit: `recall` is ours; `auc: "exclude-train"` is an
 * opt-in variant; implicit asks the model for the list, we take it as input.
 *
 * @param recommended Item indices, nUsers × k row-major, −1 padded.
 * @param test Test interactions, users × items (nRows = nUsers).
 * @param k List length, a positive integer.
 * @throws {RangeError} On shape mismatches or item indices out of range.
 *
 * @example
 * ```ts
 * import { rankingMetricsAtK } from "./metrics.ts";
 * import { csrFromCoo } from "./sparse.ts";
 * // One user whose test item 2 is ranked first of k = 2.
 * const test = csrFromCoo(Int32Array.of(0), Int32Array.of(2), [1], 1, 4);
 * const m = rankingMetricsAtK(Int32Array.of(2, 0), test, 2);
 * console.assert(m.precision === 1 && m.ndcg === 1);
 * ```
 */
export function rankingMetricsAtK(
  recommended: Int32Array,
  test: Csr,
  k: number,
  options: RankingOptions = {},
): RankingMetrics {
  if (!Number.isInteger(k) || k <= 0) {
    throw new RangeError(
      `rankingMetricsAtK: k ${k} must be a positive integer`,
    );
  }
  const nUsers = test.nRows, nItems = test.nCols;
  if (recommended.length !== nUsers * k) {
    throw new RangeError(
      `rankingMetricsAtK: recommended has ${recommended.length} entries, expected nUsers × k = ${nUsers} × ${k} = ${
        nUsers * k
      }`,
    );
  }
  const aucMode = options.auc ?? "implicit";
  const train = options.train;
  if (aucMode !== "implicit" && aucMode !== "exclude-train") {
    throw new RangeError(
      `rankingMetricsAtK: auc "${aucMode}" must be "implicit" or "exclude-train"`,
    );
  }
  if (aucMode === "exclude-train" && !train) {
    throw new TypeError(
      'rankingMetricsAtK: auc "exclude-train" needs options.train',
    );
  }
  if (train && (train.nRows !== nUsers || train.nCols !== nItems)) {
    throw new RangeError(
      `rankingMetricsAtK: train is ${train.nRows} × ${train.nCols} but test is ${nUsers} × ${nItems}`,
    );
  }
  for (let j = 0; j < recommended.length; j++) {
    const id = recommended[j];
    if (id < -1 || id >= nItems) {
      throw new RangeError(
        `rankingMetricsAtK: recommended[${j}] (user ${
          Math.floor(j / k)
        }, rank ${
          (j % k) + 1
        }) = ${id} is not an item index in [0, ${nItems}) or -1`,
      );
    }
  }

  // Discounts 1/log2(i + 2) for 0-based rank i, and their running sums.
  const cg = new Float64Array(k);
  const cgSum = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    cg[i] = 1 / Math.log2(i + 2);
    cgSum[i] = (i > 0 ? cgSum[i - 1] : 0) + cg[i];
  }

  const stamp = new Int32Array(nItems); // stamp[item] = u + 1 when item ∈ T_u
  let relevant = 0, prDiv = 0, total = 0;
  let recallSum = 0, mapSum = 0, ndcgSum = 0, aucSum = 0;
  for (let u = 0; u < nUsers; u++) {
    const lo = test.indptr[u], hi = test.indptr[u + 1];
    if (lo === hi) continue;
    let nPos = 0;
    for (let e = lo; e < hi; e++) {
      const it = test.indices[e];
      if (stamp[it] !== u + 1) {
        stamp[it] = u + 1;
        nPos++;
      }
    }
    let nNeg = nItems - nPos;
    if (aucMode === "exclude-train" && train) {
      for (let e = train.indptr[u]; e < train.indptr[u + 1]; e++) {
        if (stamp[train.indices[e]] !== u + 1) nNeg--;
      }
    }
    const m = Math.min(k, nPos);
    prDiv += m;
    const idcg = cgSum[m - 1];
    let hit = 0, miss = 0, ap = 0, dcg = 0, auc = 0;
    const base = u * k;
    for (let i = 0; i < k; i++) {
      const id = recommended[base + i];
      if (id >= 0 && stamp[id] === u + 1) {
        hit++;
        ap += hit / (i + 1);
        dcg += cg[i];
      } else {
        miss++;
        auc += hit;
      }
    }
    auc += ((hit + nPos) / 2) * (nNeg - miss);
    relevant += hit;
    recallSum += hit / nPos;
    mapSum += ap / m;
    ndcgSum += dcg / idcg;
    aucSum += auc / (nPos * nNeg);
    total++;
  }
  if (total === 0) {
    throw new RangeError(
      "rankingMetricsAtK: no user has a test item; the metrics are undefined",
    );
  }
  return {
    precision: relevant / prDiv,
    recall: recallSum / total,
    map: mapSum / total,
    ndcg: ndcgSum / total,
    auc: aucSum / total,
    users: total,
  };
}
