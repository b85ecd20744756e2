import assert from "node:assert/strict";
import { RandomState } from "../../lib/rng.ts";
import {
  comparePair,
  meanSquaredErrors,
  pairMetrics,
  pairSentence,
} from "./pairs.ts";

Deno.test("meanSquaredErrors averages each rating's squared error over seeds and rejects a wrong length", () => {
  const ratings = Float32Array.of(4, 2);
  const e = meanSquaredErrors(
    [Float32Array.of(3, 2), Float32Array.of(5, 4)],
    ratings,
  );
  assert.deepEqual([...e], [1, 2]);
  assert.throws(
    () => meanSquaredErrors([Float32Array.of(1)], ratings),
    /1 predictions for 2 ratings/,
  );
});

/** Per-rating squared errors of two models: B worse than A by `gap` on average. */
function errors(n: number, gap: number): [Float64Array, Float64Array] {
  const rs = new RandomState(3);
  const a = new Float64Array(n), b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rs.randomSample() * 2;
    b[i] = a[i] + gap + (rs.randomSample() - 0.5) * 0.2;
  }
  return [a, b];
}

Deno.test("comparePair: a clear gap gives intervals excluding 0 on both tests and 'beats' in the sentence", () => {
  const [ea, eb] = errors(2000, 0.05);
  const c = comparePair(
    "bias",
    "mf",
    [0.85, 0.86, 0.84, 0.85],
    [0.91, 0.90, 0.92, 0.91],
    ea,
    eb,
    0,
  );
  assert.ok(Math.abs(c.difference - -0.06) < 1e-12);
  assert.ok(c.ci[1] < 0 && c.p < 0.01);
  assert.ok(c.bootCi[0] < c.bootEstimate && c.bootEstimate < c.bootCi[1]);
  assert.ok(c.bootCi[1] < 0);
  assert.match(
    pairSentence(c),
    /^dot product \+ biases beats ExplicitMF \(dot product\) by 0\.0600 test MSE \[/,
  );
  const m = pairMetrics([c]);
  assert.equal(m.bias_minus_mf_test_mse, c.difference);
  assert.equal(m.bias_minus_mf_test_mse_ratings_ci_hi, c.bootCi[1]);
  assert.equal(m.bias_minus_mf_test_mse_seeds_p, c.p);
  // Seeded: the same inputs give the same bootstrap interval.
  const again = comparePair(
    "bias",
    "mf",
    [0.85, 0.86, 0.84, 0.85],
    [
      0.91,
      0.90,
      0.92,
      0.91,
    ],
    ea,
    eb,
    0,
  );
  assert.deepEqual(again.bootCi, c.bootCi);
});

Deno.test("comparePair: no gap gives 'no clear difference'", () => {
  const [ea, eb] = errors(2000, 0);
  const c = comparePair(
    "mlp",
    "bias",
    [0.85, 0.86, 0.84],
    [0.86, 0.84, 0.85],
    ea,
    eb,
    1,
  );
  assert.ok(c.ci[0] < 0 && c.ci[1] > 0);
  assert.match(
    pairSentence(c),
    /^no clear difference between embedding MLP and dot product \+ biases/,
  );
});
