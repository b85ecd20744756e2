/**
 * The holdout evaluation of `exp:als` (not in the document): implicit's
 * `train_test_split`, ALS on train, top-k from the exported ONNX model with
 * train items masked, and the popularity baseline on the same split; one
 * run per seed.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { UserError } from "../../lib/errors.ts";
import { type RankingMetrics, rankingMetricsAtK } from "../../lib/metrics.ts";
import {
  type AlsConfig,
  type AlsThreads,
  fitAls,
} from "../../lib/models/als/als.ts";
import { recommendPopular } from "../../lib/models/popularity.ts";
import { exportFactorModel } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { Progress } from "../../lib/progress.ts";
import { type MetricSummary, summarize } from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import { implicitTrainTestSplit, takeRows } from "../../lib/split.ts";
import { allUsers, toCsr } from "./ratings.ts";

/** One holdout run: metrics of ALS and the popularity baseline, and the split's sizes (ratings). */
export interface HoldoutRun {
  readonly als: RankingMetrics;
  readonly popularity: RankingMetrics;
  readonly train: number;
  readonly test: number;
}

/** How to evaluate. */
export interface HoldoutSettings {
  /** ALS settings; each run replaces the seed and drops the loss. */
  readonly als: AlsConfig;
  /** The worker team every fit shares. */
  readonly team: AlsThreads;
  /** One run per seed: it seeds both the split and the factors. */
  readonly seeds: readonly number[];
  /** Share of the user–item pairs in train, (0, 1). */
  readonly trainFraction: number;
  /** List length of the ranking metrics. */
  readonly k: number;
}

/** Runs the evaluation on `data` once per seed, in seed order. */
export async function holdoutRuns(
  data: Interactions,
  s: HoldoutSettings,
): Promise<HoldoutRun[]> {
  const runs: HoldoutRun[] = [];
  const progress = new Progress({
    label: "holdout",
    total: s.seeds.length,
    unit: "seed",
  });
  for (const [r, seed] of s.seeds.entries()) {
    const split = implicitTrainTestSplit(
      data,
      s.trainFraction,
      new RandomState(seed),
    );
    const train = toCsr(takeRows(data, split.train));
    const test = toCsr(takeRows(data, split.test));
    if (!test.data.some((v) => v > 0)) {
      throw new UserError(
        `the holdout split (--train-fraction ${s.trainFraction}, seed ${seed}) left no positive rating ` +
          "to test on: too few ratings to evaluate; give more data or a smaller --train-fraction",
      );
    }
    const model = await fitAls(train, {
      ...s.als,
      seed,
      computeLoss: false,
      team: s.team,
    });
    const heldOut = await FactorModelSession.load(
      exportFactorModel(
        {
          nUsers: data.nUsers,
          nItems: data.nItems,
          factors: s.als.factors,
          userFactors: model.userFactors,
          itemFactors: model.itemFactors,
        },
        { seen: train },
      ),
      `holdout model, seed ${seed}`,
    );
    const ranked = await heldOut.recommend(allUsers(data.nUsers), s.k);
    await heldOut.release();
    runs.push({
      als: rankingMetricsAtK(ranked.items, test, s.k, { train }),
      popularity: rankingMetricsAtK(
        recommendPopular(train, s.k),
        test,
        s.k,
        { train },
      ),
      train: split.train.length,
      test: split.test.length,
    });
    progress.update(r + 1);
  }
  progress.finish();
  return runs;
}

/**
 * `als_<metric>_at_<k>` and `popularity_<metric>_at_<k>` for precision, map,
 * ndcg and auc, each summarised over the runs (in this key order).
 */
export function holdoutMetrics(
  runs: readonly HoldoutRun[],
  k: number,
): Record<string, MetricSummary> {
  const metrics: Record<string, MetricSummary> = {};
  for (const name of ["precision", "map", "ndcg", "auc"] as const) {
    metrics[`als_${name}_at_${k}`] = summarize(runs.map((x) => x.als[name]));
    metrics[`popularity_${name}_at_${k}`] = summarize(
      runs.map((x) => x.popularity[name]),
    );
  }
  return metrics;
}
