/**
 * The blog's numpy/scipy rows: user, movie and averaged mean baselines,
 * cosine CF (leaky, as published, and corrected: from training data) and
 * the truncated SVD.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { rmse } from "../../lib/metrics.ts";
import { baselinePredict, ratingMeans } from "../../lib/models/baselines.ts";
import { cosineCfPredict } from "../../lib/models/cosine_cf.ts";
import type { MetricValue } from "../../lib/report/results.ts";
import { fillColdMovies, svdPredict } from "./models.ts";

/**
 * Fits the numpy/scipy rows on `train` (sizes those of `data`) and scores
 * `test`: their metrics (test RMSEs, cold-movie count, SVD steps and
 * singular values) and the SVD's test predictions (length = test ratings).
 * `clock` marks the phases "baselines", "cosine" and "svd".
 */
export function numpyRows(
  splits: { data: Interactions; train: Interactions; test: Interactions },
  svdK: number,
  clock: (phase: string) => void,
): { metrics: Record<string, MetricValue>; svdPred: Float64Array } {
  const { train, test } = splits;
  const { nUsers, nItems } = splits.data;
  const truth = test.ratings;
  const means = ratingMeans(train, nUsers, nItems);
  const baseline = (kind: "user" | "item" | "average") =>
    rmse(baselinePredict(kind, means, test.users, test.items), truth);
  const metrics: Record<string, MetricValue> = {
    rmse_user_mean: baseline("user"),
    rmse_movie_mean: baseline("item"),
    rmse_averaged_mean: baseline("average"),
  };
  clock("baselines");
  const cosine = (kind: "user" | "item", from: Interactions) =>
    cosineCfPredict({
      kind,
      similarityFrom: train,
      ratingsFrom: from,
      nUsers,
      nItems,
      users: test.users,
      items: test.items,
    });
  metrics.rmse_user_cosine_leaky = rmse(cosine("user", test), truth);
  metrics.rmse_item_cosine_leaky = rmse(cosine("item", test), truth);
  metrics.rmse_user_cosine_train = rmse(cosine("user", train), truth);
  // From training data, a movie without train ratings has no mean (NaN in
  // the blog's arithmetic): it falls back to the user's train mean.
  const itemTrain = cosine("item", train);
  metrics.test_ratings_of_cold_movies = fillColdMovies(
    itemTrain,
    means.userMean,
    test.users,
  );
  metrics.rmse_item_cosine_train = rmse(itemTrain, truth);
  clock("cosine");

  const svd = svdPredict(train, means.userMean, test, svdK);
  metrics.rmse_svd = rmse(svd.pred, truth);
  metrics.svd_lanczos_steps = svd.steps;
  metrics.svd_top_singular_value = svd.s[0];
  metrics.svd_last_singular_value = svd.s[svd.s.length - 1];
  clock("svd");
  return { metrics, svdPred: svd.pred };
}
