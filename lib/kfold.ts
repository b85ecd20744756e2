/**
 * K-fold cross-validation with numpy-compatible shuffling: the folds of
 * Surprise's `model_selection.KFold(n_splits, random_state, shuffle=True)`
 * row for row.
 *
 * Surprise's KFold (1.1.x, `surprise/model_selection/split.py`) builds
 * `indices = np.arange(n_ratings)`, shuffles it once with
 * `RandomState(random_state).shuffle`, and cuts it into `n_splits`
 * consecutive slices: each slice is `n // n_splits` long, and the first
 * `n % n_splits` slices take one more. Fold f's test set is slice f in
 * shuffled order; its training set is everything before the slice followed by
 * everything after it, also in shuffled order (that order fixes Surprise's
 * inner ids, see {@link foldTrainOrder}).
 *
 * @example
 * ```ts
 * import { RandomState } from "./rng.ts";
 * import { kFold } from "./kfold.ts";
 * const folds = kFold(13, 5, new RandomState(0));
 * // folds.map((f) => f.test.length) → [3, 3, 3, 2, 2]
 * ```
 *
 * @module
 */

import type { RandomState } from "./rng.ts";
import type { Split } from "./split.ts";

/** One fold: its training and test rows, plus where its test slice sits. */
export interface Fold extends Split {
  /** Fold number, 0-based. */
  readonly index: number;
  /** The test slice is `shuffled[start, stop)`. */
  readonly start: number;
  readonly stop: number;
}

/**
 * The `[start, stop)` boundaries of each of `k` consecutive folds over `n`
 * rows, as Surprise's KFold (and scikit-learn's) cut them: the first `n % k`
 * folds hold `⌊n/k⌋ + 1` rows, the rest `⌊n/k⌋`.
 *
 * @returns An Int32Array of length k + 1: fold f is `[b[f], b[f + 1])`.
 * @throws {RangeError} Unless 2 ≤ k ≤ n.
 */
export function foldBoundaries(n: number, k: number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`kFold: n ${n} must be a non-negative integer`);
  }
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new RangeError(
      `kFold: n_splits ${k} must be an integer >= 2 and at most the ${n} rows`,
    );
  }
  const b = new Int32Array(k + 1);
  const base = Math.floor(n / k);
  const extra = n % k;
  for (let f = 0; f < k; f++) b[f + 1] = b[f] + base + (f < extra ? 1 : 0);
  return b;
}

/**
 * Surprise's `KFold(n_splits=k, random_state=seed, shuffle=true).split(data)`
 * as row indices: `rs.shuffle(arange(n))` (omitted when `rs` is null, i.e.
 * `shuffle=False`), then consecutive slices.
 *
 * @param n Number of rows (ratings), in file order.
 * @param k Number of folds, 2 ≤ k ≤ n.
 * @param rs The generator, fresh from the seed for parity with
 *   `random_state=seed`; null for no shuffling.
 * @returns k folds; test rows in shuffled order, train rows = the shuffled
 *   rows before the slice then those after it.
 */
export function kFold(n: number, k: number, rs: RandomState | null): Fold[] {
  const b = foldBoundaries(n, k);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (rs) rs.shuffle(idx);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const start = b[f], stop = b[f + 1];
    folds.push({
      index: f,
      start,
      stop,
      test: idx.slice(start, stop),
      train: foldTrainOrder(idx, start, stop),
    });
  }
  return folds;
}

/**
 * The training rows of the fold `shuffled[start, stop)`: `shuffled[:start]`
 * then `shuffled[stop:]`, the order in which Surprise's
 * `chain(indices[:start], indices[stop:])` hands them to `construct_trainset`.
 */
export function foldTrainOrder(
  shuffled: Int32Array,
  start: number,
  stop: number,
): Int32Array {
  const out = new Int32Array(shuffled.length - (stop - start));
  out.set(shuffled.subarray(0, start), 0);
  out.set(shuffled.subarray(stop), start);
  return out;
}
