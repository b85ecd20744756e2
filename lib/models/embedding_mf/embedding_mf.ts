/**
 * The embedding matrix-factorisation model that Spotlight, Keras and fast.ai
 * documents train with minibatch gradient descent: a prediction is
 *
 *   s = u_u · v_i + b_u + b_i        (biases optional)
 *   ŷ = s, or lo + (hi − lo)·σ(s)    (fast.ai's `sigmoid_range`, Keras' scaled sigmoid)
 *
 * This file holds the model's pieces: the pointwise losses, the
 * initialisation, and one minibatch's loss and gradient; the prediction is
 * `predictPairs` in factor_model.ts.
 * The training loop (Adam, epochs, schedules) is `fit.ts`.
 *
 * @module
 */

import { type Adam, arenaOf, type ParamTable } from "../../optim/adam.ts";
import { sigmoid } from "../factor_model.ts";
import type { RandomState } from "../../rng.ts";

/** Rating triples: parallel arrays of length n (row r: user, item, rating). */
export interface RatingTriples {
  /** User index per row, in [0, nUsers). */
  readonly users: Int32Array;
  /** Item index per row, in [0, nItems). */
  readonly items: Int32Array;
  /** Rating per row. */
  readonly ratings: Float32Array;
}

/**
 * Checks `data` before training: equal lengths, every user below `nUsers`,
 * every item below `nItems`, every rating finite.
 *
 * @param who Prefix of the error messages (the calling fitter's name).
 * @throws {RangeError} naming the lengths, or the first bad row.
 */
export function checkRatingTriples(
  data: RatingTriples,
  nUsers: number,
  nItems: number,
  who: string,
): void {
  const n = data.users.length;
  if (data.items.length !== n || data.ratings.length !== n) {
    throw new RangeError(
      `${who}: users, items and ratings have lengths ${n}, ${data.items.length}, ${data.ratings.length}`,
    );
  }
  for (let r = 0; r < n; r++) {
    const u = data.users[r], i = data.items[r];
    if (
      !(u >= 0 && u < nUsers) || !(i >= 0 && i < nItems) ||
      !Number.isFinite(data.ratings[r])
    ) {
      throw new RangeError(
        `${who}: row ${r} (user ${u}, item ${i}, rating ${
          data.ratings[r]
        }) lies outside ${nUsers} × ${nItems} or is not finite`,
      );
    }
  }
}

/** A pointwise loss ℓ(ŷ, y) and its derivative in ŷ; a minibatch's loss is the mean over its rows. */
export interface PointwiseLoss {
  /** Name used in configurations and flags, e.g. "mse". */
  readonly name: string;
  /** ℓ(ŷ, y). */
  value(prediction: number, target: number): number;
  /** ∂ℓ/∂ŷ at (ŷ, y). */
  derivative(prediction: number, target: number): number;
}

/** Squared error (ŷ − y)²: Spotlight's `regression_loss`, Keras' and PyTorch's MSE. */
export const SQUARED_ERROR: PointwiseLoss = {
  name: "mse",
  value: (p, y) => (p - y) * (p - y),
  derivative: (p, y) => 2 * (p - y),
};

/** Losses by name, for configurations and flags. */
export const LOSSES: Readonly<Record<string, PointwiseLoss>> = {
  mse: SQUARED_ERROR,
};

/**
 * An L2 penalty on the factor tables (not the biases), part of the loss:
 *
 * - `"table"`: coef · (Σ‖U‖² + Σ‖V‖²) over whole tables, as a Keras
 *   `embeddings_regularizer=l2(coef)` adds; its gradient 2·coef·w reaches
 *   every row every step (folded into Adam's per-table weight decay).
 * - `"batch"`: coef · (1/B) Σ_j (‖u_{u_j}‖² + ‖v_{i_j}‖²) over the B rows of
 *   the minibatch (each occurrence counts), the per-example penalty of
 *   classic SGD factorisation; only the batch's rows get its gradient.
 */
export interface L2Penalty {
  /** Penalty weight, ≥ 0. */
  readonly coef: number;
  /** Whole tables every step, or the minibatch's rows (see above). */
  readonly scope: "table" | "batch";
  /**
   * `"table"` scope only: penalise the bias tables too, coef · (Σb_u² + Σb_i²)
   * (Keras `ExplicitMatrixFactorisationBias` puts `l2(1e-6)` on its bias
   * embeddings as well). Default false: factors only.
   */
  readonly biases?: boolean;
}

