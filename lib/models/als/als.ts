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
 * MT19937 via lib/rng.ts), unless `initialFactors` gives them: implicit 0.7
 * draws them from `np.random.default_rng(random_state)` instead, which
 * `implicitInitialFactors` (./init.ts) reproduces bit for bit.
 *
 * Precision. The factors are float32 throughout, as implicit keeps them
 * (float32 arrays, float32 BLAS): stored as float32 rows of k rounded up to a
 * multiple of 4 floats (16-byte aligned, zero padding), and CG runs in
 * float32 — residual, directions, step sizes and every dot product, each dot
 * product in four float32 partial sums (lanes j mod 4) combined as
 * (s0 + s1) + (s2 + s3), much as a float32 BLAS sdot. Dot products are not
 * accumulated in float64, by measurement: in the hottest loop (the sparse
 * passes: per stored entry and pass one k-long dot product and one k-long
 * axpy) widening the dot products to float64 (two f64x2 multiply-adds and two
 * conversions per f32x4 one) made the kernel 40–65 % slower per entry on
 * 4 … 160,000 distinct factor rows at k = 64, while 3 CG steps leave a
 * residual far above float32 rounding. On MovieLens the float32 fit's
 * holdout metrics moved by ≤ 1.1·10⁻⁴ from the float64 fit's (means over 20
 * seeds) and its final training loss by 4·10⁻⁸. Float64 is kept where it is
 * small: the Gram matrix YᵀY + λI is accumulated in float64 from the float32
 * rows (k × k; CG uses it rounded to float32), and "cholesky" builds and
 * solves each row's k × k system in float64 in a per-thread scratch buffer,
 * storing the solution rounded to float32; the training loss is summed in
 * float64. Trained factors agree with implicit's statistically, not bit for
 * bit (BLAS summation orders differ).
 *
 * Speed. The Gram matrix and each row's whole CG update run as WebAssembly
 * SIMD (./als_simd.wat; f32x4 lanes for CG) that performs the operations of
 * the scalar TypeScript kernels (./_kernel.ts, every float32 step rounded with
 * Math.fround) in the same order, so the factors are bit-identical to theirs
 * and to any thread count; all fit data lives in one shared WebAssembly
 * memory. The sparse passes take a row's entries eight at a time (eight
 * gathered factor rows and dot products in flight, then one load and store
 * of the output per eight axpys). Copying a short row's gathered factor rows
 * into a contiguous per-thread buffer once and running its 1 + cgSteps
 * passes over that copy was tried (with the earlier four-entry kernel) and
 * measured slower at ML-25M size, 9.5 against 8.4–8.9 CPU seconds per
 * iteration: the copy is one more sweep over the gathered rows, and the
 * passes over the copy did not get faster enough to repay it. Rows are
 * gathered in place. Rows are spread over `threads`
 * (main thread plus Web Workers); an {@link AlsThreads} team can be reused
 * across fits.
 *
 * @module
 */

import { RandomState } from "../../rng.ts";
import { WebWorker } from "../../web_worker.ts";
import type { Csr } from "../../sparse.ts";
import {
  type AlsRows,
  finishGram,
  paddedFactors,
  splitUpperRows,
} from "./_kernel.ts";
import { type AlsShared, type PhaseMessage, runPhase } from "./_phase.ts";
import { WasmArena } from "./_simd.ts";

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
  /** Seed of the initialisation, an integer in [0, 2³²); unused with `initialFactors`. */
  readonly seed: number;
  /**
   * The starting factors (float32, row-major: users nUsers × factors, items
   * nItems × factors) instead of the `RandomState(seed)` draw, e.g. implicit
   * 0.7's for a random_state (`implicitInitialFactors`, ./init.ts). Not modified.
   */
  readonly initialFactors?: {
    readonly users: Float32Array;
    readonly items: Float32Array;
  };
  /** Compute the training loss after every iteration (implicit's calculate_training_loss). */
  readonly computeLoss?: boolean;
  /**
   * Threads (main + Web Workers), an integer ≥ 1; results do not depend on it.
   * Default 1, or `team.threads` when a team is given (then it must match).
   * Without a team, fitAls starts and stops `threads − 1` workers itself.
   */
  readonly threads?: number;
  /**
   * A started worker team ({@link AlsThreads.start}) to run on, so repeated
   * fits pay worker start-up and JIT warm-up once. The caller closes it.
   */
  readonly team?: AlsThreads;
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
  /** Latent factors k (columns of both matrices). */
  readonly factors: number;
  /** Training loss per iteration (empty unless `computeLoss`). */
  readonly loss: number[];
}

