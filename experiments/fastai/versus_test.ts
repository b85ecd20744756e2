import assert from "node:assert/strict";
import { methodVersus, versusMetrics, versusSentence } from "./versus.ts";

const TRUTH = Float64Array.from({ length: 200 }, (_, i) => 1 + (i % 5));

/** Predictions off the truth by ±e, alternating, shifted per seed. */
function off(e: number, seeds: number): Float64Array[] {
  return Array.from(
    { length: seeds },
    (_, s) => TRUTH.map((t, i) => t + (i % 2 ? e : -e) * (1 + 0.01 * s)),
  );
}

Deno.test("methodVersus: A − B in RMSE over seeds (paired t) and over ratings (paired bootstrap)", () => {
  const v = methodVersus(
    { name: "nn", perSeed: off(0.5, 4) },
    { name: "dot_bias", perSeed: off(0.8, 4) },
    TRUTH,
  );
  assert.equal(v.key, "rmse_nn_minus_dot_bias");
  assert.equal(v.differences.length, 4);
  assert.ok(Math.abs(v.differences[0] - (0.5 - 0.8)) < 1e-12);
  assert.ok(v.seeds.hi < 0 && v.ratings.hi < 0 && v.seeds.p < 0.05);
  assert.match(versusSentence(v, (n) => n), /^nn beats dot_bias: /);
  const m = versusMetrics([v]);
  assert.deepEqual(Object.keys(m), [
    "rmse_nn_minus_dot_bias",
    "rmse_nn_minus_dot_bias_seeds_p",
    "rmse_nn_minus_dot_bias_ratings_ci_lo",
    "rmse_nn_minus_dot_bias_ratings_ci_hi",
  ]);
});

Deno.test("methodVersus: a deterministic B (one prediction array) pairs with every seed; too few seeds throw", () => {
  const v = methodVersus(
    { name: "nn", perSeed: off(0.5, 3) },
    { name: "svd", perSeed: off(0.5, 1) },
    TRUTH,
  );
  assert.equal(v.differences.length, 3);
  assert.ok(Math.abs(v.differences[0]) < 1e-12);
  assert.throws(
    () =>
      methodVersus({ name: "a", perSeed: off(0.5, 1) }, {
        name: "b",
        perSeed: off(0.5, 1),
      }, TRUTH),
    /need a common n ≥ 2/,
  );
});
