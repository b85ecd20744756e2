import assert from "node:assert/strict";
import { fitKnnBasic } from "./knn_basic.ts";
import { predictRows } from "./trainset.ts";
import { buildTrainset } from "./trainset.ts";

// (u0,i0,5) (u1,i0,3) (u2,i0,4) (u0,i1,4) (u1,i1,2) (u3,i2,5)
// MSD similarities: u0–u1 0.2, u0–u2 0.5, u1–u2 0.5, u3 shares no item: 0.
const T = buildTrainset(
  Int32Array.from([0, 1, 2, 0, 1, 3]),
  Int32Array.from([0, 0, 0, 1, 1, 2]),
  Float32Array.from([5, 3, 4, 4, 2, 5]),
  4,
  3,
);
const close = (a: number | null, b: number) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("fitKnnBasic: similarity-weighted mean of the k nearest raters' ratings", () => {
  const m = fitKnnBasic(T);
  // (u2, i1): raters u0 (sim .5, r 4) and u1 (sim .5, r 2)
  close(m.estimate(2, 1), (0.5 * 4 + 0.5 * 2) / 1);
  // (u0, i0): u0 itself (sim 1, r 5), u2 (.5, 4), u1 (.2, 3)
  close(m.estimate(0, 0), (5 + 0.5 * 4 + 0.2 * 3) / 1.7);
  // k = 1: a tie keeps the earlier rater in ir order (u0, rating 4)
  close(fitKnnBasic(T, { k: 1 }).estimate(2, 1), 4);
  // k = 2 on (u0, i0): u0 and u2 only
  close(fitKnnBasic(T, { k: 2 }).estimate(0, 0), (5 + 0.5 * 4) / 1.5);
});

Deno.test("fitKnnBasic: impossible (null) for unknown ids, too few neighbours or only zero similarities", () => {
  const m = fitKnnBasic(T);
  assert.equal(m.estimate(-1, 1), null);
  assert.equal(m.estimate(2, -1), null);
  // (u0, i2): the only rater u3 has similarity 0 with u0
  assert.equal(m.estimate(0, 2), null);
  assert.equal(fitKnnBasic(T, { minK: 3 }).estimate(2, 1), null);
  // predict falls back to the training mean 23/6 there
  const p = predictRows(m, Int32Array.from([0]), Int32Array.from([2]));
  close(p[0], 23 / 6);
});
