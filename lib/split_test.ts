import assert from "node:assert/strict";
import { loadMovieLens } from "./data/load.ts";
import { movieLensTestDir } from "./data/test_data_dir.ts";
import type { IdMap, Interactions } from "./data/interactions.ts";
import { RandomState } from "./rng.ts";
import { csrFromCoo } from "./sparse.ts";
import {
  type ImplicitSplitOptions,
  implicitTrainTestSplit,
  maskSplit,
  perUserHoldout,
  pythonRound,
  randomTrainTestSplit,
  sklearnTrainTestSplit,
  type Split,
  takeRows,
} from "./split.ts";

// Reference values were generated once with numpy 2.4 / scipy 1.17 and are
// embedded; the tests never call Python.

function identityMap(n: number): IdMap {
  const raw = new Int32Array(n);
  const toIndex = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    raw[i] = i;
    toIndex.set(i, i);
  }
  return { raw, toIndex };
}

function makeData(
  users: number[],
  items: number[],
  ratings: number[],
  nUsers: number,
  nItems: number,
): Interactions {
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float32Array.from(ratings),
    timestamps: new Float64Array(users.length).map((_, i) => 1000 + i),
    nUsers,
    nItems,
    userIds: identityMap(nUsers),
    itemIds: identityMap(nItems),
    itemInfo: new Map([[0, { title: "Zero (1990)", genres: ["Drama"] }]]),
  };
}

/** Sum over positions k of k * a[k]. */
function indexChecksum(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += k * a[k];
  return s;
}

function assertPartition(split: Split, n: number): void {
  const seen = new Uint8Array(n);
  for (const r of [...split.train, ...split.test]) {
    assert.ok(r >= 0 && r < n, `row ${r} out of range`);
    assert.equal(seen[r], 0, `row ${r} appears twice`);
    seen[r] = 1;
  }
  assert.equal(split.train.length + split.test.length, n);
}

Deno.test("randomTrainTestSplit reproduces Spotlight's split of 100000 rows with RandomState(42)", () => {
  const s = randomTrainTestSplit(100000, 0.2, new RandomState(42));
  assert.equal(s.train.length, 80000);
  assert.equal(s.test.length, 20000);
  assert.deepEqual(Array.from(s.train.subarray(0, 10)), [
    75721,
    80184,
    19864,
    76699,
    92991,
    76434,
    84004,
    80917,
    60767,
    50074,
  ]);
  assert.deepEqual(Array.from(s.test.subarray(0, 10)), [
    98877,
    24044,
    48435,
    72179,
    80645,
    21601,
    95368,
    67951,
    67078,
    74397,
  ]);
  assert.equal(indexChecksum(s.train), 160307343917105);
  assert.equal(indexChecksum(s.test), 9930096850218);
  assertPartition(s, 100000);
});

Deno.test("randomTrainTestSplit truncates (1 - testFraction) * n like Python's int()", () => {
  // (1 - 0.3) * 10 = 7.000000000000001 → 7; (1 - 0.7) * 10 = 3.0000000000000004 → 3
  assert.equal(
    randomTrainTestSplit(10, 0.3, new RandomState(1)).train.length,
    7,
  );
  assert.equal(
    randomTrainTestSplit(10, 0.7, new RandomState(1)).train.length,
    3,
  );
  // (1 - 0.1) * 3 = 2.7 → 2
  assert.equal(
    randomTrainTestSplit(3, 0.1, new RandomState(1)).train.length,
    2,
  );
  assert.throws(
    () => randomTrainTestSplit(10, 1.5, new RandomState(1)),
    /testFraction 1.5/,
  );
});

