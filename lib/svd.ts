/**
 * Truncated singular value decomposition of a large (sparse) matrix seen only
 * through products `A x` and `Aᵀ y`: Golub–Kahan–Lanczos bidiagonalisation
 * with full reorthogonalisation (classical Gram–Schmidt applied twice), the
 * small bidiagonal matrix decomposed by one-sided Jacobi, stopped once the
 * top-k Ritz triplets' residuals fall below a tolerance. This is what
 * `scipy.sparse.linalg.svds(A, k)` computes (up to the signs of singular
 * vector pairs), without ever forming `A` densely.
 *
 * @example
 * ```ts
 * import { denseOperator, truncatedSvd } from "./svd.ts";
 * // 3 × 2 matrix [[3, 0], [0, 2], [0, 0]]: singular values 3 and 2.
 * const a = new Float64Array([3, 0, 0, 2, 0, 0]);
 * const { s } = truncatedSvd(denseOperator(a, 3, 2), 1);
 * // s[0] ≈ 3
 * ```
 *
 * @module
 */

import type { Interactions } from "./data/interactions.ts";
import { RandomState } from "./rng.ts";

/** A matrix of shape nRows × nCols known through its products with vectors. */
export interface LinearOperator {
  readonly nRows: number;
  readonly nCols: number;
  /** out (length nRows) = A · x (length nCols); overwrites out. */
  matvec(x: Float64Array, out: Float64Array): void;
  /** out (length nCols) = Aᵀ · y (length nRows); overwrites out. */
  rmatvec(y: Float64Array, out: Float64Array): void;
}

/** A truncated SVD A ≈ U · diag(s) · Vᵀ with the k largest singular values. */
export interface TruncatedSvd {
  readonly k: number;
  /** Left singular vectors, row-major nRows × k (column t pairs with s[t]). */
  readonly u: Float64Array;
  /** Singular values, length k, descending. */
  readonly s: Float64Array;
  /** Right singular vectors, row-major nCols × k (column t pairs with s[t]). */
  readonly v: Float64Array;
  /** Lanczos steps taken (size of the bidiagonal matrix). */
  readonly steps: number;
  /** ‖Aᵀ u_t − s_t v_t‖ per triplet, length k (A v_t = s_t u_t holds exactly by construction). */
  readonly residuals: Float64Array;
}

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /** RandomState seed of the Gaussian start vector (default 0). */
  readonly seed?: number;
  /** Stop when every residual ≤ tol · s[0] (default 1e-10). */
  readonly tol?: number;
  /** Most Lanczos steps (default min(nRows, nCols), where the result is exact). */
  readonly maxSteps?: number;
}

/**
 * The operator of the rating matrix centred per user, nUsers × nItems: each
 * rated cell holds rating − userMean[user] (float64), unrated cells 0 — the
 * matrix `svds` factorises in the SVD row of the fast.ai blog. Rows are
 * stored in user order, columns in item order.
 *
 * @param userMean Per-user mean, length nUsers.
 */
export function userCentredOperator(
  ratings: Pick<
    Interactions,
    "users" | "items" | "ratings" | "nUsers" | "nItems"
  >,
  userMean: Float64Array,
): LinearOperator {
  const { nUsers, nItems } = ratings;
  const n = ratings.users.length;
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) =>
    ratings.users[a] - ratings.users[b] || ratings.items[a] - ratings.items[b]
  );
  const indptr = new Int32Array(nUsers + 1);
  const indices = new Int32Array(n), values = new Float64Array(n);
  order.forEach((r, p) => {
    indptr[ratings.users[r] + 1]++;
    indices[p] = ratings.items[r];
    values[p] = ratings.ratings[r] - userMean[ratings.users[r]];
  });
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  return csrOperator(indptr, indices, values, nUsers, nItems);
}

/**
 * The operator of a CSR matrix with float64 values (shape nRows × nCols).
 *
 * @param indptr Row pointers, length nRows + 1.
 * @param indices Column per stored entry, length nnz.
 * @param data Value per stored entry, length nnz.
 */
