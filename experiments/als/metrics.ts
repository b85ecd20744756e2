/**
 * Step 6 of `exp:als`: what the run found, and its metrics in the order the report and the
 * pinned file list them.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import type { AlsModel } from "../../lib/models/als/als.ts";
import { type MetricValue, summarize } from "../../lib/report/results.ts";
import type { DocumentCalls } from "./document_call.ts";
import {
  holdoutMetrics,
  holdoutParityMetrics,
  type HoldoutRun,
} from "./holdout.ts";
import type { Subjects } from "./load.ts";
import type { Parity, RankedList } from "./queries.ts";
import { type Versus, versusMetrics } from "./versus.ts";

/** What the run found: the metrics and the report show these beside the data and its subjects. */
export interface Outcomes {
  /** The ONNX model's neighbours of the matched movie (itself first), or null without titles. */
  readonly similar: RankedList | null;
  /** The ONNX model's top-k for the user. */
  readonly recs: RankedList;
  /** Rows of the user's ratings. */
  readonly userRows: readonly number[];
  readonly docCall: DocumentCalls | null;
  /** The fit on all ratings (its training loss per iteration). */
  readonly full: AlsModel;
  readonly parity: Parity;
  readonly runs: readonly HoldoutRun[];
  readonly versus: readonly Versus[];
  readonly k: number;
}

/**
 * The run's metrics in report order: counts, the matched title, the
 * document's call, the final loss, ONNX parity, the holdout and ALS − popularity;
 * then, on large data, the holdout's ONNX sample check.
 */
export function alsMetrics(
  data: Interactions,
  s: Subjects,
  o: Outcomes,
): Record<string, MetricValue> {
  const metrics: Record<string, MetricValue> = {
    users: data.nUsers,
    items: data.nItems,
    ratings: data.users.length,
    user_ratings: o.userRows.length,
  };
  if (s.match !== null && s.titleIndex !== null) {
    metrics.title_match_movie_id = s.match.id;
    metrics.title_index = s.titleIndex;
  }
  if (o.docCall) {
    metrics.document_call_neighbour_overlap = o.docCall.first.overlap;
    metrics.document_call_min_overlap_between_seeds =
      o.docCall.minOverlapBetweenSeeds;
    // Each rounded to the 7 decimals the document printed.
    metrics.document_call_second_score = summarize(o.docCall.secondScores);
  }
  metrics.final_training_loss = o.full.loss.at(-1) ?? NaN;
  metrics.onnx_parity_max_abs_diff = Math.max(
    o.parity.similar ?? 0,
    o.parity.recommend,
  );
  Object.assign(
    metrics,
    holdoutMetrics(o.runs, o.k),
    versusMetrics(o.versus, o.k),
    holdoutParityMetrics(o.runs),
  );
  return metrics;
}
