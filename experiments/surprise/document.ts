/**
 * The document `exp:surprise` reproduces — the ML-100K benchmark table of
 * Surprise's README (Nicolas Hug, Surprise 1.1.x,
 * https://github.com/NicolasHug/Surprise#benchmarks), produced by its
 * `examples/benchmark.py` — with its figures, and the run's flags: the
 * document's configuration is every flag's default.
 *
 * @module
 */

import { defineFlags, type Flags } from "../../lib/cli.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import {
  datasetFlag,
  intFlag,
  OUTPUT_FLAGS,
  seedFlag,
  threadsFlag,
} from "../../lib/run/common_flags.ts";
import type { ExperimentDocument } from "../../lib/run/experiment.ts";

/** Where the table is published. */
export const DOCUMENT_URL = "https://github.com/NicolasHug/Surprise#benchmarks";

/** One row of the README's "Movielens 100k" table (RMSE, MAE: fold means printed "{:.3f}"). */
export interface PublishedRow {
  /** Surprise class name (our metric prefix is its lower-case key). */
  readonly algorithm: string;
  /** Metric prefix, e.g. "svd" → svd_rmse, svd_mae. */
  readonly key: string;
  /** The README's label. */
  readonly label: string;
  readonly rmse: number;
  readonly mae: number;
  /** The README's wall time for the whole 5-fold run, as printed. */
  readonly time: string;
  /** Reproduced here (false: not implemented in this project). */
  readonly implemented: boolean;
}

/** The README's ML-100K table, in its order (README of Surprise 1.1.3/1.1.4). */
export const PUBLISHED_TABLE: readonly PublishedRow[] = [
  row("SVD", "svd", "SVD", 0.934, 0.737, "0:00:06", true),
  row(
    "SVDpp",
    "svdpp",
    "SVD++ (cache_ratings=False)",
    0.919,
    0.721,
    "0:01:39",
    true,
  ),
  row("NMF", "nmf", "NMF", 0.963, 0.758, "0:00:06", true),
  row("SlopeOne", "slope_one", "Slope One", 0.946, 0.743, "0:00:09", true),
  row("KNNBasic", "knn_basic", "k-NN", 0.98, 0.774, "0:00:08", true),
  row(
    "KNNWithMeans",
    "knn_means",
    "Centered k-NN",
    0.951,
    0.749,
    "0:00:09",
    true,
  ),
  row(
    "KNNBaseline",
    "knn_baseline",
    "k-NN Baseline",
    0.931,
    0.733,
    "0:00:13",
    true,
  ),
  row(
    "CoClustering",
    "co_clustering",
    "Co-Clustering",
    0.963,
    0.753,
    "0:00:06",
    true,
  ),
  row(
    "BaselineOnly",
    "baseline_only",
    "Baseline",
    0.944,
    0.748,
    "0:00:02",
    true,
  ),
  row(
    "NormalPredictor",
    "normal_predictor",
    "Random",
    1.518,
    1.219,
    "0:00:01",
    true,
  ),
];

function row(
  algorithm: string,
  key: string,
  label: string,
  rmse: number,
  mae: number,
  time: string,
  implemented: boolean,
): PublishedRow {
  return { algorithm, key, label, rmse, mae, time, implemented };
}

/** The document and what it printed (the implemented rows' figures). */
export const DOCUMENT: ExperimentDocument = {
  title: "Surprise's README benchmark table (Movielens 100k)",
  authors: ["Nicolas Hug"],
  year: null,
  url: DOCUMENT_URL,
  published: {
    ratings: 100000,
    ...Object.fromEntries(
      PUBLISHED_TABLE.filter((r) => r.implemented).flatMap((
        r,
      ) => [[`${r.key}_rmse`, r.rmse], [`${r.key}_mae`, r.mae]]),
    ),
  },
};

/** The flags; defaults are the document's configuration. */
export const FLAGS = defineFlags({
  dataset: datasetFlag(["ml-100k", "ml-latest-small"], "ml-100k"),
  folds: intFlag(5, 2, 20, "KFold n_splits"),
  "split-seed": seedFlag(0, "KFold random_state (the document: 0)"),
  "numpy-seed": seedFlag(
    0,
    "np.random.seed of the benchmark: NormalPredictor's draws (the document: 0)",
  ),
  "svd-seed": seedFlag(0, "SVD random_state (the document: 0)"),
  "svdpp-seed": seedFlag(0, "SVDpp random_state (the document: 0)"),
  "nmf-seed": seedFlag(0, "NMF random_state (the document: 0)"),
  "co-clustering-seed": seedFlag(
    0,
    "CoClustering random_state (the document: 0)",
  ),
  "svd-factors": intFlag(100, 1, 1000, "SVD n_factors"),
  "svd-epochs": intFlag(20, 1, 1000, "SVD n_epochs"),
  "svdpp-epochs": intFlag(20, 1, 1000, "SVDpp n_epochs"),
  "knn-k": intFlag(40, 1, 10000, "k of KNNBasic, KNNWithMeans and KNNBaseline"),
  threads: threadsFlag(
    "worker threads for SVDpp's folds, one whole fold each (default: this machine's cores; results do not depend on it)",
  ),
  ...OUTPUT_FLAGS,
});

