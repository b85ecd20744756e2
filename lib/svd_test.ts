import assert from "node:assert/strict";
import { RandomState } from "./rng.ts";
import {
  csrOperator,
  denseOperator,
  jacobiSvd,
  type TruncatedSvd,
  truncatedSvd,
  userCentredOperator,
} from "./svd.ts";

/** A 6 × 4 matrix; numpy 2.4 `np.linalg.svd(A)` values below. */
const A = new Float64Array([
  4,
  0,
  2.5,
  1,
  0,
  3,
  0,
  0,
  1.5,
  0,
  0,
  5,
  0,
  2,
  4,
  0,
  3,
  3,
  0,
  0.5,
  0,
  0,
  1,
  2,
]);
const NUMPY_S = [
  7.08049964836335,
  5.127573225183884,
  3.81935349974318,
  3.4259387609680565,
];
/** numpy: `(u[:, :2] * s[:2]) @ vt[:2]`, the best rank-2 approximation, row-major 6 × 4. */
const NUMPY_RANK2 = [
  2.624929553043536,
  1.6734852067847765,
  1.944196595766859,
  1.9627034569013078,
  0.6802680705430858,
  1.3036777828831474,
  1.167871996729828,
  -0.6202966536425887,
  2.2824455243469077,
  -0.6936937207994383,
  0.050418452353719584,
  4.495083385799907,
  1.552702513065,
  2.4262811842285372,
  2.2463600898933134,
  -0.7029534803563012,
  2.049626747212701,
  1.8805630778191358,
  1.9560870490160474,
  0.7878713965446624,
  0.9475412737773219,
  -0.024240436851783433,
  0.2222335007210695,
  1.5238546626575111,
];

function reconstruct(svd: TruncatedSvd, rows: number, cols: number) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let x = 0;
      for (let t = 0; t < svd.k; t++) {
        x += svd.u[i * svd.k + t] * svd.s[t] * svd.v[j * svd.k + t];
      }
      out[i * cols + j] = x;
    }
  }
  return out;
}

function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: number,
  what: string,
) {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    assert.ok(
      Math.abs(got[i] - want[i]) <= tol,
      `${what}[${i}]: ${got[i]} vs ${want[i]}`,
    );
  }
}

Deno.test("jacobiSvd matches numpy's singular values and rebuilds the matrix", () => {
  const { u, s, v } = jacobiSvd(A, 6, 4);
  assertClose(s, NUMPY_S, 1e-13, "s");
  const back = new Float64Array(24);
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 4; j++) {
      for (let t = 0; t < 4; t++) {
        back[i * 4 + j] += u[i * 4 + t] * s[t] * v[j * 4 + t];
      }
    }
  }
  assertClose(back, A, 1e-13, "U S Vᵀ");
});

Deno.test("jacobiSvd rejects a wide matrix", () => {
  assert.throws(
    () => jacobiSvd(new Float64Array(6), 2, 3),
    /rows ≥ cols/,
  );
});

Deno.test("truncatedSvd k=2 equals numpy's best rank-2 approximation of a dense 6 × 4 case", () => {
  const svd = truncatedSvd(denseOperator(A, 6, 4), 2);
  assertClose(svd.s, NUMPY_S.slice(0, 2), 1e-12, "s");
  assertClose(reconstruct(svd, 6, 4), NUMPY_RANK2, 1e-12, "rank-2");
});

Deno.test("truncatedSvd handles the transposed (wide) case with the same singular values", () => {
  const at = new Float64Array(24);
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 4; j++) at[j * 6 + i] = A[i * 4 + j];
  }
  const svd = truncatedSvd(denseOperator(at, 4, 6), 3);
  assertClose(svd.s, NUMPY_S.slice(0, 3), 1e-12, "s");
});

