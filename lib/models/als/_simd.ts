/**
 * WebAssembly SIMD versions of the hot kernels of ./_kernel.ts (the whole
 * float32 CG update of a range of rows, and the float64 Gram matrix of
 * float32 rows), compiled from ./als_simd.wat (bytes in ./als_simd_wasm.ts).
 * Each computes the same operations in the same order as its scalar twin in
 * _kernel.ts (which rounds every float32 step with Math.fround), so the
 * results are bit-identical; the lanes of a v128 hold separate sums of the
 * scalar code, never a reordered one.
 *
 * The kernels work on one WebAssembly.Memory: every array they touch must be
 * a view on `memory.buffer` (see {@link WasmArena}). The memory is always
 * shared, so the same buffers serve the main thread and the workers.
 *
 * @module
 */

import type { AlsKernels } from "./_kernel.ts";
import { ALS_SIMD_WASM } from "./als_simd_wasm.ts";

/** Bytes per WebAssembly page. */
const PAGE = 65536;
/** Largest memory the module accepts (wasm32: 65,536 pages, 4 GiB). */
const MAX_PAGES = 65536;

let compiled: WebAssembly.Module | undefined;

/** The compiled module, compiled on first use in each thread. */
function simdModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const bin = atob(ALS_SIMD_WASM);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

interface SimdExports {
  gramUpperRows(
    a: number,
    n: number,
    k: number,
    ks: number,
    rowStart: number,
    rowEnd: number,
    g: number,
  ): void;
  cgRows(
    indptr: number,
    indices: number,
    conf: number,
    x: number,
    y: number,
    g: number,
    ks: number,
    cgSteps: number,
    start: number,
    end: number,
    scratch: number,
  ): void;
}

/**
 * The SIMD kernels bound to `memory`, with the signatures of the scalar ones
 * (arrays plus element offsets). Every array passed must be a view on
 * `memory.buffer`, and `ks` a multiple of 4; this is not checked per call
 * (see {@link assertOnMemory}).
 */
export function simdKernels(memory: WebAssembly.Memory): AlsKernels {
  const w = new WebAssembly.Instance(simdModule(), { env: { memory } })
    .exports as unknown as SimdExports;
  return {
    gramUpperRows: (a, n, k, ks, rowStart, rowEnd, g) => {
      for (let i = rowStart; i < rowEnd; i++) g.fill(0, i * k + i, i * k + k);
      w.gramUpperRows(a.byteOffset, n, k, ks, rowStart, rowEnd, g.byteOffset);
    },
    cgSolveRows: (rows, x, y, g, ks, cgSteps, start, end, scratch) =>
      w.cgRows(
        rows.indptr.byteOffset,
        rows.indices.byteOffset,
        rows.conf.byteOffset,
        x.byteOffset,
        y.byteOffset,
        g.byteOffset,
        ks,
        cgSteps,
        start,
        end,
        scratch.byteOffset,
      ),
  };
}

/** Throws unless every array is a view on `memory.buffer` (the kernels' precondition). */
export function assertOnMemory(
  memory: WebAssembly.Memory,
  arrays: Record<string, ArrayBufferView>,
): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a.buffer !== memory.buffer) {
      throw new Error(`ALS SIMD: ${name} is not a view on the kernels' memory`);
    }
  }
}

/**
 * A bump allocator of typed arrays in one shared WebAssembly.Memory of fixed
 * size, each array 16-byte aligned. Size it with {@link WasmArena.bytesFor}.
 */
export class WasmArena {
  /** The shared memory (maximum = initial size; it never grows). */
  readonly memory: WebAssembly.Memory;
  private next = 0;

  /** Bytes needed for arrays of the given byte lengths, each 16-byte aligned. */
  static bytesFor(byteLengths: readonly number[]): number {
    let total = 0;
    for (const n of byteLengths) total += Math.ceil(n / 16) * 16;
    return total;
  }

  /**
   * Reserves `bytes` (rounded up to whole 64 KiB pages) in a new memory, or
   * works in `memory` when given (its first `bytes` must be zero); throws a
   * RangeError above 4 GiB.
   */
  constructor(bytes: number, memory?: WebAssembly.Memory) {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (pages > MAX_PAGES) {
      throw new RangeError(
        `ALS: the fit needs ${bytes} bytes, more than WebAssembly's 4 GiB`,
      );
    }
    this.memory = memory ?? new WebAssembly.Memory({
      initial: pages,
      maximum: pages,
      shared: true,
    });
  }

  /**
   * An arena over the existing shared `memory` (at least `bytes` long), its
   * first `bytes` zeroed so every array handed out starts at zero as in a new
   * memory.
   */
  static over(memory: WebAssembly.Memory, bytes: number): WasmArena {
    if (memory.buffer.byteLength < bytes) {
      throw new RangeError(
        `WasmArena.over: memory of ${memory.buffer.byteLength} bytes < ${bytes}`,
      );
    }
    new Uint8Array(memory.buffer, 0, bytes).fill(0);
    return new WasmArena(bytes, memory);
  }

  private take(bytes: number): number {
    const at = this.next;
    this.next += Math.ceil(bytes / 16) * 16;
    if (this.next > this.memory.buffer.byteLength) {
      throw new RangeError("WasmArena: out of reserved memory");
    }
    return at;
  }

  /** A zeroed Float64Array of length n. */
  f64(n: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(8 * n), n);
  }

  /** A zeroed Float32Array of length n. */
  f32(n: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(4 * n), n);
  }

  /** A zeroed Int32Array of length n. */
  i32(n: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(4 * n), n);
  }
}
