/**
 * The algorithms of `exp:surprise` at Surprise 1.1.4's defaults, by the
 * metric key of their README row, and where each one's random numbers come
 * from in Surprise's `examples/benchmark.py`.
 *
 * benchmark.py builds `SVD(random_state=0)`, `SVDpp(random_state=0, …)`,
 * `NMF(random_state=0)` and `CoClustering(random_state=0)`; Surprise's
 * `get_rng` turns an int into a new `np.random.RandomState(seed)` inside
 * every `fit`, so each of those starts from the same generator on every fold
 * and none touches numpy's global one. SlopeOne, the k-NN algorithms and
 * BaselineOnly (ALS) draw nothing. NormalPredictor alone draws from the
 * global generator (`np.random.normal`), which `np.random.seed(0)` seeded
 * once: its draws run on across folds, and no earlier algorithm in the
 * benchmark's order consumes from it.
 *
 * @module
 */

import { fitBaselineOnly } from "../../lib/models/surprise/baseline_only.ts";
import { fitCoClustering } from "../../lib/models/surprise/co_clustering.ts";
import { fitKnnBaseline } from "../../lib/models/surprise/knn_baseline.ts";
import { fitKnnBasic } from "../../lib/models/surprise/knn_basic.ts";
import { fitKnnWithMeans } from "../../lib/models/surprise/knn_with_means.ts";
import { fitNmf } from "../../lib/models/surprise/nmf.ts";
import { fitNormalPredictor } from "../../lib/models/surprise/normal_predictor.ts";
import { fitSlopeOne } from "../../lib/models/surprise/slope_one.ts";
import { fitSvd } from "../../lib/models/surprise/svd.ts";
import { fitSvdpp } from "../../lib/models/surprise/svdpp.ts";
import type {
  SurpriseModel,
  SurpriseTrainset,
} from "../../lib/models/surprise/trainset.ts";
import { RandomState } from "../../lib/rng.ts";
import type { Flags } from "../../lib/cli.ts";
import type { FLAGS } from "./document.ts";

/**
 * Algorithms whose folds `exp:surprise` spreads over worker threads: costly
 * ones with independent folds (NormalPredictor's draws run across folds, so
 * it never may).
 */
export const WORKER_KEYS: ReadonlySet<string> = new Set(["svdpp"]);

/** Fits one algorithm on one fold's trainset. */
export type AlgorithmFit = (t: SurpriseTrainset) => SurpriseModel;

/**
 * The algorithms by key, each fitting a trainset. The one stand-in for
 * numpy's global generator (`--numpy-seed`) is created here, so call this
 * once per run and fit the folds in order.
 */
export function algorithmFits(
  flags: Flags<typeof FLAGS>,
): Record<string, AlgorithmFit> {
  const globalRs = new RandomState(flags["numpy-seed"]);
  const k = flags["knn-k"];
  return {
    svd: (t) =>
      fitSvd(t, {
        nFactors: flags["svd-factors"],
        nEpochs: flags["svd-epochs"],
        seed: flags["svd-seed"],
      }),
    svdpp: (t) =>
      fitSvdpp(t, {
        nEpochs: flags["svdpp-epochs"],
        seed: flags["svdpp-seed"],
      }),
    nmf: (t) => fitNmf(t, { seed: flags["nmf-seed"] }),
    slope_one: (t) => fitSlopeOne(t),
    knn_basic: (t) => fitKnnBasic(t, { k }),
    knn_means: (t) => fitKnnWithMeans(t, { k }),
    knn_baseline: (t) => fitKnnBaseline(t, { k }),
    co_clustering: (t) =>
      fitCoClustering(t, { seed: flags["co-clustering-seed"] }),
    baseline_only: (t) => fitBaselineOnly(t),
    normal_predictor: (t) => fitNormalPredictor(t, globalRs),
  };
}
