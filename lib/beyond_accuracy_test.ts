import assert from "node:assert/strict";
import {
  averagePopularity,
  catalogueCoverage,
  intraListDiversity,
  itemPopularity,
  longTailShare,
  novelty,
  shortHead,
} from "./beyond_accuracy.ts";

// 4 users, 5 items. Item 0: users 0,1,2,3; item 1: users 0,1; item 2: user 0
// (twice); item 3: user 2; item 4: nobody.
const USERS = Int32Array.from([0, 1, 2, 3, 0, 1, 0, 0, 2]);
const ITEMS = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2, 3]);
const POP = itemPopularity(USERS, ITEMS, 4, 5);
const close = (a: number, b: number) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("itemPopularity: counts rows and distinct users per item", () => {
  assert.deepEqual([...POP.count], [4, 2, 2, 1, 0]);
  assert.deepEqual([...POP.users], [4, 2, 1, 1, 0]);
  assert.equal(POP.nUsers, 4);
  assert.equal(POP.nSeenItems, 4);
});

Deno.test("catalogueCoverage: distinct recommended items over training items", () => {
  const lists = [Int32Array.from([0, 1]), Int32Array.from([0, 3, -1])];
  assert.equal(catalogueCoverage(lists, POP), 3 / 4);
  assert.equal(catalogueCoverage([], POP), 0);
});

Deno.test("novelty: mean -log2(users(i)/users) over recommended pairs", () => {
  // items 0 (p=1 → 0 bits), 1 (p=1/2 → 1 bit), 3 (p=1/4 → 2 bits), 0 again.
  const lists = [Int32Array.from([0, 1]), Int32Array.from([3, 0])];
  close(novelty(lists, POP), (0 + 1 + 2 + 0) / 4);
  // item 4 (never seen) is skipped
  close(novelty([Int32Array.from([4, 3])], POP), 2);
  assert.ok(Number.isNaN(novelty([Int32Array.from([-1])], POP)));
});

Deno.test("averagePopularity: per-list mean training count, averaged over lists", () => {
  const lists = [
    Int32Array.from([0, 1]),
    Int32Array.from([3]),
    new Int32Array(),
  ];
  close(averagePopularity(lists, POP), ((4 + 2) / 2 + 1) / 2);
});

Deno.test("shortHead and longTailShare: head holds the top 20 % (here 50 %) of interactions", () => {
  // total 9; 20 % = 1.8 → item 0 alone (4) reaches it.
  assert.deepEqual([...shortHead(POP, 0.2)], [1, 0, 0, 0, 0]);
  // 50 % = 4.5 → items 0 then 1 (ties 1 vs 2 broken by index).
  assert.deepEqual([...shortHead(POP, 0.5)], [1, 1, 0, 0, 0]);
  const head = shortHead(POP, 0.2);
  const lists = [Int32Array.from([0, 1]), Int32Array.from([2, 3])];
  close(longTailShare(lists, head), (1 / 2 + 1) / 2);
});

Deno.test("intraListDiversity: mean pairwise cosine distance over item factors", () => {
  // item 0 = (1,0), 1 = (0,1), 2 = (1,1), 3 = (-1,0), 4 = (0,0)
  const q = Float64Array.from([1, 0, 0, 1, 1, 1, -1, 0, 0, 0]);
  // list A: pairs (0,1) d=1, (0,2) d=1-1/√2, (1,2) d=1-1/√2
  const a = (1 + 2 * (1 - Math.SQRT1_2)) / 3;
  // list B: (0,3) d=2
  close(
    intraListDiversity(
      [Int32Array.from([0, 1, 2]), Int32Array.from([0, 3])],
      q,
      2,
    ),
    (a + 2) / 2,
  );
  // a zero vector counts as distance 1; lists under 2 items are skipped
  close(
    intraListDiversity([Int32Array.from([4, 0]), Int32Array.from([1])], q, 2),
    1,
  );
  assert.ok(Number.isNaN(intraListDiversity([Int32Array.from([1])], q, 2)));
});

Deno.test("itemPopularity takes more rows than a Set holds (2²⁴ + 1), repeated pairs counted once per user", () => {
  const n = 2 ** 24 + 1, nUsers = 200_003, nItems = 59_047;
  const users = new Int32Array(n), items = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    users[r] = r % nUsers;
    // Every user's first two rows name the same item: one repeat per user.
    items[r] = (r < 2 * nUsers ? r % nUsers : r) % nItems;
  }
  const pop = itemPopularity(users, items, nUsers, nItems);
  let count = 0, distinct = 0;
  for (let i = 0; i < nItems; i++) {
    (count += pop.count[i]), (distinct += pop.users[i]);
  }
  assert.equal(count, n);
  assert.equal(distinct, n - nUsers);
  assert.equal(pop.nUsers, nUsers);
  assert.equal(pop.nSeenItems, nItems);
});
