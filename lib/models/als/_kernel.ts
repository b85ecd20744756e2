/**
 * The per-row work of one implicit-ALS half-iteration, shared by the main
 * thread and the workers of {@link ../models/als.ts}: for rows [start, end) of
 * one side (users, or items), solve that row's factors from the other side's
 * factors, or compute that row's share of the training loss. Each row reads
 * only its own CSR row, the other side's factors and the k × k Gram matrix, so
 * any split of the rows over threads gives bit-identical results.
 *
 * Notation (Hu, Koren & Volinsky 2008, as implicit implements it): for row u
 * with stored entries (i, c_ui), c_ui = alpha × value (already applied),
 * p_ui = 1 if c_ui > 0 else 0, and |c_ui| the confidence (negative values mean
 * "disliked with confidence |c|"). Unstored entries have p = 0, c = 1. With
 * G = YᵀY + λI (k × k):
 *
 *   A_u = G + Σ_i (|c_ui| − 1) y_i y_iᵀ,   b_u = Σ_{i: c_ui > 0} c_ui y_i,
 *   x_u = A_u⁻¹ b_u.
 *
 * @module
 */

import { choleskyFactor, choleskySolve } from "../../linalg.ts";

/**
 * One side's CSR rows with their float32 confidences c (4 bytes per entry;
 * the kernels form the two float32 terms they use, {@link weightOf} and
 * {@link targetOf}, per entry as they go).
 */
export interface AlsRows {
  readonly nRows: number;
  /** Row pointers, length nRows + 1. */
  readonly indptr: Int32Array;
  /** Column (other side's row) per stored entry, length nnz. */
  readonly indices: Int32Array;
  /** Confidence c = alpha · value per stored entry, length nnz. */
  readonly conf: Float32Array;
}

/** Row stride of the float32 factor matrices: k rounded up to a multiple of 4 (16-byte rows). */
export function paddedFactors(k: number): number {
  return Math.ceil(k / 4) * 4;
}

/** |c| − 1 rounded to float32: an entry's extra weight over the implicit 1. */
export function weightOf(c: number): number {
  return fround(Math.abs(c) - 1);
}

/** c if c > 0 else 0: an entry's right-hand-side weight c · p. */
export function targetOf(c: number): number {
  return c > 0 ? c : 0;
}

const fround = Math.fround;

/**
 * The kernels that have a WebAssembly SIMD twin: {@link scalarKernels} here,
 * or the bit-identical ones of ./_simd.ts.
 */
export interface AlsKernels {
  /** {@link cgSolveRows} (same arguments, same results). */
  readonly cgSolveRows: typeof cgSolveRows;
  /** {@link gramUpperRows}. */
  readonly gramUpperRows: typeof gramUpperRows;
}

/**
 * Σ_{j<ks} a[ao+j]·b[bo+j] in float32 as the SIMD kernels form it: four
 * accumulators s_l over j ≡ l (mod 4) in j order, then (s0 + s1) + (s2 + s3).
 */
function dot4(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  ks: number,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let j = 0; j < ks; j += 4) {
    s0 = fround(s0 + fround(a[ao + j] * b[bo + j]));
    s1 = fround(s1 + fround(a[ao + j + 1] * b[bo + j + 1]));
    s2 = fround(s2 + fround(a[ao + j + 2] * b[bo + j + 2]));
    s3 = fround(s3 + fround(a[ao + j + 3] * b[bo + j + 3]));
  }
  return fround(fround(s0 + s1) + fround(s2 + s3));
}

/**
 * out[oo + a] = Σ_j g[a·ks + j] · v[vo + j] for a < ks (G symmetric), each a
 * sequential float32 sum in j order.
 */
function symv(
  g: Float32Array,
  v: Float32Array,
  vo: number,
  out: Float32Array,
  oo: number,
  ks: number,
): void {
  for (let a = 0; a < ks; a++) {
    const go = a * ks;
    let s = 0;
    for (let j = 0; j < ks; j++) s = fround(s + fround(g[go + j] * v[vo + j]));
    out[oo + a] = s;
  }
}

/**
 * out[oo..oo+ks) += Σ_{e∈[e0,e1)} t_e · y_e, y_e = y[indices[e]·ks ..], with
 * t_e = targetOf(c_e) − weightOf(c_e)·(y_e · v) when `residual` (the sparse
 * part of b − A·v) else weightOf(c_e)·(y_e · v) (of A·v), in float32. Entries
 * eight at a time, out = (((out + (t0·y0 + t1·y1)) + (t2·y2 + t3·y3)) +
 * (t4·y4 + t5·y5)) + (t6·y6 + t7·y7), then four at a time in the same way,
 * then one at a time, as the SIMD kernel.
 */
