/**
 * Full-batch matrix factorisation over a sparse rating matrix, as Google's
 * "Recommendation Systems" exercise trains it: every epoch predicts every
 * observed entry (i, j) as ⟨U_i, V_j⟩, takes the mean squared error over the
 * observed entries, and steps once with the gradient over the whole sparse
 * structure. Optional terms of the exercise's regularised model:
 *
 *   objective = MSE
 *             + λ · (‖U‖²_F / N + ‖V‖²_F / M)                  (regularization)
 *             + γ · (1 / (N·M)) · Σ_ab (UᵀU)_ab · (VᵀV)_ab      (gravity)
 *
 * with N × d user factors U and M × d item factors V. Gradients:
 * ∂MSE/∂U_i = (2/n) Σ_j r_ij V_j over observed (i, j) with residual r, the
 * regularisation adds (2λ/N)·U, the gravity (2γ/(N·M))·U·(VᵀV) (and the
 * mirror images for V).
 *
 * Two optimisers: `"adam"` is lib/optim/adam.ts's torch-arithmetic dense Adam
 * (the document's `torch.optim.Adam`), `"gd"` plain gradient descent
 * p ← p − lr·g (TensorFlow's `GradientDescentOptimizer`, the exercise's).
 *
 * Speed: the tables live in a WebAssembly memory (lib/optim/adam.ts's
 * arena), rows zero-padded to a multiple of 4 floats, and the forward pass
 * and the gradient scatter run as that arena's f32x4 kernels (`dots`,
 * `scatter`) over precomputed entry offsets in the CSR (row, then column)
 * order; where WebAssembly SIMD is missing, plain loops do the same in
 * float32 storage. The padding columns stay exactly zero (zero gradient,
 * zero moments), so they change nothing.
 *
 * @module
 */

import type { FactorModel } from "../factor_model.ts";
import {
  Adam,
  arenaOf,
  createParamTables,
  type ParamTable,
} from "../../optim/adam.ts";
import {
  kernelModule,
  type Kernels,
  WasmArena,
} from "../../optim/simd_kernels.ts";
import { RandomState } from "../../rng.ts";
import { gramKernels, gramLoop, productLoop } from "./_gram_simd.ts";
import { cooRows, type Csr } from "../../sparse.ts";

/** Hyper-parameters of {@link fitSparseMf}. */
export interface SparseMfConfig {
  /** Embedding dimension d ≥ 1. */
  readonly dim: number;
  /** Full-batch steps (epochs) ≥ 1. */
  readonly epochs: number;
  /** Standard deviation of the N(0, σ²) initial factors (torch `nn.Embedding`: 1). */
  readonly initStd: number;
  /** `"adam"` (torch Adam, β 0.9/0.999, ε 1e-8) or `"gd"` (plain gradient descent). */
  readonly optimizer: "adam" | "gd";
  /** Step size > 0. */
  readonly learningRate: number;
  /** λ of λ·(‖U‖²/N + ‖V‖²/M) (default 0). */
  readonly regularization?: number;
  /** γ of γ·Σ(UᵀU ∘ VᵀV)/(N·M) (default 0). */
  readonly gravity?: number;
  /** Seed of `RandomState(seed).standard_normal`: user factors first, then item factors. */
  readonly seed: number;
  /**
   * Initial factors to start from instead of the seeded σ·N(0, 1) draws
   * (`seed` and `initStd` then unused): `user` train.nRows × dim and `item`
   * train.nCols × dim, row-major float32 (e.g. torch's `nn.Embedding`
   * weights from lib/torch_rng.ts). Copied, not modified.
   */
  readonly initialFactors?: {
    readonly user: Float32Array;
    readonly item: Float32Array;
  };
  /** Use the WebAssembly SIMD kernels when available (default true); false forces the loops. */
  readonly simd?: boolean;
}

/** Per-epoch measurements, each of length `epochs`. */
export interface SparseMfCurves {
  /** Training MSE before each step (what the document's loop prints as "Train loss"). */
  readonly trainMse: Float64Array;
  /** The whole objective (MSE + regularisation + gravity) before each step. */
  readonly objective: Float64Array;
  /** Validation MSE after each step (NaN without validation entries). */
  readonly valMse: Float64Array;
}

