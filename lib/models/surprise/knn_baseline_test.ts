import assert from "node:assert/strict";
import { fitKnnBaseline, msdUserSimilarity } from "./knn_baseline.ts";
import { buildTrainset } from "./trainset.ts";

// (u0,i0,5) (u1,i0,3) (u2,i0,4) (u0,i1,4) (u1,i1,2); μ = 3.6
const T = buildTrainset(
  Int32Array.from([0, 1, 2, 0, 1]),
  Int32Array.from([0, 0, 0, 1, 1]),
  Float32Array.from([5, 3, 4, 4, 2]),
  3,
  2,
);
const close = (a: number, b: number) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("msdUserSimilarity: 1 / (mean squared difference + 1), 1 on the diagonal", () => {
  const s = msdUserSimilarity(T);
  // u0–u1: (5-3)², (4-2)² → msd 4 → 0.2; u0–u2, u1–u2: msd 1 → 0.5
  assert.deepEqual([...s], [1, 0.2, 0.5, 0.2, 1, 0.5, 0.5, 0.5, 1]);
  // min_support 2: only u0–u1 share two items
  assert.deepEqual([...msdUserSimilarity(T, 2)], [
    1,
    0.2,
    0,
    0.2,
    1,
    0,
    0,
    0,
    1,
  ]);
});

Deno.test("fitKnnBaseline: baseline plus similarity-weighted residuals of the k nearest raters", () => {
  const none = { nEpochs: 0 }; // zero biases: b_ui = μ
  const m = fitKnnBaseline(T, { baselines: none });
  // (u2, i1): raters u0 (sim .5, r 4) and u1 (sim .5, r 2)
  close(m.estimate(2, 1)!, 3.6 + (0.5 * 0.4 + 0.5 * -1.6) / 1);
  // k = 1: a tie keeps the earlier rater in ir order (u0)
  const k1 = fitKnnBaseline(T, { k: 1, baselines: none });
  close(k1.estimate(2, 1)!, 3.6 + 0.4);
  // min_k 3 > neighbours: the baseline alone; unknown user: baseline
  const strict = fitKnnBaseline(T, { minK: 3, baselines: none });
  close(strict.estimate(2, 1)!, 3.6);
  close(m.estimate(-1, 1)!, 3.6);
});
