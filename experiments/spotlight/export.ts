/**
 * The ONNX export of `exp:spotlight`'s first model and its check against the
 * TypeScript forward pass.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { idTables, type IndexedRows } from "../../lib/data/raw_ids.ts";
import { maxAbsDiff, rmse } from "../../lib/metrics.ts";
import type { EmbeddingMfFit } from "../../lib/models/embedding_mf/fit.ts";
import { predictPairs } from "../../lib/models/factor_model.ts";
import {
  exportFactorModel,
  seenFromTraining,
  seenItems,
} from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import {
  type JsonObject,
  type MetricValue,
  summarize,
} from "../../lib/report/results.ts";
import type { Triples } from "./fit.ts";

/**
 * The first seed's model as ONNX (ids, titles, the training ratings as seen
 * items), its scores of the test set, their RMSE and the largest difference
 * from the TypeScript forward pass.
 */
export async function exportAndScore(
  first: EmbeddingMfFit,
  config: JsonObject,
  d: {
    all: IndexedRows;
    itemInfo: Interactions["itemInfo"];
    sha256: string;
    train: Triples;
    test: Triples;
    splitSeed: number;
  },
) {
  const { all, train, test } = d;
  const modelBytes = exportFactorModel(first.model, {
    seen: seenItems(train.users, train.items, all.nUsers, all.nItems),
    description: {
      experiment: "spotlight",
      config,
      dataChecksum: d.sha256,
      ...idTables(all, d.itemInfo),
      seenFrom: seenFromTraining(
        `the training split (random_train_test_split, seed ${d.splitSeed})`,
        train.ratings.length,
      ),
    },
  });
  const session = await FactorModelSession.load(
    modelBytes,
    "spotlight/model.onnx",
  );
  const onnxScores = await session.score(test.users, test.items);
  await session.release();
  return {
    modelBytes,
    onnxScores,
    onnxRmse: rmse(onnxScores, test.ratings),
    parity: maxAbsDiff(
      predictPairs(first.model, test.users, test.items),
      onnxScores,
    ),
  };
}

/** The experiment's metrics record (keys in report order). */
export function metricsOf(
  all: { nUsers: number; nItems: number },
  train: Triples,
  test: Triples,
  fits: readonly EmbeddingMfFit[],
  r: {
    trainRmse: number[];
    testRmse: number[];
    onnxRmse: number;
    parity: number;
  },
): Record<string, MetricValue> {
  const lossOf = (pick: (f: EmbeddingMfFit) => number) =>
    summarize(fits.map(pick));
  return {
    users: all.nUsers,
    items: all.nItems,
    train_ratings: train.ratings.length,
    test_ratings: test.ratings.length,
    train_rmse: summarize(r.trainRmse),
    test_rmse: summarize(r.testRmse),
    onnx_test_rmse: r.onnxRmse,
    onnx_parity_max_abs_diff: r.parity,
    first_epoch_loss_sum: lossOf((f) => f.epochs[0].sumLoss),
    last_epoch_loss_sum: lossOf((f) => f.epochs.at(-1)!.sumLoss),
    last_epoch_loss_mean: lossOf((f) => f.epochs.at(-1)!.meanLoss),
  };
}
