import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import { deterministicRule, predictionIntervalRule } from "./agreement.ts";
import { comparison, referenceRun, referenceSummary } from "./results.ts";
import {
  formatDifference,
  formatFigure,
  formatMetric,
  formatReference,
  scorecardRows,
  STATUS_LABELS,
  statusCounts,
} from "./scorecard.ts";

Deno.test("formatFigure keeps integers, groups from 10,000, rounds to 4 decimals and uses exponents below 0.001", () => {
  assert.equal(formatFigure(944), "944");
  assert.equal(formatFigure(100836), "100,836");
  assert.equal(formatFigure(0.94), "0.94");
  assert.equal(formatFigure(1034.392520904541), "1034.3925");
  assert.equal(formatFigure(2.86102e-6), "2.86e-6");
  assert.equal(formatFigure(1e-4), "1e-4");
  assert.equal(formatFigure(-0.0030920612), "−0.0031");
  assert.equal(formatFigure(-0.00001), "−1e-5");
  assert.equal(formatFigure(0), "0");
  assert.equal(formatFigure(NaN), "NaN");
});

Deno.test("formatDifference signs positive differences and keeps zero unsigned", () => {
  assert.equal(formatDifference(0.0036465), "+0.0036");
  assert.equal(formatDifference(-2), "−2");
  assert.equal(formatDifference(0), "0");
});

Deno.test("formatMetric shows mean ± std with the number of seeds only for several seeds", () => {
  assert.equal(
    formatMetric({ mean: 0.94366, std: 0.00481, values: [0.94, 0.9473] }),
    "0.9437 ± 0.0048 (2 seeds)",
  );
  assert.equal(formatMetric({ mean: 0.5, std: 0, values: [0.5] }), "0.5");
  assert.equal(formatMetric(610), "610");
});

Deno.test("scorecardRows gives one row per comparison, in order, with published text, status labels, rule interval and reference", () => {
  const r = sampleResults();
  const rows = scorecardRows([r]);
  assert.deepEqual(rows.map((r) => [r.experiment, r.metric]), [
    ["als", "precision@10"],
    ["als", "rmse"],
  ]);
  assert.equal(rows[0].published, "0.276");
  assert.equal(rows[0].reproduced, "0.275 ± 0.0071 (2 seeds)");
  assert.equal(rows[0].difference, "−0.001");
  assert.equal(rows[0].status, "reproduced");
  assert.equal(rows[0].statusLabel, "reproduced");
  assert.equal(rows[0].rule, r.comparisons[0].rule.interval_text);
  assert.match(rows[0].rule, /^\[0\.\d+, 0\.\d+\] \(95 % PI, n = 2\)$/);
  assert.equal(rows[0].reference, "—");
  assert.equal(rows[1].published, "≈0.9 (read off a plot)");
  assert.equal(rows[1].difference, "—");
  assert.equal(rows[1].status, "not-comparable");
  assert.equal(rows[1].statusLabel, "not comparable");
  assert.equal(rows[1].rule, "not comparable");
  assert.equal(rows[1].note, "the document reads RMSE off a plot");
  r.comparisons[0].reference = referenceRun(
    "lib",
    [0.27, 0.28, 0.29],
    [0.27, 0.28],
  );
  assert.equal(
    scorecardRows([r])[0].reference,
    formatReference(r.comparisons[0].reference),
  );
});

Deno.test("statusCounts counts each of the six statuses of a results file", () => {
  assert.deepEqual(statusCounts(sampleResults()), {
    "reproduced": 1,
    "explained": 0,
    "not-reproduced": 0,
    "hypothesis": 0,
    "cannot-judge": 0,
    "not-comparable": 1,
  });
  const r = sampleResults();
  const metrics = { a: { mean: 1, std: 0, values: [1] }, b: 2, c: 3 };
  r.metrics = metrics;
  const cause = (demonstrated: boolean) => ({
    cause: { evidence: "run X", demonstrated },
  });
  r.comparisons = [
    comparison("b", metrics, 2, deterministicRule(2, 2, { count: true })),
    comparison(
      "b",
      metrics,
      3,
      deterministicRule(3, 2, { count: true, ...cause(true) }),
      "x",
    ),
    comparison(
      "c",
      metrics,
      4,
      deterministicRule(4, 3, { count: true, ...cause(false) }),
      "x",
    ),
    comparison("c", metrics, 4, deterministicRule(4, 3, { count: true }), "x"),
    comparison("a", metrics, 1, predictionIntervalRule(1, [1]), "x"),
    comparison("c", metrics, 5, deterministicRule(5, 3, { count: true }), "x"),
  ];
  const counts = statusCounts(r);
  assert.deepEqual(counts, {
    "reproduced": 1,
    "explained": 1,
    "not-reproduced": 2,
    "hypothesis": 1,
    "cannot-judge": 1,
    "not-comparable": 0,
  });
  assert.deepEqual(Object.keys(counts), Object.keys(STATUS_LABELS));
});

Deno.test("formatReference: values give their count; summary statistics say so with the quoted range; p to 2 digits", () => {
  const ours = [0.938, 0.941, 0.943, 0.945];
  const full = referenceRun("lib", [0.94, 0.942, 0.944], ours);
  const p = (full.rule.parameters as { p: number }).p;
  assert.equal(
    formatReference(full),
    `0.942 ± 0.002 (3 seeds; Welch p = ${p.toPrecision(2)})`,
  );
  // scipy ttest_ind_from_stats(..., 0.95, 0.004, 10, equal_var=False).pvalue = 0.00333…
  const summary = referenceSummary(
    "lib",
    { n: 10, mean: 0.95, std: 0.004, min: 0.944, max: 0.957 },
    ours,
  );
  assert.equal(
    formatReference(summary),
    "0.95 ± 0.004 (10 seeds, summary only, 0.944–0.957; Welch p = 0.0033)",
  );
  const bare = referenceSummary("lib", { n: 10, mean: 0.95, std: 0.004 }, ours);
  assert.equal(
    formatReference(bare),
    "0.95 ± 0.004 (10 seeds, summary only; Welch p = 0.0033)",
  );
  const one = referenceSummary("lib", { n: 1, mean: 0.95, std: 0 }, ours);
  assert.equal(
    formatReference(one),
    "0.95 ± 0 (1 seed, summary only; Welch: cannot judge)",
  );
});