/** The trainable tables, in the order Adam receives them. */
export interface EmbeddingMfTables {
  /** nUsers × dim. */
  readonly userFactors: ParamTable;
  /** nItems × dim. */
  readonly itemFactors: ParamTable;
  /** nUsers × 1, or undefined without biases. */
  readonly userBias?: ParamTable;
  /** nItems × 1. */
  readonly itemBias?: ParamTable;
}

/**
 * Fills `userFactors` then `itemFactors` (row-major) with N(0, std²) draws
 * from `rs` (Spotlight's `ScaledEmbedding`: torch `normal_(0, 1/dim)`, i.e.
 * std = 1/dim; the draws come from numpy's legacy normal, not torch's
 * generator). Biases are left at zero (`ZeroEmbedding`).
 */
export function initNormal(
  tables: EmbeddingMfTables,
  std: number,
  rs: RandomState,
): void {
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw new RangeError(`initNormal: std ${std} must be a finite number ≥ 0`);
  }
  for (const t of [tables.userFactors, tables.itemFactors]) {
    const w = t.values;
    for (let j = 0; j < w.length; j++) w[j] = std * rs.standardNormal();
  }
}

/**
 * Keras' default `Embedding` initialiser, `RandomUniform(−limit, limit)`
 * with limit 0.05: fills `userFactors`, `itemFactors`, then (if present)
 * `userBias` and `itemBias`, row-major, with `rs.uniform(−limit, limit)`
 * draws (numpy's legacy uniform, not TensorFlow's generator; Keras draws
 * each layer from its own stream, so only the distribution matches).
 *
 * @throws {RangeError} when `limit` is not a finite number ≥ 0.
 */
export function initUniform(
  tables: EmbeddingMfTables,
  limit: number,
  rs: RandomState,
): void {
  if (!(limit >= 0) || !Number.isFinite(limit)) {
    throw new RangeError(
      `initUniform: limit ${limit} must be a finite number ≥ 0`,
    );
  }
  for (
    const t of [
      tables.userFactors,
      tables.itemFactors,
      tables.userBias,
      tables.itemBias,
    ]
  ) {
    if (!t) continue;
    const w = t.values;
    for (let j = 0; j < w.length; j++) w[j] = rs.uniform(-limit, limit);
  }
}

/** What {@link batchGradient} needs besides the tables. */
export interface BatchSpec {
  readonly dim: number;
  readonly loss: PointwiseLoss;
  readonly outputRange?: readonly [number, number];
  /** A `"batch"`-scope penalty adds its gradient here; `"table"` is Adam's job. */
  readonly l2?: L2Penalty;
}

/** Scratch bytes per minibatch row that {@link batchGradient}'s SIMD path needs in the tables' arena. */
export const SCRATCH_BYTES_PER_ROW = 16;

/**
 * The mean loss over rows `order[from..to)` of `data` and its gradient,
 * accumulated (+=) into the tables' `grad`; every row written is marked
 * with `opt.touch` (table indices 0..3 in {@link EmbeddingMfTables} order).
 *
 * When both factor tables live in one wasm arena (`createParamTables`) with
 * `SCRATCH_BYTES_PER_ROW` scratch bytes per batch row, `dim` is a multiple
 * of 4 and there is no `"batch"` penalty, the dot products and the factor
 * gradients run in the SIMD kernels (float32 arithmetic, as torch computes
 * them); otherwise in JavaScript (float64 arithmetic, float32 storage). The
 * two paths agree to float32 rounding, not bit for bit.
 *
 * @returns the data loss (mean of ℓ over the batch) and, with a `"batch"`
 *   penalty, its value, separately.
 */
