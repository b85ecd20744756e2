/**
 * ALS fit speed on MovieLens ml-latest-small (2018: 610 users × 9,724 items,
 * 100,836 ratings) with implicit's benchmark settings: 50 factors, 15
 * iterations, CG with 3 steps, regularization 0.01, alpha 1, no loss.
 * Reference: implicit 0.7's CPU ALS took 0.57 s for this with 2 threads on
 * this machine class when it was measured side by side (implicit cannot be
 * installed here now: no PyPI), so the printed ratio is against that figure. "Cold" fits start and stop their own workers (start-up plus a
 * fresh JIT in each worker, every run; with 1 thread there are none, and the
 * main thread's JIT stays warm across runs); "warm" fits reuse one AlsThreads
 * team. deno bench reports the mean and p75, not the median, so the warm
 * fits also time themselves and a summary printed at the end gives their
 * medians, the second thread's gain (1-thread / 2-thread median) and the
 * ratio to implicit's 0.57 s, with the machine and its load average.
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
import { loadAverage, machine } from "../../bench_machine.ts";

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
/** implicit 0.7's CPU fit of CONFIG with 2 threads, seconds (see the module doc). */
const IMPLICIT_SECONDS = 0.57;

/** Median of a non-empty list (NaN when empty). */
function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

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
  // The bench's warm-up run pays the workers' JIT compilation. The teams are
  // not closed: deno bench runs fn an unknown number of times, and idle
  // workers do not keep the bench process alive.
  const seconds: Record<number, number[]> = { 1: [], 2: [] };
  const loadBefore = loadAverage();
  for (const threads of [1, 2]) {
    const team = await AlsThreads.start(threads);
    Deno.bench({
      name: `fitAls warm (team reused), ${threads} thread(s)`,
      group: "als",
      baseline: threads === 2,
      n: RUNS,
      warmup: 1,
      async fn() {
        const t0 = performance.now();
        await fitAls(ratings!, { ...CONFIG, team });
        seconds[threads].push((performance.now() - t0) / 1000);
      },
    });
  }
  globalThis.addEventListener("unload", () => {
    // The first timed call of each is deno bench's warm-up run.
    const [one, two] = [1, 2].map((t) => median(seconds[t].slice(1)));
    if (!(one > 0 && two > 0)) return;
    console.log(
      `\nALS on ml-latest-small (${ratings!.nRows} × ${ratings!.nCols}, ${
        ratings!.indptr[ratings!.nRows]
      } ratings; 50 factors, 15 iterations, CG 3 steps), ${machine()}, ` +
        `load average ${loadBefore} → ${loadAverage()}:\n` +
        `  warm fit: 1 thread median ${one.toFixed(3)} s, 2 threads median ${
          two.toFixed(3)
        } s (${seconds[2].length - 1} runs each); second thread: ${
          (one / two).toFixed(2)
        }×\n` +
        `  against implicit 0.7's ${IMPLICIT_SECONDS} s (2 threads, recorded): ${
          (two / IMPLICIT_SECONDS).toFixed(2)
        }× its time`,
    );
  });
}
