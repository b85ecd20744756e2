/**
 * deno task exp:google        (flags: deno task exp:google --help)
 *
 * Reproduces a PyTorch port of Google's "Recommendation Systems" exercise:
 * ML-100K (u.data with u.user and u.item), ids shifted to start at 0,
 * `train_test_split(ratings, random_state=300)` (25 % validation), the
 * training ratings as a coalesced sparse COO matrix (943 × 1682), two
 * `nn.Embedding` tables (N(0, 1) init, dim 30), full-batch training for
 * 1,000 epochs with Adam (lr 1e-3) on the MSE over observed entries.
 * Published: train MSE 3.297, validation MSE 8.943 at epoch 1000 (the table
 * every 100 epochs is in the file).
 *
 * What the document does, read from its code:
 * - `train_test_split` on the ratings DataFrame (rows in u.data file order):
 *   `RandomState(300).permutation(100000)`, the first ceil(0.25 n) = 25,000
 *   indices are validation, the rest train.
 * - Each epoch: predictions for every training entry, `MSELoss` (mean), one
 *   Adam step; then the validation MSE with the stepped weights. The printed
 *   "Train loss" is therefore the loss before the epoch's step.
 * - Nothing is seeded: torch drew the initial embeddings. Our seeds are our
 *   own and results are reported over several seeds.
 *
 * Part two is the original Google exercise's regularised model (TensorFlow):
 * objective = MSE on observed entries + λ·(‖U‖²/N + ‖V‖²/M) + γ·Σ(UᵀU ∘ VᵀV)/(N·M)
 * with λ = 0.1, γ = 1, dim 35, init stddev 0.05, plain gradient descent with
 * lr 20 for 2,000 iterations, on the same split. Then what the exercise shows
 * with it: nearest neighbours of a movie by dot product and by cosine, a 2-D
 * projection of the movie embeddings by genre, and embedding norm against
 * popularity. Its embeddings are exported to ONNX and score the validation set.
 *
 * @module
 */

import { seedRange } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import { datasetRecord, medianSeconds } from "../../lib/report/provenance.ts";
import type { MetricValue } from "../../lib/report/results.ts";
import {
  defineExperiment,
  type RunContext,
  type RunOutput,
} from "../../lib/run/experiment.ts";
import { tolerancesOf } from "../registry.ts";
import { embeddingFindings, sampleGenres } from "./analysis.ts";
import {
  compareContext,
  googleComparisons,
  isTorchReference,
  torchSeedwiseMaxDiff,
} from "./compare.ts";
import {
  configFacts,
  loadMovies,
  type Movies,
  type RatingSplit,
  splitMetrics,
  splitRatings,
} from "./data.ts";
import {
  configOf,
  DESCRIPTION,
  DOCUMENT,
  FLAGS,
  modelConfigs,
  PUBLISHED,
  regConfigJson,
} from "./document.ts";
import { exportAndScore } from "./export.ts";
import {
  fitRegularised,
  fitSeeds,
  type GoogleFits,
  mseMetrics,
  torchInitialFactors,
} from "./fit.ts";
import { fmt, googleSections } from "./report.ts";

export const experiment = defineExperiment({
  name: "google",
  task: "exp:google",
  title:
    "Full-batch matrix factorisation over a sparse rating matrix (Google exercise) on ML-100K",
  document: DOCUMENT,
  description: DESCRIPTION,
  flags: FLAGS,
  tolerances: tolerancesOf("google"),
  run,
});

/** Runs the experiment with command-line `args`; returns its results. */
export const main = experiment.main;

/** The parsed flags of a run. */
type GoogleFlags = RunContext<typeof FLAGS>["flags"];

