import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { readResults, type Results } from "../lib/report/results.ts";
import { checkPinned } from "./_pinned_check.ts";

const PINNED = fileURLToPath(
  new URL("../reports/spotlight.json", import.meta.url),
);

/** checkPinned on a stand-in `main` returning `change(pinned)`; reports the --out folder. */
async function run(change: (r: Results) => void) {
  const pinned = await readResults(PINNED);
  let out = "";
  let extraSawOut = false;
  const result = checkPinned({
    experiment: "spotlight",
    pinnedPath: PINNED,
    dataDir: "/nowhere",
    perSeed: ["test_rmse"],
    sameDataset: true,
    main: (args) => {
      assert.deepEqual(args.slice(0, 3), ["--data-dir", "/nowhere", "--out"]);
      out = args[3];
      const fresh = structuredClone(pinned);
      change(fresh);
      return Promise.resolve(fresh);
    },
    extra: (_fresh, dir) => {
      extraSawOut = dir === out && Deno.statSync(dir).isDirectory;
    },
  });
  return { result, out: () => out, extraSawOut: () => extraSawOut };
}

function gone(dir: string): boolean {
  try {
    Deno.statSync(dir);
    return false;
  } catch (e) {
    return e instanceof Deno.errors.NotFound;
  }
}

Deno.test("checkPinned passes identical results, runs the extra checks and removes its folder", async () => {
  const r = await run(() => {});
  await r.result;
  assert.ok(r.extraSawOut());
  assert.ok(gone(r.out()));
});

Deno.test("checkPinned fails on a changed comparison status and still removes its folder", async () => {
  const r = await run((f) => {
    (f.comparisons[0] as { status: string }).status = "not-reproduced";
  });
  await assert.rejects(r.result, assert.AssertionError);
  assert.ok(!r.extraSawOut());
  assert.ok(gone(r.out()));
});

Deno.test("checkPinned fails on a metric moved past its tolerance, naming it", async () => {
  const r = await run((f) => {
    f.metrics.users = (f.metrics.users as number) + 1;
  });
  await assert.rejects(r.result, /pinned results changed:[^]*users/);
});

Deno.test("checkPinned fails on a changed per-seed value and on a changed config", async () => {
  const seeds = await run((f) => {
    const s = f.metrics.test_rmse as { values: number[] };
    s.values = [...s.values].reverse();
  });
  await assert.rejects(seeds.result, /test_rmse per seed/);
  const config = await run((f) => {
    (f.config as Record<string, unknown>).extra = 1;
  });
  await assert.rejects(config.result, assert.AssertionError);
});
