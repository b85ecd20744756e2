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
import { maxAbsDiff, mse } from "../../lib/metrics.ts";
import {
  type FactorModel,
  predictPairs,
} from "../../lib/models/factor_model.ts";
import type { FitJob } from "../../lib/train/fit_job.ts";
import { runFits } from "../../lib/train/fit_pool.ts";
import {
  type MlpModel,
  mlpParamCount,
  predictMlp,
} from "../../lib/models/mlp/mlp.ts";
import {
  exportFactorModel,
  seenFromTraining,
  seenItems,
} from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { exportMlpModel, MlpSession } from "../../lib/onnx/mlp_export.ts";
import { datasetRecord, medianSeconds } from "../../lib/report/provenance.ts";
import { otherSettingsNote, summarize } from "../../lib/report/results.ts";
import { defineExperiment } from "../../lib/run/experiment.ts";
import { perUserHoldout, takeTriples } from "../../lib/split.ts";
import { tolerancesOf } from "../registry.ts";
import { kerasComparisons } from "./compare.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  FLAGS,
  isDocumentModel,
  isDocumentSplit,
  mlpShape,
  modelConfigs,
  type ModelName,
  MODELS,
} from "./document.ts";
import {
  comparePair,
  meanSquaredErrors,
  MODEL_PAIRS,
  pairMetrics,
} from "./pairs.ts";
import {
  type Curve,
  curveOf,
  firstEpochs,
  kerasMetrics,
  type PerModel,
  perModel,
} from "./metrics.ts";
import { kerasSections, summaryText } from "./report.ts";

