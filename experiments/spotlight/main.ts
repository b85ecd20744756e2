/**
 * deno task exp:spotlight        (flags: deno task exp:spotlight --help)
 *
 * Reproduces Spotlight's "Explicit feedback movie recommendations" notebook
 * (Maciej Kula): ML-100K split 80/20 with `random_train_test_split(dataset,
 * random_state=RandomState(42))`, then `ExplicitFactorizationModel(loss=
 * 'regression', embedding_dim=128, n_iter=10, batch_size=1024, l2=1e-9,
 * learning_rate=1e-3)`: dot product of user and item embeddings plus biases,
 * mean squared error, torch Adam with weight_decay = l2, dense embeddings.
 * Published: train RMSE 0.897, test RMSE 0.940, per-epoch summed loss
 * 1034.39 → 65.71.
 *
 * What Spotlight does, read from its source:
 * - `get_movielens_dataset('100K')` keeps u.data's file order and raw ids
 *   (not re-indexed), so its tables are max id + 1 long: 944 × 1683, row 0
 *   unused.
 * - `random_train_test_split` shuffles `arange(n)` with
 *   `random_state.shuffle` and cuts at `int((1 - 0.2) · n)`.
 * - `fit` shuffles the training rows each epoch with the model's own
 *   random state and steps Adam once per 1024-row slice; the document's
 *   version printed the epoch loss summed over minibatches.
 * - `ScaledEmbedding` draws `normal_(0, 1/dim)`; biases start at 0.
 * The document passed no random_state to the model, so its initialisation
 * and epoch order are unseeded draws: our model seeds are our own, and the
 * RMSEs are reported over several seeds.
 *
 * @module
 */

import { indexByRawIds } from "../../lib/data/raw_ids.ts";
import { loadMovieLens } from "../../lib/data/load.ts";
import { maxAbsDiff, rmse } from "../../lib/metrics.ts";
import { predictPairs } from "../../lib/models/embedding_mf.ts";
import {
  type EmbeddingMfConfig,
  type EmbeddingMfFit,
  fitEmbeddingMf,
} from "../../lib/models/embedding_mf_fit.ts";
import { exportFactorModel } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import { Progress } from "../../lib/progress.ts";
import { datasetRecord, medianSeconds } from "../../lib/report/provenance.ts";
import {
  type MetricValue,
  otherSettingsNote,
  summarize,
} from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import { defineExperiment } from "../../lib/run/experiment.ts";
import { randomTrainTestSplit, takeTriples } from "../../lib/split.ts";
import { tolerancesOf } from "../registry.ts";
import { spotlightComparisons } from "./compare.ts";
import { configOf, DESCRIPTION, DOCUMENT, FLAGS } from "./document.ts";
import { spotlightSections } from "./report.ts";

