/**
 * The document `exp:fastai` reproduces — the blog "Exploring Recommender
 * Systems" and its Summary table — with what it printed, the Keras fit
 * schedules it ran, and the flags of the run: the document's configuration
 * is every flag's default.
 *
 * @module
 */

import { defineFlags, type Flags } from "../../lib/cli.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import {
  datasetFlag,
  enumFlag,
  floatFlag,
  intFlag,
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
  threadsFlag,
} from "../../lib/run/common_flags.ts";
import type { ExperimentDocument } from "../../lib/run/experiment.ts";

/** The release the blog used. */
export const DOCUMENT_DATASET = "ml-latest-small-2016";

/**
 * The Summary table as printed (full digits from the cells' printouts:
 * Python 2's 12 significant digits, the digits the tolerance rule reads).
 */
export const PUBLISHED = {
  users: 671,
  movies: 9066,
  ratings: 100004,
  rmse_item_cosine_leaky: 0.815992426671,
  rmse_nn: 0.890825204386,
  rmse_dot_bias: 0.9085571397,
  rmse_user_cosine_leaky: 0.920526234083,
  rmse_averaged_mean: 0.929886343076,
  rmse_svd: 0.945549294143,
  rmse_user_mean: 0.965366436781,
  rmse_movie_mean: 0.999052599878,
  rmse_dot: 1.21001928331,
} as const;

/** The document and what it printed. */
export const DOCUMENT: ExperimentDocument = {
  title: "Exploring Recommender Systems",
  authors: ["Romano Foti"],
  year: 2017,
  url:
    "https://github.com/romanofoti/ds_blog/blob/master/_posts/2017-5-4-exploring_recommenders_movielens_dataset.md",
  published: PUBLISHED,
};

/** The blog's row names, by metric. */
export const ROW_NAMES: Readonly<Record<string, string>> = {
  rmse_item_cosine_leaky: "Movie-based Cosine Similarity",
  rmse_nn: "Neural Network",
  rmse_dot_bias: "Dot Product with Bias",
  rmse_user_cosine_leaky: "User-based Cosine Similarity",
  rmse_averaged_mean: "Averaged Movie-User Avg Benchmark",
  rmse_svd: "SVD",
  rmse_user_mean: "User Avg Benchmark",
  rmse_movie_mean: "Movie Avg Benchmark",
  rmse_dot: "Dot Product",
};

/** One of the blog's `fit` calls: epochs and the rate it was meant to use. */
export interface FitCall {
  readonly epochs: number;
  readonly lr: number;
}

/** The blog's `fit` calls per Keras model. */
export const SCHEDULES: Readonly<
  Record<"dot" | "dot_bias" | "nn", readonly FitCall[]>
> = {
  dot: [{ epochs: 2, lr: 0.001 }, { epochs: 3, lr: 0.01 }, {
    epochs: 8,
    lr: 0.001,
  }],
  dot_bias: [{ epochs: 2, lr: 0.001 }, { epochs: 6, lr: 0.01 }, {
    epochs: 15,
    lr: 0.001,
  }],
  nn: [{ epochs: 6, lr: 0.001 }],
};

/**
 * How `model.optimizer.lr = 0.01` between the fit calls is read: ignored
 * (Keras 2 rebinds a Python attribute only) or applied.
 */
export type Reading = "ignored" | "applied";

/** The flags; defaults are the document's configuration. */
export const FLAGS = defineFlags({
  dataset: datasetFlag(
    ["ml-latest-small-2016", "ml-latest-small"],
    DOCUMENT_DATASET,
    "the 2016 ml-latest-small; ml-latest-small is the 2018 one",
  ),
  "split-seed": seedFlag(
    7,
    "np.random.seed of the mask split (the document: 7)",
  ),
  "train-fraction": floatFlag(
    0.8,
    { min: 0, max: 1, exclusiveMin: true },
    "rows with rand() < this train, below 1 (the document: 0.8)",
  ),
  "svd-k": intFlag(
    50,
    1,
    10000,
    "singular values kept (svds k), below min(users, movies)",
  ),
  factors: intFlag(50, 1, 512, "embedding width of the Keras models"),
  l2: floatFlag(
    1e-4,
    { min: 0, max: 1 },
    "Keras embeddings_regularizer l2(c) on the embedding tables",
  ),
  "batch-size": intFlag(64, 1, 1 << 20, "rows per minibatch"),
  lr: floatFlag(
    1e-3,
    { min: 0, exclusiveMin: true, max: 1 },
    "Adam learning rate at compile time",
  ),
  readings: enumFlag(
    ["both", "ignored", "applied"],
    "both",
    "the document's `optimizer.lr = 0.01` switches: ignored (Keras 2), applied, or both",
  ),
  threads: threadsFlag(
    "worker threads for the Keras fits, one whole fit each (default: this machine's cores; results do not depend on it)",
  ),
  seed: seedFlag(0, "first model seed (init, epoch shuffles, dropout)"),
  // 5 seeds: one seed's 5 Keras fits cost ~35 s of CPU; 10 would take the
  // default run past ~3 minutes on 2 cores.
  repeats: repeatsFlag(
    5,
    "model seeds seed, seed+1, ... for the Keras rows",
    50,
  ),
  ...OUTPUT_FLAGS,
});

/** The `--help` paragraph. */
export const DESCRIPTION =
  `Reproduces "${DOCUMENT.title}" (Romano Foti, 2017): baselines, cosine CF, SVD and Keras embedding ` +
  "models on the 2016 ml-latest-small with the document's seed-7 mask split.";

/** The results' configuration record of a run with `flags` and `readings`. */
export function configOf(
  flags: Flags<typeof FLAGS>,
  readings: readonly Reading[],
): JsonObject {
  return {
    dataset: flags.dataset,
    split: "np.random.seed(split_seed); np.random.rand(n) < train_fraction",
    split_seed: flags["split-seed"],
    train_fraction: flags["train-fraction"],
    rmse_over: "the test ratings (truth_test_mx.nonzero())",
    baselines:
      "sum / count_nonzero of the train matrix; NaN cells ← nanmean of the prediction matrix",
    cosine:
      "1 − sklearn cosine distance of train rows / columns; prediction mean + Σ sim·Δ / Σ|sim|",
    cosine_cold_movie_fallback: "user's train mean (corrected item row only)",
    svd_k: flags["svd-k"],
    svd_method:
      "Golub–Kahan–Lanczos, full reorthogonalisation, residuals ≤ 1e-10 · s1 (lib/svd.ts), seed 0",
    factors: flags.factors,
    l2: flags.l2,
    l2_scope:
      "Keras embeddings_regularizer: c · Σw² of each whole embedding table in every batch loss (bias embeddings unregularised)",
    init:
      "U(−0.05, 0.05) for every embedding (Keras RandomUniform); Dense kernels Glorot uniform",
    optimizer:
      "Adam, Keras arithmetic (lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε)), β 0.9/0.999, ε 1e-8 (Keras 2.0), dense moments",
    learning_rate: flags.lr,
    batch_size: flags["batch-size"],
    epoch_order:
      "one index array reshuffled in place each epoch (Keras fit shuffle=True)",
    schedules: {
      dot: SCHEDULES.dot.map((c) => ({ ...c })),
      dot_bias: SCHEDULES.dot_bias.map((c) => ({ ...c })),
      nn: SCHEDULES.nn.map((c) => ({ ...c })),
    },
    lr_readings: [...readings],
    nn:
      "concat(50, 50) → Dropout 0.25 → Dense 64 ReLU → Dropout 0.75 → Dense 1",
  };
}