Deno.test("sklearnTrainTestSplit reproduces train_test_split(test_size=0.25, random_state=300)", () => {
  const s = sklearnTrainTestSplit(100000, 0.25, new RandomState(300));
  assert.equal(s.test.length, 25000);
  assert.equal(s.train.length, 75000);
  assert.deepEqual(Array.from(s.test.subarray(0, 10)), [
    96427,
    28431,
    63265,
    9684,
    38057,
    17635,
    24537,
    67209,
    52586,
    20281,
  ]);
  assert.deepEqual(Array.from(s.train.subarray(0, 10)), [
    20700,
    48451,
    10774,
    14010,
    60347,
    84582,
    61997,
    46347,
    25923,
    94789,
  ]);
  assert.equal(indexChecksum(s.train), 140628693861316);
  assert.equal(indexChecksum(s.test), 15611632905591);
  assertPartition(s, 100000);
  // n_test = ceil(0.25 * 10) = 3
  assert.equal(
    sklearnTrainTestSplit(10, 0.25, new RandomState(0)).test.length,
    3,
  );
  assert.throws(
    () => sklearnTrainTestSplit(10, 0, new RandomState(0)),
    /testSize 0/,
  );
  assert.throws(
    () => sklearnTrainTestSplit(1, 0.5, new RandomState(0)),
    /empty/,
  );
});

Deno.test("maskSplit reproduces np.random.seed(7); rand(100004) < 0.8", () => {
  const s = maskSplit(100004, 0.8, new RandomState(7));
  assert.equal(s.train.length, 79831);
  assert.deepEqual(Array.from(s.train.subarray(0, 10)), [
    0,
    1,
    2,
    3,
    5,
    6,
    7,
    8,
    9,
    10,
  ]);
  assert.deepEqual(Array.from(s.test.subarray(0, 10)), [
    4,
    11,
    15,
    18,
    21,
    24,
    35,
    47,
    60,
    66,
  ]);
  assert.equal(indexChecksum(s.train), 212398229461571);
  assert.equal(indexChecksum(s.test), 13574870177059);
  assertPartition(s, 100004);
});

Deno.test("random splits are deterministic for a seed and differ across seeds", () => {
  for (
    const f of [
      (rs: RandomState) => randomTrainTestSplit(500, 0.2, rs),
      (rs: RandomState) => sklearnTrainTestSplit(500, 0.2, rs),
      (rs: RandomState) => maskSplit(500, 0.8, rs),
    ]
  ) {
    const a = f(new RandomState(3)),
      b = f(new RandomState(3)),
      c = f(new RandomState(4));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
    assertPartition(a, 500);
  }
});

// A 4 × 5 matrix in file order with a duplicated pair (user 0, item 4: 1 + 2),
// a pair summing to a positive value from a negative row (user 3, item 2:
// -1 + 2) and an explicit zero (user 0, item 0).
const SMALL = makeData(
  [2, 0, 1, 0, 3, 2, 0, 1, 3, 2, 1, 0],
  [1, 4, 0, 4, 2, 3, 0, 2, 2, 0, 1, 2],
  [5, 1, 3, 2, -1, 4, 0, 1, 2, 3, 4, 5],
  4,
  5,
);

function dense(data: Interactions, rows: Int32Array): number[][] {
  const sub = takeRows(data, rows);
  const m = csrFromCoo(
    sub.users,
    sub.items,
    sub.ratings,
    data.nUsers,
    data.nItems,
  );
  const out = Array.from(
    { length: m.nRows },
    () => new Array<number>(m.nCols).fill(0),
  );
  for (let r = 0; r < m.nRows; r++) {
    for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) {
      out[r][m.indices[e]] = m.data[e];
    }
  }
  return out;
}

Deno.test("implicitTrainTestSplit matches implicit's train_test_split on a CSR input (scipy reference)", () => {
  // Draws per coalesced entry, seed 3: .551 .708 .291 .511 .893 .896 .126 .207 .051 .441
  const s = implicitTrainTestSplit(SMALL, 0.5, new RandomState(3));
  assert.deepEqual(dense(SMALL, s.train), [
    [0, 0, 0, 0, 3],
    [0, 0, 0, 0, 0],
    [3, 5, 0, 4, 0],
    [0, 0, 1, 0, 0],
  ]);
  assert.deepEqual(dense(SMALL, s.test), [
    [0, 0, 5, 0, 0],
    [3, 4, 1, 0, 0],
    [0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0],
  ]);
  // Test drops the explicit zero (0, 0): it is in neither side.
  assert.equal(s.train.length + s.test.length, 11);
  assert.ok(!s.test.includes(6) && !s.train.includes(6));
  // Rows come in row-major order, duplicates together.
  assert.deepEqual(Array.from(s.train), [1, 3, 9, 0, 5, 4, 8]);

  const s11 = implicitTrainTestSplit(SMALL, 0.6, new RandomState(11));
  assert.deepEqual(dense(SMALL, s11.train), [
    [0, 0, 5, 0, 3],
    [0, 4, 1, 0, 0],
    [3, 5, 0, 0, 0],
    [0, 0, 0, 0, 0],
  ]);
  assert.deepEqual(dense(SMALL, s11.test), [
    [0, 0, 0, 0, 0],
    [3, 0, 0, 0, 0],
    [0, 0, 0, 4, 0],
    [0, 0, 1, 0, 0],
  ]);
});

