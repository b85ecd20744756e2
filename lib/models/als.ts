/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008, "Collaborative Filtering
 * for Implicit Feedback Datasets") as benfred/implicit's CPU backend fits it,
 * with the conjugate-gradient update of Takács, Pilászy & Tikk (2011).
 *
 * Model. For users u and items i with raw values r_ui (stored entries of the
 * CSR), confidence c_ui = alpha · r_ui (float32 product, as implicit scales
 * the float32 matrix), preference p_ui = 1 when c_ui > 0 else 0; every unstored
 * pair has p = 0 and c = 1. The objective is
 *
 *   Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²),
 *
 * with λ = `regularization` entering unscaled (A_u = YᵀY + λI + …), as in
 * implicit's CPU `least_squares` / `least_squares_cg` (no scaling by a row's
 * number of interactions). Each iteration solves all user rows from the item
 * factors, then all item rows from the new user factors.
 *
 * Solvers. "cg": per row, r = b_u − A_u x_u from the current x_u (warm start),
 * then `cgSteps` (implicit: 3) CG steps, stopping early when rᵀr < 1e-20;
 * "cholesky": the exact solve x_u = A_u⁻¹ b_u. Rows with no entries are set to 0.
 *
 * Loss (implicit's `calculate_loss`, after each full iteration):
 *
 *   [Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²)] / (Σ_stored |c_ui| + nUsers·nItems − nnz)
 *
 * i.e. the weighted squared error over all user–item pairs, unstored ones with
 * weight 1, plus the L2 term, divided by the total confidence.
 *
 * Initialisation: user then item factors drawn as implicit ≤ 0.6 does with
 * `np.random.RandomState(seed).rand(n, k).astype(float32) * 0.01` (legacy
 * MT19937 via lib/rng.ts; implicit 0.7 switched to `np.random.default_rng`,
 * whose stream differs, so the initial factors match 0.6, not 0.7). Factors are
 * then updated in float64 (implicit: float32 BLAS), so trained factors agree
 * with implicit's statistically, not bit for bit; they are returned as float32.
 *
 * @module
 */

import { RandomState } from "../rng.ts";
import { type Csr, transpose } from "../sparse.ts";
import { type AlsRows, finishGram, splitUpperRows } from "./als_kernel.ts";
import { type AlsShared, type PhaseMessage, runPhase } from "./als_phase.ts";

/**
 * The Web Worker constructor, captured when this module loads: onnxruntime-web's
 * wasm runtime later replaces `globalThis.Worker` with Node's worker_threads
 * class, which cannot start a Deno module worker from a URL.
 */
const WebWorker: typeof Worker = globalThis.Worker;

/** Hyper-parameters of {@link fitAls}; the defaults of implicit are noted. */
export interface AlsConfig {
  /** Latent factors k, an integer ≥ 1 (implicit: 100). */
  readonly factors: number;
  /** L2 weight λ ≥ 0 (implicit: 0.01). */
  readonly regularization: number;
  /** Full user+item sweeps, an integer ≥ 0 (implicit: 15). */
  readonly iterations: number;
  /** Confidence scale: c = alpha · value, finite and > 0 (implicit: 1). */
  readonly alpha: number;
  /** "cg" (implicit's default, use_cg=True) or the exact "cholesky". */
  readonly solver: "cg" | "cholesky";
  /** CG steps per row and half-iteration, an integer ≥ 1 (implicit: 3). */
  readonly cgSteps: number;
  /** Seed of the initialisation, an integer in [0, 2³²). */
  readonly seed: number;
  /** Compute the training loss after every iteration (implicit's calculate_training_loss). */
  readonly computeLoss?: boolean;
  /** Threads (main + Web Workers), an integer ≥ 1; results do not depend on it. Default 1. */
  readonly threads?: number;
}

