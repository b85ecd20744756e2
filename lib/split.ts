/**
 * Train/test splits that reproduce, row for row, the splits made by the
 * Python libraries the source documents used (Spotlight, scikit-learn,
 * implicit, recoflow, plain numpy). Every split returns row indices into an
 * {@link Interactions}; {@link takeRows} turns indices into a subset.
 *
 * @example
 * ```ts
 * import { RandomState } from "./rng.ts";
 * import { randomTrainTestSplit } from "./split.ts";
 * const { train, test } = randomTrainTestSplit(100, 0.2, new RandomState(42));
 * // train.length === 80, test.length === 20
 * ```
 *
 * @module
 */

import type { Interactions } from "./data/interactions.ts";
import type { RandomState } from "./rng.ts";

/** Row indices of a split: each an Int32Array of indices into the data, disjoint. */
export interface Split {
  /** Training rows, in the order the reproduced library yields them. */
  readonly train: Int32Array;
  /** Test rows, in the order the reproduced library yields them. */
  readonly test: Int32Array;
}

/**
 * The subset of `data` at `rows` (in that order), keeping nUsers, nItems, the
 * id maps and itemInfo, so indices stay comparable across train and test.
 *
 * @param rows Row indices in [0, n); repeats are allowed.
 * @throws {RangeError} When a row index lies outside the data.
 */
export function takeRows(data: Interactions, rows: Int32Array): Interactions {
  const n = data.users.length;
  const m = rows.length;
  const users = new Int32Array(m);
  const items = new Int32Array(m);
  const ratings = new Float32Array(m);
  // Timestamps the loader did not keep (length 0) stay absent.
  const hasTimestamps = data.timestamps.length > 0;
  const timestamps = new Float64Array(hasTimestamps ? m : 0);
  for (let j = 0; j < m; j++) {
    const r = rows[j];
    if (r < 0 || r >= n) {
      throw new RangeError(
        `takeRows: rows[${j}] = ${r} lies outside the ${n} rows of the data`,
      );
    }
    users[j] = data.users[r];
    items[j] = data.items[r];
    ratings[j] = data.ratings[r];
    if (hasTimestamps) timestamps[j] = data.timestamps[r];
  }
  return { ...data, users, items, ratings, timestamps };
}

/**
 * The (user, item, rating) rows of `data` at `rows`, in that order: the
 * training or test triples of a split.
 *
 * @throws {RangeError} When a row index lies outside the data.
 */
export function takeTriples<
  T extends {
    readonly users: Int32Array;
    readonly items: Int32Array;
    readonly ratings: Float32Array;
  },
>(
  data: T,
  rows: Int32Array,
): { users: Int32Array; items: Int32Array; ratings: Float32Array } {
  const n = data.users.length;
  const users = new Int32Array(rows.length);
  const items = new Int32Array(rows.length);
  const ratings = new Float32Array(rows.length);
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j];
    if (r < 0 || r >= n) {
      throw new RangeError(
        `takeTriples: rows[${j}] = ${r} lies outside the ${n} rows of the data`,
      );
    }
    users[j] = data.users[r];
    items[j] = data.items[r];
    ratings[j] = data.ratings[r];
  }
  return { users, items, ratings };
}

/**
 * Spotlight's `cross_validation.random_train_test_split(interactions,
 * test_percentage, random_state)`: shuffle `arange(n)` with
 * `random_state.shuffle`, then the first `int((1.0 - testFraction) * n)`
 * shuffled rows are train and the rest test (both in shuffled order).
 *
 * @param n Number of rows.
 * @param testFraction Fraction of rows for test, in [0, 1].
 * @param rs The generator (Spotlight documents pass `RandomState(42)`).
 *
 * @example
 * ```ts
 * import { randomTrainTestSplit } from "./split.ts";
 * import { RandomState } from "./rng.ts";
 * const { train, test } = randomTrainTestSplit(10, 0.2, new RandomState(42));
 * console.assert(train.length + test.length === 10);
 * ```
 */
export function randomTrainTestSplit(
  n: number,
  testFraction: number,
  rs: RandomState,
): Split {
  checkRows("randomTrainTestSplit", n);
  checkFraction("randomTrainTestSplit", "testFraction", testFraction);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  rs.shuffle(idx);
  // Python: int((1.0 - test_percentage) * len(interactions)), truncation.
  const cutoff = Math.trunc((1.0 - testFraction) * n);
  return { train: idx.slice(0, cutoff), test: idx.slice(cutoff) };
}

