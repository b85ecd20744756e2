/**
 * Peak resident memory of the whole process, sampled every `intervalMs` by a
 * Web Worker (./_peak_rss_worker.ts), so the samples keep coming while the
 * main thread is busy in a long synchronous loop. `Deno.memoryUsage().rss` is
 * the process's resident set, so every thread's memory counts. Needs no
 * permission (unlike /proc/self/status, which Deno grants to --allow-all only).
 *
 * @example
 * ```ts
 * import { PeakRss } from "./peak_rss.ts";
 * using peak = await PeakRss.start();
 * const big = new Float64Array(1 << 20).fill(1);
 * console.assert(peak.bytes() >= big.byteLength);
 * ```
 *
 * @module
 */

import { WebWorker } from "./web_worker.ts";

/** A running sampler; `bytes()` reads the peak so far, `stop()` ends it. */
export class PeakRss implements Disposable {
  private constructor(
    private readonly worker: Worker,
    private readonly cell: Float64Array,
  ) {}

  /** Starts sampling every `intervalMs` milliseconds (default 50); resolves once the sampler runs. */
  static async start(intervalMs = 50): Promise<PeakRss> {
    const cell = new Float64Array(new SharedArrayBuffer(8));
    cell[0] = Deno.memoryUsage().rss;
    const worker = new WebWorker(
      new URL("./_peak_rss_worker.ts", import.meta.url).href,
      { type: "module" },
    );
    const ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`PeakRss sampler failed: ${e.message}`));
      };
    });
    worker.postMessage({ cell, intervalMs });
    await ready;
    return new PeakRss(worker, cell);
  }

  /** The largest resident set seen so far, in bytes (this call's sample included). */
  bytes(): number {
    this.cell[0] = Math.max(this.cell[0], Deno.memoryUsage().rss);
    return this.cell[0];
  }

  /** The peak as the sampling thread last wrote it, in bytes (no new sample). */
  sampled(): number {
    return this.cell[0];
  }

  /** Stops the worker; `bytes()` keeps returning the last peak. */
  stop(): void {
    this.worker.terminate();
  }

  /** {@link PeakRss.stop}. */
  [Symbol.dispose](): void {
    this.stop();
  }
}
