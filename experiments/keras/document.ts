/**
 * The document `exp:keras` reproduces — "Matrix Factorization - Full
 * Movielens data (100k)" with Keras — with what it printed, the flags of the
 * run (the document's configuration is every flag's default), the MLP's
 * shape from its two list flags, the three models' fit settings and the
 * results' configuration record.
 *
 * @module
 */

import { defineFlags, type Flags } from "../../lib/cli.ts";
import { UserError } from "../../lib/errors.ts";
import type {
  EmbeddingMfJobConfig,
  MlpJobConfig,
} from "../../lib/train/fit_job.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import {
  datasetFlag,
  floatFlag,
  intFlag,
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
  threadsFlag,
} from "../../lib/run/common_flags.ts";
import type { ExperimentDocument } from "../../lib/run/experiment.ts";

/** The three models, in report order: ExplicitMF, the bias model, the MLP. */
export const MODELS = ["mf", "bias", "mlp"] as const;
/** One of {@linkcode MODELS}. */
export type ModelName = typeof MODELS[number];

/** The document's per-epoch printout (`loss`, `val_loss`), `evaluate()` and wall time. */
export const PUBLISHED_CURVES = {
  mf: {
    loss: [0.9112, 0.8589, 0.8194, 0.7795, 0.7381],
    valLoss: [0.9367, 0.9190, 0.9061, 0.8971, 0.8937],
    /** `model.evaluate` on the test set (MSE + L2 penalty). */
    evaluate: 0.8936678772449493,
    wallSeconds: 18.3,
  },
  bias: {
    loss: [1.1839, 0.8356, 0.7134, 0.6086, 0.5123],
    valLoss: [0.9472, 0.8547, 0.8305, 0.8318, 0.8487],
    evaluate: 0.8486886561393738,
    wallSeconds: 21.2,
  },
} as const;

/**
 * The document and what it printed. Attribution likely, not confirmed: a
 * workshop notebook of Amit Kapoor and Bargava Subramanian's "Deep Learning
 * for Recommendation Systems" (it uses their recoflow library); the notebook
 * itself was not found publicly, hence no year and no address.
 */
export const DOCUMENT: ExperimentDocument = {
  title: "Matrix Factorization - Full Movielens data (100k)",
  authors: ["Amit Kapoor", "Bargava Subramanian"],
  year: null,
  url: null,
  published: {
    users: 943,
    items: 1682,
    train_ratings: 80000,
    test_ratings: 20000,
    mf_params: 105000,
    bias_params: 107625,
    mf_val_loss_epoch5: PUBLISHED_CURVES.mf.valLoss[4],
    bias_val_loss_epoch3: PUBLISHED_CURVES.bias.valLoss[2],
    bias_val_loss_epoch5: PUBLISHED_CURVES.bias.valLoss[4],
    bias_evaluate_loss: PUBLISHED_CURVES.bias.evaluate,
    mf_wall_seconds: PUBLISHED_CURVES.mf.wallSeconds,
    bias_wall_seconds: PUBLISHED_CURVES.bias.wallSeconds,
  },
};

/** The flags; defaults are the document's configuration. */
export const FLAGS = defineFlags({
  dataset: datasetFlag([
    "ml-100k",
    "ml-latest-small",
    "ml-latest-small-2016",
    "ml-1m",
  ], "ml-100k"),
  dim: intFlag(40, 1, 1024, "embedding dimension (n_factors)"),
  epochs: intFlag(5, 1, 1000, "epochs"),
  "batch-size": intFlag(32, 1, 1 << 20, "rows per minibatch"),
  lr: floatFlag(
    1e-3,
    { min: 0, exclusiveMin: true, max: 10 },
    "Adam learning rate",
  ),
  l2: floatFlag(
    1e-6,
    { min: 0, max: 1 },
    "Keras l2() coefficient of every embedding table (penalty c·Σw²)",
  ),
  "init-limit": floatFlag(
    0.05,
    { min: 0, max: 10 },
    "embeddings start U(-limit, limit) (Keras' RandomUniform default)",
  ),
  "mf-extra-epochs": intFlag(
    3,
    0,
    100,
    "further ExplicitMF epochs run after the document's, to test that its printout continued an earlier fit (0: none)",
  ),
  "mlp-hidden": {
    type: "string",
    default: "64",
    help: "comma-separated ReLU layer widths of the neural model",
  },
  "mlp-dropout": {
    type: "string",
    default: "0.25,0.75",
    help: "comma-separated dropout rates before each dense layer",
  },
  "test-fraction": floatFlag(
    0.2,
    { min: 0, max: 1, exclusiveMin: true },
    "share of each user's ratings held out (the last ones in file order)",
  ),
  threads: threadsFlag(
    "worker threads for the fits, one whole fit each (results do not depend on it)",
  ),
  seed: seedFlag(0, "first model seed (init, epoch shuffles, dropout)"),
  repeats: repeatsFlag(10, "model seeds seed, seed+1, ..."),
  ...OUTPUT_FLAGS,
});

/** The parsed flags. */
export type KerasFlags = Flags<typeof FLAGS>;

/** Data and split are the document's: ML-100K, 20 % of each user's ratings held out. */
export function isDocumentSplit(flags: KerasFlags): boolean {
  return flags.dataset === "ml-100k" && flags["test-fraction"] === 0.2;
}

