/**
 * The "neural network on concatenated embeddings" recommender that Keras and
 * fast.ai documents build (fast.ai lesson 4; the blog's
 * `build_nn_recommender`): for a pair (u, i)
 *
 *   x₀ = [e_u ; e_i]                              (2·dim, users' then items' embedding)
 *   for each dense layer ℓ = 1..L:
 *     x ← dropout(x, p_ℓ)                         (training only; inverted: kept units ×1/(1−p))
 *     x ← x·W_ℓ + b_ℓ                             (W_ℓ: inputs × outputs, Keras' kernel layout)
 *     x ← relu(x)                                 (all but the last layer; the last has 1 output)
 *   ŷ = x, or lo + (hi − lo)·σ(x)                 (optional sigmoid range)
 *
 * Keras: `Flatten(concatenate([u_emb, m_emb])) → Dropout(p₁) → Dense(h, relu)
 * → Dropout(p₂) → Dense(1)`, i.e. `hidden = [h]`, `dropout = [p₁, p₂]`.
 *
 * This file holds the model's shape, initialisation, inference forward pass
 * and one minibatch's loss and gradient; the training loop is
 * `fit.ts` and the ONNX graph `lib/onnx/mlp_export.ts`.
 *
 * @module
 */

import { arenaOf, type ParamTable } from "../../optim/adam.ts";
import { type MlpKernels, mlpKernels } from "./_simd.ts";
import type { RandomState } from "../../rng.ts";
import type {
  PointwiseLoss,
  RatingTriples,
} from "../embedding_mf/embedding_mf.ts";
import { sigmoid } from "../factor_model.ts";

/** Shape of an embedding MLP. */
export interface MlpArchitecture {
  /** Rows of the user embedding table. */
  readonly nUsers: number;
  /** Rows of the item embedding table. */
  readonly nItems: number;
  /** Embedding width of users and of items (the concatenation is 2·dim wide). */
  readonly dim: number;
  /** Widths of the ReLU hidden layers, e.g. [64]; the output layer (width 1) follows. */
  readonly hidden: readonly number[];
  /**
   * Dropout rate in [0, 1) applied to the input of each dense layer:
   * length hidden.length + 1 (the first acts on the concatenated embeddings).
   */
  readonly dropout: readonly number[];
  /** Squash the output into [lo, hi] with a sigmoid (default: linear output). */
  readonly outputRange?: readonly [number, number];
}

/** One dense layer: y = x·weight + bias. */
export interface DenseLayer {
  /** Input width. */
  readonly inputs: number;
  /** Output width. */
  readonly outputs: number;
  /** inputs × outputs, row-major (Keras' `kernel`; ONNX Gemm's B). */
  readonly weight: Float32Array;
  /** outputs. */
  readonly bias: Float32Array;
}

/** A trained (or initialised) embedding MLP: plain float32 weights. */
export interface MlpModel extends MlpArchitecture {
  /** nUsers × dim, row-major. */
  readonly userEmbedding: Float32Array;
  /** nItems × dim, row-major. */
  readonly itemEmbedding: Float32Array;
  /** hidden.length + 1 layers; the last has one output. */
  readonly layers: readonly DenseLayer[];
}

/** Layer widths [2·dim, ...hidden, 1]. */
export function mlpWidths(arch: MlpArchitecture): number[] {
  return [2 * arch.dim, ...arch.hidden, 1];
}

/**
 * Checks sizes, rates and range.
 *
 * @throws {RangeError} naming the first bad field.
 */
export function validateMlpArchitecture(arch: MlpArchitecture): void {
  const fail = (msg: string) => {
    throw new RangeError(`MLP architecture: ${msg}`);
  };
  for (const k of ["nUsers", "nItems", "dim"] as const) {
    if (!Number.isInteger(arch[k]) || arch[k] < 1) {
      fail(`${k} ${arch[k]} must be a positive integer`);
    }
  }
  for (const [j, h] of arch.hidden.entries()) {
    if (!Number.isInteger(h) || h < 1) {
      fail(`hidden[${j}] ${h} must be a positive integer`);
    }
  }
  if (arch.dropout.length !== arch.hidden.length + 1) {
    fail(
      `dropout has ${arch.dropout.length} rates; ${
        arch.hidden.length + 1
      } needed (one before each dense layer)`,
    );
  }
  for (const [j, p] of arch.dropout.entries()) {
    if (!(p >= 0 && p < 1)) fail(`dropout[${j}] ${p} must lie in [0, 1)`);
  }
  if (arch.outputRange && !(arch.outputRange[0] < arch.outputRange[1])) {
    fail(`outputRange [${arch.outputRange}] must have lo < hi`);
  }
}

