/**
 * The fastai-blog experiment end to end: the deterministic rows against a
 * reference run of the blog's own numpy/scipy code, the default configuration
 * against the pinned `reports/fastai.json`, and bad flags rejected. The
 * pinned check trains every Keras row for 5 seeds and both learning-rate
 * readings (about 2–4 minutes on 2 shared cores); the deterministic-row check
 * takes about a second.
 */

import assert from "node:assert/strict";
import { badFlagTests, type BadInput } from "../_bad_flags.ts";
import { join } from "node:path";
import type { MetricSummary } from "../../lib/report/results.ts";
import { checkPinned } from "../_pinned_check.ts";
import { loadMovieLens } from "../../lib/data/load.ts";
import { movieLensTestDir } from "../../lib/data/test_data_dir.ts";
import { rmse } from "../../lib/metrics.ts";
import { baselinePredict, ratingMeans } from "../../lib/models/baselines.ts";
import { cosineCfPredict } from "../../lib/models/cosine_cf.ts";
import { RandomState } from "../../lib/rng.ts";
import { maskSplit, takeRows } from "../../lib/split.ts";
import { main } from "./main.ts";

/**
 * numpy 2.4 / scipy 1.17 running the blog's code on ml-latest-small-2016
 * (sklearn's cosine_distances written out in numpy, same formula): the
 * published rows to full precision, and the corrected cosine rows
 * (`predict(train_rt_mx, sim)`; movies without train ratings: NaN, replaced
 * by the user's train mean, 739 test ratings).
 */
const NUMPY = {
  rmse_user_mean: 0.965366436780804,
  rmse_movie_mean: 0.9990525998775559,
  rmse_averaged_mean: 0.9298863430758857,
  rmse_user_cosine_leaky: 0.9205262340826956,
  rmse_item_cosine_leaky: 0.815992426670977,
  rmse_user_cosine_train: 0.9489164332085375,
  rmse_item_cosine_train: 0.9784563366953801,
  rmse_svd: 0.9455492941434291,
  cold: 739,
  train: 79831,
  test: 20173,
};

const dataDir = movieLensTestDir();

Deno.test({
  name:
    "real data: baselines and cosine CF on ml-latest-small-2016 equal numpy's run of the blog's code to 1e-12",
  ignore: dataDir === null,
  async fn() {
    const { data } = await loadMovieLens("ml-latest-small-2016", {
      dataDir: dataDir!,
    });
    const split = maskSplit(data.users.length, 0.8, new RandomState(7));
    assert.equal(split.train.length, NUMPY.train);
    assert.equal(split.test.length, NUMPY.test);
    const train = takeRows(data, split.train);
    const test = takeRows(data, split.test);
    const means = ratingMeans(train, data.nUsers, data.nItems);
    const close = (got: number, want: number, what: string) =>
      assert.ok(Math.abs(got - want) <= 1e-12, `${what}: ${got} vs ${want}`);
    close(
      rmse(
        baselinePredict("user", means, test.users, test.items),
        test.ratings,
      ),
      NUMPY.rmse_user_mean,
      "user mean",
    );
    close(
      rmse(
        baselinePredict("item", means, test.users, test.items),
        test.ratings,
      ),
      NUMPY.rmse_movie_mean,
      "movie mean",
    );
    close(
      rmse(
        baselinePredict("average", means, test.users, test.items),
        test.ratings,
      ),
      NUMPY.rmse_averaged_mean,
      "averaged",
    );
    const predict = (kind: "user" | "item", from: typeof train) =>
      cosineCfPredict({
        kind,
        similarityFrom: train,
        ratingsFrom: from,
        nUsers: data.nUsers,
        nItems: data.nItems,
        users: test.users,
        items: test.items,
      });
    close(
      rmse(predict("user", test), test.ratings),
      NUMPY.rmse_user_cosine_leaky,
      "user leaky",
    );
    close(
      rmse(predict("item", test), test.ratings),
      NUMPY.rmse_item_cosine_leaky,
      "item leaky",
    );
    close(
      rmse(predict("user", train), test.ratings),
      NUMPY.rmse_user_cosine_train,
      "user train",
    );
    const item = predict("item", train);
    let cold = 0;
    item.forEach((p, j) => {
      if (Number.isNaN(p)) {
        item[j] = means.userMean[test.users[j]];
        cold++;
      }
    });
    assert.equal(cold, NUMPY.cold);
    close(rmse(item, test.ratings), NUMPY.rmse_item_cosine_train, "item train");
  },
});

Deno.test({
  name:
    "real data: exp:fastai default configuration reproduces the pinned reports/fastai.json",
  ignore: dataDir === null,
  fn: () =>
    checkPinned({
      experiment: "fastai",
      main,
      dataDir: dataDir!,
      perSeed: [
        "rmse_dot",
        "rmse_dot_lr_applied",
        "rmse_dot_bias",
        "rmse_dot_bias_lr_applied",
        "rmse_nn",
      ],
      sameDataset: true,
      async extra(fresh, out) {
        // The document's findings, held independently of the pinned file.
        const m = fresh.metrics;
        assert.deepEqual([m.users, m.movies, m.ratings], [671, 9066, 100004]);
        for (
          const key of [
            "rmse_user_mean",
            "rmse_movie_mean",
            "rmse_averaged_mean",
            "rmse_user_cosine_leaky",
            "rmse_item_cosine_leaky",
            "rmse_svd",
          ] as const
        ) {
          const got = m[key] as number;
          assert.ok(
            Math.abs(got - NUMPY[key]) <= 1e-12,
            `${key}: ${got} vs numpy ${NUMPY[key]}`,
          );
        }
        for (const key of ["rmse_dot", "rmse_dot_bias", "rmse_nn"]) {
          const c = fresh.comparisons.find((c) => c.metric === key)!;
          assert.ok(
            Math.abs(c.difference!) <= 0.01,
            `${key}: ${c.reproduced} vs published ${c.published}`,
          );
        }
        const dot = m.rmse_dot as MetricSummary;
        const applied = m.rmse_dot_lr_applied as MetricSummary;
        assert.ok(
          Math.abs(applied.mean - 1.21001928331) >
            Math.abs(dot.mean - 1.21001928331),
          "the lr-ignored reading is the closer one for the dot product",
        );
        const html = await Deno.readTextFile(join(out, "fastai.html"));
        assert.match(html, /The cosine-similarity leak/);
      },
    }),
});

const badInputs: BadInput[] = [
  {
    name: "--svd-k 0",
    args: ["--svd-k", "0"],
    message: /--svd-k must be an integer in \[1, 10000\], got 0/,
  },
  {
    name: "--svd-k at min(users, movies)",
    args: ["--svd-k", "671", "--dataset", "ml-latest-small-2016"],
    message: /--svd-k 671 must be below min\(users, movies\) = 671/,
    needsData: true,
  },
  {
    name: "--train-fraction 1",
    args: ["--train-fraction", "1"],
    message: /--train-fraction must be below 1/,
  },
  {
    name: "an unknown --readings value",
    args: ["--readings", "maybe"],
    message: /--readings.*both.*ignored.*applied/s,
  },
  {
    name: "--threads 0",
    args: ["--threads", "0"],
    message: /--threads must be an integer in \[1, 256\], got 0/,
  },
  {
    name: "a dataset the document did not use",
    args: ["--dataset", "ml-100k"],
    message: /--dataset.*ml-latest-small-2016/s,
  },
  {
    name: "a misspelt flag",
    args: ["--repeat", "3"],
    message: /--repeat.*--repeats/s,
  },
];

badFlagTests("exp:fastai", "fastai/main.ts", badInputs, dataDir);
