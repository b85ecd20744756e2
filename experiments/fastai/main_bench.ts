/**
 * The whole `deno task exp:fastai` as a user runs it (2016 ml-latest-small
 * found locally, a fresh process each time, report written to
 * reports/.bench), in three sizes:
 *
 * - the blog's table once: every one of its nine rows computed once
 *   (`--repeats 1 --readings ignored`), as the blog itself did. Target:
 *   under 20 s.
 * - every row of our table once: also the "lr applied" reading of the two
 *   dot-product rows (`--repeats 1`).
 * - the default: the Keras rows over 3 seeds and both readings, 15 fits
 *   (5.3× the blog's training).
 *
 * The Keras fits are exact Keras arithmetic: a dense Adam step over all
 * ~487k embedding weights for every one of 1,250 batches an epoch, each
 * weight costing a float32 square root and division (WebAssembly SIMD has no
 * wider vectors), so they cannot be shortened without changing the numbers.
 * Run: `MOVIELENS_DIR=... deno task bench experiments/fastai/main_bench.ts`
 * (about 5 minutes: 11 fresh runs plus deno bench's warm-up runs); each case
 * prints its median over its runs after the table. The runs find the 2016
 * release as `deno task exp:fastai` does ($MOVIELENS_DIR, then data/); where
 * it is in neither the bench is skipped, saying so.
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDataDir } from "../../lib/data/test_data_dir.ts";
import { median } from "../../lib/report/results.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Inside reports/ (git-ignored below it): the task may only write to data/ and reports/.
const out = join("reports", ".bench");
const seconds: Record<string, number[]> = {};

const CASES = [
  {
    name: "the blog's table once",
    args: ["--repeats", "1", "--readings", "ignored"],
    n: 5,
  },
  { name: "every row of our table once", args: ["--repeats", "1"], n: 3 },
  { name: "default (3 seeds, both readings)", args: [], n: 3 },
];

const found = await benchDataDir("ml-latest-small-2016", "fastai_bench");
for (const c of found === null ? [] : CASES) {
  Deno.bench({
    name: `deno task exp:fastai ${
      c.args.join(" ")
    } — ${c.name} (fresh process)`,
    n: c.n,
    warmup: 0,
    async fn() {
      const t0 = performance.now();
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["task", "--quiet", "exp:fastai", ...c.args, "--out", out],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
      (seconds[c.name] ??= []).push((performance.now() - t0) / 1000);
    },
  });
}

addEventListener("unload", () => {
  for (const [name, s] of Object.entries(seconds)) {
    console.log(
      `${name}: median ${median(s).toFixed(2)} s over ${s.length} runs (${
        s.map((x) => x.toFixed(2)).join(", ")
      })`,
    );
  }
  // Nothing to remove when a --filter left every case out.
  if (Object.keys(seconds).length > 0) {
    Deno.removeSync(join(ROOT, out), { recursive: true });
  }
});
