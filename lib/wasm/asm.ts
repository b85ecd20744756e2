/**
 * A minimal WebAssembly byte assembler for the hand-written SIMD kernels
 * (lib/optim/simd_kernels.ts, lib/models/sparse_mf/_gram_simd.ts): LEB128 integers,
 * the opcodes those kernels use, a counted loop, function bodies with local
 * declarations, and a module whose functions each have their own type, are
 * all exported in order and share one imported `env.memory`.
 *
 * Every encoder returns plain byte arrays (numbers 0..255) to be spread
 * into larger ones.
 *
 * @module
 */

/** Unsigned LEB128 encoding of a non-negative integer below 2³². */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 encoding of a 32-bit integer. */
export function sleb(n: number): number[] {
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

/** Value type i32. */
export const I32 = 0x7f;
/** Value type f32. */
export const F32 = 0x7d;
/** Value type v128. */
export const V128 = 0x7b;

/** Prefix byte of the SIMD opcodes. */
export const SIMD = 0xfd;

/** `local.get i`. */
export const get = (i: number): number[] => [0x20, ...leb(i)];
/** `local.set i`. */
export const set = (i: number): number[] => [0x21, ...leb(i)];
/** `i32.const n`. */
export const i32c = (n: number): number[] => [0x41, ...sleb(n)];

/** `i32.add`. */
export const I32_ADD: readonly number[] = [0x6a];
/** `i32.mul`. */
export const I32_MUL: readonly number[] = [0x6c];
/** `i32.shl`. */
export const I32_SHL: readonly number[] = [0x74];
/** `i32.ge_u`. */
export const I32_GE_U: readonly number[] = [0x4f];
/** `f32.add`. */
export const F32_ADD: readonly number[] = [0x92];
/** `i32.load` (align 4) at a static byte offset. */
export const i32Load = (offset: number): number[] => [0x28, 2, ...leb(offset)];
/** `f32.load` (align 4, offset 0). */
export const F32_LOAD: readonly number[] = [0x2a, 2, 0];
/** `f32.store` (align 4, offset 0). */
export const F32_STORE: readonly number[] = [0x38, 2, 0];
/** `f32.const 0`. */
export const F32_ZERO: readonly number[] = [0x43, 0, 0, 0, 0];

/** `v128.load` (align 16) at a static byte offset. */
export const vLoad = (offset: number): number[] => [
  SIMD,
  0x00,
  4,
  ...leb(offset),
];
/** `v128.store` (align 16) at a static byte offset. */
export const vStore = (offset: number): number[] => [
  SIMD,
  0x0b,
  4,
  ...leb(offset),
];
/** `v128.const` of sixteen zero bytes. */
export const V_ZERO: readonly number[] = [SIMD, 0x0c, ...new Array(16).fill(0)];
/** `f32x4.splat`. */
export const SPLAT: readonly number[] = [SIMD, 0x13];
/** `f32x4.extract_lane l` (l in 0..3). */
export const lane = (l: number): number[] => [SIMD, 0x1f, l];
/** `f32x4.sqrt`. */
export const SQRT: readonly number[] = [SIMD, 0xe3, 0x01];
/** `f32x4.add`. */
export const ADD: readonly number[] = [SIMD, 0xe4, 0x01];
/** `f32x4.sub`. */
export const SUB: readonly number[] = [SIMD, 0xe5, 0x01];
/** `f32x4.mul`. */
export const MUL: readonly number[] = [SIMD, 0xe6, 0x01];
/** `f32x4.div`. */
export const DIV: readonly number[] = [SIMD, 0xe7, 0x01];

/**
 * `for (i = 0; i < limit; i += step) body` over the i32 local `i` (unsigned
 * comparison); br depths inside `body` are relative to the loop.
 */
export function loop(
  i: number,
  limit: readonly number[],
  step: number,
  body: readonly number[],
): number[] {
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

/**
 * One function body (without its size prefix): the local declarations as
 * [count, value type] runs, the instructions, then `end`.
 */
export function funcBody(
  locals: readonly (readonly [number, number])[],
  code: readonly number[],
): number[] {
  return [
    ...leb(locals.length),
    ...locals.flatMap(([count, type]) => [...leb(count), type]),
    ...code,
    0x0b,
  ];
}

/** One exported function of `memoryModule`. */
export interface AsmFunction {
  /** Export name (ASCII). */
  readonly name: string;
  /** Parameter value types (I32, F32, V128); no results. */
  readonly params: readonly number[];
  /** Body from `funcBody`. */
  readonly body: readonly number[];
}

/**
 * Bytes of a module that imports `env.memory` (at least one page, no
 * maximum) and exports each function under its name; function j has type j.
 */
export function memoryModule(
  functions: readonly AsmFunction[],
): Uint8Array<ArrayBuffer> {
  const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
  const str = (s: string) => [
    ...leb(s.length),
    ...[...s].map((c) => c.charCodeAt(0)),
  ];
  const section = (id: number, bytes: number[]) => [
    id,
    ...leb(bytes.length),
    ...bytes,
  ];
  const types = functions.map((f) => [
    0x60,
    ...leb(f.params.length),
    ...f.params,
    0,
  ]);
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
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x00, 1]])),
    ...section(3, vec(functions.map((_, j) => leb(j)))),
    ...section(
      7,
      vec(functions.map((f, j) => [...str(f.name), 0x00, ...leb(j)])),
    ),
    ...section(
      10,
      vec(functions.map((f) => [...leb(f.body.length), ...f.body])),
    ),
  ]);
}
