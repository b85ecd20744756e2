/**
 * Bayesian Personalized Ranking (Rendle et al. 2009, "BPR: Bayesian
 * Personalized Ranking from Implicit Feedback") as benfred/implicit 0.7's CPU
 * `BayesianPersonalizedRanking` fits it (the pairwise loss Spotlight's
 * `ImplicitFactorizationModel(loss="bpr")` also optimises).
 *
 * Layout. With k = `factors`, both tables have k + 1 columns (row-major
 * float32): column k of an item row is the item's bias b_i, column k of every
 * user row is fixed at 1, so the score x_uᵀy_i over all k + 1 columns is the
 * latent dot plus b_i. The returned model is a plain {@link FactorModel} with
 * `factors = k + 1`: lib/models/factor_model.ts and lib/onnx/export.ts rank
 * with it unchanged (the constant column carries the bias into the dot).
 *
 * Initialisation (implicit 0.7 with an integer `random_state = seed`): one
 * `np.random.default_rng(seed)` (lib/default_rng.ts, bit-exact PCG64); item
 * rows first, `(rng.random((nItems, k+1), dtype=float32) − 0.5) / k` in
 * float32, then user rows from the same generator the same way; rows of items
 * and users with no stored entry are set to 0; then column k of every user
 * row (those without entries too) is set to 1. These starting tables equal
 * implicit 0.7's bit for bit ({@link bprInitialFactors}).
 *
 * Sampling. Every stored entry of `userItems` is a "like", whatever its value
 * (implicit treats the matrix as binary too). An iteration draws nnz samples;
 * each takes a uniformly random stored entry e (user u, liked item i) and then
 * the item j of a second uniformly random stored entry, so negatives are drawn
 * in proportion to item popularity. With `verifyNegativeSamples`, a sample
 * whose j is one of u's stored items (binary search in u's sorted row; j = i
 * included) is skipped: no update.
 *
 * Update. With the float32 score s = Σ_{c ≤ k} x_uc (y_ic − y_jc) and
 * z = 1 / (1 + e^s) (= 1 − σ(s): the gradient of ln σ(s)), for c < k,
 * t = x_uc (the old value):
 *
 *   x_uc += η (z (y_ic − y_jc) − λ x_uc)
 *   y_ic += η (z t − λ y_ic)
 *   y_jc += η (−z t − λ y_jc)
 *
 * (in that order, in place, so i = j, possible without verification, sees its
 * own first update), and for the bias column y_ik += η (z − λ y_ik),
 * y_jk += η (−z − λ y_jk). The user's constant column is never updated. A
 * sample counts as ranked correctly when z < 0.5 (s > 0); per iteration
 * `onIteration` gets implicit's progress-bar numbers: train AUC =
 * correct / (nnz − skipped) and skipped / nnz.
 *
 * Arithmetic: float32, operation by operation, as implicit's Cython kernel
 * with float32 factors (C float arithmetic): every product, sum and
 * difference is rounded with Math.fround (the double result of an operation
 * on two float32 values rounds to the float32 result exactly), η and λ are
 * rounded to float32 first, and z is 1 / (1 + exp(s)) in double rounded to
 * float32, as the C code computes it. Math.exp may differ from the C
 * library's exp in the last double bit, which almost never changes z.
 *
 * Speed. By default the step runs as WebAssembly (./bpr_simd.wat: the score
 * as a sequential float32 sum, the updates four columns per f32x4, a scalar
 * loop when i = j), performing the same float32 operations in the same order
 * as the TypeScript {@link bprStep} (`kernel: "js"`), so both give the same
 * bytes; on ML-100K's shape with the defaults it is about 3.5 times faster
 * (./bpr_bench.ts). The sampling, the negative check and z stay in TypeScript.
 *
 * Where we differ from implicit: implicit runs the nnz samples of an iteration
 * as a Hogwild SGD over OpenMP threads (static chunks, unsynchronised writes
 * to shared rows), drawing indices from one C++ `mt19937` per thread (seeded
 * from the generator after the initial draws) through libstdc++'s
 * `uniform_int_distribution`, so with more than one thread its factors are not
 * reproducible run to run. Ours is a sequential SGD: after the initial draws
 * the same PCG64 generator supplies the sample indices, two per sample (liked
 * entry, then negative entry), each an unbiased integer in [0, nnz) by
 * Lemire's multiply-shift with rejection on 32-bit outputs, which is the
 * stream numpy's `rng.integers(0, nnz)` gives (checked against numpy 2.4).
 * The same seed gives the same bytes, and a numpy float32 transcription of
 * implicit's loop drawing its samples that way reproduces them bit for bit
 * (bpr_test.ts); agreement with implicit itself is statistical (same
 * initialisation, sampling distribution and update), not bitwise.
 *
 * @module
 */

