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
 * the kernels form the two float64 terms they use, {@link weightOf} and
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

/** |c| − 1 in float64: an entry's extra weight over the implicit 1. */
export function weightOf(c: number): number {
  return Math.abs(c) - 1;
}

/** c if c > 0 else 0: an entry's right-hand-side weight c · p. */
export function targetOf(c: number): number {
  return c > 0 ? c : 0;
}

/**
 * The vector kernels of {@link cgSolveRows} and the Gram matrix: {@link scalarKernels} here, or
 * the bit-identical WebAssembly SIMD ones of ./_simd.ts. Offsets are in
 * elements; vectors are k long; `g` is k × k full symmetric.
 */
export interface AlsVectorKernels {
  /** out[oo + a] = Σ_j g[a·k + j] · v[vo + j], each a sequential sum in j order. */
  symv1(
    g: Float64Array,
    v: Float64Array,
    vo: number,
    out: Float64Array,
    oo: number,
    k: number,
  ): void;
  /** G·v[vo..] → out[oo..] and G·v[wo..] → out[po..], sums as symv1. */
  symv2(
    g: Float64Array,
    v: Float64Array,
    vo: number,
    wo: number,
    out: Float64Array,
    oo: number,
    po: number,
    k: number,
  ): void;
  /** out[oo..] += Σ_e (targetOf(c_e) − weightOf(c_e)·(y_e·v[vo..]))·y_e over [e0, e1). */
  residualPart(
    indices: Int32Array,
    e0: number,
    e1: number,
    conf: Float32Array,
    y: Float64Array,
    v: Float64Array,
    vo: number,
    out: Float64Array,
    oo: number,
    k: number,
  ): void;
  /** out[oo..] += Σ_e weightOf(c_e)·(y_e·v[vo..])·y_e over [e0, e1). */
  productPart(
    indices: Int32Array,
    e0: number,
    e1: number,
    conf: Float32Array,
    y: Float64Array,
    v: Float64Array,
    vo: number,
    out: Float64Array,
    oo: number,
    k: number,
  ): void;
  /** {@link gramUpperRows}. */
  gramUpperRows(
    a: Float64Array,
    n: number,
    k: number,
    rowStart: number,
    rowEnd: number,
    g: Float64Array,
  ): void;
}

/** Σ_{j<k} a[ao+j]·b[bo+j] with four accumulators (V8 does not vectorise). */
function dotK(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  k: number,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < k; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < k; j++) s0 += a[ao + j] * b[bo + j];
  return (s0 + s1) + (s2 + s3);
}

/**
 * out[oo + a] = Σ_j g[a·k + j] · v[vo + j] for a < k (G symmetric, full
 * storage). Two rows of G share each load of v; every output is one
 * sequential sum in j order, the same order as {@link symv2}.
 */
function symv1(
  g: Float64Array,
  v: Float64Array,
  vo: number,
  out: Float64Array,
  oo: number,
  k: number,
): void {
  let a = 0;
  for (; a + 1 < k; a += 2) {
    const o0 = a * k, o1 = o0 + k;
    let s0 = 0, s1 = 0;
    for (let j = 0; j < k; j++) {
      const vj = v[vo + j];
      s0 += g[o0 + j] * vj;
      s1 += g[o1 + j] * vj;
    }
    out[oo + a] = s0;
    out[oo + a + 1] = s1;
  }
  if (a < k) {
    const o0 = a * k;
    let s0 = 0;
    for (let j = 0; j < k; j++) s0 += g[o0 + j] * v[vo + j];
    out[oo + a] = s0;
  }
}

/**
 * Two products at once, G·v[vo..] → out[oo..] and G·v[wo..] → out[po..]: a
 * 2 × 2 register tile (two rows of G, two vectors) halves the loads per
 * multiply, about twice as fast in V8 as two {@link symv1} calls, with
 * bit-identical outputs (same sequential sums).
 */
