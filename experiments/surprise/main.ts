/**
 * deno task exp:surprise        (flags: deno task exp:surprise --help)
 *
 * Reproduces the ML-100K benchmark table of Surprise's README (Nicolas Hug)
 * with the protocol of its `examples/benchmark.py`: `np.random.seed(0)`, one
 * `KFold(n_splits=5, random_state=0)` shared by every algorithm,
 * `cross_validate(algo, data, ['rmse', 'mae'], kf)`, algorithms at their
 * Surprise 1.1.x defaults (`SVD(random_state=0)`).
 *
 * What Surprise does, read from its source:
 * - `Dataset.load_builtin('ml-100k')` reads u.data in file order; KFold
 *   shuffles `arange(100000)` once with `RandomState(0)` and cuts five slices
 *   of 20,000; a fold's training ratings are the slices before and after it.
 * - `construct_trainset` numbers users and items by first appearance in
 *   those training ratings; SGD visits ratings by inner user, no reshuffle.
 * - `predict` falls back to the training mean when an estimate is
 *   impossible and clips to the reader's scale [1, 5].
 * - NormalPredictor draws from numpy's global generator, seeded once.
 *
 * @module
 */

import { loadMovieLens } from "../../lib/data/load.ts";
import { kFold } from "../../lib/kfold.ts";
import { mae, rmse } from "../../lib/metrics.ts";
import { fitBaselineOnly } from "../../lib/models/surprise/baseline_only.ts";
import { fitKnnBaseline } from "../../lib/models/surprise/knn_baseline.ts";
import { fitNormalPredictor } from "../../lib/models/surprise/normal_predictor.ts";
import { fitSlopeOne } from "../../lib/models/surprise/slope_one.ts";
import { fitSvd } from "../../lib/models/surprise/svd.ts";
import {
  buildTrainset,
  predictRows,
  type RatingScale,
  type SurpriseModel,
  type SurpriseTrainset,
} from "../../lib/models/surprise/trainset.ts";
import { Progress } from "../../lib/progress.ts";
import { datasetRecord } from "../../lib/report/provenance.ts";
import {
  type MetricValue,
  otherSettingsNote,
  summarize,
} from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import type { Flags } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import {
  defineExperiment,
  type RunContext,
  type RunOutput,
} from "../../lib/run/experiment.ts";
import { takeTriples } from "../../lib/split.ts";
import { tolerancesOf } from "../registry.ts";
import { surpriseComparisons } from "./compare.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  FLAGS,
  isDocumentRun,
  PUBLISHED_TABLE,
} from "./document.ts";
import { type AlgorithmRun, surpriseSections } from "./report.ts";

export const experiment = defineExperiment({
  name: "surprise",
  task: "exp:surprise",
  title: "Surprise's benchmark algorithms under 5-fold CV on ML-100K",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("surprise"),
  run,
});

