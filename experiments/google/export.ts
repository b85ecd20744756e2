/**
 * The ONNX phase of `exp:google`: the regularised model exported with its
 * training ratings as seen items, then loaded back to score the validation
 * set and list the query movie's cosine neighbours. Exercised end to end
 * by main_test.ts.
 *
 * @module
 */

import { maxAbsDiff, mse } from "../../lib/metrics.ts";
import type { FactorModel } from "../../lib/models/factor_model.ts";
import { exportFactorModel, seenFromTraining } from "../../lib/onnx/export.ts";
import { FactorModelSession } from "../../lib/onnx/infer.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import { cooRows } from "../../lib/sparse.ts";
import { type EmbeddingFindings, pairScores } from "./analysis.ts";
import type { Movies, RatingSplit } from "./data.ts";

/** What `exportAndScore` needs besides the model and the two splits. */
export interface ExportInputs {
  /** The loaded ratings (id tables, checksum, titles) and the query movie. */
  readonly movies: Movies;
  /** The model's configuration as recorded in the file (with its seed). */
  readonly config: JsonObject;
  /** The split's seed, named in the seen-items provenance. */
  readonly splitSeed: number;
  /** The number of neighbours of the query movie. */
  readonly k: number;
  /** The TypeScript neighbour lists the ONNX ones must equal. */
  readonly found: EmbeddingFindings;
}

/** The exported file and what it scored. */
export interface OnnxCheck {
  /** The ONNX model file's bytes. */
  readonly modelBytes: Uint8Array;
  /** Validation MSE of the ONNX scores (rating units²). */
  readonly valMse: number;
  /** Largest |ONNX − TypeScript| validation score. */
  readonly parityMaxAbsDiff: number;
  /** The ONNX cosine neighbours of the query equal the TypeScript ones. */
  readonly cosineAgrees: boolean;
}

/**
 * Exports `model` to ONNX (the split's `train` ratings travel with it: `recommend`
 * leaves them out), loads it with onnxruntime, scores every `val` entry and
 * lists the query's `k` cosine neighbours, checked against TypeScript.
 */
export async function exportAndScore(
  model: FactorModel,
  { train, val }: RatingSplit,
  d: ExportInputs,
): Promise<OnnxCheck> {
  const { data, source, titles } = d.movies;
  const modelBytes = exportFactorModel(model, {
    seen: train,
    description: {
      seenFrom: seenFromTraining(
        "the training split (train_test_split, random_state " +
          `${d.splitSeed})`,
        train.indptr[train.nRows],
      ),
      experiment: "google",
      config: d.config,
      dataChecksum: source.sha256,
      userIds: Int32Array.from(data.userIds.raw),
      itemIds: Int32Array.from(data.itemIds.raw),
      itemTitles: titles,
    },
  });
  const session = await FactorModelSession.load(
    modelBytes,
    "google/model.onnx",
  );
  const valUsers = cooRows(val), valItems = val.indices;
  const onnxScores = await session.score(valUsers, valItems);
  const onnxCosine = await session.similar(d.movies.query.id, d.k);
  await session.release();
  return {
    modelBytes,
    valMse: mse(onnxScores, val.data),
    parityMaxAbsDiff: maxAbsDiff(
      pairScores(model, valUsers, valItems),
      onnxScores,
    ),
    cosineAgrees: [...onnxCosine.items].every((i, r) =>
      i === d.found.neighbours.reg_cosine[r].item
    ),
  };
}