/** A fitted model and its curves. */
export interface SparseMfFit {
  /** User and item factors, packed (factors = dim), no biases. */
  readonly model: FactorModel;
  /** Loss curves recorded during training. */
  readonly curves: SparseMfCurves;
}

/** Called after every step with the 0-based epoch and that epoch's measurements. */
export type SparseMfCallback = (
  epoch: number,
  trainMse: number,
  valMse: number,
) => void;

/**
 * Fits U (train.nRows × dim) and V (train.nCols × dim) to the stored entries
 * of `train` by full-batch steps; `val` (same shape, or null) is scored after
 * every step.
 *
 * @throws {RangeError} naming the bad setting, or when `val`'s shape differs.
 *
 * @example
 * ```ts
 * import { fitSparseMf } from "./sparse_mf.ts";
 * import { csrFromCoo } from "../../sparse.ts";
 * const train = csrFromCoo(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1), [4, 3, 5], 2, 2);
 * const fit = fitSparseMf(train, null, { dim: 2, epochs: 3, initStd: 1, optimizer: "adam", learningRate: 0.01, seed: 0 });
 * console.assert(fit.model.nUsers === 2);
 * ```
 */
export function fitSparseMf(
  train: Csr,
  val: Csr | null,
  config: SparseMfConfig,
  onEpoch?: SparseMfCallback,
): SparseMfFit {
  checkConfig(config, train, val);
  const { dim, epochs } = config;
  const nU = train.nRows, nV = train.nCols;
  const stride = Math.ceil(dim / 4) * 4;
  const lambda = config.regularization ?? 0;
  const gamma = config.gravity ?? 0;

  let u0: Float32Array, v0: Float32Array;
  if (config.initialFactors !== undefined) {
    u0 = padRows(config.initialFactors.user, nU, dim, stride);
    v0 = padRows(config.initialFactors.item, nV, dim, stride);
  } else {
    const rs = new RandomState(config.seed);
    u0 = initFactors(nU, dim, stride, config.initStd, rs);
    v0 = initFactors(nV, dim, stride, config.initStd, rs);
  }

  const nTrain = train.indptr[nU];
  const nVal = val === null ? 0 : val.indptr[val.nRows];
  const gramBytes = 4 * stride * stride;
  const scratchBytes = align16(8 * nTrain) + align16(8 * nVal) +
    align16(4 * Math.max(nTrain, nVal, 1)) + align16(4 * nTrain) +
    (gamma !== 0 ? 2 * gramBytes : 0);
  const simd = (config.simd ?? true) && kernelModule() !== null;

  // Tables: in the wasm arena when SIMD is used, else plain arrays.
  let U: Float32Array, V: Float32Array, GU: Float32Array, GV: Float32Array;
  let arena: WasmArena | null = null;
  let offsets: { U: number; V: number; GU: number; GV: number } | null = null;
  let adam: Adam | null = null;
  if (config.optimizer === "adam") {
    const specs = [
      { name: "user_factors", rows: nU, cols: stride, values: u0 },
      { name: "item_factors", rows: nV, cols: stride, values: v0 },
    ];
    const tables: ParamTable[] = simd
      ? createParamTables(specs, { scratchBytes })
      : specs.map(plainTable);
    adam = new Adam(tables, { lr: config.learningRate });
    [U, V, GU, GV] = [
      tables[0].values,
      tables[1].values,
      tables[0].grad,
      tables[1].grad,
    ];
    const a0 = arenaOf(tables[0]), a1 = arenaOf(tables[1]);
    if (simd && a0 !== undefined && a1 !== undefined) {
      arena = a0.arena;
      offsets = {
        U: a0.slot.offsets[0],
        V: a1.slot.offsets[0],
        GU: a0.slot.offsets[1],
        GV: a1.slot.offsets[1],
      };
    }
  } else if (simd) {
    arena = new WasmArena([nU * stride, nV * stride], scratchBytes);
    const [su, sv] = arena.slots;
    su.values.set(u0);
    sv.values.set(v0);
    [U, V, GU, GV] = [su.values, sv.values, su.grad, sv.grad];
    offsets = {
      U: su.offsets[0],
      V: sv.offsets[0],
      GU: su.offsets[1],
      GV: sv.offsets[1],
    };
  } else {
    [U, V] = [u0, v0];
    GU = new Float32Array(u0.length);
    GV = new Float32Array(v0.length);
  }

  // Entry lists in CSR order: rows, columns, ratings.
  const trainRows = cooRows(train), trainCols = train.indices;
  const valRows = val === null ? new Int32Array(0) : cooRows(val);
  const valCols = val === null ? new Int32Array(0) : val.indices;
  const rowBytes = 4 * stride;

  let pred: Float32Array, ds: Float32Array;
  let pairsTrain = 0, pairsVal = 0, predAt = 0, dsAt = 0, gramAt = 0;
  let kernels: Kernels | null = null;
  if (arena !== null) {
    kernels = arena.kernels;
    const buf = arena.memory.buffer;
    let at = arena.scratch;
    pairsTrain = at;
    at += align16(8 * nTrain);
    pairsVal = at;
    at += align16(8 * nVal);
    predAt = at;
    at += align16(4 * Math.max(nTrain, nVal, 1));
    dsAt = at;
    at += align16(4 * nTrain);
    gramAt = at;
    const pt = new Int32Array(buf, pairsTrain, 2 * nTrain);
    for (let e = 0; e < nTrain; e++) {
      pt[2 * e] = trainRows[e] * rowBytes;
      pt[2 * e + 1] = trainCols[e] * rowBytes;
    }
    const pv = new Int32Array(buf, pairsVal, 2 * nVal);
    for (let e = 0; e < nVal; e++) {
      pv[2 * e] = valRows[e] * rowBytes;
      pv[2 * e + 1] = valCols[e] * rowBytes;
    }
    pred = new Float32Array(buf, predAt, Math.max(nTrain, nVal, 1));
    ds = new Float32Array(buf, dsAt, nTrain);
  } else {
    pred = new Float32Array(Math.max(nTrain, nVal, 1));
    ds = new Float32Array(nTrain);
  }

  const forward = (rows: Int32Array, cols: Int32Array, pairs: number) => {
    const n = rows.length;
    if (kernels !== null && offsets !== null) {
      kernels.dots(offsets.U, offsets.V, pairs, n, rowBytes, predAt);
    } else {
      dotsLoop(U, V, rows, cols, stride, pred);
    }
  };

  const curves: SparseMfCurves = {
    trainMse: new Float64Array(epochs),
    objective: new Float64Array(epochs),
    valMse: new Float64Array(epochs),
  };
  // Gravity: γ/(N·M)·Σ(UᵀU ∘ VᵀV); adds (2γ/(N·M))·U·VᵀV to GU and
  // (2γ/(N·M))·V·UᵀU to GV, returns the term's value.
  const simdGram = arena !== null && gamma !== 0
    ? gramKernels(arena.memory, stride)
    : null;
  const gramF64 = new Float64Array(gamma !== 0 ? 2 * dim * dim : 0);
  const gravityInto = (g: number): number => {
    const c = (2 * g) / (nU * nV);
    let sum = 0;
    if (simdGram !== null && arena !== null && offsets !== null) {
      const cu = new Float32Array(arena.memory.buffer, gramAt, stride * stride);
      const cv = new Float32Array(
        arena.memory.buffer,
        gramAt + gramBytes,
        stride * stride,
      );
      cu.fill(0);
      cv.fill(0);
      simdGram.gram(offsets.U, nU, dim, gramAt);
      simdGram.gram(offsets.V, nV, dim, gramAt + gramBytes);
      for (let k = 0; k < cu.length; k++) sum += cu[k] * cv[k];
      simdGram.product(offsets.U, nU, dim, gramAt + gramBytes, offsets.GU, c);
      simdGram.product(offsets.V, nV, dim, gramAt, offsets.GV, c);
    } else {
      const gu = gramF64.subarray(0, dim * dim);
      const gv = gramF64.subarray(dim * dim);
      gramLoop(U, nU, dim, stride, gu);
      gramLoop(V, nV, dim, stride, gv);
      for (let k = 0; k < dim * dim; k++) sum += gu[k] * gv[k];
      productLoop(GU, U, nU, dim, stride, gv, c);
      productLoop(GV, V, nV, dim, stride, gu, c);
    }
    return (g / (nU * nV)) * sum;
  };
  const y = train.data;
  const scale = 2 / nTrain;

  for (let epoch = 0; epoch < epochs; epoch++) {
    // Forward over every observed training entry; residuals; MSE.
    forward(trainRows, trainCols, pairsTrain);
    let sq = 0;
    for (let e = 0; e < nTrain; e++) {
      const r = pred[e] - y[e];
      sq += r * r;
      ds[e] = scale * r;
    }
    const mse = sq / nTrain;

    // Backward: GU_i += ds·V_j, GV_j += ds·U_i over every entry.
    GU.fill(0);
    GV.fill(0);
    if (kernels !== null && offsets !== null) {
      kernels.scatter(
        offsets.U,
        offsets.V,
        offsets.GU,
        offsets.GV,
        pairsTrain,
        dsAt,
        nTrain,
        rowBytes,
      );
    } else {
      scatterLoop(U, V, GU, GV, trainRows, trainCols, ds, stride);
    }
    let objective = mse;
    if (lambda !== 0) {
      objective += lambda * (sumSquares(U) / nU + sumSquares(V) / nV);
      axpyInPlace(GU, (2 * lambda) / nU, U);
      axpyInPlace(GV, (2 * lambda) / nV, V);
    }
    if (gamma !== 0) objective += gravityInto(gamma);
    // Step.
    if (adam !== null) {
      adam.step();
    } else {
      const lr = config.learningRate;
      for (let k = 0; k < U.length; k++) U[k] -= lr * GU[k];
      for (let k = 0; k < V.length; k++) V[k] -= lr * GV[k];
    }

    // Validation after the step, as the document's loop does.
    let valMse = NaN;
    if (nVal > 0 && val !== null) {
      forward(valRows, valCols, pairsVal);
      let vs = 0;
      const yv = val.data;
      for (let e = 0; e < nVal; e++) {
        const r = pred[e] - yv[e];
        vs += r * r;
      }
      valMse = vs / nVal;
    }
    curves.trainMse[epoch] = mse;
    curves.objective[epoch] = objective;
    curves.valMse[epoch] = valMse;
    onEpoch?.(epoch, mse, valMse);
  }

  return {
    model: {
      nUsers: nU,
      nItems: nV,
      factors: dim,
      userFactors: unpad(U, nU, dim, stride),
      itemFactors: unpad(V, nV, dim, stride),
    },
    curves,
  };
}

