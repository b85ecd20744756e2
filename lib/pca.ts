/**
 * Principal component analysis of a small dense matrix (rows × cols, cols up
 * to a few hundred): the covariance matrix's eigenvectors by cyclic Jacobi
 * rotations, in float64. Used to project embeddings to two dimensions.
 *
 * @example
 * ```ts
 * import { pca } from "./pca.ts";
 * // Points on the line y = 2x: one component carries all the variance.
 * const p = pca(Float64Array.of(0, 0, 1, 2, 2, 4, 3, 6), 4, 2, 2);
 * if (Math.abs(p.explainedVarianceRatio[0] - 1) > 1e-12) throw new Error();
 * ```
 *
 * @module
 */

/** The first k principal components of a data matrix. */
export interface Pca {
  /** Column means, length cols. */
  readonly mean: Float64Array;
  /**
   * Unit eigenvectors of the covariance, row-major k × cols, by decreasing
   * variance; each signed so that its entry of largest magnitude is positive.
   */
  readonly components: Float64Array;
  /** Variance along each component (covariance with divisor rows − 1), length k. */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance, length k. */
  readonly explainedVarianceRatio: Float64Array;
  /** Centred rows projected on the components, row-major rows × k. */
  readonly scores: Float64Array;
}

/**
 * PCA of `x` (row-major rows × cols), keeping `k` components.
 *
 * @throws {RangeError} when the shape does not match `x`, rows < 2, or k is
 *   not in [1, cols].
 */
export function pca(
  x: Float32Array | Float64Array,
  rows: number,
  cols: number,
  k: number,
): Pca {
  if (
    !Number.isInteger(rows) || !Number.isInteger(cols) || rows < 2 || cols < 1
  ) {
    throw new RangeError(
      `pca: need rows ≥ 2 and cols ≥ 1, got ${rows} × ${cols}`,
    );
  }
  if (x.length !== rows * cols) {
    throw new RangeError(
      `pca: x has length ${x.length}, expected ${rows} × ${cols} = ${
        rows * cols
      }`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k > cols) {
    throw new RangeError(`pca: k = ${k} must be an integer in [1, ${cols}]`);
  }
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c];
  }
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  const cov = new Float64Array(cols * cols);
  const d = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) d[c] = x[r * cols + c] - mean[c];
    for (let a = 0; a < cols; a++) {
      const da = d[a];
      for (let b = a; b < cols; b++) cov[a * cols + b] += da * d[b];
    }
  }
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      cov[a * cols + b] /= rows - 1;
      cov[b * cols + a] = cov[a * cols + b];
    }
  }
  let total = 0;
  for (let a = 0; a < cols; a++) total += cov[a * cols + a];
  const { values, vectors } = symmetricEigen(cov, cols);
  const order = Array.from({ length: cols }, (_, j) => j)
    .sort((i, j) => values[j] - values[i] || i - j);
  const components = new Float64Array(k * cols);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const src = order[j];
    let big = 0;
    for (let c = 0; c < cols; c++) {
      const v = vectors[c * cols + src];
      if (Math.abs(v) > Math.abs(big)) big = v;
    }
    const sign = big < 0 ? -1 : 1;
    for (let c = 0; c < cols; c++) {
      components[j * cols + c] = sign * vectors[c * cols + src];
    }
    explainedVariance[j] = Math.max(0, values[src]);
    explainedVarianceRatio[j] = total > 0 ? explainedVariance[j] / total : 0;
  }
  const scores = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) {
        s += (x[r * cols + c] - mean[c]) * components[j * cols + c];
      }
      scores[r * k + j] = s;
    }
  }
  return {
    mean,
    components,
    explainedVariance,
    explainedVarianceRatio,
    scores,
  };
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (row-major, not modified)
 * by cyclic Jacobi rotations: `values[j]` with eigenvector column j of
 * `vectors` (row-major n × n), unsorted. Converges to float64 precision.
 */
export function symmetricEigen(
  m: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  if (m.length !== n * n) {
    throw new RangeError(
      `symmetricEigen: matrix has length ${m.length}, expected ${n * n}`,
    );
  }
  const a = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) /
          (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}
