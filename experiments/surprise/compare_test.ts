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

Deno.test("foldMeanRow: reproduced within half a unit of the third decimal (tolerance rule, float64)", () => {
  const row = foldMeanRow("svd_rmse", 0.934, { ...ctx, keys: ["svd"] });
  assert.equal(row.status, "reproduced");
  assert.equal(row.rule.status, "reproduced");
  assert.equal(row.rule.rule, "tolerance");
  if (row.rule.rule !== "tolerance") throw new Error("unreachable");
  assert.equal(row.rule.parameters.decimals, 3);
  assert.equal(row.rule.parameters.float, "float64");
  assert.ok(Math.abs(row.rule.parameters.tolerance - 0.0005) < 1e-11);
  assert.ok(Math.abs(row.difference! - 0.0004) < 1e-12);
  assert.match(row.note, /over 5 folds 0\.9344 ± 0\.0016/);
});

Deno.test("foldMeanRow: a figure with a printed trailing zero keeps 3 decimals", () => {
  const row = foldMeanRow("svd_rmse", 0.93, {
    ...ctx,
    keys: ["svd"],
    metrics: { svd_rmse: folds(0.9304) },
  });
  // Read as "0.930" (±0.0005), not "0.93" (±0.005): 0.0004 away is inside.
  if (row.rule.rule !== "tolerance") throw new Error("not the tolerance rule");
  assert.equal(row.rule.parameters.published_text, "0.930");
  assert.equal(row.status, "reproduced");
  const far = foldMeanRow("svd_rmse", 0.93, {
    ...ctx,
    keys: ["svd"],
    metrics: { svd_rmse: folds(0.9310) },
  });
  assert.equal(far.status, "not-reproduced");
});

Deno.test("foldMeanRow: not reproduced 0.0006 away, the note gives the interval", () => {
  const row = foldMeanRow("svd_mae", 0.737, { ...ctx, keys: ["svd"] });
  assert.equal(row.status, "not-reproduced");
  assert.equal(row.rule.agrees, false);
  assert.match(row.note, /outside \[0\.73650, 0\.73750\]/);
});

Deno.test("foldMeanRow: another configuration is not comparable, with the settings note", () => {
  const other = foldMeanRow("svd_mae", 0.737, {
    ...ctx,
    keys: ["svd"],
    isDocument: false,
  });
  assert.equal(other.status, "not-comparable");
  assert.equal(other.rule.rule, "none");
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
  for (const r of rows) assert.equal(r.status, r.rule.status);
  const wrongCount = surpriseComparisons({
    ...ctx,
    keys: [],
    metrics: { ...METRICS, ratings: 99999 },
  });
  assert.equal(wrongCount[0].status, "not-reproduced");
  const other = surpriseComparisons({
    ...ctx,
    keys: ["svd"],
    isDocument: false,
    metrics: { ...METRICS, ratings: 100836 },
  });
  assert.deepEqual(other.map((r) => r.status), [
    "not-comparable",
    "not-comparable",
    "not-comparable",
  ]);
});
