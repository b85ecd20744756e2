/**
 * One training run described by plain data, so it can be posted to a Web
 * Worker (lib/train/fit_pool.ts) or run in place: an embedding model
 * (`fitEmbeddingMf`) or an embedding MLP (`fitMlp`), scored on a fixed set
 * of evaluation pairs after every epoch, as Keras' `validation_data` does.
 *
 * The config is the fitter's own, minus the two fields that hold functions:
 * `loss` (squared error here) and `schedule`, which is given as
 * piecewise-constant `lrPieces` instead. {@link runFitJob} calls the fitter
 * with exactly that config, so its numbers are the fitter's, bit for bit.
 *
 * @module
 */

import type { FactorModel } from "../models/factor_model.ts";
import { predictPairs } from "../models/factor_model.ts";
import type { RatingTriples } from "../models/embedding_mf/embedding_mf.ts";
import {
  type EmbeddingMfConfig,
  type EpochLoss,
  fitEmbeddingMf,
  type LrPiece,
  piecewiseSchedule,
} from "../models/embedding_mf/fit.ts";
import { type MlpModel, predictMlp } from "../models/mlp/mlp.ts";
import { fitMlp, type MlpConfig } from "../models/mlp/fit.ts";

/** {@link EmbeddingMfConfig} as plain data: squared error, and `lrPieces` for `schedule`. */
export type EmbeddingMfJobConfig =
  & Omit<EmbeddingMfConfig, "loss" | "schedule">
  & {
    /** Piecewise-constant learning rate (see `piecewiseSchedule`); default: `learningRate` throughout. */
    readonly lrPieces?: readonly LrPiece[];
  };

/** {@link MlpConfig} as plain data (squared error). */
export type MlpJobConfig = Omit<MlpConfig, "loss">;

/** What to train; `keepEpoch` (0-based) asks for a copy of the weights after that epoch. */
export type FitJob =
  | {
    readonly kind: "embedding_mf";
    readonly config: EmbeddingMfJobConfig;
    readonly keepEpoch?: number;
  }
  | {
    readonly kind: "mlp";
    readonly config: MlpJobConfig;
    readonly keepEpoch?: number;
  };

/** The training set and the pairs scored after every epoch (indices below nUsers / nItems). */
export interface FitJobData {
  /** Training rows. */
  readonly train: RatingTriples;
  /** Rows of the user tables. */
  readonly nUsers: number;
  /** Rows of the item tables. */
  readonly nItems: number;
  /** Evaluation pairs, e.g. the test split: parallel arrays of length N. */
  readonly evalUsers: Int32Array;
  /** Item of each evaluation pair, length N. */
  readonly evalItems: Int32Array;
}

/** One finished epoch of a job. */
export interface FitJobEpoch {
  /** 0-based epoch index. */
  readonly epoch: number;
  /** The epoch's training loss. */
  readonly loss: EpochLoss;
  /** Predictions at the evaluation pairs after this epoch (length N). */
  readonly predictions: Float32Array;
  /** Seconds spent training this epoch (scoring excluded). */
  readonly seconds: number;
}

/** A finished job. */
export interface FitJobResult {
  /** Every epoch, in order. */
  readonly epochs: readonly FitJobEpoch[];
  /** Adam steps taken. */
  readonly steps: number;
  /** The weights after `keepEpoch`, when the job asked for them. */
  readonly model?: FactorModel | MlpModel;
  /** Seconds of training, all epochs (scoring excluded). */
  readonly seconds: number;
}

/**
 * Runs `job` on `data` in the calling thread; `onEpoch` sees each epoch as
 * it ends. Throws what the fitter throws (a RangeError naming the setting).
 */
export function runFitJob(
  data: FitJobData,
  job: FitJob,
  onEpoch?: (e: FitJobEpoch) => void,
): FitJobResult {
  const epochs: FitJobEpoch[] = [];
  let model: FactorModel | MlpModel | undefined;
  let t0 = performance.now();
  const seen = <M extends FactorModel | MlpModel>(
    epoch: number,
    loss: EpochLoss,
    snapshot: () => M,
    predict: (m: M, users: Int32Array, items: Int32Array) => Float32Array,
  ) => {
    const seconds = (performance.now() - t0) / 1000;
    const weights = snapshot();
    if (epoch === job.keepEpoch) model = weights;
    const e: FitJobEpoch = {
      epoch,
      loss,
      predictions: predict(weights, data.evalUsers, data.evalItems),
      seconds,
    };
    epochs.push(e);
    onEpoch?.(e);
    t0 = performance.now();
  };
  let steps: number;
  if (job.kind === "mlp") {
    steps = fitMlp(
      data.train,
      data.nUsers,
      data.nItems,
      job.config,
      (epoch, loss, snapshot) => seen(epoch, loss, snapshot, predictMlp),
    ).steps;
  } else {
    const { lrPieces, ...config } = job.config;
    steps = fitEmbeddingMf(
      data.train,
      data.nUsers,
      data.nItems,
      {
        ...config,
        ...(lrPieces ? { schedule: piecewiseSchedule(lrPieces) } : {}),
      },
      (epoch, loss, snapshot) => seen(epoch, loss, snapshot, predictPairs),
    ).steps;
  }
  return {
    epochs,
    steps,
    ...(model ? { model } : {}),
    seconds: epochs.reduce((s, e) => s + e.seconds, 0),
  };
}
