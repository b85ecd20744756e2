import assert from "node:assert/strict";
import type { MetricValue } from "../../lib/report/results.ts";
import {
  type CompareContext,
  kerasComparisons,
  lossRow,
  offsets,
} from "./compare.ts";
import { PUBLISHED_CURVES } from "./document.ts";

/** A summary with the given mean and std (two values mean ± std). */
function s(mean: number, std: number): MetricValue {
  return { mean, std, values: [mean - std, mean + std] };
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
    bias_onnx_test_mse: 0.8471,
  };
  // Bias model: 0.002 above the document at every epoch, std 0.002 (1 std).
  PUBLISHED_CURVES.bias.valLoss.forEach((p, e) => {
    m[`bias_val_loss_epoch${e + 1}`] = s(p + 0.002, 0.002);
  });
  PUBLISHED_CURVES.mf.valLoss.forEach((p, e) => {
    m[`mf_val_loss_epoch${e + 1}`] = s(p + 0.05, 0.005);
    // Continued run: epochs 4–8 beside the document's 1–5, below it.
    m[`mf_continued_val_loss_epoch${e + 4}`] = s(p - 0.001, 0.002);
  });
  return m;
}

function context(over: Partial<CompareContext> = {}): CompareContext {
  return {
    metrics: documentMetrics(),
    seeds: [0, 1],
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

Deno.test("kerasComparisons lists counts, bias, mf, continued and evaluate rows in report order", () => {
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
    "bias_val_mse",
    "bias_onnx_test_mse",
  ]);
});

Deno.test("kerasComparisons count rows: reproduced when equal, explained by the other-settings note when the dataset changed", () => {
  const same = kerasComparisons(context());
  assert.ok(same.slice(0, 6).every((r) => r.status === "reproduced"));
  const metrics = { ...documentMetrics(), users: 610, items: 9724 };
  const other = kerasComparisons(context({ metrics, datasetChanged: true }));
  const users = other.find((r) => r.metric === "users")!;
  assert.equal(users.status, "explained");
  assert.equal(users.note, context().otherNote);
  // train_ratings unchanged and the split is the document's: still reproduced.
  assert.equal(other[2].status, "reproduced");
  // A differing count on the document's own data is not reproduced.
  const bad = kerasComparisons(
    context({ metrics: { ...documentMetrics(), mf_params: 1 } }),
  );
  assert.equal(bad[4].status, "not-reproduced");
});

Deno.test("kerasComparisons bias val_loss rows: reproduced within 3 std, with the one-sided offset in the note", () => {
  const rows = kerasComparisons(context()).filter((r) =>
    r.metric.startsWith("bias_val_loss")
  );
  assert.equal(rows.length, 5);
  for (const r of rows) {
    assert.equal(r.status, "reproduced");
    assert.ok(Math.abs(r.difference! - 0.002) < 1e-12);
    assert.match(r.note, /^mean ± std over 2 seeds /);
    assert.match(r.note, /1\.0 std from our mean \(within 3 std\)/);
    assert.match(
      r.note,
      /ours lies above the document's at each of these 5 epochs, by \+0\.0020…\+0\.0020 \(1\.0–1\.0 of our std\)/,
    );
  }
});

Deno.test("lossRow: not-reproduced beyond 3 std or with no spread; explained with the other-settings note when the model differs", () => {
  const pub = PUBLISHED_CURVES.bias.valLoss[0];
  const far = context({
    metrics: {
      ...documentMetrics(),
      bias_val_loss_epoch1: s(pub + 0.01, 0.001),
    },
  });
  const r1 = lossRow("bias_val_loss_epoch1", pub, "n", far);
  assert.equal(r1.status, "not-reproduced");
  assert.match(r1.note, /10\.0 std from our mean \(outside 3 std\); n$/);
  const flat = context({
    metrics: { ...documentMetrics(), bias_val_loss_epoch1: s(pub, 0) },
  });
  const r2 = lossRow("bias_val_loss_epoch1", pub, "n", flat);
  assert.equal(r2.status, "not-reproduced");
  assert.match(r2.note, /no spread over seeds/);
  const r3 = lossRow(
    "bias_val_loss_epoch1",
    pub,
    "n",
    context({ sameModel: false }),
  );
  assert.equal(r3.status, "explained");
  assert.equal(r3.note, context().otherNote);
});

Deno.test("kerasComparisons mf rows are always explained by the continued-fit hypothesis, citing our first-epoch loss", () => {
  const rows = kerasComparisons(context()).filter((r) =>
    r.metric.startsWith("mf_val_loss")
  );
  for (const r of rows) {
    assert.equal(r.status, "explained");
    assert.match(r.note, /first-epoch loss is 7\.41 here/);
    assert.match(r.note, /rows mf_continued_\* compare our epochs 4–8/);
  }
});

Deno.test("kerasComparisons continued rows: shifted three epochs, explained, absent below 3 extra epochs", () => {
  const rows = kerasComparisons(context()).filter((r) =>
    r.metric.startsWith("mf_continued")
  );
  assert.equal(rows.length, 5);
  assert.equal(rows[0].published, PUBLISHED_CURVES.mf.valLoss[0]);
  assert.match(
    rows[0].note,
    /^ExplicitMF epoch 4 of a run continued past the document's 5 epochs, beside the document's epoch 1: /,
  );
  assert.match(rows[0].note, /ours lies below the document's/);
  assert.ok(rows.every((r) => r.status === "explained"));
  const none = kerasComparisons(context({ extraEpochs: 2 }));
  assert.ok(!none.some((r) => r.metric.startsWith("mf_continued")));
  const other = kerasComparisons(context({ isDocument: false }));
  const first = other.find((r) => r.metric.startsWith("mf_continued"))!;
  assert.equal(first.note, context().otherNote);
});

Deno.test("kerasComparisons evaluate rows: explained as different quantities, with our penalty and the like-with-like row", () => {
  const rows = kerasComparisons(context());
  const mse = rows.find((r) => r.metric === "bias_val_mse")!;
  assert.equal(mse.status, "explained");
  assert.equal(mse.published, PUBLISHED_CURVES.bias.evaluate);
  assert.match(mse.note, /^different quantities: /);
  assert.match(
    mse.note,
    /our penalty adds 0\.0049, and like with like is row bias_val_loss_epoch5 \(ours 0\.8507\)$/,
  );
  const onnx = rows.find((r) => r.metric === "bias_onnx_test_mse")!;
  assert.equal(onnx.status, "explained");
  assert.match(onnx.note, /seed 0's model .* that model's penalty is 0\.0051$/);
});

Deno.test("offsets says 'both sides' when our means straddle the document's", () => {
  const metrics = { a: s(1.01, 0.01), b: s(0.98, 0.01) };
  assert.equal(
    offsets(metrics, [{ m: "a", pub: 1 }, { m: "b", pub: 1 }]),
    "ours lies on both sides of the document's across these epochs (−0.0200…+0.0100 (1.0–2.0 of our std))",
  );
});