export function csrOperator(
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
  nRows: number,
  nCols: number,
): LinearOperator {
  if (indptr.length !== nRows + 1 || indices.length !== data.length) {
    throw new RangeError(
      `csrOperator: indptr has ${indptr.length} entries for ${nRows} rows, ` +
        `indices ${indices.length} and data ${data.length}`,
    );
  }
  return {
    nRows,
    nCols,
    matvec(x, out) {
      for (let r = 0; r < nRows; r++) {
        let s = 0;
        for (let p = indptr[r]; p < indptr[r + 1]; p++) {
          s += data[p] * x[indices[p]];
        }
        out[r] = s;
      }
    },
    rmatvec(y, out) {
      out.fill(0);
      for (let r = 0; r < nRows; r++) {
        const yr = y[r];
        if (yr === 0) continue;
        for (let p = indptr[r]; p < indptr[r + 1]; p++) {
          out[indices[p]] += data[p] * yr;
        }
      }
    },
  };
}

/** The operator of a dense row-major nRows × nCols matrix `a`. */
export function denseOperator(
  a: Float64Array,
  nRows: number,
  nCols: number,
): LinearOperator {
  if (a.length !== nRows * nCols) {
    throw new RangeError(
      `denseOperator: ${a.length} values for a ${nRows} × ${nCols} matrix`,
    );
  }
  return {
    nRows,
    nCols,
    matvec(x, out) {
      for (let r = 0; r < nRows; r++) {
        let s = 0;
        for (let c = 0; c < nCols; c++) s += a[r * nCols + c] * x[c];
        out[r] = s;
      }
    },
    rmatvec(y, out) {
      out.fill(0);
      for (let r = 0; r < nRows; r++) {
        for (let c = 0; c < nCols; c++) out[c] += a[r * nCols + c] * y[r];
      }
    },
  };
}

/** A full SVD of a small dense matrix: A = U · diag(s) · Vᵀ. */
export interface DenseSvd {
  /** Left singular vectors, row-major rows × cols (thin), column t pairs with s[t]. */
  readonly u: Float64Array;
  /** Singular values, length cols, descending. */
  readonly s: Float64Array;
  /** Right singular vectors, row-major cols × cols. */
  readonly v: Float64Array;
}

/**
 * Thin SVD of a dense row-major rows × cols matrix (rows ≥ cols) by one-sided
 * (Hestenes) Jacobi rotations, accurate to a few ulps relative to s[0]. Cost
 * O(rows · cols² · sweeps): meant for matrices of a few hundred columns. Left
 * vectors of zero singular values are returned as zero columns.
 *
 * @throws {RangeError} When rows < cols or the sizes disagree.
 */
export function jacobiSvd(
  a: Float64Array,
  rows: number,
  cols: number,
): DenseSvd {
  if (rows < cols || a.length !== rows * cols) {
    throw new RangeError(
      `jacobiSvd: need rows ≥ cols and rows · cols values, got ${rows} × ${cols} with ${a.length}`,
    );
  }
  // Columns stored contiguously: w[c * rows + r] = a[r, c]; vt likewise holds V's columns.
  const w = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) w[c * rows + r] = a[r * cols + c];
  }
  const vc = new Float64Array(cols * cols);
  for (let c = 0; c < cols; c++) vc[c * cols + c] = 1;
  const eps = 2.220446049250313e-16;
  const tol = eps * Math.max(rows, 1);
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let i = 0; i < cols - 1; i++) {
      const oi = i * rows;
      for (let j = i + 1; j < cols; j++) {
        const oj = j * rows;
        let alpha = 0, beta = 0, gamma = 0;
        for (let r = 0; r < rows; r++) {
          const x = w[oi + r], y = w[oj + r];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) {
          continue;
        }
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) /
          (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let r = 0; r < rows; r++) {
          const x = w[oi + r], y = w[oj + r];
          w[oi + r] = c * x - s * y;
          w[oj + r] = s * x + c * y;
        }
        const vi = i * cols, vj = j * cols;
        for (let r = 0; r < cols; r++) {
          const x = vc[vi + r], y = vc[vj + r];
          vc[vi + r] = c * x - s * y;
          vc[vj + r] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let q = 0;
    for (let r = 0; r < rows; r++) q += w[c * rows + r] ** 2;
    norms[c] = Math.sqrt(q);
  }
  const order = Array.from({ length: cols }, (_, c) => c)
    .sort((x, y) => norms[y] - norms[x] || x - y);
  const u = new Float64Array(rows * cols);
  const s = new Float64Array(cols);
  const v = new Float64Array(cols * cols);
  order.forEach((c, t) => {
    s[t] = norms[c];
    const inv = norms[c] > 0 ? 1 / norms[c] : 0;
    for (let r = 0; r < rows; r++) u[r * cols + t] = w[c * rows + r] * inv;
    for (let r = 0; r < cols; r++) v[r * cols + t] = vc[c * cols + r];
  });
  return { u, s, v };
}