/**
 * A fit that the configuration made impossible: a RangeError flagged
 * user-facing (`isUserError`), so a command prints its one line and exits 1.
 */
function fitFailure(message: string): RangeError {
  return Object.assign(new RangeError(message), {
    userFacing: true as const,
    exitCode: 1,
  });
}

/**
 * Throws a RangeError when a factor is NaN after sweep `it`, with the advice
 * that fits λ: a large λ drives the factors below the float32 range (0/0 in
 * the solver), a small one leaves the systems near singular.
 */
function checkFinite(
  x: Float32Array,
  y: Float32Array,
  ks: number,
  lambda: number,
  it: number,
): void {
  for (const [name, f] of [["user", x], ["item", y]] as const) {
    for (let i = 0; i < f.length; i++) {
      if (Number.isFinite(f[i])) continue;
      const advice = lambda > 1
        ? `regularization ${lambda} shrinks the factors out of the floating-point range: decrease it`
        : `regularization ${lambda} leaves the least-squares systems near singular: increase it`;
      throw fitFailure(
        `fitAls: non-finite ${name} factors (row ${
          Math.floor(i / ks)
        }) after sweep ${it + 1}; ${advice}`,
      );
    }
  }
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
  if (config.team !== undefined) {
    if (!(config.team instanceof AlsThreads)) {
      throw new RangeError("ALS config: team must be an AlsThreads");
    }
    if (
      config.threads !== undefined && config.threads !== config.team.threads
    ) {
      throw new RangeError(
        `ALS config: threads (${config.threads}) differs from team.threads (${config.team.threads})`,
      );
    }
  }
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

/** Throws a RangeError when `initialFactors` does not fit the matrix or is not finite float32. */
function checkInitialFactors(
  config: AlsConfig,
  nUsers: number,
  nItems: number,
): void {
  const given = config.initialFactors;
  if (given === undefined) return;
  for (
    const [name, a, n] of [
      ["users", given.users, nUsers],
      ["items", given.items, nItems],
    ] as const
  ) {
    if (!(a instanceof Float32Array) || a.length !== n * config.factors) {
      throw new RangeError(
        `ALS config: initialFactors.${name} must be a Float32Array of ${n} × ${config.factors} values, got ${
          a instanceof Float32Array ? a.length : typeof a
        }`,
      );
    }
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        throw new RangeError(
          `ALS config: initialFactors.${name}[${i}] = ${a[i]} is not finite`,
        );
      }
    }
  }
}

/**
 * Fits implicit-feedback ALS to `userItems` (users × items CSR whose values
 * are raw ratings or counts; alpha is applied here). `onIteration(it, info)` is
 * called after each iteration (it from 0). Throws on a bad config, on
 * non-finite values, when a Cholesky system is singular, when factors
 * become NaN, or when `config.team` is closed or running another fit. With
 * `threads` > 1 the work is shared with Web Workers over shared memory: its
 * own, started and stopped per call, or the reusable `config.team`. The
 * factors are bit-identical for any thread count, with or without a team.
 *
 * @example
 * ```ts
 * import { fitAls } from "./als.ts";
 * import { csrFromCoo } from "../../sparse.ts";
 * const m = csrFromCoo(Int32Array.of(0, 0, 1, 2), Int32Array.of(0, 1, 1, 2), [1, 1, 1, 1], 3, 3);
 * const model = await fitAls(m, { factors: 2, regularization: 0.01, iterations: 3, alpha: 1, solver: "cg", cgSteps: 3, seed: 0 });
 * console.assert(model.userFactors.length === 3 * 2);
 * ```
 */