function symv2(
  g: Float64Array,
  v: Float64Array,
  vo: number,
  wo: number,
  out: Float64Array,
  oo: number,
  po: number,
  k: number,
): void {
  let a = 0;
  for (; a + 1 < k; a += 2) {
    const o0 = a * k, o1 = o0 + k;
    let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
    for (let j = 0; j < k; j++) {
      const g0 = g[o0 + j], g1 = g[o1 + j];
      const vj = v[vo + j], wj = v[wo + j];
      s0 += g0 * vj;
      s1 += g1 * vj;
      t0 += g0 * wj;
      t1 += g1 * wj;
    }
    out[oo + a] = s0;
    out[oo + a + 1] = s1;
    out[po + a] = t0;
    out[po + a + 1] = t1;
  }
  if (a < k) {
    const o0 = a * k;
    let s0 = 0, t0 = 0;
    for (let j = 0; j < k; j++) {
      s0 += g[o0 + j] * v[vo + j];
      t0 += g[o0 + j] * v[wo + j];
    }
    out[oo + a] = s0;
    out[po + a] = t0;
  }
}

/**
 * out[oo..oo+k) += Σ_{e∈[e0,e1)} (targetOf(c_e) − weightOf(c_e) · (y_e · v[vo..])) · y_e
 * with y_e = y[indices[e]·k ..], c_e = conf[e]: the sparse part of b − A·v.
 * Entries are taken two at a time so each load of v and out serves two rows of y.
 */
function residualPart(
  indices: Int32Array,
  e0: number,
  e1: number,
  conf: Float32Array,
  y: Float64Array,
  v: Float64Array,
  vo: number,
  out: Float64Array,
  oo: number,
  k: number,
): void {
  let e = e0;
  for (; e + 1 < e1; e += 2) {
    const yo0 = indices[e] * k, yo1 = indices[e + 1] * k;
    let d0 = 0, d1 = 0;
    for (let j = 0; j < k; j++) {
      const vj = v[vo + j];
      d0 += y[yo0 + j] * vj;
      d1 += y[yo1 + j] * vj;
    }
    const c0 = conf[e], c1 = conf[e + 1];
    const t0 = targetOf(c0) - weightOf(c0) * d0;
    const t1 = targetOf(c1) - weightOf(c1) * d1;
    for (let j = 0; j < k; j++) {
      out[oo + j] += t0 * y[yo0 + j] + t1 * y[yo1 + j];
    }
  }
  if (e < e1) {
    const yo = indices[e] * k;
    const c = conf[e];
    const t = targetOf(c) - weightOf(c) * dotK(y, yo, v, vo, k);
    for (let j = 0; j < k; j++) out[oo + j] += t * y[yo + j];
  }
}

/**
 * out[oo..oo+k) += Σ_{e∈[e0,e1)} weightOf(c_e) · (y_e · v[vo..]) · y_e: the
 * sparse part of A·v, entries two at a time as in {@link residualPart}.
 */
function productPart(
  indices: Int32Array,
  e0: number,
  e1: number,
  conf: Float32Array,
  y: Float64Array,
  v: Float64Array,
  vo: number,
  out: Float64Array,
  oo: number,
  k: number,
): void {
  let e = e0;
  for (; e + 1 < e1; e += 2) {
    const yo0 = indices[e] * k, yo1 = indices[e + 1] * k;
    let d0 = 0, d1 = 0;
    for (let j = 0; j < k; j++) {
      const vj = v[vo + j];
      d0 += y[yo0 + j] * vj;
      d1 += y[yo1 + j] * vj;
    }
    const t0 = weightOf(conf[e]) * d0, t1 = weightOf(conf[e + 1]) * d1;
    for (let j = 0; j < k; j++) {
      out[oo + j] += t0 * y[yo0 + j] + t1 * y[yo1 + j];
    }
  }
  if (e < e1) {
    const yo = indices[e] * k;
    const t = weightOf(conf[e]) * dotK(y, yo, v, vo, k);
    for (let j = 0; j < k; j++) out[oo + j] += t * y[yo + j];
  }
}

/**
 * The plain TypeScript vector kernels: the reference whose float64 results
 * the SIMD kernels reproduce bit for bit.
 */
export const scalarKernels: AlsVectorKernels = {
  symv1,
  symv2,
  residualPart,
  productPart,
  gramUpperRows,
};

/** Residual threshold below which CG stops, as implicit (1e-20 on rᵀr). */
const CG_EPS = 1e-20;

