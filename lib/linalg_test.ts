import assert from "node:assert/strict";
import {
  axpy,
  choleskyFactor,
  choleskySolve,
  dot,
  gram,
  symv,
} from "./linalg.ts";

Deno.test("dot: [1,2,3]·[4,5,6] = 32, and honours offsets", () => {
  assert.equal(
    dot(3, new Float64Array([1, 2, 3]), 0, new Float64Array([4, 5, 6]), 0),
    32,
  );
  // Row 1 of a 2 × 2 matrix against the tail of a Float32Array: 3·7 + 4·8 = 53.
  assert.equal(
    dot(2, new Float64Array([1, 2, 3, 4]), 2, new Float32Array([0, 7, 8]), 1),
    53,
  );
});

Deno.test("axpy: y += 2·x gives [3,5,7] and leaves other entries alone", () => {
  const y = new Float64Array([9, 1, 1, 1]);
  axpy(3, 2, new Float32Array([1, 2, 3]), 0, y, 1);
  assert.deepEqual(Array.from(y), [9, 3, 5, 7]);
});

Deno.test("gram: AᵀA of [[1,2],[3,4],[5,6]] is [[35,44],[44,56]]", () => {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(gram(a, 3, 2)), [35, 44, 44, 56]);
  // Reusing an output buffer overwrites stale values.
  const out = new Float64Array([7, 7, 7, 7]);
  gram(new Float64Array([1, 0, 0, 2]), 2, 2, out);
  assert.deepEqual(Array.from(out), [1, 0, 0, 4]);
});

Deno.test("gram: rejects a matrix shorter than rows × cols", () => {
  assert.throws(() => gram(new Float64Array(5), 3, 2), /fewer than 3 × 2/);
});

Deno.test("symv: [[2,1],[1,3]]·[1,2] = [4,7] with offsets", () => {
  const y = new Float64Array(3);
  symv(2, new Float64Array([2, 1, 1, 3]), new Float32Array([0, 1, 2]), 1, y, 1);
  assert.deepEqual(Array.from(y), [0, 4, 7]);
});

Deno.test("choleskyFactor: the textbook 3 × 3 example gives L = [[2,0,0],[6,1,0],[-8,5,3]]", () => {
  const a = new Float64Array([4, 12, -16, 12, 37, -43, -16, -43, 98]);
  choleskyFactor(a, 3);
  assert.deepEqual(Array.from(a), [2, 0, 0, 6, 1, 0, -8, 5, 3]);
});

Deno.test("choleskySolve: recovers x = [1,2,3] from b = A·x", () => {
  for (const Ctor of [Float64Array, Float32Array]) {
    const a = new Ctor([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    choleskyFactor(a, 3);
    const b = new Ctor([5, -20, -43, 192]);
    choleskySolve(a, 3, b, 1);
    assert.equal(b[0], 5);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(b[i + 1] - (i + 1)) < 1e-6);
  }
});

Deno.test("choleskyFactor: throws on an indefinite or singular matrix, naming the pivot", () => {
  assert.throws(
    () => choleskyFactor(new Float64Array([1, 2, 2, 1]), 2),
    /not positive definite \(pivot 1 of 2 is -3\)/,
  );
  assert.throws(
    () => choleskyFactor(new Float64Array([0, 0, 0, 1]), 2),
    /not positive definite \(pivot 0 of 2/,
  );
  assert.throws(
    () => choleskyFactor(new Float64Array([NaN, 0, 0, 1]), 2),
    /not positive definite/,
  );
});