/** Per-iteration report passed to `onIteration`. */
export interface AlsIterationInfo {
  /** Training loss after this iteration, when `computeLoss` is set. */
  readonly loss?: number;
  /** Wall time of this iteration in seconds (loss included). */
  readonly seconds: number;
}

/** A fitted model: plain row-major float32 factor matrices. */
export interface AlsModel {
  /** nUsers × factors, row-major. */
  readonly userFactors: Float32Array;
  /** nItems × factors, row-major. */
  readonly itemFactors: Float32Array;
  readonly factors: number;
  /** Training loss per iteration (empty unless `computeLoss`). */
  readonly loss: number[];
}

/**
 * Throws a RangeError naming the first invalid field of an {@link AlsConfig}.
 */
export function validateAlsConfig(config: AlsConfig): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(
        `ALS config: ${name} must be an integer ≥ ${min}, got ${v}`,
      );
    }
  };
  int("factors", config.factors, 1);
  int("iterations", config.iterations, 0);
  int("cgSteps", config.cgSteps, 1);
  int("threads", config.threads ?? 1, 1);
  if (!Number.isFinite(config.regularization) || config.regularization < 0) {
    throw new RangeError(
      `ALS config: regularization must be a finite number ≥ 0, got ${config.regularization}`,
    );
  }
  if (!Number.isFinite(config.alpha) || config.alpha <= 0) {
    throw new RangeError(
      `ALS config: alpha must be a finite number > 0, got ${config.alpha}`,
    );
  }
  if (config.solver !== "cg" && config.solver !== "cholesky") {
    throw new RangeError(
      `ALS config: solver must be "cg" or "cholesky", got ${
        String(config.solver)
      }`,
    );
  }
  if (
    !Number.isInteger(config.seed) || config.seed < 0 ||
    config.seed > 0xffffffff
  ) {
    throw new RangeError(
      `ALS config: seed must be an integer in [0, 2**32 - 1], got ${config.seed}`,
    );
  }
}

/**
 * Fits implicit-feedback ALS to `userItems` (users × items CSR whose values
 * are raw ratings or counts; alpha is applied here). `onIteration(it, info)` is
 * called after each iteration (it from 0). Throws on a bad config, on
 * non-finite values, when a Cholesky system is singular, or when factors
 * become NaN. With `threads` > 1 the work is shared with Web Workers over
 * SharedArrayBuffers; the factors are bit-identical for any thread count.
 */