/** x -= Σ_j (b_j · x) b_j over the first `count` rows of `basis` (length count · n), twice. */
function reorthogonalize(
  x: Float64Array,
  basis: Float64Array,
  count: number,
  n: number,
  coef: Float64Array,
): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < count; j++) {
      let d = 0;
      const o = j * n;
      for (let i = 0; i < n; i++) d += basis[o + i] * x[i];
      coef[j] = d;
    }
    for (let j = 0; j < count; j++) {
      const d = coef[j], o = j * n;
      if (d === 0) continue;
      for (let i = 0; i < n; i++) x[i] -= d * basis[o + i];
    }
  }
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** A unit vector of length n orthogonal to the first `count` rows of basis. */
function freshDirection(
  rs: RandomState,
  basis: Float64Array,
  count: number,
  n: number,
  coef: Float64Array,
): Float64Array {
  for (let attempt = 0; attempt < 10; attempt++) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rs.standardNormal();
    reorthogonalize(x, basis, count, n, coef);
    const nx = norm(x);
    if (nx > 1e-8) {
      for (let i = 0; i < n; i++) x[i] /= nx;
      return x;
    }
  }
  throw new Error("truncatedSvd: could not find a new orthogonal direction");
}

/**
 * The k largest singular triplets of `op` (shape nRows × nCols) by
 * Golub–Kahan–Lanczos bidiagonalisation with full reorthogonalisation:
 * A V_m = U_m B_m with B_m upper bidiagonal, Ritz triplets from the SVD of
 * B_m, checked every few steps until every residual ≤ tol · s[0] (or
 * min(nRows, nCols) steps, where the decomposition is exact to rounding).
 * Memory: (nRows + nCols) · steps float64 values.
 *
 * @param k Number of triplets, 1 ≤ k ≤ min(nRows, nCols).
 * @throws {RangeError} When k is out of range.
 */
export function truncatedSvd(
  op: LinearOperator,
  k: number,
  options: TruncatedSvdOptions = {},
): TruncatedSvd {
  const full = Math.min(op.nRows, op.nCols);
  if (!Number.isInteger(k) || k < 1 || k > full) {
    throw new RangeError(
      `truncatedSvd: k must be an integer in [1, ${full}], got ${k}`,
    );
  }
  if (op.nRows < op.nCols) {
    // Run on the tall Aᵀ, whose right space (R^nRows) the Lanczos vectors can
    // exhaust, so min(nRows, nCols) steps give the exact decomposition.
    const t = lanczosSvd(transposed(op), k, options);
    return { ...t, u: t.v, v: t.u };
  }
  return lanczosSvd(op, k, options);
}

/** Aᵀ as an operator. */
function transposed(op: LinearOperator): LinearOperator {
  return {
    nRows: op.nCols,
    nCols: op.nRows,
    matvec: (x, out) => op.rmatvec(x, out),
    rmatvec: (y, out) => op.matvec(y, out),
  };
}

