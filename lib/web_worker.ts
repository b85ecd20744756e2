/**
 * Deno's Web Worker constructor, captured when this module is first
 * evaluated. onnxruntime-web's emscripten runtime replaces
 * `globalThis.Worker` with Node's worker_threads `Worker` when it creates
 * its first session (with one thread too), after which `new Worker(url, {
 * type: "module" })` refuses file URLs. Modules that start Web Workers
 * (lib/models/als/als.ts, lib/train/fit_pool.ts) take the constructor from
 * here, and lib/onnx imports this module before onnxruntime-web, so the
 * capture precedes the replacement even when those modules are loaded
 * later (e.g. by a dynamic import after a session ran).
 *
 * @module
 */

/** The Web Worker constructor as Deno provides it. */
export const WebWorker: typeof Worker = globalThis.Worker;
