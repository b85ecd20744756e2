/**
 * The WebAssembly kernels of the embedding MLP's dense layers
 * (`mlp_simd.wat`, compiled into `mlp_simd_wasm.ts`), bound to the memory of
 * a {@link WasmArena} that holds the layer tables and the
 * {@link MlpScratch}-style float64 buffers. Each kernel computes the float64
 * operations of `mlpBatchGradient`'s TypeScript loops in the same order, so
 * the two paths give the same bits.
 *
 * @module
 */

import type { WasmArena } from "../../optim/simd_kernels.ts";
import { MLP_SIMD_WASM } from "./mlp_simd_wasm.ts";

/** The exported kernels; every pointer is a byte offset into the arena's memory. */
export interface MlpKernels {
  /**
   * z[b·nout + o] = bias[o] + Σ_k x[b·nin + k]·W[k·nout + o] over k in
   * ascending order, skipping x = 0 (x, z: float64 B × nin, B × nout; W:
   * float32 nin × nout; bias: float32 nout); with `hasRelu` ≠ 0 also
   * relu[b·nout + o] = z > 0 ? z : 0. `list`: room for nin int32 (each
   * row's nonzero inputs are listed there first, so the loops over outputs
   * do not branch on x).
   */
  denseForward(
    x: number,
    w: number,
    bias: number,
    z: number,
    relu: number,
    hasRelu: number,
    B: number,
    nin: number,
    nout: number,
    list: number,
  ): void;
  /**
   * One dense layer's backward pass: gPrev (float64 B × nin) ← 0; for each
   * row b, each o with gz = g[b·nout + o] ≠ 0: GB[o] += gz, GW[k·nout + o]
   * += x[b·nin + k]·gz (float32 storage, rounded per add) and
   * gPrev[b·nin + k] += W[k·nout + o]·gz; then gPrev ×= mask and, with
   * `hasRelu` ≠ 0, gPrev = 0 where pre (float64 B × nin) is not > 0.
   */
  denseBackward(
    x: number,
    mask: number,
    pre: number,
    hasRelu: number,
    w: number,
    gw: number,
    gb: number,
    g: number,
    gPrev: number,
    B: number,
    nin: number,
    nout: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
export function mlpKernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bin = atob(MLP_SIMD_WASM);
    const bytes = new Uint8Array(bin.length);
    for (let j = 0; j < bin.length; j++) bytes[j] = bin.charCodeAt(j);
    compiled = WebAssembly.validate(bytes)
      ? new WebAssembly.Module(bytes)
      : null;
  }
  return compiled;
}

const instances = new WeakMap<WasmArena, MlpKernels>();

/** The kernels bound to `arena`'s memory (one instance per arena), or null without SIMD. */
export function mlpKernels(arena: WasmArena): MlpKernels | null {
  let k = instances.get(arena);
  if (k === undefined) {
    const module = mlpKernelModule();
    if (module === null) return null;
    const instance = new WebAssembly.Instance(module, {
      env: { memory: arena.memory },
    });
    k = instance.exports as unknown as MlpKernels;
    instances.set(arena, k);
  }
  return k;
}