/**
 * Conjugate-gradient update (Takács, Pilászy & Tikk 2011, implicit's
 * `least_squares_cg`) of rows [start, end) of `x` (nRows × k, row-major), warm
 * started from the current x_u: r = b_u − A_u x_u, p = r, then up to `cgSteps`
 * steps of α = rᵀr / pᵀA_u p, x += α p, r −= α A_u p, p = r + (rᵀr_new / rᵀr_old) p,
 * stopping early when rᵀr < 1e-20 (and skipping a row whose first rᵀr is
 * below it). A_u p is formed as G p + Σ_i (|c|−1)(y_i·p) y_i, never building
 * A_u. Rows with no entries are set to zero. Rows run two at a time in
 * lockstep to share the G·p products; each row's arithmetic is the same as
 * alone, so the split of [start, end) does not change any result.
 *
 * @param g G = YᵀY + λI, k × k full symmetric.
 * @param scratch At least 6k float64s.
 * @param kern Vector kernels (results are the same for either).
 */
export function cgSolveRows(
  rows: AlsRows,
  x: Float64Array,
  y: Float64Array,
  g: Float64Array,
  k: number,
  cgSteps: number,
  start: number,
  end: number,
  scratch: Float64Array,
  kern: AlsVectorKernels = scalarKernels,
): void {
  const { indptr, indices, conf } = rows;
  const { symv1, symv2, residualPart, productPart } = kern;
  // Scratch layout: r at [0, 2k) (row slot s at s·k), p at [2k, 4k), ap at [4k, 6k).
  const R = 0, P = 2 * k, AP = 4 * k;
  const sc = scratch;
  const rs = [0, 0];
  const active = [false, false];
  for (let u0 = start; u0 < end; u0 += 2) {
    const n = Math.min(2, end - u0);
    // Residuals r = b − G x − Σ (|c|−1)(y·x) y.
    for (let s = 0; s < n; s++) {
      const u = u0 + s;
      active[s] = indptr[u] !== indptr[u + 1];
      if (!active[s]) x.fill(0, u * k, u * k + k);
    }
    if (n === 2 && active[0] && active[1]) {
      symv2(g, x, u0 * k, (u0 + 1) * k, sc, R, R + k, k);
    } else {
      for (let s = 0; s < n; s++) {
        if (active[s]) symv1(g, x, (u0 + s) * k, sc, R + s * k, k);
      }
    }
    for (let s = 0; s < n; s++) {
      if (!active[s]) continue;
      const u = u0 + s, ro = R + s * k, po = P + s * k;
      for (let j = 0; j < k; j++) sc[ro + j] = -sc[ro + j];
      residualPart(
        indices,
        indptr[u],
        indptr[u + 1],
        conf,
        y,
        x,
        u * k,
        sc,
        ro,
        k,
      );
      let r2 = 0;
      for (let j = 0; j < k; j++) {
        const rj = sc[ro + j];
        sc[po + j] = rj;
        r2 += rj * rj;
      }
      rs[s] = r2;
      if (r2 < CG_EPS) active[s] = false;
    }
    for (let it = 0; it < cgSteps; it++) {
      // ap = G p + Σ (|c|−1)(y·p) y
      if (active[0] && active[1]) {
        symv2(g, sc, P, P + k, sc, AP, AP + k, k);
      } else if (active[0] || active[1]) {
        const s = active[0] ? 0 : 1;
        symv1(g, sc, P + s * k, sc, AP + s * k, k);
      } else {
        break;
      }
      for (let s = 0; s < n; s++) {
        if (!active[s]) continue;
        const u = u0 + s, xo = u * k;
        const ro = R + s * k, po = P + s * k, apo = AP + s * k;
        productPart(
          indices,
          indptr[u],
          indptr[u + 1],
          conf,
          y,
          sc,
          po,
          sc,
          apo,
          k,
        );
        const alpha = rs[s] / dotK(sc, po, sc, apo, k);
        let rsnew = 0;
        for (let j = 0; j < k; j++) {
          x[xo + j] += alpha * sc[po + j];
          const rj = sc[ro + j] - alpha * sc[apo + j];
          sc[ro + j] = rj;
          rsnew += rj * rj;
        }
        if (rsnew < CG_EPS) {
          active[s] = false;
          continue;
        }
        const beta = rsnew / rs[s];
        for (let j = 0; j < k; j++) sc[po + j] = sc[ro + j] + beta * sc[po + j];
        rs[s] = rsnew;
      }
    }
  }
}

/**
 * Exact update (implicit's `least_squares`) of rows [start, end) of `x`:
 * builds A_u and b_u, factorises A_u = L Lᵀ and solves. Rows with no entries
 * are set to zero. Throws when A_u is not positive definite (e.g. λ = 0 on a
 * degenerate problem), naming the row.
 *
 * @param g G = YᵀY + λI, k × k full symmetric.
 * @param scratch At least k² + k float64s.
 */
