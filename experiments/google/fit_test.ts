/**
 * `fitSeeds` and `mseMetrics` of `exp:google` on a tiny rating matrix: one
 * fit per seed, the document's table lines only when asked, and every MSE
 * figure read from the right curve, epoch and seeds.
 */

import assert from "node:assert/strict";
import { sparseMse } from "../../lib/models/sparse_mf/sparse_mf.ts";
import type { MetricSummary } from "../../lib/report/results.ts";
import { csrFromCoo } from "../../lib/sparse.ts";
import { fitSeeds, type GoogleFits, mseMetrics } from "./fit.ts";

const TRAIN = csrFromCoo(
  Int32Array.from([0, 0, 1, 2, 2]),
  Int32Array.from([0, 1, 1, 2, 3]),
  Float32Array.from([5, 3, 4, 1, 2]),
  3,
  4,
);
const VAL = csrFromCoo(
  Int32Array.from([1, 2]),
  Int32Array.from([3, 0]),
  Float32Array.from([4, 2]),
  3,
  4,
);
const ADAM = {
  dim: 2,
  epochs: 200,
  initStd: 1,
  optimizer: "adam",
  learningRate: 0.01,
} as const;
const REG = {
  dim: 3,
  epochs: 30,
  initStd: 0.05,
  optimizer: "gd",
  learningRate: 1,
  regularization: 0.1,
  gravity: 1,
} as const;

/** Runs `f` with console.log captured; returns the lines. */
function captureLog(f: () => void): string[] {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    f();
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("fitSeeds fits once per seed, times each fit and prints the first seed's table every 100 epochs only when asked", () => {
  const seconds: number[] = [];
  let fits: ReturnType<typeof fitSeeds> = [];
  const printed = captureLog(() => {
    fits = fitSeeds(TRAIN, VAL, ADAM, [4, 5], {
      label: "adam",
      printTable: true,
      seconds,
    });
  });
  assert.equal(fits.length, 2);
  assert.equal(seconds.length, 2);
  assert.ok(seconds.every((s) => s >= 0));
  assert.notDeepEqual(fits[0].model.userFactors, fits[1].model.userFactors);
  assert.deepEqual(printed.map((l) => l.replace(/:.*/, "")), [
    "Epoch 100",
    "Epoch 200",
  ]);
  assert.equal(
    printed[1],
    `Epoch 200: train loss ${
      fits[0].curves.trainMse[199].toFixed(4)
    }, validation loss ${fits[0].curves.valMse[199].toFixed(4)}`,
  );
  const silent = captureLog(() => {
    fitSeeds(TRAIN, VAL, ADAM, [4], { label: "adam" });
  });
  assert.deepEqual(silent, []);
});

Deno.test("mseMetrics reads each MSE from the right curve, epoch and configuration", () => {
  const fits: GoogleFits = {
    adam: fitSeeds(TRAIN, VAL, ADAM, [0, 1, 2], { label: "adam" }),
    reg: fitSeeds(TRAIN, VAL, REG, [0, 1], { label: "reg" }),
    l2: fitSeeds(TRAIN, VAL, { ...REG, gravity: 0 }, [0], { label: "l2" })[0],
  };
  const m = mseMetrics(fits, TRAIN, VAL, [100, 200]);
  const values = (k: string) => (m[k] as MetricSummary).values;
  assert.deepEqual(Object.keys(m), [
    "train_mse_epoch_100",
    "val_mse_epoch_100",
    "train_mse_epoch_200",
    "val_mse_epoch_200",
    "train_mse",
    "val_mse",
    "initial_train_mse",
    "train_mse_after_last_step",
    "reg_train_mse",
    "reg_val_mse",
    "reg_objective",
    "reg_val_mean_prediction",
    "l2_only_train_mse",
    "l2_only_val_mse",
    "l2_only_best_val_mse",
    "val_mean_rating",
  ]);
  assert.deepEqual(
    values("train_mse_epoch_100"),
    fits.adam.map((f) => f.curves.trainMse[99]),
  );
  assert.deepEqual(
    values("val_mse_epoch_200"),
    fits.adam.map((f) => f.curves.valMse[199]),
  );
  assert.deepEqual(values("train_mse"), values("train_mse_epoch_200"));
  assert.deepEqual(
    values("initial_train_mse"),
    fits.adam.map((f) => f.curves.trainMse[0]),
  );
  // The train MSE after the last step is below the one printed before it.
  assert.deepEqual(
    values("train_mse_after_last_step"),
    fits.adam.map((f) => sparseMse(TRAIN, f.model)),
  );
  assert.ok(values("train_mse_after_last_step")[0] < values("train_mse")[0]);
  assert.deepEqual(
    values("reg_val_mse"),
    fits.reg.map((f) => f.curves.valMse[29]),
  );
  assert.deepEqual(
    values("reg_objective"),
    fits.reg.map((f) => f.curves.objective[29]),
  );
  assert.equal(values("reg_train_mse").length, 2);
  assert.equal(m.l2_only_val_mse, fits.l2.curves.valMse[29]);
  assert.equal(m.l2_only_best_val_mse, Math.min(...fits.l2.curves.valMse));
  assert.equal(m.val_mean_rating, 3);
});