export async function fitAls(
  userItems: Csr,
  config: AlsConfig,
  onIteration?: (it: number, info: AlsIterationInfo) => void,
): Promise<AlsModel> {
  validateAlsConfig(config);
  const k = config.factors;
  const threads = config.team?.threads ?? config.threads ?? 1;
  const nUsers = userItems.nRows, nItems = userItems.nCols;
  checkInitialFactors(config, nUsers, nItems);
  const nnz = userItems.indptr[nUsers];
  const alpha32 = Math.fround(config.alpha);

  // Every array the threads share lives in one shared WebAssembly memory, where
  // the SIMD kernels work. Per stored entry it holds 16 bytes: a column index
  // and a float32 confidence for each side. Factor rows are float32, ks
  // floats apart (16-byte aligned, zero padding).
  const ks = paddedFactors(k);
  // Per-thread scratch (float64s): CG's float32 r, p, ap or Cholesky's k × k system.
  const scratchSize = 2 * Math.ceil(Math.max(2 * ks, k * k + k) / 2);
  const arena = arenaFor(
    config.team,
    WasmArena.bytesFor([
      ...rowsBytes(nUsers, nnz),
      ...rowsBytes(nItems, nnz),
      4 * nUsers * ks,
      4 * nItems * ks,
      8 * k * k,
      4 * ks * ks,
      4,
      8 * nUsers,
      8 * threads * scratchSize,
    ]),
  );
  const users = userRows(userItems, alpha32, arena);
  let totalConfidence = 0;
  for (let e = 0; e < nnz; e++) totalConfidence += Math.abs(users.conf[e]);
  const items = transposeRows(users, nItems, arena);

  // Initial factors: the given ones, or users first, then items, float32
  // values as implicit ≤ 0.6 draws them.
  const x = arena.f32(nUsers * ks), y = arena.f32(nItems * ks);
  const given = config.initialFactors;
  if (given !== undefined) {
    setPadded(x, given.users, k, ks);
    setPadded(y, given.items, k, ks);
  } else {
    const rng = new RandomState(config.seed);
    const scale = Math.fround(0.01);
    for (const f of [x, y]) {
      for (let o = 0; o < f.length; o += ks) {
        for (let j = 0; j < k; j++) {
          f[o + j] = Math.fround(rng.randomSample()) * scale;
        }
      }
    }
  }

  const shared: AlsShared = {
    memory: arena.memory,
    k,
    ks,
    users,
    items,
    x,
    y,
    g: arena.f64(k * k),
    g32: arena.f32(ks * ks),
    counter: arena.i32(1),
    lossOut: arena.f64(nUsers),
    scratch: arena.f64(threads * scratchSize),
    scratchSize,
  };
  const own = config.team === undefined
    ? await AlsThreads.start(threads)
    : undefined;
  const team = own ?? config.team!;
  try {
    await team.bind(shared);
  } catch (err) {
    own?.close();
    throw err;
  }
  try {
    const gramBounds = splitUpperRows(k, threads);
    const gram = async (of: "users" | "items", lambda: number) => {
      await team.run((t) => ({
        op: "gram",
        of,
        rowStart: gramBounds[t],
        rowEnd: gramBounds[t + 1],
      }));
      finishGram(shared.g, k, lambda, shared.g32, ks);
    };
    const solve = async (side: "users" | "items") => {
      await gram(side === "users" ? "items" : "users", config.regularization);
      shared.counter[0] = 0;
      const msg: PhaseMessage = config.solver === "cg"
        ? { op: "cg", solve: side, cgSteps: config.cgSteps }
        : { op: "cholesky", solve: side };
      try {
        await team.run(() => msg);
      } catch (err) {
        // A singular system is the configuration's doing (λ too small for
        // the data), not a bug: said in one line, without a stack trace.
        const text = String((err as Error).message ?? err);
        if (!text.includes("not positive definite")) throw err;
        throw fitFailure(
          `fitAls: ${
            text.replace(/^RangeError: /, "")
          } (regularization ${config.regularization}, ${config.factors} factors)`,
        );
      }
    };
    const losses: number[] = [];
    for (let it = 0; it < config.iterations; it++) {
      const t0 = performance.now();
      await solve("users");
      await solve("items");
      // Checked every sweep, so a diverging fit stops at once, not after the last.
      checkFinite(x, y, ks, config.regularization, it);
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
    return {
      userFactors: unpadded(x, k, ks),
      itemFactors: unpadded(y, k, ks),
      factors: k,
      loss: losses,
    };
  } finally {
    if (own !== undefined) own.close();
    else team.unbind();
  }
}

/** Copies row-major n × k `from` into `to`, whose rows are ks floats apart. */
function setPadded(
  to: Float32Array,
  from: Float32Array,
  k: number,
  ks: number,
): void {
  if (k === ks) return to.set(from);
  for (let r = 0, o = 0; o < from.length; r += ks, o += k) {
    to.set(from.subarray(o, o + k), r);
  }
}

/** A new row-major n × k copy of `f`, whose rows are ks floats apart. */
function unpadded(f: Float32Array, k: number, ks: number): Float32Array {
  if (k === ks) return f.slice();
  const n = f.length / ks, out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    out.set(f.subarray(r * ks, r * ks + k), r * k);
  }
  return out;
}

