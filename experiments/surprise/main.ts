/**
 * deno task exp:surprise        (flags: deno task exp:surprise --help)
 *
 * Reproduces the ML-100K benchmark table of Surprise's README (Nicolas Hug)
 * with the protocol of its `examples/benchmark.py`: `np.random.seed(0)`, one
 * `KFold(n_splits=5, random_state=0)` shared by every algorithm,
 * `cross_validate(algo, data, ['rmse', 'mae'], kf)`, algorithms at their
 * Surprise 1.1.4 defaults (`random_state=0` where benchmark.py sets it).
 *
 * What Surprise does, read from its source:
 * - `Dataset.load_builtin('ml-100k')` reads u.data in file order; KFold
 *   shuffles `arange(100000)` once with `RandomState(0)` and cuts five slices
 *   of 20,000; a fold's training ratings are the slices before and after it.
 * - `construct_trainset` numbers users and items by first appearance in
 *   those training ratings; SGD visits ratings by inner user, no reshuffle.
 * - `predict` falls back to the training mean when an estimate is
 *   impossible and clips to the reader's scale [1, 5].
 * - Algorithms built with an int random_state get a new RandomState(seed)
 *   at every fit; NormalPredictor alone draws from numpy's global
 *   generator, seeded once (algorithms.ts).
 *
 * @module
 */

import { loadMovieLens } from "../../lib/data/load.ts";
import type { RatingScale } from "../../lib/models/surprise/trainset.ts";
import { datasetRecord } from "../../lib/report/provenance.ts";
import {
  type MetricValue,
  otherSettingsNote,
  summarize,
} from "../../lib/report/results.ts";
import {
  defineExperiment,
  type RunContext,
  type RunOutput,
} from "../../lib/run/experiment.ts";
import { tolerancesOf } from "../registry.ts";
import { algorithmFits, WORKER_KEYS } from "./algorithms.ts";
import { crossValidate, kFoldTrainsets } from "./cross_validate.ts";
import { surpriseComparisons } from "./compare.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  FLAGS,
  isDocumentRun,
  PUBLISHED_TABLE,
  SEED_FLAGS,
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
  //    SVDpp's independent folds go to worker threads (same numbers).
  const fits = algorithmFits(flags);
  const runs: AlgorithmRun[] = [];
  for (const { key, algorithm } of PUBLISHED_TABLE.filter((r) => fits[r.key])) {
    const threads = WORKER_KEYS.has(key) ? flags.threads : 1;
    const job = { key, algorithm, fit: fits[key], threads, flags };
    runs.push(await crossValidate(job, folds, scale));
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
    // KFold's, numpy's global and the algorithms' random_state, each once.
    seeds: [...new Set(SEED_FLAGS.map((f) => flags[f]))],
    summary: runs.map((r) => {
      const s = summarize(r.rmse), m = summarize(r.mae);
      return `${r.algorithm}: RMSE ${s.mean.toFixed(4)} ± ${
        s.std.toFixed(4)
      }, MAE ${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
    }).join("\n"),
  };
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
