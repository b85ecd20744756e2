/**
 * The document `exp:als` reproduces — an implicit-feedback ALS recommender
 * built with the `implicit` library on ml-latest-small — with what it
 * printed, and the flags of the run: the document's configuration is every
 * flag's default (`--ratings`, `--movies`, `--title` and `--user` absent).
 *
 * @module
 */

import { basename } from "node:path";
import { CliError, defineFlags, type Flags } from "../../lib/cli.ts";
import type { AlsConfig } from "../../lib/models/als/als.ts";
import { BPR_DEFAULTS, type BprConfig } from "../../lib/models/bpr/bpr.ts";
import type { JsonObject } from "../../lib/report/results.ts";
import {
  datasetFlag,
  enumFlag,
  floatFlag,
  intFlag,
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
} from "../../lib/run/common_flags.ts";
import type { ExperimentDocument } from "../../lib/run/experiment.ts";
import { MAX_QUERY_CHARS } from "../../lib/title_search.ts";

/** The release the document used. */
export const DOCUMENT_DATASET = "ml-latest-small";
/** The document's title query. */
export const DOCUMENT_QUERY = "forrest gump";
/** The raw user id whose recommendations the document asked for. */
export const DOCUMENT_USER = 95;

/** What the document printed, typed for the rules and tables. */
export const PUBLISHED = {
  users: 610,
  items: 9724,
  ratings: 100836,
  user_ratings: 168,
  title_match: "Forrest Gump (1994)",
  title_index: 314,
  /** `model.similar_items(314)` as printed: ids (the query first), then scores. */
  similarIds: [314, 187, 167, 26, 284, 28, 308, 35, 553, 516],
  similarScores: [
    1,
    0.5931347,
    0.49845117,
    0.48768184,
    0.4794307,
    0.45930648,
    0.44614336,
    0.42688155,
    0.4246078,
    0.4230297,
  ],
} as const;

/** Where the document is published. */
export const DOCUMENT_URL =
  "https://github.com/topspinj/recommender-tutorial/blob/master/part-3-implicit-feedback-recommender.ipynb";

/**
 * The document and what it printed, by metric key. The project's copy is an
 * edited re-run of Jill Cates' notebook on a newer implicit, whose
 * `recommend` call fails (notes.md).
 */
export const DOCUMENT: ExperimentDocument = {
  title: "Part 3: Building a Recommender System with Implicit Feedback",
  authors: ["Jill Cates"],
  year: 2020,
  url: DOCUMENT_URL,
  published: {
    users: PUBLISHED.users,
    items: PUBLISHED.items,
    ratings: PUBLISHED.ratings,
    user_ratings: PUBLISHED.user_ratings,
    title_match_movie_id: PUBLISHED.title_match,
    title_index: PUBLISHED.title_index,
    document_call_neighbour_overlap: PUBLISHED.similarIds.length - 1,
    document_call_second_score: PUBLISHED.similarScores[1],
  },
};

/**
 * The reference re-run (issue 12): implicit 0.7.3 itself on the document's
 * data and the holdout's split, with its own model seeds. Published as
 * summaries: mean ± sample std where the re-run gave them, else the mean
 * alone (or random_state 0's run).
 */
export const REFERENCE = {
  source:
    "implicit 0.7.3 (CPU), ml-latest-small, train_test_split(ratings, 0.8, random_state=42), " +
    "AlternatingLeastSquares(factors=50, regularization=0.01, iterations=15), 20 model seeds " +
    "(random_state 0 to 19); re-run for issue 12",
  /** Model seeds of the re-run. */
  n: 20,
  /** train_test_split's random_state. */
  splitSeed: 42,
  /** precision@10 over the 20 seeds: mean ± sample std. */
  precision: { mean: 0.3106, std: 0.0034 },
  /** Means over the 20 seeds, no spread given. */
  means: { map: 0.1883, ndcg: 0.3119, auc: 0.5836 },
  /** random_state 0 alone, printed to 3 decimals. */
  seed0: { precision: "0.311", map: "0.189", ndcg: "0.311", auc: "0.583" },
  /** implicit's popularity baseline on the same split (deterministic), 3 decimals. */
  popularity: { precision: "0.186", map: "0.106" },
} as const;

/** Why no run can repeat the document's factors, for notes and prose. */
export const UNSEEDED_CAUSE =
  "the document called AlternatingLeastSquares(factors=50) without random_state, so its starting " +
  "factors were an unseeded random draw no one can repeat, and implicit's float32 BLAS sums in " +
  "another order than our float32 kernels; ALS is not convex, so different starts end in different factors";

