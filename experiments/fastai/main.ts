/**
 * deno task exp:fastai        (flags: deno task exp:fastai --help)
 *
 * Reproduces the blog "Exploring Recommender Systems": the whole Summary
 * table on the 2016 ml-latest-small (671 users × 9,066 movies, 100,004
 * ratings), split with `np.random.seed(7); np.random.rand(n) < 0.8`.
 *
 * What the blog's code does, read line by line:
 * - indices: `ratings_df[col].unique()` (order of first appearance) for users
 *   and movies; every matrix is dense 671 × 9066 over all ratings, zeros for
 *   unrated cells. We index by sorted raw id instead: every row below is
 *   invariant under a permutation of users or movies (only summation order
 *   changes, ~1e-15).
 * - RMSE over `truth.nonzero()`: the test ratings (all ratings are ≥ 0.5).
 * - baselines: user / movie mean = `sum / count_nonzero` of the train
 *   matrix (NaN for a movie without train ratings), NaN cells replaced by
 *   `np.nanmean` of the prediction matrix; the third row averages the two.
 * - cosine CF: similarities `1 − pairwise_distances(train, 'cosine')`, then
 *   `predict(truth_test_mx, sim)`: means and deviations are taken from the
 *   TEST matrix, so each prediction contains its own answer (sim[u, u] = 1):
 *   a leak. We report the leaky numbers (as published) and the corrected
 *   ones, `predict(train_rt_mx, sim)`.
 * - SVD: `svds(train − user mean on rated cells, k=50)`, prediction
 *   U·S·Vᵀ + user mean (here: Lanczos, lib/svd.ts).
 * - Keras models: 50-d embeddings U(±0.05), `l2(1e-4)` on the whole tables
 *   in every batch's loss, Adam(0.001), batch 64, `fit(shuffle=True)`; the
 *   dot model fits 2 + 3 + 8 epochs, the bias model 2 + 6 + 15, with
 *   `model.optimizer.lr = 0.01` / `0.001` between the calls. In Keras 2 that
 *   assignment rebinds a Python attribute while the compiled training
 *   function keeps the original `lr` variable, so the rate most likely stayed
 *   0.001; both readings are run. The NN: concat(50, 50) → Dropout 0.25 →
 *   Dense 64 ReLU → Dropout 0.75 → Dense 1, 6 epochs.
 *
 * Each Keras fit (one per model, seed and reading) runs whole in one Web
 * Worker of lib/train/fit_pool.ts, so the numbers do not depend on
 * `--threads`.
 *
 * @module
 */

import { UserError } from "../../lib/errors.ts";
import { loadMovieLens } from "../../lib/data/load.ts";
import { datasetRecord } from "../../lib/report/provenance.ts";
import {
  type Comparison,
  type MetricValue,
  summarize,
} from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import {
  defineExperiment,
  type RunContext,
  type RunOutput,
} from "../../lib/run/experiment.ts";
import { maskSplit, takeRows } from "../../lib/split.ts";
import { tolerancesOf } from "../registry.ts";
import { compareContext, fastaiComparisons } from "./compare.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  FLAGS,
  type Reading,
} from "./document.ts";
import { exportKerasModels } from "./export.ts";
import { fitKerasRows, fitTimings, type KerasRows } from "./keras_rows.ts";
import { numpyRows } from "./numpy_rows.ts";
import { fastaiSections } from "./report.ts";
import {
  type MethodPredictions,
  type MethodVersus,
  methodVersus,
  versusMetrics,
} from "./versus.ts";

