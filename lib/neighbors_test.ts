import assert from "node:assert/strict";
import { itemNorms, nearestItems } from "./neighbors.ts";

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