export async function fitAls(
  userItems: Csr,
  config: AlsConfig,
  onIteration?: (it: number, info: AlsIterationInfo) => void,
): Promise<AlsModel> {
  validateAlsConfig(config);
  const k = config.factors;
  const threads = config.threads ?? 1;
  const nUsers = userItems.nRows, nItems = userItems.nCols;
  const nnz = userItems.indptr[nUsers];
  const alpha32 = Math.fround(config.alpha);
  const conf = new Float32Array(nnz);
  let totalConfidence = 0;
  for (let e = 0; e < nnz; e++) {
    const v = userItems.data[e];
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `fitAls: value ${v} at stored entry ${e} is not finite`,
      );
    }
    conf[e] = Math.fround(alpha32 * v);
    totalConfidence += Math.abs(conf[e]);
  }
  const userConf: Csr = { ...userItems, data: conf };
  const alloc = (n: number) =>
    threads > 1
      ? new Float64Array(new SharedArrayBuffer(n * 8))
      : new Float64Array(n);

  // Initial factors: users first, then items, float32 values as implicit.
  const rng = new RandomState(config.seed);
  const scale = Math.fround(0.01);
  const x = alloc(nUsers * k), y = alloc(nItems * k);
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.fround(Math.fround(rng.randomSample()) * scale);
  }
  for (let i = 0; i < y.length; i++) {
    y[i] = Math.fround(Math.fround(rng.randomSample()) * scale);
  }

  const shared: AlsShared = {
    k,
    users: splitConfidence(userConf),
    items: splitConfidence(transpose(userConf)),
    x,
    y,
    g: alloc(k * k),
    counter: new Int32Array(
      threads > 1 ? new SharedArrayBuffer(4) : new ArrayBuffer(4),
    ),
    lossOut: alloc(nUsers),
  };
  const team = await Team.start(shared, threads);
  try {
    const gramBounds = splitUpperRows(k, threads);
    const gram = async (of: "users" | "items", lambda: number) => {
      await team.run((t) => ({
        op: "gram",
        of,
        rowStart: gramBounds[t],
        rowEnd: gramBounds[t + 1],
      }));
      finishGram(shared.g, k, lambda);
    };
    const solve = async (side: "users" | "items") => {
      await gram(side === "users" ? "items" : "users", config.regularization);
      shared.counter[0] = 0;
      const msg: PhaseMessage = config.solver === "cg"
        ? { op: "cg", solve: side, cgSteps: config.cgSteps }
        : { op: "cholesky", solve: side };
      await team.run(() => msg);
    };
    const losses: number[] = [];
    for (let it = 0; it < config.iterations; it++) {
      const t0 = performance.now();
      await solve("users");
      await solve("items");
      let loss: number | undefined;
      if (config.computeLoss) {
        await gram("items", 0);
        shared.counter[0] = 0;
        await team.run(() => ({ op: "loss" }));
        loss = finishLoss(
          shared,
          config.regularization,
          totalConfidence,
          nItems,
        );
        losses.push(loss);
      }
      onIteration?.(it, { loss, seconds: (performance.now() - t0) / 1000 });
    }
    for (const [name, f] of [["user", x], ["item", y]] as const) {
      for (let i = 0; i < f.length; i++) {
        if (Number.isNaN(f[i])) {
          throw new RangeError(
            `fitAls: NaN in ${name} factors (row ${
              Math.floor(i / k)
            }); increase regularization`,
          );
        }
      }
    }
    return {
      userFactors: Float32Array.from(x),
      itemFactors: Float32Array.from(y),
      factors: k,
      loss: losses,
    };
  } finally {
    team.close();
  }
}

/** Splits confidences c into the per-entry weight |c| − 1 and target c·p. */
function splitConfidence(m: Csr): AlsRows {
  const nnz = m.indptr[m.nRows];
  const weight = new Float64Array(nnz), target = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const c = m.data[e];
    weight[e] = Math.abs(c) - 1;
    target[e] = c > 0 ? c : 0;
  }
  return {
    nRows: m.nRows,
    indptr: m.indptr,
    indices: m.indices,
    weight,
    target,
  };
}

/** Sums the per-user loss terms in user order and applies the L2 term and normaliser. */
function finishLoss(
  s: AlsShared,
  lambda: number,
  totalConfidence: number,
  nItems: number,
): number {
  let loss = 0;
  for (let u = 0; u < s.users.nRows; u++) loss += s.lossOut[u];
  let norms = 0;
  for (let i = 0; i < s.x.length; i++) norms += s.x[i] * s.x[i];
  for (let i = 0; i < s.y.length; i++) norms += s.y[i] * s.y[i];
  const nnz = s.users.indptr[s.users.nRows];
  return (loss + lambda * norms) /
    (totalConfidence + s.users.nRows * nItems - nnz);
}

/** The main thread plus `threads − 1` workers sharing one {@link AlsShared}. */
class Team {
  private constructor(
    private readonly shared: AlsShared,
    private readonly workers: Worker[],
  ) {}

  static async start(shared: AlsShared, threads: number): Promise<Team> {
    const workers: Worker[] = [];
    const team = new Team(shared, workers);
    try {
      for (let t = 1; t < threads; t++) {
        workers.push(
          new WebWorker(new URL("./als_worker.ts", import.meta.url).href, {
            type: "module",
          }),
        );
      }
      await Promise.all(workers.map((w) => reply(w, { init: shared })));
    } catch (err) {
      team.close();
      throw err;
    }
    return team;
  }

