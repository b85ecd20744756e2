/**
 * Builds lib/models/als_simd_wasm.ts from lib/models/als_simd.wat with wabt's
 * wat2wasm (SIMD and threads enabled); als_simd_test.ts checks that it matches the
 * .wat. See lib/wasm_build.ts.
 *
 *   deno run --allow-read --allow-write=lib/models lib/models/als_simd_build.ts
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
  wat: new URL("./als_simd.wat", import.meta.url),
  out: new URL("./als_simd_wasm.ts", import.meta.url),
  constName: "ALS_SIMD_WASM",
  description: "The WebAssembly module of the SIMD ALS kernels",
  features: { simd: true, threads: true },
};

/** The module bytes wat2wasm makes of als_simd.wat. */
export function compileAlsSimdWat(): Promise<Uint8Array> {
  return compileWat(SOURCE);
}

/** The text of als_simd_wasm.ts for module bytes `wasm`. */
export function renderAlsSimdWasm(wasm: Uint8Array): string {
  return renderWasmModule(SOURCE, wasm);
}

if (import.meta.main) await buildWasmModule(SOURCE);