/** A zeroed arena of `bytes`: from `team`'s reusable memory when there is a team. */
function arenaFor(team: AlsThreads | undefined, bytes: number): WasmArena {
  // Bracket access: arenaFor is private to the team's public API, not to this module.
  if (team instanceof AlsThreads) return team["arenaFor"](bytes);
  return new WasmArena(bytes);
}

/** Byte lengths of the arrays of one {@link AlsRows} (indptr, indices, conf). */
function rowsBytes(nRows: number, nnz: number): number[] {
  return [4 * (nRows + 1), 4 * nnz, 4 * nnz];
}

/**
 * Copies `m` into `arena` with confidences c = fround(alpha32 · value);
 * throws on a non-finite value.
 */
function userRows(m: Csr, alpha32: number, arena: WasmArena): AlsRows {
  const nnz = m.indptr[m.nRows];
  const indptr = arena.i32(m.nRows + 1), indices = arena.i32(nnz);
  indptr.set(m.indptr);
  indices.set(m.indices.subarray(0, nnz));
  const conf = arena.f32(nnz);
  for (let e = 0; e < nnz; e++) {
    const v = m.data[e];
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `fitAls: value ${v} at stored entry ${e} is not finite`,
      );
    }
    conf[e] = Math.fround(alpha32 * v);
  }
  return { nRows: m.nRows, indptr, indices, conf };
}

