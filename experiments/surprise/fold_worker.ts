/**
 * Web Worker of ./cross_validate.ts: receives one fold (the algorithm's key,
 * the run's flags, the fold's trainset and test rows), rebuilds the
 * algorithm from the flags, runs `foldPredictions` and posts its result.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type {
  RatingScale,
  SurpriseTrainset,
} from "../../lib/models/surprise/trainset.ts";
import type { Flags } from "../../lib/cli.ts";
import { algorithmFits } from "./algorithms.ts";
import { foldPredictions } from "./cross_validate.ts";
import type { FLAGS } from "./document.ts";

/** One fold job, as posted by `crossValidate`. */
export interface FoldJob {
  readonly key: string;
  readonly flags: Flags<typeof FLAGS>;
  readonly trainset: SurpriseTrainset;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly scale: RatingScale;
}

self.onmessage = (e: MessageEvent<FoldJob>) => {
  const { key, flags, trainset, users, items, scale } = e.data;
  const p = foldPredictions(
    algorithmFits(flags)[key],
    trainset,
    users,
    items,
    scale,
  );
  self.postMessage(p, [p.pred.buffer as ArrayBuffer]);
};