/**
 * The MSE of ⟨U_i, V_j⟩ against the stored entries of `m` (float64 sums).
 *
 * @throws {RangeError} when `m` is larger than the model.
 */
export function sparseMse(m: Csr, model: FactorModel): number {
  if (m.nRows > model.nUsers || m.nCols > model.nItems) {
    throw new RangeError(
      `sparseMse: a ${m.nRows} × ${m.nCols} matrix does not fit a ${model.nUsers} × ${model.nItems} model`,
    );
  }
  const d = model.factors, U = model.userFactors, V = model.itemFactors;
  let sq = 0;
  for (let i = 0; i < m.nRows; i++) {
    for (let e = m.indptr[i]; e < m.indptr[i + 1]; e++) {
      const j = m.indices[e];
      let p = 0;
      for (let k = 0; k < d; k++) p += U[i * d + k] * V[j * d + k];
      const r = p - m.data[e];
      sq += r * r;
    }
  }
  const n = m.indptr[m.nRows];
  return n === 0 ? NaN : sq / n;
}

/**
 * `rows × dim` draws of σ·N(0, 1) from `rs.standardNormal()` in row-major
 * order, stored with row stride `stride` ≥ dim (padding zero), float32.
 */
export function initFactors(
  rows: number,
  dim: number,
  stride: number,
  std: number,
  rs: RandomState,
): Float32Array {
  const out = new Float32Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) {
      out[r * stride + k] = std * rs.standardNormal();
    }
  }
  return out;
}