export const experiment = defineExperiment({
  name: "fastai",
  task: "exp:fastai",
  title: (flags) =>
    `Exploring Recommender Systems: the blog's Summary table on ${flags.dataset}`,
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("fastai"),
  run,
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

/** The blog's notebook top to bottom: load, split, numpy/scipy rows, Keras rows, ONNX export, method comparisons, published vs reproduced. */
async function run(
  { flags, args, seeds, clock, timings }: RunContext<typeof FLAGS>,
): Promise<RunOutput> {
  refuseEmptyTest(flags["train-fraction"]);
  const readings: Reading[] = flags.readings === "both"
    ? ["ignored", "applied"]
    : [flags.readings];

  // 1. Load the ratings.
  const { data, source } = await loadMovieLens(flags.dataset, {
    dataDir: flags["data-dir"],
  });
  refuseLargeSvdK(flags["svd-k"], data.nUsers, data.nItems);
  clock("load");

  // 2. The document's split: np.random.seed(7); np.random.rand(n) < 0.8.
  const split = maskSplit(
    data.users.length,
    flags["train-fraction"],
    new RandomState(flags["split-seed"]),
  );
  const train = takeRows(data, split.train);
  const test = takeRows(data, split.test);
  clock("split");

  // 3. The numpy/scipy rows: baselines, cosine CF (leaky and corrected), SVD.
  const splits = { data, train, test };
  const numpy = numpyRows(splits, flags["svd-k"], clock);
  const metrics: Record<string, MetricValue> = {
    users: data.nUsers,
    movies: data.nItems,
    ratings: data.users.length,
    train_ratings: train.users.length,
    test_ratings: test.users.length,
    ...numpy.metrics,
  };

  // 4. The Keras rows: one fit per model, reading and seed, spread over
  //    Web Workers. The first seed's fits (dot and dot+bias under the first
  //    reading, and the NN) keep their final weights for the ONNX export.
  const plan = { flags, seeds, readings };
  const keras = await fitKerasRows(splits, plan);
  for (const [key, values] of Object.entries(keras.trained)) {
    metrics[key] = summarize(values);
  }
  clock("keras");

  // 5. Export the first seed's Keras models to ONNX and score the test set
  //    with them: ONNX vs TypeScript parity.
  const onnx = await exportKerasModels(keras, splits, source, plan);
  Object.assign(metrics, onnx.metrics);
  clock("export");

  // 6. Which method is better: A − B over seeds and over test ratings.
  const versus = versusRows(keras.final, numpy.svdPred, seeds, test.ratings);
  Object.assign(metrics, versusMetrics(versus));
  clock("versus");

  // 7. Published vs reproduced.
  const comparisons = fastaiComparisons(
    compareContext(flags, args, metrics, seeds.length),
  );
  Object.assign(timings, fitTimings(keras.fits));
  return {
    dataset: datasetRecord(source, data, flags.dataset),
    config: configOf(flags, readings),
    metrics,
    comparisons,
    sections: (results) =>
      fastaiSections(results, {
        curves: keras.curves,
        data,
        readings,
        versus,
      }),
    files: onnx.files,
    summary: summaryOf(comparisons),
  };
}

/** The printed summary: one line per comparison row (metric, published, ours, status). */
function summaryOf(comparisons: readonly Comparison[]): string {
  return comparisons.map((c) =>
    `${c.metric.padEnd(24)} published ${String(c.published).padEnd(14)} ours ${
      c.reproduced.toFixed(6)
    }  ${c.status}`
  ).join("\n");
}

/** Refuses a `--train-fraction` ≥ 1 (the test set would be empty): exit code 2. */
function refuseEmptyTest(trainFraction: number): void {
  if (trainFraction >= 1) {
    throw new UserError(
      `--train-fraction must be below 1 (the test set would be empty), got ${trainFraction}`,
      { exitCode: 2 },
    );
  }
}

/** Refuses an `--svd-k` ≥ min(users, movies) (svds needs k < min(shape)): exit code 2. */
function refuseLargeSvdK(k: number, nUsers: number, nItems: number): void {
  if (k >= Math.min(nUsers, nItems)) {
    throw new UserError(
      `--svd-k ${k} must be below min(users, movies) = ${
        Math.min(nUsers, nItems)
      } (svds needs k < min(shape))`,
      { exitCode: 2 },
    );
  }
}

/**
 * The method comparisons (NN, dot+bias, SVD and, when it ran, dot) from the
 * final test predictions per model and seed; none with fewer than 2 seeds
 * or without the NN and dot+bias rows.
 */
function versusRows(
  final: KerasRows["final"],
  svdPred: Float64Array,
  seeds: readonly number[],
  truth: Float32Array,
): MethodVersus[] {
  if (seeds.length < 2 || !final.nn || !final.dot_bias) return [];
  const methods = (name: string): MethodPredictions => ({
    name,
    perSeed: name === "svd" ? [svdPred] : final[name] ?? [],
  });
  const pairs = [["nn", "dot_bias"], ["nn", "svd"], ["dot_bias", "svd"]];
  if (final.dot) pairs.push(["dot_bias", "dot"]);
  return pairs.map(([a, b]) => methodVersus(methods(a), methods(b), truth));
}

if (import.meta.main) await experiment.cli();
