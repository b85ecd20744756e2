/**
 * The holdout evaluation of `exp:als` (not in the document): implicit 0.7's
 * `train_test_split(ratings, train_fraction, random_state=split_seed)` row
 * for row (numpy's `default_rng`), ALS on train from implicit 0.7's initial
 * factors for each model seed, top-k from the exported ONNX model with train
 * items masked, and the popularity baseline on the same split; per-user
 * values for the paired comparison of the two. Above
 * {@link ONNX_ALL_USERS_MAX_CELLS} user × item cells (ML-25M's size) the
 * top-k of all users come from recommendAll over the factor tables, and the
 * ONNX model answers a sample of users as a check.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { UserError } from "../../lib/errors.ts";
import { implicitDefaultRngSplit } from "../../lib/default_rng.ts";
import { type RankingMetrics, rankingMetricsAtK } from "../../lib/metrics.ts";
import {
  type AlsConfig,
  type AlsModel,
  type AlsThreads,
  fitAls,
} from "../../lib/models/als/als.ts";
import { implicitInitialFactors } from "../../lib/models/als/init.ts";
import { recommendPopular } from "../../lib/models/popularity.ts";
import { recommendAll } from "../../lib/models/recommend_all.ts";
import { exportFactorModel } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { Progress } from "../../lib/progress.ts";
import { type MetricSummary, summarize } from "../../lib/report/results.ts";
import type { Csr } from "../../lib/sparse.ts";
import { allUsers, toCsr } from "./ratings.ts";

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
  /** Present when the lists came from recommendAll (large data): the ONNX check. */
  readonly parity?: SampleParity;
  /** Seconds spent fitting ALS on train. */
  readonly fitSeconds: number;
  /** Seconds spent exporting, ranking all users and computing the metrics. */
  readonly rankSeconds: number;
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
  /** Largest users × items the ONNX model ranks for every user (default {@link ONNX_ALL_USERS_MAX_CELLS}). */
  readonly onnxAllUsersMaxCells?: number;
  /** The users × items matrix of `data` (`toCsr(data)`), when the caller has it already. */
  readonly all?: Csr;
}

/** The holdout: the runs and the popularity baseline's per-user values. */
export interface Holdout {
  readonly runs: HoldoutRun[];
  readonly popularityUsers: UserValues;
}

/**
 * The stored entries of `m` at strictly ascending `positions` (row-major
 * order), as a matrix of the same shape, laid out in one pass.
 *
 * @throws {RangeError} when the positions are not strictly ascending within
 * [0, nnz).
 */
export function csrEntries(m: Csr, positions: Int32Array): Csr {
  const n = positions.length, nnz = m.indptr[m.nRows];
  const indptr = new Int32Array(m.nRows + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  let r = 0, last = -1;
  for (let j = 0; j < n; j++) {
    const p = positions[j];
    if (!(p > last && p < nnz)) {
      throw new RangeError(
        `csrEntries: position ${p} at ${j} is not ascending within [0, ${nnz})`,
      );
    }
    last = p;
    while (m.indptr[r + 1] <= p) r++;
    indptr[r + 1]++;
    indices[j] = m.indices[p];
    data[j] = m.data[p];
  }
  for (let u = 0; u < m.nRows; u++) indptr[u + 1] += indptr[u];
  return { nRows: m.nRows, nCols: m.nCols, indptr, indices, data };
}

/**
 * implicit 0.7's `train_test_split(ratings, trainFraction, random_state =
 * splitSeed)` of the users × items matrix of `data` (duplicates: the last
 * kept, as `toCsr`; `all` is that matrix when the caller has it): train and
 * test matrices.
 */
export function implicitSplit(
  data: Interactions,
  trainFraction: number,
  splitSeed: number,
  all: Csr = toCsr(data),
): { train: Csr; test: Csr } {
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
  const { train, test } = implicitSplit(
    data,
    s.trainFraction,
    s.splitSeed,
    s.all,
  );
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
    const t0 = performance.now();
    const model = await fitHoldout(train, s, seed);
    const t1 = performance.now();
    const { items, parity } = await rankAllUsers(model, train, s, seed);
    runs.push({
      seed,
      als: rankingMetricsAtK(items, test, s.k, { train }),
      popularity,
      alsUsers: userValues(items, test, s.k, train),
      train: nTrain,
      test: nTest,
      ...(parity === undefined ? {} : { parity }),
      fitSeconds: (t1 - t0) / 1000,
      rankSeconds: (performance.now() - t1) / 1000,
    });
    progress.update(r + 1);
  }
  progress.finish();
  return { runs, popularityUsers };
}

/** ALS on `train` from implicit 0.7's start for `seed`, with a progress line per iteration. */
async function fitHoldout(
  train: Csr,
  s: HoldoutSettings,
  seed: number,
): Promise<AlsModel> {
  const progress = new Progress({
    label: `holdout seed ${seed}: ALS`,
    total: s.als.iterations,
    unit: "it",
  });
  const model = await fitAls(
    train,
    {
      ...s.als,
      seed,
      initialFactors: implicitInitialFactors(
        train.nRows,
        train.nCols,
        s.als.factors,
        seed,
      ),
      computeLoss: false,
      team: s.team,
    },
    (it) => progress.update(it + 1),
  );
  progress.finish();
  return model;
}

/**
 * The top-k of every user (nUsers × k, train items masked): from the exported
 * ONNX model up to `s.onnxAllUsersMaxCells` user × item cells, above it from
 * recommendAll with the ONNX model checked on a sample (`parity`).
 */
async function rankAllUsers(
  model: AlsModel,
  train: Csr,
  s: HoldoutSettings,
  seed: number,
): Promise<{ items: Int32Array; parity?: SampleParity }> {
  const { nRows: nUsers, nCols: nItems } = train;
  const heldOut = await FactorModelSession.load(
    exportFactorModel(
      {
        nUsers,
        nItems,
        factors: s.als.factors,
        userFactors: model.userFactors,
        itemFactors: model.itemFactors,
      },
      { seen: train },
    ),
    `holdout model, seed ${seed}`,
  );
  try {
    if (
      nUsers * nItems <= (s.onnxAllUsersMaxCells ?? ONNX_ALL_USERS_MAX_CELLS)
    ) {
      return { items: (await heldOut.recommend(allUsers(nUsers), s.k)).items };
    }
    const progress = new Progress({
      label: `holdout seed ${seed}: top-${s.k} of all users`,
      total: nUsers,
      unit: "users",
    });
    const all = recommendAll(
      model.userFactors,
      model.itemFactors,
      s.als.factors,
      train,
      s.k,
      (done) => progress.update(done),
    );
    progress.finish(
      `${(100 * all.scanned).toFixed(1)}% of the scores computed`,
    );
    const parity = await sampleParity(heldOut, all.items, all.scores, s.k);
    return { items: all.items, parity };
  } finally {
    await heldOut.release();
  }
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
 * over the runs: `holdout_onnx_sample_users`, `…_same_lists` (the smallest
 * share of sampled users whose lists agree) and `…_max_abs_diff`; empty
 * otherwise.
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