/**
 * scikit-learn's `train_test_split(..., test_size, random_state)` (via
 * `ShuffleSplit`): `perm = RandomState(seed).permutation(n)`,
 * `n_test = ceil(test_size * n)`, `n_train = n - n_test`; test is
 * `perm[:n_test]`, train is `perm[n_test:n_test + n_train]`.
 *
 * @param n Number of rows.
 * @param testSize Fraction of rows for test, strictly between 0 and 1.
 * @param rs The generator, fresh from the seed for parity with sklearn.
 * @throws {RangeError} When either side would be empty (sklearn refuses too).
 *
 * @example
 * ```ts
 * import { sklearnTrainTestSplit } from "./split.ts";
 * import { RandomState } from "./rng.ts";
 * const { train, test } = sklearnTrainTestSplit(10, 0.3, new RandomState(0));
 * console.assert(train.length === 7 && test.length === 3);
 * ```
 */
export function sklearnTrainTestSplit(
  n: number,
  testSize: number,
  rs: RandomState,
): Split {
  checkRows("sklearnTrainTestSplit", n);
  if (!(testSize > 0 && testSize < 1)) {
    throw new RangeError(
      `sklearnTrainTestSplit: testSize ${testSize} must lie strictly between 0 and 1`,
    );
  }
  const nTest = Math.ceil(testSize * n);
  if (nTest === 0 || nTest === n) {
    throw new RangeError(
      `sklearnTrainTestSplit: testSize ${testSize} of ${n} rows leaves an empty train or test set`,
    );
  }
  const perm = rs.permutation(n);
  return { train: perm.slice(nTest), test: perm.slice(0, nTest) };
}

/**
 * The numpy idiom `mask = np.random.rand(n) < trainFraction`: one
 * `random_sample` per row in row order; rows whose draw is strictly below
 * `trainFraction` train, the others test (both ascending).
 *
 * @param n Number of rows.
 * @param trainFraction Threshold in [0, 1].
 * @param rs The generator (e.g. `new RandomState(7)` for `np.random.seed(7)`).
 */
export function maskSplit(
  n: number,
  trainFraction: number,
  rs: RandomState,
): Split {
  checkRows("maskSplit", n);
  checkFraction("maskSplit", "trainFraction", trainFraction);
  const draws = rs.randomSampleArray(n);
  const isTrain = new Uint8Array(n);
  for (let i = 0; i < n; i++) isTrain[i] = draws[i] < trainFraction ? 1 : 0;
  return partitionByFlag(isTrain);
}

/** Options of {@link implicitTrainTestSplit}. */
export interface ImplicitSplitOptions {
  /**
   * The order in which entries receive their draws. `"csr"` (default): the
   * input was a CSR matrix (or a DataFrame turned into one), so `tocoo()`
   * yields coalesced entries in row-major order, columns ascending: one draw
   * per distinct (user, item). `"file"`: the input was a `coo_matrix` built
   * straight from the rows, so `tocoo()` keeps row order: one draw per row.
   */
  readonly order?: "csr" | "file";
}

/**
 * implicit's `evaluation.train_test_split(ratings, train_percentage,
 * random_state)`: `ratings.tocoo()`, one uniform draw per stored entry
 * (`random_state.random_sample(nnz)`), entries whose draw is strictly below
 * `trainPercentage` train, the others (`>=`) test; test entries whose value
 * is ≤ 0 are then dropped (`test.data[test.data < 0] = 0;
 * test.eliminate_zeros()`), so such rows appear in neither side.
 *
 * With `order: "csr"` the entries are the coalesced (user, item) pairs in
 * row-major order; all rows of a duplicated pair go to the side of the pair's
 * one draw (scipy sums them), and the returned rows follow that order.
 *
 * The generator is the legacy `RandomState` (MT19937), which is what older
 * implicit used (`check_random_state` → `RandomState`); seeded splits match
 * those versions exactly. implicit 0.7 builds its generator with
 * `np.random.default_rng(seed)` (PCG64), so for its split row for row use
 * `implicitDefaultRngSplit` (lib/default_rng.ts) on the CSR's stored entries,
 * as `exp:als` does; this function then matches implicit 0.7 only in
 * distribution.
 *
 * @param data The interactions (ratings are the matrix values).
 * @param trainPercentage Fraction for train, in [0, 1].
 * @param rs The generator.
 *
 * @example
 * ```ts
 * import { implicitTrainTestSplit } from "./split.ts";
 * import type { Interactions } from "./data/interactions.ts";
 * import { RandomState } from "./rng.ts";
 * function split(data: Interactions) {
 *   const { train, test } = implicitTrainTestSplit(data, 0.8, new RandomState(0));
 *   return [train.length, test.length];
 * }
 * ```
 */
