/**
 * Minibatch Adam training of the embedding MLP (`mlp.ts`), the loop Keras'
 * `model.fit(..., shuffle=True, batch_size, epochs)` runs:
 *
 *   init (initMlp: embeddings U(±0.05), Glorot-uniform kernels, zero biases)
 *   for each epoch:
 *     shuffle one index array in place (Keras), or draw rs.permutation(n)
 *     for each slice of batchSize rows (the last may be shorter):
 *       loss, grad ← mean pointwise loss (dropout on) + L2 gradient
 *       Adam step over every parameter (dense, as Keras' Adam)
 *
 * A Keras `embeddings_regularizer=l2(c)` is `embeddingL2: c`: the penalty
 * c·Σw² over the whole embedding tables is part of every batch's loss, so
 * every row gets 2c·w each step (Adam's per-table weight decay 2c).
 * `kernelL2` does the same for the dense kernels. One `RandomState(seed)`
 * drives the initialisation, then each epoch's order, then the dropout
 * masks of each batch, in that order.
 *
 * @example
 * ```ts
 * import { fitMlp } from "./fit.ts";
 * const users = Int32Array.of(0, 0, 1, 1), items = Int32Array.of(0, 1, 0, 1);
 * const ratings = Float32Array.of(5, 1, 1, 5);
 * const fit = fitMlp({ users, items, ratings }, 2, 2, {
 *   dim: 4, hidden: [8], dropout: [0, 0], epochs: 200, batchSize: 4, learningRate: 0.01, seed: 1,
 * });
 * if (!(fit.epochs.at(-1)!.meanLoss < fit.epochs[0].meanLoss)) throw new Error();
 * ```
 *
 * @module
 */

import { Adam, arenaOf, createParamTables } from "../../optim/adam.ts";
import { RandomState } from "../../rng.ts";
import {
  checkRatingTriples,
  type PointwiseLoss,
  type RatingTriples,
  SQUARED_ERROR,
} from "../embedding_mf/embedding_mf.ts";
import {
  checkEpochOrder,
  checkLoopSettings,
  type EpochLoss,
} from "../embedding_mf/fit.ts";
import {
  initMlp,
  type MlpArchitecture,
  mlpBatchGradient,
  type MlpModel,
  MlpScratch,
  type MlpTables,
  validateMlpArchitecture,
} from "./mlp.ts";

/** Configuration of {@link fitMlp}. */
export interface MlpConfig {
  /** Embedding width of users and items. */
  readonly dim: number;
  /** ReLU hidden widths, e.g. [64]. */
  readonly hidden: readonly number[];
  /** Dropout rate before each dense layer (hidden.length + 1 rates). */
  readonly dropout: readonly number[];
  /** Sigmoid output range (default linear output). */
  readonly outputRange?: readonly [number, number];
  /** Passes over the training data, an integer ≥ 0. */
  readonly epochs: number;
  /** Rows per minibatch, an integer ≥ 1. */
  readonly batchSize: number;
  /** Adam's learning rate, > 0. */
  readonly learningRate: number;
  /** Seed of the initialisation, dropout and shuffles. */
  readonly seed: number;
  /** Keras `embeddings_regularizer=l2(c)` on both embedding tables (default 0). */
  readonly embeddingL2?: number;
  /** Keras `kernel_regularizer=l2(c)` on every dense kernel (default 0). */
  readonly kernelL2?: number;
  /** Half-width of the uniform embedding initialisation (default 0.05). */
  readonly embeddingInitLimit?: number;
  /** Pointwise loss (default squared error). */
  readonly loss?: PointwiseLoss;
  /** "reshuffle" (default; Keras) or "permutation" (a fresh permutation per epoch). */
  readonly epochOrder?: "permutation" | "reshuffle";
  /** Adam arithmetic (default "keras"; see lib/optim/adam.ts). */
  readonly adamArithmetic?: "torch" | "keras";
  /** Adam's β1 (default 0.9). */
  readonly beta1?: number;
  /** Adam's β2 (default 0.999). */
  readonly beta2?: number;
  /** Adam's ε (default 1e-7 with Keras arithmetic). */
  readonly eps?: number;
}

/** The trained model and its loss history. */
export interface MlpFit {
  /** The trained weights. */
  readonly model: MlpModel;
  /** Per epoch: Σ and mean of the batch losses (dropout on), and the L2 penalty after the epoch. */
  readonly epochs: readonly EpochLoss[];
  /** Adam steps taken. */
  readonly steps: number;
}

/**
 * Trains the MLP on `data`; see the module documentation.
 *
 * @param onEpoch Called after each epoch with its index, loss and a
 *   `snapshot()` copying the current weights.
 * @throws {RangeError} naming the first bad setting or out-of-range row.
 *
 * @example
 * ```ts
 * import { fitMlp } from "./fit.ts";
 * const data = { users: Int32Array.of(0, 1, 1), items: Int32Array.of(0, 0, 1), ratings: Float32Array.of(4, 3, 5) };
 * const fit = fitMlp(data, 2, 2, { dim: 3, hidden: [4], dropout: [0, 0], epochs: 1, batchSize: 2, learningRate: 0.01, seed: 0 });
 * console.assert(fit.epochs.length === 1);
 * ```
 */
