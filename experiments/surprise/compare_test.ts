import assert from "node:assert/strict";
import { summarize } from "../../lib/report/results.ts";
import { foldMeanRow, surpriseComparisons } from "./compare.ts";

const folds = (mean: number) =>
  summarize([mean - 0.002, mean - 0.001, mean, mean + 0.001, mean + 0.002]);

const METRICS = {
  ratings: 100000,
  svd_rmse: folds(0.9344),
  svd_mae: folds(0.7376), // 0.0006 above the README's 0.737
  knn_baseline_rmse: folds(0.9307),
  knn_baseline_mae: folds(0.73321),
};

const ctx = { metrics: METRICS, isDocument: true, otherNote: "other (x)" };

Deno.test("foldMeanRow: reproduced within half a unit of the third decimal", () => {
  const row = foldMeanRow("svd_rmse", 0.934, { ...ctx, keys: ["svd"] });
  assert.equal(row.status, "reproduced");
  assert.ok(Math.abs(row.difference! - 0.0004) < 1e-12);
  assert.match(row.note, /over 5 folds 0\.9344 ± 0\.0014/);
  assert.match(row.note, /\[0\.93350, 0\.93450\]/);
});

Deno.test("foldMeanRow: not reproduced 0.0006 away; explained on another configuration", () => {
  assert.equal(
    foldMeanRow("svd_mae", 0.737, { ...ctx, keys: ["svd"] }).status,
    "not-reproduced",
  );
  const other = foldMeanRow("svd_mae", 0.737, {
    ...ctx,
    keys: ["svd"],
    isDocument: false,
  });
  assert.equal(other.status, "explained");
  assert.equal(other.note, "other (x)");
});

Deno.test("surpriseComparisons: ratings count then RMSE, MAE per algorithm in order", () => {
  const rows = surpriseComparisons({ ...ctx, keys: ["svd", "knn_baseline"] });
  assert.deepEqual(rows.map((r) => [r.metric, r.published, r.status]), [
    ["ratings", 100000, "reproduced"],
    ["svd_rmse", 0.934, "reproduced"],
    ["svd_mae", 0.737, "not-reproduced"],
    ["knn_baseline_rmse", 0.931, "reproduced"],
    ["knn_baseline_mae", 0.733, "reproduced"],
  ]);
  const other = surpriseComparisons({
    ...ctx,
    keys: ["svd"],
    isDocument: false,
    metrics: { ...METRICS, ratings: 100836 },
  });
  assert.deepEqual(other.map((r) => r.status), [
    "explained",
    "explained",
    "explained",
  ]);
});
