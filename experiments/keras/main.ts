/**
 * deno task exp:keras        (flags: deno task exp:keras --help)
 *
 * Reproduces "Matrix Factorization - Full Movielens data (100k)" with Keras
 * (see document.ts): ML-100K label-encoded to 943 × 1682, recoflow's
 * `StratifiedSplit` (per user, file order, first round(0.8 n) train), then
 * `ExplicitMF` (40-wide embeddings, l2(1e-6), dot product, MSE, Adam 1e-3,
 * batch 32, 5 epochs), `ExplicitMatrixFactorisationBias` (plus bias
 * embeddings, sigmoid scaled to [1, 5]) and the embedding MLP users expect
 * beside them, each with Keras' init, whole-table L2, Adam arithmetic and
 * in-place epoch shuffles. Keras' draws were unseeded; here one
 * `RandomState(seed)` per run makes them, so curves are reported over
 * seeds. The fits spread over `--threads` Web Workers
 * (lib/train/fit_pool.ts) and do not depend on the thread count.
 *
 * @module
 */

import { loadMovieLens } from "../../lib/data/load.ts";
import { datasetRecord, medianSeconds } from "../../lib/report/provenance.ts";
import {
  defineExperiment,
  type RunContext,
  type RunOutput,
} from "../../lib/run/experiment.ts";
import { perUserHoldout, takeTriples } from "../../lib/split.ts";
import { tolerancesOf } from "../registry.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  FLAGS,
  mlpShape,
  modelConfigs,
  MODELS,
} from "./document.ts";
import { exportModels } from "./export.ts";
import { fitModels } from "./fit.ts";
import { compareModels, measure } from "./measure.ts";
import { kerasSections, summaryText } from "./report.ts";

export const experiment = defineExperiment({
  name: "keras",
  task: "exp:keras",
  title: "Keras ExplicitMF, ExplicitMatrixFactorisationBias and MLP on ML-100K",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("keras"),
  run,
});

/** Load, split, fit, export, compare and measure: the notebook's steps in order. */
async function run(
  ctx: RunContext<typeof FLAGS>,
): Promise<RunOutput> {
  const { flags, seeds, clock, timings } = ctx;
  const mlp = mlpShape(flags);

  // 1. Load ML-100K; dense ids are LabelEncoder's (sorted raw ids).
  const { data, source } = await loadMovieLens(flags.dataset, {
    dataDir: flags["data-dir"],
  });
  const { nUsers, nItems } = data;
  const range = ratingRange(data.ratings);
  const config = configOf(flags, mlp, range);
  clock("load");

  // 2. recoflow's StratifiedSplit: per user, file order, first round(0.8 n) train.
  const split = perUserHoldout(data, flags["test-fraction"], {
    shuffle: false,
    rounding: "python-round",
  });
  const train = takeTriples(data, split.train);
  const test = takeTriples(data, split.test);
  const sets = { train, test, nUsers, nItems, mlp };
  clock("split");

  // 3. Fit each model once per seed, validating after every epoch.
  const models = modelConfigs(flags, mlp, range);
  const fits = await fitModels(flags, models, seeds, sets);
  const { curves, mfLong, fitSeconds } = fits;
  clock("fit");

  // 4. Export the first seed's models to ONNX; score the test set with them.
  const origin = { config, seed: seeds[0], data, dataChecksum: source.sha256 };
  const exports = await exportModels(flags, fits.firstModels, sets, origin);
  clock("export");

  // 5. The three models against each other: paired over seeds, and a
  //    paired bootstrap over the test ratings.
  const pairs = compareModels(fits.finalPredictions, test, seeds, flags.seed);
  clock("compare_models");

  // 6. Metrics, published vs reproduced.
  const { metrics, comparisons } = measure(ctx, sets, { fits, exports, pairs });
  for (const name of MODELS) {
    timings[`${name}_fit_median`] = medianSeconds(fitSeconds[name]);
  }
  return {
    dataset: datasetRecord(source, data, flags.dataset),
    config,
    metrics,
    comparisons,
    sections: (results) =>
      kerasSections(results, {
        curves,
        mfLong,
        flags,
        nUsers,
        nItems,
        mlp,
        onnxMse: exports.onnxMse,
        parity: exports.parity,
        onnxScoresBias: exports.onnxScores.bias,
        testRatings: test.ratings,
        fitSeconds,
        pairs,
      }),
    files: MODELS.map((name) => ({
      name: `${name}.onnx`,
      content: exports.onnxBytes[name],
    })),
    summary: summaryText(metrics, fitSeconds, flags.epochs, seeds.length),
  };
}

/** The smallest and largest rating of `ratings` (stars), the bias model's output range. */
function ratingRange(ratings: Float32Array): [number, number] {
  return [
    ratings.reduce((a, r) => Math.min(a, r), Infinity),
    ratings.reduce((a, r) => Math.max(a, r), -Infinity),
  ];
}

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

if (import.meta.main) await experiment.cli();
