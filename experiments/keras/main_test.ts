/**
 * The Keras experiment end to end: recoflow's StratifiedSplit on real
 * ML-100K, the default configuration against the pinned
 * `reports/keras.json`, and bad flags rejected. The pinned check runs the
 * full reproduction once (3 models × 10 seeds; about two minutes of one
 * core, most of it the MLP).
 */

import assert from "node:assert/strict";
import { badFlagTests, type BadInput } from "../_bad_flags.ts";
import { join } from "node:path";
import type { MetricSummary } from "../../lib/report/results.ts";
import { checkPinned } from "../_pinned_check.ts";
import { loadMovieLens } from "../../lib/data/load.ts";
import { movieLensTestDir } from "../../lib/data/test_data_dir.ts";
import { perUserHoldout } from "../../lib/split.ts";
import { main } from "./main.ts";

const dataDir = movieLensTestDir();

Deno.test({
  name:
    "real data: the StratifiedSplit of ML-100K gives 80,000 / 20,000 rows, per user in file order, first round(0.8 n) train",
  ignore: dataDir === null,
  async fn() {
    const { data } = await loadMovieLens("ml-100k", { dataDir: dataDir! });
    assert.equal(data.nUsers, 943);
    assert.equal(data.nItems, 1682);
    const { train, test } = perUserHoldout(data, 0.2, {
      shuffle: false,
      rounding: "python-round",
    });
    assert.equal(train.length, 80000);
    assert.equal(test.length, 20000);
    // User 1 (raw id 1) rated 272 movies: round(217.6) = 218 train, in file order.
    const rows1 = [];
    for (let r = 0; r < data.users.length; r++) {
      if (data.userIds.raw[data.users[r]] === 1) rows1.push(r);
    }
    assert.equal(rows1.length, 272);
    assert.deepEqual([...train.subarray(0, 218)], rows1.slice(0, 218));
    assert.deepEqual([...test.subarray(0, 54)], rows1.slice(218));
    // train is grouped by ascending user
    for (let j = 1; j < train.length; j++) {
      assert.ok(data.users[train[j]] >= data.users[train[j - 1]]);
    }
  },
});

Deno.test({
  name:
    "real data: exp:keras default configuration reproduces the pinned reports/keras.json",
  ignore: dataDir === null,
  fn: () =>
    checkPinned({
      experiment: "keras",
      main,
      dataDir: dataDir!,
      perSeed: ["mf_val_mse", "bias_val_mse", "mlp_val_mse"],
      sameDataset: false,
      async extra(fresh, out) {
        // The document's findings, held independently of the pinned file.
        assert.equal(fresh.metrics.train_ratings, 80000);
        assert.equal(fresh.metrics.test_ratings, 20000);
        assert.equal(fresh.metrics.mf_params, 105000);
        assert.equal(fresh.metrics.bias_params, 107625);
        // Every bias and ExplicitMF val_loss row judged by the prediction
        // interval; ExplicitMF's fresh curve differs at epochs 1–4 (by epoch
        // 5 the seeds' spread covers the document), its cause a hypothesis.
        for (let e = 1; e <= 5; e++) {
          const bias = fresh.comparisons.find((c) =>
            c.metric === `bias_val_loss_epoch${e}`
          )!;
          assert.equal(bias.rule.rule, "prediction-interval");
          const mf = fresh.comparisons.find((c) =>
            c.metric === `mf_val_loss_epoch${e}`
          )!;
          assert.equal(mf.rule.rule, "prediction-interval");
          if (e <= 4) assert.equal(mf.status, "hypothesis", `mf epoch ${e}`);
        }
        // The bias model beats ExplicitMF on test MSE over seeds and over
        // test ratings (both 95 % intervals below 0).
        assert.ok(
          (fresh.metrics.bias_minus_mf_test_mse_seeds_ci_hi as number) < 0,
        );
        assert.ok(
          (fresh.metrics.bias_minus_mf_test_mse_ratings_ci_hi as number) < 0,
        );
        // Overfitting: the bias model's validation loss turns up after epoch 3 or 4.
        const best = fresh.metrics.bias_best_epoch as MetricSummary;
        assert.ok(best.values.every((b) => b >= 3 && b <= 4));
        // ExplicitMF continued: epochs 4–8 against the document's 1–5.
        const mfPub = [0.9367, 0.9190, 0.9061, 0.8971, 0.8937];
        for (const [e, pub] of mfPub.entries()) {
          const s = fresh.metrics[
            `mf_continued_val_loss_epoch${e + 4}`
          ] as MetricSummary;
          assert.ok(
            s.std > 0 && Math.abs(s.mean - pub) <= 3 * s.std,
            `mf epoch ${e + 4}`,
          );
        }
        for (const m of ["mf", "bias", "mlp"]) {
          assert.ok(
            (fresh.metrics[`${m}_onnx_parity_max_abs_diff`] as number) < 1e-5,
          );
          assert.ok(
            (await Deno.stat(join(out, "keras", `${m}.onnx`))).size > 400_000,
          );
        }
        const html = await Deno.readTextFile(join(out, "keras.html"));
        assert.match(html, /Published vs reproduced/);
        assert.match(html, /Total params/);
        assert.match(html, /The three models compared/);
      },
    }),
});

const badInputs: BadInput[] = [
  {
    name: "--dim 0",
    args: ["--dim", "0"],
    message: /--dim must be an integer in \[1, 1024\], got 0/,
  },
  { name: "--lr 0", args: ["--lr", "0"], message: /--lr/ },
  {
    name: "--threads 0",
    args: ["--threads", "0"],
    message: /--threads must be an integer in \[1, 256\], got 0/,
  },
  {
    name: "a dropout list of the wrong length",
    args: ["--mlp-dropout", "0.5"],
    message: /--mlp-dropout needs 2 rates/,
  },
  {
    name: "a dropout rate of 1",
    args: ["--mlp-dropout", "0.25,1"],
    message: /--mlp-dropout: rates must lie in \[0, 1\)/,
  },
  {
    name: "a non-integer hidden width",
    args: ["--mlp-hidden", "64,x"],
    message: /--mlp-hidden: "x" in "64,x" is not an integer/,
  },
  {
    name: "a misspelt flag",
    args: ["--epoch", "3"],
    message: /--epoch.*--epochs/s,
  },
];

badFlagTests("exp:keras", "keras/main.ts", badInputs);