function sparsePart(
  residual: boolean,
  indices: Int32Array,
  e0: number,
  e1: number,
  conf: Float32Array,
  y: Float32Array,
  v: Float32Array,
  vo: number,
  out: Float32Array,
  oo: number,
  ks: number,
): void {
  const term = (c: number, d: number) => {
    const t = fround(weightOf(c) * d);
    return residual ? fround(targetOf(c) - t) : t;
  };
  let e = e0;
  const t = new Float64Array(8);
  for (; e + 8 <= e1; e += 8) {
    const yo = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => indices[e + i] * ks);
    for (let i = 0; i < 8; i++) {
      t[i] = term(conf[e + i], dot4(y, yo[i], v, vo, ks));
    }
    for (let j = 0; j < ks; j++) {
      let o = out[oo + j];
      for (let q = 0; q < 8; q += 2) {
        o = fround(
          o +
            fround(
              fround(t[q] * y[yo[q] + j]) + fround(t[q + 1] * y[yo[q + 1] + j]),
            ),
        );
      }
      out[oo + j] = o;
    }
  }
  for (; e + 4 <= e1; e += 4) {
    const y0 = indices[e] * ks, y1 = indices[e + 1] * ks;
    const y2 = indices[e + 2] * ks, y3 = indices[e + 3] * ks;
    const t0 = term(conf[e], dot4(y, y0, v, vo, ks));
    const t1 = term(conf[e + 1], dot4(y, y1, v, vo, ks));
    const t2 = term(conf[e + 2], dot4(y, y2, v, vo, ks));
    const t3 = term(conf[e + 3], dot4(y, y3, v, vo, ks));
    for (let j = 0; j < ks; j++) {
      const a = fround(fround(t0 * y[y0 + j]) + fround(t1 * y[y1 + j]));
      const b = fround(fround(t2 * y[y2 + j]) + fround(t3 * y[y3 + j]));
      out[oo + j] = fround(fround(out[oo + j] + a) + b);
    }
  }
  for (; e < e1; e++) {
    const yo = indices[e] * ks;
    const t = term(conf[e], dot4(y, yo, v, vo, ks));
    for (let j = 0; j < ks; j++) {
      out[oo + j] = fround(out[oo + j] + fround(t * y[yo + j]));
    }
  }
}

/** Residual threshold below which CG stops, as implicit (1e-20 on rᵀr). */
const CG_EPS = 1e-20;

/**
 * Conjugate-gradient update (Takács, Pilászy & Tikk 2011, implicit's
 * `least_squares_cg`) of rows [start, end) of `x` (nRows × ks float32,
 * row-major, padding columns zero), warm started from the current x_u, all
 * in float32 as implicit's float32 BLAS: r = b_u − A_u x_u, p = r, then up to
 * `cgSteps` steps of α = rᵀr / pᵀA_u p, x += α p, r −= α A_u p,
 * p = r + (rᵀr_new / rᵀr_old) p, stopping early when rᵀr < 1e-20 (and
 * skipping a row whose first rᵀr is below it). A_u p is formed as
 * G p + Σ_i (|c|−1)(y_i·p) y_i, never building A_u. Rows with no entries are
 * set to zero. Each row's result depends only on its own data, so any split
 * of [start, end) gives the same factors. This plain TypeScript version
 * rounds every operation with Math.fround in the SIMD kernel's order and is
 * its bit-for-bit reference.
 *
 * @param g G = YᵀY + λI as float32, ks × ks full symmetric, padding zero.
 * @param ks Row stride ({@link paddedFactors} of k).
 * @param scratch At least 3·ks float32s.
 */
