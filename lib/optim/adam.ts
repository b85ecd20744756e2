/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization") over
 * float32 parameter tables, with PyTorch's `torch.optim.Adam` arithmetic:
 *
 *   g ← grad + weightDecay · p                       (L2 in the gradient, torch's `weight_decay`)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * (torch releases after mid-2019, from 1.2 on (pytorch/pytorch#22628), place
 * ε after the bias correction of √v, as here; earlier releases, likely the
 * one the Spotlight document ran, added ε to √v before correcting — exactly
 * `arithmetic: "keras"` below — a difference of ε·(1 − √(1 − β2ᵗ)) in the
 * denominator that matters only while √v is near ε). With `decoupledWeightDecay` the decay is AdamW's instead
 * (Loshchilov & Hutter 2019; fast.ai's `true_wd`): p ← p·(1 − lr·wd) before
 * the step, and nothing is added to the gradient.
 *
 * Keras and TensorFlow (`arithmetic: "keras"`) use the paper's "ε-hat" form
 * instead, folding both bias corrections into the step size and adding ε to
 * the uncorrected √v:
 *
 *   lr_t ← lr · √(1 − β2ᵗ) / (1 − β1ᵗ)
 *   p ← p − lr_t · m / (√v + ε̂)                     (Keras' default ε̂ = 1e-7, `K.epsilon()`)
 *
 * (standalone Keras 2.x `optimizers.Adam.get_updates` and tf.keras'
 * `ResourceApplyAdam` both compute this). It equals the torch form with
 * ε = ε̂ / √(1 − β2ᵗ): early in training, when √(1 − β2ᵗ) is small, Keras'
 * effective ε is up to 1/√(1 − β2) ≈ 31.6× larger than its nominal value.
 * A Keras `embeddings_regularizer=l2(c)` enters as `weightDecay = 2c` on
 * that table (the penalty c·Σw² is in every batch's loss, so every row's
 * gradient gets 2c·w every step).
 *
 * Two update modes, because the libraries the documents used differ:
 *
 * - `"dense"`: every entry of every table is updated every step, as torch's
 *   Adam does for a dense gradient (Spotlight's embeddings are dense,
 *   `sparse=False`) and as Keras' Adam does. A row that had no example in the
 *   minibatch still has gradient `weightDecay · p`, its moments still decay
 *   and it still moves by `m/√v`: momentum carries it after its last example.
 *   No closed form skips those rows exactly (the step depends on m/√v at each
 *   step, and on p through the weight decay), so none is used: the cost is
 *   one pass over all parameters per step.
 * - `"lazy"`: only rows marked with {@link Adam.touch} this step are updated
 *   (torch's `SparseAdam`, TensorFlow's `LazyAdam`); untouched rows keep
 *   their m, v and p; the bias correction uses the global step count.
 *
 * Gradients live in each table's `grad` (same shape as `values`); callers
 * accumulate into them and `touch` every row they wrote. `step()` applies
 * the update and zeroes the touched rows of `grad`, so rows never touched
 * must stay zero (callers write gradients only through touched rows).
 *
 * Arithmetic is float64 on float32 storage: each entry's m, v and p are
 * rounded to float32 when stored, as torch stores them.
 *
 * @example
 * ```ts
 * import { Adam, paramTable } from "./adam.ts";
 * const w = paramTable("w", 1, 2, Float32Array.of(1, -1));
 * const opt = new Adam([w], { lr: 0.1 });
 * w.grad.set([0.5, -0.5]); opt.touch(0, 0);
 * opt.step();
 * // first Adam step moves each entry by lr against its gradient's sign
 * if (Math.abs(w.values[0] - 0.9) > 1e-6 || Math.abs(w.values[1] + 0.9) > 1e-6) throw new Error();
 * ```
 *
 * @module
 */

import { type ArenaSlot, kernelModule, WasmArena } from "./simd_kernels.ts";

/** One parameter table: row-major `rows × cols` float32 values and a same-shaped gradient. */
export interface ParamTable {
  /** Name used in errors and reports, e.g. "user_factors". */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Parameters, length rows·cols, updated in place by `Adam.step`. */
  readonly values: Float32Array;
  /** Gradient accumulator, length rows·cols; zero outside touched rows. */
  readonly grad: Float32Array;
  /**
   * This table's L2 coefficient added to the gradient (overrides
   * `AdamOptions.weightDecay`; e.g. 0 for biases, or 2c for a Keras-style
   * whole-table penalty c·Σw²).
   */
  readonly weightDecay?: number;
}

/**
 * A table with values `values` (or zeros) and a zero gradient.
 *
 * @throws {RangeError} when the sizes are not positive integers or `values` has another length.
 */
export function paramTable(
  name: string,
  rows: number,
  cols: number,
  values?: Float32Array,
  weightDecay?: number,
): ParamTable {
  if (
    !Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1
  ) {
    throw new RangeError(
      `paramTable ${name}: rows ${rows} and cols ${cols} must be positive integers`,
    );
  }
  const n = rows * cols;
  if (values !== undefined && values.length !== n) {
    throw new RangeError(
      `paramTable ${name}: values has length ${values.length}, expected ${rows} × ${cols} = ${n}`,
    );
  }
  return {
    name,
    rows,
    cols,
    values: values ?? new Float32Array(n),
    grad: new Float32Array(n),
    ...(weightDecay === undefined ? {} : { weightDecay }),
  };
}

/** Shape of one table for {@link createParamTables}. */
export interface ParamSpec {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Initial values (default zeros), length rows·cols. */
  readonly values?: Float32Array;
  /** Per-table L2 coefficient (see {@link ParamTable.weightDecay}). */
  readonly weightDecay?: number;
}

const arenaSlots = new WeakMap<
  ParamTable,
  { arena: WasmArena; slot: ArenaSlot }
>();

/**
 * Tables for {@link Adam} placed in one WebAssembly memory, so the dense
 * update runs as a SIMD kernel (same float32 results as the JavaScript loop);
 * where WebAssembly SIMD is unavailable, plain tables.
 * `scratchBytes` reserves room in that memory for a model's per-batch
 * buffers (see {@link arenaOf}).
 *
 * @throws {RangeError} as {@link paramTable} does.
 */
export function createParamTables(
  specs: readonly ParamSpec[],
  options: { readonly scratchBytes?: number } = {},
): ParamTable[] {
  const plain = specs.map((s) =>
    paramTable(s.name, s.rows, s.cols, s.values, s.weightDecay)
  );
  if (kernelModule() === null) return plain;
  const arena = new WasmArena(
    plain.map((t) => t.values.length),
    options.scratchBytes ?? 0,
  );
  return plain.map((t, j) => {
    const slot = arena.slots[j];
    slot.values.set(t.values);
    const table: ParamTable = { ...t, values: slot.values, grad: slot.grad };
    arenaSlots.set(table, { arena, slot });
    return table;
  });
}

/** The wasm arena and slot holding `table`, or undefined for a plain table. */
export function arenaOf(
  table: ParamTable,
): { readonly arena: WasmArena; readonly slot: ArenaSlot } | undefined {
  return arenaSlots.get(table);
}

/** Hyper-parameters of {@link Adam}; all but `lr` default to torch's. */
export interface AdamOptions {
  /** Learning rate (step size), > 0; change it per step with `Adam.lr`. */
  readonly lr: number;
  /** First-moment decay β1 in [0, 1) (default 0.9); schedules may change it via `Adam.beta1`. */
  readonly beta1?: number;
  /** Second-moment decay β2 in [0, 1) (default 0.999). */
  readonly beta2?: number;
  /** Denominator guard ε > 0 (default 1e-8 for torch arithmetic, 1e-7 for Keras'). */
  readonly eps?: number;
  /**
   * Where ε and the bias corrections enter (default `"torch"`):
   * `"torch"`: p − lr/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + ε);
   * `"keras"`: p − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε), Keras' and
   * TensorFlow's Adam. See the module documentation.
   */
  readonly arithmetic?: "torch" | "keras";
  /** L2 coefficient added to every gradient as `wd · p` (default 0); tables may override. */
  readonly weightDecay?: number;
  /** AdamW's decoupled decay: p ← p·(1 − lr·wd) each step (default 0). */
  readonly decoupledWeightDecay?: number;
  /** `"dense"` (default, torch Adam / Keras) or `"lazy"` (touched rows only). */
  readonly mode?: "dense" | "lazy";
}

/** Adam over a list of {@link ParamTable}s; see the module documentation. */
export class Adam {
  /** Learning rate of the next step (schedules set it before each `step`). */
  lr: number;
  /** β1 of the next step (one-cycle schedules vary it). */
  beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly decoupledWeightDecay: number;
  readonly mode: "dense" | "lazy";
  /** Where ε and the bias corrections enter; see {@link AdamOptions.arithmetic}. */
  readonly arithmetic: "torch" | "keras";
  readonly tables: readonly ParamTable[];
  readonly #m: Float32Array[];
  readonly #v: Float32Array[];
  readonly #wd: number[];
  readonly #slots: ({ arena: WasmArena; slot: ArenaSlot } | undefined)[];
  readonly #touched: Uint8Array[];
  readonly #touchedList: Int32Array[];
  readonly #touchedCount: Int32Array;
  #t = 0;

  /**
   * @throws {RangeError} naming the option out of range.
   */
  constructor(tables: readonly ParamTable[], options: AdamOptions) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.arithmetic = options.arithmetic ?? "torch";
    if (this.arithmetic !== "torch" && this.arithmetic !== "keras") {
      throw new RangeError(
        `Adam: arithmetic "${this.arithmetic}" must be "torch" or "keras"`,
      );
    }
    this.eps = options.eps ?? (this.arithmetic === "keras" ? 1e-7 : 1e-8);
    this.decoupledWeightDecay = options.decoupledWeightDecay ?? 0;
    this.mode = options.mode ?? "dense";
    checkHyper(this.lr, this.beta1, this.beta2, this.eps);
    const wd = options.weightDecay ?? 0;
    if (!(wd >= 0) || !Number.isFinite(wd)) {
      throw new RangeError(
        `Adam: weightDecay ${wd} must be a finite number ≥ 0`,
      );
    }
    if (!(this.decoupledWeightDecay >= 0)) {
      throw new RangeError(
        `Adam: decoupledWeightDecay ${this.decoupledWeightDecay} must be ≥ 0`,
      );
    }
    if (this.mode !== "dense" && this.mode !== "lazy") {
      throw new RangeError(
        `Adam: mode "${this.mode}" must be "dense" or "lazy"`,
      );
    }
    this.tables = tables;
    this.#slots = tables.map((t) => arenaSlots.get(t));
    this.#m = tables.map((t, j) =>
      this.#slots[j]?.slot.m ?? new Float32Array(t.values.length)
    );
    this.#v = tables.map((t, j) =>
      this.#slots[j]?.slot.v ?? new Float32Array(t.values.length)
    );
    this.#wd = tables.map((t) => t.weightDecay ?? wd);
    this.#touched = tables.map((t) => new Uint8Array(t.rows));
    this.#touchedList = tables.map((t) => new Int32Array(t.rows));
    this.#touchedCount = new Int32Array(tables.length);
    for (const [j, t] of tables.entries()) {
      if (
        t.values.length !== t.rows * t.cols || t.grad.length !== t.values.length
      ) {
        throw new RangeError(
          `Adam: table ${j} (${t.name}) has values/grad lengths ${t.values.length}/${t.grad.length}, expected ${
            t.rows * t.cols
          }`,
        );
      }
      if (!(this.#wd[j] >= 0)) {
        throw new RangeError(
          `Adam: table ${t.name} weightDecay ${this.#wd[j]} must be ≥ 0`,
        );
      }
    }
  }

  /** Number of steps taken so far (torch's `state["step"]`). */
  get steps(): number {
    return this.#t;
  }

  /** First moments of table `j` (read-only view for tests and checkpoints). */
  firstMoment(j: number): Float32Array {
    return this.#m[j];
  }

  /** Second moments of table `j`. */
  secondMoment(j: number): Float32Array {
    return this.#v[j];
  }

  /** Marks row `row` of table `table` as carrying a gradient this step (idempotent). */
  touch(table: number, row: number): void {
    const flags = this.#touched[table];
    if (flags[row] === 0) {
      flags[row] = 1;
      this.#touchedList[table][this.#touchedCount[table]++] = row;
    }
  }

  /**
   * Applies one Adam step with the current `lr` and `beta1` to every table
   * (dense) or to the touched rows (lazy), then zeroes the touched rows'
   * gradients and clears the marks.
   *
   * Bias corrections use `beta1 ** t` and `beta2 ** t` with the current β's,
   * as torch computes them each step. With Keras arithmetic the kernel runs
   * with step size lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ) and a √v divisor of
   * exactly 1, which is Keras' p − (lr_t·m)/(√v + ε) operation for operation
   * (dividing a float32 by 1 is exact). On wasm tables, whenever that divisor
   * and the decoupled-decay factor are exactly 1, the step runs the
   * `adamEpsHat` kernel, which leaves out the ·1 and /1 (same bits, less
   * work) and zeroes the whole gradient as it reads it.
   */
  step(): void {
    checkHyper(this.lr, this.beta1, this.beta2, this.eps);
    const t = ++this.#t;
    const f = Math.fround;
    const h: Hyper = this.arithmetic === "keras"
      ? kerasHyper(this.lr, this.beta1, this.beta2, this.eps, t)
      : {
        b1: f(this.beta1),
        c1: f(1 - this.beta1),
        b2: f(this.beta2),
        c2: f(1 - this.beta2),
        stepSize: f(this.lr / (1 - this.beta1 ** t)),
        sqrtBc2: f(Math.sqrt(1 - this.beta2 ** t)),
        eps: f(this.eps),
        decay: f(1 - this.lr * this.decoupledWeightDecay),
      };
    if (this.arithmetic === "keras" && this.decoupledWeightDecay !== 0) {
      h.decay = f(1 - this.lr * this.decoupledWeightDecay);
    }
    for (let j = 0; j < this.tables.length; j++) {
      const table = this.tables[j];
      const p = table.values, g = table.grad, m = this.#m[j], v = this.#v[j];
      const wd = f(this.#wd[j]);
      const cols = table.cols;
      const list = this.#touchedList[j];
      const count = this.#touchedCount[j];
      const arena = this.#slots[j];
      let zeroed = false;
      if (
        this.mode === "dense" && arena !== undefined && h.sqrtBc2 === 1 &&
        h.decay === 1
      ) {
        // Keras' form: the same operations minus ·1 and /1 (exact).
        const [po, go, mo, vo] = arena.slot.offsets;
        arena.arena.kernels.adamEpsHat(
          po,
          go,
          mo,
          vo,
          arena.slot.paddedBytes,
          wd,
          h.b1,
          h.c1,
          h.b2,
          h.c2,
          h.stepSize,
          h.eps,
        );
        zeroed = true;
      } else if (this.mode === "dense" && arena !== undefined) {
        const [po, go, mo, vo] = arena.slot.offsets;
        arena.arena.kernels.adam(
          po,
          go,
          mo,
          vo,
          arena.slot.paddedBytes,
          wd,
          h.b1,
          h.c1,
          h.b2,
          h.c2,
          h.stepSize,
          h.sqrtBc2,
          h.eps,
          h.decay,
        );
      } else if (this.mode === "dense") {
        adamRangeF32(p, g, m, v, 0, p.length, wd, h);
      } else {
        for (let k = 0; k < count; k++) {
          const start = list[k] * cols;
          adamRangeF32(p, g, m, v, start, start + cols, wd, h);
        }
      }
      const flags = this.#touched[j];
      if (zeroed) {
        for (let k = 0; k < count; k++) flags[list[k]] = 0;
      } else {
        for (let k = 0; k < count; k++) {
          const row = list[k];
          flags[row] = 0;
          g.fill(0, row * cols, row * cols + cols);
        }
      }
      this.#touchedCount[j] = 0;
    }
  }
}

/** Float32 scalars of one step. */
interface Hyper {
  readonly b1: number;
  readonly c1: number;
  readonly b2: number;
  readonly c2: number;
  /** lr / (1 − β1ᵗ) (torch), lr·√(1 − β2ᵗ)/(1 − β1ᵗ) (Keras) */
  readonly stepSize: number;
  /** √(1 − β2ᵗ) (torch), 1 (Keras) */
  readonly sqrtBc2: number;
  readonly eps: number;
  /** 1 − lr·decoupledWeightDecay */
  decay: number;
}

/**
 * The scalars of Keras' Adam step t, each evaluated in float32 as Keras
 * builds them from float32 variables: 1 − β is `1. - beta` of the float32 β
 * (e.g. 1 − f32(0.999) = 0.00099998713, not f32(0.001)), and
 * lr_t = lr · (√(1 − β2ᵗ) / (1 − β1ᵗ)) with each operation rounded to
 * float32 (the powers are float64 rounded once, where TensorFlow's float32
 * `pow` may differ by an ulp).
 */
function kerasHyper(
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  t: number,
): Hyper {
  const f = Math.fround;
  const b1 = f(beta1), b2 = f(beta2);
  const bc1 = f(1 - f(b1 ** t));
  const sqrtBc2 = f(Math.sqrt(f(1 - f(b2 ** t))));
  return {
    b1,
    c1: f(1 - b1),
    b2,
    c2: f(1 - b2),
    stepSize: f(f(lr) * f(sqrtBc2 / bc1)),
    sqrtBc2: 1,
    eps: f(eps),
    decay: 1,
  };
}

/**
 * The Adam update of entries [from, to) of one table in float32 arithmetic,
 * operation for operation as the wasm kernel (each result rounded with
 * `Math.fround`, which for + − × ÷ √ of float32 inputs is the correctly
 * rounded float32 result):
 * p' = p·decay; g = grad + wd·p'; m = b1·m + c1·g; v = b2·v + c2·g²;
 * p = p' − (stepSize·m) / (√v / sqrtBc2 + eps).
 */
function adamRangeF32(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  from: number,
  to: number,
  wd: number,
  h: Hyper,
): void {
  const f = Math.fround;
  const { b1, c1, b2, c2, stepSize, sqrtBc2, eps, decay } = h;
  for (let i = from; i < to; i++) {
    const pi = f(p[i] * decay);
    const gi = f(g[i] + f(wd * pi));
    const mi = f(f(b1 * m[i]) + f(c1 * gi));
    const vi = f(f(b2 * v[i]) + f(c2 * f(gi * gi)));
    m[i] = mi;
    v[i] = vi;
    const denom = f(f(f(Math.sqrt(vi)) / sqrtBc2) + eps);
    p[i] = f(pi - f(f(stepSize * mi) / denom));
  }
}

function checkHyper(lr: number, b1: number, b2: number, eps: number): void {
  if (!(lr > 0) || !Number.isFinite(lr)) {
    throw new RangeError(`Adam: lr ${lr} must be a finite number > 0`);
  }
  if (!(b1 >= 0 && b1 < 1)) {
    throw new RangeError(`Adam: beta1 ${b1} must lie in [0, 1)`);
  }
  if (!(b2 >= 0 && b2 < 1)) {
    throw new RangeError(`Adam: beta2 ${b2} must lie in [0, 1)`);
  }
  if (!(eps > 0)) throw new RangeError(`Adam: eps ${eps} must be > 0`);
}
