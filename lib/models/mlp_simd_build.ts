/**
 * Builds lib/models/mlp_simd_wasm.ts from lib/models/mlp_simd.wat with wabt's
 * wat2wasm (SIMD enabled); mlp_simd_test.ts checks that it matches the
 * .wat. See lib/wasm_build.ts.
 *
 *   deno run --allow-read --allow-write=lib/models lib/models/mlp_simd_build.ts
 *
 * @module
 */

import {
  buildWasmModule,
  compileWat,
  renderWasmModule,
  type WasmSource,
} from "../wasm_build.ts";

const SOURCE: WasmSource = {
  wat: new URL("./mlp_simd.wat", import.meta.url),
  out: new URL("./mlp_simd_wasm.ts", import.meta.url),
  constName: "MLP_SIMD_WASM",
  description: "The WebAssembly module of the MLP dense-layer kernels",
  features: { simd: true },
};

/** The module bytes wat2wasm makes of mlp_simd.wat. */
export function compileMlpSimdWat(): Promise<Uint8Array> {
  return compileWat(SOURCE);
}

/** The text of mlp_simd_wasm.ts for module bytes `wasm`. */
export function renderMlpSimdWasm(wasm: Uint8Array): string {
  return renderWasmModule(SOURCE, wasm);
}

if (import.meta.main) await buildWasmModule(SOURCE);
