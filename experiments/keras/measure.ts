/**
 * Steps 5 and 6 of the Keras experiment: the three models compared with each
 * other (see pairs.ts), then the metrics record and the published vs
 * reproduced comparisons of a run.
 *
 * @module
 */

import { mse } from "../../lib/metrics.ts";
import { mlpParamCount } from "../../lib/models/mlp/mlp.ts";
import {
  type Comparison,
  type MetricValue,
  otherSettingsNote,
  summarize,
} from "../../lib/report/results.ts";
import type { RunContext } from "../../lib/run/experiment.ts";
import { kerasComparisons } from "./compare.ts";
import {
  type FLAGS,
  isDocumentModel,
  isDocumentSplit,
  type MlpShape,
  type ModelName,
  MODELS,
} from "./document.ts";
import type { KerasExports } from "./export.ts";
import type { KerasFits, Triples } from "./fit.ts";
import { kerasMetrics, type PerModel, perModel } from "./metrics.ts";
import {
  comparePair,
  meanSquaredErrors,
  MODEL_PAIRS,
  type PairComparison,
  pairMetrics,
} from "./pairs.ts";

/**
 * The models against each other from their test predictions after the
 * document's last epoch (per model, one array of length N per seed): test
 * MSE paired over seeds and a paired bootstrap (seeded with `seed`) over the
 * test ratings. A paired test needs two seeds at least: with one, the models
 * are not compared (empty list).
 */
export function compareModels(
  finalPredictions: PerModel<Float32Array[]>,
  test: Triples,
  seeds: readonly number[],
  seed: number,
): PairComparison[] {
  const errors = perModel((): Float64Array => new Float64Array(0));
  for (const name of MODELS) {
    errors[name] = meanSquaredErrors(finalPredictions[name], test.ratings);
  }
  const testMse = (name: ModelName) =>
    finalPredictions[name].map((p) => mse(p, test.ratings));
  if (seeds.length < 2) return [];
  return MODEL_PAIRS.map(([a, b]) =>
    comparePair(a, b, testMse(a), testMse(b), errors[a], errors[b], seed)
  );
}

/**
 * The metrics record (counts, curves, ONNX checks, model pairs) and the
 * published vs reproduced comparisons of a run on `sets` (train and test
 * triples, table sizes) with the MLP shape `mlp`.
 */
export function measure(
  ctx: Pick<RunContext<typeof FLAGS>, "flags" | "args" | "seeds">,
  sets: {
    train: Triples;
    test: Triples;
    nUsers: number;
    nItems: number;
    mlp: MlpShape;
  },
  done: {
    fits: KerasFits;
    exports: KerasExports;
    pairs: readonly PairComparison[];
  },
): { metrics: Record<string, MetricValue>; comparisons: Comparison[] } {
  const { flags, args, seeds } = ctx;
  const { nUsers, nItems } = sets;
  const { fits, exports } = done;
  const E = flags.epochs;
  const { curves } = fits;
  const arch = { nUsers, nItems, dim: flags.dim };
  const metrics = kerasMetrics({
    counts: {
      users: nUsers,
      items: nItems,
      train_ratings: sets.train.ratings.length,
      test_ratings: sets.test.ratings.length,
      mf_params: (nUsers + nItems) * flags.dim,
      bias_params: (nUsers + nItems) * (flags.dim + 1),
      mlp_params: mlpParamCount({ ...arch, ...sets.mlp }),
    },
    curves,
    mfLong: fits.mfLong,
    epochs: E,
    extraEpochs: flags["mf-extra-epochs"],
    onnxMse: exports.onnxMse,
    parity: exports.parity,
  });
  Object.assign(metrics, pairMetrics(done.pairs));
  const comparisons = kerasComparisons({
    metrics,
    seeds,
    epochs: E,
    extraEpochs: flags["mf-extra-epochs"],
    isDocument: isDocumentSplit(flags),
    sameModel: isDocumentModel(flags),
    datasetChanged: flags.dataset !== "ml-100k",
    dimChanged: flags.dim !== 40,
    biasPenaltyMean: summarize(curves.bias.map((c) => c.penalty[E - 1])).mean,
    biasPenaltyFirst: curves.bias[0].penalty[E - 1],
    otherNote: otherSettingsNote(args),
  });
  return { metrics, comparisons };
}
