import assert from "node:assert/strict";
import { mae, maxAbsDiff, mse, rankingMetricsAtK, rmse } from "./metrics.ts";
import { RandomState } from "./rng.ts";
import { type Csr, csrFromCoo } from "./sparse.ts";

/** A users × items CSR with value 1 at each listed (user, item). */
function csrOf(rows: number[][], nItems: number): Csr {
  const r: number[] = [], c: number[] = [];
  rows.forEach((items, u) =>
    items.forEach((i) => {
      r.push(u);
      c.push(i);
    })
  );
  return csrFromCoo(
    Int32Array.from(r),
    Int32Array.from(c),
    new Float32Array(r.length).fill(1),
    rows.length,
    nItems,
  );
}

function close(actual: number, expected: number, what: string, tol = 1e-12) {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: ${actual} != ${expected}`,
  );
}

Deno.test("rmse and mae match hand-computed values", () => {
  const pred = Float64Array.from([1, 2, 3]);
  const actual = Float32Array.from([2, 2, 5]);
  // errors -1, 0, -2: squares sum to 5, absolute values to 3
  close(rmse(pred, actual), Math.sqrt(5 / 3), "rmse"); // 1.2909944...
  close(mae(pred, actual), 1, "mae");
  assert.equal(rmse(actual, actual), 0);
});

Deno.test("mse matches hand-computed values and sums its squares in index order", () => {
  // errors -1, 0, -2: squares sum to 5
  assert.equal(
    mse(Float64Array.from([1, 2, 3]), Float32Array.from([2, 2, 5])),
    5 / 3,
  );
  // 1e16 + 1 + 1 in index order loses both ones (1e16 + 1 rounds to 1e16);
  // any other order or pairwise sum would keep 2 of them.
  const pred = Float64Array.from([1e8, 1, 1]);
  assert.equal(mse(pred, new Float64Array(3)), 1e16 / 3);
  assert.throws(
    () => mse(new Float32Array(2), new Float32Array(3)),
    /mse: pred has 2 values but actual has 3/,
  );
  assert.throws(() => mse(new Float32Array(0), new Float32Array(0)), /empty/);
});

Deno.test("rmse and mae accumulate in float64 over many float32 values", () => {
  const n = 1_000_000;
  const pred = new Float32Array(n).fill(0.1);
  const actual = new Float32Array(n);
  // Float32 accumulation would drift by ~1e-3 relative at this n.
  close(rmse(pred, actual), Math.fround(0.1), "rmse", 1e-12);
  close(mae(pred, actual), Math.fround(0.1), "mae", 1e-12);
});

Deno.test("rmse and mae reject mismatched or empty inputs with clear errors", () => {
  assert.throws(
    () => rmse(new Float32Array(3), new Float32Array(2)),
    /rmse: pred has 3 values but actual has 2/,
  );
  assert.throws(
    () => mae(new Float64Array(1), new Float64Array(4)),
    /mae: pred has 1 values but actual has 4/,
  );
  assert.throws(() => rmse(new Float32Array(0), new Float32Array(0)), /empty/);
});

Deno.test("mse equals the float64 mean of squared errors in index order, not rmse squared", () => {
  const pred = Float64Array.from([1, 2, 3]);
  const actual = Float32Array.from([2, 2, 5]);
  assert.equal(mse(pred, actual), 5 / 3);
  assert.equal(mse(actual, actual), 0);
  // The same sum as a hand loop, bit for bit, on float32 inputs.
  const p = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 2 + 3);
  const a = Float32Array.from({ length: 1000 }, (_, i) => 1 + (i % 5));
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - a[i]) ** 2;
  assert.equal(mse(p, a), s / p.length);
  assert.throws(
    () => mse(new Float32Array(2), new Float32Array(3)),
    /mse: pred has 2 values but actual has 3/,
  );
  assert.throws(() => mse(new Float32Array(0), new Float32Array(0)), /empty/);
});

// Four users, six items, k = 3. User 1 has no test items and is skipped.
//   user 0: T = {1, 3},       list [1, 2, 3]   hits at ranks 1, 3
//   user 2: T = {0, 2, 4, 5}, list [3, 5, -1]  hit at rank 2, then a pad
//   user 3: T = {2},          list [4, 0, 1]   no hit
const TEST = csrOf([[1, 3], [], [0, 4, 5, 2], [2]], 6);
const RECS = Int32Array.from([1, 2, 3, 0, 1, 2, 3, 5, -1, 4, 0, 1]);
const L3 = 1 / Math.log2(3); // 0.6309297535714575

Deno.test("rankingMetricsAtK matches hand-computed precision, recall, MAP, NDCG, AUC", () => {
  const m = rankingMetricsAtK(RECS, TEST, 3);
  assert.equal(m.users, 3);
  // precision: hits (2 + 1 + 0) / Σ min(k, |T|) (2 + 3 + 1) = 3 / 6
  close(m.precision, 0.5, "precision");
  // recall: mean(2/2, 1/4, 0/1) = 1.25 / 3
  close(m.recall, 1.25 / 3, "recall");
  // AP: user 0 (1/1 + 2/3) / 2 = 5/6; user 2 (1/2) / 3 = 1/6; user 3 0 → 1/3
  close(m.map, 1 / 3, "map");
  // NDCG: user 0 (1 + 1/2) / (1 + 1/log2 3) = 0.91972...;
  //       user 2 (1/log2 3) / (1 + 1/log2 3 + 1/2) = 0.29608...; user 3 0
  //       mean (0.9197208 + 0.2960819 + 0) / 3 = 0.4052676
  const ndcg = (1.5 / (1 + L3) + L3 / (1.5 + L3)) / 3;
  close(m.ndcg, ndcg, "ndcg");
  close(m.ndcg, 0.40526756670, "ndcg (decimal)", 1e-10);
  // AUC: user 0 P=2 N=4: miss after 1 hit → 1; + (2+2)/2·(4−1) = 6 → 7/8
  //      user 2 P=4 N=2: miss 0, hit, miss(+1) → 1; + (1+4)/2·(2−2) → 1/8
  //      user 3 P=1 N=5: 3 misses → 0; + (0+1)/2·(5−3) = 1 → 1/5
  close(m.auc, (0.875 + 0.125 + 0.2) / 3, "auc");
});

Deno.test("rankingMetricsAtK auc 'exclude-train' drops train items from the negatives", () => {
  // User 0 trained on items 0 and 4: N = 6 − 2 − 2 = 2;
  // AUC_0 = (1 + (2+2)/2·(2−1)) / (2·2) = 3/4. Others unchanged.
  const train = csrOf([[0, 4], [0], [], []], 6);
  const m = rankingMetricsAtK(RECS, TEST, 3, { train, auc: "exclude-train" });
  close(m.auc, (0.75 + 0.125 + 0.2) / 3, "auc");
  // With train given but the default mode, implicit's AUC is unchanged.
  close(
    rankingMetricsAtK(RECS, TEST, 3, { train }).auc,
    (0.875 + 0.125 + 0.2) / 3,
    "auc implicit",
  );
  assert.throws(
    () => rankingMetricsAtK(RECS, TEST, 3, { auc: "exclude-train" }),
    /needs options.train/,
  );
});

Deno.test("rankingMetricsAtK gives 1 for a perfect ranking and 0 with no hits", () => {
  const test = csrOf([[2, 5], [0], [1, 3, 4]], 6);
  const perfect = Int32Array.from([5, 2, 0, 0, 1, 2, 4, 1, 3]);
  const p = rankingMetricsAtK(perfect, test, 3);
  close(p.precision, 1, "precision");
  close(p.map, 1, "map");
  close(p.ndcg, 1, "ndcg");
  close(p.recall, 1, "recall");
  close(p.auc, 1, "auc");
  const none = Int32Array.from([0, 1, 3, 1, 2, 3, 0, 2, 5]);
  const z = rankingMetricsAtK(none, test, 3);
  assert.deepEqual(
    [z.precision, z.recall, z.map, z.ndcg],
    [0, 0, 0, 0],
  );
  // Precision stays 1 with more test items than k; recall then falls short.
  const big = csrOf([[0, 1, 2, 3, 4]], 6);
  const b = rankingMetricsAtK(Int32Array.from([4, 0, 2]), big, 3);
  close(b.precision, 1, "precision |T| > k");
  close(b.recall, 3 / 5, "recall |T| > k");
});

Deno.test("rankingMetricsAtK skips users without test items", () => {
  // Only user 1 has test items; the lists of users 0 and 2 must not matter.
  const test = csrOf([[], [3], []], 5);
  const a = rankingMetricsAtK(Int32Array.from([3, 1, 4]), test, 1);
  const b = rankingMetricsAtK(Int32Array.from([0, 1, -1]), test, 1);
  assert.deepEqual(a, b);
  assert.equal(a.users, 1);
  // User 1 recommended item 1 (a miss): P=1, N=4, AUC = (0+1)/2·(4−1)/4 = 3/8
  close(a.auc, 3 / 8, "auc");
  assert.throws(
    () =>
      rankingMetricsAtK(new Int32Array(3).fill(-1), csrOf([[], [], []], 4), 1),
    /no user has a test item/,
  );
});

Deno.test("rankingMetricsAtK validates shapes and item indices with clear errors", () => {
  assert.throws(
    () => rankingMetricsAtK(new Int32Array(11), TEST, 3),
    /recommended has 11 entries, expected nUsers × k = 4 × 3 = 12/,
  );
  assert.throws(
    () => rankingMetricsAtK(RECS, TEST, 0),
    /k 0 must be a positive integer/,
  );
  const bad = RECS.slice();
  bad[4] = 6;
  assert.throws(
    () => rankingMetricsAtK(bad, TEST, 3),
    /recommended\[4\] \(user 1, rank 2\) = 6 is not an item index in \[0, 6\)/,
  );
  assert.throws(
    () => rankingMetricsAtK(RECS, TEST, 3, { train: csrOf([[0]], 6) }),
    /train is 1 × 6 but test is 4 × 6/,
  );
});

Deno.test("rankingMetricsAtK equals a line-by-line transcription of implicit's loop (numpy reference)", () => {
  // Data drawn from RandomState(2024) in the same order in Python and here:
  // 50 users × 30 items, each test cell with probability 0.1; each user's
  // list is permutation(30)[:5] with the last slot set to -1 w.p. 0.2.
  const rs = new RandomState(2024);
  const nUsers = 50, nItems = 30, k = 5;
  const rows: number[][] = [];
  for (let u = 0; u < nUsers; u++) {
    const t: number[] = [];
    for (let i = 0; i < nItems; i++) if (rs.randomSample() < 0.1) t.push(i);
    rows.push(t);
  }
  const recs = new Int32Array(nUsers * k);
  for (let u = 0; u < nUsers; u++) {
    recs.set(rs.permutation(nItems).subarray(0, k), u * k);
    if (rs.randomSample() < 0.2) recs[u * k + k - 1] = -1;
  }
  const m = rankingMetricsAtK(recs, csrOf(rows, nItems), k);
  assert.equal(m.users, 46);
  close(m.precision, 0.15966386554621848, "precision", 1e-15);
  close(m.recall, 0.19275362318840578, "recall", 1e-15);
  close(m.map, 0.07605676328502416, "map", 1e-15);
  close(m.ndcg, 0.13111934949235368, "ndcg", 1e-15);
  close(m.auc, 0.5110864848406079, "auc", 1e-15);
});

Deno.test("mse is the float64 mean of squared differences; maxAbsDiff the largest |a − b|", () => {
  const a = Float32Array.of(1, 2, 4), b = Float64Array.of(2, 2, 1);
  assert.equal(mse(a, b), (1 + 0 + 9) / 3);
  assert.equal(rmse(a, b), Math.sqrt(mse(a, b)));
  assert.equal(maxAbsDiff(a, b), 3);
  assert.equal(maxAbsDiff(new Float32Array(0), new Float32Array(0)), 0);
  assert.ok(Number.isNaN(maxAbsDiff(Float32Array.of(NaN), Float32Array.of(0))));
  assert.throws(
    () => mse(a, Float32Array.of(1)),
    /mse: pred has 3 values but actual has 1/,
  );
  assert.throws(
    () => maxAbsDiff(a, Float32Array.of(1)),
    /maxAbsDiff: a has 3 values but b has 1/,
  );
});