import { defaultRng, type Pcg64 } from "../../default_rng.ts";
import type { Csr } from "../../sparse.ts";
import type { FactorModel } from "../factor_model.ts";
import { BPR_SIMD_WASM } from "./bpr_simd_wasm.ts";

/** Hyper-parameters of {@link fitBpr}; implicit 0.7's defaults in {@link BPR_DEFAULTS}. */
export interface BprConfig {
  /** Latent factors k, an integer ≥ 1; the tables get k + 1 columns (implicit: 100). */
  readonly factors: number;
  /** SGD step η, finite and > 0 (implicit: 0.01). */
  readonly learningRate: number;
  /** L2 weight λ, finite and ≥ 0 (implicit: 0.01). */
  readonly regularization: number;
  /** Iterations (epochs of nnz samples each), an integer ≥ 0 (implicit: 100). */
  readonly iterations: number;
  /** Skip samples whose negative item the user has (implicit: true). */
  readonly verifyNegativeSamples: boolean;
  /** `default_rng` seed (implicit's integer random_state), a safe integer ≥ 0. */
  readonly seed: number;
  /**
   * The SGD step's implementation: "wasm" (default; ./bpr_simd.wat, f32x4
   * updates) or "js" ({@link bprStep}, the readable reference). Both perform
   * the same float32 operations in the same order: the factors are the same bytes.
   */
  readonly kernel?: "wasm" | "js";
}

/** implicit 0.7's `BayesianPersonalizedRanking()` defaults (all but the seed). */
export const BPR_DEFAULTS: Readonly<Omit<BprConfig, "seed">> = Object.freeze({
  factors: 100,
  learningRate: 0.01,
  regularization: 0.01,
  iterations: 100,
  verifyNegativeSamples: true,
});

/** Per-iteration report passed to `onIteration` (implicit's progress bar). */
export interface BprIterationInfo {
  /** Samples drawn: the number of stored entries, nnz. */
  readonly samples: number;
  /** Samples skipped because the user has the negative item. */
  readonly skipped: number;
  /** Updated samples the model already ranked correctly (z < 0.5). */
  readonly correct: number;
  /** correct / (samples − skipped), in [0, 1]; NaN when every sample was skipped or nnz = 0. */
  readonly trainAuc: number;
  /** skipped / samples, in [0, 1]; NaN when nnz = 0. */
  readonly skippedFraction: number;
  /** Wall time of the iteration in seconds. */
  readonly seconds: number;
}

/** A fitted BPR model: a {@link FactorModel} with k + 1 columns, plus its training history. */
export interface BprModel extends FactorModel {
  /** Columns of both tables: k + 1 (k latent factors, then user 1 / item bias). */
  readonly factors: number;
  /** nUsers × (k + 1), row-major; column k is 1. */
  readonly userFactors: Float32Array;
  /** nItems × (k + 1), row-major; column k is the item bias. */
  readonly itemFactors: Float32Array;
  /** One entry per iteration. */
  readonly history: readonly BprIterationInfo[];
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
 * Throws a RangeError naming the first invalid field of a {@link BprConfig}.
 *
 * @example
 * ```ts
 * import { BPR_DEFAULTS, validateBprConfig } from "./bpr.ts";
 * validateBprConfig({ ...BPR_DEFAULTS, seed: 0 }); // passes
 * ```
 */
export function validateBprConfig(config: BprConfig): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(
        `BPR config: ${name} must be an integer ≥ ${min}, got ${v}`,
      );
    }
  };
  int("factors", config.factors, 1);
  int("iterations", config.iterations, 0);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) {
    throw new RangeError(
      `BPR config: learningRate must be a finite number > 0, got ${config.learningRate}`,
    );
  }
  if (!Number.isFinite(config.regularization) || config.regularization < 0) {
    throw new RangeError(
      `BPR config: regularization must be a finite number ≥ 0, got ${config.regularization}`,
    );
  }
  if (typeof config.verifyNegativeSamples !== "boolean") {
    throw new RangeError(
      `BPR config: verifyNegativeSamples must be true or false, got ${
        String(config.verifyNegativeSamples)
      }`,
    );
  }
  if (
    config.kernel !== undefined && config.kernel !== "wasm" &&
    config.kernel !== "js"
  ) {
    throw new RangeError(
      `BPR config: kernel must be "wasm" or "js", got ${String(config.kernel)}`,
    );
  }
  if (!Number.isSafeInteger(config.seed) || config.seed < 0) {
    throw new RangeError(
      `BPR config: seed must be an integer in [0, 2**53 - 1], got ${config.seed}`,
    );
  }
}

