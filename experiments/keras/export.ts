/**
 * Step 4 of the Keras experiment: the first seed's models exported to ONNX,
 * each carrying ids, titles and its training ratings, and the test set
 * scored with the exported files.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { maxAbsDiff, mse } from "../../lib/metrics.ts";
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
import { exportMlpModel, MlpSession } from "../../lib/onnx/mlp_export.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import { type KerasFlags, MODELS } from "./document.ts";
import type { Triples } from "./fit.ts";
import type { PerModel } from "./metrics.ts";

/** The exported models and how their ONNX scores compare with TypeScript's. */
export interface KerasExports {
  /** The ONNX file of each model. */
  readonly onnxBytes: PerModel<Uint8Array>;
  /** ONNX scores of the test pairs (length N), per model. */
  readonly onnxScores: PerModel<Float32Array>;
  /** Test MSE of the ONNX scores, squared stars, per model. */
  readonly onnxMse: PerModel<number>;
  /** Largest |TypeScript − ONNX| score over the test pairs, per model. */
  readonly parity: PerModel<number>;
}

/**
 * Exports the first seed's `models` to ONNX (every model carries ids, titles
 * and its training ratings, the seen items `recommend` leaves out) and
 * scores the test set of `sets` with each file; `run` is what the files'
 * descriptions record.
 */
export async function exportModels(
  flags: KerasFlags,
  models: Partial<PerModel<FactorModel | MlpModel>>,
  sets: { train: Triples; test: Triples },
  run: {
    config: JsonObject;
    seed: number;
    data: Interactions;
    dataChecksum: string;
  },
): Promise<KerasExports> {
  const { train, test } = sets;
  const { data } = run;
  const { nUsers, nItems } = data;
  const out = {
    onnxBytes: {} as PerModel<Uint8Array>,
    onnxScores: {} as PerModel<Float32Array>,
    onnxMse: {} as PerModel<number>,
    parity: {} as PerModel<number>,
  };
  const seen = seenItems(train.users, train.items, nUsers, nItems);
  const seenFrom = seenFromTraining(
    "the training split (per user, the first " +
      `${Math.round(100 * (1 - flags["test-fraction"]))} % in file order)`,
    train.ratings.length,
  );
  for (const name of MODELS) {
    const meta = { ...run.config, model: name, seed: run.seed };
    const m = models[name]!;
    const description = {
      experiment: "keras",
      config: meta,
      dataChecksum: run.dataChecksum,
      userIds: data.userIds.raw,
      itemIds: data.itemIds.raw,
      itemTitles: Array.from(
        { length: nItems },
        (_, j) => data.itemInfo.get(data.itemIds.raw[j])?.title ?? null,
      ),
      seenFrom,
    };
    const bytes = name === "mlp"
      ? exportMlpModel(m as MlpModel, {}, { description, seen })
      : exportFactorModel(m as FactorModel, { seen, description });
    out.onnxBytes[name] = bytes;
    const path = `keras/${name}.onnx`;
    const session = name === "mlp"
      ? await MlpSession.load(bytes, path)
      : await FactorModelSession.load(bytes, path);
    out.onnxScores[name] = await session.score(test.users, test.items);
    await session.release();
    const ts = name === "mlp"
      ? predictMlp(m as MlpModel, test.users, test.items)
      : predictPairs(m as FactorModel, test.users, test.items);
    out.onnxMse[name] = mse(out.onnxScores[name], test.ratings);
    out.parity[name] = maxAbsDiff(ts, out.onnxScores[name]);
  }
  return out;
}