// ----------------------------------------------------------------- helpers

function plainTable(
  s: { name: string; rows: number; cols: number; values: Float32Array },
): ParamTable {
  return {
    name: s.name,
    rows: s.rows,
    cols: s.cols,
    values: s.values,
    grad: new Float32Array(s.values.length),
  };
}

/** rows × dim row-major values copied into rows of `stride` floats (padding zero). */
function padRows(
  src: Float32Array,
  rows: number,
  dim: number,
  stride: number,
): Float32Array {
  const out = new Float32Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    out.set(src.subarray(r * dim, (r + 1) * dim), r * stride);
  }
  return out;
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

function checkConfig(c: SparseMfConfig, train: Csr, val: Csr | null): void {
  const fail = (msg: string): never => {
    throw new RangeError(`fitSparseMf: ${msg}`);
  };
  if (!Number.isInteger(c.dim) || c.dim < 1) {
    fail(`dim ${c.dim} must be a positive integer`);
  }
  if (!Number.isInteger(c.epochs) || c.epochs < 1) {
    fail(`epochs ${c.epochs} must be a positive integer`);
  }
  if (!(c.initStd >= 0) || !Number.isFinite(c.initStd)) {
    fail(`initStd ${c.initStd} must be a finite number ≥ 0`);
  }
  if (c.optimizer !== "adam" && c.optimizer !== "gd") {
    fail(`optimizer "${c.optimizer}" must be "adam" or "gd"`);
  }
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate)) {
    fail(`learningRate ${c.learningRate} must be a finite number > 0`);
  }
  for (const k of ["regularization", "gravity"] as const) {
    const v = c[k] ?? 0;
    if (!(v >= 0) || !Number.isFinite(v)) {
      fail(`${k} ${v} must be a finite number ≥ 0`);
    }
  }
  if (c.initialFactors !== undefined) {
    const { user, item } = c.initialFactors;
    if (user.length !== train.nRows * c.dim) {
      fail(
        `initialFactors.user has ${user.length} values, need ${train.nRows} × ${c.dim}`,
      );
    }
    if (item.length !== train.nCols * c.dim) {
      fail(
        `initialFactors.item has ${item.length} values, need ${train.nCols} × ${c.dim}`,
      );
    }
  }
  if (train.indptr[train.nRows] === 0) fail("train has no stored entries");
  if (
    val !== null && (val.nRows !== train.nRows || val.nCols !== train.nCols)
  ) {
    fail(
      `val is ${val.nRows} × ${val.nCols}, train ${train.nRows} × ${train.nCols}`,
    );
  }
}

