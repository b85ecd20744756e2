/**
 * The data phases of `exp:google`: ML-100K with its movie tables, and the
 * document's `train_test_split` as two coalesced sparse rating matrices.
 * Exercised end to end by main_test.ts.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { type DataSource, loadMovieLens } from "../../lib/data/load.ts";
import { mse } from "../../lib/metrics.ts";
import type { MetricValue } from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import type { Csr } from "../../lib/sparse.ts";
import { sklearnTrainTestSplit } from "../../lib/split.ts";
import { findMovie, meanOf, sparseRatings } from "./analysis.ts";
import type { ConfigFacts } from "./document.ts";

/** ML-100K in u.data order with what the exercise reads off u.item. */
export interface Movies {
  readonly data: Interactions;
  readonly source: DataSource;
  /** Dense indices are the raw ids minus 1 (every user and movie is rated). */
  readonly idsShifted: boolean;
  /** Ratings per movie, length nItems. */
  readonly popularity: Int32Array;
  /** Titles in movie order ("item i" when u.item has none). */
  readonly titles: string[];
  /** The movie `--movie` matched: its index and title. */
  readonly query: ReturnType<typeof findMovie>;
}

/** Loads ML-100K from `dataDir` (or MOVIELENS_DIR) and finds `movie` by title. */
export async function loadMovies(
  dataDir: string | undefined,
  movie: string,
): Promise<Movies> {
  const { data, source } = await loadMovieLens("ml-100k", { dataDir });
  const idsShifted = data.userIds.raw.every((id, j) => id === j + 1) &&
    data.itemIds.raw.every((id, j) => id === j + 1);
  const popularity = new Int32Array(data.nItems);
  for (const i of data.items) popularity[i]++;
  const titles = Array.from(
    { length: data.nItems },
    (_, i) => data.itemInfo.get(data.itemIds.raw[i])?.title ?? `item ${i}`,
  );
  const query = findMovie(movie, titles, popularity);
  return { data, source, idsShifted, popularity, titles, query };
}

/** What the configuration record reads off the loaded data (see `configOf`). */
export function configFacts(movies: Movies): ConfigFacts {
  return {
    idsShifted: movies.idsShifted,
    nUsers: movies.data.nUsers,
    nItems: movies.data.nItems,
    movieTitle: movies.query.title,
  };
}

/** The two sides of the split and the mean-rating baseline. */
export interface RatingSplit {
  /** Training and validation ratings, users × movies. */
  readonly train: Csr;
  readonly val: Csr;
  /** Their numbers of ratings. */
  readonly nTrain: number;
  readonly nVal: number;
  /** Validation MSE of predicting the training mean everywhere (rating units²). */
  readonly baselineValMse: number;
}

/**
 * `train_test_split(ratings, test_size, random_state=seed)`: the first
 * ceil(testSize · n) indices of `RandomState(seed).permutation(n)` are
 * validation, the rest train; both as coalesced sparse matrices.
 */
export function splitRatings(
  data: Interactions,
  testSize: number,
  seed: number,
): RatingSplit {
  const split = sklearnTrainTestSplit(
    data.users.length,
    testSize,
    new RandomState(seed),
  );
  const train = sparseRatings(data, split.train);
  const val = sparseRatings(data, split.test);
  const nTrain = train.indptr[train.nRows];
  const nVal = val.indptr[val.nRows];
  const trainMean = meanOf(train.data);
  const baselineValMse = mse(
    val.data,
    new Float64Array(nVal).fill(trainMean),
  );
  return { train, val, nTrain, nVal, baselineValMse };
}

/** The counts and the mean-rating baseline of `split`, as results metrics. */
export function splitMetrics(
  data: Pick<Interactions, "nUsers" | "nItems">,
  split: RatingSplit,
): Record<string, MetricValue> {
  return {
    users: data.nUsers,
    items: data.nItems,
    train_ratings: split.nTrain,
    val_ratings: split.nVal,
    baseline_val_mse: split.baselineValMse,
  };
}
