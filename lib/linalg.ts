/**
 * Small dense linear-algebra kernels on row-major typed arrays, the BLAS/LAPACK
 * subset that implicit-feedback ALS needs: `dot`, `axpy`, `gram` (AᵀA),
 * `symv` (symmetric matrix–vector product) and a Cholesky factorisation with
 * its triangular solve. Vectors are addressed by (array, offset) so a row of a
 * flat n × k matrix is used in place, without a `subarray` allocation.
 *
 * @module
 */

/** A dense vector or flat row-major matrix. */
export type Vec = Float64Array | Float32Array;

/**
 * Dot product Σ_{j<n} x[xOff + j] · y[yOff + j], accumulated in float64.
 *
 * @example
 * ```ts
 * import { dot } from "./linalg.ts";
 * dot(3, new Float64Array([1, 2, 3]), 0, new Float64Array([4, 5, 6]), 0); // 32
 * ```
 */
export function dot(
  n: number,
  x: Vec,
  xOff: number,
  y: Vec,
  yOff: number,
): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += x[xOff + j] * y[yOff + j];
  return s;
}

/** In place y[yOff + j] += a · x[xOff + j] for j < n (BLAS axpy). */
export function axpy(
  n: number,
  a: number,
  x: Vec,
  xOff: number,
  y: Vec,
  yOff: number,
): void {
  for (let j = 0; j < n; j++) y[yOff + j] += a * x[xOff + j];
}

/**
 * Gram matrix AᵀA of a row-major rows × cols matrix `a`: returns (or fills
 * `out`) a full symmetric cols × cols Float64Array, both triangles written.
 * Rows are summed in index order, so the result is deterministic.
 */
export function gram(
  a: Vec,
  rows: number,
  cols: number,
  out: Float64Array = new Float64Array(cols * cols),
): Float64Array {
  if (a.length < rows * cols) {
    throw new RangeError(
      `gram: matrix has ${a.length} values, fewer than ${rows} × ${cols}`,
    );
  }
  if (out.length < cols * cols) {
    throw new RangeError(`gram: out has ${out.length} values, needs ${cols}²`);
  }
  out.fill(0, 0, cols * cols);
  // Upper triangle: out[i][j] += a[r][i] · a[r][j] for j ≥ i.
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let i = 0; i < cols; i++) {
      const ai = a[base + i];
      if (ai === 0) continue;
      const o = i * cols;
      for (let j = i; j < cols; j++) out[o + j] += ai * a[base + j];
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = i + 1; j < cols; j++) out[j * cols + i] = out[i * cols + j];
  }
  return out;
}

/**
 * Symmetric matrix–vector product y[yOff..yOff+n) = A · x[xOff..xOff+n) for a
 * full-storage (both triangles) symmetric n × n row-major matrix `a`. Each
 * output is the dot of one row of A with x, so no triangle is assumed empty.
 */
export function symv(
  n: number,
  a: Vec,
  x: Vec,
  xOff: number,
  y: Vec,
  yOff: number,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += a[o + j] * x[xOff + j];
    y[yOff + i] = s;
  }
}

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite
 * n × n row-major matrix. Reads the lower triangle of `a` and overwrites it
 * with L (the strict upper triangle is zeroed). Throws a RangeError naming the
 * pivot when A is not positive definite (a pivot ≤ 0 or not finite).
 */
export function choleskyFactor(a: Vec, n: number): void {
  if (a.length < n * n) {
    throw new RangeError(
      `choleskyFactor: matrix has ${a.length} values, needs ${n}²`,
    );
  }
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new RangeError(
        `choleskyFactor: matrix is not positive definite (pivot ${j} of ${n} is ${d})`,
      );
    }
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
}

/**
 * Solves L·Lᵀ·x = b in place (b[bOff..bOff+n) becomes x), given the lower
 * Cholesky factor `l` (n × n row-major) from {@link choleskyFactor}.
 */
export function choleskySolve(
  l: Vec,
  n: number,
  b: Vec,
  bOff = 0,
): void {
  // Forward: L·z = b.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[bOff + i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[bOff + k];
    b[bOff + i] = s / l[ri + i];
  }
  // Backward: Lᵀ·x = z.
  for (let i = n - 1; i >= 0; i--) {
    let s = b[bOff + i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[bOff + k];
    b[bOff + i] = s / l[i * n + i];
  }
}
