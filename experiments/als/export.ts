/**
 * Step 3 of `exp:als`: the fit on all ratings as an ONNX model, with the
 * rated movies as its seen items and the data's ids and titles in its
 * description.
 *
 * @module
 */

import type { LoadedData } from "../../lib/data/load.ts";
import type { AlsConfig, AlsModel } from "../../lib/models/als/als.ts";
import type { FactorModel } from "../../lib/models/factor_model.ts";
import { exportFactorModel, seenFromTraining } from "../../lib/onnx/export.ts";
import type { Subjects } from "./load.ts";

/** The fitted factors as a factor model, and its ONNX file. */
export interface ExportedModel {
  readonly factorModel: FactorModel;
  /** The ONNX model file (model.onnx). */
  readonly modelBytes: Uint8Array;
}

/**
 * Exports `fit` (ALS settings `als`) of the loaded `data` with `s.all`, the
 * users × items ratings, as its seen items.
 */
export function exportAlsModel(
  fit: AlsModel,
  als: AlsConfig,
  { data, source }: LoadedData,
  s: Pick<Subjects, "all" | "datasetName">,
): ExportedModel {
  const factorModel = {
    nUsers: data.nUsers,
    nItems: data.nItems,
    factors: als.factors,
    userFactors: fit.userFactors,
    itemFactors: fit.itemFactors,
  };
  const modelBytes = exportFactorModel(factorModel, {
    seen: s.all,
    description: {
      experiment: "als",
      config: { ...als, dataset: s.datasetName },
      dataChecksum: source.sha256,
      userIds: data.userIds.raw,
      itemIds: data.itemIds.raw,
      itemTitles: Array.from(
        data.itemIds.raw,
        (id) => data.itemInfo.get(id)?.title ?? null,
      ),
      seenFrom: seenFromTraining("every rating", data.users.length),
    },
  });
  return { factorModel, modelBytes };
}
