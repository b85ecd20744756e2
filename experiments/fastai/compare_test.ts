import assert from "node:assert/strict";
import {
  type Comparison,
  type MetricValue,
  summarize,
} from "../../lib/report/results.ts";
import { parseFlags } from "../../lib/cli.ts";
import {
  type CompareContext,
  compareContext,
  fastaiComparisons,
} from "./compare.ts";
import { FLAGS, PUBLISHED } from "./document.ts";

/** Every blog row at its published value, Keras rows as five seeds around it (sample std 0.0016). */
function metricsAtPublished(): Record<string, MetricValue> {
  const around = (x: number) =>
    summarize([x - 0.002, x - 0.001, x, x + 0.001, x + 0.002]);
  return {
    users: 671,
    movies: 9066,
    ratings: 100004,
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
    seedCount: 5,
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

Deno.test("fastaiComparisons: counts exact; deterministic rows at the 12 printed digits reproduced by the float64 tolerance rule", () => {
  const rows = fastaiComparisons(context(metricsAtPublished()));
  assert.deepEqual(rows.slice(0, 3).map((r) => [r.metric, r.status]), [
    ["users", "reproduced"],
    ["movies", "reproduced"],
    ["ratings", "reproduced"],
  ]);
  const svd = row(rows, "rmse_svd");
  assert.equal(svd.status, "reproduced");
  if (svd.rule.rule !== "tolerance") throw new Error("not the tolerance rule");
  assert.equal(svd.rule.parameters.published_text, "0.945549294143");
  assert.equal(svd.rule.parameters.decimals, 12);
  assert.equal(svd.rule.parameters.float, "float64");
  const leak = row(rows, "rmse_item_cosine_leaky");
  assert.equal(leak.status, "reproduced");
  assert.match(leak.note, /the blog predicted from the TEST matrix \(a leak\)/);
});

Deno.test("fastaiComparisons: a deterministic row 1e-11 off the printed digits is not reproduced; 2e-13 off is", () => {
  const m = metricsAtPublished();
  m.rmse_user_mean = PUBLISHED.rmse_user_mean + 1e-11;
  const r = row(fastaiComparisons(context(m)), "rmse_user_mean");
  assert.equal(r.status, "not-reproduced");
  assert.match(r.note, /^User Avg Benchmark: deterministic, outside \[/);
  m.rmse_user_mean = PUBLISHED.rmse_user_mean + 2e-13;
  assert.equal(
    row(fastaiComparisons(context(m)), "rmse_user_mean").status,
    "reproduced",
  );
  m.users = 670;
  assert.equal(
    fastaiComparisons(context(m))[0].status,
    "not-reproduced",
  );
});

Deno.test("fastaiComparisons: a Keras row by the 95 % prediction interval of the seeds, not a fixed distance", () => {
  const m = metricsAtPublished();
  const r = row(fastaiComparisons(context(m)), "rmse_nn");
  assert.equal(r.status, "reproduced");
  assert.equal(r.rule.rule, "prediction-interval");
  assert.match(
    r.note,
    /^Neural Network: the blog's single unseeded run against our 5 seeded runs, mean ± std 0\.8908 ± 0\.0016; with 5 seeds the interval is wide \(t quantile 2\.78\)$/,
  );
  // 0.006 from the mean is outside mean ± 2.78·0.00158·√1.2 ≈ ±0.0048.
  m.rmse_dot_bias = summarize(
    [-0.002, -0.001, 0, 0.001, 0.002].map((d) =>
      PUBLISHED.rmse_dot_bias + 0.006 + d
    ),
  );
  const far = row(fastaiComparisons(context(m)), "rmse_dot_bias");
  assert.equal(far.status, "not-reproduced");
  // 0.004 is inside.
  m.rmse_dot_bias = summarize(
    [-0.002, -0.001, 0, 0.001, 0.002].map((d) =>
      PUBLISHED.rmse_dot_bias + 0.004 + d
    ),
  );
  assert.equal(
    row(fastaiComparisons(context(m)), "rmse_dot_bias").status,
    "reproduced",
  );
});

Deno.test("fastaiComparisons: other data or other models make every row not comparable", () => {
  for (
    const over of [{ isDocument: false }, { sameModels: false }]
  ) {
    const rows = fastaiComparisons(context(metricsAtPublished(), over));
    for (
      const key of [
        "rmse_svd",
        "rmse_dot",
        "rmse_item_cosine_leaky",
        "rmse_item_cosine_train",
        "rmse_dot_lr_applied",
      ]
    ) {
      assert.equal(row(rows, key).status, "not-comparable");
      assert.equal(row(rows, key).note, "other settings: --svd-k 20");
    }
  }
  const other = fastaiComparisons(
    context(metricsAtPublished(), { isDocument: false }),
  );
  assert.equal(row(other, "users").status, "not-comparable");
});

Deno.test("fastaiComparisons: corrected cosine and lr-applied rows are not comparable beside their blog row's published value", () => {
  const rows = fastaiComparisons(context(metricsAtPublished()));
  const item = row(rows, "rmse_item_cosine_train");
  assert.equal(item.status, "not-comparable");
  assert.equal(item.rule.rule, "none");
  assert.equal(item.published, PUBLISHED.rmse_item_cosine_leaky);
  assert.match(
    item.note,
    /^the corrected Movie-based Cosine Similarity, another quantity/,
  );
  assert.equal(
    row(rows, "rmse_user_cosine_train").published,
    PUBLISHED.rmse_user_cosine_leaky,
  );
  const applied = row(rows, "rmse_dot_bias_lr_applied");
  assert.equal(applied.status, "not-comparable");
  assert.equal(applied.published, PUBLISHED.rmse_dot_bias);
  assert.match(
    applied.note,
    /^the other reading: `optimizer\.lr = 0\.01`.*the blog's figure is outside this reading's \[/,
  );
  const m = metricsAtPublished();
  m.rmse_dot_lr_applied = summarize([1.209, 1.21, 1.211]);
  assert.match(
    row(fastaiComparisons(context(m)), "rmse_dot_lr_applied").note,
    /the blog's figure is inside this reading's/,
  );
});

Deno.test("fastaiComparisons: counts first, then rows sorted by published RMSE; rows not run are left out", () => {
  const rows = fastaiComparisons(context(metricsAtPublished()));
  assert.equal(rows.length, 16);
  const published = rows.slice(3).map((r) => r.published as number);
  assert.deepEqual(published, [...published].sort((a, b) => a - b));
  assert.equal(rows[3].metric, "rmse_item_cosine_leaky");
  const m = metricsAtPublished();
  delete m.rmse_dot_lr_applied;
  delete m.rmse_dot_bias_lr_applied;
  delete m.rmse_nn;
  const fewer = fastaiComparisons(context(m)).map((r) => r.metric);
  assert.equal(fewer.length, 13);
  for (const key of ["rmse_nn", "rmse_dot_lr_applied"]) {
    assert.ok(!fewer.includes(key), key);
  }
  for (const r of rows) assert.equal(r.status, r.rule.status);
});

Deno.test("compareContext: the document's data and models by default, neither once a split or model flag changes", () => {
  const context = (args: string[]) =>
    compareContext(
      parseFlags(FLAGS, args, { command: "deno task exp:fastai" }),
      args,
      metricsAtPublished(),
      5,
    );
  const base = context([]);
  assert.equal(base.isDocument, true);
  assert.equal(base.sameModels, true);
  assert.equal(base.seedCount, 5);
  assert.equal(context(["--split-seed", "8"]).isDocument, false);
  assert.equal(context(["--train-fraction", "0.7"]).isDocument, false);
  assert.equal(context(["--svd-k", "20"]).sameModels, false);
  assert.equal(context(["--lr", "0.01"]).sameModels, false);
  assert.equal(context(["--lr", "0.01"]).isDocument, true);
});
