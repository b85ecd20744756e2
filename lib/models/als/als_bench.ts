/**
 * ALS fit speed on MovieLens ml-latest-small (2018: 610 users × 9,724 items,
 * 100,836 ratings) with implicit's benchmark settings: 50 factors, 15
 * iterations, CG with 3 steps, regularization 0.01, alpha 1, no loss.
 * Reference: implicit's CPU ALS takes 0.57 s for this with 2 threads on this
 * machine. "Cold" fits start and stop their own workers (start-up plus a
 * fresh JIT in each worker, every run; with 1 thread there are none, and the
 * main thread's JIT stays warm across runs); "warm" fits reuse one AlsThreads
 * team. deno bench reports the mean and p75, not the median.
 *
 * Reads ml-latest-small as the experiments do without `--data-dir`
 * (`MOVIELENS_DIR`, then `data/`; never downloading) and skips, with one line
 * saying what to set, when it is in neither:
 *
 *   MOVIELENS_DIR=... deno bench --allow-read --allow-env lib/models/als/als_bench.ts
 *
 * @module
 */

import { loadMovieLens } from "../../data/load.ts";
import { benchDataDir } from "../../data/test_data_dir.ts";
import { csrFromCoo } from "../../sparse.ts";
import { type AlsConfig, AlsThreads, fitAls } from "./als.ts";

const dir = await benchDataDir("ml-latest-small", "als_bench");
/** The ratings as a users × items CSR of the star values (dense ids by ascending raw id). */
const ratings = dir === null ? null : await (async () => {
  const { data } = await loadMovieLens("ml-latest-small", {
    dataDir: dir,
    envDir: null,
    download: false,
    items: false,
  });
  return csrFromCoo(
    data.users,
    data.items,
    data.ratings,
    data.nUsers,
    data.nItems,
  );
})();

const CONFIG: AlsConfig = {
  factors: 50,
  regularization: 0.01,
  iterations: 15,
  alpha: 1,
  solver: "cg",
  cgSteps: 3,
  seed: 42,
};
const RUNS = 10;

if (ratings !== null) {
  for (const threads of [1, 2]) {
    Deno.bench({
      name: `fitAls cold (own workers), ${threads} thread(s)`,
      group: "als",
      n: RUNS,
      warmup: 1,
      async fn() {
        await fitAls(ratings!, { ...CONFIG, threads });
      },
    });
  }

  // Warm: one team for every run, as a caller fitting several models would.
  // The bench's warm-up run pays the workers' JIT compilation. The team is not
  // closed: deno bench runs fn an unknown number of times, and idle workers do
  // not keep the bench process alive.
  const team = await AlsThreads.start(2);
  Deno.bench({
    name: "fitAls warm (team reused), 2 threads",
    group: "als",
    baseline: true,
    n: RUNS,
    warmup: 1,
    async fn() {
      await fitAls(ratings!, { ...CONFIG, team });
    },
  });
}
