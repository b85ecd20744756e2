/**
 * The holdout evaluation of `exp:als` (not in the document): implicit 0.7's
 * `train_test_split(ratings, train_fraction, random_state=split_seed)` row
 * for row (numpy's `default_rng`), ALS on train from implicit 0.7's initial
 * factors for each model seed, top-k from the exported ONNX model with train
 * items masked, and the popularity baseline on the same split; per-user
 * values for the paired comparison of the two. Every model's lists are
 * evaluated by one function ({@link evaluateLists}): the accuracy metrics
 * and the beyond-accuracy metrics of lib/beyond_accuracy.ts (catalogue
 * coverage, novelty, ARP, APLT, ILD). The models are a list of named
 * ranked-list producers ({@link holdoutModels}); a third model is one more
 * entry there. Above
 * {@link ONNX_ALL_USERS_MAX_CELLS} user × item cells (ML-25M's size) the
 * top-k of all users come from recommendAll over the factor tables, and the
 * ONNX model answers a sample of users as a check.
 *
 * @module
 */

import {
  averagePopularity,
  catalogueCoverage,
  intraListDiversity,
  type ItemPopularity,
  itemPopularity,
  longTailShare,
  novelty,
  shortHead,
} from "../../lib/beyond_accuracy.ts";
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
import type { BprConfig } from "../../lib/models/bpr/bpr.ts";
import { type BprFit, fitBprMany } from "../../lib/models/bpr/bpr_pool.ts";
import type { FactorModel } from "../../lib/models/factor_model.ts";
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

/** The accuracy metrics of the holdout, in table order (lib/metrics.ts, implicit's definitions). */
export const ACCURACY_METRICS = ["precision", "map", "ndcg", "auc"] as const;

/** The beyond-accuracy metrics of the holdout, in table order (lib/beyond_accuracy.ts). */
export const BEYOND_ACCURACY_METRICS = [
  "coverage",
  "novelty",
  "arp",
  "aplt",
  "ild",
] as const;

/**
 * Share of the training interactions the short head holds: the most popular
 * training items that together hold 80 % of the interactions are the head,
 * the rest the long tail (Elliot's `Popularity` with its default
 * `pop_ratio` 0.8, Anelli et al., SIGIR 2021).
 */
export const SHORT_HEAD_SHARE = 0.8;

/**
 * Beyond-accuracy metrics of one ranked list set: every user's top k,
 * popularity counted on the holdout's train split.
 */
export interface BeyondAccuracy {
  /** Distinct recommended items / items with a training interaction, in [0, 1]. */
  readonly coverage: number;
  /** Mean self-information −log2(training users of i / training users) per recommended item, in bits. */
  readonly novelty: number;
  /** Average recommendation popularity: per list the mean training interactions of its items, averaged over lists. */
  readonly arp: number;
  /** Average share of long-tail items per list (head: {@link SHORT_HEAD_SHARE}), in [0, 1]. */
  readonly aplt: number;
  /** Intra-list diversity: per list the mean pairwise 1 − cosine of item factors, averaged over lists; in [0, 2]. */
  readonly ild: number;
}

/** Accuracy and beyond-accuracy metrics of one ranked list set. */
export type HoldoutMetrics = RankingMetrics & BeyondAccuracy;

/** One model's lists in one run, evaluated. */
export interface ModelEvaluation {
  /** Key prefix of its metrics ({@link HoldoutModel.name}). */
  readonly name: string;
  /** Its name in tables and figures. */
  readonly label: string;
  readonly metrics: HoldoutMetrics;
  /** Per-user accuracy values over the users with test items. */
  readonly users: UserValues;
  /** Present when its lists came from recommendAll (large data): the ONNX check. */
  readonly parity?: SampleParity;
}

/** One holdout run (one model seed): every model's evaluation, and the split's sizes (ratings). */
export interface HoldoutRun {
  /** The model seed (ALS random_state). */
  readonly seed: number;
  /**
   * Each model's evaluation by {@link HoldoutModel.name}, in the order of
   * {@link holdoutModels} (`als`, `popularity`); a model whose lists do not
   * depend on the seed has the same accuracy every run, its ILD measured in
   * the run's ALS item factors.
   */
  readonly models: Readonly<Record<string, ModelEvaluation>>;
  readonly train: number;
  readonly test: number;
  /** Items with a training interaction (coverage's denominator). */
  readonly trainItems: number;
  /** Items in the short head ({@link SHORT_HEAD_SHARE}); the rest of the training items are the long tail. */
  readonly headItems: number;
  /** Seconds spent fitting the models on train. */
  readonly fitSeconds: number;
  /** Seconds spent exporting, ranking all users and computing the metrics. */
  readonly rankSeconds: number;
}

