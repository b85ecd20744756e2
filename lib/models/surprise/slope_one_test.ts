import assert from "node:assert/strict";
import { fitSlopeOne } from "./slope_one.ts";
import { buildTrainset, predictRows } from "./trainset.ts";

// u0: i0 5, i1 3; u1: i0 4, i1 2, i2 5; u2: i1 4
const T = buildTrainset(
  Int32Array.from([0, 0, 1, 1, 1, 2]),
  Int32Array.from([0, 1, 0, 1, 2, 1]),
  Float32Array.from([5, 3, 4, 2, 5, 4]),
  3,
  3,
);

Deno.test("fitSlopeOne: deviations are mean differences over co-raters", () => {
  const m = fitSlopeOne(T);
  assert.equal(m.dev[0 * 3 + 1], 2); // ((5-3) + (4-2)) / 2
  assert.equal(m.dev[1 * 3 + 0], -2);
  assert.equal(m.dev[2 * 3 + 0], 1); // 5 - 4 (u1 only)
  assert.equal(m.freq[0 * 3 + 1], 2);
  assert.equal(m.freq[2 * 3 + 1], 1);
  assert.deepEqual([...m.userMean], [4, 11 / 3, 4]);
});

Deno.test("fitSlopeOne: estimate μ_u + mean dev over relevant items; unknown → impossible", () => {
  const m = fitSlopeOne(T);
  // (u0, i2): u0 rated i0, i1; dev(2,0) = 1, dev(2,1) = 3 → 4 + 2 = 6
  assert.equal(m.estimate(0, 2), 6);
  // (u2, i0): u2 rated i1; dev(0,1) = 2 → 4 + 2 = 6
  assert.equal(m.estimate(2, 0), 6);
  assert.equal(m.estimate(-1, 0), null);
  // through predict: clipped to 5; an unknown item falls back to μ = 23/6
  const p = predictRows(m, Int32Array.from([0, 0]), Int32Array.from([2, 7]));
  assert.deepEqual([...p], [5, 23 / 6]);
});
