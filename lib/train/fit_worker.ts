/**
 * Web Worker for {@link ./fit_pool.ts}: holds one copy of the training data
 * (`{ data }`, answered `{ ready: true }`), then runs one job per
 * `{ job, index }` message with {@link runFitJob}, posting
 * `{ index, epoch }` after every epoch (its prediction buffer transferred,
 * not copied) and `{ index, done }` (the result without its epochs) or
 * `{ index, error }` at the end.
 *
 * @module
 */

import {
  type FitJob,
  type FitJobData,
  type FitJobEpoch,
  type FitJobResult,
  runFitJob,
} from "./fit_job.ts";

/** Messages from the pool. */
export type ToWorker = { data: FitJobData } | { job: FitJob; index: number };

/** Messages to the pool. */
export type FromWorker =
  | { ready: true }
  | { index: number; epoch: FitJobEpoch }
  | { index: number; done: Omit<FitJobResult, "epochs"> }
  | {
    index: number;
    error: { name: string; message: string; stack?: string };
  };

/** The worker global, typed without the deno.worker lib (which clashes with window types). */
const scope = self as unknown as {
  onmessage: (ev: MessageEvent<ToWorker>) => void;
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
};

let data: FitJobData | undefined;

scope.onmessage = (ev) => {
  const msg = ev.data;
  if ("data" in msg) {
    data = msg.data;
    scope.postMessage({ ready: true });
    return;
  }
  const { job, index } = msg;
  try {
    if (data === undefined) throw new Error("fit_worker: job before data");
    const { epochs: _, ...done } = runFitJob(
      data,
      job,
      (epoch) =>
        scope.postMessage({ index, epoch }, [
          epoch.predictions.buffer as ArrayBuffer,
        ]),
    );
    scope.postMessage({ index, done });
  } catch (err) {
    scope.postMessage({
      index,
      error: err instanceof Error
        ? { name: err.name, message: err.message, stack: err.stack }
        : { name: "Error", message: String(err) },
    });
  }
};