export function cgSolveRows(
  rows: AlsRows,
  x: Float32Array,
  y: Float32Array,
  g: Float32Array,
  ks: number,
  cgSteps: number,
  start: number,
  end: number,
  scratch: Float32Array,
): void {
  const { indptr, indices, conf } = rows;
  const R = 0, P = ks, AP = 2 * ks;
  const sc = scratch;
  for (let u = start; u < end; u++) {
    const xo = u * ks, e0 = indptr[u], e1 = indptr[u + 1];
    if (e0 === e1) {
      x.fill(0, xo, xo + ks);
      continue;
    }
    symv(g, x, xo, sc, R, ks);
    for (let j = 0; j < ks; j++) sc[R + j] = -sc[R + j];
    sparsePart(true, indices, e0, e1, conf, y, x, xo, sc, R, ks);
    sc.copyWithin(P, R, R + ks);
    let rs = dot4(sc, R, sc, R, ks);
    if (rs < CG_EPS) continue;
    for (let it = 0; it < cgSteps; it++) {
      symv(g, sc, P, sc, AP, ks);
      sparsePart(false, indices, e0, e1, conf, y, sc, P, sc, AP, ks);
      const alpha = fround(rs / dot4(sc, P, sc, AP, ks));
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < ks; j += 4) {
        for (let l = 0; l < 4; l++) {
          x[xo + j + l] = fround(
            x[xo + j + l] + fround(alpha * sc[P + j + l]),
          );
          sc[R + j + l] = fround(
            sc[R + j + l] - fround(alpha * sc[AP + j + l]),
          );
        }
        s0 = fround(s0 + fround(sc[R + j] * sc[R + j]));
        s1 = fround(s1 + fround(sc[R + j + 1] * sc[R + j + 1]));
        s2 = fround(s2 + fround(sc[R + j + 2] * sc[R + j + 2]));
        s3 = fround(s3 + fround(sc[R + j + 3] * sc[R + j + 3]));
      }
      const rsnew = fround(fround(s0 + s1) + fround(s2 + s3));
      if (rsnew < CG_EPS) break;
      const beta = fround(rsnew / rs);
      for (let j = 0; j < ks; j++) {
        sc[P + j] = fround(sc[R + j] + fround(beta * sc[P + j]));
      }
      rs = rsnew;
    }
  }
}

/**
 * The plain TypeScript kernels: the reference whose results the SIMD kernels
 * reproduce bit for bit.
 */
export const scalarKernels: AlsKernels = {
  cgSolveRows,
  gramUpperRows,
};

/**
 * Exact update (implicit's `least_squares`) of rows [start, end) of `x`
 * (float32, nRows × ks): builds A_u and b_u in float64 (this thread's
 * scratch), factorises A_u = L Lᵀ, solves and stores x_u rounded to float32.
 * Rows with no entries are set to zero. Throws when A_u is not positive
 * definite (e.g. λ = 0 on a degenerate problem), naming the row.
 *
 * @param g G = YᵀY + λI in float64, k × k full symmetric.
 * @param ks Row stride of `x` and `y` ({@link paddedFactors} of k).
 * @param scratch At least k² + k float64s.
 */
export function choleskySolveRows(
  rows: AlsRows,
  x: Float32Array,
  y: Float32Array,
  g: Float64Array,
  k: number,
  ks: number,
  start: number,
  end: number,
  scratch: Float64Array,
): void {
  const { indptr, indices, conf } = rows;
  const a = scratch.subarray(0, k * k);
  const b = scratch.subarray(k * k, k * k + k);
  for (let u = start; u < end; u++) {
    const xo = u * ks;
    const e0 = indptr[u], e1 = indptr[u + 1];
    if (e0 === e1) {
      x.fill(0, xo, xo + ks);
      continue;
    }
    a.set(g.subarray(0, k * k));
    b.fill(0);
    for (let e = e0; e < e1; e++) {
      const yo = indices[e] * ks;
      const w = weightOf(conf[e]), t = targetOf(conf[e]);
      for (let i = 0; i < k; i++) {
        const wy = w * y[yo + i];
        const ao = i * k;
        // Lower triangle only: choleskyFactor reads nothing else.
        for (let j = 0; j <= i; j++) a[ao + j] += wy * y[yo + j];
        b[i] += t * y[yo + i];
      }
    }
    try {
      choleskyFactor(a, k);
    } catch (err) {
      throw new RangeError(
        `ALS cholesky: the system of row ${u} is not positive definite ` +
          `(${(err as Error).message}); increase regularization`,
      );
    }
    choleskySolve(a, k, b);
    for (let j = 0; j < k; j++) x[xo + j] = b[j];
  }
}

