/**
 * The published-vs-reproduced rules of `exp:keras` on hand-built metrics:
 * each row kind and each status it can take, decided by the agreement rule.
 */

import assert from "node:assert/strict";
import { type MetricValue, summarize } from "../../lib/report/results.ts";
import {
  type CompareContext,
  continuedEvidence,
  kerasComparisons,
  lossRow,
  offsets,
} from "./compare.ts";
import { PUBLISHED_CURVES } from "./document.ts";

/** Ten seeds' values with this mean and sample sd `sd` (symmetric ±k·step). */
function s(mean: number, sd: number): MetricValue {
  // offsets −4 … 4 and two zeros: sample sd = step·√(60/9)
  const step = sd / Math.sqrt(60 / 9);
  return summarize(
    [-4, -3, -2, -1, 0, 0, 1, 2, 3, 4].map((k) => mean + k * step),
  );
}

/** Metrics of the document's configuration, every value built by hand. */
function documentMetrics(): Record<string, MetricValue> {
  const m: Record<string, MetricValue> = {
    users: 943,
    items: 1682,
    train_ratings: 80000,
    test_ratings: 20000,
    mf_params: 105000,
    bias_params: 107625,
    mf_loss_epoch1: s(7.41, 0.01),
    bias_val_mse: s(0.8483, 0.0019),
    bias_evaluate_loss: s(PUBLISHED_CURVES.bias.evaluate + 0.002, 0.002),
    bias_onnx_test_mse: 0.8471,
  };
  // Bias model: 0.002 above the document at every epoch, sd 0.002.
  PUBLISHED_CURVES.bias.valLoss.forEach((p, e) => {
    m[`bias_val_loss_epoch${e + 1}`] = s(p + 0.002, 0.002);
  });
  PUBLISHED_CURVES.mf.valLoss.forEach((p, e) => {
    m[`mf_val_loss_epoch${e + 1}`] = s(p + 0.05, 0.005);
    // Continued run: epochs 4–8 beside the document's 1–5, just below it.
    m[`mf_continued_val_loss_epoch${e + 4}`] = s(p - 0.001, 0.002);
  });
  return m;
}

function context(over: Partial<CompareContext> = {}): CompareContext {
  return {
    metrics: documentMetrics(),
    seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    epochs: 5,
    extraEpochs: 3,
    isDocument: true,
    sameModel: true,
    datasetChanged: false,
    dimChanged: false,
    biasPenaltyMean: 0.0049,
    biasPenaltyFirst: 0.0051,
    otherNote: "run with other settings than the document's (--x 1)",
    ...over,
  };
}

Deno.test("kerasComparisons lists counts, bias, mf, continued and evaluate rows in report order, each status the rule's", () => {
  const rows = kerasComparisons(context());
  assert.deepEqual(rows.map((r) => r.metric), [
    "users",
    "items",
    "train_ratings",
    "test_ratings",
    "mf_params",
    "bias_params",
    ...[1, 2, 3, 4, 5].map((e) => `bias_val_loss_epoch${e}`),
    ...[1, 2, 3, 4, 5].map((e) => `mf_val_loss_epoch${e}`),
    ...[4, 5, 6, 7, 8].map((e) => `mf_continued_val_loss_epoch${e}`),
    "bias_evaluate_loss",
    "bias_onnx_test_mse",
  ]);
  for (const r of rows) assert.equal(r.status, r.rule.status, r.metric);
});

Deno.test("kerasComparisons count and parameter-count rows: exact; not comparable when the dataset changed", () => {
  const same = kerasComparisons(context());
  assert.ok(
    same.slice(0, 6).every((r) =>
      r.status === "reproduced" && r.rule.rule === "tolerance"
    ),
  );
  const metrics = { ...documentMetrics(), users: 610, items: 9724 };
  const other = kerasComparisons(context({ metrics, datasetChanged: true }));
  const users = other.find((r) => r.metric === "users")!;
  assert.equal(users.status, "not-comparable");
  assert.equal(users.note, context().otherNote);
  // train_ratings unchanged and the split is the document's: still reproduced.
  assert.equal(other[2].status, "reproduced");
  // A differing parameter count on the document's own data is not reproduced.
  const bad = kerasComparisons(
    context({ metrics: { ...documentMetrics(), mf_params: 1 } }),
  );
  assert.equal(bad[4].status, "not-reproduced");
});

Deno.test("kerasComparisons bias val_loss rows: reproduced inside the 95 % prediction interval, like with like, offset in the note", () => {
  const rows = kerasComparisons(context()).filter((r) =>
    r.metric.startsWith("bias_val_loss")
  );
  assert.equal(rows.length, 5);
  for (const r of rows) {
    assert.equal(r.status, "reproduced");
    assert.equal(r.rule.rule, "prediction-interval");
    assert.ok(Math.abs(r.difference! - 0.002) < 1e-12);
    assert.match(
      r.note,
      /^mean ± std over 10 seeds .* \(sample sd\); like with like/,
    );
    assert.match(
      r.note,
      /ours lies above the document's at each of these 5 epochs, by \+0\.0020…\+0\.0020 \(1\.0–1\.0 of our std\)/,
    );
  }
});

