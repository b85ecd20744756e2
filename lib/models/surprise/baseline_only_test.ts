import assert from "node:assert/strict";
import { alsBaselines, fitBaselineOnly } from "./baseline_only.ts";
import { buildTrainset } from "./trainset.ts";

// users 0,0,1; items 0,1,0; ratings 5,3,4 → μ = 4
const T = buildTrainset(
  Int32Array.from([0, 0, 1]),
  Int32Array.from([0, 1, 0]),
  Float32Array.from([5, 3, 4]),
  2,
  2,
);
const close = (a: number, b: number) =>
  assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);

Deno.test("alsBaselines: one epoch with reg 1 equals the hand computation", () => {
  const { bu, bi } = alsBaselines(T, { nEpochs: 1, regI: 1, regU: 1 });
  // b_i0 = ((5-4) + (4-4)) / (1+2) = 1/3; b_i1 = (3-4)/(1+1) = -1/2
  close(bi[0], 1 / 3);
  close(bi[1], -1 / 2);
  // b_u0 = ((5-4-1/3) + (3-4+1/2)) / 3 = 1/18; b_u1 = (4-4-1/3)/2 = -1/6
  close(bu[0], 1 / 18);
  close(bu[1], -1 / 6);
});

Deno.test("fitBaselineOnly: μ + b_u + b_i, each bias only when known", () => {
  const m = fitBaselineOnly(T, { nEpochs: 1, regI: 1, regU: 1 });
  close(m.estimate(0, 1)!, 4 + 1 / 18 - 1 / 2);
  close(m.estimate(-1, 0)!, 4 + 1 / 3);
  close(m.estimate(1, -1)!, 4 - 1 / 6);
  assert.equal(m.estimate(-1, -1), 4);
});

Deno.test("alsBaselines: Surprise's defaults are 10 epochs, reg_i 10, reg_u 15", () => {
  const a = alsBaselines(T);
  const b = alsBaselines(T, { nEpochs: 10, regI: 10, regU: 15 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, alsBaselines(T, { regU: 14 }));
});