/** The transpose of `rows` (nCols columns), built in `arena` (counting sort, rows ascending). */
function transposeRows(
  rows: AlsRows,
  nCols: number,
  arena: WasmArena,
): AlsRows {
  const nnz = rows.indptr[rows.nRows];
  const indptr = arena.i32(nCols + 1);
  for (let e = 0; e < nnz; e++) indptr[rows.indices[e] + 1]++;
  for (let c = 0; c < nCols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, nCols);
  const indices = arena.i32(nnz), conf = arena.f32(nnz);
  for (let r = 0; r < rows.nRows; r++) {
    for (let e = rows.indptr[r]; e < rows.indptr[r + 1]; e++) {
      const dst = next[rows.indices[e]]++;
      indices[dst] = r;
      conf[dst] = rows.conf[e];
    }
  }
  return { nRows: nCols, indptr, indices, conf };
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

/**
 * A reusable team of threads for {@link fitAls}: the calling (main) thread
 * plus `threads − 1` Web Workers running ./_worker.ts. Start it once, pass
 * it as `config.team` to any number of fits (one at a time), and close it:
 *
 *   using team = await AlsThreads.start(2);
 *   const a = await fitAls(m, { ...config, team });
 *   const b = await fitAls(m, { ...config, seed: 7, team });
 *
 * Later fits skip worker start-up (tens of ms) and run on already-compiled
 * kernels. Results are the same as without a team, for any thread count.
 *
 * @example
 * ```ts
 * import { AlsThreads, fitAls } from "./als.ts";
 * import type { Csr } from "../../sparse.ts";
 * async function fitTwice(m: Csr) {
 *   using team = await AlsThreads.start(2);
 *   const base = { factors: 8, regularization: 0.01, iterations: 5, alpha: 1, solver: "cg" as const, cgSteps: 3, team };
 *   return [await fitAls(m, { ...base, seed: 1 }), await fitAls(m, { ...base, seed: 2 })];
 * }
 * ```
 */
export class AlsThreads implements Disposable {
  private shared: AlsShared | undefined;
  private closed = false;
  /** The memory of the team's largest fit so far, reused by later fits. */
  private memory: WebAssembly.Memory | undefined;

  private constructor(private readonly workers: Worker[]) {}

  /** Total threads, the main thread included (an integer ≥ 1). */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Starts `threads − 1` workers and resolves once each has loaded. Throws a
   * RangeError when `threads` is not an integer ≥ 1.
   */
  static async start(threads: number): Promise<AlsThreads> {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(
        `AlsThreads.start: threads must be an integer ≥ 1, got ${threads}`,
      );
    }
    const workers: Worker[] = [];
    const team = new AlsThreads(workers);
    try {
      for (let t = 1; t < threads; t++) {
        workers.push(
          new WebWorker(new URL("./_worker.ts", import.meta.url).href, {
            type: "module",
          }),
        );
      }
      await Promise.all(
        workers.map((w, i) => reply(w, { init: null, thread: i + 1 })),
      );
    } catch (err) {
      team.close();
      throw err;
    }
    return team;
  }

  /**
   * fitAls internal: hands one fit's shared state to every worker; throws if closed or busy.
   *
   * @ignore
   */
  async bind(shared: AlsShared): Promise<void> {
    if (this.closed) throw new Error("AlsThreads: the team is closed");
    if (this.shared !== undefined) {
      throw new Error("AlsThreads: the team is already running a fit");
    }
    this.shared = shared;
    try {
      await Promise.all(
        this.workers.map((w, i) => reply(w, { init: shared, thread: i + 1 })),
      );
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /**
   * fitAls internal: ends the current fit; workers drop its memory so it can be freed.
   *
   * @ignore
   */
  unbind(): void {
    this.shared = undefined;
    if (this.closed) return;
    // No reply to wait for: a later reply() must not receive a stale answer.
    for (const w of this.workers) w.postMessage({ release: true });
  }

  /**
   * fitAls internal: runs one phase on every thread, msgFor(t) for thread t (main = 0).
   *
   * @ignore
   */
  async run(msgFor: (t: number) => PhaseMessage): Promise<void> {
    const shared = this.shared;
    if (shared === undefined || this.closed) {
      throw new Error("AlsThreads: run outside a bound fit");
    }
    const pending = this.workers.map((w, i) => reply(w, msgFor(i + 1)));
    let mainError: unknown;
    try {
      runPhase(shared, msgFor(0), 0);
    } catch (err) {
      mainError = err;
    }
    const results = await Promise.allSettled(pending);
    if (mainError !== undefined) throw mainError;
    for (const r of results) if (r.status === "rejected") throw r.reason;
  }

  /**
   * An arena of at least `bytes` for the next fit: the memory of an earlier
   * fit when it is large enough (zeroed again), else a new one the team keeps
   * for later fits. A team that is closed or bound to a running fit gets a
   * fresh arena it does not keep (that fit's bind then fails as before).
   * Reuse keeps the process from holding one idle fit memory per fit until
   * every thread's garbage collector frees it.
   */
  private arenaFor(bytes: number): WasmArena {
    if (this.closed || this.shared !== undefined) return new WasmArena(bytes);
    if (
      this.memory === undefined || this.memory.buffer.byteLength < bytes
    ) {
      this.memory = undefined;
      const arena = new WasmArena(bytes);
      this.memory = arena.memory;
      return arena;
    }
    return WasmArena.over(this.memory, bytes);
  }

  /** Terminates the workers and drops the kept memory; idempotent. */
  close(): void {
    this.closed = true;
    this.shared = undefined;
    this.memory = undefined;
    for (const w of this.workers) w.terminate();
  }

  /** Closes the team (same as `close()`), for `using`. */
  [Symbol.dispose](): void {
    this.close();
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
