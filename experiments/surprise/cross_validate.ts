/**
 * `exp:surprise`'s folds and `cross_validate`: KFold's trainsets, then per
 * algorithm a fit on each fold's trainset and its test set scored. An
 * algorithm whose folds are independent (every one but NormalPredictor,
 * whose generator runs on across folds) may spread its folds over Web
 * Workers (./fold_worker.ts), one whole fold each: a worker runs exactly
 * the code the calling thread would (`foldPredictions`), so the numbers are
 * the same for any thread count; only wall time changes.
 *
 * @module
 */

import { kFold } from "../../lib/kfold.ts";
import { mae, rmse } from "../../lib/metrics.ts";
import {
  buildTrainset,
  predictRows,
  type RatingScale,
  type SurpriseTrainset,
} from "../../lib/models/surprise/trainset.ts";
import { Progress } from "../../lib/progress.ts";
import { RandomState } from "../../lib/rng.ts";
import { takeTriples } from "../../lib/split.ts";
import { WebWorker } from "../../lib/web_worker.ts";
import type { Flags } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import type { AlgorithmFit } from "./algorithms.ts";
import type { FLAGS } from "./document.ts";
import type { AlgorithmRun } from "./report.ts";

/** One KFold fold: Surprise's trainset of its training ratings and its test triples. */
export interface Fold {
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
export function kFoldTrainsets(
  data: Interactions,
  k: number,
  seed: number,
): Fold[] {
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

/** One fold's predictions (one per test row, clipped) and seconds spent. */
export interface FoldPredictions {
  readonly pred: Float64Array;
  readonly fitSeconds: number;
  readonly testSeconds: number;
}

/** Fits `fit` on the fold's trainset and predicts its test rows (`AlgoBase.predict`). */
export function foldPredictions(
  fit: AlgorithmFit,
  trainset: SurpriseTrainset,
  users: Int32Array,
  items: Int32Array,
  scale: RatingScale,
): FoldPredictions {
  const t0 = performance.now();
  const model = fit(trainset);
  const t1 = performance.now();
  const pred = predictRows(model, users, items, scale);
  return {
    pred,
    fitSeconds: (t1 - t0) / 1000,
    testSeconds: (performance.now() - t1) / 1000,
  };
}

/** What `crossValidate` runs: the algorithm and, for workers, how to rebuild it. */
export interface CrossValidateJob {
  readonly key: string;
  readonly algorithm: string;
  readonly fit: AlgorithmFit;
  /** Worker threads for the folds (1: in this thread, in fold order). */
  readonly threads: number;
  /** The run's flags: a worker rebuilds the fit from them (algorithms.ts). */
  readonly flags: Flags<typeof FLAGS>;
}

/** `cross_validate` of one algorithm: fit on each fold's trainset, score its test set. */
export async function crossValidate(
  job: CrossValidateJob,
  folds: readonly Fold[],
  scale: RatingScale,
): Promise<AlgorithmRun> {
  const progress = new Progress({
    label: job.algorithm,
    total: folds.length,
    unit: "folds",
  });
  let done = 0;
  const scored = (j: number, p: FoldPredictions) => {
    const actual = Float64Array.from(folds[j].test.ratings);
    const s = { rmse: rmse(p.pred, actual), mae: mae(p.pred, actual), ...p };
    progress.update(++done, `RMSE ${s.rmse.toFixed(4)}`);
    return s;
  };
  const perFold = job.threads > 1
    ? await inWorkers(job, folds, scale, scored)
    : folds.map((f, j) =>
      scored(
        j,
        foldPredictions(job.fit, f.trainset, f.test.users, f.test.items, scale),
      )
    );
  progress.finish();
  return {
    key: job.key,
    algorithm: job.algorithm,
    rmse: perFold.map((s) => s.rmse),
    mae: perFold.map((s) => s.mae),
    fitSeconds: perFold.map((s) => s.fitSeconds),
    testSeconds: perFold.map((s) => s.testSeconds),
  };
}

/** Runs the folds over `job.threads` workers (next fold to the first free one); results in fold order. */
async function inWorkers<T>(
  job: CrossValidateJob,
  folds: readonly Fold[],
  scale: RatingScale,
  scored: (j: number, p: FoldPredictions) => T,
): Promise<T[]> {
  const out: T[] = new Array(folds.length);
  let next = 0;
  const url = new URL("./fold_worker.ts", import.meta.url);
  const lane = async () => {
    const w = new WebWorker(url, { type: "module" });
    try {
      while (next < folds.length) {
        const j = next++;
        const f = folds[j];
        const p = await new Promise<FoldPredictions>((resolve, reject) => {
          w.onmessage = (e: MessageEvent<FoldPredictions>) => resolve(e.data);
          w.onerror = (e: ErrorEvent) => {
            e.preventDefault();
            reject(new Error(`fold worker: ${e.message}`));
          };
          w.postMessage({
            key: job.key,
            flags: job.flags,
            trainset: f.trainset,
            users: f.test.users,
            items: f.test.items,
            scale,
          });
        });
        out[j] = scored(j, p);
      }
    } finally {
      w.terminate();
    }
  };
  const lanes = Math.min(job.threads, folds.length);
  await Promise.all(Array.from({ length: lanes }, lane));
  return out;
}
