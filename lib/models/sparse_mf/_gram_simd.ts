/**
 * WebAssembly f32x4 kernels for the gravity term of lib/models/sparse_mf/sparse_mf.ts:
 * the Gram matrix XᵀX of a factor table and the product G += c·X·C with a
 * symmetric d × d matrix, over tables whose rows are `stride` floats
 * (a multiple of 4, zero-padded past `dim`).
 *
 * The module is assembled here for one stride (rows of `stride / 4` f32x4
 * vectors, kept in locals) with lib/wasm/asm.ts, no toolchain:
 *
 * - `gram(X, rows, dim, C)`: C[a, :] += X[r, a] · X[r, :] for every row r and
 *   a < dim (C is stride × stride; only its first dim rows are written).
 *   Callers zero C first.
 * - `product(X, rows, dim, C, G, c)`: G[r, :] += c · Σ_a X[r, a] · C[a, :]
 *   (each row's sum in four-lane float32 accumulators, a in order).
 *
 * Pointers are byte offsets into the imported memory. Everything is float32,
 * as TensorFlow's matmul is; the plain-loop twins below accumulate in
 * float64 and agree to float32 rounding.
 *
 * @module
 */

import {
  ADD,
  F32,
  F32_LOAD,
  funcBody,
  get,
  I32,
  I32_ADD,
  I32_MUL,
  i32c,
  loop,
  memoryModule,
  MUL,
  set,
  SPLAT,
  V128,
  V_ZERO,
  vLoad,
  vStore,
} from "../../wasm/asm.ts";

/**
 * The step both loops over a (0 ≤ a < dim) begin with: S ← splat(X[base +
 * 4a]) (row r's a-th float) and CROW ← C + a·rowBytes (C's a-th row); C is
 * parameter 3 of both functions.
 */
function splatAndRow(
  BASE: number,
  A: number,
  S: number,
  CROW: number,
  rowBytes: number,
): number[] {
  return [
    ...get(BASE),
    ...get(A),
    ...i32c(4),
    ...I32_MUL,
    ...I32_ADD,
    ...F32_LOAD,
    ...SPLAT,
    ...set(S),
    ...get(3),
    ...get(A),
    ...i32c(rowBytes),
    ...I32_MUL,
    ...I32_ADD,
    ...set(CROW),
  ];
}

function gramBody(lanes: number): number[] {
  // params: 0 X, 1 rows, 2 dim, 3 C; locals: 4 r, 5 a, 6 base, 7 crow, 8 s(v128), 9.. x_j (v128)
  const [R, A, BASE, CROW, S, X0] = [4, 5, 6, 7, 8, 9];
  const rowBytes = 16 * lanes;
  const inner = splatAndRow(BASE, A, S, CROW, rowBytes);
  for (let j = 0; j < lanes; j++) {
    inner.push(
      ...get(CROW),
      ...get(CROW),
      ...vLoad(16 * j),
      ...get(S),
      ...get(X0 + j),
      ...MUL,
      ...ADD,
      ...vStore(16 * j),
    );
  }
  const perRow: number[] = [
    ...get(0),
    ...get(R),
    ...i32c(rowBytes),
    ...I32_MUL,
    ...I32_ADD,
    ...set(BASE),
  ];
  for (let j = 0; j < lanes; j++) {
    perRow.push(...get(BASE), ...vLoad(16 * j), ...set(X0 + j));
  }
  perRow.push(...loop(A, get(2), 1, inner));
  const body = loop(R, get(1), 1, perRow);
  return funcBody([[4, I32], [1 + lanes, V128]], body);
}