export function implicitTrainTestSplit(
  data: Interactions,
  trainPercentage: number,
  rs: RandomState,
  options: ImplicitSplitOptions = {},
): Split {
  const order = options.order ?? "csr";
  checkFraction("implicitTrainTestSplit", "trainPercentage", trainPercentage);
  const n = data.users.length;
  const { nItems } = data;
  const key = (r: number) => data.users[r] * nItems + data.items[r];

  // Row order in which entries are visited, and where each entry begins.
  let rowOrder: Int32Array;
  if (order === "csr") {
    // By (user, item, row): two stable counting sorts, by item then by user
    // (a comparator sort would copy 25M rows into a boxed array).
    const byItem = new Int32Array(n);
    const itemStart = new Int32Array(nItems + 1);
    for (let r = 0; r < n; r++) itemStart[data.items[r] + 1]++;
    for (let i = 0; i < nItems; i++) itemStart[i + 1] += itemStart[i];
    for (let r = 0; r < n; r++) byItem[itemStart[data.items[r]]++] = r;
    const userStart = new Int32Array(data.nUsers + 1);
    for (let r = 0; r < n; r++) userStart[data.users[r] + 1]++;
    for (let u = 0; u < data.nUsers; u++) userStart[u + 1] += userStart[u];
    rowOrder = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const r = byItem[j];
      rowOrder[userStart[data.users[r]]++] = r;
    }
  } else if (order === "file") {
    rowOrder = new Int32Array(n);
    for (let i = 0; i < n; i++) rowOrder[i] = i;
  } else {
    throw new RangeError(
      `implicitTrainTestSplit: order "${order}" must be "csr" or "file"`,
    );
  }

  const isTrain = new Uint8Array(n);
  for (let p = 0; p < n;) {
    // An entry: a run of equal keys in "csr" order, a single row in "file".
    let q = p + 1;
    if (order === "csr") {
      while (q < n && key(rowOrder[q]) === key(rowOrder[p])) q++;
    }
    const train = rs.randomSample() < trainPercentage ? 1 : 0;
    for (let j = p; j < q; j++) isTrain[rowOrder[j]] = train;
    p = q;
  }

  // Test values as scipy would hold them: summed per (user, item). In "csr"
  // order an entry's rows are adjacent in rowOrder, in ascending row order, so
  // each run is summed in place, in the order a per-key sum over rows 0…n−1
  // would add them; typed arrays only (no per-entry objects at 25M rows).
  // One buffer: train rows fill it from the front, test rows from the back.
  const buf = new Int32Array(n);
  let nTrain = 0, nTest = 0;
  const train = { push: (r: number) => buf[nTrain++] = r };
  const test = { push: (r: number) => buf[n - 1 - nTest++] = r };
  if (order === "csr") {
    for (let p = 0; p < n;) {
      let q = p + 1;
      while (q < n && key(rowOrder[q]) === key(rowOrder[p])) q++;
      if (isTrain[rowOrder[p]]) {
        for (let j = p; j < q; j++) train.push(rowOrder[j]);
      } else {
        let sum = 0;
        for (let j = p; j < q; j++) sum += data.ratings[rowOrder[j]];
        if (sum > 0) {
          for (let j = p; j < q; j++) test.push(rowOrder[j]);
        }
      }
      p = q;
    }
  } else {
    const testSum = new Map<number, number>();
    for (let r = 0; r < n; r++) {
      if (!isTrain[r]) {
        testSum.set(key(r), (testSum.get(key(r)) ?? 0) + data.ratings[r]);
      }
    }
    for (let j = 0; j < n; j++) {
      const r = rowOrder[j];
      if (isTrain[r]) train.push(r);
      else if ((testSum.get(key(r)) ?? 0) > 0) test.push(r);
    }
  }
  return {
    train: buf.slice(0, nTrain),
    test: buf.slice(n - nTest).reverse(),
  };
}

/**
 * Python 3's built-in `round(x)` for a float: nearest integer, ties to even
 * (`round(0.5) == 0`, `round(1.5) == 2`, `round(2.5) == 2`).
 */
export function pythonRound(x: number): number {
  if (!Number.isFinite(x)) {
    throw new RangeError(`pythonRound: ${x} is not a finite number`);
  }
  const f = Math.floor(x);
  const d = x - f; // exact for |x| < 2^52; beyond that x is already integral
  let r: number;
  if (d < 0.5) r = f;
  else if (d > 0.5) r = f + 1;
  else r = f % 2 === 0 ? f : f + 1;
  return r === 0 ? 0 : r; // Python's int 0 has no sign
}

