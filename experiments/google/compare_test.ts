/**
 * The published-vs-reproduced rules of `exp:google` on hand-built metrics:
 * counts, the per-epoch checkpoints and epoch 1000, each status decided by
 * the agreement rule (prediction interval against the document, Welch
 * against torch's re-run).
 */

import assert from "node:assert/strict";
import { type MetricValue, summarize } from "../../lib/report/results.ts";
import {
  type CompareContext,
  compareContext,
  countRow,
  curveRow,
  finalRow,
  googleComparisons,
  isTorchReference,
  referenceNote,
  torchSeedwiseMaxDiff,
} from "./compare.ts";
import { PUBLISHED, TORCH_REFERENCE } from "./document.ts";

const OTHER = "run with other settings than the document's (--epochs 200)";
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** A context of the document's run with `metrics`. */
function ctx(
  metrics: Record<string, MetricValue>,
  over: Partial<CompareContext> = {},
): CompareContext {
  return {
    metrics,
    isDocument: true,
    sameModel: true,
    sameCurve: true,
    seeds: SEEDS,
    torchInit: true,
    checkpoints: [...PUBLISHED.epochs],
    otherNote: OTHER,
    ...over,
  };
}

/** The torch reference itself as our runs (what --init torch gives, up to 1e-4). */
function torchMetrics(): Record<string, MetricValue> {
  const m: Record<string, MetricValue> = {
    users: 943,
    items: 1682,
    train_ratings: 75000,
    val_ratings: 25000,
  };
  PUBLISHED.epochs.forEach((e) => {
    m[`train_mse_epoch_${e}`] = summarize(TORCH_REFERENCE.at(e, "train"));
    m[`val_mse_epoch_${e}`] = summarize(TORCH_REFERENCE.at(e, "val"));
  });
  m.train_mse = summarize(TORCH_REFERENCE.at(1000, "train"));
  m.val_mse = summarize(TORCH_REFERENCE.at(1000, "val"));
  return m;
}

Deno.test("TORCH_REFERENCE: ten torch seeds 0–9 with every 100th epoch; val MSE at 1000 is 9.031 ± 0.126", () => {
  assert.deepEqual(TORCH_REFERENCE.seeds, SEEDS);
  const v = summarize(TORCH_REFERENCE.at(1000, "val"));
  assert.equal(v.values.length, 10);
  assert.ok(Math.abs(v.mean - 9.031) < 5e-4, `${v.mean}`);
  assert.ok(Math.abs(v.std - 0.126) < 5e-4, `${v.std}`);
  assert.throws(() => TORCH_REFERENCE.at(150, "val"), /no epoch 150/);
});

Deno.test("googleComparisons lists counts, 18 checkpoint rows before epoch 1000, then the two final rows, each with its rule", () => {
  const rows = googleComparisons(ctx(torchMetrics()));
  assert.deepEqual(rows.slice(0, 4).map((r) => r.metric), [
    "users",
    "items",
    "train_ratings",
    "val_ratings",
  ]);
  assert.equal(rows.length, 4 + 18 + 2);
  assert.deepEqual(rows.slice(4, 6).map((r) => r.metric), [
    "train_mse_epoch_100",
    "val_mse_epoch_100",
  ]);
  assert.deepEqual(rows.slice(-2).map((r) => r.metric), [
    "train_mse",
    "val_mse",
  ]);
  assert.ok(rows.slice(0, 4).every((r) => r.rule.rule === "tolerance"));
  for (const r of rows.slice(4)) {
    assert.equal(r.rule.rule, "prediction-interval", r.metric);
    assert.equal(r.reference?.rule.rule, "welch", r.metric);
    // Our runs are torch's runs: Welch cannot tell them apart.
    assert.equal(r.reference?.rule.status, "reproduced", r.metric);
    assert.equal(r.status, r.rule.status);
  }
  // A run stopped at epoch 250 has only the epoch-100 and -200 rows.
  const short = googleComparisons(
    ctx(torchMetrics(), { checkpoints: [100, 200] }),
  );
  assert.equal(short.length, 4 + 4 + 2);
});

Deno.test("countRow reproduces an equal count, marks a changed split not comparable and fails an unexplained difference", () => {
  const m = { train_ratings: 75000, val_ratings: 24000 };
  const same = countRow("train_ratings", 75000, false, ctx(m), "implied");
  assert.equal(same.status, "reproduced");
  assert.equal(same.note, "implied");
  const changed = countRow("val_ratings", 25000, true, ctx(m));
  assert.equal(changed.status, "not-comparable");
  assert.equal(changed.note, OTHER);
  const wrong = countRow(
    "val_ratings",
    25000,
    false,
    ctx(m),
    "ceil(0.25 · 100,000)",
  );
  assert.equal(wrong.status, "not-reproduced");
  assert.equal(wrong.difference, -1000);
});

