import assert from "node:assert/strict";
import { baselinePredict, nanMean, ratingMeans } from "./baselines.ts";

/** 5 users × 6 items (0 = unrated); item 5 has no rating. */
const T = [
  [4, 0, 3, 5, 0, 0],
  [0, 2, 4, 0, 1, 0],
  [5, 5, 0, 3, 0, 0],
  [1, 0, 0, 4, 2, 0],
  [3, 4, 0, 0, 5, 0],
];
/** numpy 2.4, the blog's benchmarks(): movie-mean and averaged predictions, NaN → nanmean. */
const NUMPY_ITEM_ROW = [
  3.25,
  3.6666666666666665,
  3.5,
  4.0,
  2.6666666666666665,
  3.416666666666667,
];
const NUMPY_AVERAGE = [
  [3.625, 3.833333333333333, 3.75, 4.0, 3.333333333333333, 3.408333333333333],
  [
    2.791666666666667,
    3.0,
    2.916666666666667,
    3.166666666666667,
    2.5,
    3.408333333333333,
  ],
  [
    3.7916666666666665,
    4.0,
    3.9166666666666665,
    4.166666666666666,
    3.5,
    3.408333333333333,
  ],
  [
    2.791666666666667,
    3.0,
    2.916666666666667,
    3.166666666666667,
    2.5,
    3.408333333333333,
  ],
  [3.625, 3.833333333333333, 3.75, 4.0, 3.333333333333333, 3.408333333333333],
];

const users: number[] = [], items: number[] = [], ratings: number[] = [];
T.forEach((row, u) =>
  row.forEach((x, i) => {
    if (x) {
      users.push(u);
      items.push(i);
      ratings.push(x);
    }
  })
);
const train = {
  users: Int32Array.from(users),
  items: Int32Array.from(items),
  ratings: Float32Array.from(ratings),
};
const allU = Int32Array.from({ length: 30 }, (_, c) => Math.floor(c / 6));
const allI = Int32Array.from({ length: 30 }, (_, c) => c % 6);

Deno.test("ratingMeans gives the mean over rated cells and NaN for an unrated item", () => {
  const m = ratingMeans(train, 5, 6);
  assert.deepEqual([...m.userMean], [4, 7 / 3, 13 / 3, 7 / 3, 4]);
  assert.ok(Number.isNaN(m.itemMean[5]));
  assert.equal(m.itemMean[0], 13 / 4);
});

Deno.test("baselinePredict matches the blog's dense benchmarks with NaN replaced by nanmean", () => {
  const m = ratingMeans(train, 5, 6);
  const item = baselinePredict("item", m, allU, allI);
  const avg = baselinePredict("average", m, allU, allI);
  const user = baselinePredict("user", m, allU, allI);
  for (let c = 0; c < 30; c++) {
    assert.ok(Math.abs(item[c] - NUMPY_ITEM_ROW[c % 6]) < 1e-15, `item ${c}`);
    assert.ok(
      Math.abs(avg[c] - NUMPY_AVERAGE[Math.floor(c / 6)][c % 6]) < 1e-15,
      `average ${c}`,
    );
    assert.equal(user[c], m.userMean[Math.floor(c / 6)]);
  }
});

Deno.test("nanMean skips NaN and is NaN for no values", () => {
  assert.equal(nanMean(new Float64Array([1, NaN, 3])), 2);
  assert.ok(Number.isNaN(nanMean(new Float64Array([NaN]))));
});

Deno.test("ratingMeans rejects a zero rating and an out-of-range index", () => {
  assert.throws(
    () =>
      ratingMeans(
        { ...train, ratings: new Float32Array(train.ratings.length) },
        5,
        6,
      ),
    /rating 0 at row 0 is not a positive number/,
  );
  assert.throws(() => ratingMeans(train, 5, 4), /item 4 outside 5 × 4/);
});