function productBody(lanes: number): number[] {
  // params: 0 X, 1 rows, 2 dim, 3 C, 4 G, 5 c (f32)
  // locals: 6 r, 7 a, 8 base, 9 crow, 10 gbase, 11 s, 12 cs, 13.. acc_j
  const [R, A, BASE, CROW, GBASE, S, CS, ACC] = [6, 7, 8, 9, 10, 11, 12, 13];
  const rowBytes = 16 * lanes;
  const inner = splatAndRow(BASE, A, S, CROW, rowBytes);
  for (let j = 0; j < lanes; j++) {
    inner.push(
      ...get(ACC + j),
      ...get(S),
      ...get(CROW),
      ...vLoad(16 * j),
      ...MUL,
      ...ADD,
      ...set(ACC + j),
    );
  }
  const perRow: number[] = [
    ...get(R),
    ...i32c(rowBytes),
    ...I32_MUL,
    ...set(GBASE),
    ...get(0),
    ...get(GBASE),
    ...I32_ADD,
    ...set(BASE),
    ...get(4),
    ...get(GBASE),
    ...I32_ADD,
    ...set(GBASE),
  ];
  for (let j = 0; j < lanes; j++) perRow.push(...V_ZERO, ...set(ACC + j));
  perRow.push(...loop(A, get(2), 1, inner));
  for (let j = 0; j < lanes; j++) {
    perRow.push(
      ...get(GBASE),
      ...get(GBASE),
      ...vLoad(16 * j),
      ...get(CS),
      ...get(ACC + j),
      ...MUL,
      ...ADD,
      ...vStore(16 * j),
    );
  }
  const body = [...get(5), ...SPLAT, ...set(CS), ...loop(R, get(1), 1, perRow)];
  return funcBody([[5, I32], [2 + lanes, V128]], body);
}

/**
 * Bytes of the kernel module for rows of `stride` floats (a positive multiple
 * of 4, at most 512): imports `env.memory`; exports `gram` and `product`.
 */
export function gramKernelBytes(stride: number): Uint8Array<ArrayBuffer> {
  if (
    !Number.isInteger(stride) || stride < 4 || stride % 4 !== 0 || stride > 512
  ) {
    throw new RangeError(
      `gramKernelBytes: stride ${stride} must be a multiple of 4 in [4, 512]`,
    );
  }
  const lanes = stride / 4;
  return memoryModule([
    { name: "gram", params: [I32, I32, I32, I32], body: gramBody(lanes) },
    {
      name: "product",
      params: [I32, I32, I32, I32, I32, F32],
      body: productBody(lanes),
    },
  ]);
}

/** The two kernels bound to one memory; pointers in bytes. */
export interface GramKernels {
  gram(X: number, rows: number, dim: number, C: number): void;
  product(
    X: number,
    rows: number,
    dim: number,
    C: number,
    G: number,
    c: number,
  ): void;
}

const modules = new Map<number, WebAssembly.Module | null>();

/**
 * The kernels for `stride` bound to `memory`, or null where WebAssembly SIMD
 * is unavailable.
 */
export function gramKernels(
  memory: WebAssembly.Memory,
  stride: number,
): GramKernels | null {
  let module = modules.get(stride);
  if (module === undefined) {
    const bytes = gramKernelBytes(stride);
    module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    modules.set(stride, module);
  }
  if (module === null) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as GramKernels;
}

/**
 * Plain-loop twin of `gram` on arrays: out (dim × dim, float64) = XᵀX over
 * the first `dim` columns of X (rows × stride).
 */
export function gramLoop(
  X: Float32Array,
  rows: number,
  dim: number,
  stride: number,
  out: Float64Array,
): void {
  out.fill(0);
  const x = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const o = r * stride;
    for (let k = 0; k < dim; k++) x[k] = X[o + k];
    for (let a = 0; a < dim; a++) {
      const xa = x[a];
      const row = a * dim;
      for (let b = a; b < dim; b++) out[row + b] += xa * x[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < a; b++) out[a * dim + b] = out[b * dim + a];
  }
}

/**
 * Plain-loop twin of `product`: G += c·X·C for X (rows × stride, first dim
 * columns) and symmetric C (dim × dim, float64).
 */
export function productLoop(
  G: Float32Array,
  X: Float32Array,
  rows: number,
  dim: number,
  stride: number,
  C: Float64Array,
  c: number,
): void {
  const x = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const o = r * stride;
    for (let k = 0; k < dim; k++) x[k] = X[o + k];
    for (let b = 0; b < dim; b++) {
      const row = b * dim; // C symmetric: column b is row b
      let s = 0;
      for (let a = 0; a < dim; a++) s += x[a] * C[row + a];
      G[o + b] += c * s;
    }
  }
}
