/**
 * Dense 0-based indices for raw ids, assigned in ascending order of raw id
 * (as `np.unique(ids, return_inverse=True)` does, which the source documents
 * use): the smallest raw id gets index 0.
 *
 * @module
 */

import type { IdMap } from "./interactions.ts";

/** Above this many slots (and 4 × n), a sort is used instead of a lookup table. */
const TABLE_LIMIT = 1 << 25;

/**
 * Replaces each raw id in `ids` (non-negative integers, at most `maxId`) by
 * its dense index, in place, and returns the map between the two.
 *
 * Runs in O(n + maxId) with a lookup table when `maxId` is small (MovieLens
 * ids), else in O(n log n) with a sort.
 *
 * @param ids Raw ids, length n; overwritten with dense indices in [0, k).
 * @param maxId The largest value in `ids` (−1 when empty).
 * @example
 * ```ts
 * import { denseIds } from "./dense_ids.ts";
 * const ids = new Int32Array([30, 10, 30, 20]);
 * const map = denseIds(ids, 30);
 * // ids is now [2, 0, 2, 1]; map.raw is [10, 20, 30]
 * if (ids.join() !== "2,0,2,1" || map.raw.join() !== "10,20,30") throw new Error();
 * ```
 */
export function denseIds(ids: Int32Array, maxId: number): IdMap {
  const n = ids.length;
  let raw: Int32Array;
  if (maxId < TABLE_LIMIT || maxId < 4 * n) {
    const table = new Int32Array(maxId + 1);
    for (let r = 0; r < n; r++) table[ids[r]] = 1;
    let k = 0;
    for (let id = 0; id <= maxId; id++) if (table[id] !== 0) table[id] = ++k;
    raw = new Int32Array(k);
    for (let id = 0; id <= maxId; id++) {
      if (table[id] !== 0) raw[table[id] - 1] = id;
    }
    for (let r = 0; r < n; r++) ids[r] = table[ids[r]] - 1;
  } else {
    const sorted = ids.slice().sort();
    let k = 0;
    for (let r = 0; r < n; r++) {
      if (r === 0 || sorted[r] !== sorted[r - 1]) sorted[k++] = sorted[r];
    }
    raw = sorted.slice(0, k);
    for (let r = 0; r < n; r++) ids[r] = lowerBound(raw, ids[r]);
  }
  const toIndex = new Map<number, number>();
  for (let k = 0; k < raw.length; k++) toIndex.set(raw[k], k);
  return { raw, toIndex };
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
