import assert from "node:assert/strict";
import { fitKnnWithMeans, userMeans } from "./knn_with_means.ts";
import { buildTrainset } from "./trainset.ts";

// (u0,i0,5) (u1,i0,3) (u2,i0,4) (u0,i1,4) (u1,i1,2) (u3,i2,5)
// user means 4.5, 2.5, 4, 5; MSD: u0–u1 0.2, u0–u2 0.5, u1–u2 0.5, u3: 0.
const T = buildTrainset(
  Int32Array.from([0, 1, 2, 0, 1, 3]),
  Int32Array.from([0, 0, 0, 1, 1, 2]),
  Float32Array.from([5, 3, 4, 4, 2, 5]),
  4,
  3,
);
const close = (a: number | null, b: number) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("userMeans: mean training rating of each inner user", () => {
  assert.deepEqual([...userMeans(T)], [4.5, 2.5, 4, 5]);
});

Deno.test("fitKnnWithMeans: user mean plus similarity-weighted mean-centred ratings", () => {
  const m = fitKnnWithMeans(T);
  // (u2, i1): 4 + (.5·(4 − 4.5) + .5·(2 − 2.5)) / 1
  close(m.estimate(2, 1), 4 + (0.5 * -0.5 + 0.5 * -0.5) / 1);
  // (u1, i0): u1 itself (1, 3 − 2.5), u2 (.5, 4 − 4), u0 (.2, 5 − 4.5)
  close(m.estimate(1, 0), 2.5 + (0.5 + 0 + 0.2 * 0.5) / 1.7);
  // k = 1 on (u2, i1): the tie keeps u0
  close(fitKnnWithMeans(T, { k: 1 }).estimate(2, 1), 4 - 0.5);
});

Deno.test("fitKnnWithMeans: the user's mean below min_k or without positive similarity; null for unknown ids", () => {
  close(fitKnnWithMeans(T, { minK: 3 }).estimate(2, 1), 4);
  const m = fitKnnWithMeans(T);
  close(m.estimate(0, 2), 4.5); // u3, the only rater of i2, has sim 0
  assert.equal(m.estimate(-1, 0), null);
  assert.equal(m.estimate(0, -1), null);
});
