/**
 * The published-vs-reproduced rules of `exp:spotlight` on hand-built
 * metrics: each row kind and each status it can take, decided by the
 * agreement rule (a bypassed rule would give other statuses or no record).
 */

import assert from "node:assert/strict";
import { type MetricValue, summarize } from "../../lib/report/results.ts";
import {
  type CompareContext,
  lossRow,
  onnxRow,
  rmseRow,
  spotlightComparisons,
} from "./compare.ts";
import { PUBLISHED_EPOCH_LOSS, REFERENCE_RERUN } from "./document.ts";

const OTHER = "run with other settings than the document's (--dim 64)";

/** Ten values with mean `m` and a small spread (sample sd ≈ 0.0026 · scale). */
function runs(m: number, scale = 1): number[] {
  return [-4, -3, -2, -1, 0, 0, 1, 2, 3, 4].map((k) => m + 0.001 * k * scale);
}

function metrics(
  over: Record<string, MetricValue> = {},
): Record<string, MetricValue> {
  const test = summarize(runs(0.9427));
  return {
    users: 944,
    items: 1683,
    train_ratings: 80000,
    test_ratings: 20000,
    train_rmse: summarize(runs(0.9009)),
    test_rmse: test,
    onnx_test_rmse: test.values[0] + 3e-8,
    first_epoch_loss_sum: summarize(runs(PUBLISHED_EPOCH_LOSS[0], 1000)),
    last_epoch_loss_sum: summarize(runs(PUBLISHED_EPOCH_LOSS[9] + 0.5, 300)),
    ...over,
  };
}

function ctx(over: Partial<CompareContext> = {}): CompareContext {
  return {
    metrics: metrics(),
    seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    isDocument: true,
    sameModel: true,
    countsChanged: false,
    idsChanged: false,
    batches: 79,
    epochs: 10,
    otherNote: OTHER,
    ...over,
  };
}

Deno.test("spotlightComparisons: counts, RMSEs, the ONNX row and the two loss rows, each with its rule", () => {
  const rows = spotlightComparisons(ctx());
  assert.deepEqual(
    rows.map((r) => [r.metric, r.rule.rule, r.status]),
    [
      ["users", "tolerance", "reproduced"],
      ["items", "tolerance", "reproduced"],
      ["train_ratings", "tolerance", "reproduced"],
      ["test_ratings", "tolerance", "reproduced"],
      ["train_rmse", "prediction-interval", "reproduced"],
      ["test_rmse", "prediction-interval", "reproduced"],
      ["onnx_test_rmse", "none", "not-comparable"],
      ["first_epoch_loss_sum", "prediction-interval", "reproduced"],
      ["last_epoch_loss_sum", "prediction-interval", "reproduced"],
    ],
  );
  for (const r of rows) assert.equal(r.status, r.rule.status);
});

Deno.test("spotlightComparisons: a count that differs is not reproduced; changed data is not comparable", () => {
  const off = spotlightComparisons(
    ctx({ metrics: metrics({ users: 943 }) }),
  );
  assert.equal(off[0].status, "not-reproduced");
  const other = spotlightComparisons(ctx({ idsChanged: true }));
  assert.equal(other[0].status, "not-comparable");
  assert.equal(other[0].note, OTHER);
  assert.equal(other[2].status, "reproduced"); // dense ids keep the rating counts
});

Deno.test("rmseRow: reproduced when the document lies inside the 95 % prediction interval of our seeds", () => {
  const row = rmseRow("test_rmse", 0.940, ctx());
  assert.equal(row.status, "reproduced");
  if (row.rule.rule !== "prediction-interval") throw new Error("rule");
  assert.equal(row.rule.parameters.n, 10);
  const [lo, hi] = row.rule.interval!;
  assert.ok(lo < 0.940 && 0.940 < hi);
  // mean ± t(0.975, 9)·s·√(1 + 1/10): t = 2.2622
  const s = (metrics().test_rmse as { std: number }).std;
  assert.ok(
    Math.abs((hi - lo) / 2 - 2.2621571628 * s * Math.sqrt(1.1)) < 1e-9,
  );
  assert.match(row.note, /0\.9427 ± 0\.0026 \(sample sd\) over 10 model seeds/);
});

Deno.test("rmseRow: not reproduced outside the interval (no cause is offered)", () => {
  const row = rmseRow("train_rmse", 0.897, ctx());
  assert.equal(row.status, "reproduced"); // 0.9009 ± 0.0061: [0.8948, 0.9070]
  const far = rmseRow(
    "train_rmse",
    0.897,
    ctx({ metrics: metrics({ train_rmse: summarize(runs(0.9100)) }) }),
  );
  assert.equal(far.status, "not-reproduced");
  assert.equal(far.rule.agrees, false);
  assert.equal(far.rule.cause, undefined);
  assert.equal(row.rule.rule, "prediction-interval");
});

Deno.test("rmseRow: carries the reference re-run, Welch from its 20-seed summary", () => {
  const row = rmseRow("test_rmse", 0.940, ctx());
  const ref = row.reference!;
  assert.ok(ref !== undefined);
  assert.match(ref.source, /Spotlight 75f4c8c on torch 1\.13/);
  assert.equal(ref.mean, REFERENCE_RERUN.test_rmse.mean);
  assert.equal(ref.std, REFERENCE_RERUN.test_rmse.std);
  assert.equal(ref.rule.rule, "welch");
  assert.equal(ref.rule.status, "reproduced"); // same mean 0.9427
  if (ref.rule.rule !== "welch") throw new Error("rule");
  assert.equal(ref.rule.parameters.n_reference, 20);
  // Ours 0.01 higher with sd 0.003: Welch rejects equality.
  const far = rmseRow(
    "test_rmse",
    0.940,
    ctx({ metrics: metrics({ test_rmse: summarize(runs(0.9527)) }) }),
  );
  assert.equal(far.reference!.rule.status, "not-reproduced");
});

Deno.test("rmseRow and lossRow: another configuration is not comparable, with the settings note and no reference", () => {
  for (const c of [ctx({ sameModel: false }), ctx({ isDocument: false })]) {
    const row = rmseRow("test_rmse", 0.940, c);
    assert.equal(row.status, "not-comparable");
    assert.equal(row.rule.rule, "none");
    assert.equal(row.note, OTHER);
    assert.equal(row.reference, undefined);
    const loss = lossRow("last_epoch_loss_sum", 65.7, "x", c);
    assert.equal(loss.status, "not-comparable");
  }
});

Deno.test("onnxRow: not comparable with the document's figure; the reason gives the distance to the same seed's TypeScript RMSE", () => {
  const row = onnxRow(ctx());
  assert.equal(row.status, "not-comparable");
  assert.equal(row.published, 0.94);
  assert.match(row.note, /\|ONNX − TypeScript\| = 3\.0e-8/);
  assert.match(row.note, /seed 0's single model/);
});

Deno.test("lossRow: prediction interval over seeds, reproduced inside and not reproduced outside", () => {
  const inside = lossRow(
    "first_epoch_loss_sum",
    PUBLISHED_EPOCH_LOSS[0],
    "first",
    ctx(),
  );
  assert.equal(inside.status, "reproduced");
  assert.equal(inside.rule.rule, "prediction-interval");
  assert.match(inside.note, /summed over the 79 minibatches/);
  const outside = lossRow(
    "first_epoch_loss_sum",
    PUBLISHED_EPOCH_LOSS[0] + 20,
    "first",
    ctx(),
  );
  assert.equal(outside.status, "not-reproduced");
});