/** Trainable parameters: embeddings plus every layer's weight and bias (Keras' "Total params"). */
export function mlpParamCount(arch: MlpArchitecture): number {
  const w = mlpWidths(arch);
  let n = (arch.nUsers + arch.nItems) * arch.dim;
  for (let l = 0; l + 1 < w.length; l++) n += w[l] * w[l + 1] + w[l + 1];
  return n;
}

/** One row of a Keras-style model summary. */
export interface SummaryRow {
  readonly layer: string;
  /** Output shape with the batch axis as null, e.g. [null, 1, 40]. */
  readonly shape: readonly (number | null)[];
  readonly params: number;
}

/**
 * The layers as Keras' `model.summary()` lists them (inputs, embeddings,
 * flatten, concatenate, dropout, dense, output scaling), with output shapes
 * and parameter counts; Σ params = {@link mlpParamCount}.
 */
export function mlpSummary(arch: MlpArchitecture): SummaryRow[] {
  const d = arch.dim;
  const rows: SummaryRow[] = [
    { layer: "User (InputLayer)", shape: [null, 1], params: 0 },
    { layer: "Item (InputLayer)", shape: [null, 1], params: 0 },
    {
      layer: "UserEmbedding (Embedding)",
      shape: [null, 1, d],
      params: arch.nUsers * d,
    },
    {
      layer: "ItemEmbedding (Embedding)",
      shape: [null, 1, d],
      params: arch.nItems * d,
    },
    { layer: "Concatenate (Concatenate)", shape: [null, 1, 2 * d], params: 0 },
    { layer: "Flatten (Flatten)", shape: [null, 2 * d], params: 0 },
  ];
  const w = mlpWidths(arch);
  for (let l = 0; l + 1 < w.length; l++) {
    rows.push({
      layer: `Dropout${l + 1} (Dropout ${arch.dropout[l]})`,
      shape: [null, w[l]],
      params: 0,
    });
    const last = l + 2 === w.length;
    rows.push({
      layer: `Dense${l + 1} (Dense${last ? ", linear" : ", relu"})`,
      shape: [null, w[l + 1]],
      params: w[l] * w[l + 1] + w[l + 1],
    });
  }
  if (arch.outputRange) {
    rows.push({
      layer: `SigmoidRange (sigmoid × ${
        arch.outputRange[1] - arch.outputRange[0]
      } + ${arch.outputRange[0]})`,
      shape: [null, 1],
      params: 0,
    });
  }
  return rows;
}

/**
 * A model with Keras' default initialisation, drawn from `rs` in this order:
 * user embeddings, item embeddings (each U(−embeddingLimit, embeddingLimit),
 * Keras' `RandomUniform(-0.05, 0.05)`), then each layer's weight in order
 * (Glorot uniform, U(±√(6/(inputs + outputs))), Keras' Dense default);
 * biases 0. Keras draws from TensorFlow's generator, so only the
 * distributions match.
 *
 * @throws {RangeError} as {@link validateMlpArchitecture}.
 */
export function initMlp(
  arch: MlpArchitecture,
  rs: RandomState,
  embeddingLimit = 0.05,
): MlpModel {
  validateMlpArchitecture(arch);
  const uniform = (n: number, a: number) => {
    const w = new Float32Array(n);
    for (let j = 0; j < n; j++) w[j] = rs.uniform(-a, a);
    return w;
  };
  const userEmbedding = uniform(arch.nUsers * arch.dim, embeddingLimit);
  const itemEmbedding = uniform(arch.nItems * arch.dim, embeddingLimit);
  const w = mlpWidths(arch);
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < w.length; l++) {
    layers.push({
      inputs: w[l],
      outputs: w[l + 1],
      weight: uniform(w[l] * w[l + 1], Math.sqrt(6 / (w[l] + w[l + 1]))),
      bias: new Float32Array(w[l + 1]),
    });
  }
  return { ...architectureOf(arch), userEmbedding, itemEmbedding, layers };
}

/**
 * A fresh copy of the architecture fields of `a` (an {@link MlpModel} too),
 * without weights: what an exported model records as metadata.
 *
 * @example
 * ```ts
 * import { architectureOf } from "./mlp.ts";
 * const a = architectureOf({ nUsers: 2, nItems: 3, dim: 4, hidden: [8], dropout: [0, 0.5] });
 * console.assert(a.hidden[0] === 8);
 * ```
 */
export function architectureOf(a: MlpArchitecture): MlpArchitecture {
  return {
    nUsers: a.nUsers,
    nItems: a.nItems,
    dim: a.dim,
    hidden: [...a.hidden],
    dropout: [...a.dropout],
    ...(a.outputRange ? { outputRange: a.outputRange } : {}),
  };
}

