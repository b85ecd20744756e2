/**
 * The holdout evaluation of `exp:als` (not in the document): implicit's
 * `train_test_split`, ALS on train, top-k from the exported ONNX model with
 * train items masked, and the popularity baseline on the same split; one
 * run per seed.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { type RankingMetrics, rankingMetricsAtK } from "../../lib/metrics.ts";
import {
  type AlsConfig,
  type AlsThreads,
  fitAls,
} from "../../lib/models/als/als.ts";
import { recommendPopular } from "../../lib/models/popularity.ts";
import { recommendAll } from "../../lib/models/recommend_all.ts";
import { exportFactorModel } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { Progress } from "../../lib/progress.ts";
import { type MetricSummary, summarize } from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import { implicitTrainTestSplit } from "../../lib/split.ts";
import { type Csr, csrFromCoo } from "../../lib/sparse.ts";
import { allUsers } from "./ratings.ts";

/**
 * Above this many user × item cells the top-k lists of all users come from
 * {@link recommendAll} over the factor tables, and the ONNX model answers a
 * sample of users as a check; below it (every pinned run) the ONNX model
 * answers every user.
 */
export const ONNX_ALL_USERS_MAX_CELLS = 2e8;

/** Users in the ONNX parity sample of a large evaluation. */
export const PARITY_SAMPLE_USERS = 256;

/** How the ONNX model's lists for a sample of users compare with recommendAll's. */
export interface SampleParity {
  /** Users in the sample (spread evenly over the dense user indices). */
  readonly users: number;
  /** Share of sampled users whose k items are the same, in the same order. */
  readonly sameLists: number;
  /** Largest |ONNX − recommendAll| score over the sample's lists. */
  readonly maxAbsDiff: number;
}

/** One holdout run: metrics of ALS and the popularity baseline, and the split's sizes (ratings). */
export interface HoldoutRun {
  readonly als: RankingMetrics;
  readonly popularity: RankingMetrics;
  readonly train: number;
  readonly test: number;
  /** Present when the lists came from recommendAll (large data): the ONNX check. */
  readonly parity?: SampleParity;
  /** Seconds spent fitting and ranking (top-k of all users plus metrics). */
  readonly fitSeconds: number;
  readonly rankSeconds: number;
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
  /** Largest users × items ranked by the ONNX model for every user (default {@link ONNX_ALL_USERS_MAX_CELLS}). */
  readonly onnxAllUsersMaxCells?: number;
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
    const train = csrOfRows(data, split.train);
    const test = csrOfRows(data, split.test);
    const t0 = performance.now();
    const fitProgress = new Progress({
      label: `holdout seed ${seed}: ALS`,
      total: s.als.iterations,
      unit: "it",
    });
    const model = await fitAls(train, {
      ...s.als,
      seed,
      computeLoss: false,
      team: s.team,
    }, (it) => {
      fitProgress.update(it + 1);
    });
    fitProgress.finish();
    const t1 = performance.now();
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
    let ranked: Int32Array;
    let parity: SampleParity | undefined;
    const maxCells = s.onnxAllUsersMaxCells ?? ONNX_ALL_USERS_MAX_CELLS;
    if (data.nUsers * data.nItems <= maxCells) {
      ranked = (await heldOut.recommend(allUsers(data.nUsers), s.k)).items;
    } else {
      const rankProgress = new Progress({
        label: `holdout seed ${seed}: top-${s.k} of all users`,
        total: data.nUsers,
        unit: "users",
      });
      const all = recommendAll(
        model.userFactors,
        model.itemFactors,
        s.als.factors,
        train,
        s.k,
        (done) => rankProgress.update(done),
      );
      rankProgress.finish(
        `${(100 * all.scanned).toFixed(1)}% of the scores computed`,
      );
      ranked = all.items;
      parity = await sampleParity(heldOut, all.items, all.scores, s.k);
    }
    await heldOut.release();
    runs.push({
      als: rankingMetricsAtK(ranked, test, s.k, { train }),
      popularity: rankingMetricsAtK(
        recommendPopular(train, s.k),
        test,
        s.k,
        { train },
      ),
      train: split.train.length,
      test: split.test.length,
      ...(parity === undefined ? {} : { parity }),
      fitSeconds: (t1 - t0) / 1000,
      rankSeconds: (performance.now() - t1) / 1000,
    });
    progress.update(r + 1);
  }
  progress.finish();
  return runs;
}

