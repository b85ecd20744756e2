/**
 * WebAssembly SIMD (f32x4) kernels for minibatch training of embedding
 * models, and the arena that places parameter tables, gradients, Adam
 * moments and a scratch area in their memory.
 *
 * The module is hand-assembled here with lib/wasm/asm.ts (a few hundred
 * bytes; no toolchain):
 *
 * - `adam(p, g, m, v, bytes, wd, b1, c1, b2, c2, stepSize, sqrtBc2, eps, decay)`:
 *   the dense Adam update over `bytes / 4` floats, four lanes at a time, with
 *   exactly the float32 operations of adam.ts's JavaScript loop, so the two
 *   agree bit for bit (every wasm f32 operation is correctly rounded, and so
 *   is a float64 + − × ÷ √ of float32 inputs rounded back with `Math.fround`).
 * - `adamEpsHat(p, g, m, v, bytes, wd, b1, c1, b2, c2, stepSize, eps)`:
 *   Keras' form of the same update (`sqrtBc2 = 1`, `decay = 1`) without the
 *   multiply and divide by exactly 1, which are exact in IEEE arithmetic
 *   (x·1 = x/1 = x), so it gives the same bits as `adam` with less work;
 *   it stores zeros over the gradient it read (the caller's next batch
 *   starts from a zero gradient without a separate pass).
 * - `dots(U, V, pairs, count, rowBytes, out)`: out[j] = U-row · V-row for the
 *   byte offsets pairs[2j], pairs[2j+1], accumulated in four float32 lanes
 *   summed as (l0 + l1) + (l2 + l3).
 * - `scatter(U, V, GU, GV, pairs, ds, count, rowBytes)`: for each j in order,
 *   GU-row += ds[j]·V-row and GV-row += ds[j]·U-row (float32).
 *
 * `dots` and `scatter` need rows of a multiple of 4 floats (`rowBytes % 16 ==
 * 0`); callers use JavaScript otherwise. Arrays in the arena start on 16-byte
 * boundaries and are zero-padded to a multiple of 4 entries; the padding stays
 * zero under the Adam update (g = m = v = 0 gives a zero step).
 *
 * @module
 */

import {
  ADD,
  DIV,
  F32,
  F32_ADD,
  F32_LOAD,
  F32_STORE,
  F32_ZERO,
  funcBody,
  get,
  I32,
  I32_ADD,
  I32_SHL,
  i32c,
  i32Load,
  lane,
  loop,
  memoryModule,
  MUL,
  set,
  SPLAT,
  SQRT,
  SUB,
  V128,
  vLoad,
  vStore,
} from "../wasm/asm.ts";

/**
 * The Adam loop over `bytes / 4` floats. `epsHat` false: the `adam` kernel
 * (9 scalars; p scaled by `decay`, √v divided by `sqrtBc2`). true: the
 * `adamEpsHat` kernel (7 scalars; neither, and zeros stored over g once read).
 */
