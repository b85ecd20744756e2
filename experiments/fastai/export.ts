/**
 * The ONNX export of the first seed's Keras models (dot, dot+bias, NN) with
 * ids, titles and the training ratings as seen items, and the ONNX vs
 * TypeScript parity of their test-set scores.
 *
 * @module
 */

import type { Flags } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import type { DataSource } from "../../lib/data/load.ts";
import { maxAbsDiff, rmse } from "../../lib/metrics.ts";
import {
  type FactorModel,
  predictPairs,
} from "../../lib/models/factor_model.ts";
import { type MlpModel, predictMlp } from "../../lib/models/mlp/mlp.ts";
import {
  exportFactorModel,
  seenFromTraining,
  seenItems,
} from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import type { ModelDescription } from "../../lib/onnx/metadata.ts";
import { exportMlpModel, MlpSession } from "../../lib/onnx/mlp_export.ts";
import type { Csr } from "../../lib/sparse.ts";
import type { MetricValue } from "../../lib/report/results.ts";
import { configOf, type FLAGS } from "./document.ts";
import { isExported, type KerasPlan, type KerasRows } from "./keras_rows.ts";
import type { KerasRun } from "./models.ts";

/** A model file beside the report. */
export interface ModelFile {
  readonly name: string;
  readonly content: Uint8Array;
}

/**
 * Exports the exported runs of `keras` (see {@link isExported}) as
 * `<model>.onnx` and scores `test` with each: the files, and per model its
 * ONNX test RMSE and max |TypeScript − ONNX| over the test pairs.
 */
export async function exportKerasModels(
  keras: Pick<KerasRows, "runs" | "fits">,
  splits: { data: Interactions; train: Interactions; test: Interactions },
  source: DataSource,
  plan: KerasPlan,
): Promise<{ files: ModelFile[]; metrics: Record<string, MetricValue> }> {
  const { flags, readings } = plan;
  const { data, train, test } = splits;
  const files: ModelFile[] = [];
  const metrics: Record<string, MetricValue> = {};
  const seen = seenItems(train.users, train.items, data.nUsers, data.nItems);
  const description = describe(data, train, source, flags);
  for (const [k, run] of keras.runs.entries()) {
    if (!isExported(run, plan)) continue;
    const config = {
      ...configOf(flags, readings),
      model: run.model,
      reading: run.reading,
      seed: run.seed,
    };
    const name = `${run.model}.onnx`;
    const { bytes, onnx, ts } = await exportAndScore(
      run,
      keras.fits[k].model!,
      { seen, description: { ...description, config } },
      test,
      `fastai/${name}`,
    );
    files.push({ name, content: bytes });
    metrics[`${run.model}_onnx_test_rmse`] = rmse(onnx, test.ratings);
    metrics[`${run.model}_onnx_parity_max_abs_diff`] = maxAbsDiff(ts, onnx);
  }
  return { files, metrics };
}

/** The description every exported model carries (its config is added per model). */
function describe(
  data: Interactions,
  train: Interactions,
  source: DataSource,
  flags: Flags<typeof FLAGS>,
): ModelDescription {
  return {
    experiment: "fastai",
    dataChecksum: source.sha256,
    userIds: data.userIds.raw,
    itemIds: data.itemIds.raw,
    itemTitles: Array.from(
      data.itemIds.raw,
      (id) => data.itemInfo.get(id)?.title ?? null,
    ),
    seenFrom: seenFromTraining(
      `the training split (np.random.seed(${flags["split-seed"]}); rand(n) < ${
        flags["train-fraction"]
      })`,
      train.users.length,
    ),
  };
}

/**
 * The ONNX file of one fitted model (MLP for the NN, factor model else),
 * its ONNX scores at the `test` pairs (loaded under `path`) and the
 * TypeScript forward pass at the same pairs.
 */
async function exportAndScore(
  run: KerasRun,
  model: FactorModel | MlpModel,
  options: { seen: Csr; description: ModelDescription },
  test: Interactions,
  path: string,
): Promise<
  { bytes: Uint8Array; onnx: Float32Array; ts: Float32Array | Float64Array }
> {
  if (run.model === "nn") {
    const bytes = exportMlpModel(model as MlpModel, {}, {
      description: options.description,
      seen: options.seen,
    });
    const session = await MlpSession.load(bytes, path);
    const onnx = await session.score(test.users, test.items);
    await session.release();
    const ts = predictMlp(model as MlpModel, test.users, test.items);
    return { bytes, onnx, ts };
  }
  const bytes = exportFactorModel(model as FactorModel, {
    seen: options.seen,
    description: options.description,
  });
  const session = await FactorModelSession.load(bytes, path);
  const onnx = await session.score(test.users, test.items);
  await session.release();
  const ts = predictPairs(model as FactorModel, test.users, test.items);
  return { bytes, onnx, ts };
}
