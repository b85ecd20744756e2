/**
 * The whole `deno task exp:als` as a user runs it (data found locally, a fresh
 * process each time, report written to reports/.bench). It took under 10 s
 * before BPR joined the holdout; its 20 fits (100 epochs each, two at a time)
 * are now most of the run. Run: `MOVIELENS_DIR=... deno task bench experiments/als/main_bench.ts`.
 * The run finds ml-latest-small as `deno task exp:als` does ($MOVIELENS_DIR,
 * then data/); where it is in neither the bench is skipped, saying so, rather
 * than downloading it.
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDataDir } from "../../lib/data/test_data_dir.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Inside reports/ (git-ignored below it): the task may only write to data/ and reports/.
const out = join("reports", ".bench");

if (await benchDataDir("ml-latest-small", "implicit_als_bench") !== null) {
  Deno.bench({
    name: "deno task exp:als (default configuration, fresh process)",
    n: 3,
    warmup: 1,
    async fn() {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["task", "--quiet", "exp:als", "--out", out],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
    },
  });
}

addEventListener("unload", () => {
  // Nothing to remove when a --filter left the case out.
  try {
    Deno.removeSync(join(ROOT, out), { recursive: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
});