function adamBody(epsHat: boolean): number[] {
  // params: 0 p, 1 g, 2 m, 3 v (byte offsets), 4 bytes, then the f32 scalars
  const names = epsHat
    ? ["wd", "b1", "c1", "b2", "c2", "step", "eps"]
    : ["wd", "b1", "c1", "b2", "c2", "step", "s2", "eps", "decay"];
  const I = 5 + names.length;
  // Each scalar splatted into a v128 local after the loop counter.
  const L = (name: string) => I + 1 + names.indexOf(name);
  const PV = I + 1 + names.length, GV = PV + 1, MV = PV + 2, VV = PV + 3;
  const ZERO = PV + 4;
  const at = (base: number) => [...get(base), ...get(I), ...I32_ADD];
  const body: number[] = [];
  for (let s = 0; s < names.length; s++) {
    body.push(...get(5 + s), ...SPLAT, ...set(I + 1 + s));
  }
  if (epsHat) body.push(...F32_ZERO, ...SPLAT, ...set(ZERO));
  body.push(...loop(I, get(4), 16, [
    ...at(0),
    ...vLoad(0),
    ...(epsHat ? [] : [...get(L("decay")), ...MUL]),
    ...set(PV),
    ...at(1),
    ...vLoad(0),
    ...get(L("wd")),
    ...get(PV),
    ...MUL,
    ...ADD,
    ...set(GV),
    ...(epsHat ? [...at(1), ...get(ZERO), ...vStore(0)] : []),
    ...get(L("b1")),
    ...at(2),
    ...vLoad(0),
    ...MUL,
    ...get(L("c1")),
    ...get(GV),
    ...MUL,
    ...ADD,
    ...set(MV),
    ...at(2),
    ...get(MV),
    ...vStore(0),
    ...get(L("b2")),
    ...at(3),
    ...vLoad(0),
    ...MUL,
    ...get(L("c2")),
    ...get(GV),
    ...get(GV),
    ...MUL,
    ...MUL,
    ...ADD,
    ...set(VV),
    ...at(3),
    ...get(VV),
    ...vStore(0),
    ...at(0),
    ...get(PV),
    ...get(L("step")),
    ...get(MV),
    ...MUL,
    ...get(VV),
    ...SQRT,
    ...(epsHat ? [] : [...get(L("s2")), ...DIV]),
    ...get(L("eps")),
    ...ADD,
    ...DIV,
    ...SUB,
    ...vStore(0),
  ]));
  const vectors = names.length + 4 + (epsHat ? 1 : 0);
  return funcBody([[1, I32], [vectors, V128]], body);
}

function dotsBody(): number[] {
  // params: 0 U, 1 V, 2 pairs, 3 count, 4 rowBytes, 5 out
  const [J, K, PU, PV, ACC] = [6, 7, 8, 9, 10];
  const pair = [...get(2), ...get(J), ...i32c(3), ...I32_SHL, ...I32_ADD];
  const inner = loop(K, get(4), 16, [
    ...get(ACC),
    ...get(PU),
    ...get(K),
    ...I32_ADD,
    ...vLoad(0),
    ...get(PV),
    ...get(K),
    ...I32_ADD,
    ...vLoad(0),
    ...MUL,
    ...ADD,
    ...set(ACC),
  ]);
  const body = loop(J, get(3), 1, [
    ...get(0),
    ...pair,
    ...i32Load(0),
    ...I32_ADD,
    ...set(PU),
    ...get(1),
    ...pair,
    ...i32Load(4),
    ...I32_ADD,
    ...set(PV),
    ...F32_ZERO,
    ...SPLAT,
    ...set(ACC),
    ...inner,
    ...get(5),
    ...get(J),
    ...i32c(2),
    ...I32_SHL,
    ...I32_ADD,
    ...get(ACC),
    ...lane(0),
    ...get(ACC),
    ...lane(1),
    ...F32_ADD,
    ...get(ACC),
    ...lane(2),
    ...get(ACC),
    ...lane(3),
    ...F32_ADD,
    ...F32_ADD,
    ...F32_STORE,
  ]);
  return funcBody([[4, I32], [1, V128]], body);
}

function scatterBody(): number[] {
  // params: 0 U, 1 V, 2 GU, 3 GV, 4 pairs, 5 ds, 6 count, 7 rowBytes
  const [J, K, OU, OV, D] = [8, 9, 10, 11, 12];
  const pair = [...get(4), ...get(J), ...i32c(3), ...I32_SHL, ...I32_ADD];
  const at = (
    base: number,
    off: number,
  ) => [...get(base), ...get(off), ...I32_ADD, ...get(K), ...I32_ADD];
  const inner = loop(K, get(7), 16, [
    ...at(2, OU),
    ...at(2, OU),
    ...vLoad(0),
    ...get(D),
    ...at(1, OV),
    ...vLoad(0),
    ...MUL,
    ...ADD,
    ...vStore(0),
    ...at(3, OV),
    ...at(3, OV),
    ...vLoad(0),
    ...get(D),
    ...at(0, OU),
    ...vLoad(0),
    ...MUL,
    ...ADD,
    ...vStore(0),
  ]);
  const body = loop(J, get(6), 1, [
    ...pair,
    ...i32Load(0),
    ...set(OU),
    ...pair,
    ...i32Load(4),
    ...set(OV),
    ...get(5),
    ...get(J),
    ...i32c(2),
    ...I32_SHL,
    ...I32_ADD,
    ...F32_LOAD,
    ...SPLAT,
    ...set(D),
    ...inner,
  ]);
  return funcBody([[4, I32], [1, V128]], body);
}

