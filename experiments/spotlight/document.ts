/**
 * The document `exp:spotlight` reproduces — Spotlight's "Explicit feedback
 * movie recommendations" example — with what it printed, and the flags of
 * the run: the document's configuration is every flag's default.
 *
 * @module
 */

import { defineFlags, type Flags } from "../../lib/cli.ts";
import type { EmbeddingMfConfig } from "../../lib/models/embedding_mf/fit.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import {
  datasetFlag,
  enumFlag,
  floatFlag,
  intFlag,
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
} from "../../lib/run/common_flags.ts";
import type { ExperimentDocument } from "../../lib/run/experiment.ts";

/** "Epoch k: loss ..." lines of the document, summed over minibatches. */
export const PUBLISHED_EPOCH_LOSS: readonly number[] = [
  1034.392520904541,
  569.925882101059,
  136.80290246009827,
  84.37578642368317,
  74.30708056688309,
  70.70860320329666,
  68.6357769370079,
  67.51402765512466,
  66.53516966104507,
  65.70937591791153,
];

/**
 * The reference re-run (issue 12): Spotlight itself at commit 75f4c8c on
 * torch 1.13 (CPU), ML-100K, `random_train_test_split(RandomState(42))` — the
 * document's split — with 20 model seeds. Only summary statistics were
 * recorded (mean, sample std, min, max; the first five test RMSEs), so our
 * runs are tested against it from the summary (Welch).
 */
export const REFERENCE_RERUN = {
  source:
    "Spotlight 75f4c8c on torch 1.13 (CPU), ML-100K, random_train_test_split(RandomState(42)), " +
    "ExplicitFactorizationModel as in the document, 20 model seeds (summary statistics only; issue 12)",
  n: 20,
  test_rmse: {
    mean: 0.9427,
    std: 0.0048,
    min: 0.9319,
    max: 0.9503,
    first: [0.9503, 0.9368, 0.9417, 0.9458, 0.9430],
  },
  train_rmse: { mean: 0.9009, std: 0.0076 },
} as const;

/** The document and what it printed, and the reference re-run's summary. */
export const DOCUMENT: ExperimentDocument = {
  title: "Explicit feedback movie recommendations",
  authors: ["Maciej Kula"],
  year: 2017,
  url:
    "https://github.com/maciejkula/spotlight/blob/master/examples/movielens_explicit.ipynb",
  published: {
    users: 944,
    items: 1683,
    train_ratings: 80000,
    test_ratings: 20000,
    train_rmse: 0.897,
    test_rmse: 0.940,
    first_epoch_loss_sum: PUBLISHED_EPOCH_LOSS[0],
    last_epoch_loss_sum: PUBLISHED_EPOCH_LOSS.at(-1)!,
    reference_test_rmse_mean: REFERENCE_RERUN.test_rmse.mean,
    reference_test_rmse_std: REFERENCE_RERUN.test_rmse.std,
    reference_train_rmse_mean: REFERENCE_RERUN.train_rmse.mean,
    reference_train_rmse_std: REFERENCE_RERUN.train_rmse.std,
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
  ids: enumFlag(
    ["raw", "dense"],
    "raw",
    "raw: ids as published index the tables (Spotlight: 944 × 1683 on ML-100K); dense: 0-based",
  ),
  dim: intFlag(128, 1, 1024, "embedding dimension"),
  epochs: intFlag(10, 1, 1000, "passes over the training set (n_iter)"),
  "batch-size": intFlag(1024, 1, 1 << 20, "rows per minibatch"),
  lr: floatFlag(
    1e-3,
    { min: 0, exclusiveMin: true, max: 10 },
    "Adam learning rate",
  ),
  l2: floatFlag(
    1e-9,
    { min: 0, max: 1 },
    "Adam weight_decay (L2 added to every gradient)",
  ),
  "test-fraction": floatFlag(
    0.2,
    { min: 0, max: 1, exclusiveMin: true },
    "share of ratings held out",
  ),
  "split-seed": seedFlag(
    42,
    "RandomState seed of the split (the document: 42)",
  ),
  seed: seedFlag(0, "first model seed (init and epoch shuffles)"),
  repeats: repeatsFlag(10, "model seeds seed, seed+1, ..."),
  ...OUTPUT_FLAGS,
});

/** The `--help` paragraph. */
export const DESCRIPTION =
  "Reproduces Spotlight's explicit feedback example: the explicit factorisation model " +
  "(embeddings + biases, MSE, Adam) on ML-100K with the document's RandomState(42) split.";

/** The model's settings from `flags` (the seed is added per fit). */
export function modelOf(
  flags: Flags<typeof FLAGS>,
): Omit<EmbeddingMfConfig, "seed"> {
  return {
    dim: flags.dim,
    epochs: flags.epochs,
    batchSize: flags["batch-size"],
    learningRate: flags.lr,
    weightDecay: flags.l2,
    biases: true,
    adamMode: "dense",
  };
}

/** The results' configuration record of a run with `flags` and `model`. */
export function configOf(
  flags: Flags<typeof FLAGS>,
  model: Omit<EmbeddingMfConfig, "seed">,
): JsonObject {
  return {
    dataset: flags.dataset,
    ids: flags.ids,
    split:
      "spotlight.cross_validation.random_train_test_split: RandomState(split_seed).shuffle(arange(n)), " +
      "first int((1 - test_fraction) n) rows train",
    split_seed: flags["split-seed"],
    test_fraction: flags["test-fraction"],
    embedding_dim: model.dim,
    n_iter: model.epochs,
    batch_size: model.batchSize,
    learning_rate: model.learningRate,
    l2: model.weightDecay ?? 0,
    loss: "regression (mean squared error)",
    optimizer:
      "Adam (torch arithmetic, dense moments), beta1 0.9, beta2 0.999, eps 1e-8, weight_decay = l2",
    init:
      "factors N(0, (1/dim)^2) from RandomState(seed).standard_normal, users then items; biases 0",
    epoch_order:
      "RandomState(seed).permutation(n) per epoch, after the initialisation draws",
  };
}
