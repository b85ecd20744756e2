/**
 * The holdout evaluation at a small synthetic shape (CI's scale test): the
 * top-k of all users from recommendAll agree with the ONNX model's, on the
 * sample it checks and in the metrics.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadRatingsCsv } from "../../lib/data/load.ts";
import {
  scaledShape,
  SYNTHETIC_SHAPES,
  writeSyntheticRatingsCsv,
} from "../../lib/data/synthetic_ratings.ts";
import { AlsThreads } from "../../lib/models/als/als.ts";
import { interactionsFromRaw } from "../../lib/data/interactions_from_raw.ts";
import { RandomState } from "../../lib/rng.ts";
import { implicitTrainTestSplit, takeRows } from "../../lib/split.ts";
import { toCsr } from "./ratings.ts";
import {
  csrOfRows,
  holdoutMetrics,
  holdoutParityMetrics,
  holdoutRuns,
} from "./holdout.ts";

Deno.test("holdoutRuns: recommendAll with the ONNX sample check gives the ONNX path's metrics (synthetic ml-25m shape, 30k ratings)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-scale-" });
  try {
    const path = join(dir, "r.csv");
    await writeSyntheticRatingsCsv(path, {
      ...scaledShape(SYNTHETIC_SHAPES["ml-25m"], 30_000),
      seed: 7,
    });
    const { data } = await loadRatingsCsv(path, { ratingRange: [0.5, 5] });
    using team = await AlsThreads.start(2);
    const settings = {
      als: {
        factors: 16,
        regularization: 0.01,
        iterations: 3,
        alpha: 1,
        solver: "cg" as const,
        cgSteps: 3,
        seed: 0,
      },
      team,
      seeds: [3],
      trainFraction: 0.8,
      k: 10,
    };
    const blocked = await holdoutRuns(data, {
      ...settings,
      onnxAllUsersMaxCells: 0,
    });
    const onnx = await holdoutRuns(data, settings);
    assert.equal(onnx[0].parity, undefined);
    assert.deepEqual(holdoutParityMetrics(onnx), {});
    const p = blocked[0].parity!;
    assert.equal(p.users, 256);
    assert.equal(p.sameLists, 1);
    assert.ok(p.maxAbsDiff < 1e-5, `max abs diff ${p.maxAbsDiff}`);
    const a = holdoutMetrics(blocked, 10), b = holdoutMetrics(onnx, 10);
    for (const key of Object.keys(b)) {
      assert.ok(
        Math.abs(a[key].mean - b[key].mean) < 1e-4,
        `${key}: ${a[key].mean} vs ${b[key].mean}`,
      );
    }
    assert.equal(
      holdoutParityMetrics(blocked).holdout_onnx_sample_same_lists,
      1,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("csrOfRows equals toCsr(takeRows(...)) for split-ordered and shuffled rows, repeated pairs included", () => {
  const rs = new RandomState(5);
  const n = 400;
  const users = Int32Array.from({ length: n }, () => rs.interval(19));
  const items = Int32Array.from({ length: n }, () => rs.interval(9));
  const data = interactionsFromRaw({
    n,
    users,
    items,
    ratings: Float32Array.from({ length: n }, () => 1 + rs.interval(4)),
    timestamps: new Float64Array(n),
    maxItem: 9,
    maxUser: 19,
    allTimestamps: false,
  });
  const split = implicitTrainTestSplit(data, 0.7, new RandomState(2));
  for (const rows of [split.train, split.test]) {
    assert.deepEqual(csrOfRows(data, rows), toCsr(takeRows(data, rows)));
    const shuffled = rows.slice();
    rs.shuffle(shuffled);
    assert.deepEqual(
      csrOfRows(data, shuffled),
      toCsr(takeRows(data, shuffled)),
    );
  }
});
