/**
 * Web Worker for ./bpr_pool.ts: receives the training matrix once
 * (`{ matrix }`, answered `{ ready: true }`), then fits one configuration
 * per `{ config, index }` message with {@link fitBpr} and posts
 * `{ index, model }` (factor tables transferred, not copied) or
 * `{ index, error }`.
 *
 * @module
 */

import type { Csr } from "../../sparse.ts";
import { type BprConfig, type BprModel, fitBpr } from "./bpr.ts";

/** Messages from the pool. */
export type ToBprWorker =
  | { matrix: Csr }
  | { config: BprConfig; index: number };

/** Messages to the pool. */
export type FromBprWorker =
  | { ready: true }
  | { index: number; model: BprModel; seconds: number }
  | {
    index: number;
    error: { name: string; message: string; userFacing: boolean };
  };

/** The worker global, typed without the deno.worker lib. */
const scope = self as unknown as {
  onmessage: (ev: MessageEvent<ToBprWorker>) => void;
  postMessage(msg: FromBprWorker, transfer?: Transferable[]): void;
};

let matrix: Csr | undefined;

scope.onmessage = (ev) => {
  const msg = ev.data;
  if ("matrix" in msg) {
    matrix = msg.matrix;
    scope.postMessage({ ready: true });
    return;
  }
  try {
    const t0 = performance.now();
    const model = fitBpr(matrix!, msg.config);
    scope.postMessage(
      {
        index: msg.index,
        model,
        seconds: (performance.now() - t0) / 1000,
      },
      // fitBpr returns copies of its working tables: plain ArrayBuffers.
      [
        model.userFactors.buffer as ArrayBuffer,
        model.itemFactors.buffer as ArrayBuffer,
      ],
    );
  } catch (err) {
    const e = err as Error & { userFacing?: boolean };
    scope.postMessage({
      index: msg.index,
      error: {
        name: e.name ?? "Error",
        message: String(e.message ?? err),
        userFacing: e.userFacing === true,
      },
    });
  }
};
