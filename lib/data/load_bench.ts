/**
 * Load-time and peak-memory benchmark of the ratings loader at ML-25M scale.
 *
 *   deno task bench lib/data/load_bench.ts
 *
 * Writes a synthetic 25,000,095-row `ml-25m/ratings.csv` (162,541 users,
 * 59,047 item ids up to 209,171, ratings 0.5–5 in halves; ~675 MB) into a
 * temporary directory once, then times `loadMovieLens("ml-25m")` on it
 * in-process, and measures peak resident memory (VmHWM) in a fresh child
 * process per run, so that generating the file does not count. Targets:
 * under 10 s and under 1.5 GB.
 *
 * @module
 */

import { join } from "node:path";
import { loadMovieLens } from "./load.ts";
import { ML_25M_SHAPE, writeSyntheticRatingsCsv } from "./synthetic_ratings.ts";

/** Loads the release in `dir` and prints `{ seconds, peakMiB, rows }` as JSON (child mode). */
async function child(dir: string): Promise<void> {
  const t0 = performance.now();
  const { data } = await loadMovieLens("ml-25m", {
    dataDir: dir,
    envDir: null,
    download: false,
  });
  const seconds = (performance.now() - t0) / 1000;
  const status = await Deno.readTextFile("/proc/self/status");
  const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  console.log(
    JSON.stringify({
      seconds,
      peakMiB: peakKiB / 1024,
      rows: data.ratings.length,
    }),
  );
}

if (Deno.args[0] === "--child") {
  await child(Deno.args[1]);
} else {
  const dir = await Deno.makeTempDir({ prefix: "load_bench_" });
  globalThis.addEventListener(
    "unload",
    () => Deno.removeSync(dir, { recursive: true }),
  );
  await Deno.mkdir(join(dir, "ml-25m"));
  const t0 = performance.now();
  const bytes = await writeSyntheticRatingsCsv(
    join(dir, "ml-25m", "ratings.csv"),
    { ...ML_25M_SHAPE, seed: 25 },
  );
  await Deno.writeTextFile(
    join(dir, "ml-25m", "movies.csv"),
    "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n",
  );
  console.log(
    `generated ${(bytes / 1e6).toFixed(0)} MB in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );

  const peaks: number[] = [];
  const childSeconds: number[] = [];
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  globalThis.addEventListener("unload", () => {
    if (peaks.length === 0) return;
    console.log(
      `child runs: median load ${
        median(childSeconds).toFixed(2)
      } s, median peak RSS ${median(peaks).toFixed(0)} MiB ` +
        `(VmHWM; runs: ${peaks.map((p) => p.toFixed(0)).join(", ")} MiB)`,
    );
  });

  Deno.bench({
    name:
      "loadMovieLens ml-25m-shaped folder, 25M-row ratings.csv (in-process)",
    n: 3,
    warmup: 1,
    async fn() {
      const { data } = await loadMovieLens("ml-25m", {
        dataDir: dir,
        envDir: null,
        download: false,
      });
      if (data.ratings.length !== ML_25M_SHAPE.rows) {
        throw new Error(`loaded ${data.ratings.length} rows`);
      }
    },
  });

  Deno.bench({
    name: "loadMovieLens ml-25m-shaped folder in a fresh process (peak memory)",
    n: 3,
    warmup: 0,
    async fn() {
      const out = await new Deno.Command(Deno.execPath(), {
        // -A: reading /proc/self/status (VmHWM) needs full access in Deno.
        args: ["run", "-A", import.meta.filename!, "--child", dir],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (!out.success) throw new Error("child load failed");
      const r = JSON.parse(new TextDecoder().decode(out.stdout));
      if (r.rows !== ML_25M_SHAPE.rows) {
        throw new Error(`child loaded ${r.rows} rows`);
      }
      peaks.push(r.peakMiB);
      childSeconds.push(r.seconds);
    },
  });
}