/**
 * Each row's share of implicit's `calculate_loss` numerator, in float64 from
 * the float32 factors, written to out[u] for u in [start, end):
 *
 *   out[u] = Σ_i |c_ui| + x_uᵀ(YᵀY)x_u + Σ_i ((|c_ui|−1)(x_u·y_i) − 2 c_ui p_ui)(x_u·y_i)
 *
 * which equals Σ_{all i} c_ui (p_ui − x_u·y_i)² when every c > 0 (implicit adds
 * |c| rather than c·p² for negative entries; this follows it).
 *
 * @param gram YᵀY without the λI term, float64 k × k full symmetric.
 * @param ks Row stride of `x` and `y`.
 * @param scratch At least k float64s.
 */
export function lossRows(
  rows: AlsRows,
  x: Float32Array,
  y: Float32Array,
  gram: Float64Array,
  k: number,
  ks: number,
  start: number,
  end: number,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const { indptr, indices, conf } = rows;
  const r = scratch.subarray(0, k);
  for (let u = start; u < end; u++) {
    const xo = u * ks;
    for (let a = 0; a < k; a++) {
      const go = a * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += gram[go + j] * x[xo + j];
      r[a] = s;
    }
    let total = 0;
    for (let e = indptr[u]; e < indptr[u + 1]; e++) {
      const yo = indices[e] * ks;
      let d = 0;
      for (let j = 0; j < k; j++) d += y[yo + j] * x[xo + j];
      const w = Math.abs(conf[e]) - 1;
      const t = -2 * targetOf(conf[e]) + w * d;
      for (let j = 0; j < k; j++) r[j] += t * y[yo + j];
      total += w + 1;
    }
    for (let j = 0; j < k; j++) total += r[j] * x[xo + j];
    out[u] = total;
  }
}

/**
 * Rows [rowStart, rowEnd) of the upper triangle of the Gram matrix AᵀA, in
 * float64, of an n × k float32 `a` whose rows are `ks` floats apart: writes
 * g[i·k + j] for rowStart ≤ i < rowEnd, j ≥ i, and nothing else, so threads
 * may fill disjoint row ranges of one shared `g`. Each entry sums the rows of
 * `a` pairwise in index order (products of float32 values are exact in
 * float64), so any split of the output rows gives the same values. Finish
 * with {@link finishGram}.
 */
export function gramUpperRows(
  a: Float32Array,
  n: number,
  k: number,
  ks: number,
  rowStart: number,
  rowEnd: number,
  g: Float64Array,
): void {
  for (let i = rowStart; i < rowEnd; i++) g.fill(0, i * k + i, i * k + k);
  let r = 0;
  for (; r + 1 < n; r += 2) {
    const a0 = r * ks, a1 = a0 + ks;
    for (let i = rowStart; i < rowEnd; i++) {
      const u0 = a[a0 + i], u1 = a[a1 + i];
      const go = i * k;
      for (let j = i; j < k; j++) g[go + j] += u0 * a[a0 + j] + u1 * a[a1 + j];
    }
  }
  if (r < n) {
    const a0 = r * ks;
    for (let i = rowStart; i < rowEnd; i++) {
      const u0 = a[a0 + i];
      const go = i * k;
      for (let j = i; j < k; j++) g[go + j] += u0 * a[a0 + j];
    }
  }
}

/**
 * Completes a float64 Gram matrix from its upper triangle: copies it to the
 * lower triangle and adds `lambda` to the diagonal (G = AᵀA + λI, k × k).
 * With `g32`, also stores G rounded to float32 there, ks × ks with the
 * padding rows and columns left as they are (zero), for CG.
 */
export function finishGram(
  g: Float64Array,
  k: number,
  lambda: number,
  g32?: Float32Array,
  ks = k,
): void {
  for (let i = 0; i < k; i++) {
    g[i * k + i] += lambda;
    for (let j = i + 1; j < k; j++) g[j * k + i] = g[i * k + j];
  }
  if (g32 === undefined) return;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) g32[i * ks + j] = g[i * k + j];
  }
}

/**
 * Splits the k rows of an upper triangle into `parts` contiguous ranges of
 * nearly equal entry counts (row i holds k − i entries). Returns parts + 1
 * boundaries, the first 0 and the last k.
 */
export function splitUpperRows(k: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  const total = (k * (k + 1)) / 2;
  let row = 0, acc = 0;
  for (let p = 1; p < parts; p++) {
    const goal = (total * p) / parts;
    while (row < k && acc + (k - row) / 2 < goal) acc += k - row++;
    bounds[p] = row;
  }
  bounds[parts] = k;
  return bounds;
}
