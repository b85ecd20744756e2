import assert from "node:assert/strict";
import type { MetricValue } from "../../lib/report/results.ts";
import { summaryText } from "./report.ts";

const s = (mean: number, std: number): MetricValue => ({
  mean,
  std,
  values: [mean - std, mean + std],
});

function metrics(continued: boolean): Record<string, MetricValue> {
  const m: Record<string, MetricValue> = {
    mf_val_mse: s(0.8998, 0.0057),
    bias_val_mse: s(0.8483, 0.0019),
    mlp_val_mse: s(0.8919, 0.0031),
    mf_val_loss_epoch5: s(0.9083, 0.0056),
    bias_val_loss_epoch5: s(0.8532, 0.002),
    mlp_val_loss_epoch5: s(0.8927, 0.0031),
  };
  if (continued) m.mf_continued_val_loss_epoch8 = s(0.8887, 0.0024);
  return m;
}

const fitSeconds = { mf: [8, 9, 10], bias: [7, 8], mlp: [20, 30] };

Deno.test("summaryText puts our val_loss (MSE + penalty) beside the document's val_loss and labels the MSE line as without penalty (issue 18)", () => {
  const [mseLine, lossLine] = summaryText(metrics(true), fitSeconds, 5, 5)
    .split("\n");
  assert.equal(
    mseLine,
    "Validation MSE (no penalty) after 5 epochs over 5 seeds: mf 0.8998 ± 0.0057 (fit 9.00 s), " +
      "bias 0.8483 ± 0.0019 (fit 7.50 s), mlp 0.8919 ± 0.0031 (fit 25.00 s)",
  );
  // The document's numbers appear only on the val_loss line, beside ours.
  assert.doesNotMatch(mseLine, /document|0\.8937|0\.8487/);
  assert.equal(
    lossLine,
    "val_loss (validation MSE + L2 penalty, the quantity the document printed) after 5 epochs: " +
      "mf 0.9083 ± 0.0056, bias 0.8532 ± 0.0020, mlp 0.8927 ± 0.0031 " +
      "(document, epoch 5: mf 0.8937, bias 0.8487; our ExplicitMF continued 3 more epochs, " +
      "as the document's apparently was: 0.8887 ± 0.0024)",
  );
});

Deno.test("summaryText leaves out the continued ExplicitMF run when there is none", () => {
  const text = summaryText(metrics(false), fitSeconds, 5, 5);
  assert.match(text, /\(document, epoch 5: mf 0\.8937, bias 0\.8487\)$/);
  assert.doesNotMatch(text, /continued/);
});

Deno.test("summaryText compares a shorter run's val_loss with the document's at the same epoch", () => {
  const m: Record<string, MetricValue> = {};
  for (const k of ["mf", "bias", "mlp"]) {
    m[`${k}_val_mse`] = s(1, 0.01);
    m[`${k}_val_loss_epoch2`] = s(1.01, 0.01);
  }
  const text = summaryText(m, fitSeconds, 2, 2);
  assert.match(
    text,
    /after 2 epochs: .*\(document, epoch 2: mf 0\.919, bias 0\.8547\)$/,
  );
});
