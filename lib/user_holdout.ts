/**
 * Per-user and time-based holdout protocols used across recommender
 * evaluation frameworks: leave-k-out per user (seeded), per-user
 * chronological last-k or last-fraction, and a global time cutoff. Each
 * returns row indices ({@link Split}); {@link takeRows} turns them into data.
 *
 * Users are visited in ascending dense index; within a user, rows keep file
 * order (leave-k-out shuffles that order with numpy's legacy
 * `RandomState.shuffle`, so a Python reference is
 * `rs.shuffle(rows_of_user)` for each user in turn).
 *
 * @module
 */

import type { RandomState } from "./rng.ts";
import type { Split } from "./split.ts";

/** Rows grouped by user, stable: `rows[start[u], start[u + 1])` are u's rows in file order. */
export interface RowsByUser {
  /** Length nUsers + 1. */
  readonly start: Int32Array;
  /** Row indices, length n. */
  readonly rows: Int32Array;
}

/**
 * Groups row indices by user with a stable counting sort.
 *
 * @param users Dense user index per row, each in [0, nUsers).
 * @throws {RangeError} When a user index lies outside [0, nUsers).
 */
export function rowsByUser(users: Int32Array, nUsers: number): RowsByUser {
  const n = users.length;
  const start = new Int32Array(nUsers + 1);
  for (let r = 0; r < n; r++) {
    const u = users[r];
    if (!(u >= 0 && u < nUsers)) {
      throw new RangeError(
        `rowsByUser: row ${r} has user ${u} outside [0, ${nUsers})`,
      );
    }
    start[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, nUsers);
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[next[users[r]]++] = r;
  return { start, rows };
}

/** Options of {@link leaveKOutPerUser}. */
export interface LeaveKOutOptions {
  /** Rows each user keeps in training at least; users with fewer than k + minTrain rows stay wholly in train. Default 1. */
  readonly minTrain?: number;
}

/**
 * Leave-k-out per user: for each user (ascending), shuffle that user's rows
 * (file order) with `rs.shuffle`, hold out the first `k` shuffled rows as
 * test and keep the rest in train. Users with fewer than `k + minTrain` rows
 * keep all their rows in train (none in test); their rows are shuffled all
 * the same, so the stream of draws does not depend on k. k = 1 is
 * leave-one-out.
 *
 * @param users Dense user index per row; `nUsers` the number of users.
 * @param k Rows held out per user, an integer ≥ 1.
 * @returns Train and test rows, grouped by user, each user's rows in shuffled order.
 */
export function leaveKOutPerUser(
  users: Int32Array,
  nUsers: number,
  k: number,
  rs: RandomState,
  opts: LeaveKOutOptions = {},
): Split {
  const minTrain = opts.minTrain ?? 1;
  checkCount("leaveKOutPerUser", "k", k, 1);
  checkCount("leaveKOutPerUser", "minTrain", minTrain, 0);
  const { start, rows } = rowsByUser(users, nUsers);
  const cut = new Int32Array(nUsers);
  let nTest = 0;
  for (let u = 0; u < nUsers; u++) {
    cut[u] = start[u + 1] - start[u] >= k + minTrain ? k : 0;
    nTest += cut[u];
  }
  return cutEachUser(start, rows, cut, nTest, (seg) => rs.shuffle(seg), true);
}

/** Options of {@link temporalPerUser}: exactly one of lastK or fraction. */
export interface TemporalPerUserOptions {
  /** Hold out each user's last `lastK` rows by time. */
  readonly lastK?: number;
  /** Hold out each user's last `floor(fraction · n_u)` rows by time, fraction in [0, 1]. */
  readonly fraction?: number;
  /** Rows each user keeps in training at least (lastK mode: users with fewer than lastK + minTrain rows stay in train). Default 1. */
  readonly minTrain?: number;
}

/**
 * Per-user chronological split: each user's rows sorted by timestamp (ties
 * keep file order); the last `lastK` rows (or the last `floor(fraction ·
 * n_u)`, capped so `minTrain` rows stay) are test, the earlier rows train.
 *
 * @param timestamps Seconds per row (any monotone time unit), length n.
 * @returns Train and test rows, grouped by user, each user's rows in time order.
 */
export function temporalPerUser(
  users: Int32Array,
  nUsers: number,
  timestamps: Float64Array,
  opts: TemporalPerUserOptions,
): Split {
  if ((opts.lastK === undefined) === (opts.fraction === undefined)) {
    throw new TypeError(
      "temporalPerUser: give exactly one of lastK or fraction",
    );
  }
  if (timestamps.length !== users.length) {
    throw new RangeError(
      `temporalPerUser: ${timestamps.length} timestamps for ${users.length} rows`,
    );
  }
  const minTrain = opts.minTrain ?? 1;
  checkCount("temporalPerUser", "minTrain", minTrain, 0);
  if (opts.lastK !== undefined) {
    checkCount("temporalPerUser", "lastK", opts.lastK, 1);
  }
  const f = opts.fraction;
  if (f !== undefined && !(f >= 0 && f <= 1)) {
    throw new RangeError(`temporalPerUser: fraction ${f} must lie in [0, 1]`);
  }
  const { start, rows } = rowsByUser(users, nUsers);
  const cut = new Int32Array(nUsers);
  let nTest = 0;
  for (let u = 0; u < nUsers; u++) {
    const nu = start[u + 1] - start[u];
    if (opts.lastK !== undefined) {
      cut[u] = nu >= opts.lastK + minTrain ? opts.lastK : 0;
    } else {
      cut[u] = Math.max(0, Math.min(Math.floor(f! * nu), nu - minTrain));
    }
    nTest += cut[u];
  }
  const byTime = (seg: Int32Array) => {
    // Stable: equal timestamps keep file (= ascending row) order.
    seg.sort((a, b) => timestamps[a] - timestamps[b] || a - b);
  };
  return cutEachUser(start, rows, cut, nTest, byTime, false);
}

/**
 * A global time cutoff: rows with `timestamp < cutoff` train, the others
 * test, both in file order.
 */
export function globalTimeSplit(
  timestamps: Float64Array,
  cutoff: number,
): Split {
  let nTrain = 0;
  for (let r = 0; r < timestamps.length; r++) {
    if (timestamps[r] < cutoff) nTrain++;
  }
  const train = new Int32Array(nTrain);
  const test = new Int32Array(timestamps.length - nTrain);
  let a = 0, b = 0;
  for (let r = 0; r < timestamps.length; r++) {
    if (timestamps[r] < cutoff) train[a++] = r;
    else test[b++] = r;
  }
  return { train, test };
}

/**
 * The cutoff putting the latest `testFraction` of rows in test:
 * `sorted[n − ceil(testFraction · n)]` of the ascending timestamps (rows
 * sharing that timestamp all fall in test, so the test share can be larger).
 *
 * @returns A timestamp; +Infinity when testFraction · n rounds up to 0.
 */
export function timeQuantileCutoff(
  timestamps: Float64Array,
  testFraction: number,
): number {
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new RangeError(
      `timeQuantileCutoff: testFraction ${testFraction} must lie in [0, 1]`,
    );
  }
  const n = timestamps.length;
  const nTest = Math.ceil(testFraction * n);
  if (nTest === 0) return Infinity;
  const sorted = Float64Array.from(timestamps).sort();
  return sorted[n - nTest];
}

function cutEachUser(
  start: Int32Array,
  rows: Int32Array,
  cut: Int32Array,
  nTest: number,
  order: (seg: Int32Array) => void,
  testFirst: boolean,
): Split {
  const n = rows.length;
  const train = new Int32Array(n - nTest);
  const test = new Int32Array(nTest);
  let a = 0, b = 0;
  for (let u = 0; u + 1 < start.length; u++) {
    const seg = rows.subarray(start[u], start[u + 1]);
    order(seg);
    const nu = seg.length, c = cut[u];
    const testFrom = testFirst ? 0 : nu - c;
    for (let j = 0; j < nu; j++) {
      if (j >= testFrom && j < testFrom + c) test[b++] = seg[j];
      else train[a++] = seg[j];
    }
  }
  return { train, test };
}

function checkCount(fn: string, name: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) {
    throw new RangeError(`${fn}: ${name} ${x} must be an integer >= ${min}`);
  }
}