/** The flags; defaults are the document's configuration. */
export const FLAGS = defineFlags({
  dataset: datasetFlag(
    [
      "ml-latest-small",
      "ml-latest-small-2016",
      "ml-100k",
      "ml-1m",
      "ml-10m",
      "ml-20m",
      "ml-25m",
      "ml-32m",
    ],
    "ml-latest-small",
    "ml-latest-small, 2018; not with --ratings",
  ),
  ratings: {
    type: "string",
    optional: true,
    help:
      "your own ratings CSV instead of a MovieLens release: user,item,rating[,timestamp] per line, " +
      "integer ids, optional header",
  },
  movies: {
    type: "string",
    optional: true,
    help:
      "titles and genres for --ratings, in MovieLens movies.csv format (movieId,title,genres); " +
      "without it the title lookup and similar-movie list are skipped",
  },
  factors: intFlag(50, 1, 1024, "latent factors"),
  // Above 1e6 every factor is ~0 (all scores equal); near 1e200 they underflow to NaN.
  regularization: floatFlag(0.01, { min: 0, max: 1e6 }, "L2 weight λ"),
  iterations: intFlag(15, 1, 1000, "ALS sweeps"),
  alpha: floatFlag(
    1,
    { min: 0, exclusiveMin: true },
    "confidence = alpha × rating",
  ),
  // No upper bound, as before the conversion (intFlag would need one).
  "cg-steps": {
    type: "int",
    default: 3,
    min: 1,
    help: "conjugate-gradient steps per row (implicit: 3)",
  },
  solver: enumFlag(["cg", "cholesky"], "cg", "least-squares solver"),
  seed: seedFlag(
    0,
    "ALS random_state: implicit 0.7's default_rng start; the holdout's model seeds are seed, seed+1, ...",
  ),
  repeats: repeatsFlag(20, "holdout fits, one per model seed"),
  "split-seed": seedFlag(
    42,
    "train_test_split random_state of the holdout (default_rng, as implicit 0.7)",
  ),
  "train-fraction": floatFlag(
    0.8,
    { min: 0, max: 0.99, exclusiveMin: true },
    "holdout train share",
  ),
  k: intFlag(10, 1, 1000, "list length for the ranking metrics and the tables"),
  // BPR beside ALS in the holdout, at implicit 0.7's BayesianPersonalizedRanking defaults.
  "bpr-factors": intFlag(
    BPR_DEFAULTS.factors,
    1,
    1024,
    "BPR latent factors in the holdout (an item bias column is added)",
  ),
  "bpr-iterations": intFlag(
    BPR_DEFAULTS.iterations,
    0,
    10000,
    "BPR epochs (nnz samples each) in the holdout; 0 leaves BPR out (at ML-25M size the default is 2·10⁹ sequential updates per seed)",
  ),
  "bpr-learning-rate": floatFlag(
    BPR_DEFAULTS.learningRate,
    { min: 0, max: 10, exclusiveMin: true },
    "BPR SGD step size",
  ),
  "bpr-regularization": floatFlag(
    BPR_DEFAULTS.regularization,
    { min: 0, max: 1e6 },
    "BPR L2 weight",
  ),
  title: {
    type: "string",
    optional: true,
    help:
      `movie whose neighbours are listed (fuzzy; default "${DOCUMENT_QUERY}"; with --ratings needs --movies)`,
    maxLength: MAX_QUERY_CHARS,
  },
  user: {
    type: "int",
    optional: true,
    help:
      `raw user id whose recommendations are listed (default ${DOCUMENT_USER}; with --ratings, the smallest user id)`,
  },
  // Not threadsFlag(): its default is the machine's cores, and the pinned
  // configuration records threads = 2.
  threads: intFlag(2, 1, 64, "ALS threads (results do not depend on it)"),
  ...OUTPUT_FLAGS,
});

/** The `--help` paragraph. */
export const DESCRIPTION =
  `Reproduces "${DOCUMENT.title}" (Jill Cates, 2020): implicit-feedback ALS on MovieLens (or your own ratings CSV), ` +
  "similar movies, recommendations for one user, and a holdout evaluation.";

/** The ALS settings of `flags` (the fits below add seed, loss and worker team). */
export function alsConfigOf(flags: Flags<typeof FLAGS>): AlsConfig {
  return {
    factors: flags.factors,
    regularization: flags.regularization,
    iterations: flags.iterations,
    alpha: flags.alpha,
    solver: flags.solver,
    cgSteps: flags["cg-steps"],
    seed: flags.seed,
    computeLoss: true,
    threads: flags.threads,
  };
}

/** BPR's settings of `flags` (the holdout adds each run's seed), or undefined with `--bpr-iterations 0`. */
export function bprConfigOf(
  flags: Flags<typeof FLAGS>,
): Omit<BprConfig, "seed"> | undefined {
  if (flags["bpr-iterations"] === 0) return undefined;
  return {
    ...BPR_DEFAULTS,
    factors: flags["bpr-factors"],
    iterations: flags["bpr-iterations"],
    learningRate: flags["bpr-learning-rate"],
    regularization: flags["bpr-regularization"],
  };
}

