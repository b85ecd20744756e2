import assert from "node:assert/strict";
import { RandomState } from "../rng.ts";
import {
  itemNorms,
  nearestItems,
  predictPairs,
  recommend,
  similarItems,
  topKExcluding,
} from "./factor_model.ts";

// Item 0 = (1, 0); item 1 = (10, 1) is long and nearly parallel; item 2 =
// (0.9, 0.1) is short and almost the same direction; item 3 = (0, 0).
const F = Float32Array.of(1, 0, 10, 1, 0.9, 0.1, 0, 0);

Deno.test("nearestItems by dot product prefers the long embedding", () => {
  const nn = nearestItems(F, 4, 2, 0, 3, "dot");
  assert.deepEqual([...nn.items], [1, 0, 2]);
  assert.deepEqual([...nn.scores].map((s) => Math.round(s * 1e6) / 1e6), [
    10,
    1,
    0.9,
  ]);
});

Deno.test("nearestItems by cosine ranks by direction, the query first, a zero row last", () => {
  const nn = nearestItems(F, 4, 2, 0, 4, "cosine");
  assert.deepEqual([...nn.items], [0, 1, 2, 3]);
  assert.ok(Math.abs(nn.scores[0] - 1) < 1e-12);
  assert.ok(Math.abs(nn.scores[1] - 10 / Math.sqrt(101)) < 1e-7);
  assert.equal(nn.scores[3], 0);
});

Deno.test("itemNorms returns each row's Euclidean norm", () => {
  const n = itemNorms(F, 4, 2);
  assert.ok(Math.abs(n[1] - Math.sqrt(101)) < 1e-6);
  assert.equal(n[3], 0);
});

Deno.test("nearestItems rejects a query or k out of range", () => {
  assert.throws(() => nearestItems(F, 4, 2, 4, 2, "dot"), /query 4/);
  assert.throws(() => nearestItems(F, 4, 2, 0, 5, "dot"), /k = 5/);
  assert.throws(() => nearestItems(F, 3, 2, 0, 2, "dot"), /expected 3 × 2/);
});

Deno.test("recommend: scores x_uᵀy_i, skips excluded items, ties by lower index", () => {
  // user 0 = [1, 0]; items: [2,0], [1,1], [2,5], [0,3], [1,0]
  const x = Float32Array.from([1, 0, 0, 1]);
  const y = Float32Array.from([2, 0, 1, 1, 2, 5, 0, 3, 1, 0]);
  const r = recommend(x, y, 2, 0, 3, [1]);
  assert.deepEqual(Array.from(r.items), [0, 2, 4]);
  assert.deepEqual(Array.from(r.scores), [2, 2, 1]);
  const r1 = recommend(x, y, 2, 1, 10);
  assert.deepEqual(Array.from(r1.items), [2, 3, 1, 0, 4]);
  assert.throws(() => recommend(x, y, 2, 2, 3), /user 2 is not in \[0, 2\)/);
});

Deno.test("similarItems: cosine ranking includes the item itself; zero rows score 0", () => {
  // items: [1,0], [3,0] (same direction), [1,1], [0,2], [0,0]
  const y = Float32Array.from([1, 0, 3, 0, 1, 1, 0, 2, 0, 0]);
  const s = similarItems(y, 2, 0, 5);
  assert.deepEqual(Array.from(s.items), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(s.scores), [
    1,
    1,
    Math.fround(Math.SQRT1_2),
    0,
    0,
  ]);
  assert.throws(() => similarItems(y, 2, 5, 1), /item 5 is not in \[0, 5\)/);
});

Deno.test("topKExcluding returns the best items, ties to the lower index, skipping excluded", () => {
  const s = Float32Array.from([0.5, 0.9, 0.9, 0.1, 0.7]);
  assert.deepEqual(Array.from(topKExcluding(s, 3, new Int32Array())), [
    1,
    2,
    4,
  ]);
  assert.deepEqual(Array.from(topKExcluding(s, 3, Int32Array.from([1]))), [
    2,
    4,
    0,
  ]);
  assert.deepEqual(
    Array.from(topKExcluding(s, 1, Int32Array.from([1, 1, 2]))),
    [4],
  );
  // Fewer than k candidates: −1 padding.
  assert.deepEqual(
    Array.from(topKExcluding(s, 6, Int32Array.from([0, 3]))),
    [1, 2, 4, -1, -1, -1],
  );
  // Exclusions beyond the item range are harmless.
  assert.deepEqual(Array.from(topKExcluding(s, 2, Int32Array.from([2, 99]))), [
    1,
    4,
  ]);
});

