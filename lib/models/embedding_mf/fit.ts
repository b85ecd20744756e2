/**
 * Minibatch Adam training of the embedding factorisation model
 * (`embedding_mf.ts`), the loop Spotlight's `ExplicitFactorizationModel.fit`
 * runs and the Keras and fast.ai documents run with other settings:
 *
 *   init factors N(0, initStd²) (users, then items), biases 0
 *     (or, `init: "uniform"`, every table U(−initLimit, initLimit), Keras' default)
 *   for each epoch:
 *     order ← rs.permutation(n)                      (Spotlight: random_state.shuffle(arange(n)))
 *       (or, `epochOrder: "reshuffle"`, one index array shuffled in place
 *        every epoch, as Keras' `fit(shuffle=True)` does)
 *     for each slice of batchSize rows of order (the last may be shorter):
 *       loss, grad ← mean pointwise loss over the slice (+ "batch" L2)
 *       lr, β1 ← schedule(step) (if any); Adam step
 *     report Σ of the batch losses (Spotlight ≤ 0.1 prints this sum) and their mean
 *
 * One `RandomState(seed)` drives the initialisation and then every epoch's
 * permutation, in that order.
 *
 * @example
 * ```ts
 * import { fitEmbeddingMf } from "./fit.ts";
 * const users = Int32Array.of(0, 0, 1, 1), items = Int32Array.of(0, 1, 0, 1);
 * const ratings = Float32Array.of(5, 1, 1, 5);
 * const fit = fitEmbeddingMf({ users, items, ratings }, 2, 2, { dim: 2, epochs: 300, batchSize: 4, learningRate: 0.05, seed: 1 });
 * if (!(fit.epochs.at(-1)!.meanLoss < fit.epochs[0].meanLoss)) throw new Error();
 * ```
 *
 * @module
 */

import type { FactorModel } from "../factor_model.ts";
import { Adam, createParamTables } from "../../optim/adam.ts";
import { RandomState } from "../../rng.ts";
import {
  batchGradient,
  biasSquaredNorm,
  checkRatingTriples,
  type EmbeddingMfTables,
  factorSquaredNorm,
  initNormal,
  initUniform,
  type L2Penalty,
  type PointwiseLoss,
  type RatingTriples,
  SCRATCH_BYTES_PER_ROW,
  SQUARED_ERROR,
} from "./embedding_mf.ts";

/** Learning rate (and optionally β1) for a step, e.g. a one-cycle schedule. */
export type Schedule = (
  step: number,
  totalSteps: number,
) => { lr: number; beta1?: number };

/** One piece of a piecewise-constant learning rate: `lr` for steps below `until` (0-based Adam step count). */
export interface LrPiece {
  /** First Adam step (0-based) this piece no longer covers. */
  readonly until: number;
  /** Learning rate for the steps of this piece. */
  readonly lr: number;
}

/**
 * A piecewise-constant {@link Schedule}: step s gets the `lr` of the first
 * piece with s < until, or of the last piece past the end. Pieces must have
 * increasing `until`; e.g. Keras fit calls with `optimizer.lr` set between
 * them are pieces ending at (epochs so far) × steps per epoch.
 *
 * @throws {RangeError} for no pieces, a non-increasing `until` or a rate ≤ 0.
 */
export function piecewiseSchedule(pieces: readonly LrPiece[]): Schedule {
  if (pieces.length === 0) {
    throw new RangeError("piecewiseSchedule: no pieces");
  }
  pieces.forEach((p, k) => {
    if (!(p.lr > 0) || (k > 0 && !(p.until > pieces[k - 1].until))) {
      throw new RangeError(
        `piecewiseSchedule: piece ${k} (until ${p.until}, lr ${p.lr}) needs lr > 0 and until above the previous piece's`,
      );
    }
  });
  const last = pieces[pieces.length - 1];
  return (step: number) => ({
    lr: (pieces.find((p) => step < p.until) ?? last).lr,
  });
}

