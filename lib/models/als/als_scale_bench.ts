/**
 * ALS fit at scale: seconds per iteration and peak resident memory on
 * synthetic ratings of ML-25M's shape (lib/data/synthetic_ratings.ts), scaled
 * down to 1M and 5M ratings, and the full 25,000,095 with
 * `ALS_SCALE_25M=1` (minutes: the file is ~690 MB and each iteration takes
 * seconds). 64 factors, CG with 3 steps, regularization 0.01, alpha 1, no
 * loss; 1 and 2 threads. Each case runs in a fresh process so its peak memory
 * is its own:
 *
 *   deno task bench lib/models/als/als_scale_bench.ts
 *   ALS_SCALE_25M=1 deno task bench lib/models/als/als_scale_bench.ts
 *
 * Printed per case: the median seconds per iteration (first iteration
 * included in the list, which JIT warm-up slows), RSS before the fit, the
 * peak RSS sampled after each iteration (`Deno.memoryUsage().rss`) and the
 * process's VmHWM (loading included). The machine line gives the CPU model,
 * cores and the load average at start and end: the machine is shared, so read
 * the seconds against the load. `ALS_SCALE_ITERATIONS` (default 4) sets the
 * iterations per case; `ALS_SCALE_CSV_DIR` reuses a folder of generated files
 * (`ml-25m-<rows>.csv`) instead of a temporary one.
 *
 * @module
 */

import { join } from "node:path";
import { loadRatingsCsv } from "../../data/load.ts";
import {
  ML_25M_SHAPE,
  scaledShape,
  writeSyntheticRatingsCsv,
} from "../../data/synthetic_ratings.ts";
import { csrFromCoo } from "../../sparse.ts";
import { fitAls } from "./als.ts";
import { loadAverage, machine } from "../../bench_machine.ts";

/** One case's measurements (child output). */
interface CaseResult {
  rows: number;
  users: number;
  items: number;
  threads: number;
  iterationSeconds: number[];
  loadSeconds: number;
  rssBeforeFitMiB: number;
  peakRssFitMiB: number;
  vmHwmMiB: number;
  /** Load average when the child started and ended its fit. */
  loadBefore: string;
  loadAfter: string;
  machine: string;
}

const MiB = 2 ** 20;

/** Median of a non-empty list. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function child(
  csv: string,
  threads: number,
  iterations: number,
): Promise<void> {
  const t0 = performance.now();
  const { data } = await loadRatingsCsv(csv, { ratingRange: [0.5, 5] });
  const m = csrFromCoo(
    data.users,
    data.items,
    data.ratings,
    data.nUsers,
    data.nItems,
  );
  const loadSeconds = (performance.now() - t0) / 1000;
  const rows = data.ratings.length;
  const rssBefore = Deno.memoryUsage().rss;
  const loadBefore = loadAverage();
  let peak = rssBefore;
  const iterationSeconds: number[] = [];
  await fitAls(m, {
    factors: 64,
    regularization: 0.01,
    iterations,
    alpha: 1,
    solver: "cg",
    cgSteps: 3,
    seed: 0,
    threads,
  }, (_it, info) => {
    iterationSeconds.push(info.seconds);
    peak = Math.max(peak, Deno.memoryUsage().rss);
  });
  const status = await Deno.readTextFile("/proc/self/status");
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
  const result: CaseResult = {
    rows,
    users: data.nUsers,
    items: data.nItems,
    threads,
    iterationSeconds,
    loadSeconds,
    rssBeforeFitMiB: rssBefore / MiB,
    peakRssFitMiB: peak / MiB,
    vmHwmMiB: hwm / MiB,
    loadBefore,
    loadAfter: loadAverage(),
    machine: machine(),
  };
  console.log(JSON.stringify(result));
}

if (Deno.args[0] === "--child") {
  await child(Deno.args[1], Number(Deno.args[2]), Number(Deno.args[3]));
} else {
  const sizes = [1_000_000, 5_000_000];
  if (Deno.env.get("ALS_SCALE_25M") === "1") sizes.push(ML_25M_SHAPE.rows);
  const iterations = Number(Deno.env.get("ALS_SCALE_ITERATIONS") ?? 4);
  const given = Deno.env.get("ALS_SCALE_CSV_DIR");
  const dir = given ?? await Deno.makeTempDir({ prefix: "als_scale_" });
  if (given === undefined) {
    globalThis.addEventListener(
      "unload",
      () => Deno.removeSync(dir, { recursive: true }),
    );
  }
  const results: CaseResult[] = [];
  globalThis.addEventListener("unload", () => {
    if (results.length === 0) return;
    console.log(
      `\nALS scale (64 factors, CG 3 steps, ${iterations} iterations per run), ` +
        `${
          results[0].machine
        }; s/iter is the median over all iterations of all runs`,
    );
    console.log(
      "   ratings   users   items thr  s/iter  peak RSS in fit  VmHWM  load avg (1/5/15 min) per run",
    );
    const keys = [...new Set(results.map((r) => `${r.rows}/${r.threads}`))];
    for (const key of keys) {
      const runs = results.filter((r) => `${r.rows}/${r.threads}` === key);
      const r = runs[0];
      console.log(
        `${String(r.rows).padStart(10)} ${String(r.users).padStart(7)} ${
          String(r.items).padStart(7)
        } ${String(r.threads).padStart(3)}  ${
          median(runs.flatMap((x) => x.iterationSeconds)).toFixed(2).padStart(6)
        }  ${
          median(runs.map((x) => x.peakRssFitMiB)).toFixed(0).padStart(11)
        } MiB  ${
          median(runs.map((x) => x.vmHwmMiB)).toFixed(0).padStart(5)
        } MiB  ${runs.map((x) => x.loadBefore).join(" | ")}`,
      );
    }
  });

  for (const rows of sizes) {
    const csv = join(dir, `ml-25m-${rows}.csv`);
    try {
      await Deno.stat(csv);
    } catch {
      await writeSyntheticRatingsCsv(csv, {
        ...scaledShape(ML_25M_SHAPE, rows),
        seed: 25,
      });
    }
    for (const threads of [1, 2]) {
      Deno.bench({
        name:
          `fitAls ${rows} ratings (ML-25M shape), 64 factors, ${threads} thread(s), ` +
          `${iterations} iterations, fresh process`,
        group: `als scale ${rows}`,
        n: 1,
        warmup: 0,
        async fn() {
          const out = await new Deno.Command(Deno.execPath(), {
            // -A: reading /proc/self/status (VmHWM) needs full access in Deno.
            args: [
              "run",
              "-A",
              import.meta.filename!,
              "--child",
              csv,
              String(threads),
              String(iterations),
            ],
            stdout: "piped",
            stderr: "inherit",
          }).output();
          if (!out.success) throw new Error("child fit failed");
          results.push(JSON.parse(new TextDecoder().decode(out.stdout)));
        },
      });
    }
  }
}
