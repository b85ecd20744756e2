/**
 * The blog's models beyond lib's baselines and cosine CF: the truncated-SVD
 * prediction, and the Keras models as fit-pool jobs (the dot and dot+bias
 * embedding models under either learning-rate reading, and the NN) with
 * Keras' initialisation, regulariser, shuffling and Adam arithmetic.
 *
 * @module
 */

import type { Flags } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import type { LrPiece } from "../../lib/models/embedding_mf/fit.ts";
import type { FitJob } from "../../lib/train/fit_job.ts";
import {
  type FitCall,
  type FLAGS,
  type Reading,
  SCHEDULES,
} from "./document.ts";
import { truncatedSvd, userCentredOperator } from "../../lib/svd.ts";

/** One Keras fit: which model, which learning-rate reading, which seed. */
export interface KerasRun {
  readonly model: "dot" | "dot_bias" | "nn";
  /** Always "ignored" for the NN, which has a single fit call. */
  readonly reading: Reading;
  readonly seed: number;
}

/**
 * The Keras fits of a run, in the report's order: dot then dot+bias, each
 * under every reading and seed, then the NN per seed (single fit call, so
 * its reading is "ignored").
 */
export function kerasRuns(
  seeds: readonly number[],
  readings: readonly Reading[],
): KerasRun[] {
  return [
    ...(["dot", "dot_bias"] as const).flatMap((model) =>
      readings.flatMap((reading) =>
        seeds.map((seed) => ({ model, reading, seed }))
      )
    ),
    ...seeds.map((seed) => ({
      model: "nn" as const,
      reading: "ignored" as const,
      seed,
    })),
  ];
}

/** The fit-pool job of `run` with the flags' settings; `stepsPerEpoch` = ⌈train ratings / batch size⌉. */
export function kerasJob(
  run: KerasRun,
  flags: Flags<typeof FLAGS>,
  stepsPerEpoch: number,
): FitJob {
  if (run.model === "nn") {
    return {
      kind: "mlp",
      config: {
        dim: flags.factors,
        hidden: [64],
        dropout: [0.25, 0.75],
        epochs: SCHEDULES.nn[0].epochs,
        batchSize: flags["batch-size"],
        learningRate: flags.lr,
        seed: run.seed,
        embeddingL2: flags.l2,
        embeddingInitLimit: 0.05,
        epochOrder: "reshuffle",
        adamArithmetic: "keras",
        eps: 1e-8,
      },
    };
  }
  const plan = SCHEDULES[run.model];
  return {
    kind: "embedding_mf",
    config: {
      dim: flags.factors,
      epochs: plan.reduce((s, c) => s + c.epochs, 0),
      batchSize: flags["batch-size"],
      learningRate: flags.lr,
      seed: run.seed,
      biases: run.model === "dot_bias",
      l2: { coef: flags.l2, scope: "table" },
      init: "uniform",
      initLimit: 0.05,
      epochOrder: "reshuffle",
      adamMode: "dense",
      adamArithmetic: "keras",
      eps: 1e-8,
      ...(run.reading === "applied"
        ? { lrPieces: lrPiecesOf(plan, stepsPerEpoch, flags.lr) }
        : {}),
    },
  };
}

/**
 * The blog's fit calls as learning-rate pieces: call c's rate (scaled by
 * `baseLr / 0.001`) for the steps s < `until`, the step count where its
 * epochs end.
 */
export function lrPiecesOf(
  plan: readonly FitCall[],
  stepsPerEpoch: number,
  baseLr: number,
): LrPiece[] {
  let until = 0;
  return plan.map((c) => {
    until += c.epochs * stepsPerEpoch;
    return { until, lr: c.lr * (baseLr / 0.001) };
  });
}

/**
 * `svds(train − user mean, k)` and U·S·Vᵀ + user mean at the test pairs:
 * predictions (length = test ratings), Lanczos steps, the k singular values.
 */
export function svdPredict(
  train: Interactions,
  userMean: Float64Array,
  test: Interactions,
  k: number,
): { pred: Float64Array; steps: number; s: Float64Array } {
  const svd = truncatedSvd(userCentredOperator(train, userMean), k);
  const pred = new Float64Array(test.users.length);
  for (let j = 0; j < pred.length; j++) {
    const u = test.users[j], i = test.items[j];
    let s = 0;
    for (let t = 0; t < k; t++) {
      s += svd.u[u * k + t] * svd.s[t] * svd.v[i * k + t];
    }
    pred[j] = s + userMean[u];
  }
  return { pred, steps: svd.steps, s: svd.s };
}

/**
 * Replaces the NaN predictions (movies without train ratings: no mean in
 * the blog's arithmetic) by the user's train mean, in place; returns how
 * many there were. `pred`, `users`: one entry per test rating.
 */
export function fillColdMovies(
  pred: Float64Array,
  userMean: Float64Array,
  users: Int32Array,
): number {
  let cold = 0;
  for (let j = 0; j < pred.length; j++) {
    if (Number.isNaN(pred[j])) {
      pred[j] = userMean[users[j]];
      cold++;
    }
  }
  return cold;
}