/**
 * Throws a RangeError when `m` is not a well-formed CSR matrix with sorted,
 * distinct, in-range columns per row (the negative check's binary search
 * needs them sorted).
 */
function checkUserItems(m: Csr): void {
  const fail = (msg: string) => {
    throw new RangeError(`fitBpr: userItems ${msg}`);
  };
  if (!Number.isInteger(m.nRows) || m.nRows < 0) {
    fail(`has ${m.nRows} rows`);
  }
  if (!Number.isInteger(m.nCols) || m.nCols < 0) {
    fail(`has ${m.nCols} columns`);
  }
  if (m.indptr.length !== m.nRows + 1 || m.indptr[0] !== 0) {
    fail(
      `indptr must have nRows + 1 = ${m.nRows + 1} entries starting at 0`,
    );
  }
  const nnz = m.indptr[m.nRows];
  if (m.indices.length < nnz) {
    fail(`indices has ${m.indices.length} entries, indptr says ${nnz}`);
  }
  for (let r = 0; r < m.nRows; r++) {
    const a = m.indptr[r], b = m.indptr[r + 1];
    if (b < a) fail(`indptr decreases at row ${r}`);
    for (let e = a; e < b; e++) {
      const c = m.indices[e];
      if (!(c >= 0 && c < m.nCols)) {
        fail(`indices[${e}] = ${c} is not a column of ${m.nCols}`);
      }
      if (e > a && c <= m.indices[e - 1]) {
        fail(
          `row ${r} is not sorted by column without duplicates (indices[${e}] = ${c})`,
        );
      }
    }
  }
}

/**
 * implicit 0.7's starting tables for BPR (see the module doc), drawn from
 * `rng` (a fresh `defaultRng(seed)` for implicit's `random_state = seed`):
 * items first, then users, each (U[0,1) float32 − 0.5) / k in float32; rows
 * without stored entries zeroed; users' column k set to 1.
 *
 * @param userItems users × items CSR (only its pattern is read).
 * @param factors Latent factors k, an integer ≥ 1.
 * @param rng The generator; advanced by (nItems + nUsers)·(k + 1) float32 draws.
 * @returns Row-major float32 tables with k + 1 columns: users nUsers × (k+1), items nItems × (k+1).
 *
 * @example
 * ```ts
 * import { bprInitialFactors } from "./bpr.ts";
 * import { defaultRng } from "../../default_rng.ts";
 * import { csrFromCoo } from "../../sparse.ts";
 * const m = csrFromCoo(Int32Array.of(0), Int32Array.of(1), [1], 2, 2);
 * const { users, items } = bprInitialFactors(m, 3, defaultRng(0));
 * console.assert(users[3] === 1 && users.slice(4).join() === "0,0,0,1");
 * console.assert(items.slice(0, 4).join() === "0,0,0,0");
 * ```
 */
export function bprInitialFactors(
  userItems: Csr,
  factors: number,
  rng: { random(n: number, dtype: "float32"): Float32Array },
): { users: Float32Array; items: Float32Array } {
  const k = factors, k1 = k + 1;
  const { nRows: nUsers, nCols: nItems } = userItems;
  const draw = (n: number) => {
    const a = rng.random(n * k1, "float32");
    // (r − 0.5) is exact in float32; the division by k rounds once.
    for (let j = 0; j < a.length; j++) a[j] = (a[j] - 0.5) / k;
    return a;
  };
  const items = draw(nItems);
  const users = draw(nUsers);
  const nnz = userItems.indptr[nUsers];
  const itemCount = new Int32Array(nItems);
  for (let e = 0; e < nnz; e++) itemCount[userItems.indices[e]]++;
  for (let i = 0; i < nItems; i++) {
    if (itemCount[i] === 0) items.fill(0, i * k1, (i + 1) * k1);
  }
  for (let u = 0; u < nUsers; u++) {
    if (userItems.indptr[u + 1] === userItems.indptr[u]) {
      users.fill(0, u * k1, (u + 1) * k1);
    }
    users[u * k1 + k] = 1;
  }
  return { users, items };
}