/** The factor models' settings are the document's (dim, epochs, batch, lr, l2, init). */
export function isDocumentModel(flags: KerasFlags): boolean {
  return flags.dim === 40 && flags.epochs === 5 &&
    flags["batch-size"] === 32 && flags.lr === 1e-3 && flags.l2 === 1e-6 &&
    flags["init-limit"] === 0.05;
}

/** The `--help` paragraph. */
export const DESCRIPTION =
  "Reproduces the Keras matrix factorisation document: ExplicitMF, ExplicitMatrixFactorisationBias " +
  "and an embedding MLP on ML-100K with recoflow's StratifiedSplit, exported to ONNX.";

/** The MLP's hidden widths and dropout rates (one before each dense layer). */
export interface MlpShape {
  readonly hidden: number[];
  readonly dropout: number[];
}

/**
 * `--mlp-hidden` and `--mlp-dropout` as numbers.
 *
 * @throws {UserError} (exit 2) for a malformed list, a width outside
 *   1 … 4096, a rate outside [0, 1) or a dropout list whose length is not
 *   the number of dense layers.
 */
export function mlpShape(flags: KerasFlags): MlpShape {
  const hidden = numberList("--mlp-hidden", flags["mlp-hidden"], true);
  const dropout = numberList("--mlp-dropout", flags["mlp-dropout"], false);
  const layers = hidden.length + 1;
  if (dropout.length !== layers) {
    throw new UserError(
      `--mlp-dropout needs ${layers} rates (one before each of the ${layers} dense layers), got ${dropout.length}`,
      { exitCode: 2 },
    );
  }
  if (dropout.some((p) => !(p >= 0 && p < 1))) {
    throw new UserError(
      `--mlp-dropout: rates must lie in [0, 1), got ${flags["mlp-dropout"]}`,
      { exitCode: 2 },
    );
  }
  return { hidden, dropout };
}

function numberList(flag: string, text: string, integers: boolean): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const values = parts.map(Number);
  for (const [j, v] of values.entries()) {
    if (
      parts[j] === "" || !Number.isFinite(v) ||
      (integers && (!Number.isInteger(v) || v < 1 || v > 4096))
    ) {
      throw new UserError(
        `${flag}: "${parts[j]}" in "${text}" is not ${
          integers ? "an integer from 1 to 4096" : "a number"
        }`,
        { exitCode: 2 },
      );
    }
  }
  return values;
}

/** The fit settings of the three models (the seed is added per job). */
export interface ModelConfigs {
  readonly mf: Omit<EmbeddingMfJobConfig, "seed">;
  readonly bias: Omit<EmbeddingMfJobConfig, "seed">;
  readonly mlp: Omit<MlpJobConfig, "seed">;
}

/**
 * The three models as Keras fits them: uniform init, whole-table L2 (biases
 * too), in-place epoch shuffles, Keras' Adam with dense updates; the bias
 * model squashes into `range` (the ratings' [min, max]).
 */
export function modelConfigs(
  flags: KerasFlags,
  mlp: MlpShape,
  range: readonly [number, number],
): ModelConfigs {
  const common = {
    dim: flags.dim,
    batchSize: flags["batch-size"],
    learningRate: flags.lr,
    epochs: flags.epochs,
  };
  const mf: Omit<EmbeddingMfJobConfig, "seed"> = {
    ...common,
    biases: false,
    init: "uniform",
    initLimit: flags["init-limit"],
    l2: { coef: flags.l2, scope: "table", biases: true },
    epochOrder: "reshuffle",
    adamArithmetic: "keras",
    adamMode: "dense",
  };
  return {
    mf,
    bias: { ...mf, biases: true, outputRange: range },
    mlp: {
      ...common,
      hidden: mlp.hidden,
      dropout: mlp.dropout,
      embeddingL2: flags.l2,
      embeddingInitLimit: flags["init-limit"],
      epochOrder: "reshuffle",
      adamArithmetic: "keras",
    },
  };
}

/** The results' configuration record of a run with `flags`. */
export function configOf(
  flags: KerasFlags,
  mlp: MlpShape,
  range: readonly [number, number],
): JsonObject {
  return {
    dataset: flags.dataset,
    split:
      "recoflow StratifiedSplit: groupby encoded user (ascending), file order, first round((1 - test_fraction) n_u) train (Python round)",
    test_fraction: flags["test-fraction"],
    n_factors: flags.dim,
    epochs: flags.epochs,
    mf_extra_epochs: flags["mf-extra-epochs"],
    batch_size: flags["batch-size"],
    learning_rate: flags.lr,
    l2: flags.l2,
    loss: "mean_squared_error",
    optimizer:
      "Adam, Keras arithmetic: lr_t = lr·sqrt(1-β2^t)/(1-β1^t), p -= lr_t·m/(sqrt(v)+1e-7), β1 0.9, β2 0.999; dense (every row every step)",
    regulariser:
      "l2 on every embedding table (factors and biases): c·Σw² in each batch's loss, gradient 2c·w on every row",
    init: `embeddings U(-${flags["init-limit"]}, ${
      flags["init-limit"]
    }) from RandomState(seed); MLP kernels Glorot-uniform, biases 0`,
    epoch_order:
      "one index array shuffled in place with RandomState(seed).shuffle each epoch (Keras fit(shuffle=True)), after the initialisation draws",
    output_range: [...range],
    mlp_hidden: mlp.hidden,
    mlp_dropout: mlp.dropout,
  };
}
