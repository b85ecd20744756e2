/**
 * Test data for the rating models: user and item offsets plus a rank-2
 * interaction and noise, 60 % of 40 × 30 cells observed, ratings clamped
 * to [1, 5], split 80/20 at random. Every draw comes from one seeded
 * generator, so a seed and the three weights fix the data.
 *
 * @module
 */

import { RandomState } from "../rng.ts";
import type { RatingTriples } from "./embedding_mf/embedding_mf.ts";

/** Weights of the rating 3 + user·(u mod 3) − item·(i mod 4) + interaction·(aᵤ·bᵢ) + 0.1·noise. */
export interface SyntheticWeights {
  readonly user: number;
  readonly item: number;
  readonly interaction: number;
}

/** The 80/20 split of the synthetic ratings for `seed` and `w`. */
export function syntheticRatings(
  seed: number,
  w: SyntheticWeights,
): { train: RatingTriples; test: RatingTriples } {
  const rs = new RandomState(seed);
  const nU = 40, nI = 30;
  const a = Array.from({ length: nU * 2 }, () => rs.standardNormal());
  const b = Array.from({ length: nI * 2 }, () => rs.standardNormal());
  const rows: [number, number, number][] = [];
  for (let u = 0; u < nU; u++) {
    for (let i = 0; i < nI; i++) {
      if (rs.randomSample() < 0.6) {
        const r = 3 + w.user * (u % 3) - w.item * (i % 4) +
          w.interaction * (a[2 * u] * b[2 * i] + a[2 * u + 1] * b[2 * i + 1]) +
          0.1 * rs.standardNormal();
        rows.push([u, i, Math.min(5, Math.max(1, r))]);
      }
    }
  }
  const order = rs.permutation(rows.length);
  const cut = Math.floor(0.8 * rows.length);
  const take = (idx: Int32Array) => ({
    users: Int32Array.from(idx, (r) => rows[r][0]),
    items: Int32Array.from(idx, (r) => rows[r][1]),
    ratings: Float32Array.from(idx, (r) => rows[r][2]),
  });
  return {
    train: take(order.subarray(0, cut)),
    test: take(order.subarray(cut)),
  };
}
