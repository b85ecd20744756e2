/**
 * One phase of an ALS fit as run by every thread (the main thread and each
 * ./_worker.ts): the state they share and the dispatcher that runs
 * a thread's part of a phase. Row-wise phases take chunks of rows from a
 * shared atomic counter (dynamic scheduling, like implicit's
 * `prange(schedule="dynamic", chunksize=8)`); every row's result depends only
 * on the other side's factors, so the output is the same for any thread count.
 *
 * @module
 */

import {
  type AlsKernels,
  type AlsRows,
  choleskySolveRows,
  lossRows,
} from "./_kernel.ts";
import { assertOnMemory, simdKernels } from "./_simd.ts";

/** Rows handed out per atomic fetch-add. */
const CHUNK = 8;

/**
 * State shared by all threads of one fit: every array is a view on `memory`
 * (shared), where the SIMD kernels of ./_simd.ts work.
 */
export interface AlsShared {
  /** The fit's WebAssembly memory, holding every array below. */
  readonly memory: WebAssembly.Memory;
  /** Per-thread scratch: thread t uses [t·scratchSize, (t+1)·scratchSize). */
  readonly scratch: Float64Array;
  /** Float64s of scratch per thread: at least max(2·ks, k² + k), a multiple of 2. */
  readonly scratchSize: number;
  /** Number of latent factors. */
  readonly k: number;
  /** Row stride of x and y in floats: k rounded up to a multiple of 4. */
  readonly ks: number;
  /** User rows (users × items) with their confidences. */
  readonly users: AlsRows;
  /** Item rows (items × users), the transpose of `users`. */
  readonly items: AlsRows;
  /** User factors, float32 nUsers × ks row-major (padding columns zero). */
  readonly x: Float32Array;
  /** Item factors, float32 nItems × ks row-major (padding columns zero). */
  readonly y: Float32Array;
  /** The current Gram matrix in float64 (k × k): YᵀY + λI or XᵀX + λI, or plain YᵀY for the loss. */
  readonly g: Float64Array;
  /** `g` rounded to float32, ks × ks with zero padding (CG's copy). */
  readonly g32: Float32Array;
  /** [0]: next row to hand out in the current row-wise phase. */
  readonly counter: Int32Array;
  /** Per-user loss terms, length nUsers. */
  readonly lossOut: Float64Array;
}

/** A phase request; `side` says whose factors are solved (or whose Gram is formed). */
export type PhaseMessage =
  | { op: "gram"; of: "users" | "items"; rowStart: number; rowEnd: number }
  | { op: "cg"; solve: "users" | "items"; cgSteps: number }
  | { op: "cholesky"; solve: "users" | "items" }
  | { op: "loss" };

/** This thread's SIMD kernels per fit (weak: a finished fit's memory can be freed). */
const kernelsOf = new WeakMap<AlsShared, AlsKernels>();

/** The SIMD kernels on `s.memory`, instantiated on first use in this thread. */
function kernelsFor(s: AlsShared): AlsKernels {
  let kern = kernelsOf.get(s);
  if (kern === undefined) {
    assertOnMemory(s.memory, {
      x: s.x,
      y: s.y,
      g: s.g,
      g32: s.g32,
      scratch: s.scratch,
      "users.indices": s.users.indices,
      "users.conf": s.users.conf,
      "items.indices": s.items.indices,
      "items.conf": s.items.conf,
    });
    kern = simdKernels(s.memory);
    kernelsOf.set(s, kern);
  }
  return kern;
}

/**
 * Runs thread `thread`'s part (main = 0) of phase `msg` on `s`: the Gram rows
 * it names, or row chunks taken from `s.counter` (which the caller reset to 0)
 * until none are left. Gram rows and CG run on the SIMD kernels (bit-identical
 * to the scalar ones); Cholesky and the loss are plain TypeScript.
 */
export function runPhase(
  s: AlsShared,
  msg: PhaseMessage,
  thread: number,
): void {
  const k = s.k;
  const scratch = s.scratch.subarray(
    thread * s.scratchSize,
    (thread + 1) * s.scratchSize,
  );
  switch (msg.op) {
    case "gram": {
      const a = msg.of === "users" ? s.x : s.y;
      const n = msg.of === "users" ? s.users.nRows : s.items.nRows;
      kernelsFor(s).gramUpperRows(a, n, k, s.ks, msg.rowStart, msg.rowEnd, s.g);
      return;
    }
    case "cg": {
      const [rows, x, y] = msg.solve === "users"
        ? [s.users, s.x, s.y]
        : [s.items, s.y, s.x];
      const kern = kernelsFor(s);
      const scratch32 = new Float32Array(
        scratch.buffer,
        scratch.byteOffset,
        2 * scratch.length,
      );
      forChunks(
        s.counter,
        rows.nRows,
        (a, b) =>
          kern.cgSolveRows(
            rows,
            x,
            y,
            s.g32,
            s.ks,
            msg.cgSteps,
            a,
            b,
            scratch32,
          ),
      );
      return;
    }
    case "cholesky": {
      const [rows, x, y] = msg.solve === "users"
        ? [s.users, s.x, s.y]
        : [s.items, s.y, s.x];
      forChunks(
        s.counter,
        rows.nRows,
        (a, b) => choleskySolveRows(rows, x, y, s.g, k, s.ks, a, b, scratch),
      );
      return;
    }
    case "loss": {
      forChunks(
        s.counter,
        s.users.nRows,
        (a, b) =>
          lossRows(s.users, s.x, s.y, s.g, k, s.ks, a, b, s.lossOut, scratch),
      );
      return;
    }
  }
}

/** Calls body(start, end) on chunks of [0, n) fetched from the shared counter until none are left. */
function forChunks(
  counter: Int32Array,
  n: number,
  body: (start: number, end: number) => void,
): void {
  for (;;) {
    const start = Atomics.add(counter, 0, CHUNK);
    if (start >= n) return;
    body(start, Math.min(n, start + CHUNK));
  }
}
