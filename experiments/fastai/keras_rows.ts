/**
 * The blog's Keras rows: one fit per model, learning-rate reading and seed,
 * spread over the Web Workers of lib/train/fit_pool.ts, then each fit's
 * training curve, final test RMSE and final test predictions.
 *
 * @module
 */

import type { Flags } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import { rmse } from "../../lib/metrics.ts";
import { medianSeconds } from "../../lib/report/provenance.ts";
import type { FitJobResult } from "../../lib/train/fit_job.ts";
import { runFits } from "../../lib/train/fit_pool.ts";
import type { FLAGS, Reading } from "./document.ts";
import { type Curve, fitLabel } from "./figures.ts";
import { kerasJob, type KerasRun, kerasRuns } from "./models.ts";

/** The Keras fits of a run and what the metrics and the report take from them. */
export interface KerasRows {
  /** Every fit's model, reading and seed, in the report's order (see {@link kerasRuns}). */
  readonly runs: KerasRun[];
  /** The fit of each run (same order); exported runs carry their final weights. */
  readonly fits: FitJobResult[];
  /** Per run: train loss (mean loss + penalty) and test RMSE per epoch. */
  readonly curves: Curve[];
  /** Final-epoch test RMSE per metric key (rmse_dot, rmse_dot_bias_lr_applied, rmse_nn, …), in seed order. */
  readonly trained: Record<string, number[]>;
  /** Final test predictions (length = test ratings) of the "ignored" reading per model, in seed order. */
  readonly final: Record<string, ArrayLike<number>[]>;
}

/** The Keras rows' settings: the flags, the model seeds and the learning-rate readings. */
export interface KerasPlan {
  readonly flags: Flags<typeof FLAGS>;
  readonly seeds: readonly number[];
  readonly readings: readonly Reading[];
}

/**
 * Whether `run`'s final weights are kept for the ONNX export: the first
 * seed's dot and dot+bias fits under the first reading, and its NN.
 */
export function isExported(
  run: KerasRun,
  { seeds, readings }: KerasPlan,
): boolean {
  return run.seed === seeds[0] &&
    (run.model === "nn" || run.reading === readings[0]);
}

/**
 * Fits every Keras row on `train` (sizes those of `data`) and scores
 * `test` (truth: its ratings) after each epoch; longest fits start first
 * (an NN epoch costs about two others').
 */
export async function fitKerasRows(
  splits: { data: Interactions; train: Interactions; test: Interactions },
  plan: KerasPlan,
): Promise<KerasRows> {
  const { flags, seeds, readings } = plan;
  const { data, train, test } = splits;
  const truth = test.ratings;
  const runs = kerasRuns(seeds, readings);
  const stepsPerEpoch = Math.ceil(train.users.length / flags["batch-size"]);
  const jobs = runs.map((r) => {
    const job = kerasJob(r, flags, stepsPerEpoch);
    return isExported(r, plan)
      ? { ...job, keepEpoch: job.config.epochs - 1 }
      : job;
  });
  const fits = await runFits(
    {
      train,
      nUsers: data.nUsers,
      nItems: data.nItems,
      evalUsers: test.users,
      evalItems: test.items,
    },
    jobs,
    {
      threads: flags.threads,
      cost: (j) => j.config.epochs * (j.kind === "mlp" ? 2 : 1),
      progress: {
        label: `Keras rows (${jobs.length} fits)`,
        line: (k, e) =>
          `${fitLabel(runs[k])} epoch ${e.epoch + 1}: test RMSE ${
            rmse(e.predictions, truth).toFixed(4)
          }`,
      },
    },
  );
  return { runs, fits, ...summarizeFits(runs, fits, truth) };
}

/**
 * Training seconds of the fits, median and total (they run side by side in
 * workers: compare the total with the "keras" wall time); per-epoch scoring
 * excluded.
 */
export function fitTimings(
  fits: readonly FitJobResult[],
): { keras_fit_median: number; keras_fit_total: number } {
  const fitSeconds = fits.map((f) => f.seconds);
  const total = fitSeconds.reduce((a, b) => a + b, 0);
  return {
    keras_fit_median: medianSeconds(fitSeconds),
    keras_fit_total: Math.round(total * 1000) / 1000,
  };
}

/** Curves, final RMSEs by metric key and final predictions of `fits` (one per run) against `truth`. */
function summarizeFits(
  runs: readonly KerasRun[],
  fits: readonly FitJobResult[],
  truth: Float32Array,
): Pick<KerasRows, "curves" | "trained" | "final"> {
  const curves: Curve[] = [];
  const trained: Record<string, number[]> = {};
  const final: Record<string, ArrayLike<number>[]> = {};
  runs.forEach((run, k) => {
    const epochs = fits[k].epochs;
    curves.push({
      ...run,
      trainLoss: epochs.map((e) => e.loss.meanLoss + e.loss.penalty),
      testRmse: epochs.map((e) => rmse(e.predictions, truth)),
    });
    const key = run.model === "nn"
      ? "rmse_nn"
      : `rmse_${run.model}${run.reading === "applied" ? "_lr_applied" : ""}`;
    (trained[key] ??= []).push(rmse(epochs.at(-1)!.predictions, truth));
    if (run.reading === "ignored") {
      (final[run.model] ??= []).push(epochs.at(-1)!.predictions);
    }
  });
  return { curves, trained, final };
}