/** Every user's top k from one model fitted on the holdout's train split. */
export interface RankedLists {
  /** nUsers × k dense item indices, best first, train items masked, −1 padded. */
  readonly items: Int32Array;
  /** The fitted factors, when the model has them (the first model's are the ILD space). */
  readonly factorModel?: FactorWeights;
  /** Present when the lists came from recommendAll (large data): the ONNX check. */
  readonly parity?: SampleParity;
  /** Seconds spent fitting. */
  readonly fitSeconds: number;
}

/** The weights a factor model ranks with: what fitAls returns and exportFactorModel takes. */
export type FactorWeights = Pick<
  FactorModel,
  "factors" | "userFactors" | "itemFactors"
>;

/** A named ranked-list producer of the holdout. */
export interface HoldoutModel {
  /** Key prefix of its metrics, e.g. "als" (`als_precision_at_10`). */
  readonly name: string;
  /** Its name in tables and figures. */
  readonly label: string;
  /** False when its lists do not depend on the model seed: ranked once, on the first seed. */
  readonly seeded: boolean;
  /** Every user's top k on `train` (users × items) for model seed `seed`. */
  rank(train: Csr, seed: number): Promise<RankedLists>;
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
  /** The models ranked (default {@link holdoutModels} of these settings). */
  readonly models?: readonly HoldoutModel[];
  /** BPR beside ALS and popularity (absent: not evaluated). */
  readonly bpr?: HoldoutBpr;
}

/** BPR in the holdout: implicit's BayesianPersonalizedRanking settings, one fit per model seed. */
export interface HoldoutBpr {
  /** Everything but the seed, which is each run's model seed. */
  readonly config: Omit<BprConfig, "seed">;
  /** Workers the fits are spread over (fitBprMany); results do not depend on it. */
  readonly threads: number;
}

