/**
 * BPR fit speed at ML-100K scale with implicit's defaults: a synthetic
 * ratings file shaped like ML-100K (lib/data/synthetic_ratings.ts: 943 users,
 * 1,682 items, 100,000 ratings, seed 1), 100 factors (101 columns), 100
 * iterations, learning rate 0.01, regularization 0.01, negative verification
 * on; one bench per SGD kernel ("wasm", the default, and the "js"
 * reference; both give the same bytes). deno bench reports the mean and p75,
 * not the median.
 *
 *   deno bench --allow-read --allow-write --allow-env lib/models/bpr/bpr_bench.ts
 *
 * @module
 */

import { loadRatingsCsv } from "../../data/load.ts";
import {
  SYNTHETIC_SHAPES,
  writeSyntheticRatingsCsv,
} from "../../data/synthetic_ratings.ts";
import { csrFromCoo } from "../../sparse.ts";
import { BPR_DEFAULTS, fitBpr } from "./bpr.ts";

const dir = await Deno.makeTempDir({ prefix: "bpr_bench_" });
const csv = `${dir}/ratings.csv`;
await writeSyntheticRatingsCsv(csv, {
  ...SYNTHETIC_SHAPES["ml-100k"],
  seed: 1,
});
const { data } = await loadRatingsCsv(csv, { ratingRange: [0.5, 5] });
await Deno.remove(dir, { recursive: true });
/** The synthetic ratings as a users × items CSR (every rating a like). */
const likes = csrFromCoo(
  data.users,
  data.items,
  data.ratings,
  data.nUsers,
  data.nItems,
);

for (const kernel of ["wasm", "js"] as const) {
  Deno.bench({
    name: `fitBpr ML-100K shape, 100 factors, 100 iterations, ${kernel} kernel`,
    group: "bpr",
    baseline: kernel === "js",
    n: 3,
    warmup: 0,
    fn() {
      fitBpr(likes, { ...BPR_DEFAULTS, seed: 0, kernel });
    },
  });
}