export const experiment = defineExperiment({
  name: "keras",
  task: "exp:keras",
  title: "Keras ExplicitMF, ExplicitMatrixFactorisationBias and MLP on ML-100K",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("keras"),
  async run({ flags, args, seeds, clock, timings }) {
    const mlp = mlpShape(flags);
    const E = flags.epochs;

    // 1. Load ML-100K; dense ids are LabelEncoder's (sorted raw ids).
    const { data, source } = await loadMovieLens(flags.dataset, {
      dataDir: flags["data-dir"],
    });
    const { nUsers, nItems } = data;
    const range: [number, number] = [
      data.ratings.reduce((a, r) => Math.min(a, r), Infinity),
      data.ratings.reduce((a, r) => Math.max(a, r), -Infinity),
    ];
    const config = configOf(flags, mlp, range);
    clock("load");

    // 2. recoflow's StratifiedSplit: per user, file order, first round(0.8 n) train.
    const split = perUserHoldout(data, flags["test-fraction"], {
      shuffle: false,
      rounding: "python-round",
    });
    const train = takeTriples(data, split.train);
    const test = takeTriples(data, split.test);
    clock("split");

    // 3. Fit each model once per seed, validating after every epoch; one job
    //    per seed and model over Web Workers (ExplicitMF runs extra epochs).
    const models = modelConfigs(flags, mlp, range);
    const runs = seeds.flatMap((seed) =>
      MODELS.map((name) => ({ seed, name }))
    );
    const jobs = runs.map(({ seed, name }): FitJob => {
      const keepEpoch = seed === seeds[0] ? E - 1 : undefined;
      if (name === "mlp") {
        return { kind: "mlp", config: { ...models.mlp, seed }, keepEpoch };
      }
      const cfg = name === "mf"
        ? { ...models.mf, epochs: E + flags["mf-extra-epochs"] }
        : models.bias;
      return { kind: "embedding_mf", config: { ...cfg, seed }, keepEpoch };
    });
    const fits = await runFits(
      { train, nUsers, nItems, evalUsers: test.users, evalItems: test.items },
      jobs,
      {
        threads: flags.threads,
        // Longest first (an MLP epoch costs about three of the others').
        cost: (j) => j.config.epochs * (j.kind === "mlp" ? 3 : 1),
        progress: {
          label: `fits (${jobs.length})`,
          line: (k, e) => {
            const { name, seed } = runs[k];
            const val = mse(e.predictions, test.ratings) + e.loss.penalty;
            return `${name}, seed ${seed}, epoch ${e.epoch + 1}: loss ${
              (e.loss.meanLoss + e.loss.penalty).toFixed(4)
            } - val_loss ${val.toFixed(4)}`;
          },
        },
      },
    );
    const curves = perModel((): Curve[] => []);
    const fitSeconds = perModel((): number[] => []);
    /** ExplicitMF continued past the document's epochs (the explanation of its printout). */
    const mfLong: Curve[] = [];
    const firstModels: Partial<PerModel<FactorModel | MlpModel>> = {};
    /** Test-set predictions after the document's last epoch, per model and seed. */
    const finalPredictions = perModel((): Float32Array[] => []);
    runs.forEach(({ seed, name }, k) => {
      finalPredictions[name].push(fits[k].epochs[E - 1].predictions);
      const curve = curveOf(fits[k].epochs, test.ratings);
      const secs = fits[k].epochs.slice(0, E).map((e) => e.seconds);
      fitSeconds[name].push(secs.reduce((t, s) => t + s, 0));
      if (name === "mf") mfLong.push(curve);
      curves[name].push(name === "mf" ? firstEpochs(curve, E) : curve);
      if (seed === seeds[0]) firstModels[name] = fits[k].model;
    });
    clock("fit");

    // 4. Export the first seed's models to ONNX; score the test set with them.
    const onnxBytes = {} as PerModel<Uint8Array>;
    const onnxScores = {} as PerModel<Float32Array>;
    const onnxMse = {} as PerModel<number>;
    const parity = {} as PerModel<number>;
    // Every model carries ids, titles and its training ratings (the seen
    // items `recommend` leaves out).
    const seen = seenItems(train.users, train.items, nUsers, nItems);
    const seenFrom = seenFromTraining(
      "the training split (per user, the first " +
        `${Math.round(100 * (1 - flags["test-fraction"]))} % in file order)`,
      train.ratings.length,
    );
    for (const name of MODELS) {
      const meta = { ...config, model: name, seed: seeds[0] };
      const m = firstModels[name]!;
      const description = {
        experiment: "keras",
        config: meta,
        dataChecksum: source.sha256,
        userIds: data.userIds.raw,
        itemIds: data.itemIds.raw,
        itemTitles: Array.from(
          { length: nItems },
          (_, j) => data.itemInfo.get(data.itemIds.raw[j])?.title ?? null,
        ),
        seenFrom,
      };
      onnxBytes[name] = name === "mlp"
        ? exportMlpModel(m as MlpModel, {}, { description, seen })
        : exportFactorModel(m as FactorModel, { seen, description });
      const path = `keras/${name}.onnx`;
      const session = name === "mlp"
        ? await MlpSession.load(onnxBytes[name], path)
        : await FactorModelSession.load(onnxBytes[name], path);
      onnxScores[name] = await session.score(test.users, test.items);
      await session.release();
      const ts = name === "mlp"
        ? predictMlp(m as MlpModel, test.users, test.items)
        : predictPairs(m as FactorModel, test.users, test.items);
      onnxMse[name] = mse(onnxScores[name], test.ratings);
      parity[name] = maxAbsDiff(ts, onnxScores[name]);
    }
    clock("export");

    // 5. The three models against each other: paired over seeds, and a
    //    paired bootstrap over the test ratings.
    const errors = perModel((): Float64Array => new Float64Array(0));
    for (const name of MODELS) {
      errors[name] = meanSquaredErrors(finalPredictions[name], test.ratings);
    }
    const testMse = (name: ModelName) =>
      finalPredictions[name].map((p) => mse(p, test.ratings));
    // A paired test needs two seeds at least: with one, the models are not compared.
    const pairs = seeds.length < 2
      ? []
      : MODEL_PAIRS.map(([a, b]) =>
        comparePair(
          a,
          b,
          testMse(a),
          testMse(b),
          errors[a],
          errors[b],
          flags.seed,
        )
      );
    clock("compare_models");

    // 6. Metrics, published vs reproduced.
    const arch = { nUsers, nItems, dim: flags.dim };
    const metrics = kerasMetrics({
      counts: {
        users: nUsers,
        items: nItems,
        train_ratings: train.ratings.length,
        test_ratings: test.ratings.length,
        mf_params: (nUsers + nItems) * flags.dim,
        bias_params: (nUsers + nItems) * (flags.dim + 1),
        mlp_params: mlpParamCount({ ...arch, ...mlp }),
      },
      curves,
      mfLong,
      epochs: E,
      extraEpochs: flags["mf-extra-epochs"],
      onnxMse,
      parity,
    });
    Object.assign(metrics, pairMetrics(pairs));
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
          onnxMse,
          parity,
          onnxScoresBias: onnxScores.bias,
          testRatings: test.ratings,
          fitSeconds,
          pairs,
        }),
      files: MODELS.map((name) => ({
        name: `${name}.onnx`,
        content: onnxBytes[name],
      })),
      summary: summaryText(metrics, fitSeconds, E, seeds.length),
    };
  },
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

if (import.meta.main) await experiment.cli();
