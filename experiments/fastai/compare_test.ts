import assert from "node:assert/strict";
import {
  type Comparison,
  type MetricValue,
  summarize,
} from "../../lib/report/results.ts";
import { type CompareContext, fastaiComparisons } from "./compare.ts";
import { PUBLISHED } from "./document.ts";

/** Every blog row at its published value, Keras rows as three seeds ±0.002 around it (population std 0.0016). */
function metricsAtPublished(): Record<string, MetricValue> {
  const around = (x: number) => summarize([x - 0.002, x, x + 0.002]);
  return {
    rmse_user_mean: PUBLISHED.rmse_user_mean,
    rmse_movie_mean: PUBLISHED.rmse_movie_mean,
    rmse_averaged_mean: PUBLISHED.rmse_averaged_mean,
    rmse_user_cosine_leaky: PUBLISHED.rmse_user_cosine_leaky,
    rmse_item_cosine_leaky: PUBLISHED.rmse_item_cosine_leaky,
    rmse_user_cosine_train: 0.95,
    rmse_item_cosine_train: 0.98,
    rmse_svd: PUBLISHED.rmse_svd,
    rmse_dot: around(PUBLISHED.rmse_dot),
    rmse_dot_lr_applied: around(1.3),
    rmse_dot_bias: around(PUBLISHED.rmse_dot_bias),
    rmse_dot_bias_lr_applied: around(0.95),
    rmse_nn: around(PUBLISHED.rmse_nn),
  };
}

function context(
  metrics: Record<string, MetricValue>,
  over: Partial<CompareContext> = {},
): CompareContext {
  return {
    metrics,
    seedCount: 3,
    isDocument: true,
    sameModels: true,
    otherNote: "other settings: --svd-k 20",
    ...over,
  };
}

function row(rows: Comparison[], metric: string): Comparison {
  const r = rows.find((c) => c.metric === metric);
  assert.ok(r, `no row ${metric}`);
  return r;
}

Deno.test("fastaiComparisons: deterministic rows at the printed digits are reproduced, the leaky ones pointing at the corrected row", () => {
  const rows = fastaiComparisons(context(metricsAtPublished()));
  const svd = row(rows, "rmse_svd");
  assert.equal(svd.status, "reproduced");
  assert.equal(svd.note, "SVD: deterministic, equal to the printed digits");
  const leak = row(rows, "rmse_item_cosine_leaky");
  assert.equal(leak.status, "reproduced");
  assert.equal(
    leak.note,
    "Movie-based Cosine Similarity: deterministic, equal to the printed digits; " +
      "the blog predicted from the TEST matrix (a leak), see the corrected row",
  );
});

Deno.test("fastaiComparisons: a deterministic row 1e-6 off the printed value is not reproduced", () => {
  const m = metricsAtPublished();
  m.rmse_user_mean = PUBLISHED.rmse_user_mean + 1e-6;
  const r = row(fastaiComparisons(context(m)), "rmse_user_mean");
  assert.equal(r.status, "not-reproduced");
  assert.equal(
    r.note,
    "User Avg Benchmark: farther than 1e-9 from the published value",
  );
});

Deno.test("fastaiComparisons: a Keras row is reproduced within 0.01 of its seed mean, not beyond", () => {
  const m = metricsAtPublished();
  const r = row(fastaiComparisons(context(m)), "rmse_nn");
  assert.equal(r.status, "reproduced");
  assert.equal(
    r.note,
    `Neural Network: mean ± std over 3 seed(s) ${
      PUBLISHED.rmse_nn.toFixed(4)
    } ± 0.0016; the blog's run was one unseeded draw`,
  );
  m.rmse_dot_bias = summarize([0.93, 0.931]);
  const far = row(fastaiComparisons(context(m)), "rmse_dot_bias");
  assert.equal(far.status, "not-reproduced");
  assert.equal(
    far.note,
    "Dot Product with Bias: farther than 0.01 from the published value",
  );
});

Deno.test("fastaiComparisons: other data or other models explain every blog row by the other settings", () => {
  for (
    const over of [{ isDocument: false }, { sameModels: false }]
  ) {
    const rows = fastaiComparisons(context(metricsAtPublished(), over));
    for (const key of ["rmse_svd", "rmse_dot", "rmse_item_cosine_leaky"]) {
      assert.equal(row(rows, key).status, "explained");
      assert.equal(row(rows, key).note, "other settings: --svd-k 20");
    }
  }
});

Deno.test("fastaiComparisons: corrected cosine and lr-applied rows are explained beside their blog row's published value", () => {
  const rows = fastaiComparisons(context(metricsAtPublished()));
  const item = row(rows, "rmse_item_cosine_train");
  assert.equal(item.status, "explained");
  assert.equal(item.published, PUBLISHED.rmse_item_cosine_leaky);
  assert.match(item.note, /^corrected Movie-based Cosine Similarity: /);
  assert.equal(
    row(rows, "rmse_user_cosine_train").published,
    PUBLISHED.rmse_user_cosine_leaky,
  );
  const applied = row(rows, "rmse_dot_bias_lr_applied");
  assert.equal(applied.status, "explained");
  assert.equal(applied.published, PUBLISHED.rmse_dot_bias);
  assert.match(applied.note, /^the other reading: `optimizer\.lr = 0\.01`/);
});

Deno.test("fastaiComparisons: rows sorted by published RMSE; rows not run are left out", () => {
  const rows = fastaiComparisons(context(metricsAtPublished()));
  assert.equal(rows.length, 13);
  const published = rows.map((r) => r.published as number);
  assert.deepEqual(published, [...published].sort((a, b) => a - b));
  assert.equal(rows[0].metric, "rmse_item_cosine_leaky");
  const m = metricsAtPublished();
  delete m.rmse_dot_lr_applied;
  delete m.rmse_dot_bias_lr_applied;
  delete m.rmse_nn;
  const fewer = fastaiComparisons(context(m)).map((r) => r.metric);
  assert.equal(fewer.length, 10);
  for (const key of ["rmse_nn", "rmse_dot_lr_applied"]) {
    assert.ok(!fewer.includes(key), key);
  }
});
