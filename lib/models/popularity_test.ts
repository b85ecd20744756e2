import assert from "node:assert/strict";
import { csrFromCoo } from "../sparse.ts";
import { itemPopularity, recommendPopular } from "./popularity.ts";
import { topKExcluding } from "./factor_model.ts";
import { RandomState } from "../rng.ts";

// 3 users × 4 items: item 2 is liked by all, item 0 by two, item 3 by one.
const train = csrFromCoo(
  Int32Array.of(0, 0, 1, 1, 2, 2),
  Int32Array.of(2, 0, 2, 3, 2, 0),
  Float32Array.of(5, 4, 3, 1, 2, 2),
  3,
  4,
);

Deno.test("itemPopularity counts users per item, ignoring rating values", () => {
  assert.deepEqual([...itemPopularity(train)], [2, 0, 3, 1]);
});

Deno.test("recommendPopular ranks by popularity and skips each user's own items", () => {
  assert.deepEqual([...recommendPopular(train, 2)], [3, 1, 0, 1, 3, 1]);
});

Deno.test("recommendPopular pads with -1 when too few items remain", () => {
  const row = recommendPopular(train, 3).subarray(0, 3);
  assert.deepEqual([...row], [3, 1, -1]);
});

Deno.test("recommendPopular equals topKExcluding of the popularity per user (ties by lower index)", () => {
  const rs = new RandomState(3);
  const us: number[] = [], is: number[] = [];
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 30; i++) {
      if (rs.randomSample() < 0.3 * (1 - i / 40)) {
        us.push(u);
        is.push(i);
      }
    }
  }
  const m = csrFromCoo(
    Int32Array.from(us),
    Int32Array.from(is),
    us.map(() => 1),
    40,
    30,
  );
  const pop = itemPopularity(m);
  const got = recommendPopular(m, 7);
  for (let u = 0; u < 40; u++) {
    const seen = m.indices.subarray(m.indptr[u], m.indptr[u + 1]);
    assert.deepEqual(
      got.subarray(u * 7, u * 7 + 7),
      topKExcluding(pop, 7, seen),
      `user ${u}`,
    );
  }
});
