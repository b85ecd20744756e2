import assert from "node:assert/strict";
import type { MetricSummary } from "../../lib/report/results.ts";
import { type Curve, kerasMetrics, perModel } from "./metrics.ts";

/** A curve whose epoch e has val MSE `val[e]`, train MSE 2·val[e] and penalty 0.01. */
const curve = (val: number[]): Curve => ({
  trainMse: val.map((v) => 2 * v),
  penalty: val.map(() => 0.01),
  valMse: val,
});

Deno.test("kerasMetrics summarises each model's epochs over seeds, best epoch 1-based, continued ExplicitMF shifted by three", () => {
  const curves = perModel(() => [curve([1, 0.8, 0.9]), curve([1, 0.7, 0.6])]);
  const mfLong = [
    curve([1, 0.8, 0.9, 0.85, 0.84, 0.83]),
    curve([1, 0.7, 0.6, 0.55, 0.54, 0.53]),
  ];
  const m = kerasMetrics({
    counts: { users: 3 },
    curves,
    mfLong,
    epochs: 3,
    extraEpochs: 3,
    onnxMse: { mf: 0.5, bias: 0.6, mlp: 0.7 },
    parity: { mf: 1e-7, bias: 2e-7, mlp: 3e-7 },
  });
  assert.equal(m.users, 3);
  const at = (k: string) => m[k] as MetricSummary;
  assert.deepEqual(at("bias_val_mse_epoch2").values, [0.8, 0.7]);
  assert.deepEqual(at("bias_val_loss_epoch2").values, [0.81, 0.71]);
  assert.deepEqual(at("mlp_loss_epoch3").values, [1.81, 1.21]);
  assert.deepEqual(at("mf_val_mse").values, [0.9, 0.6]);
  assert.deepEqual(at("mf_best_val_mse").values, [0.8, 0.6]);
  assert.deepEqual(at("mf_best_epoch").values, [2, 3]);
  assert.equal(m.mlp_onnx_test_mse, 0.7);
  assert.equal(m.bias_onnx_parity_max_abs_diff, 2e-7);
  // Epochs 4..6 exist (shift 3, E 3, 3 extra); 7 would need a fourth extra epoch.
  assert.deepEqual(at("mf_continued_val_loss_epoch4").values, [0.86, 0.56]);
  assert.ok("mf_continued_loss_epoch6" in m);
  assert.ok(!("mf_continued_val_loss_epoch7" in m));
  assert.ok(!("mf_continued_val_loss_epoch3" in m));
});

Deno.test("kerasMetrics adds no continued rows without extra epochs", () => {
  const m = kerasMetrics({
    counts: {},
    curves: perModel(() => [curve([1, 0.9])]),
    mfLong: [curve([1, 0.9])],
    epochs: 2,
    extraEpochs: 0,
    onnxMse: { mf: 0, bias: 0, mlp: 0 },
    parity: { mf: 0, bias: 0, mlp: 0 },
  });
  assert.ok(!Object.keys(m).some((k) => k.startsWith("mf_continued")));
});