/**
 * Uniform integers in [0, n) from a PCG64's 32-bit outputs by Lemire's
 * multiply-shift: x·n = hi·2³² + lo with x = next_uint32; hi is returned
 * unless lo < (2³² − n) mod n, when x is redrawn (no bias).
 */
export class EntrySampler {
  readonly #bits: Pcg64;
  readonly #n: number;
  readonly #threshold: number;

  /**
   * @param bits The bit generator (e.g. `defaultRng(seed).bitGenerator`).
   * @param n Range size, an integer in [1, 2³¹).
   */
  constructor(bits: Pcg64, n: number) {
    if (!Number.isInteger(n) || n < 1 || n >= 2 ** 31) {
      throw new RangeError(
        `EntrySampler: n ${n} must be an integer in [1, 2**31)`,
      );
    }
    this.#bits = bits;
    this.#n = n;
    this.#threshold = (2 ** 32 - n) % n;
  }

  /** The next integer, uniform in [0, n). */
  next(): number {
    const n = this.#n;
    for (;;) {
      const x = this.#bits.nextUint32();
      const lo = Math.imul(x, n) >>> 0;
      // hi = ⌊x·n / 2³²⌋ from 16-bit halves of x, every partial product exact.
      const a = (x >>> 16) * n, b = (x & 0xffff) * n;
      const hi = Math.floor((a + Math.floor(b / 65536)) / 65536);
      if (lo >= this.#threshold) return hi;
    }
  }
}

/**
 * One SGD step of BPR on user row `uo`, liked item row `io` and negative item
 * row `jo` (offsets into the k + 1-column tables), in place, float32 operation
 * by operation (see the module doc); returns z = 1 / (1 + e^s).
 *
 * @param x User table (nUsers × (k+1)). @param y Item table (nItems × (k+1)).
 * @param k Latent factors (the bias column is k). @param lr η rounded to float32.
 * @param reg λ rounded to float32.
 * @example
 * ```ts
 * import { bprStep } from "./bpr.ts";
 * const x = Float32Array.of(0, 1), y = Float32Array.of(1, 0, 0, 0);
 * const z = bprStep(x, 0, y, 0, 2, 1, 1, 0);
 * console.assert(z === 1 / (1 + Math.exp(0)) && y[1] === 0.5 && y[3] === -0.5);
 * ```
 */
export function bprStep(
  x: Float32Array,
  uo: number,
  y: Float32Array,
  io: number,
  jo: number,
  k: number,
  lr: number,
  reg: number,
): number {
  const f = Math.fround;
  let s = 0;
  for (let c = 0; c <= k; c++) {
    s = f(s + f(x[uo + c] * f(y[io + c] - y[jo + c])));
  }
  const z = f(1 / (1 + Math.exp(s)));
  const nz = -z;
  for (let c = 0; c < k; c++) {
    const t = x[uo + c];
    x[uo + c] = t + f(lr * f(f(z * f(y[io + c] - y[jo + c])) - f(reg * t)));
    const yi = y[io + c];
    y[io + c] = yi + f(lr * f(f(z * t) - f(reg * yi)));
    const yj = y[jo + c];
    y[jo + c] = yj + f(lr * f(f(nz * t) - f(reg * yj)));
  }
  const bi = y[io + k];
  y[io + k] = bi + f(lr * f(z - f(reg * bi)));
  const bj = y[jo + k];
  y[jo + k] = bj + f(lr * f(nz - f(reg * bj)));
  return z;
}

/** True when sorted `indices[a..b)` holds `c`. */
function rowHas(indices: Int32Array, a: number, b: number, c: number): boolean {
  let lo = a, hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = indices[mid];
    if (v < c) lo = mid + 1;
    else if (v > c) hi = mid;
    else return true;
  }
  return false;
}

/** The user (row) of each stored entry of `m`, length nnz. */
function entryRows(m: Csr): Int32Array {
  const out = new Int32Array(m.indptr[m.nRows]);
  for (let r = 0; r < m.nRows; r++) out.fill(r, m.indptr[r], m.indptr[r + 1]);
  return out;
}

