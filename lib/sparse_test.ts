import assert from "node:assert/strict";
import { csrFromCoo, transpose } from "./sparse.ts";

Deno.test("csrFromCoo sorts columns within rows and sums duplicates", () => {
  const m = csrFromCoo(
    Int32Array.of(1, 0, 1, 0, 1),
    Int32Array.of(2, 1, 0, 1, 2),
    Float32Array.of(5, 1, 3, 2, 4),
    2,
    3,
  );
  assert.deepEqual([...m.indptr], [0, 1, 3]);
  assert.deepEqual([...m.indices], [1, 0, 2]);
  assert.deepEqual([...m.data], [3, 3, 9]);
});

Deno.test("csrFromCoo with 'last' keeps the later duplicate", () => {
  const m = csrFromCoo(
    Int32Array.of(0, 0),
    Int32Array.of(1, 1),
    Float32Array.of(2, 7),
    1,
    2,
    "last",
  );
  assert.deepEqual([...m.data], [7]);
});

Deno.test("csrFromCoo rejects out-of-range coordinates", () => {
  assert.throws(
    () => csrFromCoo(Int32Array.of(2), Int32Array.of(0), [1], 2, 2),
    /entry 0 at \(2, 0\) lies outside 2 × 2/,
  );
});

Deno.test("transpose twice gives the original matrix", () => {
  const m = csrFromCoo(
    Int32Array.of(0, 2, 2, 1),
    Int32Array.of(3, 0, 3, 1),
    Float32Array.of(1, 2, 3, 4),
    3,
    4,
  );
  const t = transpose(m);
  assert.equal(t.nRows, 4);
  assert.deepEqual([...t.indptr], [0, 1, 2, 2, 4]);
  assert.deepEqual([...t.indices], [2, 1, 0, 2]);
  const back = transpose(t);
  assert.deepEqual(back, m);
});
