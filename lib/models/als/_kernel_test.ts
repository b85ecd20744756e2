import assert from "node:assert/strict";
import { RandomState } from "../../rng.ts";
import {
  type AlsRows,
  cgSolveRows,
  choleskySolveRows,
  finishGram,
  gramUpperRows,
  paddedFactors,
  splitUpperRows,
} from "./_kernel.ts";

/** A random problem: nRows rows over nOther columns, ~density filled, confidences in [1, 5]. */
function problem(seed: number, nRows: number, nOther: number, k: number) {
  const rs = new RandomState(seed);
  const indptr = new Int32Array(nRows + 1);
  const idx: number[] = [], cs: number[] = [];
  for (let u = 0; u < nRows; u++) {
    for (let i = 0; i < nOther; i++) {
      // Row 3 is left empty on purpose.
      if (u !== 3 && rs.randomSample() < 0.3) {
        const c = 1 + 4 * rs.randomSample();
        idx.push(i);
        cs.push(c);
      }
    }
    indptr[u + 1] = idx.length;
  }
  const rows: AlsRows = {
    nRows,
    indptr,
    indices: Int32Array.from(idx),
    conf: Float32Array.from(cs),
  };
  // k = 7 and 8 here: ks = 8, so k = 7 has a zero padding column.
  const ks = paddedFactors(k);
  const y = new Float32Array(nOther * ks);
  const x0 = new Float32Array(nRows * ks);
  for (let r = 0; r < nOther; r++) {
    for (let j = 0; j < k; j++) y[r * ks + j] = rs.standardNormal() * 0.3;
  }
  for (let r = 0; r < nRows; r++) {
    for (let j = 0; j < k; j++) x0[r * ks + j] = rs.randomSample() * 0.01;
  }
  const g = new Float64Array(k * k), g32 = new Float32Array(ks * ks);
  gramUpperRows(y, nOther, k, ks, 0, k, g);
  finishGram(g, k, 0.1, g32, ks);
  return { rows, y, x0, g, g32, ks };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

Deno.test("cgSolveRows: run to convergence it agrees with choleskySolveRows to 1e-5", () => {
  const k = 8, n = 9;
  const { rows, y, x0, g, g32, ks } = problem(7, n, 30, k);
  const exact = x0.slice();
  choleskySolveRows(
    rows,
    exact,
    y,
    g,
    k,
    ks,
    0,
    n,
    new Float64Array(k * k + k),
  );
  const cg = x0.slice();
  cgSolveRows(rows, cg, y, g32, ks, 50, 0, n, new Float32Array(3 * ks));
  assert.ok(maxAbsDiff(cg, exact) < 1e-5, `max diff ${maxAbsDiff(cg, exact)}`);
  // The empty row is zeroed by both solvers.
  for (let j = 0; j < k; j++) assert.equal(cg[3 * ks + j], 0);
  assert.ok(Math.max(...exact.map(Math.abs)) > 0.05, "solution is not trivial");
});

Deno.test("cgSolveRows: 3 warm-started steps land close to the exact solve, much closer than the start", () => {
  const k = 8, n = 9;
  const { rows, y, x0, g, g32, ks } = problem(11, n, 30, k);
  const exact = x0.slice();
  choleskySolveRows(
    rows,
    exact,
    y,
    g,
    k,
    ks,
    0,
    n,
    new Float64Array(k * k + k),
  );
  const cg = x0.slice();
  cgSolveRows(rows, cg, y, g32, ks, 3, 0, n, new Float32Array(3 * ks));
  const startErr = maxAbsDiff(x0, exact), cgErr = maxAbsDiff(cg, exact);
  assert.ok(
    cgErr < 0.25 * startErr,
    `3-step error ${cgErr} vs start ${startErr}`,
  );
  // A second round of 3 steps, warm started, gets closer still.
  cgSolveRows(rows, cg, y, g32, ks, 3, 0, n, new Float32Array(3 * ks));
  assert.ok(maxAbsDiff(cg, exact) < cgErr);
});

Deno.test("cgSolveRows: results do not depend on how the rows are split; padding stays zero", () => {
  const k = 7, n = 9;
  const { rows, y, x0, g32, ks } = problem(3, n, 25, k);
  const whole = x0.slice();
  cgSolveRows(rows, whole, y, g32, ks, 3, 0, n, new Float32Array(3 * ks));
  const parts = x0.slice();
  for (const [a, b] of [[0, 1], [1, 4], [4, 5], [5, 9]]) {
    cgSolveRows(rows, parts, y, g32, ks, 3, a, b, new Float32Array(3 * ks));
  }
  assert.deepEqual(parts, whole);
  assert.notDeepEqual(whole, x0);
  for (let r = 0; r < n; r++) assert.equal(whole[r * ks + k], 0);
});

Deno.test("choleskySolveRows: throws naming the row when its system is not positive definite", () => {
  const k = 3;
  const rows: AlsRows = {
    nRows: 1,
    indptr: Int32Array.from([0, 1]),
    indices: Int32Array.from([0]),
    conf: Float32Array.from([0.5]),
  };
  assert.throws(
    () =>
      choleskySolveRows(
        rows,
        new Float32Array(4),
        Float32Array.from([1, 0, 0, 0]),
        new Float64Array(k * k),
        k,
        4,
        0,
        1,
        new Float64Array(k * k + k),
      ),
    /row 0 is not positive definite/,
  );
});

Deno.test("gramUpperRows + finishGram: split over row ranges equals AᵀA + λI, float64 and padded float32", () => {
  // A = [[1,2],[3,4],[5,6]] (rows 4 floats apart): AᵀA = [[35,44],[44,56]].
  const a = Float32Array.from([1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0]);
  const g = new Float64Array(4).fill(99);
  gramUpperRows(a, 3, 2, 4, 0, 1, g);
  gramUpperRows(a, 3, 2, 4, 1, 2, g);
  const g32 = new Float32Array(16);
  finishGram(g, 2, 0.1, g32, 4);
  assert.deepEqual(Array.from(g), [35.1, 44, 44, 56.1]);
  assert.deepEqual(Array.from(g32), [
    Math.fround(35.1),
    44,
    0,
    0,
    44,
    Math.fround(56.1),
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
});

Deno.test("splitUpperRows: balances the triangle's entries and covers every row", () => {
  assert.deepEqual(Array.from(splitUpperRows(50, 1)), [0, 50]);
  const b = splitUpperRows(50, 2);
  assert.equal(b[0], 0);
  assert.equal(b[2], 50);
  const first = (50 * 51) / 2 - ((50 - b[1]) * (51 - b[1])) / 2;
  assert.ok(
    Math.abs(first - 1275 / 2) <= 50,
    `first part holds ${first} of 1275`,
  );
});