/**
 * One iteration: nnz samples drawn from `sampler` (a liked entry, then the
 * entry whose item is the negative), a sample whose user has the negative
 * skipped under `verify`, the rest updated by `step(u, i, j)`, which returns
 * z = 1/(1 + exp(score_i − score_j)); returns [correct (z < 0.5), skipped].
 */
function epoch(
  m: Csr,
  rows: Int32Array,
  verify: boolean,
  sampler: EntrySampler,
  step: (u: number, i: number, j: number) => number,
): [number, number] {
  const nnz = rows.length;
  const indices = m.indices, indptr = m.indptr;
  let correct = 0, skipped = 0;
  for (let s = 0; s < nnz; s++) {
    const liked = sampler.next();
    const disliked = sampler.next();
    const u = rows[liked], i = indices[liked], j = indices[disliked];
    if (verify && rowHas(indices, indptr[u], indptr[u + 1], j)) {
      skipped++;
      continue;
    }
    if (step(u, i, j) < 0.5) correct++;
  }
  return [correct, skipped];
}

/** The compiled bpr_simd.wat, compiled on first use. */
let compiled: WebAssembly.Module | undefined;

/** The kernels of bpr_simd.wat over `memory` (byte offsets; see the .wat). */
interface WasmStep {
  score(u: number, i: number, j: number, n: number): number;
  update(
    u: number,
    i: number,
    j: number,
    k: number,
    z: number,
    lr: number,
    reg: number,
  ): void;
}

/** Instantiates bpr_simd.wat on `memory`. */
function wasmStep(memory: WebAssembly.Memory): WasmStep {
  if (compiled === undefined) {
    const bin = atob(BPR_SIMD_WASM);
    const bytes = new Uint8Array(bin.length);
    for (let b = 0; b < bin.length; b++) bytes[b] = bin.charCodeAt(b);
    compiled = new WebAssembly.Module(bytes);
  }
  const w = new WebAssembly.Instance(compiled, { env: { memory } });
  return w.exports as unknown as WasmStep;
}

/**
 * The WebAssembly step on the tables at byte offsets `xb` and `yb` of the
 * kernel's memory: the same float32 operations as {@link bprStep}; returns z.
 */
function wasmStepAt(
  w: WasmStep,
  xb: number,
  yb: number,
  k: number,
  lr: number,
  reg: number,
): (u: number, i: number, j: number) => number {
  const k1 = k + 1, row = 4 * k1;
  return (u, i, j) => {
    const uo = xb + u * row, io = yb + i * row, jo = yb + j * row;
    const z = Math.fround(1 / (1 + Math.exp(w.score(uo, io, jo, k1))));
    w.update(uo, io, jo, k, z, lr, reg);
    return z;
  };
}

/** Throws a user-facing RangeError when a factor is not finite after iteration `it`. */
function checkFinite(
  x: Float32Array,
  y: Float32Array,
  k1: number,
  config: BprConfig,
  it: number,
): void {
  for (const [name, f] of [["user", x], ["item", y]] as const) {
    for (let c = 0; c < f.length; c++) {
      if (Number.isFinite(f[c])) continue;
      const { learningRate: lr, regularization: reg } = config;
      const advice = lr * reg >= 1
        ? `learningRate × regularization = ${
          lr * reg
        } makes the L2 decay overshoot: decrease learningRate or regularization`
        : `learningRate ${lr} is too high for these data: decrease it (implicit's default is 0.01)`;
      throw fitFailure(
        `fitBpr: non-finite ${name} factors (row ${
          Math.floor(c / k1)
        }) after iteration ${it + 1}; ${advice}`,
      );
    }
  }
}

/**
 * Fits BPR to `userItems` (users × items CSR; every stored entry is a like,
 * values ignored) as implicit 0.7's CPU `BayesianPersonalizedRanking` with
 * `random_state = config.seed` does, sequentially and deterministically (see
 * the module doc for where it differs). `onIteration(it, info)` is called
 * after each iteration (it from 0) with implicit's progress numbers.
 *
 * @returns The model: user and item tables with k + 1 columns (float32), a
 *   {@link FactorModel} as is.
 * @throws {RangeError} naming the field of an invalid config or the defect of
 *   a malformed matrix; a user-facing one when factors become non-finite.
 * @example
 * ```ts
 * import { BPR_DEFAULTS, fitBpr } from "./bpr.ts";
 * import { csrFromCoo } from "../../sparse.ts";
 * const m = csrFromCoo(Int32Array.of(0, 0, 1, 2), Int32Array.of(0, 1, 1, 2), [1, 1, 1, 1], 3, 3);
 * const model = fitBpr(m, { ...BPR_DEFAULTS, factors: 2, iterations: 3, seed: 0 });
 * console.assert(model.factors === 3 && model.userFactors.length === 3 * 3);
 * ```
 */