/** Bytes of the kernel module: imports `env.memory`; exports `adam`, `dots`, `scatter`, `adamEpsHat`. */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  return memoryModule([
    {
      name: "adam",
      params: [...Array(5).fill(I32), ...Array(9).fill(F32)],
      body: adamBody(false),
    },
    { name: "dots", params: Array(6).fill(I32), body: dotsBody() },
    { name: "scatter", params: Array(8).fill(I32), body: scatterBody() },
    {
      name: "adamEpsHat",
      params: [...Array(5).fill(I32), ...Array(7).fill(F32)],
      body: adamBody(true),
    },
  ]);
}

/** The exported functions; every pointer and length is in bytes of the arena's memory. */
export interface Kernels {
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    bytes: number,
    wd: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    stepSize: number,
    sqrtBc2: number,
    eps: number,
    decay: number,
  ): void;
  dots(
    U: number,
    V: number,
    pairs: number,
    count: number,
    rowBytes: number,
    out: number,
  ): void;
  scatter(
    U: number,
    V: number,
    GU: number,
    GV: number,
    pairs: number,
    ds: number,
    count: number,
    rowBytes: number,
  ): void;
  /**
   * Keras' (ε-hat) dense Adam update without decoupled decay, which is
   * `adam` with `sqrtBc2 = 1` and `decay = 1` minus the multiply and divide
   * by exactly 1 (both exact in IEEE arithmetic, so the results are the
   * same bits); it also zeroes the gradient it read.
   */
  adamEpsHat(
    p: number,
    g: number,
    m: number,
    v: number,
    bytes: number,
    wd: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    stepSize: number,
    eps: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable. */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = kernelBytes();
    compiled = WebAssembly.validate(bytes)
      ? new WebAssembly.Module(bytes)
      : null;
  }
  return compiled;
}

/** The four arrays of one table inside an arena, and their byte offsets. */
export interface ArenaSlot {
  readonly values: Float32Array;
  readonly grad: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Byte offsets of values, grad, m, v. */
  readonly offsets: readonly [number, number, number, number];
  /** Byte length of each array, padded to a multiple of 16. */
  readonly paddedBytes: number;
}

/** One wasm memory with several tables (values, gradient, moments), a scratch area and the kernels bound to it. */
export class WasmArena {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Kernels;
  readonly slots: readonly ArenaSlot[];
  /** Byte offset of the scratch area (16-byte aligned). */
  readonly scratch: number;
  readonly scratchBytes: number;

  /**
   * @param sizes Entries of each table (rows × cols).
   * @param scratchBytes Extra bytes for per-batch index and value buffers.
   * @throws {Error} when WebAssembly SIMD is unavailable (check `kernelModule()` first).
   */
  constructor(sizes: readonly number[], scratchBytes = 0) {
    const module = kernelModule();
    if (module === null) {
      throw new Error("WasmArena: WebAssembly SIMD is unavailable");
    }
    const padded = sizes.map((n) => Math.ceil(n / 4) * 16);
    const tablesBytes = padded.reduce((a, b) => a + 4 * b, 0);
    this.scratchBytes = Math.ceil(scratchBytes / 16) * 16;
    const pages = Math.max(
      1,
      Math.ceil((tablesBytes + this.scratchBytes) / 65536),
    );
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(module, {
      env: { memory: this.memory },
    });
    this.kernels = instance.exports as unknown as Kernels;
    const buffer = this.memory.buffer;
    let offset = 0;
    this.slots = sizes.map((n, j) => {
      const bytes = padded[j];
      const at = (k: number) => offset + k * bytes;
      const view = (k: number) => new Float32Array(buffer, at(k), n);
      const slot: ArenaSlot = {
        values: view(0),
        grad: view(1),
        m: view(2),
        v: view(3),
        offsets: [at(0), at(1), at(2), at(3)],
        paddedBytes: bytes,
      };
      offset += 4 * bytes;
      return slot;
    });
    this.scratch = offset;
  }
}