Deno.test("topKExcluding agrees with a full sort on random scores with many ties", () => {
  const rs = new RandomState(17);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + rs.randint(0, 200);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = rs.randint(0, 7) - 3 + (trial % 2 ? 0.5 : 0);
    }
    const ex: number[] = [];
    for (let i = 0; i < n; i++) if (rs.randomSample() < 0.3) ex.push(i);
    const k = 1 + rs.randint(0, 20);
    const expected = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !ex.includes(i))
      .sort((a, b) => scores[b] - scores[a] || a - b)
      .slice(0, k);
    while (expected.length < k) expected.push(-1);
    assert.deepEqual(
      Array.from(topKExcluding(scores, k, Int32Array.from(ex))),
      expected,
      `trial ${trial}`,
    );
  }
});

Deno.test("predictPairs computes dot + biases, the sigmoid range, and rejects pairs outside the tables", () => {
  const model = {
    nUsers: 2,
    nItems: 2,
    factors: 2,
    userFactors: Float32Array.of(1, 2, 0, 1),
    itemFactors: Float32Array.of(3, 4, -1, 0.5),
    userBias: Float32Array.of(0.5, -0.5),
    itemBias: Float32Array.of(0.25, 0),
  };
  assert.deepEqual([
    ...predictPairs(model, Int32Array.of(0, 1), Int32Array.of(0, 1)),
  ], [11.75, 0]);
  const ranged = predictPairs(
    { ...model, outputRange: [1, 5] },
    Int32Array.of(1),
    Int32Array.of(1),
  );
  assert.equal(ranged[0], 3); // sigmoid(0) = 0.5
  assert.throws(
    () => predictPairs(model, Int32Array.of(2), Int32Array.of(0)),
    /pair 0 \(user 2, item 0\) lies outside 2 × 2/,
  );
});

/** Reference top list: a full sort by score, ties by lower index. */
function sortedTop(scores: Float64Array, skip: Set<number>, k: number) {
  const idx = [...scores.keys()].filter((i) => !skip.has(i));
  return idx.sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
}

Deno.test("recommend, similarItems and nearestItems equal a full sort of the float64 scores bit for bit, ties included", () => {
  const rs = new RandomState(5);
  for (let trial = 0; trial < 30; trial++) {
    const nUsers = 3, nItems = 1 + rs.randint(0, 60), d = 1 + rs.randint(0, 4);
    // Small integers make many exact ties.
    const draw = (n: number) =>
      Float32Array.from({ length: n }, () => rs.randint(-2, 3));
    const U = draw(nUsers * d), V = draw(nItems * d);
    const k = rs.randint(0, nItems + 3);
    const exclude = [rs.randint(0, nItems), rs.randint(0, nItems), -1, 1e6];
    const dots = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) {
      for (let c = 0; c < d; c++) dots[i] += U[d + c] * V[i * d + c];
    }
    const want = sortedTop(dots, new Set(exclude), k);
    const r = recommend(U, V, d, 1, k, exclude);
    assert.deepEqual([...r.items], want);
    assert.deepEqual([...r.scores], want.map((i) => Math.fround(dots[i])));
    const q = rs.randint(0, nItems);
    const norms = itemNorms(V, nItems, d);
    const cos = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += V[q * d + c] * V[i * d + c];
      const n = norms[q] * norms[i];
      cos[i] = n > 0 ? s / n : 0;
    }
    const wantCos = sortedTop(cos, new Set(), k);
    assert.deepEqual([...similarItems(V, d, q, k).items], wantCos);
    if (k >= 1 && k <= nItems) {
      const nn = nearestItems(V, nItems, d, q, k, "cosine");
      assert.deepEqual([...nn.items], wantCos);
      assert.deepEqual([...nn.scores], wantCos.map((i) => cos[i]));
    }
  }
});

Deno.test("topKExcluding rejects bad k, unsorted exclusions and NaN scores", () => {
  const s = Float32Array.from([1, 2, 3]);
  assert.throws(
    () => topKExcluding(s, 0, new Int32Array()),
    /k 0 must be a positive integer/,
  );
  assert.throws(
    () => topKExcluding(s, 2, Int32Array.from([2, 1])),
    /exclude must be sorted ascending \(exclude\[0\] = 2 > exclude\[1\] = 1\)/,
  );
  assert.throws(
    () => topKExcluding(Float32Array.from([1, NaN]), 1, new Int32Array()),
    /scores\[1\] is NaN/,
  );
});
