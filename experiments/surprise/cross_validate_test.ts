import assert from "node:assert/strict";
import { parseFlags } from "../../lib/cli.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import { algorithmFits, WORKER_KEYS } from "./algorithms.ts";
import { crossValidate, kFoldTrainsets } from "./cross_validate.ts";
import { FLAGS, isDocumentRun, SEED_FLAGS } from "./document.ts";

const flags = (args: string[] = []) =>
  parseFlags(FLAGS, args, { command: "deno task exp:surprise" });

/** 600 ratings of 40 users on 30 items from a fixed formula. */
function tinyData() {
  const u: number[] = [], i: number[] = [], r: number[] = [];
  const seen = new Set<number>();
  for (let k = 0; k < 3000 && u.length < 600; k++) {
    const uu = (k * 7 + Math.floor(k / 13)) % 40;
    const ii = (k * 11 + Math.floor(k / 7)) % 30;
    if (seen.has(uu * 30 + ii)) continue;
    seen.add(uu * 30 + ii);
    u.push(uu);
    i.push(ii);
    r.push(1 + ((uu * 3 + ii * 5 + k) % 5));
  }
  return { u, i, r };
}

Deno.test("crossValidate: SVDpp's folds on 2 worker threads give the same numbers as the calling thread", async () => {
  const d = tinyData();
  assert.equal(d.u.length, 600);
  const ids = (n: number) => ({
    raw: Int32Array.from({ length: n }, (_, k) => k + 1),
    toIndex: new Map(Array.from({ length: n }, (_, k) => [k + 1, k])),
  });
  const data: Interactions = {
    users: Int32Array.from(d.u),
    items: Int32Array.from(d.i),
    ratings: Float32Array.from(d.r),
    timestamps: new Float64Array(d.u.length),
    nUsers: 40,
    nItems: 30,
    userIds: ids(40),
    itemIds: ids(30),
    itemInfo: new Map(),
  };
  const folds = kFoldTrainsets(data, 3, 0);
  const f = flags();
  const fit = algorithmFits(f).svdpp;
  const base = { key: "svdpp", algorithm: "SVDpp", fit, flags: f };
  const scale = { min: 1, max: 5 };
  const one = await crossValidate({ ...base, threads: 1 }, folds, scale);
  const two = await crossValidate({ ...base, threads: 2 }, folds, scale);
  assert.equal(one.rmse.length, 3);
  assert.deepEqual(two.rmse, one.rmse);
  assert.deepEqual(two.mae, one.mae);
  assert.ok(one.rmse.every((x) => x > 0 && x < 4));
});

Deno.test("algorithmFits: every README row has a fit; only independent-fold algorithms may use workers", () => {
  const fits = algorithmFits(flags());
  assert.deepEqual(Object.keys(fits).sort(), [
    "baseline_only",
    "co_clustering",
    "knn_baseline",
    "knn_basic",
    "knn_means",
    "nmf",
    "normal_predictor",
    "slope_one",
    "svd",
    "svdpp",
  ]);
  assert.ok(!WORKER_KEYS.has("normal_predictor"));
});

Deno.test("isDocumentRun: every seed flag at 0 and --threads free", () => {
  assert.ok(isDocumentRun(flags()));
  assert.ok(isDocumentRun(flags(["--threads", "1"])));
  for (const s of SEED_FLAGS) assert.ok(!isDocumentRun(flags([`--${s}`, "1"])));
  assert.ok(!isDocumentRun(flags(["--svdpp-epochs", "2"])));
});