/** The holdout: one run per model seed. */
export interface Holdout {
  readonly runs: HoldoutRun[];
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

/**
 * The holdout's models in table order: ALS (exported to ONNX; its item
 * factors are every model's ILD space), BPR when `s.bpr` is given, and the
 * popularity baseline. Another model is one more entry.
 */
export function holdoutModels(s: HoldoutSettings): HoldoutModel[] {
  return [
    {
      name: "als",
      label: "ALS",
      seeded: true,
      rank: (train, seed) =>
        fitAndRank(
          () => fitHoldout(train, s, seed),
          train,
          s,
          `holdout model, seed ${seed}`,
        ),
    },
    ...(s.bpr === undefined ? [] : [bprHoldoutModel(s, s.bpr)]),
    {
      name: "popularity",
      label: "popularity",
      seeded: false,
      rank: (train) =>
        Promise.resolve({
          items: recommendPopular(train, s.k),
          fitSeconds: 0,
        }),
    },
  ];
}

/**
 * BPR as a holdout model: on its first call it fits every seed of `s.seeds`
 * on the train split at once (fitBprMany over `bpr.threads` workers, a
 * progress line per fit), then each seed's model is exported to ONNX and
 * ranks every user like ALS's. The fits' wall time is counted on the first
 * seed's run.
 */
function bprHoldoutModel(s: HoldoutSettings, bpr: HoldoutBpr): HoldoutModel {
  let fits: Promise<BprFit[]> | undefined;
  return {
    name: "bpr",
    label: "BPR",
    seeded: true,
    async rank(train, seed) {
      const first = fits === undefined;
      const t0 = performance.now();
      fits ??= (() => {
        const progress = new Progress({
          label: "holdout: BPR fits",
          total: s.seeds.length,
          unit: "seed",
        });
        return fitBprMany(
          train,
          s.seeds.map((seed) => ({ ...bpr.config, seed })),
          bpr.threads,
          (done) => progress.update(done),
        ).finally(() => progress.finish());
      })();
      const { model } = (await fits)[s.seeds.indexOf(seed)];
      const wall = (performance.now() - t0) / 1000;
      const ranked = await fitAndRank(
        () => model,
        train,
        s,
        `holdout BPR model, seed ${seed}`,
      );
      return { ...ranked, fitSeconds: first ? wall : 0 };
    },
  };
}

/** What {@link evaluateLists} measures lists against: the split and its training popularity. */
export interface ListContext {
  readonly train: Csr;
  readonly test: Csr;
  /** List length. */
  readonly k: number;
  /** Popularity of the train split ({@link trainPopularity}). */
  readonly pop: ItemPopularity;
  /** Short head of `pop` (1 = head item), length nItems. */
  readonly head: Uint8Array;
}

/** The training popularity of `train` (users × items; every stored entry one interaction) and its short head. */
export function trainPopularity(
  train: Csr,
): { pop: ItemPopularity; head: Uint8Array } {
  const nnz = train.indptr[train.nRows];
  const users = new Int32Array(nnz);
  for (let u = 0; u < train.nRows; u++) {
    users.fill(u, train.indptr[u], train.indptr[u + 1]);
  }
  const pop = itemPopularity(
    users,
    train.indices.subarray(0, nnz),
    train.nRows,
    train.nCols,
  );
  return { pop, head: shortHead(pop, SHORT_HEAD_SHARE) };
}

/**
 * Accuracy (`rankingMetricsAtK` over the users with test items, and their
 * per-user values) and beyond-accuracy metrics (over every user's list) of
 * `items` (nUsers × k), ILD in `space` (item factors); ILD is NaN without one.
 */
export function evaluateLists(
  items: Int32Array,
  c: ListContext,
  space?: FactorWeights,
): { metrics: HoldoutMetrics; users: UserValues } {
  const { train, test, k, pop } = c;
  const lists = listsOf(items, k);
  return {
    metrics: {
      ...rankingMetricsAtK(items, test, k, { train }),
      coverage: catalogueCoverage(lists, pop),
      novelty: novelty(lists, pop),
      arp: averagePopularity(lists, pop),
      aplt: longTailShare(lists, c.head),
      ild: space === undefined
        ? NaN
        : intraListDiversity(lists, space.itemFactors, space.factors),
    },
    users: userValues(items, test, k, train),
  };
}

/** The rows of `items` (nUsers × k) as views. */
function listsOf(items: Int32Array, k: number): Int32Array[] {
  return Array.from(
    { length: items.length / k },
    (_, u) => items.subarray(u * k, (u + 1) * k),
  );
}

/**
 * Runs the evaluation on `data`: one split, then per model seed every model
 * of `s.models` (default {@link holdoutModels}) ranked and evaluated, in seed
 * order. ILD is measured in the item factors of the first model that has
 * them, for that seed.
 */
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
  const context: ListContext = {
    train,
    test,
    k: s.k,
    ...trainPopularity(train),
  };
  const models = s.models ?? holdoutModels(s);
  const trainItems = context.pop.nSeenItems;
  const headItems = context.head.reduce((a, x) => a + x, 0);
  const once = new Map<string, { lists: RankedLists; ev: ModelEvaluation }>();
  const runs: HoldoutRun[] = [];
  const progress = new Progress({
    label: "holdout",
    total: s.seeds.length,
    unit: "seed",
  });
  for (const [r, seed] of s.seeds.entries()) {
    const t0 = performance.now();
    let fitSeconds = 0;
    const ranked: [HoldoutModel, RankedLists][] = [];
    for (const m of models) {
      const lists = once.get(m.name)?.lists ?? await m.rank(train, seed);
      if (!once.has(m.name)) fitSeconds += lists.fitSeconds;
      ranked.push([m, lists]);
    }
    const space = ranked.find(([, l]) => l.factorModel)?.[1].factorModel;
    const evaluated: Record<string, ModelEvaluation> = {};
    for (const [m, lists] of ranked) {
      const cached = once.get(m.name)?.ev;
      const ev: ModelEvaluation = cached
        ? {
          ...cached,
          metrics: { ...cached.metrics, ...ildOf(lists.items, s.k, space) },
        }
        : {
          name: m.name,
          label: m.label,
          ...evaluateLists(lists.items, context, space),
          ...(lists.parity === undefined ? {} : { parity: lists.parity }),
        };
      if (!m.seeded && !cached) once.set(m.name, { lists, ev });
      evaluated[m.name] = ev;
    }
    runs.push({
      seed,
      models: evaluated,
      train: nTrain,
      test: nTest,
      trainItems,
      headItems,
      fitSeconds,
      rankSeconds: (performance.now() - t0) / 1000 - fitSeconds,
    });
    progress.update(r + 1);
  }
  progress.finish();
  return { runs };
}