export const experiment = defineExperiment({
  name: "spotlight",
  task: "exp:spotlight",
  title: "Spotlight explicit matrix factorisation on ML-100K",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("spotlight"),
  async run({ flags, args, seeds, clock, timings }) {
    const model: Omit<EmbeddingMfConfig, "seed"> = {
      dim: flags.dim,
      epochs: flags.epochs,
      batchSize: flags["batch-size"],
      learningRate: flags.lr,
      weightDecay: flags.l2,
      biases: true,
      adamMode: "dense",
    };
    const config = configOf(flags, model);

    // 1. Load ML-100K; index the tables by raw id, as Spotlight does.
    const { data, source } = await loadMovieLens(flags.dataset, {
      dataDir: flags["data-dir"],
    });
    const all = indexByRawIds(data, flags.ids === "raw");
    clock("load");

    // 2. The document's split: RandomState(42).shuffle(arange(n)), first 80 % train.
    const split = randomTrainTestSplit(
      all.ratings.length,
      flags["test-fraction"],
      new RandomState(flags["split-seed"]),
    );
    const train = takeTriples(all, split.train);
    const test = takeTriples(all, split.test);
    clock("split");

    // 3. Fit once per model seed; the first seed's run is the one shown in full.
    const fits: EmbeddingMfFit[] = [];
    const fitSeconds: number[] = [];
    for (const seed of seeds) {
      const progress = new Progress({
        label: `fit, seed ${seed}`,
        total: flags.epochs,
        unit: "epochs",
      });
      const t0 = performance.now();
      fits.push(
        fitEmbeddingMf(
          train,
          all.nUsers,
          all.nItems,
          { ...model, seed },
          (epoch, e) => {
            if (seed === seeds[0]) {
              console.log(`Epoch ${epoch}: loss ${e.sumLoss}`);
            }
            progress.update(
              epoch + 1,
              `loss ${e.sumLoss.toFixed(2)} (mean ${e.meanLoss.toFixed(4)})`,
            );
          },
        ),
      );
      fitSeconds.push((performance.now() - t0) / 1000);
      progress.finish();
    }
    clock("fit");

    // 4. RMSE on train and test (TypeScript forward pass), every seed.
    const trainRmse = fits.map((f) =>
      rmse(predictPairs(f.model, train.users, train.items), train.ratings)
    );
    const testRmse = fits.map((f) =>
      rmse(predictPairs(f.model, test.users, test.items), test.ratings)
    );
    clock("evaluate");

    // 5. Export the first seed's model to ONNX and score the test set with it.
    const first = fits[0];
    const modelBytes = exportFactorModel(first.model, {
      description: {
        experiment: "spotlight",
        config: { ...config, seed: seeds[0] },
        dataChecksum: source.sha256,
        userIds: Int32Array.from(
          { length: all.nUsers },
          (_, j) => all.rawUser(j),
        ),
        itemIds: Int32Array.from(
          { length: all.nItems },
          (_, j) => all.rawItem(j),
        ),
        itemTitles: Array.from(
          { length: all.nItems },
          (_, j) => data.itemInfo.get(all.rawItem(j))?.title ?? null,
        ),
      },
    });
    const session = await FactorModelSession.load(
      modelBytes,
      "spotlight/model.onnx",
    );
    const onnxScores = await session.score(test.users, test.items);
    await session.release();
    const onnxRmse = rmse(onnxScores, test.ratings);
    const parity = maxAbsDiff(
      predictPairs(first.model, test.users, test.items),
      onnxScores,
    );
    clock("export");

    // 6. Metrics, published vs reproduced.
    const metrics: Record<string, MetricValue> = {
      users: all.nUsers,
      items: all.nItems,
      train_ratings: train.ratings.length,
      test_ratings: test.ratings.length,
      train_rmse: summarize(trainRmse),
      test_rmse: summarize(testRmse),
      onnx_test_rmse: onnxRmse,
      onnx_parity_max_abs_diff: parity,
      first_epoch_loss_sum: summarize(fits.map((f) => f.epochs[0].sumLoss)),
      last_epoch_loss_sum: summarize(fits.map((f) => f.epochs.at(-1)!.sumLoss)),
      last_epoch_loss_mean: summarize(
        fits.map((f) => f.epochs.at(-1)!.meanLoss),
      ),
    };
    const comparisons = spotlightComparisons({
      metrics,
      seeds,
      isDocument: flags.dataset === "ml-100k" && flags.ids === "raw" &&
        flags["split-seed"] === 42 && flags["test-fraction"] === 0.2,
      sameModel: flags.dim === 128 && flags.epochs === 10 &&
        flags["batch-size"] === 1024 &&
        flags.lr === 1e-3 && flags.l2 === 1e-9,
      countsChanged: flags.dataset !== "ml-100k" ||
        flags["test-fraction"] !== 0.2,
      idsChanged: flags.ids !== "raw",
      batches: Math.ceil(train.ratings.length / flags["batch-size"]),
      epochs: flags.epochs,
      otherNote: otherSettingsNote(args),
    });
    timings.fit_per_seed_median = medianSeconds(fitSeconds);
    const t = summarize(testRmse), tr = summarize(trainRmse);
    return {
      dataset: datasetRecord(source, data, flags.dataset),
      config: {
        ...config,
        first_seed_epoch_loss_sum: first.epochs.map((e) => e.sumLoss),
      },
      metrics,
      comparisons,
      sections: (results) =>
        spotlightSections(results, {
          firstEpochs: first.epochs,
          onnxScores,
          testRatings: test.ratings,
          onnxRmse,
          parity,
          trainRmse,
          testRmse,
          fitSeconds,
        }),
      files: [{ name: "model.onnx", content: modelBytes }],
      summary: `Train RMSE ${tr.mean.toFixed(3)} ± ${
        tr.std.toFixed(3)
      }, test RMSE ${t.mean.toFixed(3)} ± ${
        t.std.toFixed(3)
      } over ${seeds.length} seeds (document: 0.897, 0.940); ONNX test RMSE ${
        onnxRmse.toFixed(4)
      }`,
    };
  },
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

if (import.meta.main) await experiment.cli();