/** Options of {@link perUserHoldout}. */
export interface PerUserHoldoutOptions {
  /** Shuffle each user's rows with `rs` before cutting (else file order). */
  readonly shuffle: boolean;
  /** Required when `shuffle` is true; users are shuffled in ascending index order. */
  readonly rs?: RandomState;
  /**
   * How the per-user train count is rounded: `"python-round"` is Python 3's
   * `round` (half to even), `"floor"` truncates.
   */
  readonly rounding: "python-round" | "floor";
}

/**
 * A per-user holdout: for each user, in ascending dense user index, that
 * user's rows in file order (or shuffled by `rs`); the first
 * `round(trainFraction · n_u)` train and the rest test, with
 * `trainFraction = 1 - testFraction`.
 *
 * With `shuffle: false, rounding: "python-round"` this is recoflow's
 * `StratifiedSplit(df, [1 - testFraction, testFraction])` (pandas `groupby`
 * on the encoded user, `round(ratio * len(group))` per group, groups
 * concatenated in user order), provided dense user indices follow
 * ascending raw ids as sklearn's `LabelEncoder` assigns them. On ML-100K with
 * testFraction 0.2 it yields exactly 80,000 / 20,000 rows. The shuffled
 * variant reproduces no particular library.
 *
 * @returns Rows grouped by user (ascending), each user's train (or test) rows
 * in file (or shuffled) order.
 *
 * @example
 * ```ts
 * import { perUserHoldout } from "./split.ts";
 * import type { Interactions } from "./data/interactions.ts";
 * function split(data: Interactions) {
 *   return perUserHoldout(data, 0.2, { shuffle: false, rounding: "python-round" });
 * }
 * ```
 */
export function perUserHoldout(
  data: Interactions,
  testFraction: number,
  opts: PerUserHoldoutOptions,
): Split {
  checkFraction("perUserHoldout", "testFraction", testFraction);
  if (opts.rounding !== "python-round" && opts.rounding !== "floor") {
    throw new RangeError(
      `perUserHoldout: rounding "${opts.rounding}" must be "python-round" or "floor"`,
    );
  }
  const rs = opts.shuffle ? opts.rs : undefined;
  if (opts.shuffle && !rs) {
    throw new TypeError("perUserHoldout: shuffle: true needs a RandomState rs");
  }
  const trainFraction = 1 - testFraction;
  const { users, nUsers } = data;
  const n = users.length;
  // Counting sort of rows by user, stable (keeps file order within a user).
  const start = new Int32Array(nUsers + 1);
  for (let r = 0; r < n; r++) {
    const u = users[r];
    if (u < 0 || u >= nUsers) {
      throw new RangeError(
        `perUserHoldout: row ${r} has user ${u} outside [0, ${nUsers})`,
      );
    }
    start[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, nUsers);
  const byUser = new Int32Array(n);
  for (let r = 0; r < n; r++) byUser[next[users[r]]++] = r;

  let nTrain = 0;
  const cut = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const nu = start[u + 1] - start[u];
    const x = trainFraction * nu;
    cut[u] = opts.rounding === "python-round" ? pythonRound(x) : Math.floor(x);
    nTrain += cut[u];
  }
  const train = new Int32Array(nTrain);
  const test = new Int32Array(n - nTrain);
  let a = 0, b = 0;
  for (let u = 0; u < nUsers; u++) {
    const seg = byUser.subarray(start[u], start[u + 1]);
    if (rs) rs.shuffle(seg);
    for (let j = 0; j < seg.length; j++) {
      if (j < cut[u]) train[a++] = seg[j];
      else test[b++] = seg[j];
    }
  }
  return { train, test };
}

function partitionByFlag(isTrain: Uint8Array): Split {
  let nTrain = 0;
  for (let i = 0; i < isTrain.length; i++) nTrain += isTrain[i];
  const train = new Int32Array(nTrain);
  const test = new Int32Array(isTrain.length - nTrain);
  let a = 0, b = 0;
  for (let i = 0; i < isTrain.length; i++) {
    if (isTrain[i]) train[a++] = i;
    else test[b++] = i;
  }
  return { train, test };
}

function checkRows(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`${fn}: n ${n} must be a non-negative integer`);
  }
}

function checkFraction(fn: string, name: string, x: number): void {
  if (!(x >= 0 && x <= 1)) {
    throw new RangeError(`${fn}: ${name} ${x} must lie in [0, 1]`);
  }
}
