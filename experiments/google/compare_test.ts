/**
 * The published-vs-reproduced rules of `exp:google` on hand-built metrics:
 * counts, the per-epoch checkpoints and epoch 1000 against the reference.
 */

import assert from "node:assert/strict";
import { type MetricValue, summarize } from "../../lib/report/results.ts";
import {
  type CompareContext,
  countRow,
  curveRow,
  finalRow,
  googleComparisons,
} from "./compare.ts";
import { PUBLISHED } from "./document.ts";

const OTHER = "run with other settings than the document's (--epochs 200)";

/** A context of the document's run with `metrics`. */
function ctx(
  metrics: Record<string, MetricValue>,
  over: Partial<CompareContext> = {},
): CompareContext {
  return {
    metrics,
    isDocument: true,
    sameModel: true,
    checkpoints: [...PUBLISHED.epochs],
    otherNote: OTHER,
    ...over,
  };
}

/** The document's run: counts, every checkpoint and epoch 1000 near the reference. */
function documentMetrics(): Record<string, MetricValue> {
  const m: Record<string, MetricValue> = {
    users: 943,
    items: 1682,
    train_ratings: 75000,
    val_ratings: 25000,
  };
  PUBLISHED.epochs.forEach((e, j) => {
    m[`train_mse_epoch_${e}`] = summarize([
      PUBLISHED.train[j] - 0.1,
      PUBLISHED.train[j] + 0.1,
    ]);
    m[`val_mse_epoch_${e}`] = summarize([
      PUBLISHED.val[j] + 5,
      PUBLISHED.val[j] + 5.2,
    ]);
  });
  m.train_mse = summarize([3.30, 3.32]);
  m.val_mse = summarize([8.99, 9.01]);
  return m;
}

Deno.test("googleComparisons lists counts, 18 checkpoint rows before epoch 1000, then the two final rows", () => {
  const rows = googleComparisons(ctx(documentMetrics()));
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
  assert.ok(rows.slice(4, 22).every((r) => r.status === "explained"));
  // A run stopped at epoch 250 has only the epoch-100 and -200 rows.
  const short = googleComparisons(
    ctx(documentMetrics(), { checkpoints: [100, 200] }),
  );
  assert.equal(short.length, 4 + 4 + 2);
});

Deno.test("countRow reproduces an equal count, explains a changed split and fails an unexplained difference", () => {
  const m = { train_ratings: 75000, val_ratings: 24000 };
  const same = countRow("train_ratings", 75000, false, ctx(m), "implied");
  assert.equal(same.status, "reproduced");
  assert.equal(same.note, "implied");
  const changed = countRow("val_ratings", 25000, true, ctx(m));
  assert.equal(changed.status, "explained");
  assert.equal(changed.note, OTHER);
  const wrong = countRow(
    "val_ratings",
    25000,
    false,
    ctx(m),
    "ceil(0.25 · 100,000)",
  );
  assert.equal(wrong.status, "not-reproduced");
  assert.equal(
    wrong.note,
    "differs from the document's count with the document's split; ceil(0.25 · 100,000)",
  );
  assert.equal(wrong.difference, -1000);
});

Deno.test("curveRow is always explained and says whether the document lies within ±3 std of our mean", () => {
  const m = { a: summarize([10, 12]), b: summarize([10, 10.2]) };
  const inside = curveRow("a", 13.5, ctx(m));
  assert.equal(inside.status, "explained");
  assert.equal(
    inside.note,
    "our 2-seed mean ± std 11.000 ± 1.000; the document's unseeded run is inside ±3 std",
  );
  assert.equal(inside.reproduced, 11);
  const outside = curveRow("b", 11, ctx(m));
  assert.equal(outside.status, "explained");
  assert.match(
    outside.note,
    /is outside ±3 std \(early epochs depend on the initial draw/,
  );
});

Deno.test("finalRow reproduces when both the document and our mean lie within 3 of the reference spread", () => {
  // val reference 9.006 ± 0.044: the document's 8.943 lies −1.4 std away;
  // our mean 9.0 with n = 2: se = 0.044·√(1/2 + 1/5) = 0.0368, z = −0.16.
  const row = finalRow(
    "val_mse",
    8.943,
    ctx({ val_mse: summarize([8.99, 9.01]) }),
  );
  assert.equal(row.status, "reproduced");
  assert.match(
    row.note,
    /the document's single run lies -1\.4 reference std from its mean/,
  );
  assert.match(
    row.note,
    /ours over 2 seeds 9\.000 ± 0\.010 \(per seed 8\.990, 9\.010\) lies -0\.2 standard errors/,
  );
  assert.match(row.note, /se = 0\.044·√\(1\/2 \+ 1\/5\) = 0\.037/);
  assert.doesNotMatch(row.note, /outside the agreement rule/);
});

Deno.test("finalRow fails a mean beyond 3 standard errors and says why, judging with the reference spread", () => {
  // 9.2 lies (9.2 − 9.006)/0.0368 = 5.3 se away; our spread 0.1 is 2.3× 0.044.
  const far = finalRow(
    "val_mse",
    8.943,
    ctx({ val_mse: summarize([9.1, 9.3]) }),
  );
  assert.equal(far.status, "not-reproduced");
  assert.match(far.note, /lies 5\.3 standard errors from it/);
  assert.match(
    far.note,
    /outside the agreement rule \(3 reference std for the document, 3 standard errors for our mean\)/,
  );
  assert.match(far.note, /our spread over seeds is 2\.3× the reference's/);
  // The standard error is the reference's, not ours: a wide spread of our
  // seeds neither excuses a far mean nor condemns a close one.
  const wideFar = finalRow(
    "val_mse",
    8.943,
    ctx({ val_mse: summarize([7.2, 11.2]) }),
  );
  assert.equal(wideFar.status, "not-reproduced");
  const wideClose = finalRow(
    "val_mse",
    8.943,
    ctx({ val_mse: summarize([8.6, 9.4]) }),
  );
  assert.equal(wideClose.status, "reproduced");
  assert.match(
    wideClose.note,
    /our spread over seeds is 9\.1× the reference's$/,
  );
  // A published value far from the reference fails, whatever our mean.
  const doc = finalRow(
    "train_mse",
    4,
    ctx({ train_mse: summarize([3.31, 3.31]) }),
  );
  assert.equal(doc.status, "not-reproduced");
  assert.match(doc.note, /the document's single run lies 13\.0 reference std/);
});

Deno.test("finalRow is explained by the other-settings note when the split or the model is not the document's", () => {
  const m = { train_mse: summarize([20, 21]) };
  for (const over of [{ isDocument: false }, { sameModel: false }]) {
    const row = finalRow("train_mse", 3.297, ctx(m, over));
    assert.equal(row.status, "explained");
    assert.equal(row.note, OTHER);
    assert.equal(row.published, 3.297);
    assert.equal(row.reproduced, 20.5);
  }
});