Deno.test("truncatedSvd on a sparse 60 × 200 matrix: orthonormal vectors, A v = s u, and agreement with the dense Jacobi SVD", () => {
  const rs = new RandomState(3);
  const rows = 60, cols = 200;
  const dense = new Float64Array(rows * cols);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [], data: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (rs.randomSample() < 0.1) {
        const x = rs.standardNormal();
        dense[i * cols + j] = x;
        indices.push(j);
        data.push(x);
      }
    }
    indptr[i + 1] = indices.length;
  }
  const k = 8;
  const svd = truncatedSvd(
    csrOperator(
      indptr,
      Int32Array.from(indices),
      Float64Array.from(data),
      rows,
      cols,
    ),
    k,
  );
  // Reference: Jacobi on Aᵀ (tall 200 × 60), singular values descending.
  const at = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) at[j * rows + i] = dense[i * cols + j];
  }
  const ref = jacobiSvd(at, cols, rows);
  assertClose(svd.s, ref.s.slice(0, k), 1e-10, "s");
  for (let t = 1; t < k; t++) assert.ok(svd.s[t] <= svd.s[t - 1]);
  for (const x of svd.residuals) assert.ok(x <= 1e-10 * svd.s[0]);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let du = 0, dv = 0;
      for (let i = 0; i < rows; i++) du += svd.u[i * k + a] * svd.u[i * k + b];
      for (let j = 0; j < cols; j++) dv += svd.v[j * k + a] * svd.v[j * k + b];
      assert.ok(Math.abs(du - (a === b ? 1 : 0)) < 1e-10, `UᵀU[${a},${b}]`);
      assert.ok(Math.abs(dv - (a === b ? 1 : 0)) < 1e-10, `VᵀV[${a},${b}]`);
    }
    for (let i = 0; i < rows; i++) {
      let av = 0;
      for (let j = 0; j < cols; j++) {
        av += dense[i * cols + j] * svd.v[j * k + a];
      }
      assert.ok(Math.abs(av - svd.s[a] * svd.u[i * k + a]) < 1e-9);
    }
  }
  assert.ok(svd.steps < rows, `stopped early (${svd.steps} steps)`);
});

Deno.test("truncatedSvd of a rank-2 matrix stops at the invariant subspace and reports zeros beyond", () => {
  // Outer products: rank 2, 5 × 4.
  const a = new Float64Array(20);
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 4; j++) a[i * 4 + j] = (i + 1) * (j + 1) + (i % 2) * j;
  }
  const svd = truncatedSvd(denseOperator(a, 5, 4), 3);
  assert.ok(svd.s[0] > svd.s[1] && svd.s[1] > 1e-6);
  assert.ok(svd.s[2] < 1e-10, `third singular value ${svd.s[2]}`);
  const back = reconstruct({ ...svd, k: 3 }, 5, 4);
  assertClose(back, a, 1e-10, "rebuilt");
});

Deno.test("truncatedSvd rejects k outside [1, min(rows, cols)]", () => {
  const op = denseOperator(A, 6, 4);
  assert.throws(() => truncatedSvd(op, 0), /k must be an integer in \[1, 4\]/);
  assert.throws(() => truncatedSvd(op, 5), /got 5/);
});

Deno.test("userCentredOperator holds rating − user mean at the rated cells and 0 elsewhere, whatever the row order", () => {
  // Rows out of order: user 1 first, items unsorted within user 0.
  const ratings = {
    users: Int32Array.of(1, 0, 0, 1),
    items: Int32Array.of(2, 2, 0, 1),
    ratings: Float32Array.of(4, 5, 3, 2),
    nUsers: 2,
    nItems: 3,
  };
  const mean = Float64Array.of(4, 3);
  const op = userCentredOperator(ratings, mean);
  const dense = [[-1, 0, 1], [0, -1, 1]];
  for (let c = 0; c < 3; c++) {
    const e = new Float64Array(3);
    e[c] = 1;
    const out = new Float64Array(2);
    op.matvec(e, out);
    assert.deepEqual([...out], [dense[0][c], dense[1][c]]);
  }
});
