import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import { compareResults, diffConfig, formatCompareRows } from "./compare.ts";

Deno.test("compareResults passes within tolerance, at it exactly, and fails beyond it", () => {
  const pinned = sampleResults();
  const fresh = sampleResults();
  fresh.metrics.rmse = 0.912 + 0.0005;
  fresh.metrics["precision@10"] = {
    mean: 0.285,
    std: 0.005,
    values: [0.28, 0.29],
  };
  const rows = compareResults(pinned, fresh, { default: 1e-3 });
  assert.deepEqual(rows.map((r) => [r.metric, r.ok]), [
    ["precision@10", false],
    ["rmse", true],
  ]);
  assert.equal(rows[0].pinned, 0.275); // a summary compares by its mean
  assert.equal(rows[0].fresh, 0.285);
  assert.ok(Math.abs((rows[0].absDiff ?? NaN) - 0.01) < 1e-15);
  assert.equal(rows[0].tol, 1e-3);

  const atTol = sampleResults();
  atTol.metrics.rmse = 0.5;
  const exact = compareResults({ ...pinned, metrics: { rmse: 0.25 } }, {
    ...atTol,
    metrics: { rmse: 0.5 },
  }, {
    default: 0.25,
  });
  assert.deepEqual(exact, [{
    metric: "rmse",
    pinned: 0.25,
    fresh: 0.5,
    absDiff: 0.25,
    tol: 0.25,
    ok: true,
  }]);
});

Deno.test("compareResults uses per-metric tolerances over the default", () => {
  const pinned = sampleResults();
  const fresh = sampleResults();
  fresh.metrics.rmse = 0.95;
  const rows = compareResults(pinned, fresh, {
    default: 0,
    metrics: { rmse: 0.05 },
  });
  assert.deepEqual(rows.map((r) => [r.metric, r.tol, r.ok]), [[
    "precision@10",
    0,
    true,
  ], ["rmse", 0.05, true]]);
  assert.equal(
    compareResults(pinned, fresh, { default: 0, metrics: { rmse: 0.01 } })[1]
      .ok,
    false,
  );
});

Deno.test("compareResults fails a metric missing on either side", () => {
  const pinned = sampleResults();
  const fresh = sampleResults();
  pinned.metrics.auc = 0.9;
  fresh.metrics.ndcg = 0.3;
  const rows = compareResults(pinned, fresh, { default: 1 });
  assert.deepEqual(rows.find((r) => r.metric === "auc"), {
    metric: "auc",
    pinned: 0.9,
    fresh: null,
    absDiff: null,
    tol: 1,
    ok: false,
  });
  assert.equal(rows.find((r) => r.metric === "ndcg")?.ok, false);
  assert.deepEqual(rows.map((r) => r.metric), [
    "auc",
    "ndcg",
    "precision@10",
    "rmse",
  ]);
});

Deno.test("compareResults rejects bad tolerances and mismatched experiments", () => {
  const a = sampleResults();
  assert.throws(
    () => compareResults(a, a, { default: -1 }),
    /tolerance for default must be a finite number ≥ 0/,
  );
  assert.throws(() => compareResults(a, a, { default: NaN }), RangeError);
  assert.throws(
    () => compareResults(a, a, { default: 0, metrics: { rmes: 0.1 } }),
    /unknown metric "rmes"/,
  );
  assert.throws(
    () => compareResults(a, { ...a, experiment: "bpr" }, { default: 0 }),
    /"als" with results of "bpr"/,
  );
});

Deno.test("diffConfig lists the paths whose values differ", () => {
  const a = sampleResults().config;
  const b = structuredClone(a);
  assert.deepEqual(diffConfig(a, b), []);
  b.factors = 64;
  (b.split as Record<string, unknown>).by = "time";
  b.tags = ["a"];
  b.new = null;
  assert.deepEqual(diffConfig(a, b), [
    "config.factors",
    "config.new",
    "config.split.by",
    "config.tags",
  ]);
});

Deno.test("formatCompareRows prints one aligned line per metric with ok or FAIL", () => {
  const text = formatCompareRows([
    {
      metric: "rmse",
      pinned: 0.912,
      fresh: 0.9125,
      absDiff: 0.0005,
      tol: 0.001,
      ok: true,
    },
    {
      metric: "precision@10",
      pinned: 0.275,
      fresh: null,
      absDiff: null,
      tol: 0.001,
      ok: false,
    },
  ]);
  assert.equal(
    text,
    [
      "metric        pinned    fresh   |diff|    tol",
      "rmse           0.912   0.9125   0.0005  0.001    ok",
      "precision@10   0.275  missing  missing  0.001  FAIL",
    ].join("\n"),
  );
});
