import assert from "node:assert/strict";
import { csrFromCoo } from "../sparse.ts";
import { itemPopularity, recommendPopular } from "./popularity.ts";

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
