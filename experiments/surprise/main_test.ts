/**
 * The Surprise benchmark end to end: the folds against numpy's (Surprise's
 * KFold), the default configuration against the pinned
 * `reports/surprise.json`, and bad flags rejected. The pinned check runs the
 * full cross-validation once (about a minute on 2 free cores, SVDpp's
 * folds on worker threads).
 */

import assert from "node:assert/strict";
import {
  NUMPY_100K_FOLDS,
  positionChecksum,
} from "../../lib/kfold_numpy_fixture.ts";
import { join } from "node:path";
import { loadMovieLens } from "../../lib/data/load.ts";
import { movieLensTestDir } from "../../lib/data/test_data_dir.ts";
import { kFold } from "../../lib/kfold.ts";
import type { MetricSummary } from "../../lib/report/results.ts";
import { RandomState } from "../../lib/rng.ts";
import { badFlagTests, type BadInput } from "../_bad_flags.ts";
import { checkPinned } from "../_pinned_check.ts";
import { PUBLISHED_TABLE } from "./document.ts";
import { main } from "./main.ts";

const dataDir = movieLensTestDir();

/** (user, item, rating) of u.data lines idx[0..2] and idx[80000..80002] (Python, file order). */
const FOLD1_ROWS = [[23, 528, 4], [695, 242, 5], [774, 28, 3]];
const FOLD5_ROWS = [[269, 17, 2], [704, 382, 4], [829, 475, 4]];

Deno.test({
  name:
    "real data: exp:surprise's folds equal Surprise's KFold(5, random_state=0) on ML-100K row for row",
  ignore: dataDir === null,
  async fn() {
    const { data } = await loadMovieLens("ml-100k", { dataDir: dataDir! });
    assert.equal(data.users.length, 100000);
    const folds = kFold(data.users.length, 5, new RandomState(0));
    folds.forEach((f, j) => {
      assert.equal(f.test.length, 20000);
      assert.deepEqual([...f.test.subarray(0, 6)], NUMPY_100K_FOLDS[j].head);
      assert.deepEqual([...f.test.subarray(-2)], NUMPY_100K_FOLDS[j].tail);
      assert.equal(positionChecksum(f.test), NUMPY_100K_FOLDS[j].sum);
    });
    // u.data in file order: the rows behind those indices are Surprise's.
    const row = (r: number) => [
      data.userIds.raw[data.users[r]],
      data.itemIds.raw[data.items[r]],
      data.ratings[r],
    ];
    assert.deepEqual([...folds[0].test.subarray(0, 3)].map(row), FOLD1_ROWS);
    assert.deepEqual([...folds[4].test.subarray(0, 3)].map(row), FOLD5_ROWS);
  },
});

Deno.test({
  name:
    "real data: exp:surprise default configuration reproduces the pinned reports/surprise.json",
  ignore: dataDir === null,
  fn: () =>
    checkPinned({
      experiment: "surprise",
      main,
      dataDir: dataDir!,
      perSeed: PUBLISHED_TABLE.filter((r) => r.implemented).flatMap((r) => [
        `${r.key}_rmse`,
        `${r.key}_mae`,
      ]),
      sameDataset: true,
      async extra(fresh, out) {
        // The document's figures, held independently of the pinned file.
        assert.equal(fresh.metrics.ratings, 100000);
        for (const r of PUBLISHED_TABLE.filter((p) => p.implemented)) {
          for (const [m, pub] of [["rmse", r.rmse], ["mae", r.mae]] as const) {
            const s = fresh.metrics[`${r.key}_${m}`] as MetricSummary;
            assert.equal(s.values.length, 5);
            assert.ok(
              Math.abs(s.mean - pub) <= 0.0005,
              `${r.key} ${m} ${s.mean}`,
            );
          }
        }
        assert.ok(fresh.comparisons.every((c) => c.status === "reproduced"));
        const html = await Deno.readTextFile(join(out, "surprise.html"));
        assert.match(html, /Published vs reproduced/);
        // every row of the README's table has this run's figures beside it
        // (the page also embeds a library whose text says "not implemented")
        assert.doesNotMatch(html, /<td>not implemented<\/td>/);
        for (const r of PUBLISHED_TABLE) {
          assert.ok(html.includes(`<tr><td>${r.label}</td><td class="num">`));
        }
      },
    }),
});

const badInputs: BadInput[] = [
  {
    name: "--folds 1",
    args: ["--folds", "1"],
    message: /--folds must be an integer in \[2, 20\], got 1/,
  },
  {
    name: "--svd-factors 0",
    args: ["--svd-factors", "0"],
    message: /--svd-factors/,
  },
  {
    name: "a negative --split-seed",
    args: ["--split-seed", "-1"],
    message: /--split-seed/,
  },
  {
    name: "an unknown --dataset",
    args: ["--dataset", "ml-10m"],
    message: /--dataset.*ml-100k/s,
  },
  {
    name: "a misspelt flag",
    args: ["--fold", "3"],
    message: /--fold.*--folds/s,
  },
];

badFlagTests("exp:surprise", "surprise/main.ts", badInputs);
