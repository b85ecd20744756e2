/**
 * Surprise's `Trainset` (1.1.x) as typed arrays, and the prediction wrapper
 * every Surprise algorithm shares (`AlgoBase.predict`): unknown users/items,
 * the "impossible" fallback to the global mean, and clipping to the rating
 * scale.
 *
 * Surprise's `Dataset.construct_trainset` numbers users and items in order of
 * first appearance in the training ratings it is handed ("inner ids"), and
 * fills `ur[u]` / `ir[i]` with (item, rating) / (user, rating) in that same
 * order; `all_ratings()` walks `ur` by ascending inner user. Those orders fix
 * the SGD visiting order, the initial factor rows and the k-NN tie-breaking,
 * so they are kept here exactly.
 *
 * @module
 */

/** A training set in Surprise's layout (inner ids by first appearance). */
export interface SurpriseTrainset {
  /** Inner users and items (distinct ones in the training rows). */
  readonly nUsers: number;
  readonly nItems: number;
  readonly nRatings: number;
  /** Dense data index → inner id, −1 when absent from training. */
  readonly innerUser: Int32Array;
  readonly innerItem: Int32Array;
  /** `ur`: ratings by inner user, CSR: user u's are [urStart[u], urStart[u+1]). */
  readonly urStart: Int32Array;
  readonly urItem: Int32Array;
  readonly urRating: Float64Array;
  /** `ir`: ratings by inner item, CSR. */
  readonly irStart: Int32Array;
  readonly irUser: Int32Array;
  readonly irRating: Float64Array;
  /** Mean of all training ratings. */
  readonly globalMean: number;
}

/**
 * Builds the trainset of the training rows, in the order given (Surprise's
 * `raw_trainset` order).
 *
 * @param users Dense user index per training row, in [0, nDenseUsers).
 * @param items Dense item index per training row, in [0, nDenseItems).
 * @param ratings Rating per row.
 */
export function buildTrainset(
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array | Float64Array,
  nDenseUsers: number,
  nDenseItems: number,
): SurpriseTrainset {
  const n = users.length;
  const innerUser = new Int32Array(nDenseUsers).fill(-1);
  const innerItem = new Int32Array(nDenseItems).fill(-1);
  const iu = new Int32Array(n), ii = new Int32Array(n);
  let nUsers = 0, nItems = 0, sum = 0;
  for (let r = 0; r < n; r++) {
    let u = innerUser[users[r]];
    if (u < 0) u = innerUser[users[r]] = nUsers++;
    let i = innerItem[items[r]];
    if (i < 0) i = innerItem[items[r]] = nItems++;
    iu[r] = u;
    ii[r] = i;
    sum += ratings[r];
  }
  const ur = csr(iu, ii, ratings, nUsers);
  const ir = csr(ii, iu, ratings, nItems);
  return {
    nUsers,
    nItems,
    nRatings: n,
    innerUser,
    innerItem,
    urStart: ur.start,
    urItem: ur.other,
    urRating: ur.value,
    irStart: ir.start,
    irUser: ir.other,
    irRating: ir.value,
    globalMean: sum / n,
  };
}

function csr(
  key: Int32Array,
  other: Int32Array,
  ratings: Float32Array | Float64Array,
  nKeys: number,
): { start: Int32Array; other: Int32Array; value: Float64Array } {
  const start = new Int32Array(nKeys + 1);
  for (let r = 0; r < key.length; r++) start[key[r] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const next = start.slice(0, nKeys);
  const o = new Int32Array(key.length), v = new Float64Array(key.length);
  for (let r = 0; r < key.length; r++) {
    const p = next[key[r]]++;
    o[p] = other[r];
    v[p] = ratings[r];
  }
  return { start, other: o, value: v };
}

/** Surprise's `rating_scale` (ML-100K's reader: 1 to 5). */
export interface RatingScale {
  readonly min: number;
  readonly max: number;
}

/** ML-100K's scale, `Reader('ml-100k').rating_scale`. */
export const ML100K_SCALE: RatingScale = { min: 1, max: 5 };

/**
 * A fitted Surprise-style algorithm: `estimate(u, i)` on inner ids (−1 for
 * an unknown user or item) returns the estimate, or null when Surprise's
 * `estimate` raises `PredictionImpossible`.
 */
export interface SurpriseModel {
  readonly trainset: SurpriseTrainset;
  estimate(u: number, i: number): number | null;
}

/** A fitted biased factor model (SVD, NMF, SVD++): biases and row-major factors (nUsers × f, nItems × f). */
export interface SurpriseFactorModel extends SurpriseModel {
  readonly bu: Float64Array;
  readonly bi: Float64Array;
  readonly pu: Float64Array;
  readonly qi: Float64Array;
  readonly nFactors: number;
}

/**
 * `AlgoBase.predict` over test rows: map dense indices to inner ids, call
 * `estimate`, fall back to the global mean when it is impossible, and clip
 * to the rating scale.
 *
 * @param users Dense user index per test row; `items` likewise.
 * @returns Predictions, one per row.
 */
export function predictRows(
  model: SurpriseModel,
  users: Int32Array,
  items: Int32Array,
  scale: RatingScale = ML100K_SCALE,
): Float64Array {
  const t = model.trainset;
  const out = new Float64Array(users.length);
  for (let r = 0; r < users.length; r++) {
    const u = users[r] < t.innerUser.length ? t.innerUser[users[r]] : -1;
    const i = items[r] < t.innerItem.length ? t.innerItem[items[r]] : -1;
    const e = model.estimate(u, i);
    const est = e === null ? t.globalMean : e;
    out[r] = Math.max(scale.min, Math.min(scale.max, est));
  }
  return out;
}