/** out[e] = U_rows[e] · V_cols[e] (float32 storage, float64 sum). */
function dotsLoop(
  U: Float32Array,
  V: Float32Array,
  rows: Int32Array,
  cols: Int32Array,
  stride: number,
  out: Float32Array,
): void {
  for (let e = 0; e < rows.length; e++) {
    const a = rows[e] * stride, b = cols[e] * stride;
    let s = 0;
    for (let k = 0; k < stride; k++) s += U[a + k] * V[b + k];
    out[e] = s;
  }
}

/** GU_rows[e] += ds[e]·V_cols[e]; GV_cols[e] += ds[e]·U_rows[e], entry by entry. */
function scatterLoop(
  U: Float32Array,
  V: Float32Array,
  GU: Float32Array,
  GV: Float32Array,
  rows: Int32Array,
  cols: Int32Array,
  ds: Float32Array,
  stride: number,
): void {
  for (let e = 0; e < rows.length; e++) {
    const a = rows[e] * stride, b = cols[e] * stride, d = ds[e];
    for (let k = 0; k < stride; k++) {
      GU[a + k] += d * V[b + k];
      GV[b + k] += d * U[a + k];
    }
  }
}

function sumSquares(x: Float32Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * x[k];
  return s;
}

/** y += a·x elementwise. */
function axpyInPlace(y: Float32Array, a: number, x: Float32Array): void {
  for (let k = 0; k < y.length; k++) y[k] += a * x[k];
}

function unpad(
  X: Float32Array,
  rows: number,
  dim: number,
  stride: number,
): Float32Array {
  if (stride === dim) return X.slice(0, rows * dim);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    out.set(X.subarray(r * stride, r * stride + dim), r * dim);
  }
  return out;
}