  /** Runs one phase on every thread: msgFor(t) for thread t (main = 0). */
  async run(msgFor: (t: number) => PhaseMessage): Promise<void> {
    const pending = this.workers.map((w, i) => reply(w, msgFor(i + 1)));
    let mainError: unknown;
    try {
      runPhase(this.shared, msgFor(0));
    } catch (err) {
      mainError = err;
    }
    const results = await Promise.allSettled(pending);
    if (mainError !== undefined) throw mainError;
    for (const r of results) if (r.status === "rejected") throw r.reason;
  }

  close(): void {
    for (const w of this.workers) w.terminate();
  }
}

/** Posts `msg` to `w` and resolves on its `{ ok: true }` reply. */
function reply(w: Worker, msg: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    w.onmessage = (ev: MessageEvent<{ ok: boolean; error?: string }>) => {
      if (ev.data.ok) resolve();
      else reject(new Error(ev.data.error));
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      reject(new Error(`ALS worker failed: ${ev.message}`));
    };
    w.postMessage(msg);
  });
}

/** Top-k result: item indices and their scores, best first, ties by lower index. */
export interface TopK {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/**
 * Top `k` items for `user` by score x_uᵀy_i (float64 dot of the float32
 * factors, reported as float32), skipping items in `exclude` (e.g. the user's
 * training items), best first, ties broken by the lower item index.
 *
 * @param userFactors nUsers × factors. @param itemFactors nItems × factors.
 */
export function recommend(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  factors: number,
  user: number,
  k: number,
  exclude: Iterable<number> = [],
): TopK {
  const nUsers = userFactors.length / factors;
  if (!Number.isInteger(user) || user < 0 || user >= nUsers) {
    throw new RangeError(`recommend: user ${user} is not in [0, ${nUsers})`);
  }
  const nItems = itemFactors.length / factors;
  const scores = new Float64Array(nItems);
  const uo = user * factors;
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    const io = i * factors;
    for (let j = 0; j < factors; j++) {
      s += userFactors[uo + j] * itemFactors[io + j];
    }
    scores[i] = s;
  }
  const skip = new Uint8Array(nItems);
  for (const i of exclude) if (i >= 0 && i < nItems) skip[i] = 1;
  return topK(scores, skip, k);
}

/**
 * The `k` items most similar to `item` by cosine of their factors, best first
 * (the item itself included, as implicit's `similar_items` does), ties by the
 * lower index. Zero-norm rows get norm 1e-10, as in implicit.
 *
 * @param itemFactors nItems × factors, row-major.
 */
export function similarItems(
  itemFactors: Float32Array,
  factors: number,
  item: number,
  k: number,
): TopK {
  const nItems = itemFactors.length / factors;
  if (!Number.isInteger(item) || item < 0 || item >= nItems) {
    throw new RangeError(`similarItems: item ${item} is not in [0, ${nItems})`);
  }
  const norm = (i: number) => {
    let s = 0;
    for (let j = 0; j < factors; j++) {
      const v = itemFactors[i * factors + j];
      s += v * v;
    }
    return s === 0 ? 1e-10 : Math.sqrt(s);
  };
  const qo = item * factors, qn = norm(item);
  const scores = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    const io = i * factors;
    for (let j = 0; j < factors; j++) {
      s += itemFactors[qo + j] * itemFactors[io + j];
    }
    scores[i] = s / (norm(i) * qn);
  }
  return topK(scores, new Uint8Array(nItems), k);
}

/** Indices of the k largest unskipped scores, descending, ties by lower index. */
function topK(scores: Float64Array, skip: Uint8Array, k: number): TopK {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`topK: k must be an integer ≥ 0, got ${k}`);
  }
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!skip[i]) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  const n = Math.min(k, idx.length);
  const items = Int32Array.from(idx.slice(0, n));
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) out[r] = scores[items[r]];
  return { items, scores: out };
}
