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
 *   deno bench --allow-read lib/models/als/als_bench.ts
 *
 * @module
 */

import { strFromU8, unzipSync } from "fflate";
import { type Csr, csrFromCoo } from "../../sparse.ts";
import { type AlsConfig, AlsThreads, fitAls } from "./als.ts";

const ZIP = new URL(
  "../../../../shared/data/movielens/ml-latest-small.zip",
  import.meta.url,
);

/** ratings.csv of the zip as a users × items CSR (dense ids in order of first appearance). */
function loadRatings(): Csr {
  const files = unzipSync(Deno.readFileSync(ZIP), {
    filter: (f) => f.name.endsWith("/ratings.csv"),
  });
  const lines = strFromU8(Object.values(files)[0]).split("\n");
  const users = new Map<string, number>(), items = new Map<string, number>();
  const u: number[] = [], i: number[] = [], v: number[] = [];
  for (let l = 1; l < lines.length; l++) {
    if (lines[l] === "") continue;
    const [user, movie, rating] = lines[l].split(",");
    if (!users.has(user)) users.set(user, users.size);
    if (!items.has(movie)) items.set(movie, items.size);
    u.push(users.get(user)!);
    i.push(items.get(movie)!);
    v.push(Number(rating));
  }
  return csrFromCoo(
    Int32Array.from(u),
    Int32Array.from(i),
    v,
    users.size,
    items.size,
  );
}

const ratings = loadRatings();

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

for (const threads of [1, 2]) {
  Deno.bench({
    name: `fitAls cold (own workers), ${threads} thread(s)`,
    group: "als",
    n: RUNS,
    warmup: 1,
    async fn() {
      await fitAls(ratings, { ...CONFIG, threads });
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
    await fitAls(ratings, { ...CONFIG, team });
  },
});
