/**
 * Exact top-k recommendations for every user of a factor model at once, for
 * holdout evaluation at scale (ML-25M: 162k users × 59k items, where the
 * batched ONNX `recommend` would take many minutes). Items are visited in
 * descending order of their factor norm; a user's scan stops as soon as the
 * Cauchy–Schwarz bound ‖x_u‖·‖y_i‖ of every remaining item falls below the
 * user's current k-th score, so the lists are exact (the same items as
 * scoring every item) while most users touch only a small share of the items.
 * Scores are float64 dot products of the float32 factors (four partial sums).
 *
 * @module
 */

import type { Csr } from "../sparse.ts";

/** Top-k lists of all users: row-major nUsers × k, best first. */
export interface AllTopK {
  /** Dense item indices, −1 where a user has fewer than k unseen items. */
  readonly items: Int32Array;
  /** Their scores as float32, −∞ where the item is −1. */
  readonly scores: Float32Array;
  /** Share of (user, item) scores computed, in (0, 1]: the pruning's effect. */
  readonly scanned: number;
}

/** Relative slack on the norm bound, far above the dot product's rounding error. */
const SLACK = 1 + 1e-9;

/** Σ_j a[ao+j]·b[bo+j] in float64 with four partial sums. */
function dot4(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  k: number,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < k; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < k; j++) s0 += a[ao + j] * b[bo + j];
  return (s0 + s1) + (s2 + s3);
}

/**
 * The `k` best unseen items of every user by x_uᵀy_i, ties broken by the
 * lower item index, seen items (`seen`, users × items) excluded.
 * `onProgress(usersDone)` is called every 4,096 users.
 *
 * @param userFactors nUsers × factors, row-major.
 * @param itemFactors nItems × factors, row-major.
 * @throws {RangeError} on a bad k, shape mismatch or a NaN score.
 * @example
 * ```ts
 * import { recommendAll } from "./recommend_all.ts";
 * import { csrFromCoo } from "../sparse.ts";
 * const seen = csrFromCoo(Int32Array.of(0), Int32Array.of(1), [1], 1, 3);
 * const r = recommendAll(Float32Array.of(1), Float32Array.of(0.2, 0.9, 0.5), 1, seen, 2);
 * console.assert(r.items.join() === "2,0");
 * ```
 */
export function recommendAll(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  factors: number,
  seen: Csr,
  k: number,
  onProgress?: (usersDone: number) => void,
): AllTopK {
  if (!Number.isInteger(k) || k <= 0) {
    throw new RangeError(`recommendAll: k ${k} must be a positive integer`);
  }
  const nUsers = userFactors.length / factors;
  const nItems = itemFactors.length / factors;
  if (
    !Number.isInteger(nUsers) || !Number.isInteger(nItems) ||
    seen.nRows !== nUsers || seen.nCols !== nItems
  ) {
    throw new RangeError(
      `recommendAll: factors (${nUsers} users, ${nItems} items) do not match seen (${seen.nRows} × ${seen.nCols})`,
    );
  }
  // Items by descending norm (ties by index), their rows copied in that order.
  const norms = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    norms[i] = Math.sqrt(
      dot4(itemFactors, i * factors, itemFactors, i * factors, factors),
    );
  }
  const order = Int32Array.from({ length: nItems }, (_, i) => i)
    .sort((a, b) => norms[b] - norms[a] || a - b);
  const sorted = new Float32Array(nItems * factors);
  const sortedNorm = new Float64Array(nItems);
  for (let r = 0; r < nItems; r++) {
    const i = order[r];
    sorted.set(
      itemFactors.subarray(i * factors, (i + 1) * factors),
      r * factors,
    );
    sortedNorm[r] = norms[i] * SLACK;
  }

  const items = new Int32Array(nUsers * k).fill(-1);
  const scores = new Float32Array(nUsers * k).fill(-Infinity);
  // A user's list, best first: topS[0..size) scores, topI item indices.
  const topS = new Float64Array(k), topI = new Int32Array(k);
  const stamp = new Int32Array(nItems);
  let scanned = 0;
  for (let u = 0; u < nUsers; u++) {
    const mark = u + 1;
    for (let e = seen.indptr[u]; e < seen.indptr[u + 1]; e++) {
      stamp[seen.indices[e]] = mark;
    }
    const uo = u * factors;
    const normU = Math.sqrt(dot4(userFactors, uo, userFactors, uo, factors));
    let size = 0;
    let r = 0;
    for (; r < nItems; r++) {
      if (size === k && normU * sortedNorm[r] < topS[k - 1]) break;
      const i = order[r];
      if (stamp[i] === mark) continue;
      const s = dot4(userFactors, uo, sorted, r * factors, factors);
      if (s !== s) {
        throw new RangeError(`recommendAll: NaN score (user ${u}, item ${i})`);
      }
      // Insert if better than the last kept: higher score, or equal and lower index.
      if (size === k) {
        const ls = topS[k - 1];
        if (s < ls || (s === ls && i > topI[k - 1])) continue;
      } else {
        size++;
      }
      let p = size - 1;
      while (
        p > 0 && (topS[p - 1] < s || (topS[p - 1] === s && topI[p - 1] > i))
      ) {
        topS[p] = topS[p - 1];
        topI[p] = topI[p - 1];
        p--;
      }
      topS[p] = s;
      topI[p] = i;
    }
    scanned += r;
    for (let p = 0; p < size; p++) {
      items[u * k + p] = topI[p];
      scores[u * k + p] = topS[p];
    }
    if (onProgress !== undefined && (u + 1) % 4096 === 0) onProgress(u + 1);
  }
  onProgress?.(nUsers);
  return {
    items,
    scores,
    scanned: nUsers === 0 ? 1 : scanned / (nUsers * nItems),
  };
}