export function fitBpr(
  userItems: Csr,
  config: BprConfig,
  onIteration?: (it: number, info: BprIterationInfo) => void,
): BprModel {
  validateBprConfig(config);
  checkUserItems(userItems);
  const k = config.factors, k1 = k + 1;
  const nnz = userItems.indptr[userItems.nRows];
  if (nnz >= 2 ** 31) {
    throw new RangeError(`fitBpr: ${nnz} stored entries exceed 2**31 - 1`);
  }
  const rng = defaultRng(config.seed);
  const init = bprInitialFactors(userItems, k, rng);
  let x = init.users, y = init.items;
  const useWasm = (config.kernel ?? "wasm") === "wasm";
  const xb = 0;
  let w: WasmStep | undefined, yb = 0;
  if (useWasm) {
    // Both tables in one memory: users at 0, items from the next 16-byte boundary.
    yb = Math.ceil(x.byteLength / 16) * 16;
    const bytes = yb + y.byteLength;
    if (bytes > 2 ** 32) {
      throw new RangeError(
        `fitBpr: the factor tables need ${bytes} bytes, more than WebAssembly's 4 GiB`,
      );
    }
    const memory = new WebAssembly.Memory({
      initial: Math.max(1, Math.ceil(bytes / 65536)),
    });
    w = wasmStep(memory);
    const xv = new Float32Array(memory.buffer, xb, x.length);
    const yv = new Float32Array(memory.buffer, yb, y.length);
    xv.set(x);
    yv.set(y);
    x = xv;
    y = yv;
  }
  const rows = entryRows(userItems);
  const sampler = nnz > 0 ? new EntrySampler(rng.bitGenerator, nnz) : null;
  const lr = Math.fround(config.learningRate);
  const reg = Math.fround(config.regularization);
  const history: BprIterationInfo[] = [];
  const verify = config.verifyNegativeSamples;
  const step = w !== undefined
    ? wasmStepAt(w, xb, yb, k, lr, reg)
    : (u: number, i: number, j: number) =>
      bprStep(x, u * k1, y, i * k1, j * k1, k, lr, reg);
  for (let it = 0; it < config.iterations; it++) {
    const t0 = performance.now();
    const [correct, skipped] = sampler === null
      ? [0, 0]
      : epoch(userItems, rows, verify, sampler, step);
    checkFinite(x, y, k1, config, it);
    const info: BprIterationInfo = {
      samples: nnz,
      skipped,
      correct,
      trainAuc: nnz - skipped > 0 ? correct / (nnz - skipped) : NaN,
      skippedFraction: nnz > 0 ? skipped / nnz : NaN,
      seconds: (performance.now() - t0) / 1000,
    };
    history.push(info);
    onIteration?.(it, info);
  }
  return {
    nUsers: userItems.nRows,
    nItems: userItems.nCols,
    factors: k1,
    // Copies: the WebAssembly memory is not kept alive by the model.
    userFactors: useWasm ? x.slice() : x,
    itemFactors: useWasm ? y.slice() : y,
    history,
  };
}

/**
 * The plain {@link FactorModel} of a fitted BPR model (the same arrays, k + 1
 * columns, no separate biases: the item bias rides in column k against the
 * users' constant 1), as `exportFactorModel` and `recommend` take it.
 *
 * @example
 * ```ts
 * import { BPR_DEFAULTS, bprFactorModel, fitBpr } from "./bpr.ts";
 * import { csrFromCoo } from "../../sparse.ts";
 * const m = csrFromCoo(Int32Array.of(0, 1), Int32Array.of(0, 1), [1, 1], 2, 2);
 * const fm = bprFactorModel(fitBpr(m, { ...BPR_DEFAULTS, factors: 4, iterations: 1, seed: 1 }));
 * console.assert(fm.factors === 5 && fm.nItems === 2);
 * ```
 */
export function bprFactorModel(model: BprModel): FactorModel {
  return {
    nUsers: model.nUsers,
    nItems: model.nItems,
    factors: model.factors,
    userFactors: model.userFactors,
    itemFactors: model.itemFactors,
  };
}