/**
 * The users × items matrix of `data`'s rows `rows` (the last of repeated
 * pairs kept), as `toCsr(takeRows(data, rows))`. Rows sorted by (user, item,
 * row), as implicitTrainTestSplit returns them, are laid out in one pass with
 * no copies of the triples; other orders go through csrFromCoo.
 */
export function csrOfRows(data: Interactions, rows: Int32Array): Csr {
  const n = rows.length;
  const { users, items, ratings } = data;
  let sorted = true;
  for (let j = 1; j < n && sorted; j++) {
    const a = rows[j - 1], b = rows[j];
    sorted = users[a] < users[b] ||
      (users[a] === users[b] &&
        (items[a] < items[b] || (items[a] === items[b] && a < b)));
  }
  if (!sorted) {
    const us = new Int32Array(n), is = new Int32Array(n);
    const rs = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      us[j] = users[rows[j]];
      is[j] = items[rows[j]];
      rs[j] = ratings[rows[j]];
    }
    return csrFromCoo(us, is, rs, data.nUsers, data.nItems, "last");
  }
  const indptr = new Int32Array(data.nUsers + 1);
  let nnz = 0;
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    if (j > 0) {
      const p = rows[j - 1];
      if (users[p] === users[r] && items[p] === items[r]) continue;
    }
    indptr[users[r] + 1]++;
    nnz++;
  }
  for (let u = 0; u < data.nUsers; u++) indptr[u + 1] += indptr[u];
  const indices = new Int32Array(nnz), values = new Float32Array(nnz);
  let out = -1;
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    const p = j > 0 ? rows[j - 1] : -1;
    if (p < 0 || users[p] !== users[r] || items[p] !== items[r]) out++;
    indices[out] = items[r];
    values[out] = ratings[r];
  }
  return {
    nRows: data.nUsers,
    nCols: data.nItems,
    indptr,
    indices,
    data: values,
  };
}

/**
 * Asks `session` for the lists of {@link PARITY_SAMPLE_USERS} users spread
 * evenly over all users and compares them with `items` / `scores` (nUsers × k).
 */
async function sampleParity(
  session: FactorModelSession,
  items: Int32Array,
  scores: Float32Array,
  k: number,
): Promise<SampleParity> {
  const nUsers = items.length / k;
  const n = Math.min(PARITY_SAMPLE_USERS, nUsers);
  const users = Int32Array.from(
    { length: n },
    (_, j) => Math.floor((j * nUsers) / n),
  );
  const onnx = await session.recommend(users, k);
  let same = 0, maxAbsDiff = 0;
  for (let j = 0; j < n; j++) {
    const u = users[j];
    let equal = true;
    for (let p = 0; p < k; p++) {
      if (onnx.items[j * k + p] !== items[u * k + p]) equal = false;
      const a = onnx.scores[j * k + p], b = scores[u * k + p];
      if (Number.isFinite(a) && Number.isFinite(b)) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a - b));
      }
    }
    if (equal) same++;
  }
  return { users: n, sameLists: same / n, maxAbsDiff };
}

/**
 * The ONNX sample parity of the runs that have one (large data), summarised
 * over the runs: `holdout_onnx_sample_users`, `…_same_lists` (share of the
 * sampled users whose lists agree) and `…_max_abs_diff`; empty otherwise.
 */
export function holdoutParityMetrics(
  runs: readonly HoldoutRun[],
): Record<string, number> {
  const ps = runs.flatMap((r) => r.parity === undefined ? [] : [r.parity]);
  if (ps.length === 0) return {};
  return {
    holdout_onnx_sample_users: ps[0].users,
    holdout_onnx_sample_same_lists: Math.min(...ps.map((p) => p.sameLists)),
    holdout_onnx_sample_max_abs_diff: Math.max(...ps.map((p) => p.maxAbsDiff)),
  };
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
