/**
 * Cost centres of exp:fastai's deterministic rows on the 2016
 * ml-latest-small (671 × 9066, 79,831 train ratings, seed-7 split): the
 * k = 50 Lanczos SVD of the user-centred matrix, user- and item-based cosine
 * CF for the 20,173 test pairs, and the three mean baselines. Reads the
 * release from $MOVIELENS_DIR or data/; skipped, saying so, without it.
 */

import { loadMovieLens } from "./data/load.ts";
import { benchDataDir } from "./data/test_data_dir.ts";
import { baselinePredict, ratingMeans } from "./models/baselines.ts";
import { cosineCfPredict } from "./models/cosine_cf.ts";
import { RandomState } from "./rng.ts";
import { maskSplit, takeRows } from "./split.ts";
import { truncatedSvd, userCentredOperator } from "./svd.ts";

const dir = await benchDataDir("ml-latest-small-2016", "svd_bench");
if (dir !== null) {
  const { data } = await loadMovieLens("ml-latest-small-2016", {
    dataDir: dir,
    envDir: null,
    download: false,
  });
  const split = maskSplit(data.users.length, 0.8, new RandomState(7));
  const train = takeRows(data, split.train), test = takeRows(data, split.test);
  const { nUsers, nItems } = data;
  const means = ratingMeans(train, nUsers, nItems);
  const op = userCentredOperator(train, means.userMean);

  Deno.bench("truncatedSvd k=50, 671 × 9066 centred train matrix", () => {
    truncatedSvd(op, 50);
  });
  for (const kind of ["user", "item"] as const) {
    for (const from of ["test", "train"] as const) {
      Deno.bench(
        `cosineCfPredict ${kind}-based, ratings from ${from}, 20,173 pairs`,
        () => {
          cosineCfPredict({
            kind,
            similarityFrom: train,
            ratingsFrom: from === "test" ? test : train,
            nUsers,
            nItems,
            users: test.users,
            items: test.items,
          });
        },
      );
    }
  }
  Deno.bench("ratingMeans + three baselines, 20,173 pairs", () => {
    const m = ratingMeans(train, nUsers, nItems);
    for (const k of ["user", "item", "average"] as const) {
      baselinePredict(k, m, test.users, test.items);
    }
  });
}