export function choleskySolveRows(
  rows: AlsRows,
  x: Float64Array,
  y: Float64Array,
  g: Float64Array,
  k: number,
  start: number,
  end: number,
  scratch: Float64Array,
): void {
  const { indptr, indices, conf } = rows;
  const a = scratch.subarray(0, k * k);
  const b = scratch.subarray(k * k, k * k + k);
  for (let u = start; u < end; u++) {
    const xo = u * k;
    const e0 = indptr[u], e1 = indptr[u + 1];
    if (e0 === e1) {
      x.fill(0, xo, xo + k);
      continue;
    }
    a.set(g.subarray(0, k * k));
    b.fill(0);
    for (let e = e0; e < e1; e++) {
      const yo = indices[e] * k;
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
 * Each row's share of implicit's `calculate_loss` numerator, written to
 * out[u] for u in [start, end):
 *
 *   out[u] = Σ_i |c_ui| + x_uᵀ(YᵀY)x_u + Σ_i ((|c_ui|−1)(x_u·y_i) − 2 c_ui p_ui)(x_u·y_i)
 *
 * which equals Σ_{all i} c_ui (p_ui − x_u·y_i)² when every c > 0 (implicit adds
 * |c| rather than c·p² for negative entries; this follows it).
 *
 * @param gram YᵀY without the λI term, k × k full symmetric.
 * @param scratch At least k float64s.
 */
export function lossRows(
  rows: AlsRows,
  x: Float64Array,
  y: Float64Array,
  gram: Float64Array,
  k: number,
  start: number,
  end: number,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const { indptr, indices, conf } = rows;
  const r = scratch.subarray(0, k);
  for (let u = start; u < end; u++) {
    const xo = u * k;
    for (let a = 0; a < k; a++) {
      const go = a * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += gram[go + j] * x[xo + j];
      r[a] = s;
    }
    let total = 0;
    for (let e = indptr[u]; e < indptr[u + 1]; e++) {
      const yo = indices[e] * k;
      let d = 0;
      for (let j = 0; j < k; j++) d += y[yo + j] * x[xo + j];
      const w = weightOf(conf[e]);
      const t = -2 * targetOf(conf[e]) + w * d;
      for (let j = 0; j < k; j++) r[j] += t * y[yo + j];
      total += w + 1;
    }
    for (let j = 0; j < k; j++) total += r[j] * x[xo + j];
    out[u] = total;
  }
}

/**
 * Rows [rowStart, rowEnd) of the upper triangle of the Gram matrix AᵀA of an
 * n × k row-major `a`: writes g[i·k + j] for rowStart ≤ i < rowEnd, j ≥ i, and
 * nothing else, so threads may fill disjoint row ranges of one shared `g`.
 * Each entry sums the rows of `a` pairwise in index order, so any split of the
 * output rows gives the same values. Finish with {@link finishGram}.
 */
export function gramUpperRows(
  a: Float64Array,
  n: number,
  k: number,
  rowStart: number,
  rowEnd: number,
  g: Float64Array,
): void {
  for (let i = rowStart; i < rowEnd; i++) g.fill(0, i * k + i, i * k + k);
  let r = 0;
  for (; r + 1 < n; r += 2) {
    const a0 = r * k, a1 = a0 + k;
    for (let i = rowStart; i < rowEnd; i++) {
      const u0 = a[a0 + i], u1 = a[a1 + i];
      const go = i * k;
      for (let j = i; j < k; j++) g[go + j] += u0 * a[a0 + j] + u1 * a[a1 + j];
    }
  }
  if (r < n) {
    const a0 = r * k;
    for (let i = rowStart; i < rowEnd; i++) {
      const u0 = a[a0 + i];
      const go = i * k;
      for (let j = i; j < k; j++) g[go + j] += u0 * a[a0 + j];
    }
  }
}

/**
 * Completes a Gram matrix from its upper triangle: copies it to the lower
 * triangle and adds `lambda` to the diagonal (G = AᵀA + λI, k × k).
 */
export function finishGram(g: Float64Array, k: number, lambda: number): void {
  for (let i = 0; i < k; i++) {
    g[i * k + i] += lambda;
    for (let j = i + 1; j < k; j++) g[j * k + i] = g[i * k + j];
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
