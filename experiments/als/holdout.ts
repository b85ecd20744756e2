/**
 * The holdout evaluation of `exp:als` (not in the document): implicit 0.7's
 * `train_test_split(ratings, train_fraction, random_state=split_seed)` row
 * for row (numpy's `default_rng`), ALS on train from implicit 0.7's initial
 * factors for each model seed, top-k from the exported ONNX model with train
 * items masked, and the popularity baseline on the same split; per-user
 * values for the paired comparison of the two.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { UserError } from "../../lib/errors.ts";
import { implicitDefaultRngSplit } from "../../lib/default_rng.ts";
import { type RankingMetrics, rankingMetricsAtK } from "../../lib/metrics.ts";
import {
  type AlsConfig,
  type AlsThreads,
  fitAls,
} from "../../lib/models/als/als.ts";
import { implicitInitialFactors } from "../../lib/models/als/init.ts";
import { recommendPopular } from "../../lib/models/popularity.ts";
import { exportFactorModel } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { Progress } from "../../lib/progress.ts";
import { type MetricSummary, summarize } from "../../lib/report/results.ts";
import { type Csr, csrFromCoo } from "../../lib/sparse.ts";
import { allUsers, toCsr } from "./ratings.ts";

/** Per-user values of one ranked list set, over the users with test items (ascending user index). */
export interface UserValues {
  /** Hits in the top k. */
  readonly hits: Float64Array;
  /** min(k, |test items|): precision's per-user denominator. */
  readonly m: Float64Array;
  readonly map: Float64Array;
  readonly ndcg: Float64Array;
  readonly auc: Float64Array;
}

/** One holdout run: metrics of ALS and the popularity baseline, and the split's sizes (ratings). */
export interface HoldoutRun {
  /** The model seed (ALS random_state). */
  readonly seed: number;
  readonly als: RankingMetrics;
  readonly popularity: RankingMetrics;
  /** ALS's per-user values (the popularity baseline's are the same every run). */
  readonly alsUsers: UserValues;
  readonly train: number;
  readonly test: number;
}

/** How to evaluate. */
export interface HoldoutSettings {
  /** ALS settings; each run replaces the seed and the start and drops the loss. */
  readonly als: AlsConfig;
  /** The worker team every fit shares. */
  readonly team: AlsThreads;
  /** One ALS fit per model seed (implicit 0.7's start for that random_state). */
  readonly seeds: readonly number[];
  /** train_test_split's random_state: one split for every seed. */
  readonly splitSeed: number;
  /** Share of the user–item pairs in train, (0, 1). */
  readonly trainFraction: number;
  /** List length of the ranking metrics. */
  readonly k: number;
}

/** The holdout: the runs and the popularity baseline's per-user values. */
export interface Holdout {
  readonly runs: HoldoutRun[];
  readonly popularityUsers: UserValues;
}

/** The stored entries of `m` at ascending `positions` (row-major order), as a matrix of the same shape. */
export function csrEntries(m: Csr, positions: Int32Array): Csr {
  const rows = new Int32Array(positions.length);
  const cols = new Int32Array(positions.length);
  const values = new Float32Array(positions.length);
  let r = 0;
  for (let j = 0; j < positions.length; j++) {
    const p = positions[j];
    while (m.indptr[r + 1] <= p) r++;
    rows[j] = r;
    cols[j] = m.indices[p];
    values[j] = m.data[p];
  }
  return csrFromCoo(rows, cols, values, m.nRows, m.nCols);
}

/**
 * implicit 0.7's `train_test_split(ratings, trainFraction, random_state =
 * splitSeed)` of the users × items matrix of `data` (duplicates: the last
 * kept, as `toCsr`): train and test matrices.
 */
export function implicitSplit(
  data: Interactions,
  trainFraction: number,
  splitSeed: number,
): { train: Csr; test: Csr } {
  const all = toCsr(data);
  const nnz = all.indptr[all.nRows];
  const split = implicitDefaultRngSplit(
    nnz,
    trainFraction,
    splitSeed,
    all.data,
  );
  return {
    train: csrEntries(all, split.train),
    test: csrEntries(all, split.test),
  };
}

/**
 * Per-user ranking values of `recommended` (nUsers × k) on `test`: each
 * user's `rankingMetricsAtK` on their own row, so the means (and, for
 * precision, Σ hits / Σ m) equal the pooled metrics.
 */
export function userValues(
  recommended: Int32Array,
  test: Csr,
  k: number,
  train: Csr,
): UserValues {
  const users: number[] = [];
  for (let u = 0; u < test.nRows; u++) {
    if (test.indptr[u + 1] > test.indptr[u]) users.push(u);
  }
  const n = users.length;
  const out = {
    hits: new Float64Array(n),
    m: new Float64Array(n),
    map: new Float64Array(n),
    ndcg: new Float64Array(n),
    auc: new Float64Array(n),
  };
  users.forEach((u, j) => {
    const row = (c: Csr): Csr => {
      const a = c.indptr[u], b = c.indptr[u + 1];
      return {
        nRows: 1,
        nCols: c.nCols,
        indptr: Int32Array.of(0, b - a),
        indices: c.indices.subarray(a, b),
        data: c.data.subarray(a, b),
      };
    };
    const t = row(test);
    const r = rankingMetricsAtK(
      recommended.subarray(u * k, (u + 1) * k),
      t,
      k,
      { train: row(train) },
    );
    const m = Math.min(k, t.indices.length);
    out.m[j] = m;
    out.hits[j] = Math.round(r.precision * m);
    out.map[j] = r.map;
    out.ndcg[j] = r.ndcg;
    out.auc[j] = r.auc;
  });
  return out;
}

/** Runs the evaluation on `data`: one split, one ALS fit per seed, in seed order. */
export async function holdoutRuns(
  data: Interactions,
  s: HoldoutSettings,
): Promise<Holdout> {
  const { train, test } = implicitSplit(data, s.trainFraction, s.splitSeed);
  if (!test.data.some((v) => v > 0)) {
    throw new UserError(
      `the holdout split (--train-fraction ${s.trainFraction}, split seed ${s.splitSeed}) left no positive ` +
        "rating to test on: too few ratings to evaluate; give more data or a smaller --train-fraction",
    );
  }
  const nTrain = train.indptr[train.nRows], nTest = test.indptr[test.nRows];
  const popularList = recommendPopular(train, s.k);
  const popularity = rankingMetricsAtK(popularList, test, s.k, { train });
  const popularityUsers = userValues(popularList, test, s.k, train);
  const runs: HoldoutRun[] = [];
  const progress = new Progress({
    label: "holdout",
    total: s.seeds.length,
    unit: "seed",
  });
  for (const [r, seed] of s.seeds.entries()) {
    const model = await fitAls(train, {
      ...s.als,
      seed,
      initialFactors: implicitInitialFactors(
        data.nUsers,
        data.nItems,
        s.als.factors,
        seed,
      ),
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
      seed,
      als: rankingMetricsAtK(ranked.items, test, s.k, { train }),
      popularity,
      alsUsers: userValues(ranked.items, test, s.k, train),
      train: nTrain,
      test: nTest,
    });
    progress.update(r + 1);
  }
  progress.finish();
  return { runs, popularityUsers };
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