Deno.test("implicitTrainTestSplit with order 'file' matches a coo_matrix input", () => {
  const s = implicitTrainTestSplit(SMALL, 0.5, new RandomState(3), {
    order: "file",
  });
  assert.deepEqual(dense(SMALL, s.train), [
    [0, 0, 5, 0, 0],
    [3, 4, 1, 0, 0],
    [3, 0, 0, 0, 0],
    [0, 0, 2, 0, 0],
  ]);
  assert.deepEqual(dense(SMALL, s.test), [
    [0, 0, 0, 0, 3],
    [0, 0, 0, 0, 0],
    [0, 5, 0, 4, 0],
    [0, 0, 0, 0, 0],
  ]);
  // The negative test row (user 3, item 2, -1) is dropped.
  assert.ok(!s.test.includes(4) && !s.train.includes(4));
  const bad = { order: "x" } as unknown as ImplicitSplitOptions;
  assert.throws(
    () => implicitTrainTestSplit(SMALL, 0.5, new RandomState(3), bad),
    /order "x"/,
  );
});

Deno.test("pythonRound rounds half to even like Python 3's round", () => {
  assert.equal(pythonRound(0.5), 0);
  assert.equal(pythonRound(1.5), 2);
  assert.equal(pythonRound(2.5), 2);
  assert.equal(pythonRound(3.5), 4);
  assert.equal(pythonRound(2.4999999), 2);
  assert.equal(pythonRound(2.5000001), 3);
  assert.ok(Object.is(pythonRound(-0.5), 0));
  assert.equal(pythonRound(-1.5), -2);
  assert.equal(pythonRound(-2.5), -2);
  assert.equal(pythonRound(-2.6), -3);
  assert.equal(pythonRound(0.8 * 5), 4);
  assert.equal(pythonRound(2 ** 53), 2 ** 53);
  assert.throws(() => pythonRound(NaN), /NaN is not a finite number/);
});

Deno.test("perUserHoldout keeps each user's first round(0.8 n_u) rows in file order", () => {
  // user 0 has 5 rows (train 4), user 1 has 2 (0.8*2 = 1.6 → 2), user 2 has
  // 3 (2.4 → 2), user 3 has 1 (0.8 → 1); python-round and floor differ.
  const d = makeData(
    [0, 1, 0, 2, 0, 2, 0, 1, 2, 0, 3],
    [0, 0, 1, 0, 2, 1, 3, 1, 2, 4, 0],
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    4,
    5,
  );
  const s = perUserHoldout(d, 0.2, {
    shuffle: false,
    rounding: "python-round",
  });
  assert.deepEqual(Array.from(s.train), [0, 2, 4, 6, 1, 7, 3, 5, 10]);
  assert.deepEqual(Array.from(s.test), [9, 8]);
  const f = perUserHoldout(d, 0.2, { shuffle: false, rounding: "floor" });
  assert.deepEqual(Array.from(f.train), [0, 2, 4, 6, 1, 3, 5]);
  assert.deepEqual(Array.from(f.test), [9, 7, 8, 10]);
  // 0.5 · 5 = 2.5 rounds to 2 (half to even), not 3.
  const h = perUserHoldout(d, 0.5, {
    shuffle: false,
    rounding: "python-round",
  });
  assert.deepEqual(Array.from(h.train).filter((r) => d.users[r] === 0), [0, 2]);
});