/**
 * Inference predictions for pairs (users[j], items[j]) (no dropout), float64
 * arithmetic on the float32 weights, returned as float32 (length N).
 *
 * @throws {RangeError} for a pair outside the tables or unequal lengths.
 *
 * @example
 * ```ts
 * import { initMlp, predictMlp } from "./mlp.ts";
 * import { RandomState } from "../../rng.ts";
 * const model = initMlp({ nUsers: 2, nItems: 3, dim: 2, hidden: [4], dropout: [0, 0] }, new RandomState(0));
 * console.assert(predictMlp(model, Int32Array.of(0, 1), Int32Array.of(2, 0)).length === 2);
 * ```
 */
export function predictMlp(
  model: MlpModel,
  users: Int32Array,
  items: Int32Array,
): Float32Array {
  if (users.length !== items.length) {
    throw new RangeError(
      `predictMlp: ${users.length} users but ${items.length} items`,
    );
  }
  const d = model.dim;
  const w = mlpWidths(model);
  const maxW = Math.max(...w);
  let x = new Float64Array(maxW), y = new Float64Array(maxW);
  const out = new Float32Array(users.length);
  const L = model.layers.length;
  for (let j = 0; j < users.length; j++) {
    const u = users[j], i = items[j];
    if (!(u >= 0 && u < model.nUsers && i >= 0 && i < model.nItems)) {
      throw new RangeError(
        `predictMlp: pair ${j} (user ${u}, item ${i}) lies outside ${model.nUsers} × ${model.nItems}`,
      );
    }
    for (let k = 0; k < d; k++) {
      x[k] = model.userEmbedding[u * d + k];
      x[d + k] = model.itemEmbedding[i * d + k];
    }
    for (let l = 0; l < L; l++) {
      const { inputs, outputs, weight, bias } = model.layers[l];
      for (let o = 0; o < outputs; o++) y[o] = bias[o];
      for (let k = 0; k < inputs; k++) {
        const xk = x[k];
        if (xk === 0) continue;
        const row = k * outputs;
        for (let o = 0; o < outputs; o++) y[o] += xk * weight[row + o];
      }
      if (l + 1 < L) {
        for (let o = 0; o < outputs; o++) if (y[o] < 0) y[o] = 0;
      }
      [x, y] = [y, x];
    }
    const s = x[0];
    const r = model.outputRange;
    out[j] = r ? r[0] + (r[1] - r[0]) * sigmoid(s) : s;
  }
  return out;
}

/**
 * The trainable tables of an embedding MLP, in the order Adam receives them:
 * user embedding (nUsers × dim), item embedding (nItems × dim), then for
 * each layer its weight (inputs × outputs) and bias (1 × outputs).
 */
export interface MlpTables {
  readonly userEmbedding: ParamTable;
  readonly itemEmbedding: ParamTable;
  /** [weight, bias] per layer. */
  readonly layers: readonly (readonly [ParamTable, ParamTable])[];
}

/** Reusable float64 buffers of {@link mlpBatchGradient} for batches up to `batch` rows. */
export class MlpScratch {
  /** Per layer ℓ: its (dropped-out) input, batch × widths[ℓ]. */
  readonly inputs: Float64Array[];
  /** Per layer ℓ: its pre-activation output, batch × widths[ℓ + 1]. */
  readonly pre: Float64Array[];
  /** Per layer ℓ: the dropout multiplier of its input (0 or 1/(1−p)), batch × widths[ℓ]. */
  readonly masks: Float64Array[];
  /** Gradient buffers, batch × max width (two, swapped per layer). */
  readonly grad: [Float64Array, Float64Array];
  /** Work space of the wasm forward kernel: one row's nonzero input indices (max width). */
  readonly nonzero: Int32Array;
  readonly batch: number;

