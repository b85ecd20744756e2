/**
 * The popularity baseline: every user is offered the items most often
 * interacted with in training, minus the ones they already have.
 *
 * @module
 */

import type { Csr } from "../sparse.ts";

/** Number of training users per item (stored entries per column), length nItems. */
export function itemPopularity(userItems: Csr): Float32Array {
  const counts = new Float32Array(userItems.nCols);
  const nnz = userItems.indptr[userItems.nRows];
  for (let e = 0; e < nnz; e++) counts[userItems.indices[e]]++;
  return counts;
}

/**
 * Top-k most popular items for each user, excluding the user's own training
 * items; ties go to the lower item index. Returns nUsers × k row-major, −1
 * padded when fewer than k items remain.
 */
export function recommendPopular(userItems: Csr, k: number): Int32Array {
  if (!Number.isInteger(k) || k <= 0) {
    throw new RangeError(`recommendPopular: k ${k} must be a positive integer`);
  }
  const popularity = itemPopularity(userItems);
  // Items once sorted by popularity (ties: lower index first); each user walks
  // that order skipping their own items, O(k + seen) per user.
  const order = Int32Array.from({ length: userItems.nCols }, (_, i) => i)
    .sort((a, b) => popularity[b] - popularity[a] || a - b);
  const out = new Int32Array(userItems.nRows * k).fill(-1);
  const stamp = new Int32Array(userItems.nCols);
  for (let u = 0; u < userItems.nRows; u++) {
    for (let e = userItems.indptr[u]; e < userItems.indptr[u + 1]; e++) {
      stamp[userItems.indices[e]] = u + 1;
    }
    let n = 0;
    for (let r = 0; r < order.length && n < k; r++) {
      if (stamp[order[r]] !== u + 1) out[u * k + n++] = order[r];
    }
  }
  return out;
}
