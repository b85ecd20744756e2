/**
 * Mean-rating baselines as the blog reproduced by `exp:fastai` computed them
 * on a dense users × items matrix with zeros for unrated cells: the user's
 * mean rating, the item's mean rating, or the average of the two. A mean over
 * no ratings is 0/0 = NaN there, and NaN predictions are replaced by the mean
 * of the prediction matrix's non-NaN cells (`np.nanmean`); this module gets
 * the same numbers from the ratings alone, without the dense matrix.
 *
 * @example
 * ```ts
 * import { baselinePredict, ratingMeans } from "./baselines.ts";
 * const train = {
 *   users: new Int32Array([0, 0, 1]),
 *   items: new Int32Array([0, 1, 0]),
 *   ratings: new Float32Array([4, 2, 5]),
 * };
 * const means = ratingMeans(train, 2, 3); // userMean [3, 5], itemMean [4.5, 2, NaN]
 * baselinePredict("item", means, new Int32Array([1]), new Int32Array([2]));
 * // → [3.25]: item 2 has no ratings, so the mean of the item means
 * ```
 *
 * @module
 */

import type { RatingTriples } from "./embedding_mf/embedding_mf.ts";

/** Per-user and per-item mean ratings; NaN where there is no rating. */
export interface RatingMeans {
  /** Mean rating per user, length nUsers (NaN: no ratings). */
  readonly userMean: Float64Array;
  /** Mean rating per item, length nItems (NaN: no ratings). */
  readonly itemMean: Float64Array;
}

/** Which baseline: user mean, item mean, or ½ (user mean + item mean). */
export type BaselineKind = "user" | "item" | "average";

/**
 * Mean rating of each user and each item: `M.sum(axis) / count_nonzero(M,
 * axis)` of the dense matrix M holding the ratings, so a mean over nothing is
 * NaN. Ratings must be positive (a zero would be an unrated cell in M).
 *
 * @throws {RangeError} When a rating is not a positive finite number or an
 * index is out of range.
 */
export function ratingMeans(
  data: RatingTriples,
  nUsers: number,
  nItems: number,
): RatingMeans {
  const n = data.ratings.length;
  const uSum = new Float64Array(nUsers), uCount = new Float64Array(nUsers);
  const iSum = new Float64Array(nItems), iCount = new Float64Array(nItems);
  for (let r = 0; r < n; r++) {
    const u = data.users[r], i = data.items[r], x = data.ratings[r];
    if (!(x > 0) || !Number.isFinite(x)) {
      throw new RangeError(
        `ratingMeans: rating ${x} at row ${r} is not a positive number (0 marks an unrated cell)`,
      );
    }
    if (!(u >= 0 && u < nUsers && i >= 0 && i < nItems)) {
      throw new RangeError(
        `ratingMeans: row ${r} has user ${u} / item ${i} outside ${nUsers} × ${nItems}`,
      );
    }
    uSum[u] += x;
    uCount[u]++;
    iSum[i] += x;
    iCount[i]++;
  }
  const userMean = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) userMean[u] = uSum[u] / uCount[u];
  const itemMean = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) itemMean[i] = iSum[i] / iCount[i];
  return { userMean, itemMean };
}

/** Mean of the non-NaN values (NaN when there are none). */
export function nanMean(x: Float64Array): number {
  let s = 0, c = 0;
  for (const v of x) {
    if (!Number.isNaN(v)) {
      s += v;
      c++;
    }
  }
  return s / c;
}

/**
 * Baseline predictions at (users[j], items[j]) pairs. A NaN cell of the full
 * nUsers × nItems prediction matrix is replaced by that matrix's nanmean: the
 * mean of the defined user means ("user"), of the defined item means
 * ("item"), or ½ (both) ("average", whose defined cells are the product of
 * defined users and defined items).
 *
 * @returns Float64Array of predictions, length = users.length.
 */
export function baselinePredict(
  kind: BaselineKind,
  means: RatingMeans,
  users: Int32Array,
  items: Int32Array,
): Float64Array {
  const mu = nanMean(means.userMean), mi = nanMean(means.itemMean);
  const fill = kind === "user" ? mu : kind === "item" ? mi : 0.5 * (mu + mi);
  const out = new Float64Array(users.length);
  for (let j = 0; j < users.length; j++) {
    const a = means.userMean[users[j]], b = means.itemMean[items[j]];
    const p = kind === "user" ? a : kind === "item" ? b : 0.5 * (a + b);
    out[j] = Number.isNaN(p) ? fill : p;
  }
  return out;
}