export function fitMlp(
  data: RatingTriples,
  nUsers: number,
  nItems: number,
  config: MlpConfig,
  onEpoch?: (epoch: number, loss: EpochLoss, snapshot: () => MlpModel) => void,
): MlpFit {
  const arch: MlpArchitecture = {
    nUsers,
    nItems,
    dim: config.dim,
    hidden: config.hidden,
    dropout: config.dropout,
    ...(config.outputRange ? { outputRange: config.outputRange } : {}),
  };
  checkConfig(config, arch);
  checkRatingTriples(data, nUsers, nItems, "fitMlp");
  const rs = new RandomState(config.seed);
  const init = initMlp(arch, rs, config.embeddingInitLimit ?? 0.05);
  const eL2 = 2 * (config.embeddingL2 ?? 0), kL2 = 2 * (config.kernelL2 ?? 0);
  const list = createParamTables([
    {
      name: "user_embedding",
      rows: nUsers,
      cols: config.dim,
      values: init.userEmbedding,
      weightDecay: eL2,
    },
    {
      name: "item_embedding",
      rows: nItems,
      cols: config.dim,
      values: init.itemEmbedding,
      weightDecay: eL2,
    },
    ...init.layers.flatMap((layer, l) => [
      {
        name: `dense${l + 1}_kernel`,
        rows: layer.inputs,
        cols: layer.outputs,
        values: layer.weight,
        weightDecay: kL2,
      },
      {
        name: `dense${l + 1}_bias`,
        rows: 1,
        cols: layer.outputs,
        values: layer.bias,
        weightDecay: 0,
      },
    ]),
  ], { scratchBytes: MlpScratch.byteLength(arch, config.batchSize) });
  const tables: MlpTables = {
    userEmbedding: list[0],
    itemEmbedding: list[1],
    layers: init.layers.map((_, l) => [list[2 + 2 * l], list[3 + 2 * l]]),
  };
  const opt = new Adam(list, {
    lr: config.learningRate,
    beta1: config.beta1,
    beta2: config.beta2,
    eps: config.eps,
    arithmetic: config.adamArithmetic ?? "keras",
  });
  const spec = { arch, loss: config.loss ?? SQUARED_ERROR, training: true };
  // In the tables' wasm memory when there is one, so the dense layers run in wasm.
  const arena = arenaOf(list[0])?.arena;
  const scratch = new MlpScratch(
    arch,
    config.batchSize,
    arena && { buffer: arena.memory.buffer, byteOffset: arena.scratch },
  );
  const snapshot = (): MlpModel => ({
    ...arch,
    hidden: [...arch.hidden],
    dropout: [...arch.dropout],
    userEmbedding: tables.userEmbedding.values.slice(),
    itemEmbedding: tables.itemEmbedding.values.slice(),
    layers: tables.layers.map(([W, b]) => ({
      inputs: W.rows,
      outputs: W.cols,
      weight: W.values.slice(),
      bias: b.values.slice(),
    })),
  });
  const n = data.users.length, B = config.batchSize;
  const batches = Math.ceil(n / B);
  const reshuffled = (config.epochOrder ?? "reshuffle") === "reshuffle"
    ? Int32Array.from({ length: n }, (_, j) => j)
    : undefined;
  const epochs: EpochLoss[] = [];
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    let order: Int32Array;
    if (reshuffled) {
      rs.shuffle(reshuffled);
      order = reshuffled;
    } else order = rs.permutation(n);
    let sum = 0;
    for (let from = 0; from < n; from += B) {
      const to = Math.min(n, from + B);
      sum += mlpBatchGradient(
        tables,
        data,
        order,
        from,
        to,
        spec,
        scratch,
        rs,
        opt,
      );
      opt.step();
    }
    let penalty = 0;
    for (const [t, c] of [[list[0], eL2], [list[1], eL2]] as const) {
      for (const w of t.values) penalty += 0.5 * c * w * w;
    }
    for (const [W] of tables.layers) {
      for (const w of W.values) penalty += 0.5 * kL2 * w * w;
    }
    const e: EpochLoss = {
      sumLoss: sum,
      meanLoss: sum / batches,
      penalty,
      batches,
    };
    epochs.push(e);
    onEpoch?.(epoch, e, snapshot);
  }
  return { model: snapshot(), epochs, steps: opt.steps };
}

function checkConfig(c: MlpConfig, arch: MlpArchitecture): void {
  const fail = (msg: string): never => {
    throw new RangeError(`fitMlp: ${msg}`);
  };
  checkLoopSettings(c, fail);
  for (const k of ["embeddingL2", "kernelL2"] as const) {
    const v = c[k] ?? 0;
    if (!(v >= 0) || !Number.isFinite(v)) fail(`${k} ${v} must be ≥ 0`);
  }
  checkEpochOrder(c.epochOrder, fail);
  validateMlpArchitecture(arch);
}
