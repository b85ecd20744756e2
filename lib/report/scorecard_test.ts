import assert from "node:assert/strict";
import { sampleResults } from "./_fixtures.ts";
import {
  formatDifference,
  formatFigure,
  formatMetric,
  scorecardRows,
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

Deno.test("scorecardRows gives one row per comparison, in order, with published text and status labels", () => {
  const rows = scorecardRows([sampleResults()]);
  assert.deepEqual(rows.map((r) => [r.experiment, r.metric]), [
    ["als", "precision@10"],
    ["als", "rmse"],
  ]);
  assert.equal(rows[0].published, "0.276");
  assert.equal(rows[0].reproduced, "0.275 ± 0.005 (2 seeds)");
  assert.equal(rows[0].difference, "−0.001");
  assert.equal(rows[0].statusLabel, "reproduced");
  assert.equal(rows[1].published, "≈0.9 (read off a plot)");
  assert.equal(rows[1].difference, "—");
  assert.equal(rows[1].statusLabel, "explained difference");
  assert.equal(rows[1].note, "the document reads RMSE off a plot");
});

Deno.test("statusCounts counts each status of a results file", () => {
  assert.deepEqual(statusCounts(sampleResults()), {
    "reproduced": 1,
    "explained": 1,
    "not-reproduced": 0,
  });
});
