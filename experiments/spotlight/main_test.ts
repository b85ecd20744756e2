/**
 * The Spotlight experiment end to end: the document's split against numpy's,
 * the default configuration against the pinned `reports/spotlight.json`, and
 * bad flags rejected. The pinned check runs the full reproduction once
 * (10 seeds, about 5–15 s).
 */

import assert from "node:assert/strict";
import { badFlagTests, type BadInput } from "../_bad_flags.ts";
import { join } from "node:path";
import type { MetricSummary } from "../../lib/report/results.ts";
import { checkPinned } from "../_pinned_check.ts";
import { loadMovieLens } from "../../lib/data/load.ts";
import { movieLensTestDir } from "../../lib/data/test_data_dir.ts";
import { RandomState } from "../../lib/rng.ts";
import { randomTrainTestSplit } from "../../lib/split.ts";
import { main } from "./main.ts";

const dataDir = movieLensTestDir();

/**
 * numpy 2.4: `idx = np.arange(100000); np.random.RandomState(42).shuffle(idx)`
 * on u.data rows in file order; train = idx[:80000], test = idx[80000:].
 */
const NUMPY_SPLIT = {
  trainHead: [75721, 80184, 19864, 76699, 92991, 76434, 84004, 80917],
  testHead: [98877, 24044, 48435, 72179, 80645, 21601, 95368, 67951],
  testTail: [76820, 860, 15795],
  /** Σ idx[p]·(p + 1) mod 1e9+7 over the whole shuffled index array. */
  checksum: 127528331,
  /** (user, item, rating) of the first train and test rows. */
  trainRows: [[877, 381, 4], [815, 602, 3], [94, 431, 4]],
  testRows: [[907, 143, 5], [371, 210, 4], [218, 42, 4]],
};

Deno.test({
  name:
    "real data: the Spotlight split of ML-100K equals numpy's RandomState(42) shuffle row for row",
  ignore: dataDir === null,
  async fn() {
    const { data } = await loadMovieLens("ml-100k", { dataDir: dataDir! });
    const { train, test } = randomTrainTestSplit(
      data.users.length,
      0.2,
      new RandomState(42),
    );
    assert.equal(train.length, 80000);
    assert.equal(test.length, 20000);
    assert.deepEqual([...train.subarray(0, 8)], NUMPY_SPLIT.trainHead);
    assert.deepEqual([...test.subarray(0, 8)], NUMPY_SPLIT.testHead);
    assert.deepEqual([...test.subarray(-3)], NUMPY_SPLIT.testTail);
    const idx = [...train, ...test];
    let sum = 0n;
    idx.forEach((r, p) => sum += BigInt(r) * BigInt(p + 1));
    assert.equal(Number(sum % 1000000007n), NUMPY_SPLIT.checksum);
    const row = (
      r: number,
    ) => [
      data.userIds.raw[data.users[r]],
      data.itemIds.raw[data.items[r]],
      data.ratings[r],
    ];
    assert.deepEqual([...train.subarray(0, 3)].map(row), NUMPY_SPLIT.trainRows);
    assert.deepEqual([...test.subarray(0, 3)].map(row), NUMPY_SPLIT.testRows);
  },
});

Deno.test({
  name:
    "real data: exp:spotlight default configuration reproduces the pinned reports/spotlight.json",
  ignore: dataDir === null,
  fn: () =>
    checkPinned({
      experiment: "spotlight",
      main,
      dataDir: dataDir!,
      perSeed: ["train_rmse", "test_rmse"],
      sameDataset: true,
      async extra(fresh, out) {
        // The document's findings, held independently of the pinned file.
        assert.equal(fresh.metrics.users, 944);
        assert.equal(fresh.metrics.items, 1683);
        assert.equal(fresh.metrics.train_ratings, 80000);
        assert.equal(fresh.metrics.test_ratings, 20000);
        const test = fresh.metrics.test_rmse as MetricSummary;
        assert.equal(test.values.length, 10);
        // The document's RMSEs inside our prediction intervals, and ours
        // not distinguishable from Spotlight's own 20-seed re-run.
        for (const m of ["train_rmse", "test_rmse"]) {
          const row = fresh.comparisons.find((c) => c.metric === m)!;
          assert.equal(row.rule.rule, "prediction-interval");
          assert.equal(row.status, "reproduced", `${m}: ${row.note}`);
          assert.equal(row.reference?.rule.status, "reproduced", m);
        }
        assert.ok(
          Math.abs((fresh.metrics.onnx_test_rmse as number) - test.values[0]) <
            1e-5,
        );
        const html = await Deno.readTextFile(join(out, "spotlight.html"));
        assert.match(html, /Published vs reproduced/);
        assert.ok(
          (await Deno.stat(join(out, "spotlight", "model.onnx"))).size >
            1_000_000,
        );
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
    name: "--batch-size 1.5",
    args: ["--batch-size", "1.5"],
    message: /--batch-size/,
  },
  {
    name: "--test-fraction 1.2",
    args: ["--test-fraction", "1.2"],
    message: /--test-fraction/,
  },
  {
    name: "an unknown --ids value",
    args: ["--ids", "sparse"],
    message: /--ids.*raw.*dense/s,
  },
  {
    name: "a misspelt flag",
    args: ["--epoch", "3"],
    message: /--epoch.*--epochs/s,
  },
];

badFlagTests("exp:spotlight", "spotlight/main.ts", badInputs);