/** Configuration of {@link fitEmbeddingMf}; defaults are Spotlight's explicit model with the document's values where noted. */
export interface EmbeddingMfConfig {
  /** Latent dimension (document: 128). */
  readonly dim: number;
  /** Passes over the data (document: 10). */
  readonly epochs: number;
  /** Rows per minibatch (document: 1024). */
  readonly batchSize: number;
  /** Adam's learning rate (document: 1e-3); a `schedule` overrides it per step. */
  readonly learningRate: number;
  /** Seed of the initialisation and the epoch shuffles. */
  readonly seed: number;
  /** Adam's `weight_decay`: wd·p added to every gradient, all parameters incl. biases (document: l2 = 1e-9). */
  readonly weightDecay?: number;
  /** AdamW-style decoupled decay (fast.ai `true_wd`), default 0. */
  readonly decoupledWeightDecay?: number;
  /** An L2 penalty on the factor tables in the loss (Keras-style), default none. */
  readonly l2?: L2Penalty;
  /** Pointwise loss (default squared error). */
  readonly loss?: PointwiseLoss;
  /** User and item biases (default true). */
  readonly biases?: boolean;
  /** Squash predictions into [lo, hi] with a sigmoid (default none). */
  readonly outputRange?: readonly [number, number];
  /** Std of the factor initialisation (default 1/dim, Spotlight's ScaledEmbedding). */
  readonly initStd?: number;
  /**
   * `"normal"` (default): factors N(0, initStd²), biases 0 (Spotlight).
   * `"uniform"`: every table, biases included, U(−initLimit, initLimit)
   * (Keras' `Embedding` default); see `initUniform`.
   */
  readonly init?: "normal" | "uniform";
  /** Half-width of the uniform initialisation (default 0.05, Keras' RandomUniform). */
  readonly initLimit?: number;
  /**
   * `"permutation"` (default): a fresh `rs.permutation(n)` each epoch
   * (Spotlight). `"reshuffle"`: one index array, created once and shuffled
   * in place with `rs.shuffle` at the start of every epoch (Keras' fit loop).
   */
  readonly epochOrder?: "permutation" | "reshuffle";
  /** Adam moments: "dense" (default; torch Adam with dense embeddings) or "lazy". */
  readonly adamMode?: "dense" | "lazy";
  /** Where Adam's ε enters: "torch" (default) or "keras" (see lib/optim/adam.ts). */
  readonly adamArithmetic?: "torch" | "keras";
  /** Adam's β1 (default 0.9). */
  readonly beta1?: number;
  /** Adam's β2 (default 0.999). */
  readonly beta2?: number;
  /** Adam's ε (default 1e-8 with torch arithmetic, 1e-7 with Keras'). */
  readonly eps?: number;
  /** Per-step learning rate (and β1). */
  readonly schedule?: Schedule;
}

/** Loss of one epoch. */
export interface EpochLoss {
  /** Σ over minibatches of the batch mean loss (data term only), as Spotlight's document prints it. */
  readonly sumLoss: number;
  /** The same divided by the number of minibatches (later Spotlight versions print this). */
  readonly meanLoss: number;
  /** The L2 penalty: for "batch" scope its mean over minibatches, for "table" scope its value after the epoch; 0 without one. */
  readonly penalty: number;
  /** Minibatches in the epoch. */
  readonly batches: number;
}

/** The trained model and its loss history. */
export interface EmbeddingMfFit {
  /** Plain float32 weights, ready for `predictPairs` and `exportFactorModel`. */
  readonly model: FactorModel;
  /** Loss of every epoch, in order. */
  readonly epochs: readonly EpochLoss[];
  /** Adam steps taken. */
  readonly steps: number;
}

