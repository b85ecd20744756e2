import assert from "node:assert/strict";
import { RandomState } from "../../rng.ts";
import { fitNormalPredictor } from "./normal_predictor.ts";
import { buildTrainset } from "./trainset.ts";

Deno.test("fitNormalPredictor: ML σ and numpy's np.random.normal(μ, σ) draws in order", () => {
  // ratings 2, 3, 4, 5 → μ 3.5, σ = √(5/4) = 1.118...
  const t = buildTrainset(
    Int32Array.from([0, 0, 1, 1]),
    Int32Array.from([0, 1, 0, 1]),
    Float32Array.from([2, 3, 4, 5]),
    2,
    2,
  );
  const m = fitNormalPredictor(t, new RandomState(0));
  assert.equal(m.sigma, Math.sqrt(1.25));
  // numpy 2.4: rs = RandomState(0); [rs.normal(3.5, 1.25 ** 0.5) for _ in range(3)]
  const rs = new RandomState(0);
  const expected = [0, 1, 2].map(() => rs.normal(3.5, Math.sqrt(1.25)));
  assert.deepEqual(
    [m.estimate(0, 0), m.estimate(-1, 1), m.estimate(1, -1)],
    expected,
  );
  // the same draws as numpy's with σ = 1.25 (checked against numpy directly):
  const r2 = new RandomState(0);
  assert.deepEqual(
    [0, 1, 2].map(() => r2.normal(3.5, 1.25)),
    [5.70506543245958, 4.000196510459029, 4.723422480132174],
  );
});