export function batchGradient(
  tables: EmbeddingMfTables,
  data: RatingTriples,
  order: Int32Array,
  from: number,
  to: number,
  spec: BatchSpec,
  opt: Pick<Adam, "touch">,
): { loss: number; penalty: number } {
  const d = spec.dim;
  const U = tables.userFactors.values, V = tables.itemFactors.values;
  const GU = tables.userFactors.grad, GV = tables.itemFactors.grad;
  const bu = tables.userBias?.values, bi = tables.itemBias?.values;
  const gbu = tables.userBias?.grad, gbi = tables.itemBias?.grad;
  const range = spec.outputRange;
  const lossFn = spec.loss;
  const B = to - from;
  const inv = 1 / B;
  const rowCoef = spec.l2?.scope === "batch" ? spec.l2.coef : 0;
  const uArena = arenaOf(tables.userFactors),
    vArena = arenaOf(tables.itemFactors);
  if (
    uArena && vArena && uArena.arena === vArena.arena && d % 4 === 0 &&
    rowCoef === 0 &&
    B * SCRATCH_BYTES_PER_ROW <= uArena.arena.scratchBytes
  ) {
    const { arena } = uArena;
    const buf = arena.memory.buffer;
    const pairsAt = arena.scratch,
      outAt = pairsAt + 8 * B,
      dsAt = outAt + 4 * B;
    const pairs = new Int32Array(buf, pairsAt, 2 * B);
    const dots = new Float32Array(buf, outAt, B);
    const dss = new Float32Array(buf, dsAt, B);
    const rowBytes = 4 * d;
    for (let j = 0; j < B; j++) {
      const row = order[from + j];
      pairs[2 * j] = data.users[row] * rowBytes;
      pairs[2 * j + 1] = data.items[row] * rowBytes;
    }
    const U0 = uArena.slot.offsets[0], V0 = vArena.slot.offsets[0];
    arena.kernels.dots(U0, V0, pairsAt, B, rowBytes, outAt);
    let loss = 0;
    for (let j = 0; j < B; j++) {
      const row = order[from + j];
      const u = data.users[row], i = data.items[row], y = data.ratings[row];
      const s = dots[j] + (bu ? bu[u] : 0) + (bi ? bi[i] : 0);
      let pred = s, dPred = 1;
      if (range) {
        const sg = sigmoid(s);
        pred = range[0] + (range[1] - range[0]) * sg;
        dPred = (range[1] - range[0]) * sg * (1 - sg);
      }
      loss += lossFn.value(pred, y);
      const ds = lossFn.derivative(pred, y) * dPred * inv;
      dss[j] = ds;
      opt.touch(0, u);
      opt.touch(1, i);
      if (gbu && gbi) {
        gbu[u] += ds;
        gbi[i] += ds;
        opt.touch(2, u);
        opt.touch(3, i);
      }
    }
    arena.kernels.scatter(
      U0,
      V0,
      uArena.slot.offsets[1],
      vArena.slot.offsets[1],
      pairsAt,
      dsAt,
      B,
      rowBytes,
    );
    return { loss: loss * inv, penalty: 0 };
  }
  let loss = 0, penalty = 0;
  for (let r = from; r < to; r++) {
    const row = order[r];
    const u = data.users[row], i = data.items[row], y = data.ratings[row];
    const ou = u * d, oi = i * d;
    let s = (bu ? bu[u] : 0) + (bi ? bi[i] : 0);
    for (let k = 0; k < d; k++) s += U[ou + k] * V[oi + k];
    let pred = s, dPred = 1;
    if (range) {
      const sg = sigmoid(s);
      pred = range[0] + (range[1] - range[0]) * sg;
      dPred = (range[1] - range[0]) * sg * (1 - sg);
    }
    loss += lossFn.value(pred, y);
    const ds = lossFn.derivative(pred, y) * dPred * inv;
    const dr = 2 * rowCoef * inv;
    if (rowCoef !== 0) {
      let nu = 0, ni = 0;
      for (let k = 0; k < d; k++) {
        nu += U[ou + k] * U[ou + k];
        ni += V[oi + k] * V[oi + k];
      }
      penalty += rowCoef * (nu + ni);
      for (let k = 0; k < d; k++) {
        const uk = U[ou + k], vk = V[oi + k];
        GU[ou + k] += ds * vk + dr * uk;
        GV[oi + k] += ds * uk + dr * vk;
      }
    } else {
      for (let k = 0; k < d; k++) {
        const uk = U[ou + k], vk = V[oi + k];
        GU[ou + k] += ds * vk;
        GV[oi + k] += ds * uk;
      }
    }
    opt.touch(0, u);
    opt.touch(1, i);
    if (gbu && gbi) {
      gbu[u] += ds;
      gbi[i] += ds;
      opt.touch(2, u);
      opt.touch(3, i);
    }
  }
  return { loss: loss * inv, penalty: penalty * inv };
}

/** Σ w² over the factor tables (the `"table"` penalty divided by its coefficient). */
export function factorSquaredNorm(tables: EmbeddingMfTables): number {
  let s = 0;
  for (const t of [tables.userFactors, tables.itemFactors]) {
    const w = t.values;
    for (let j = 0; j < w.length; j++) s += w[j] * w[j];
  }
  return s;
}

/** Σ b² over the bias tables (0 without biases); with `biases: true` part of the `"table"` penalty. */
export function biasSquaredNorm(tables: EmbeddingMfTables): number {
  let s = 0;
  for (const t of [tables.userBias, tables.itemBias]) {
    if (!t) continue;
    const w = t.values;
    for (let j = 0; j < w.length; j++) s += w[j] * w[j];
  }
  return s;
}