/**
 * Trains the model on `data` (indices below `nUsers`/`nItems`); see the
 * module documentation for the loop.
 *
 * @param onEpoch Called after each epoch with its 0-based index, its loss,
 *   and `snapshot()`, which copies the current weights into a
 *   {@link FactorModel} (e.g. to score a validation set after every epoch, as
 *   Keras' `validation_data` does).
 * @throws {RangeError} naming the first bad setting or out-of-range row.
 *
 * @example
 * ```ts
 * import { fitEmbeddingMf } from "./fit.ts";
 * const data = { users: Int32Array.of(0, 1, 1), items: Int32Array.of(0, 0, 1), ratings: Float32Array.of(4, 3, 5) };
 * const fit = fitEmbeddingMf(data, 2, 2, { dim: 4, epochs: 2, batchSize: 2, learningRate: 0.01, seed: 0 });
 * console.assert(fit.epochs.length === 2 && fit.model.factors === 4);
 * ```
 */
export function fitEmbeddingMf(
  data: RatingTriples,
  nUsers: number,
  nItems: number,
  config: EmbeddingMfConfig,
  onEpoch?: (
    epoch: number,
    loss: EpochLoss,
    snapshot: () => FactorModel,
  ) => void,
): EmbeddingMfFit {
  checkConfig(config);
  checkRatingTriples(data, nUsers, nItems, "fitEmbeddingMf");
  const dim = config.dim;
  const biases = config.biases ?? true;
  const l2 = config.l2;
  const tableL2 = l2?.scope === "table" ? 2 * l2.coef : 0;
  const biasL2 = l2?.scope === "table" && l2.biases ? 2 * l2.coef : 0;
  const wd = config.weightDecay ?? 0;
  const specs = [
    {
      name: "user_factors",
      rows: nUsers,
      cols: dim,
      weightDecay: wd + tableL2,
    },
    {
      name: "item_factors",
      rows: nItems,
      cols: dim,
      weightDecay: wd + tableL2,
    },
    ...(biases
      ? [
        { name: "user_bias", rows: nUsers, cols: 1, weightDecay: wd + biasL2 },
        { name: "item_bias", rows: nItems, cols: 1, weightDecay: wd + biasL2 },
      ]
      : []),
  ];
  const list = createParamTables(specs, {
    scratchBytes: SCRATCH_BYTES_PER_ROW * config.batchSize,
  });
  const tables: EmbeddingMfTables = {
    userFactors: list[0],
    itemFactors: list[1],
    userBias: list[2],
    itemBias: list[3],
  };
  const rs = new RandomState(config.seed);
  if (config.init === "uniform") {
    initUniform(tables, config.initLimit ?? 0.05, rs);
  } else initNormal(tables, config.initStd ?? 1 / dim, rs);
  const opt = new Adam(list, {
    lr: config.learningRate,
    beta1: config.beta1,
    beta2: config.beta2,
    eps: config.eps,
    decoupledWeightDecay: config.decoupledWeightDecay,
    mode: config.adamMode ?? "dense",
    arithmetic: config.adamArithmetic,
  });
  const spec = {
    dim,
    loss: config.loss ?? SQUARED_ERROR,
    outputRange: config.outputRange,
    l2,
  };
  const n = data.users.length;
  const B = config.batchSize;
  const batchesPerEpoch = Math.ceil(n / B);
  const totalSteps = batchesPerEpoch * config.epochs;
  const epochs: EpochLoss[] = [];
  const reshuffled = config.epochOrder === "reshuffle"
    ? Int32Array.from({ length: n }, (_, j) => j)
    : undefined;
  const copy = (t: { values: Float32Array } | undefined) =>
    t && t.values.slice();
  const snapshot = (): FactorModel => ({
    nUsers,
    nItems,
    factors: dim,
    userFactors: copy(tables.userFactors)!,
    itemFactors: copy(tables.itemFactors)!,
    ...(biases
      ? { userBias: copy(tables.userBias)!, itemBias: copy(tables.itemBias)! }
      : {}),
    ...(config.outputRange ? { outputRange: config.outputRange } : {}),
  });
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    let order: Int32Array;
    if (reshuffled) {
      rs.shuffle(reshuffled);
      order = reshuffled;
    } else order = rs.permutation(n);
    let sum = 0, penaltySum = 0;
    for (let from = 0; from < n; from += B) {
      const to = Math.min(n, from + B);
      const { loss, penalty } = batchGradient(
        tables,
        data,
        order,
        from,
        to,
        spec,
        opt,
      );
      sum += loss;
      penaltySum += penalty;
      if (config.schedule) {
        const s = config.schedule(opt.steps, totalSteps);
        opt.lr = s.lr;
        if (s.beta1 !== undefined) opt.beta1 = s.beta1;
      }
      opt.step();
    }
    const penalty = l2?.scope === "table"
      ? l2.coef *
        (factorSquaredNorm(tables) + (l2.biases ? biasSquaredNorm(tables) : 0))
      : penaltySum / batchesPerEpoch;
    const e: EpochLoss = {
      sumLoss: sum,
      meanLoss: sum / batchesPerEpoch,
      penalty,
      batches: batchesPerEpoch,
    };
    epochs.push(e);
    onEpoch?.(epoch, e, snapshot);
  }
  return { model: snapshot(), epochs, steps: opt.steps };
}