  /**
   * @param placement Where to lay the buffers out (default: fresh arrays):
   *   `byteLength(arch, batch)` bytes of `buffer` from `byteOffset` (a
   *   multiple of 8), e.g. the scratch area of the {@link WasmArena} holding
   *   the tables, which lets `mlpBatchGradient` run its wasm kernels.
   * @throws {RangeError} when the placement is misaligned or too small.
   */
  constructor(
    arch: MlpArchitecture,
    batch: number,
    placement?: {
      readonly buffer: ArrayBufferLike;
      readonly byteOffset: number;
    },
  ) {
    const w = mlpWidths(arch);
    this.batch = batch;
    let at = placement?.byteOffset ?? 0;
    if (placement) {
      const need = MlpScratch.byteLength(arch, batch);
      if (at % 8 !== 0 || at + need > placement.buffer.byteLength) {
        throw new RangeError(
          `MlpScratch: placement at byte ${at} of ${placement.buffer.byteLength} cannot hold ${need} bytes 8-aligned`,
        );
      }
    }
    const f64 = (n: number) => {
      if (!placement) return new Float64Array(n);
      const a = new Float64Array(placement.buffer, at, n);
      at += 8 * n;
      return a;
    };
    this.inputs = w.slice(0, -1).map((n) => f64(batch * n));
    this.masks = w.slice(0, -1).map((n) => f64(batch * n));
    this.pre = w.slice(1).map((n) => f64(batch * n));
    const maxW = Math.max(...w);
    this.grad = [f64(batch * maxW), f64(batch * maxW)];
    this.nonzero = placement
      ? new Int32Array(placement.buffer, at, maxW)
      : new Int32Array(maxW);
  }

  /** Bytes of the buffers for `arch` and `batch` rows (the size a placement needs). */
  static byteLength(arch: MlpArchitecture, batch: number): number {
    const w = mlpWidths(arch);
    let n = 2 * batch * Math.max(...w);
    for (let l = 0; l + 1 < w.length; l++) n += batch * (2 * w[l] + w[l + 1]);
    return 8 * n + 8 * Math.ceil(Math.max(...w) / 2);
  }
}

/** The dense-layer kernels when every layer table and `scratch` share one wasm memory. */
function wasmKernelsFor(
  tables: MlpTables,
  scratch: MlpScratch,
): MlpKernels | null {
  const first = arenaOf(tables.layers[0][0]);
  if (
    first === undefined ||
    scratch.inputs[0].buffer !== first.arena.memory.buffer
  ) return null;
  for (const [W, b] of tables.layers) {
    if (
      arenaOf(W)?.arena !== first.arena || arenaOf(b)?.arena !== first.arena
    ) return null;
  }
  return mlpKernels(first.arena);
}

/** What {@link mlpBatchGradient} needs besides the tables. */
export interface MlpBatchSpec {
  readonly arch: MlpArchitecture;
  readonly loss: PointwiseLoss;
  /** False turns dropout off (inference-mode forward pass; for gradient checks). */
  readonly training: boolean;
}

/**
 * The mean loss over rows `order[from..to)` of `data` and its gradient,
 * accumulated (+=) into the tables' `grad`; embedding rows used are marked
 * with `opt.touch` (table 0 users, 1 items; dense layers are tables 2, 3,
 * ... and every row of them is touched). Dropout masks are drawn from `rs`
 * while training: for each layer in order, each batch row, each input unit,
 * one `rs.nextUint32()`; the unit is kept when that draw / 2³² ≥ p (the
 * comparison TensorFlow's dropout makes with a uniform draw), and kept units
 * are scaled by 1/(1 − p).
 *
 * Arithmetic is float64 on the float32 weights; terms whose factor is an
 * exact zero (dropped units, inactive ReLUs) are skipped, which changes no
 * sum. When the layer tables come from one `createParamTables` arena and
 * `scratch` is placed in its memory (as `fitMlp` does), the dense layers run
 * in the wasm kernels of `_simd.ts`, which compute the same operations in
 * the same order (same bits); otherwise in TypeScript.
 *
 * @returns the batch's mean loss (data term only).
 */