Deno.test("perUserHoldout shuffled is a seeded per-user partition", () => {
  const users: number[] = [], items: number[] = [];
  for (let u = 0; u < 20; u++) {
    for (let i = 0; i < 3 + u; i++) {
      users.push(u);
      items.push(i);
    }
  }
  const d = makeData(users, items, users.map(() => 4), 20, 40);
  const opts = { shuffle: true, rounding: "python-round" as const };
  const a = perUserHoldout(d, 0.2, { ...opts, rs: new RandomState(5) });
  const b = perUserHoldout(d, 0.2, { ...opts, rs: new RandomState(5) });
  const c = perUserHoldout(d, 0.2, { ...opts, rs: new RandomState(6) });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.train, c.train);
  assertPartition(a, users.length);
  for (let u = 0; u < 20; u++) {
    const nu = 3 + u;
    const nTrain = Array.from(a.train).filter((r) => d.users[r] === u).length;
    assert.equal(nTrain, pythonRound(0.8 * nu), `user ${u}`);
  }
  assert.throws(
    () => perUserHoldout(d, 0.2, { shuffle: true, rounding: "floor" }),
    /needs a RandomState/,
  );
});

Deno.test("takeRows subsets the arrays and keeps sizes, id maps and itemInfo", () => {
  const sub = takeRows(SMALL, Int32Array.from([4, 0, 4]));
  assert.deepEqual(Array.from(sub.users), [3, 2, 3]);
  assert.deepEqual(Array.from(sub.items), [2, 1, 2]);
  assert.deepEqual(Array.from(sub.ratings), [-1, 5, -1]);
  assert.deepEqual(Array.from(sub.timestamps), [1004, 1000, 1004]);
  assert.equal(sub.nUsers, 4);
  assert.equal(sub.nItems, 5);
  assert.equal(sub.userIds, SMALL.userIds);
  assert.equal(sub.itemIds, SMALL.itemIds);
  assert.equal(sub.itemInfo, SMALL.itemInfo);
  assert.throws(
    () => takeRows(SMALL, Int32Array.from([12])),
    /rows\[0\] = 12 lies outside the 12 rows/,
  );
  // Data loaded without timestamps gives a subset without them.
  const lean = takeRows(
    { ...SMALL, timestamps: new Float64Array(0) },
    Int32Array.from([4, 0]),
  );
  assert.equal(lean.timestamps.length, 0);
  assert.deepEqual(Array.from(lean.ratings), [-1, 5]);
});

const DATA_DIR = movieLensTestDir();

/** ML-100K through the real loader (users and items dense by ascending raw id). */
async function loadUData(): Promise<Interactions> {
  const { data } = await loadMovieLens("ml-100k", {
    dataDir: DATA_DIR!,
    download: false,
    items: false,
  });
  return data;
}

Deno.test({
  name:
    "real data: perUserHoldout on ML-100K gives exactly 80,000 / 20,000 like recoflow's StratifiedSplit",
  ignore: DATA_DIR === null,
}, async () => {
  const data = await loadUData();
  assert.equal(data.users.length, 100000);
  const s = perUserHoldout(data, 0.2, {
    shuffle: false,
    rounding: "python-round",
  });
  assert.equal(s.train.length, 80000);
  assert.equal(s.test.length, 20000);
  assert.deepEqual(Array.from(s.train.subarray(0, 5)), [
    202,
    305,
    333,
    334,
    478,
  ]);
  assert.deepEqual(Array.from(s.test.subarray(0, 5)), [
    53552,
    54634,
    55001,
    55636,
    56067,
  ]);
  assert.equal(indexChecksum(s.train), 171087884680338);
  assert.equal(indexChecksum(s.test), 17722926817116);
  assertPartition(s, 100000);
});

Deno.test({
  name:
    "real data: implicitTrainTestSplit on ML-100K matches implicit < 0.5 with RandomState(42)",
  ignore: DATA_DIR === null,
}, async () => {
  const data = await loadUData();
  const s = implicitTrainTestSplit(data, 0.8, new RandomState(42));
  assert.equal(s.train.length, 80095);
  assert.equal(s.test.length, 19905);
  let keySum = 0;
  for (const r of s.train) {
    keySum += data.users[r] * data.nItems + data.items[r];
  }
  assert.equal(keySum, 62216635503);
  assert.deepEqual(Array.from(s.train.subarray(0, 5), (r) => data.items[r]), [
    0,
    2,
    3,
    4,
    5,
  ]);
});
