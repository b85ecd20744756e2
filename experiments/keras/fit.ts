/**
 * Step 3 of the Keras experiment: every model fitted once per seed over Web
 * Workers (lib/train/fit_pool.ts), validated after every epoch, and the fits
 * gathered into curves, fit times and the first seed's weights.
 *
 * @module
 */

import { mse } from "../../lib/metrics.ts";
import type { FactorModel } from "../../lib/models/factor_model.ts";
import type { MlpModel } from "../../lib/models/mlp/mlp.ts";
import type { FitJob } from "../../lib/train/fit_job.ts";
import { runFits } from "../../lib/train/fit_pool.ts";
import { type KerasFlags, type ModelConfigs, MODELS } from "./document.ts";
import {
  type Curve,
  curveOf,
  firstEpochs,
  type PerModel,
  perModel,
} from "./metrics.ts";

/** Rating triples of a split (length N each; ratings in stars). */
export interface Triples {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/** What the fits of every model and seed give the later steps. */
export interface KerasFits {
  /** Per model, one curve per seed over the document's epochs. */
  readonly curves: PerModel<Curve[]>;
  /** Per model, seconds of training over the document's epochs, per seed. */
  readonly fitSeconds: PerModel<number[]>;
  /** ExplicitMF continued past the document's epochs (the explanation of its printout). */
  readonly mfLong: Curve[];
  /** The first seed's weights after the document's last epoch, per model. */
  readonly firstModels: Partial<PerModel<FactorModel | MlpModel>>;
  /** Test-set predictions after the document's last epoch, per model and seed. */
  readonly finalPredictions: PerModel<Float32Array[]>;
}

/**
 * Fits each model once per seed, validating on `test` after every epoch; one
 * job per seed and model over Web Workers (ExplicitMF runs extra epochs).
 */
export async function fitModels(
  flags: KerasFlags,
  models: ModelConfigs,
  seeds: readonly number[],
  data: { train: Triples; test: Triples; nUsers: number; nItems: number },
): Promise<KerasFits> {
  const { train, test, nUsers, nItems } = data;
  const E = flags.epochs;
  const runs = seeds.flatMap((seed) => MODELS.map((name) => ({ seed, name })));
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
  const out: KerasFits = {
    curves: perModel((): Curve[] => []),
    fitSeconds: perModel((): number[] => []),
    mfLong: [],
    firstModels: {},
    finalPredictions: perModel((): Float32Array[] => []),
  };
  runs.forEach(({ seed, name }, k) => {
    out.finalPredictions[name].push(fits[k].epochs[E - 1].predictions);
    const curve = curveOf(fits[k].epochs, test.ratings);
    const secs = fits[k].epochs.slice(0, E).map((e) => e.seconds);
    out.fitSeconds[name].push(secs.reduce((t, s) => t + s, 0));
    if (name === "mf") out.mfLong.push(curve);
    out.curves[name].push(name === "mf" ? firstEpochs(curve, E) : curve);
    if (seed === seeds[0]) out.firstModels[name] = fits[k].model;
  });
  return out;
}
