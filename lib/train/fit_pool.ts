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
import { Progress, type ProgressOptions } from "../progress.ts";
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
  /** A job's relative cost (e.g. its epochs × the cost of one): jobs then start most costly first (see {@link startOrder}). */
  readonly cost?: (job: FitJob) => number;
  /**
   * Progress lines (lib/progress.ts, on stderr unless `write` says
   * otherwise) counting the epochs of all jobs: `label` heads them, `line`
   * describes each finished epoch.
   */
  readonly progress?: Omit<ProgressOptions, "total" | "unit"> & {
    readonly line: (job: number, epoch: FitJobEpoch) => string;
  };
}

/**
 * Runs every job on `data`; resolves with their results in job order.
 *
 * @throws {RangeError} before any work for a bad `threads`, `cost`, job
 *   (a config field holding a function, a `keepEpoch` outside its epochs)
 *   or evaluation pairs of unequal lengths; then for what a job's fitter
 *   throws, its message prefixed with the job's index, kind and seed (the
 *   original error as `cause`; the other jobs are stopped). An error thrown
 *   by `onEpoch` is passed on as it is.
 *
 * @example
 * ```ts
 * import { runFits } from "./fit_pool.ts";
 * import type { FitJob, FitJobData } from "./fit_job.ts";
 * async function fitAll(data: FitJobData, jobs: readonly FitJob[]) {
 *   const results = await runFits(data, jobs, { threads: 2 });
 *   return results.map((r) => r.epochs.at(-1)?.predictions);
 * }
 * ```
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
  checkJobs(data, jobs);
  const order = startOrder(jobs, options.cost);
  const threads = Math.min(asked, jobs.length);
  const onEpoch = withProgress(jobs, options);
  if (threads <= 1) {
    const results = runInPlace(data, jobs, order, onEpoch);
    onEpoch.finish();
    return results;
  }
  const epochs: FitJobEpoch[][] = jobs.map(() => []);
  const results: FitJobResult[] = new Array(jobs.length);
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0, finished = 0;
      const feed = (w: Worker) => {
        if (next >= jobs.length) return;
        const index = order[next++];
        const msg: ToWorker = { job: jobs[index], index };
        try {
          w.postMessage(msg);
        } catch (err) {
          reject(err);
        }
      };
      for (let t = 0; t < threads; t++) {
        const w = new WebWorker(
          new URL("./fit_worker.ts", import.meta.url).href,
          { type: "module", name: "fit_worker" },
        );
        workers.push(w);
        w.onmessage = (ev: MessageEvent<FromWorker>) => {
          const msg = ev.data;
          if ("ready" in msg) return feed(w);
          if ("epoch" in msg) {
            epochs[msg.index].push(msg.epoch);
            try {
              onEpoch(msg.index, msg.epoch);
            } catch (err) {
              reject(err);
            }
            return;
          }
          if ("error" in msg) {
            const cause = new Error(msg.error.message);
            cause.name = msg.error.name;
            cause.stack = msg.error.stack;
            return reject(jobError(jobs, msg.index, cause));
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
  onEpoch.finish();
  return results;
}

/** The caller's `onEpoch` preceded by the progress line, if asked for; `finish()` ends the lines. */
function withProgress(jobs: readonly FitJob[], options: RunFitsOptions) {
  const p = options.progress;
  const progress = p && new Progress({
    ...p,
    total: jobs.reduce((s, j) => s + j.config.epochs, 0),
    unit: "epochs",
  });
  let done = 0;
  return Object.assign(
    (job: number, e: FitJobEpoch) => {
      progress?.update(++done, p!.line(job, e));
      options.onEpoch?.(job, e);
    },
    { finish: () => progress?.finish() },
  );
}

/**
 * The order in which {@link runFits} starts `jobs` (indices): as given, or
 * by `cost`, highest first, ties in the given order.
 *
 * @throws {RangeError} when `cost` gives a job a non-finite value.
 */
export function startOrder(
  jobs: readonly FitJob[],
  cost?: (job: FitJob) => number,
): number[] {
  const order = jobs.map((_, k) => k);
  if (!cost) return order;
  const c = jobs.map((job, k) => {
    const v = cost(job);
    if (!Number.isFinite(v)) {
      throw new RangeError(`runFits: cost of job ${k} is ${v}, not finite`);
    }
    return v;
  });
  return order.sort((a, b) => c[b] - c[a] || a - b);
}

/** The jobs one after another in this thread, started in `order`, results in job order. */
function runInPlace(
  data: FitJobData,
  jobs: readonly FitJob[],
  order: readonly number[],
  onEpoch: RunFitsOptions["onEpoch"],
): FitJobResult[] {
  const results: FitJobResult[] = new Array(jobs.length);
  for (const index of order) {
    // The caller's callback runs inside the fit: its errors are not the job's.
    let callbackFailed = false, callbackError: unknown;
    try {
      results[index] = runFitJob(data, jobs[index], (e) => {
        try {
          onEpoch?.(index, e);
        } catch (err) {
          callbackFailed = true;
          callbackError = err;
          throw err;
        }
      });
    } catch (err) {
      if (callbackFailed) throw callbackError;
      throw jobError(
        jobs,
        index,
        err instanceof Error ? err : new Error(String(err)),
      );
    }
  }
  return results;
}

/** Settings a job cannot carry, and pairs that cannot be scored, refused before any work. */
function checkJobs(data: FitJobData, jobs: readonly FitJob[]): void {
  if (data.evalUsers.length !== data.evalItems.length) {
    throw new RangeError(
      `runFits: ${data.evalUsers.length} evaluation users but ${data.evalItems.length} items`,
    );
  }
  jobs.forEach((job, k) => {
    const where = `runFits: job ${k} (${job.kind}, seed ${job.config.seed})`;
    for (const [key, value] of Object.entries(job.config)) {
      if (
        typeof value === "function" ||
        ((key === "loss" || key === "schedule") && value !== undefined)
      ) {
        throw new RangeError(
          `${where}: config.${key} holds a function, which cannot be sent to a worker${
            key === "schedule"
              ? " (give lrPieces instead)"
              : key === "loss"
              ? " (jobs use squared error)"
              : ""
          }`,
        );
      }
    }
    const k0 = job.keepEpoch;
    if (
      k0 !== undefined &&
      !(Number.isInteger(k0) && k0 >= 0 && k0 < job.config.epochs)
    ) {
      throw new RangeError(
        `${where}: keepEpoch ${k0} is not an epoch index in [0, ${job.config.epochs})`,
      );
    }
  });
}

/** A job's error, its message prefixed with the job's index, kind and seed; a RangeError stays one; `err` is the cause. */
function jobError(jobs: readonly FitJob[], index: number, err: Error): Error {
  const { kind, config } = jobs[index];
  const text =
    `fit job ${index} (${kind}, seed ${config.seed}): ${err.message}`;
  return err.name === "RangeError"
    ? new RangeError(text, { cause: err })
    : new Error(text, { cause: err });
}