/** {@link truncatedSvd} of a tall or square operator (nRows ≥ nCols). */
function lanczosSvd(
  op: LinearOperator,
  k: number,
  options: TruncatedSvdOptions,
): TruncatedSvd {
  const m = op.nRows, n = op.nCols;
  const full = n;
  const tol = options.tol ?? 1e-10;
  const maxSteps = Math.min(full, Math.max(k, options.maxSteps ?? full));
  const rs = new RandomState(options.seed ?? 0);
  const U = new Float64Array(maxSteps * m);
  const V = new Float64Array((maxSteps + 1) * n);
  const alpha = new Float64Array(maxSteps);
  const beta = new Float64Array(maxSteps + 1); // beta[j]: B[j-1, j]; beta[steps] couples v_{steps}
  const coef = new Float64Array(maxSteps + 1);
  const p = new Float64Array(m), r = new Float64Array(n);
  V.set(freshDirection(rs, V, 0, n, coef), 0);
  let nextCheck = Math.min(maxSteps, Math.max(2 * k, k + 20));
  let steps = 0;
  let result: TruncatedSvd | null = null;
  for (let j = 0; j < maxSteps; j++) {
    const vj = V.subarray(j * n, (j + 1) * n);
    op.matvec(vj, p);
    if (j > 0) {
      const b = beta[j], o = (j - 1) * m;
      for (let i = 0; i < m; i++) p[i] -= b * U[o + i];
    }
    reorthogonalize(p, U, j, m, coef);
    let a = norm(p);
    if (a <= 1e-13 * Math.max(1, alpha[0])) {
      // A v_j lies in span(U): continue from a fresh left direction, alpha 0.
      a = 0;
      U.set(freshDirection(rs, U, j, m, coef), j * m);
    } else {
      for (let i = 0; i < m; i++) U[j * m + i] = p[i] / a;
    }
    alpha[j] = a;
    op.rmatvec(U.subarray(j * m, (j + 1) * m), r);
    for (let i = 0; i < n; i++) r[i] -= a * vj[i];
    reorthogonalize(r, V, j + 1, n, coef);
    let b = norm(r);
    steps = j + 1;
    const exhausted = b <= 1e-13 * Math.max(1, alpha[0]);
    if (exhausted) b = 0;
    beta[j + 1] = b;
    if (steps >= k && (steps >= nextCheck || steps === maxSteps || exhausted)) {
      result = ritz(U, V, alpha, beta, steps, m, n, k);
      const bound = tol * result.s[0];
      if (exhausted || result.residuals.every((x) => x <= bound)) break;
      nextCheck = steps + Math.max(10, k >> 1);
      result = null;
    }
    if (j + 1 < maxSteps) {
      if (exhausted) {
        V.set(freshDirection(rs, V, j + 1, n, coef), (j + 1) * n);
      } else {
        for (let i = 0; i < n; i++) V[(j + 1) * n + i] = r[i] / b;
      }
    }
  }
  return result ?? ritz(U, V, alpha, beta, steps, m, n, k);
}

/** Ritz triplets of the first `steps` Lanczos vectors. */
function ritz(
  U: Float64Array,
  V: Float64Array,
  alpha: Float64Array,
  beta: Float64Array,
  steps: number,
  m: number,
  n: number,
  k: number,
): TruncatedSvd {
  const B = new Float64Array(steps * steps);
  for (let j = 0; j < steps; j++) {
    B[j * steps + j] = alpha[j];
    if (j + 1 < steps) B[j * steps + j + 1] = beta[j + 1];
  }
  const small = jacobiSvd(B, steps, steps);
  const s = small.s.slice(0, k);
  const residuals = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    residuals[t] = Math.abs(beta[steps] * small.u[(steps - 1) * steps + t]);
  }
  const u = new Float64Array(m * k), v = new Float64Array(n * k);
  for (let j = 0; j < steps; j++) {
    for (let t = 0; t < k; t++) {
      const pu = small.u[j * steps + t], qv = small.v[j * steps + t];
      if (pu !== 0) {
        for (let i = 0; i < m; i++) u[i * k + t] += pu * U[j * m + i];
      }
      if (qv !== 0) {
        for (let i = 0; i < n; i++) v[i * k + t] += qv * V[j * n + i];
      }
    }
  }
  return { k, u, s, v, steps, residuals };
}
