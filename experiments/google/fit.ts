/**
 * The fits of `exp:google` and the MSE figures read off them: the
 * document's Adam configuration over several seeds, the exercise's
 * regularised model over its own seeds and the same model without gravity
 * (first seed only). Tested in fit_test.ts.
 *
 * @module
 */

import {
  fitSparseMf,
  type SparseMfConfig,
  type SparseMfFit,
  sparseMse,
} from "../../lib/models/sparse_mf/sparse_mf.ts";
import { Progress } from "../../lib/progress.ts";
import { TorchGenerator } from "../../lib/torch_rng.ts";
import { type MetricValue, summarize } from "../../lib/report/results.ts";
import type { Csr } from "../../lib/sparse.ts";
import { meanOf, meanPrediction } from "./analysis.ts";

/** The three fitted configurations of a run. */
export interface GoogleFits {
  /** Configuration 1 (the document's Adam), one fit per model seed. */
  readonly adam: SparseMfFit[];
  /** Configuration 2 (λ and γ, gradient descent), one fit per `--reg-repeats` seed. */
  readonly reg: SparseMfFit[];
  /** Configuration 2 with γ = 0, first seed only. */
  readonly l2: SparseMfFit;
}

/** Initial factor tables of one fit (row-major, float32). */
export type InitialFactors = NonNullable<SparseMfConfig["initialFactors"]>;

/**
 * The initial embeddings torch draws for `torch.manual_seed(seed)` followed
 * by `nn.Embedding(nUsers, dim)` and `nn.Embedding(nItems, dim)` with
 * `normal_(0, std)` (std 1: nn.Embedding's own init), bit for bit
 * (lib/torch_rng.ts): user table (nUsers × dim) first, then the items'.
 */
export function torchInitialFactors(
  seed: number,
  nUsers: number,
  nItems: number,
  dim: number,
  std: number,
): InitialFactors {
  const g = new TorchGenerator(seed);
  const user = g.normal_(new Float32Array(nUsers * dim), 0, std);
  const item = g.normal_(new Float32Array(nItems * dim), 0, std);
  return { user, item };
}

/**
 * One full-batch fit of `config` per seed of `runSeeds` on `train`, with
 * `val` scored after each step; with `printTable`, the first seed prints
 * the document's table lines every 100 epochs. Fit seconds are pushed to
 * `seconds`. `initial(seed)`, when given, supplies the starting tables
 * (e.g. {@link torchInitialFactors}) instead of the config's seeded draw.
 */
export function fitSeeds(
  train: Csr,
  val: Csr,
  config: Omit<SparseMfConfig, "seed">,
  runSeeds: readonly number[],
  { label, printTable = false, seconds, initial }: {
    label: string;
    printTable?: boolean;
    seconds?: number[];
    initial?: (seed: number) => InitialFactors;
  },
): SparseMfFit[] {
  return runSeeds.map((seed) => {
    const progress = new Progress({
      label: `${label}, seed ${seed}`,
      total: config.epochs,
      unit: "epochs",
    });
    const t0 = performance.now();
    const cfg: SparseMfConfig = initial === undefined
      ? { ...config, seed }
      : { ...config, seed, initialFactors: initial(seed) };
    const fit = fitSparseMf(train, val, cfg, (e, tr, va) => {
      if (printTable && seed === runSeeds[0] && (e + 1) % 100 === 0) {
        console.log(
          `Epoch ${e + 1}: train loss ${tr.toFixed(4)}, validation loss ${
            va.toFixed(4)
          }`,
        );
      }
      progress.update(e + 1, `train ${tr.toFixed(3)}, val ${va.toFixed(3)}`);
    });
    seconds?.push((performance.now() - t0) / 1000);
    progress.finish();
    return fit;
  });
}

/**
 * Configuration 2 (the exercise's regularised model) once per seed of
 * `regSeeds`, fit seconds pushed to `seconds`, and `l2Only` (γ = 0) on the
 * first seed only.
 */
export function fitRegularised(
  train: Csr,
  val: Csr,
  configs: {
    readonly reg: Omit<SparseMfConfig, "seed">;
    readonly l2Only: Omit<SparseMfConfig, "seed">;
  },
  regSeeds: readonly number[],
  seconds: number[],
): Pick<GoogleFits, "reg" | "l2"> {
  return {
    reg: fitSeeds(train, val, configs.reg, regSeeds, {
      label: "regularised",
      seconds,
    }),
    l2: fitSeeds(train, val, configs.l2Only, [regSeeds[0]], {
      label: "L2 only",
    })[0],
  };
}

/**
 * The MSE metrics of `fits` (MSE in squared stars): configuration 1's train
 * and validation MSE at each of `checkpoints` and at its last epoch, its
 * first train MSE and its train MSE after the last step; configuration 2's
 * train and validation MSE, objective and mean validation prediction at its
 * last iteration; the γ = 0 run's MSEs and best validation MSE; and the
 * mean validation rating. Summaries are over seeds.
 */
export function mseMetrics(
  fits: GoogleFits,
  train: Csr,
  val: Csr,
  checkpoints: readonly number[],
): Record<string, MetricValue> {
  const at = (f: SparseMfFit, key: "trainMse" | "valMse", epoch: number) =>
    f.curves[key][epoch - 1];
  const over = (list: SparseMfFit[], f: (x: SparseMfFit) => number) =>
    summarize(list.map(f));
  const last = fits.adam[0].curves.trainMse.length;
  const regLast = fits.reg[0].curves.valMse.length;
  const m: Record<string, MetricValue> = {};
  for (const e of checkpoints) {
    m[`train_mse_epoch_${e}`] = over(fits.adam, (f) => at(f, "trainMse", e));
    m[`val_mse_epoch_${e}`] = over(fits.adam, (f) => at(f, "valMse", e));
  }
  m.train_mse = over(fits.adam, (f) => at(f, "trainMse", last));
  m.val_mse = over(fits.adam, (f) => at(f, "valMse", last));
  m.initial_train_mse = over(fits.adam, (f) => f.curves.trainMse[0]);
  m.train_mse_after_last_step = over(
    fits.adam,
    (f) => sparseMse(train, f.model),
  );
  m.reg_train_mse = over(fits.reg, (f) => sparseMse(train, f.model));
  m.reg_val_mse = over(fits.reg, (f) => at(f, "valMse", regLast));
  m.reg_objective = over(fits.reg, (f) => f.curves.objective[regLast - 1]);
  m.reg_val_mean_prediction = over(
    fits.reg,
    (f) => meanPrediction(val, f.model),
  );
  m.l2_only_train_mse = sparseMse(train, fits.l2.model);
  m.l2_only_val_mse = at(fits.l2, "valMse", regLast);
  m.l2_only_best_val_mse = Math.min(...fits.l2.curves.valMse);
  m.val_mean_rating = meanOf(val.data);
  return m;
}
