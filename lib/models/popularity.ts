/**
 * The popularity baseline: every user is offered the items most often
 * interacted with in training, minus the ones they already have.
 *
 * @module
 */

import type { Csr } from "../sparse.ts";
import { topKExcluding } from "./factor_model.ts";

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
  const popularity = itemPopularity(userItems);
  const out = new Int32Array(userItems.nRows * k);
  for (let u = 0; u < userItems.nRows; u++) {
    const seen = userItems.indices.subarray(
      userItems.indptr[u],
      userItems.indptr[u + 1],
    );
    out.set(topKExcluding(popularity, k, seen), u * k);
  }
  return out;
}
