/**
 * Several BPR fits of one matrix (e.g. one per model seed) spread over Web
 * Workers, one whole fit per worker at a time. Each fit is the sequential,
 * seeded {@link fitBpr}, so the factors are the same bytes for any thread
 * count and any order in which fits finish; only wall time changes.
 *
 * @module
 */

import type { Csr } from "../../sparse.ts";
import { WebWorker } from "../../web_worker.ts";
import { type BprConfig, type BprModel, fitBpr } from "./bpr.ts";
import type { FromBprWorker } from "./_pool_worker.ts";

/** One fit's model and its own wall time in seconds. */
export interface BprFit {
  readonly model: BprModel;
  readonly seconds: number;
}

/**
 * Fits every configuration of `configs` on `userItems` (users × items CSR,
 * every stored entry a like) with `threads` workers (an integer ≥ 1; 1 fits
 * them one after another in the calling thread); results come back in the
 * order given. `onFit(done)` is called as fits complete. A failing fit
 * rejects with its error (a user-facing one stays user-facing) after the
 * workers are stopped.
 *
 * @example
 * ```ts
 * import { fitBprMany } from "./bpr_pool.ts";
 * import { BPR_DEFAULTS } from "./bpr.ts";
 * import { csrFromCoo } from "../../sparse.ts";
 * const m = csrFromCoo(Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1), [1, 1, 1], 2, 2);
 * const config = { ...BPR_DEFAULTS, factors: 4, iterations: 3 };
 * const fits = await fitBprMany(m, [{ ...config, seed: 0 }, { ...config, seed: 1 }], 2);
 * if (fits.length !== 2 || fits[1].model.factors !== 5) throw new Error();
 * ```
 */
export async function fitBprMany(
  userItems: Csr,
  configs: readonly BprConfig[],
  threads: number,
  onFit?: (done: number) => void,
): Promise<BprFit[]> {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(
      `fitBprMany: threads must be an integer ≥ 1, got ${threads}`,
    );
  }
  const workers = Math.min(threads, configs.length);
  if (workers <= 1) {
    const fits: BprFit[] = [];
    for (const config of configs) {
      const t0 = performance.now();
      const model = fitBpr(userItems, config);
      fits.push({ model, seconds: (performance.now() - t0) / 1000 });
      onFit?.(fits.length);
    }
    return fits;
  }
  const fits: BprFit[] = new Array(configs.length);
  const pool = Array.from(
    { length: workers },
    () =>
      new WebWorker(new URL("./_pool_worker.ts", import.meta.url).href, {
        type: "module",
      }),
  );
  try {
    let next = 0, done = 0;
    await Promise.all(pool.map((w) =>
      new Promise<void>((resolve, reject) => {
        const give = () => {
          if (next >= configs.length) return resolve();
          const index = next++;
          w.postMessage({ config: configs[index], index });
        };
        w.onmessage = (ev: MessageEvent<FromBprWorker>) => {
          const msg = ev.data;
          if ("ready" in msg) return give();
          if ("error" in msg) {
            const err = new RangeError(msg.error.message);
            if (msg.error.userFacing) {
              Object.assign(err, { userFacing: true, exitCode: 1 });
            }
            return reject(err);
          }
          fits[msg.index] = { model: msg.model, seconds: msg.seconds };
          onFit?.(++done);
          give();
        };
        w.onerror = (ev) => {
          ev.preventDefault();
          reject(new Error(`BPR worker failed: ${ev.message}`));
        };
        w.postMessage({ matrix: userItems });
      })
    ));
  } finally {
    for (const w of pool) w.terminate();
  }
  return fits;
}