/** The seed flags: KFold's, numpy's global generator's, each algorithm's random_state. */
export const SEED_FLAGS = [
  "split-seed",
  "numpy-seed",
  "svd-seed",
  "svdpp-seed",
  "nmf-seed",
  "co-clustering-seed",
] as const;

/** The `--help` paragraph. */
export const DESCRIPTION =
  "Reproduces the ML-100K table of Surprise's README: 5-fold cross-validation with " +
  "KFold(random_state=0), RMSE and MAE of all ten algorithms (SVD, SVDpp, NMF, SlopeOne, " +
  "KNNBasic, KNNWithMeans, KNNBaseline, CoClustering, BaselineOnly, NormalPredictor) at " +
  "Surprise 1.1.4 defaults.";

/** Whether a run has the document's settings (the comparisons are judged only then). */
export function isDocumentRun(flags: Flags<typeof FLAGS>): boolean {
  return flags.dataset === "ml-100k" && flags.folds === 5 &&
    SEED_FLAGS.every((f) => flags[f] === 0) && flags["svd-factors"] === 100 &&
    flags["svd-epochs"] === 20 && flags["svdpp-epochs"] === 20 &&
    flags["knn-k"] === 40;
}

/** The results' configuration record of a run with `flags`. */
export function configOf(
  flags: Flags<typeof FLAGS>,
  scale: { min: number; max: number },
): JsonObject {
  return {
    dataset: flags.dataset,
    protocol:
      "surprise.model_selection.KFold(n_splits=folds, random_state=split_seed, shuffle=True): " +
      "RandomState(split_seed).shuffle(arange(n)) over u.data in file order, consecutive slices; " +
      "cross_validate(algo, data, ['rmse', 'mae'], kf); mean over folds (the README's figure); " +
      "the report's std is the sample std over folds (ddof 1; Surprise prints the population std)",
    folds: flags.folds,
    split_seed: flags["split-seed"],
    numpy_seed: flags["numpy-seed"],
    rating_scale: [scale.min, scale.max],
    predictions:
      "AlgoBase.predict: impossible → training mean; clipped to the rating scale",
    baseline_only:
      "BaselineOnly(): ALS baselines, n_epochs 10, reg_i 10, reg_u 15",
    svd: {
      n_factors: flags["svd-factors"],
      n_epochs: flags["svd-epochs"],
      lr_all: 0.005,
      reg_all: 0.02,
      init:
        "RandomState(random_state).normal(0, 0.1): users' table then items'",
      random_state: flags["svd-seed"],
    },
    svdpp: {
      n_factors: 20,
      n_epochs: flags["svdpp-epochs"],
      lr_all: 0.007,
      reg_all: 0.02,
      init:
        "RandomState(random_state).normal(0, 0.1): users' p, items' q, items' y tables in turn",
      random_state: flags["svdpp-seed"],
      cache_ratings: "False (speed only)",
    },
    nmf: {
      n_factors: 15,
      n_epochs: 50,
      biased: false,
      reg_pu: 0.06,
      reg_qi: 0.06,
      init: "RandomState(random_state).uniform(0, 1): users' table then items'",
      random_state: flags["nmf-seed"],
    },
    knn_basic: {
      k: flags["knn-k"],
      min_k: 1,
      sim_options: "defaults: msd, user_based True, min_support 1",
    },
    knn_means: {
      k: flags["knn-k"],
      min_k: 1,
      sim_options: "defaults: msd, user_based True, min_support 1",
    },
    co_clustering: {
      n_cltr_u: 3,
      n_cltr_i: 3,
      n_epochs: 20,
      init: "RandomState(random_state).randint(3): users' clusters then items'",
      random_state: flags["co-clustering-seed"],
    },
    knn_baseline: {
      k: flags["knn-k"],
      min_k: 1,
      sim_options: "defaults: msd, user_based True, min_support 1",
      bsl_options: "defaults: als, n_epochs 10, reg_i 10, reg_u 15",
    },
    slope_one: "SlopeOne()",
    normal_predictor:
      "NormalPredictor(): np.random.normal(mean, ML std) per test rating from the global generator " +
      "(np.random.seed(numpy_seed); no other algorithm draws from it: the others get RandomState(random_state) per fit)",
  };
}