/** `{ ild }` of `items` (nUsers × k) in `space`, NaN without one. */
function ildOf(
  items: Int32Array,
  k: number,
  space: FactorWeights | undefined,
): { ild: number } {
  return {
    ild: space === undefined
      ? NaN
      : intraListDiversity(listsOf(items, k), space.itemFactors, space.factors),
  };
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
 * Fits a factor model with `fit` (timed) and ranks every user's top k from
 * its ONNX export with train items masked ({@link rankAllUsers}); `name`
 * labels the ONNX session and the progress line.
 */
export async function fitAndRank(
  fit: () => Promise<FactorWeights> | FactorWeights,
  train: Csr,
  s: Pick<HoldoutSettings, "k" | "onnxAllUsersMaxCells">,
  name: string,
): Promise<RankedLists> {
  const t0 = performance.now();
  const model = await fit();
  const fitSeconds = (performance.now() - t0) / 1000;
  const { items, parity } = await rankAllUsers(model, train, s, name);
  return {
    items,
    factorModel: model,
    fitSeconds,
    ...(parity === undefined ? {} : { parity }),
  };
}

/**
 * The top-k of every user (nUsers × k, train items masked): from the exported
 * ONNX model up to `s.onnxAllUsersMaxCells` user × item cells, above it from
 * recommendAll with the ONNX model checked on a sample (`parity`).
 */
async function rankAllUsers(
  model: FactorWeights,
  train: Csr,
  s: Pick<HoldoutSettings, "k" | "onnxAllUsersMaxCells">,
  name: string,
): Promise<{ items: Int32Array; parity?: SampleParity }> {
  const { nRows: nUsers, nCols: nItems } = train;
  const heldOut = await FactorModelSession.load(
    exportFactorModel(
      {
        nUsers,
        nItems,
        factors: model.factors,
        userFactors: model.userFactors,
        itemFactors: model.itemFactors,
      },
      { seen: train },
    ),
    name,
  );
  try {
    if (
      nUsers * nItems <= (s.onnxAllUsersMaxCells ?? ONNX_ALL_USERS_MAX_CELLS)
    ) {
      return { items: (await heldOut.recommend(allUsers(nUsers), s.k)).items };
    }
    const progress = new Progress({
      label: `${name}: top-${s.k} of all users`,
      total: nUsers,
      unit: "users",
    });
    const all = recommendAll(
      model.userFactors,
      model.itemFactors,
      model.factors,
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
 * The ONNX sample parity of the runs' models that have one (large data),
 * summarised over runs and models: `holdout_onnx_sample_users`,
 * `…_same_lists` (the smallest share of sampled users whose lists agree) and
 * `…_max_abs_diff`; empty otherwise.
 */
export function holdoutParityMetrics(
  runs: readonly HoldoutRun[],
): Record<string, number> {
  const ps = runs.flatMap((r) =>
    Object.values(r.models).flatMap((m) =>
      m.parity === undefined ? [] : [m.parity]
    )
  );
  if (ps.length === 0) return {};
  return {
    holdout_onnx_sample_users: ps[0].users,
    holdout_onnx_sample_same_lists: Math.min(...ps.map((p) => p.sameLists)),
    holdout_onnx_sample_max_abs_diff: Math.max(...ps.map((p) => p.maxAbsDiff)),
  };
}

/**
 * `<model>_<metric>_at_<k>` for every model of the runs (`als`,
 * `popularity`, …) and every metric, accuracy ({@link ACCURACY_METRICS})
 * then beyond-accuracy ({@link BEYOND_ACCURACY_METRICS}), each summarised
 * over the runs (in this key order: metric by metric, models in run order).
 */
export function holdoutMetrics(
  runs: readonly HoldoutRun[],
  k: number,
): Record<string, MetricSummary> {
  const metrics: Record<string, MetricSummary> = {};
  const names = Object.keys(runs[0]?.models ?? {});
  for (const metric of [...ACCURACY_METRICS, ...BEYOND_ACCURACY_METRICS]) {
    for (const model of names) {
      metrics[`${model}_${metric}_at_${k}`] = summarize(
        runs.map((x) => x.models[model].metrics[metric]),
      );
    }
  }
  return metrics;
}
