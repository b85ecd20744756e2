/**
 * WebAssembly f32x4 kernels for the gravity term of lib/models/sparse_mf.ts:
 * the Gram matrix XᵀX of a factor table and the product G += c·X·C with a
 * symmetric d × d matrix, over tables whose rows are `stride` floats
 * (a multiple of 4, zero-padded past `dim`).
 *
 * The module is assembled here for one stride (rows of `stride / 4` f32x4
 * vectors, kept in locals), with no toolchain:
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

const SIMD = 0xfd;
const get = (i: number) => [0x20, ...leb(i)];
const set = (i: number) => [0x21, ...leb(i)];
const i32c = (n: number) => [0x41, ...sleb(n)];
const I32_ADD = [0x6a];
const I32_MUL = [0x6c];
const I32_GE_U = [0x4f];
const vLoad = (offset: number) => [SIMD, 0x00, 4, ...leb(offset)];
const vStore = (offset: number) => [SIMD, 0x0b, 4, ...leb(offset)];
const F32_LOAD = [0x2a, 2, 0];
const SPLAT = [SIMD, 0x13];
const ADD = [SIMD, 0xe4, 0x01];
const MUL = [SIMD, 0xe6, 0x01];
const V_ZERO = [SIMD, 0x0c, ...new Array(16).fill(0)];

/** `for (i = 0; i < limit; i += step) body`; br depths in body are relative to the loop. */
function loop(i: number, limit: number[], step: number, body: number[]) {
  return [
    ...i32c(0),
    ...set(i),
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(i),
    ...limit,
    ...I32_GE_U,
    0x0d,
    1,
    ...body,
    ...get(i),
    ...i32c(step),
    ...I32_ADD,
    ...set(i),
    0x0c,
    0,
    0x0b,
    0x0b,
  ];
}

function gramBody(lanes: number): number[] {
  // params: 0 X, 1 rows, 2 dim, 3 C; locals: 4 r, 5 a, 6 base, 7 crow, 8 s(v128), 9.. x_j (v128)
  const [R, A, BASE, CROW, S, X0] = [4, 5, 6, 7, 8, 9];
  const rowBytes = 16 * lanes;
  const inner: number[] = [
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
  return [2, 4, 0x7f, ...leb(1 + lanes), 0x7b, ...body, 0x0b];
}

function productBody(lanes: number): number[] {
  // params: 0 X, 1 rows, 2 dim, 3 C, 4 G, 5 c (f32)
  // locals: 6 r, 7 a, 8 base, 9 crow, 10 gbase, 11 s, 12 cs, 13.. acc_j
  const [R, A, BASE, CROW, GBASE, S, CS, ACC] = [6, 7, 8, 9, 10, 11, 12, 13];
  const rowBytes = 16 * lanes;
  const inner: number[] = [
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
  return [2, 5, 0x7f, ...leb(2 + lanes), 0x7b, ...body, 0x0b];
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
  const I32 = 0x7f, F32 = 0x7d;
  const fn = (params: number[]) => [0x60, params.length, ...params, 0];
  const types = [fn([I32, I32, I32, I32]), fn([I32, I32, I32, I32, I32, F32])];
  const bodies = [gramBody(lanes), productBody(lanes)];
  const names = ["gram", "product"];
  const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
  const str = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];
  const section = (
    id: number,
    bytes: number[],
  ) => [id, ...leb(bytes.length), ...bytes];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec(names.map((n, j) => [...str(n), 0x00, j]))),
    ...section(10, vec(bodies.map((b) => [...leb(b.length), ...b]))),
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

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
