import assert from "node:assert/strict";
import { NUMPY_100K_FOLDS, positionChecksum } from "./kfold_numpy_fixture.ts";
import { foldBoundaries, foldTrainOrder, kFold } from "./kfold.ts";
import { RandomState } from "./rng.ts";

Deno.test("foldBoundaries: the first n % k folds take one extra row", () => {
  assert.deepEqual([...foldBoundaries(13, 5)], [0, 3, 6, 9, 11, 13]);
  assert.deepEqual([...foldBoundaries(10, 5)], [0, 2, 4, 6, 8, 10]);
  assert.deepEqual([...foldBoundaries(7, 7)], [0, 1, 2, 3, 4, 5, 6, 7]);
});

Deno.test("foldBoundaries: rejects k < 2 and k > n", () => {
  assert.throws(() => foldBoundaries(10, 1), /n_splits 1/);
  assert.throws(() => foldBoundaries(3, 4), /n_splits 4/);
  assert.throws(() => foldBoundaries(-1, 2), /n -1/);
});

/**
 * numpy 2.4: `idx = np.arange(13); np.random.RandomState(0).shuffle(idx)`
 * → [6, 11, 4, 10, 2, 8, 1, 7, 9, 3, 0, 5, 12]; folds [0,3) [3,6) [6,9) [9,11) [11,13).
 */
Deno.test("kFold: 13 rows, 5 folds, RandomState(0) equal Surprise's KFold slices", () => {
  const folds = kFold(13, 5, new RandomState(0));
  assert.deepEqual(folds.map((f) => [...f.test]), [
    [6, 11, 4],
    [10, 2, 8],
    [1, 7, 9],
    [3, 0],
    [5, 12],
  ]);
  assert.deepEqual([...folds[1].train], [6, 11, 4, 1, 7, 9, 3, 0, 5, 12]);
  assert.deepEqual([...folds[4].train], [6, 11, 4, 10, 2, 8, 1, 7, 9, 3, 0]);
  assert.deepEqual(folds.map((f) => [f.start, f.stop]), [
    [0, 3],
    [3, 6],
    [6, 9],
    [9, 11],
    [11, 13],
  ]);
});

Deno.test("kFold: every row is in exactly one test fold and in k - 1 training folds", () => {
  const n = 1001, k = 7;
  const folds = kFold(n, k, new RandomState(3));
  const inTest = new Int32Array(n), inTrain = new Int32Array(n);
  for (const f of folds) {
    for (const r of f.test) inTest[r]++;
    for (const r of f.train) inTrain[r]++;
  }
  assert.ok(inTest.every((c) => c === 1));
  assert.ok(inTrain.every((c) => c === k - 1));
});

Deno.test("kFold: rs null keeps file order (shuffle=False)", () => {
  const folds = kFold(5, 2, null);
  assert.deepEqual([...folds[0].test], [0, 1, 2]);
  assert.deepEqual([...folds[1].test], [3, 4]);
  assert.deepEqual([...folds[1].train], [0, 1, 2]);
});

Deno.test("kFold: 100,000 rows with RandomState(0) match numpy's shuffle fold by fold", () => {
  const folds = kFold(100000, 5, new RandomState(0));
  folds.forEach((f, j) => {
    assert.equal(f.test.length, 20000);
    assert.equal(f.train.length, 80000);
    assert.deepEqual([...f.test.subarray(0, 6)], NUMPY_100K_FOLDS[j].head);
    assert.deepEqual([...f.test.subarray(-2)], NUMPY_100K_FOLDS[j].tail);
    assert.equal(positionChecksum(f.test), NUMPY_100K_FOLDS[j].sum);
  });
});

Deno.test("foldTrainOrder: rows before the slice, then rows after it", () => {
  const s = Int32Array.from([9, 8, 7, 6, 5]);
  assert.deepEqual([...foldTrainOrder(s, 1, 3)], [9, 6, 5]);
  assert.deepEqual([...foldTrainOrder(s, 0, 5)], []);
});