Deno.test("lossRow: not reproduced outside the prediction interval; not comparable with other settings", () => {
  const pub = PUBLISHED_CURVES.bias.valLoss[0];
  const far = context({
    metrics: {
      ...documentMetrics(),
      bias_val_loss_epoch1: s(pub + 0.01, 0.002),
    },
  });
  const r1 = lossRow("bias_val_loss_epoch1", pub, "n", far);
  assert.equal(r1.status, "not-reproduced");
  assert.equal(r1.rule.cause, undefined);
  // mean ± 2.262·0.002·√1.1 = ± 0.0047: 0.01 away is outside.
  const [lo, hi] = r1.rule.interval!;
  assert.ok(
    Math.abs((hi - lo) / 2 - 2.2621571628 * 0.002 * Math.sqrt(1.1)) < 1e-9,
  );
  const r3 = lossRow(
    "bias_val_loss_epoch1",
    pub,
    "n",
    context({ sameModel: false }),
  );
  assert.equal(r3.status, "not-comparable");
  assert.equal(r3.note, context().otherNote);
});

Deno.test("kerasComparisons mf rows: the fresh model differs and the continued-fit cause is a hypothesis, not a demonstration", () => {
  const rows = kerasComparisons(context()).filter((r) =>
    r.metric.startsWith("mf_val_loss")
  );
  assert.equal(rows.length, 5);
  for (const r of rows) {
    assert.equal(r.status, "hypothesis");
    assert.equal(r.rule.agrees, false);
    assert.equal(r.rule.cause?.demonstrated, false);
    assert.match(r.note, /first-epoch loss is 7\.41 here/);
    assert.match(
      r.note,
      /inside the 95 % prediction interval of our epochs 4–8 at 5 of 5 epochs/,
    );
    assert.match(r.note, /not a demonstration/);
  }
  // A fresh model that matched the printout would simply be reproduced.
  const metrics = documentMetrics();
  metrics.mf_val_loss_epoch1 = s(PUBLISHED_CURVES.mf.valLoss[0], 0.005);
  const row = kerasComparisons(context({ metrics })).find((r) =>
    r.metric === "mf_val_loss_epoch1"
  )!;
  assert.equal(row.status, "reproduced");
});

Deno.test("kerasComparisons continued rows: shifted three epochs, not comparable with the interval outcome stated; absent below 3 extra epochs", () => {
  const rows = kerasComparisons(context()).filter((r) =>
    r.metric.startsWith("mf_continued")
  );
  assert.equal(rows.length, 5);
  assert.equal(rows[0].published, PUBLISHED_CURVES.mf.valLoss[0]);
  assert.match(
    rows[0].note,
    /^our ExplicitMF epoch 4 \(a run continued past the document's 5 epochs\) beside the document's epoch 1: different epochs/,
  );
  assert.match(rows[0].note, /the document's value inside it$/);
  assert.ok(rows.every((r) => r.status === "not-comparable"));
  const outside = documentMetrics();
  outside.mf_continued_val_loss_epoch4 = s(0.9, 0.002);
  const o = kerasComparisons(context({ metrics: outside }));
  assert.match(
    o.find((r) => r.metric === "mf_continued_val_loss_epoch4")!.note,
    /the document's value outside it$/,
  );
  assert.equal(continuedEvidence(context({ metrics: outside }))!.inside, 4);
  const none = kerasComparisons(context({ extraEpochs: 2 }));
  assert.ok(!none.some((r) => r.metric.startsWith("mf_continued")));
  const other = kerasComparisons(context({ isDocument: false }));
  const first = other.find((r) => r.metric.startsWith("mf_continued"))!;
  assert.equal(first.note, context().otherNote);
});

Deno.test("kerasComparisons evaluate rows: evaluate() like with like by prediction interval; the ONNX MSE not comparable", () => {
  const rows = kerasComparisons(context());
  const ev = rows.find((r) => r.metric === "bias_evaluate_loss")!;
  assert.equal(ev.status, "reproduced");
  assert.equal(ev.rule.rule, "prediction-interval");
  assert.equal(ev.published, PUBLISHED_CURVES.bias.evaluate);
  assert.match(ev.note, /our penalty adds 0\.0049 on average/);
  const far = documentMetrics();
  far.bias_evaluate_loss = s(0.86, 0.002);
  assert.equal(
    kerasComparisons(context({ metrics: far })).find((r) =>
      r.metric === "bias_evaluate_loss"
    )!.status,
    "not-reproduced",
  );
  const onnx = rows.find((r) => r.metric === "bias_onnx_test_mse")!;
  assert.equal(onnx.status, "not-comparable");
  assert.match(onnx.note, /seed 0's model .*that model's penalty is 0\.0051/);
});

Deno.test("offsets says 'both sides' when our means straddle the document's", () => {
  const metrics = { a: s(1.01, 0.01), b: s(0.98, 0.01) };
  assert.equal(
    offsets(metrics, [{ m: "a", pub: 1 }, { m: "b", pub: 1 }]),
    "ours lies on both sides of the document's across these epochs (−0.0200…+0.0100 (1.0–2.0 of our std))",
  );
});