/**
 * The holdout's BPR settings of `flags` as a spread for its settings: the
 * fits spread over as many workers as ALS has threads; `{}` without BPR.
 */
export function bprSettings(
  flags: Flags<typeof FLAGS>,
  als: AlsConfig,
): { bpr?: { config: Omit<BprConfig, "seed">; threads: number } } {
  const config = bprConfigOf(flags);
  return config === undefined
    ? {}
    : { bpr: { config, threads: als.threads ?? 1 } };
}

/** What the configuration record needs besides the flags. */
export interface ConfigFacts {
  readonly seeds: readonly number[];
  /** The title query, or null when the data has no titles. */
  readonly title: string | null;
  /** The raw user id shown. */
  readonly user: number;
}

/** The results' configuration record of a run with `flags` and ALS settings `als`. */
export function configOf(
  flags: Flags<typeof FLAGS>,
  als: AlsConfig,
  facts: ConfigFacts,
): JsonObject {
  return {
    factors: als.factors,
    regularization: als.regularization,
    iterations: als.iterations,
    alpha: als.alpha,
    solver: als.solver,
    cg_steps: als.cgSteps,
    threads: als.threads ?? 1,
    ...(flags.ratings === undefined ? { dataset: flags.dataset } : {
      ratings: basename(flags.ratings),
      movies: flags.movies === undefined ? null : basename(flags.movies),
    }),
    seeds: [...facts.seeds],
    train_fraction: flags["train-fraction"],
    split:
      "implicit 0.7 evaluation.train_test_split: default_rng(split_seed).random(nnz), one draw per " +
      "stored user–item pair in row-major order, draw < train_fraction → train",
    split_seed: flags["split-seed"],
    init:
      "implicit 0.7: default_rng(seed).random((users, factors), float32) * 0.01, then items from the same generator",
    k: flags.k,
    bpr: bprRecord(flags),
    title: facts.title,
    user: facts.user,
  };
}

/** The configuration record's BPR part: its settings, or null when left out. */
function bprRecord(flags: Flags<typeof FLAGS>): JsonObject | null {
  const c = bprConfigOf(flags);
  return c === undefined ? null : {
    model:
      "implicit 0.7 BayesianPersonalizedRanking (CPU): factors + 1 columns (item bias), negatives drawn by popularity, " +
      "verified; here a seeded sequential SGD (implicit: unsynchronised threads)",
    factors: c.factors,
    learning_rate: c.learningRate,
    regularization: c.regularization,
    iterations: c.iterations,
    verify_negative_samples: c.verifyNegativeSamples,
  };
}

/**
 * Most factors `--solver cholesky` accepts: its cost per sweep is
 * (users + items) × factors³ / 3, about 6·10¹⁰ operations at 256 factors on
 * ml-latest-small (a minute per sweep), 64 times that at 1024.
 */
export const MAX_CHOLESKY_FACTORS = 256;

/**
 * Refuses data flags that do not go together (exit 2, before any work):
 * `--dataset` or `--data-dir` with `--ratings`, `--movies` without
 * `--ratings`, `--title` without titles. `args` are the flags as given
 * (`--dataset` has a default, so only they tell whether it was given).
 *
 * @throws {CliError} naming the flags.
 */
export function checkDataFlags(
  flags: Flags<typeof FLAGS>,
  args: readonly string[],
): void {
  const ownData = flags.ratings !== undefined;
  if (flags.solver === "cholesky" && flags.factors > MAX_CHOLESKY_FACTORS) {
    throw new CliError(
      `--factors ${flags.factors} with --solver cholesky: at most ${MAX_CHOLESKY_FACTORS} factors ` +
        "(a Cholesky solve costs factors³/3 per user and item each sweep: hours at 1024 on ml-latest-small); " +
        "use --solver cg, whose cost grows with factors², or fewer factors",
    );
  }
  if (!ownData && flags.movies !== undefined) {
    throw new CliError(
      "--movies gives the titles of a --ratings file; pass --ratings too",
    );
  }
  if (ownData && given(args, "dataset")) {
    throw new CliError(
      "--dataset and --ratings exclude each other: --dataset names a MovieLens release, " +
        "--ratings gives your own data instead; drop one of them",
    );
  }
  if (ownData && flags["data-dir"] !== undefined) {
    throw new CliError(
      "--data-dir is where MovieLens releases are looked for; drop it when --ratings gives the data",
    );
  }
  if (ownData && flags.movies === undefined && flags.title !== undefined) {
    throw new CliError(
      `--title needs --movies: ${flags.ratings} has no titles to search`,
    );
  }
}

/** Whether `--name` was given in `args` (`--name value` or `--name=value`). */
function given(args: readonly string[], name: string): boolean {
  return args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
}
