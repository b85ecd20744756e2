import assert from "node:assert/strict";
import type { RatingTriples } from "./embedding_mf/embedding_mf.ts";
import { cosineCfPredict, userCosineSimilarity } from "./cosine_cf.ts";

/** 5 users × 6 items, 0 = unrated; item 5 has no rating in T, user 4 none in R. */
const T = [
  [4, 0, 3, 5, 0, 0],
  [0, 2, 4, 0, 1, 0],
  [5, 5, 0, 3, 0, 0],
  [1, 0, 0, 4, 2, 0],
  [3, 4, 0, 0, 5, 0],
];
const R = [
  [0, 3, 0, 0, 2, 4],
  [5, 0, 0, 1, 0, 3],
  [0, 0, 2, 0, 4, 1],
  [0, 3, 5, 0, 0, 2],
  [0, 0, 0, 0, 0, 0],
];

/**
 * numpy 2.4 with the blog's dense code: `usim = 1 - cosine_distances(T)`
 * (sklearn's formula: normalise rows, 1 − XXᵀ clipped to [0, 2], diagonal 0)
 * and `predict(R, sim, 'user' | 'item')`, every cell of the 5 × 6 result.
 */
const NUMPY = {
  usim: [
    1.0,
    0.3703280399090205,
    0.6444022325288263,
    0.7406560798180412,
    0.24,
    0.3703280399090205,
    1.0,
    0.2840954948635681,
    0.09523809523809523,
    0.40118870990143896,
    0.6444022325288263,
    0.2840954948635681,
    1.0,
    0.4829623412680657,
    0.6444022325288263,
    0.7406560798180412,
    0.09523809523809523,
    0.4829623412680657,
    1.0,
    0.40118870990143896,
    0.24,
    0.40118870990143896,
    0.6444022325288263,
    0.40118870990143896,
    1.0,
  ],
  user: [
    3.2472656254376795,
    2.917578124854107,
    3.3403988452950513,
    2.7527343745623205,
    3.0247059017363966,
    2.7173171281144453,
    3.929864790165602,
    2.985240241425943,
    3.0297703932505686,
    2.070135209834398,
    3.047964495537367,
    2.9370248697861214,
    2.5192680822603406,
    2.280651821137348,
    2.4876609357026886,
    2.1473985844063264,
    2.6678590198277785,
    1.8971615566655187,
    3.403360180181206,
    3.2107863513495563,
    3.886882665918,
    3.263306486485461,
    3.3569657181955264,
    2.8786985978702515,
    NaN,
    NaN,
    NaN,
    NaN,
    NaN,
    NaN,
  ],
  item: [
    4.868908283008065,
    2.795353713859494,
    3.4319040335302677,
    0.9240414458681533,
    2.580887833662033,
    4.0,
    5.0,
    3.0,
    3.5,
    1.0,
    3.0,
    3.0,
    4.979040654759677,
    3.082366954618166,
    2.868764149396209,
    0.8419348530059674,
    3.3272892912867023,
    1.0,
    5.152051062232258,
    3.1222793315223405,
    4.199331817073523,
    1.2340237011258792,
    3.091822875051265,
    2.0,
    5.0,
    3.0,
    3.5,
    1.0,
    3.0,
    2.5,
  ],
};

function triples(m: number[][]): RatingTriples {
  const users: number[] = [], items: number[] = [], ratings: number[] = [];
  m.forEach((row, u) =>
    row.forEach((x, i) => {
      if (x !== 0) {
        users.push(u);
        items.push(i);
        ratings.push(x);
      }
    })
  );
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float32Array.from(ratings),
  };
}

/** Every cell, row-major, in reverse order (predictions need not be grouped). */
const cells = Array.from({ length: 30 }, (_, j) => 29 - j);
const qUsers = Int32Array.from(cells, (c) => Math.floor(c / 6));
const qItems = Int32Array.from(cells, (c) => c % 6);

function assertCells(got: Float64Array, want: number[], what: string) {
  cells.forEach((c, j) => {
    if (Number.isNaN(want[c])) {
      assert.ok(Number.isNaN(got[j]), `${what} cell ${c}: ${got[j]} not NaN`);
    } else {
      assert.ok(
        Math.abs(got[j] - want[c]) <= 1e-13,
        `${what} cell ${c}: ${got[j]} vs ${want[c]}`,
      );
    }
  });
}

Deno.test("userCosineSimilarity equals 1 − sklearn cosine_distances on a 5 × 6 case", () => {
  const sim = userCosineSimilarity(triples(T), 5, 6);
  NUMPY.usim.forEach((x, j) => assert.ok(Math.abs(sim[j] - x) <= 1e-15));
});

for (const kind of ["user", "item"] as const) {
  Deno.test(`cosineCfPredict "${kind}" equals the blog's dense predict() in every cell, NaN included`, () => {
    const got = cosineCfPredict({
      kind,
      similarityFrom: triples(T),
      ratingsFrom: triples(R),
      nUsers: 5,
      nItems: 6,
      users: qUsers,
      items: qItems,
    });
    assertCells(got, NUMPY[kind], kind);
  });
}

Deno.test("cosineCfPredict item-based returns the held rating itself for an item without similarity data (the blog's leak)", () => {
  // Item 5 has no rating in T: its similarity row is the unit vector, so the
  // prediction is mean_R(5) + Δ[u, 5] = R[u, 5].
  const got = cosineCfPredict({
    kind: "item",
    similarityFrom: triples(T),
    ratingsFrom: triples(R),
    nUsers: 5,
    nItems: 6,
    users: new Int32Array([0, 1, 2, 3]),
    items: new Int32Array([5, 5, 5, 5]),
  });
  assert.deepEqual([...got], [4, 3, 1, 2]);
});

Deno.test("cosineCfPredict rejects zero ratings, out-of-range pairs and length mismatches", () => {
  const base = {
    kind: "user" as const,
    similarityFrom: triples(T),
    ratingsFrom: triples(R),
    nUsers: 5,
    nItems: 6,
    users: new Int32Array([0]),
    items: new Int32Array([0]),
  };
  const zero = triples(T);
  zero.ratings[3] = 0;
  assert.throws(
    () => cosineCfPredict({ ...base, similarityFrom: zero }),
    /rating 0 at row 3 is not a positive number/,
  );
  assert.throws(
    () => cosineCfPredict({ ...base, items: new Int32Array([6]) }),
    /prediction 0 \(0, 6\) lies outside 5 × 6/,
  );
  assert.throws(
    () => cosineCfPredict({ ...base, users: new Int32Array([0, 1]) }),
    /2 users but 1 items/,
  );
});