/** The document's notebook, top to bottom: load, split, fit both configurations, evaluate, export, compare. */
async function run(
  { flags, args, seeds, clock, timings }: RunContext<typeof FLAGS>,
): Promise<RunOutput> {
  const regSeeds = seedRange(flags.seed, flags["reg-repeats"], "--reg-repeats");
  const configs = modelConfigs(flags);

  // 1. Load ML-100K: ratings in u.data order, titles and genres from u.item.
  const movies = await loadMovies(flags["data-dir"], flags.movie);
  clock("load");

  // 2. train_test_split(ratings, random_state=300): RandomState(300).permutation,
  //    first ceil(0.25 n) validation. Both as coalesced sparse matrices.
  const split = splitRatings(
    movies.data,
    flags["test-size"],
    flags["split-seed"],
  );
  clock("split");

  // 3. Configuration 1, the document's: Adam, N(0, 1), dim 30, 1,000 epochs;
  //    by default (--init torch) from torch's own initial weights for
  //    torch.manual_seed(seed), so seed s is the document's code run with s.
  const fitSeconds: number[] = [], regSeconds: number[] = [];
  const adam = fitSeeds(split.train, split.val, configs.adam, seeds, {
    label: "adam",
    printTable: true,
    seconds: fitSeconds,
    initial: torchInitOf(flags, movies.data),
  });
  clock("fit_adam");

  // 4. Configuration 2, the exercise's regularised model (and λ alone, γ = 0).
  const fits: GoogleFits = {
    adam,
    ...fitRegularised(split.train, split.val, configs, regSeeds, regSeconds),
  };
  clock("fit_regularised");

  // 5. Evaluate: MSE tables, neighbours, projection, norms.
  const evaluated = evaluate(flags, movies, split, fits);
  const { checkpoints, found, metrics, genres } = evaluated;
  clock("evaluate");

  // 6. Export the regularised model to ONNX; score the validation set with it.
  //    Its training ratings travel with it: `recommend` leaves them out.
  const onnx = await exportAndScore(fits.reg[0].model, split, {
    movies,
    config: { ...regConfigJson(configs.reg), seed: regSeeds[0] },
    splitSeed: flags["split-seed"],
    k: flags.k,
    found,
  });
  metrics.onnx_val_mse = onnx.valMse;
  metrics.onnx_parity_max_abs_diff = onnx.parityMaxAbsDiff;
  clock("export");

  // 7. Published vs reproduced; seed for seed against torch's own runs of
  //    the document's code when our seeds are torch's (the default).
  if (isTorchReference(flags, seeds)) {
    const diff = torchSeedwiseMaxDiff(metrics, checkpoints);
    metrics.torch_seedwise_max_abs_diff = diff;
  }
  const comparisons = googleComparisons(
    compareContext(flags, args, metrics, seeds, checkpoints),
  );
  timings.fit_adam_per_seed_median = medianSeconds(fitSeconds);
  timings.fit_regularised_per_seed_median = medianSeconds(regSeconds);
  return {
    dataset: datasetRecord(movies.source, movies.data, "ml-100k"),
    config: configOf(flags, configFacts(movies)),
    metrics,
    comparisons,
    sections: (results) =>
      googleSections(results, {
        flags,
        regSeeds,
        checkpoints,
        fits,
        fitSeconds,
        queryTitle: movies.query.title,
        found,
        onnxCosineAgrees: onnx.cosineAgrees,
        genres,
        titles: movies.titles,
        popularity: movies.popularity,
      }),
    files: [{ name: "model.onnx", content: onnx.modelBytes }],
    summary: summaryOf(flags.epochs, seeds.length, metrics),
  };
}

/**
 * Step 5: the document's epochs the run reached, configuration 1's and 2's
 * MSE tables there with the split's counts, the query's neighbours, the
 * projection and the norms (`embeddingFindings`), one genre per movie.
 */
function evaluate(
  flags: GoogleFlags,
  movies: Movies,
  split: RatingSplit,
  fits: GoogleFits,
) {
  const checkpoints = PUBLISHED.epochs.filter((e) => e <= flags.epochs);
  const found = embeddingFindings(
    fits.adam[0].model,
    fits.reg[0].model,
    movies.query.id,
    flags.k,
    movies.titles,
    movies.popularity,
  );
  const metrics: Record<string, MetricValue> = {
    ...splitMetrics(movies.data, split),
    ...mseMetrics(fits, split.train, split.val, checkpoints),
    ...found.metrics,
  };
  const genres = sampleGenres(movies.data, flags.seed);
  return { checkpoints, found, metrics, genres };
}

/**
 * With `--init torch`, seed s's initial embeddings are torch's for
 * torch.manual_seed(s) (users × dim, then movies × dim); otherwise
 * undefined (the config's own seeded N(0, init-std) draw).
 */
function torchInitOf(flags: GoogleFlags, data: Interactions) {
  if (flags.init !== "torch") return undefined;
  return (seed: number) =>
    torchInitialFactors(
      seed,
      data.nUsers,
      data.nItems,
      flags.dim,
      flags["init-std"],
    );
}

/** The line printed after the run: final MSEs (squared stars) against the document's. */
function summaryOf(
  epochs: number,
  nSeeds: number,
  metrics: Record<string, MetricValue>,
): string {
  return `Epoch ${epochs}: train MSE ${
    fmt(metrics.train_mse)
  }, validation MSE ${
    fmt(metrics.val_mse)
  } over ${nSeeds} seeds (document: 3.297, 8.943); regularised model validation MSE ${
    fmt(metrics.reg_val_mse)
  }; ONNX validation MSE ${(metrics.onnx_val_mse as number).toFixed(4)}`;
}

if (import.meta.main) await experiment.cli();
