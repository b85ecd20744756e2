/**
 * Surprise 1.1.x `CoClustering(random_state=seed)` at its defaults: 3 user
 * clusters, 3 item clusters, 20 epochs; initial clusters
 * `rng.randint(3, size=n_users)` then `rng.randint(3, size=n_items)` from one
 * `RandomState(seed)`.
 *
 * r̂_ui = C̄_ui + (μ_u − C̄_u) + (μ_i − C̄_i): co-cluster, user-cluster and
 * item-cluster mean ratings (the training mean for an empty cluster), μ_u
 * and μ_i the user's and item's mean ratings. Each epoch recomputes the
 * cluster means, then moves every user (inner order) to the user cluster
 * minimising the squared error over its ratings (first minimum on ties),
 * then every item likewise (seeing the users' new clusters, the epoch's
 * means); the means are recomputed once more at the end. An unknown user or
 * item predicts the training mean (Surprise returns it; never impossible).
 *
 * @module
 */

import { RandomState } from "../../rng.ts";
import { userMeans } from "./knn_with_means.ts";
import type { SurpriseModel, SurpriseTrainset } from "./trainset.ts";

/** CoClustering settings (Surprise: n_cltr_u, n_cltr_i, n_epochs, random_state). */
export interface CoClusteringOptions {
  readonly nUserClusters?: number;
  readonly nItemClusters?: number;
  readonly nEpochs?: number;
  readonly seed?: number;
}

/** Surprise 1.1.x's defaults (seed 0 as in its benchmark script). */
export const CO_CLUSTERING_DEFAULTS: Required<CoClusteringOptions> = {
  nUserClusters: 3,
  nItemClusters: 3,
  nEpochs: 20,
  seed: 0,
};

/** Cluster mean ratings: per user cluster, per item cluster, co-clusters (nU × nI row-major). */
export interface ClusterAverages {
  readonly user: Float64Array;
  readonly item: Float64Array;
  readonly co: Float64Array;
}

/** A fitted CoClustering: clusters of inner users/items and the means it predicts from. */
export interface CoClusteringModel extends SurpriseModel {
  readonly userCluster: Int32Array;
  readonly itemCluster: Int32Array;
  readonly userMean: Float64Array;
  readonly itemMean: Float64Array;
  readonly averages: ClusterAverages;
}

/**
 * Mean rating of each user cluster, item cluster and co-cluster under the
 * given assignments, sums taken in `all_ratings()` order; the training mean
 * for an empty one.
 */
export function clusterAverages(
  t: SurpriseTrainset,
  userCluster: Int32Array,
  itemCluster: Int32Array,
  nUc: number,
  nIc: number,
): ClusterAverages {
  const cu = new Float64Array(nUc), ci = new Float64Array(nIc);
  const cc = new Float64Array(nUc * nIc);
  const su = new Float64Array(nUc), si = new Float64Array(nIc);
  const sc = new Float64Array(nUc * nIc);
  for (let u = 0; u < t.nUsers; u++) {
    const uc = userCluster[u];
    for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
      const ic = itemCluster[t.urItem[p]], r = t.urRating[p];
      cu[uc]++;
      ci[ic]++;
      cc[uc * nIc + ic]++;
      su[uc] += r;
      si[ic] += r;
      sc[uc * nIc + ic] += r;
    }
  }
  const mean = (s: Float64Array, c: Float64Array) =>
    s.map((x, k) => c[k] ? x / c[k] : t.globalMean);
  return { user: mean(su, cu), item: mean(si, ci), co: mean(sc, cc) };
}

/** Fits CoClustering on `t`, step for step as Surprise. */
export function fitCoClustering(
  t: SurpriseTrainset,
  opts: CoClusteringOptions = {},
): CoClusteringModel {
  const o = { ...CO_CLUSTERING_DEFAULTS, ...opts };
  const nUc = o.nUserClusters, nIc = o.nItemClusters;
  const rs = new RandomState(o.seed);
  const userCluster = new Int32Array(t.nUsers);
  for (let u = 0; u < t.nUsers; u++) userCluster[u] = rs.randint(0, nUc);
  const itemCluster = new Int32Array(t.nItems);
  for (let i = 0; i < t.nItems; i++) itemCluster[i] = rs.randint(0, nIc);
  const userMean = userMeans(t);
  const itemMean = itemMeans(t);
  const errU = new Float64Array(nUc), errI = new Float64Array(nIc);
  for (let e = 0; e < o.nEpochs; e++) {
    const a = clusterAverages(t, userCluster, itemCluster, nUc, nIc);
    for (let u = 0; u < t.nUsers; u++) {
      errU.fill(0);
      for (let uc = 0; uc < nUc; uc++) {
        for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
          const i = t.urItem[p], ic = itemCluster[i];
          const est = a.co[uc * nIc + ic] + userMean[u] - a.user[uc] +
            itemMean[i] - a.item[ic];
          const d = t.urRating[p] - est;
          errU[uc] += d * d;
        }
      }
      userCluster[u] = argmin(errU);
    }
    for (let i = 0; i < t.nItems; i++) {
      errI.fill(0);
      for (let ic = 0; ic < nIc; ic++) {
        for (let p = t.irStart[i]; p < t.irStart[i + 1]; p++) {
          const u = t.irUser[p], uc = userCluster[u];
          const est = a.co[uc * nIc + ic] + userMean[u] - a.user[uc] +
            itemMean[i] - a.item[ic];
          const d = t.irRating[p] - est;
          errI[ic] += d * d;
        }
      }
      itemCluster[i] = argmin(errI);
    }
  }
  const averages = clusterAverages(t, userCluster, itemCluster, nUc, nIc);
  return {
    trainset: t,
    userCluster,
    itemCluster,
    userMean,
    itemMean,
    averages,
    estimate(u, i) {
      if (u < 0 || i < 0) return t.globalMean;
      const uc = userCluster[u], ic = itemCluster[i];
      return averages.co[uc * nIc + ic] + userMean[u] - averages.user[uc] +
        itemMean[i] - averages.item[ic];
    },
  };
}

/** Mean training rating of each inner item. */
function itemMeans(t: SurpriseTrainset): Float64Array {
  const means = new Float64Array(t.nItems);
  for (let i = 0; i < t.nItems; i++) {
    let s = 0;
    for (let p = t.irStart[i]; p < t.irStart[i + 1]; p++) s += t.irRating[p];
    means[i] = s / (t.irStart[i + 1] - t.irStart[i]);
  }
  return means;
}

/** `np.argmin`: index of the first smallest value. */
function argmin(x: Float64Array): number {
  let best = 0;
  for (let k = 1; k < x.length; k++) if (x[k] < x[best]) best = k;
  return best;
}
