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

Deno.test("csrFromCoo on row-major triples without repeats shares cols and values, with the slow path's result", () => {
  const rows = Int32Array.of(0, 0, 2, 2, 2, 3);
  const cols = Int32Array.of(1, 4, 0, 2, 3, 3);
  const values = Float32Array.of(5, 4, 3, 2, 1, 0.5);
  const fast = csrFromCoo(rows, cols, values, 4, 5, "last");
  assert.equal(fast.indices, cols);
  assert.equal(fast.data, values);
  // A plain array takes the copying path: the same matrix.
  const slow = csrFromCoo(rows, cols, [...values], 4, 5, "last");
  assert.notEqual(slow.indices, cols);
  assert.deepEqual(fast, { ...slow, indices: cols, data: values });
  assert.deepEqual([...fast.indptr], [0, 2, 2, 5, 6]);
  // A repeat, a descending column or a row going back: copies, coalesced.
  for (
    const [r, c] of [
      [Int32Array.of(0, 0), Int32Array.of(1, 1)],
      [Int32Array.of(0, 0), Int32Array.of(2, 1)],
      [Int32Array.of(1, 0), Int32Array.of(0, 1)],
    ]
  ) {
    const m = csrFromCoo(r, c, Float32Array.of(1, 2), 2, 3);
    assert.notEqual(m.indices, c);
  }
  assert.throws(
    () =>
      csrFromCoo(
        Int32Array.of(0, 1),
        Int32Array.of(0, 9),
        values.subarray(0, 2),
        2,
        3,
      ),
    /lies outside 2 × 3/,
  );
});