Deno.test("finalRow val_mse: the document's 8.943 lies inside the prediction interval of torch's ten seeds (the old 'not reproduced' does not follow)", () => {
  const row = finalRow("val_mse", PUBLISHED.val[9], ctx(torchMetrics()));
  assert.equal(row.status, "reproduced");
  if (row.rule.rule !== "prediction-interval") throw new Error("rule");
  assert.equal(row.rule.parameters.n, 10);
  const [lo, hi] = row.rule.interval!;
  // 9.031 ± 2.262·0.126·√1.1 ≈ [8.73, 9.33]
  assert.ok(
    Math.abs(lo - 8.73) < 0.01 && Math.abs(hi - 9.33) < 0.01,
    `${lo} ${hi}`,
  );
  assert.match(row.note, /ours 9\.031 ± 0\.126 \(sample sd\) over 10 seeds/);
  assert.match(row.reference!.source, /torch\.manual_seed\(s\) for s = 0–9/);
  assert.match(row.reference!.source, /seed for seed the document's code/);
});

Deno.test("finalRow: not reproduced when the document lies outside the interval; no cause is offered", () => {
  const far = finalRow(
    "val_mse",
    PUBLISHED.val[9],
    ctx({ val_mse: summarize([9.5, 9.6, 9.55, 9.45, 9.5]) }),
  );
  assert.equal(far.status, "not-reproduced");
  assert.equal(far.rule.agrees, false);
  assert.equal(far.rule.cause, undefined);
  // And Welch against torch's seeds rejects equal means.
  assert.equal(far.reference!.rule.status, "not-reproduced");
});

Deno.test("curveRow: checkpoint against the document by prediction interval, torch at that epoch as reference", () => {
  const m = torchMetrics();
  const row = curveRow("val_mse_epoch_500", PUBLISHED.val[4], ctx(m));
  assert.equal(row.rule.rule, "prediction-interval");
  assert.deepEqual(row.reference!.values, TORCH_REFERENCE.at(500, "val"));
  assert.match(row.note, /validation MSE after epoch 500's step/);
  const tight = curveRow(
    "train_mse_epoch_100",
    PUBLISHED.train[0],
    ctx({ train_mse_epoch_100: summarize([30, 30.01, 30.02]) }),
  );
  assert.equal(tight.status, "not-reproduced");
  assert.throws(() => curveRow("loss", 1, ctx(m)), /bad metric loss/);
});

Deno.test("curveRow and finalRow are not comparable with other settings; a shorter run keeps its checkpoints comparable", () => {
  const m = torchMetrics();
  for (const over of [{ isDocument: false }, { sameCurve: false }]) {
    const row = curveRow("train_mse_epoch_100", 33.57, ctx(m, over));
    assert.equal(row.status, "not-comparable");
    assert.equal(row.note, OTHER);
    assert.equal(row.reference, undefined);
  }
  const short = ctx(m, { sameModel: false, sameCurve: true });
  assert.equal(
    curveRow("train_mse_epoch_100", PUBLISHED.train[0], short).rule.rule,
    "prediction-interval",
  );
  const fin = finalRow("train_mse", 3.297, short);
  assert.equal(fin.status, "not-comparable");
  assert.equal(fin.published, 3.297);
});

Deno.test("referenceNote says whether our seeds are torch's own", () => {
  assert.match(referenceNote(ctx({})), /seed for seed/);
  assert.match(
    referenceNote(ctx({}, { seeds: [5, 6] })),
    /not the reference's seeds/,
  );
  assert.match(referenceNote(ctx({}, { torchInit: false })), /--init numpy/);
});

Deno.test("torchSeedwiseMaxDiff is 0 for the torch runs themselves and the largest seedwise gap otherwise", () => {
  const m = torchMetrics();
  assert.equal(torchSeedwiseMaxDiff(m, PUBLISHED.epochs), 0);
  const shifted = TORCH_REFERENCE.at(300, "val").map((v, k) =>
    v + (k === 4 ? 0.25 : 0.01)
  );
  m.val_mse_epoch_300 = summarize(shifted);
  assert.ok(
    Math.abs(torchSeedwiseMaxDiff(m, PUBLISHED.epochs) - 0.25) < 1e-12,
  );
  // Checkpoints the run did not reach are not read.
  assert.equal(torchSeedwiseMaxDiff(m, [100, 200]), 0);
});

Deno.test("isTorchReference needs --init torch, 1,000 epochs and torch's seeds in order", () => {
  const flags = { init: "torch", epochs: 1000 } as const;
  assert.equal(isTorchReference(flags, SEEDS), true);
  assert.equal(isTorchReference({ ...flags, epochs: 999 }, SEEDS), false);
  assert.equal(isTorchReference({ ...flags, init: "numpy" }, SEEDS), false);
  assert.equal(isTorchReference(flags, SEEDS.slice(0, 9)), false);
  assert.equal(isTorchReference(flags, [...SEEDS].reverse()), false);
});

Deno.test("compareContext marks the document's settings comparable and a changed split or model not", () => {
  const doc = {
    dim: 30,
    lr: 1e-3,
    "init-std": 1,
    epochs: 1000,
    "split-seed": 300,
    "test-size": 0.25,
    init: "torch",
  } as unknown as Parameters<typeof compareContext>[0];
  const c = compareContext(doc, [], {}, SEEDS, [100]);
  assert.deepEqual(
    [c.isDocument, c.sameModel, c.sameCurve, c.torchInit],
    [true, true, true, true],
  );
  assert.deepEqual(c.checkpoints, [100]);
  const args = ["--epochs", "200"];
  const short = compareContext({ ...doc, epochs: 200 }, args, {}, SEEDS, [100]);
  assert.deepEqual([short.sameModel, short.sameCurve], [false, true]);
  assert.match(short.otherNote, /--epochs 200/);
  const split = compareContext({ ...doc, "split-seed": 1 }, [], {}, SEEDS, []);
  assert.equal(split.isDocument, false);
  const dim = compareContext({ ...doc, dim: 35 }, [], {}, SEEDS, []);
  assert.deepEqual([dim.sameModel, dim.sameCurve], [false, false]);
});