export function mlpBatchGradient(
  tables: MlpTables,
  data: RatingTriples,
  order: Int32Array,
  from: number,
  to: number,
  spec: MlpBatchSpec,
  scratch: MlpScratch,
  rs: RandomState,
  opt: { touch(table: number, row: number): void },
): number {
  const arch = spec.arch;
  const d = arch.dim;
  const B = to - from;
  if (B > scratch.batch) {
    throw new RangeError(
      `mlpBatchGradient: batch of ${B} rows exceeds the scratch's ${scratch.batch}`,
    );
  }
  const w = mlpWidths(arch);
  const L = w.length - 1;
  const E = tables.userEmbedding.values, F = tables.itemEmbedding.values;
  const kernels = wasmKernelsFor(tables, scratch);
  // Forward.
  const x0 = scratch.inputs[0];
  for (let b = 0; b < B; b++) {
    const row = order[from + b];
    const u = data.users[row], i = data.items[row];
    const o = b * 2 * d;
    for (let k = 0; k < d; k++) {
      x0[o + k] = E[u * d + k];
      x0[o + d + k] = F[i * d + k];
    }
  }
  for (let l = 0; l < L; l++) {
    const nin = w[l], nout = w[l + 1];
    const x = scratch.inputs[l], mask = scratch.masks[l];
    const p = spec.training ? arch.dropout[l] : 0;
    if (p > 0) {
      const threshold = p * 4294967296;
      const keep = 1 / (1 - p);
      for (let j = 0; j < B * nin; j++) {
        const m = rs.nextUint32() >= threshold ? keep : 0;
        mask[j] = m;
        x[j] *= m;
      }
    } else mask.fill(1, 0, B * nin);
    const W = tables.layers[l][0].values, bias = tables.layers[l][1].values;
    const z = scratch.pre[l];
    const next = l + 1 < L ? scratch.inputs[l + 1] : undefined;
    if (kernels) {
      kernels.denseForward(
        x.byteOffset,
        W.byteOffset,
        bias.byteOffset,
        z.byteOffset,
        next ? next.byteOffset : 0,
        next ? 1 : 0,
        B,
        nin,
        nout,
        scratch.nonzero.byteOffset,
      );
      continue;
    }
    for (let b = 0; b < B; b++) {
      const zo = b * nout, xo = b * nin;
      for (let o = 0; o < nout; o++) z[zo + o] = bias[o];
      for (let k = 0; k < nin; k++) {
        const xk = x[xo + k];
        if (xk === 0) continue;
        const row = k * nout;
        for (let o = 0; o < nout; o++) z[zo + o] += xk * W[row + o];
      }
      if (next) {
        for (let o = 0; o < nout; o++) {
          next[zo + o] = z[zo + o] > 0 ? z[zo + o] : 0;
        }
      }
    }
  }
  // Loss and its derivative in the last pre-activation (width 1).
  const range = arch.outputRange;
  const s = scratch.pre[L - 1];
  let g = scratch.grad[0], gPrev = scratch.grad[1];
  let loss = 0;
  const inv = 1 / B;
  for (let b = 0; b < B; b++) {
    const y = data.ratings[order[from + b]];
    let pred = s[b], dPred = 1;
    if (range) {
      const sg = sigmoid(s[b]);
      pred = range[0] + (range[1] - range[0]) * sg;
      dPred = (range[1] - range[0]) * sg * (1 - sg);
    }
    loss += spec.loss.value(pred, y);
    g[b] = spec.loss.derivative(pred, y) * dPred * inv;
  }
  // Backward: g holds ∂loss/∂z of layer l (B × nout).
  for (let l = L - 1; l >= 0; l--) {
    const nin = w[l], nout = w[l + 1];
    const [Wt, bt] = tables.layers[l];
    const W = Wt.values, GW = Wt.grad, GB = bt.grad;
    const x = scratch.inputs[l], mask = scratch.masks[l];
    if (kernels) {
      kernels.denseBackward(
        x.byteOffset,
        mask.byteOffset,
        l > 0 ? scratch.pre[l - 1].byteOffset : 0,
        l > 0 ? 1 : 0,
        W.byteOffset,
        GW.byteOffset,
        GB.byteOffset,
        g.byteOffset,
        gPrev.byteOffset,
        B,
        nin,
        nout,
      );
    } else gPrev.fill(0, 0, B * nin);
    for (let b = 0; b < B && !kernels; b++) {
      const go = b * nout, xo = b * nin;
      for (let o = 0; o < nout; o++) {
        const gz = g[go + o];
        if (gz === 0) continue;
        GB[o] += gz;
        for (let k = 0; k < nin; k++) {
          GW[k * nout + o] += x[xo + k] * gz;
          gPrev[xo + k] += W[k * nout + o] * gz;
        }
      }
      // Through the dropout mask, then (below the first layer) the ReLU.
      for (let k = 0; k < nin; k++) {
        let v = gPrev[xo + k] * mask[xo + k];
        if (l > 0 && !(scratch.pre[l - 1][xo + k] > 0)) v = 0;
        gPrev[xo + k] = v;
      }
    }
    for (let r = 0; r < Wt.rows; r++) opt.touch(2 + 2 * l, r);
    opt.touch(3 + 2 * l, 0);
    [g, gPrev] = [gPrev, g];
  }
  // g: ∂loss/∂x₀ (B × 2d), scattered into the embedding rows.
  const GE = tables.userEmbedding.grad, GF = tables.itemEmbedding.grad;
  for (let b = 0; b < B; b++) {
    const row = order[from + b];
    const u = data.users[row], i = data.items[row];
    const o = b * 2 * d;
    for (let k = 0; k < d; k++) {
      GE[u * d + k] += g[o + k];
      GF[i * d + k] += g[o + d + k];
    }
    opt.touch(0, u);
    opt.touch(1, i);
  }
  return loss * inv;
}
