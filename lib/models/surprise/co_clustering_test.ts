import assert from "node:assert/strict";
import {
  clusterAverages,
  CO_CLUSTERING_DEFAULTS,
  fitCoClustering,
} from "./co_clustering.ts";
import { buildTrainset } from "./trainset.ts";

/** 15 distinct (user, item, rating) rows from a fixed formula (5 users, 10 items). */
function rows(): { u: number[]; i: number[]; r: number[] } {
  const seen = new Set<string>(), u: number[] = [], i: number[] = [];
  const r: number[] = [];
  for (let k = 0; k < 60; k++) {
    const uu = (7 * k + Math.floor(k / 5)) % 12;
    const ii = (5 * k + Math.floor(k / 3)) % 10;
    if (seen.has(`${uu},${ii}`)) continue;
    seen.add(`${uu},${ii}`);
    u.push(uu);
    i.push(ii);
    r.push(1 + (k * k + 3 * k) % 5);
  }
  return { u, i, r };
}
const R = rows();
const T = buildTrainset(
  Int32Array.from(R.u),
  Int32Array.from(R.i),
  Float32Array.from(R.r),
  12,
  10,
);

// Python (numpy 2.4): a transcription of Surprise 1.1.4's CoClustering.fit on
// the same rows, RandomState(0), 3 × 3 clusters, after n epochs.
const PY = {
  0: {
    u: [0, 1, 0, 1, 1],
    i: [2, 0, 2, 0, 0, 0, 2, 1, 2, 2],
    est: [0.7222222222222223, 4.366666666666668, 6.366666666666668],
  },
  1: {
    u: [0, 0, 1, 0, 1],
    i: [1, 0, 2, 0, 0, 1, 0, 1, 1, 0],
    est: [0.16666666666666652, 5.071428571428571, 6.838095238095237],
  },
  20: {
    u: [1, 1, 1, 1, 1],
    i: [1, 0, 2, 0, 0, 1, 0, 1, 2, 0],
    est: [0.5, 5, 7],
  },
};
const close = (a: number | null, b: number) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("CO_CLUSTERING_DEFAULTS: Surprise 1.1.4's CoClustering() defaults", () => {
  assert.deepEqual(CO_CLUSTERING_DEFAULTS, {
    nUserClusters: 3,
    nItemClusters: 3,
    nEpochs: 20,
    seed: 0,
  });
});

Deno.test("fitCoClustering: clusters and estimates equal a Python transcription after 0, 1 and 20 epochs", () => {
  assert.equal(T.nRatings, 15);
  for (const [n, py] of Object.entries(PY)) {
    const m = fitCoClustering(T, { nEpochs: Number(n) });
    assert.deepEqual([...m.userCluster], py.u, `epochs ${n}`);
    assert.deepEqual([...m.itemCluster], py.i, `epochs ${n}`);
    [[0, 2], [4, 3], [1, 1]].forEach(([u, i], k) =>
      close(m.estimate(u, i), py.est[k])
    );
  }
});

Deno.test("clusterAverages: cluster means, the training mean for an empty cluster", () => {
  // one rating per user: u0→i0 (5), u1→i1 (1); both users in cluster 0
  const t = buildTrainset(
    Int32Array.from([0, 1]),
    Int32Array.from([0, 1]),
    Float32Array.from([5, 1]),
    2,
    2,
  );
  const a = clusterAverages(
    t,
    Int32Array.from([0, 0]),
    Int32Array.from([0, 1]),
    2,
    2,
  );
  assert.deepEqual([...a.user], [3, 3]); // cluster 1 empty → μ = 3
  assert.deepEqual([...a.item], [5, 1]);
  assert.deepEqual([...a.co], [5, 1, 3, 3]);
});

Deno.test("fitCoClustering: unknown ids predict the training mean; deterministic per seed", () => {
  const m = fitCoClustering(T);
  close(m.estimate(-1, 0), T.globalMean);
  close(m.estimate(0, -1), T.globalMean);
  assert.deepEqual(
    fitCoClustering(T, { seed: 5 }).itemCluster,
    fitCoClustering(T, { seed: 5 }).itemCluster,
  );
});