/** Load, split, cross-validate each algorithm, measure: benchmark.py's steps in order. */
async function run(
  { flags, args, clock, timings }: RunContext<typeof FLAGS>,
): Promise<RunOutput> {
  // 1. Load the ratings in file order (Surprise's load_builtin order).
  const { data, source } = await loadMovieLens(flags.dataset, {
    dataDir: flags["data-dir"],
  });
  const scale: RatingScale = flags.dataset === "ml-100k"
    ? { min: 1, max: 5 }
    : { min: 0.5, max: 5 };
  clock("load");

  // 2. KFold(n_splits, random_state=split_seed): one shuffle, consecutive slices.
  const folds = kFoldTrainsets(data, flags.folds, flags["split-seed"]);
  clock("split");

  // 3. The algorithms at Surprise's defaults, cross-validated in the README's order.
  const fits = algorithmFits(flags);
  const runs: AlgorithmRun[] = [];
  for (const row of PUBLISHED_TABLE.filter((r) => fits[r.key])) {
    runs.push(
      crossValidate(row.key, row.algorithm, fits[row.key], folds, scale),
    );
  }
  clock("cross_validate");

  // 4. Metrics: mean ± std over folds; published vs reproduced.
  const metrics: Record<string, MetricValue> = {
    ratings: data.users.length,
    test_ratings_per_fold: summarize(folds.map((f) => f.test.ratings.length)),
  };
  for (const r of runs) {
    metrics[`${r.key}_rmse`] = summarize(r.rmse);
    metrics[`${r.key}_mae`] = summarize(r.mae);
    timings[`${r.key}_fit`] = round3(sum(r.fitSeconds));
    timings[`${r.key}_test`] = round3(sum(r.testSeconds));
  }
  const comparisons = surpriseComparisons({
    metrics,
    keys: runs.map((r) => r.key),
    isDocument: isDocumentRun(flags),
    otherNote: otherSettingsNote(args),
  });
  return {
    dataset: datasetRecord(source, data, flags.dataset),
    config: configOf(flags, scale),
    metrics,
    comparisons,
    sections: (results) => surpriseSections(results, runs),
    // KFold's, numpy's global and SVD's random_state, each once.
    seeds: [
      ...new Set([
        flags["split-seed"],
        flags["numpy-seed"],
        flags["svd-seed"],
      ]),
    ],
    summary: runs.map((r) => {
      const s = summarize(r.rmse), m = summarize(r.mae);
      return `${r.algorithm}: RMSE ${s.mean.toFixed(4)} ± ${
        s.std.toFixed(4)
      }, MAE ${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
    }).join("\n"),
  };
}

/** One KFold fold: Surprise's trainset of its training ratings and its test triples. */
interface Fold {
  readonly trainset: SurpriseTrainset;
  readonly test: {
    users: Int32Array;
    items: Int32Array;
    ratings: Float32Array;
  };
}

/**
 * `KFold(n_splits=k, random_state=seed)` over `data`'s rows in file order
 * (one shuffle, consecutive slices), each fold's training ratings built into
 * a trainset.
 */
function kFoldTrainsets(data: Interactions, k: number, seed: number): Fold[] {
  return kFold(data.users.length, k, new RandomState(seed)).map((f) => {
    const train = takeTriples(data, f.train);
    return {
      trainset: buildTrainset(
        train.users,
        train.items,
        train.ratings,
        data.nUsers,
        data.nItems,
      ),
      test: takeTriples(data, f.test),
    };
  });
}

/**
 * The algorithms at Surprise's defaults, by key: each fits a trainset. numpy's
 * global generator (np.random.seed) is NormalPredictor's alone, shared by its
 * fits on every fold.
 */
function algorithmFits(
  flags: Flags<typeof FLAGS>,
): Record<string, (t: SurpriseTrainset) => SurpriseModel> {
  const globalRs = new RandomState(flags["numpy-seed"]);
  return {
    svd: (t) =>
      fitSvd(t, {
        nFactors: flags["svd-factors"],
        nEpochs: flags["svd-epochs"],
        seed: flags["svd-seed"],
      }),
    slope_one: (t) => fitSlopeOne(t),
    knn_baseline: (t) => fitKnnBaseline(t, { k: flags["knn-k"] }),
    baseline_only: (t) => fitBaselineOnly(t),
    normal_predictor: (t) => fitNormalPredictor(t, globalRs),
  };
}

/** `cross_validate` of one algorithm: fit on each fold's trainset, score its test set. */
function crossValidate(
  key: string,
  algorithm: string,
  fit: (t: SurpriseTrainset) => SurpriseModel,
  folds: readonly Fold[],
  scale: RatingScale,
): AlgorithmRun {
  const run: AlgorithmRun = {
    key,
    algorithm,
    rmse: [],
    mae: [],
    fitSeconds: [],
    testSeconds: [],
  };
  const progress = new Progress({
    label: algorithm,
    total: folds.length,
    unit: "folds",
  });
  for (const [j, f] of folds.entries()) {
    const t0 = performance.now();
    const model = fit(f.trainset);
    const t1 = performance.now();
    const pred = predictRows(model, f.test.users, f.test.items, scale);
    const actual = Float64Array.from(f.test.ratings);
    run.rmse.push(rmse(pred, actual));
    run.mae.push(mae(pred, actual));
    run.fitSeconds.push((t1 - t0) / 1000);
    run.testSeconds.push((performance.now() - t1) / 1000);
    progress.update(j + 1, `RMSE ${run.rmse[j].toFixed(4)}`);
  }
  progress.finish();
  return run;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

if (import.meta.main) await experiment.cli();
