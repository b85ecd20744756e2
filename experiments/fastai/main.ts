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
import type { Interactions } from "../../lib/data/interactions.ts";
import { loadMovieLens } from "../../lib/data/load.ts";
import { maxAbsDiff, rmse } from "../../lib/metrics.ts";
import {
  type FactorModel,
  predictPairs,
} from "../../lib/models/factor_model.ts";
import { type MlpModel, predictMlp } from "../../lib/models/mlp/mlp.ts";
import {
  exportFactorModel,
  seenFromTraining,
  seenItems,
} from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { exportMlpModel, MlpSession } from "../../lib/onnx/mlp_export.ts";
import { baselinePredict, ratingMeans } from "../../lib/models/baselines.ts";
import { cosineCfPredict } from "../../lib/models/cosine_cf.ts";
import { runFits } from "../../lib/train/fit_pool.ts";
import { datasetRecord, medianSeconds } from "../../lib/report/provenance.ts";
import {
  type MetricValue,
  otherSettingsNote,
  summarize,
} from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import { defineExperiment } from "../../lib/run/experiment.ts";
import { maskSplit, takeRows } from "../../lib/split.ts";
import { tolerancesOf } from "../registry.ts";
import { fastaiComparisons } from "./compare.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  DOCUMENT_DATASET,
  FLAGS,
  type Reading,
} from "./document.ts";
import { type Curve, fitLabel } from "./figures.ts";
import { fillColdMovies, kerasJob, kerasRuns, svdPredict } from "./models.ts";
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
  async run({ flags, args, seeds, clock, timings }) {
    if (flags["train-fraction"] >= 1) {
      throw new UserError(
        `--train-fraction must be below 1 (the test set would be empty), got ${
          flags["train-fraction"]
        }`,
        { exitCode: 2 },
      );
    }
    const readings: Reading[] = flags.readings === "both"
      ? ["ignored", "applied"]
      : [flags.readings];

    // 1. Load the ratings.
    const { data, source } = await loadMovieLens(flags.dataset, {
      dataDir: flags["data-dir"],
    });
    const { nUsers, nItems } = data;
    if (flags["svd-k"] >= Math.min(nUsers, nItems)) {
      throw new UserError(
        `--svd-k ${flags["svd-k"]} must be below min(users, movies) = ${
          Math.min(nUsers, nItems)
        } (svds needs k < min(shape))`,
        { exitCode: 2 },
      );
    }
    clock("load");

    // 2. The document's split: np.random.seed(7); np.random.rand(n) < 0.8.
    const split = maskSplit(
      data.users.length,
      flags["train-fraction"],
      new RandomState(flags["split-seed"]),
    );
    const train = takeRows(data, split.train);
    const test = takeRows(data, split.test);
    const truth = test.ratings;
    clock("split");

    // 3. The numpy/scipy rows: baselines, cosine CF (leaky and corrected), SVD.
    const means = ratingMeans(train, nUsers, nItems);
    const baseline = (kind: "user" | "item" | "average") =>
      rmse(baselinePredict(kind, means, test.users, test.items), truth);
    const metrics: Record<string, MetricValue> = {
      users: nUsers,
      movies: nItems,
      ratings: data.users.length,
      train_ratings: train.users.length,
      test_ratings: test.users.length,
      rmse_user_mean: baseline("user"),
      rmse_movie_mean: baseline("item"),
      rmse_averaged_mean: baseline("average"),
    };
    clock("baselines");
    const cosine = (kind: "user" | "item", from: Interactions) =>
      cosineCfPredict({
        kind,
        similarityFrom: train,
        ratingsFrom: from,
        nUsers,
        nItems,
        users: test.users,
        items: test.items,
      });
    metrics.rmse_user_cosine_leaky = rmse(cosine("user", test), truth);
    metrics.rmse_item_cosine_leaky = rmse(cosine("item", test), truth);
    metrics.rmse_user_cosine_train = rmse(cosine("user", train), truth);
    // From training data, a movie without train ratings has no mean (NaN in
    // the blog's arithmetic): it falls back to the user's train mean.
    const itemTrain = cosine("item", train);
    metrics.test_ratings_of_cold_movies = fillColdMovies(
      itemTrain,
      means.userMean,
      test.users,
    );
    metrics.rmse_item_cosine_train = rmse(itemTrain, truth);
    clock("cosine");

    const svd = svdPredict(train, means.userMean, test, flags["svd-k"]);
    metrics.rmse_svd = rmse(svd.pred, truth);
    metrics.svd_lanczos_steps = svd.steps;
    metrics.svd_top_singular_value = svd.s[0];
    metrics.svd_last_singular_value = svd.s[svd.s.length - 1];
    clock("svd");

    // 4. The Keras rows: one fit per model, reading and seed, spread over
    //    Web Workers, longest first (an NN epoch costs about two others').
    //    The first seed's fits (dot and dot+bias under the first reading, and
    //    the NN) keep their final weights for the ONNX export.
    const runs = kerasRuns(seeds, readings);
    const stepsPerEpoch = Math.ceil(train.users.length / flags["batch-size"]);
    const exported = (r: typeof runs[number]) =>
      r.seed === seeds[0] && (r.model === "nn" || r.reading === readings[0]);
    const jobs = runs.map((r) => {
      const job = kerasJob(r, flags, stepsPerEpoch);
      return exported(r) ? { ...job, keepEpoch: job.config.epochs - 1 } : job;
    });
    const fits = await runFits(
      { train, nUsers, nItems, evalUsers: test.users, evalItems: test.items },
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
    const curves: Curve[] = [];
    const trained: Record<string, number[]> = {};
    // Final test predictions of the document's reading, per model, in seed order.
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
    for (const [key, values] of Object.entries(trained)) {
      metrics[key] = summarize(values);
    }
    clock("keras");

    // 5. Export the first seed's Keras models to ONNX (ids, titles and the
    //    training ratings as seen items in each) and score the test set
    //    with them: ONNX vs TypeScript parity.
    const files: { name: string; content: Uint8Array }[] = [];
    const seen = seenItems(train.users, train.items, nUsers, nItems);
    const description = {
      experiment: "fastai",
      dataChecksum: source.sha256,
      userIds: data.userIds.raw,
      itemIds: data.itemIds.raw,
      itemTitles: Array.from(
        data.itemIds.raw,
        (id) => data.itemInfo.get(id)?.title ?? null,
      ),
      seenFrom: seenFromTraining(
        `the training split (np.random.seed(${
          flags["split-seed"]
        }); rand(n) < ${flags["train-fraction"]})`,
        train.users.length,
      ),
    };
    for (const [k, run] of runs.entries()) {
      if (!exported(run)) continue;
      const model = fits[k].model!;
      const config = {
        ...configOf(flags, readings),
        model: run.model,
        reading: run.reading,
        seed: run.seed,
      };
      const name = `${run.model}.onnx`;
      const path = `fastai/${name}`;
      let onnx: Float32Array, ts: Float32Array | Float64Array;
      if (run.model === "nn") {
        const bytes = exportMlpModel(model as MlpModel, {}, {
          description: { ...description, config },
          seen,
        });
        const session = await MlpSession.load(bytes, path);
        onnx = await session.score(test.users, test.items);
        await session.release();
        ts = predictMlp(model as MlpModel, test.users, test.items);
        files.push({ name, content: bytes });
      } else {
        const bytes = exportFactorModel(model as FactorModel, {
          seen,
          description: { ...description, config },
        });
        const session = await FactorModelSession.load(bytes, path);
        onnx = await session.score(test.users, test.items);
        await session.release();
        ts = predictPairs(model as FactorModel, test.users, test.items);
        files.push({ name, content: bytes });
      }
      metrics[`${run.model}_onnx_test_rmse`] = rmse(onnx, truth);
      metrics[`${run.model}_onnx_parity_max_abs_diff`] = maxAbsDiff(ts, onnx);
    }
    clock("export");
    // 5. Which method is better: A − B over seeds and over test ratings.
    const methods = (name: string): MethodPredictions => ({
      name,
      perSeed: name === "svd" ? [svd.pred] : final[name] ?? [],
    });
    const versus: MethodVersus[] =
      seeds.length >= 2 && final.nn && final.dot_bias
        ? (final.dot
          ? [["nn", "dot_bias"], ["nn", "svd"], ["dot_bias", "svd"], [
            "dot_bias",
            "dot",
          ]]
          : [["nn", "dot_bias"], ["nn", "svd"], ["dot_bias", "svd"]]).map((
            [a, b],
          ) => methodVersus(methods(a), methods(b), truth))
        : [];
    Object.assign(metrics, versusMetrics(versus));
    clock("versus");

    // 6. Published vs reproduced.
    const comparisons = fastaiComparisons({
      metrics,
      seedCount: seeds.length,
      isDocument: flags.dataset === DOCUMENT_DATASET &&
        flags["split-seed"] === 7 && flags["train-fraction"] === 0.8,
      sameModels: flags["svd-k"] === 50 && flags.factors === 50 &&
        flags.l2 === 1e-4 && flags["batch-size"] === 64 && flags.lr === 1e-3,
      otherNote: otherSettingsNote(args),
    });
    // Training seconds per fit (they run side by side in workers: compare
    // their sum with "keras", the wall time); per-epoch scoring excluded.
    const fitSeconds = fits.map((f) => f.seconds);
    timings.keras_fit_median = medianSeconds(fitSeconds);
    const total = fitSeconds.reduce((a, b) => a + b, 0);
    timings.keras_fit_total = Math.round(total * 1000) / 1000;
    return {
      dataset: datasetRecord(source, data, flags.dataset),
      config: configOf(flags, readings),
      metrics,
      comparisons,
      sections: (results) =>
        fastaiSections(results, { curves, data, readings, versus }),
      files,
      summary: comparisons.map((c) =>
        `${c.metric.padEnd(24)} published ${
          String(c.published).padEnd(14)
        } ours ${c.reproduced.toFixed(6)}  ${c.status}`
      ).join("\n"),
    };
  },
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

if (import.meta.main) await experiment.cli();