/**
 * The minibatch loop's settings both fitters share, checked in this order:
 * batchSize a positive integer, epochs an integer ≥ 0, learningRate finite
 * and > 0, seed in [0, 2^32 − 1]; `fail` throws with the fitter's name.
 */
export function checkLoopSettings(
  c: {
    readonly batchSize: number;
    readonly epochs: number;
    readonly learningRate: number;
    readonly seed: number;
  },
  fail: (msg: string) => never,
): void {
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) {
    fail(`batchSize ${c.batchSize} must be a positive integer`);
  }
  if (!Number.isInteger(c.epochs) || c.epochs < 0) {
    fail(`epochs ${c.epochs} must be an integer ≥ 0`);
  }
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate)) {
    fail(`learningRate ${c.learningRate} must be a finite number > 0`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) {
    fail(`seed ${c.seed} must be an integer in [0, 2^32 - 1]`);
  }
}

/** `epochOrder`, if given, is "permutation" or "reshuffle"; `fail` throws. */
export function checkEpochOrder(
  order: string | undefined,
  fail: (msg: string) => never,
): void {
  if (order !== undefined && order !== "permutation" && order !== "reshuffle") {
    fail(`epochOrder "${order}" must be "permutation" or "reshuffle"`);
  }
}

function checkConfig(c: EmbeddingMfConfig): void {
  const fail = (msg: string): never => {
    throw new RangeError(`fitEmbeddingMf: ${msg}`);
  };
  if (!Number.isInteger(c.dim) || c.dim < 1) {
    fail(`dim ${c.dim} must be a positive integer`);
  }
  checkLoopSettings(c, fail);
  if (c.l2 !== undefined) {
    if (!(c.l2.coef >= 0) || !Number.isFinite(c.l2.coef)) {
      fail(`l2.coef ${c.l2.coef} must be ≥ 0`);
    }
    if (c.l2.scope !== "table" && c.l2.scope !== "batch") {
      fail(`l2.scope "${c.l2.scope}" must be "table" or "batch"`);
    }
    if (c.l2.biases && c.l2.scope !== "table") {
      fail(`l2.biases needs l2.scope "table" (got "${c.l2.scope}")`);
    }
  }
  if (c.init !== undefined && c.init !== "normal" && c.init !== "uniform") {
    fail(`init "${c.init}" must be "normal" or "uniform"`);
  }
  checkEpochOrder(c.epochOrder, fail);
  if (c.outputRange !== undefined && !(c.outputRange[0] < c.outputRange[1])) {
    fail(`outputRange [${c.outputRange}] must have lo < hi`);
  }
}
