/**
 * The body shared by every "default configuration reproduces the pinned
 * reports/<exp>.json" test: run the experiment into a temporary folder,
 * compare its metrics with the pinned file within the registry's
 * tolerances, require the per-seed values, the configuration, the dataset
 * record and the comparison statuses to be identical, then hand the fresh
 * results to the experiment's own checks.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { compareResults, formatCompareRows } from "../lib/report/compare.ts";
import {
  type MetricSummary,
  readResults,
  type Results,
} from "../lib/report/results.ts";
import { type ExperimentMain, tolerancesOf } from "./registry.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** What {@linkcode checkPinned} runs and requires. */
export interface PinnedCheck {
  /** Experiment name: `reports/<name>.json`, tolerances of `tolerancesOf(name)`. */
  readonly experiment: string;
  readonly main: ExperimentMain;
  /** Folder holding the MovieLens data, passed as `--data-dir`. */
  readonly dataDir: string;
  /** Summary metrics whose per-seed `values` must be identical. */
  readonly perSeed: readonly string[];
  /** Also require `dataset` equal (its `source` text, naming the folder, aside). */
  readonly sameDataset: boolean;
  /** The pinned file; default `reports/<experiment>.json` of this repository. */
  readonly pinnedPath?: string;
  /** The experiment's own checks of the fresh results and its output folder. */
  readonly extra?: (fresh: Results, out: string) => void | Promise<void>;
}

/**
 * Runs `main(["--data-dir", dataDir, "--out", <temp>])` and asserts the
 * fresh results match the pinned file (see the module comment); the temporary
 * folder is removed afterwards, pass or fail.
 *
 * @throws {AssertionError} naming the first difference.
 */
export async function checkPinned(check: PinnedCheck): Promise<void> {
  const out = await Deno.makeTempDir({ prefix: `${check.experiment}-pinned-` });
  try {
    const pinned = await readResults(
      check.pinnedPath ?? join(ROOT, "reports", `${check.experiment}.json`),
    );
    const fresh = await check.main(["--data-dir", check.dataDir, "--out", out]);
    const rows = compareResults(pinned, fresh, tolerancesOf(check.experiment));
    assert.ok(
      rows.every((r) => r.ok),
      "pinned results changed:\n" + formatCompareRows(rows),
    );
    for (const m of check.perSeed) {
      for (const r of [fresh, pinned]) {
        assert.ok(
          typeof r.metrics[m] === "object",
          `${m} is not a per-seed summary in the ${
            r === fresh ? "fresh" : "pinned"
          } results`,
        );
      }
      assert.deepEqual(
        (fresh.metrics[m] as MetricSummary).values,
        (pinned.metrics[m] as MetricSummary).values,
        `${m} per seed`,
      );
    }
    assert.deepEqual(fresh.config, pinned.config);
    if (check.sameDataset) {
      assert.deepEqual(fresh.dataset, {
        ...pinned.dataset,
        source: fresh.dataset.source,
      });
    }
    assert.deepEqual(
      fresh.comparisons.map((c) => [c.metric, c.status]),
      pinned.comparisons.map((c) => [c.metric, c.status]),
    );
    await check.extra?.(fresh, out);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}
