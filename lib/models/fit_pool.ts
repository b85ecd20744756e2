/**
 * Independent training runs (seeds, settings, models) spread over Web
 * Workers, one whole job per worker at a time: each worker runs
 * ./fit_worker.ts, gets one copy of the training data, and takes the next
 * job as soon as it is free. A job runs exactly the code it would run in
 * the calling thread ({@link runFitJob}), so every number is the same, bit
 * for bit, for any thread count and any order in which jobs finish; only
 * wall time changes.
 *
 * Jobs start in the order given, or longest first when the caller says what
 * each costs (`cost`), so the workers finish together; results always come
 * back in the order given.
 *
 * @example
 * ```ts
 * import { runFits } from "./fit_pool.ts";
 * const users = Int32Array.of(0, 0, 1, 1), items = Int32Array.of(0, 1, 0, 1);
 * const data = {
 *   train: { users, items, ratings: Float32Array.of(5, 1, 1, 5) },
 *   nUsers: 2, nItems: 2, evalUsers: users, evalItems: items,
 * };
 * const config = { dim: 4, epochs: 3, batchSize: 2, learningRate: 0.01, seed: 0 };
 * const fits = await runFits(data, [
 *   { kind: "embedding_mf", config },
 *   { kind: "embedding_mf", config: { ...config, seed: 1 } },
 * ], { threads: 2 });
 * if (fits.length !== 2 || fits[1].epochs.length !== 3) throw new Error();
 * ```
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
import type { FromWorker, ToWorker } from "./fit_worker.ts";
import { WebWorker } from "../web_worker.ts";

/** Options of {@link runFits}. */
export interface RunFitsOptions {
  /**
   * Worker threads, an integer ≥ 1 (default: the machine's cores, at most one
   * per job). 1 runs the jobs one after another in the calling thread.
   * Results do not depend on it.
   */
  readonly threads?: number;
  /** Sees every finished epoch: its job's index, then the epoch (jobs interleave; each job's epochs arrive in order). */
  readonly onEpoch?: (job: number, epoch: FitJobEpoch) => void;
  /** A job's relative cost (e.g. its epochs × the cost of one): jobs then start most costly first (ties in the given order). */
  readonly cost?: (job: FitJob) => number;
}

/**
 * Runs every job on `data`; resolves with their results in job order.
 *
 * @throws {RangeError} for a bad `threads`, or what a job's fitter throws
 *   (its message prefixed with the job's index and kind); the other jobs
 *   are stopped.
 */
export async function runFits(
  data: FitJobData,
  jobs: readonly FitJob[],
  options: RunFitsOptions = {},
): Promise<FitJobResult[]> {
  const asked = options.threads ?? navigator.hardwareConcurrency ?? 1;
  if (!Number.isInteger(asked) || asked < 1) {
    throw new RangeError(
      `runFits: threads must be an integer ≥ 1, got ${asked}`,
    );
  }
  const threads = Math.min(asked, jobs.length);
  if (threads <= 1) {
    return jobs.map((job, index) => {
      try {
        return runFitJob(data, job, (e) => options.onEpoch?.(index, e));
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        throw jobError(jobs, index, err);
      }
    });
  }
  const epochs: FitJobEpoch[][] = jobs.map(() => []);
  const results: FitJobResult[] = new Array(jobs.length);
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const order = jobs.map((_, k) => k);
      const cost = options.cost;
      if (cost) {
        const c = jobs.map(cost);
        order.sort((a, b) => c[b] - c[a] || a - b);
      }
      let next = 0, finished = 0;
      const feed = (w: Worker) => {
        if (next >= jobs.length) return;
        const index = order[next++];
        const msg: ToWorker = { job: jobs[index], index };
        w.postMessage(msg);
      };
      for (let t = 0; t < threads; t++) {
        const w = new WebWorker(
          new URL("./fit_worker.ts", import.meta.url).href,
          { type: "module" },
        );
        workers.push(w);
        w.onmessage = (ev: MessageEvent<FromWorker>) => {
          const msg = ev.data;
          if ("ready" in msg) return feed(w);
          if ("epoch" in msg) {
            epochs[msg.index].push(msg.epoch);
            try {
              options.onEpoch?.(msg.index, msg.epoch);
            } catch (err) {
              reject(err);
            }
            return;
          }
          if ("error" in msg) {
            return reject(jobError(jobs, msg.index, msg.error));
          }
          results[msg.index] = { ...msg.done, epochs: epochs[msg.index] };
          if (++finished === jobs.length) resolve();
          else feed(w);
        };
        w.onerror = (ev) => {
          ev.preventDefault();
          reject(new Error(`fit worker failed: ${ev.message}`));
        };
        w.onmessageerror = () =>
          reject(new Error("fit worker: a message could not be read"));
        const init: ToWorker = { data };
        w.postMessage(init);
      }
    });
  } finally {
    for (const w of workers) w.terminate();
  }
  return results;
}

/** A job's error, its message prefixed with the job's index, kind and seed (a RangeError stays one). */
function jobError(
  jobs: readonly FitJob[],
  index: number,
  err: { name: string; message: string },
): Error {
  const { kind, config } = jobs[index];
  const text =
    `fit job ${index} (${kind}, seed ${config.seed}): ${err.message}`;
  return err.name === "RangeError" ? new RangeError(text) : new Error(text);
}
