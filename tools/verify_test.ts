import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { movieLensTestDir } from "../lib/data/test_data_dir.ts";
import { sampleResults } from "../lib/report/_fixtures.ts";
import { deterministicRule } from "../lib/report/agreement.ts";
import { referenceRun } from "../lib/report/results.ts";
import { readResults, type Results } from "../lib/report/results.ts";
import { type ExperimentEntry, EXPERIMENTS } from "../experiments/registry.ts";
import {
  formatVerifications,
  missingForRerun,
  verdictChanges,
  verifyExperiments,
  verifyResults,
} from "./verify.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const ENTRY: ExperimentEntry = {
  name: "als",
  script: "experiments/als/main.ts",
  task: "exp:als",
  tolerances: { default: 1e-6, metrics: { rmse: 1e-3 }, why: "test" },
  quickArgs: [],
  load: () => Promise.reject(new Error("not loaded in tests")),
};

Deno.test("every pinned reports/<name>.json records what a rerun needs: command, config, checksums, seeds, versions, commit", async () => {
  for (const e of EXPERIMENTS) {
    const pinned = await readResults(join(ROOT, "reports", `${e.name}.json`));
    assert.deepEqual(missingForRerun(pinned), [], e.name);
    assert.equal(pinned.command, `deno task ${e.task}`);
  }
});

Deno.test("missingForRerun names an unknown commit, empty seeds, no data files and a command that is not a task", () => {
  const r = sampleResults();
  r.environment.git_commit = "unknown";
  r.seeds = [];
  r.dataset.files = [];
  r.command = "python als.py";
  const missing = missingForRerun(r).join("\n");
  assert.match(missing, /git_commit is "unknown"/);
  assert.match(missing, /seeds is empty/);
  assert.match(missing, /dataset\.files/);
  assert.match(missing, /"python als\.py" is not a "deno task \.\.\." line/);
  assert.deepEqual(missingForRerun(sampleResults()), []);
});

Deno.test("verifyResults passes identical results and uses the entry's per-metric tolerance", () => {
  assert.ok(verifyResults(ENTRY, sampleResults(), sampleResults()).ok);
  const fresh = sampleResults();
  fresh.metrics.rmse = 0.9125; // 5e-4 off: within rmse's 1e-3
  fresh.comparisons[1].reproduced = 0.9125;
  assert.ok(verifyResults(ENTRY, sampleResults(), fresh).ok);
  fresh.metrics.rmse = 0.914;
  fresh.comparisons[1].reproduced = 0.914;
  const v = verifyResults(ENTRY, sampleResults(), fresh);
  assert.equal(v.ok, false);
  assert.deepEqual(v.rows.filter((r) => !r.ok).map((r) => r.metric), ["rmse"]);
});

Deno.test("verifyResults reports a changed configuration, data checksum and comparison status", () => {
  const fresh = sampleResults();
  fresh.config.factors = 64;
  fresh.dataset.files[0].sha256 = "0".repeat(64);
  // the same row judged by the tolerance rule: 0.275 vs "0.276" differs
  fresh.comparisons[0].rule = deterministicRule("0.276", 0.275, {
    float: "float64",
  });
  fresh.comparisons[0].status = fresh.comparisons[0].rule.status;
  const v = verifyResults(ENTRY, sampleResults(), fresh);
  assert.equal(v.ok, false);
  const text = v.problems.join("\n");
  assert.match(text, /config\.factors differs/);
  assert.match(text, /data files or checksums differ/);
  assert.match(text, /"precision@10": status reproduced → not-reproduced/);
  assert.match(
    text,
    /"precision@10": rule prediction-interval → tolerance/,
  );
  assert.match(
    formatVerifications([v]),
    /== als: FAILED[\s\S]*1 of 1 differ[^\n]*: als/,
  );
});

Deno.test("verdictChanges: none for identical results; names a changed reference verdict and rows missing on either side", () => {
  assert.deepEqual(verdictChanges(sampleResults(), sampleResults()), []);
  const pinned = sampleResults();
  const ours = [0.27, 0.28];
  pinned.comparisons[0].reference = referenceRun(
    "lib",
    [0.27, 0.28, 0.275],
    ours,
  );
  const fresh = sampleResults();
  fresh.comparisons[0].reference = referenceRun("lib", [0.5, 0.51, 0.52], ours);
  assert.deepEqual(verdictChanges(pinned, fresh), [
    'comparison "precision@10": reference re-run reproduced → not-reproduced',
  ]);
  const none = sampleResults();
  assert.deepEqual(verdictChanges(pinned, none), [
    'comparison "precision@10": reference re-run reproduced → none',
  ]);
  // a metric compared twice: the second row keeps its own identity
  const twice = sampleResults();
  twice.comparisons.push(structuredClone(twice.comparisons[0]));
  assert.deepEqual(verdictChanges(sampleResults(), twice), [
    'comparison "precision@10#2": not in the pinned file',
  ]);
  assert.deepEqual(verdictChanges(twice, sampleResults()), [
    'comparison "precision@10#2": missing from the rerun',
  ]);
});

Deno.test("verifyExperiments runs each entry into the out folder with --data-dir and refuses the pinned folder", async () => {
  const pinnedDir = await Deno.makeTempDir({ prefix: "verify-pinned-" });
  try {
    const pinned: Results = sampleResults();
    await Deno.writeTextFile(
      join(pinnedDir, "als.json"),
      JSON.stringify(pinned),
    );
    const seen: (readonly string[])[] = [];
    const outcomes = await verifyExperiments({
      entries: [ENTRY],
      pinnedDir,
      outDir: "/tmp/fresh",
      dataDir: "/data/ml",
      run: (_e, args) => {
        seen.push(args);
        return Promise.resolve(sampleResults());
      },
      log: () => {},
    });
    assert.deepEqual(seen, [["--out", "/tmp/fresh", "--data-dir", "/data/ml"]]);
    assert.ok(outcomes[0].ok);
    await assert.rejects(
      () =>
        verifyExperiments({
          entries: [ENTRY],
          pinnedDir,
          outDir: pinnedDir + "/",
          run: () => Promise.resolve(sampleResults()),
          log: () => {},
        }),
      /never overwrites the pinned files/,
    );
  } finally {
    await Deno.remove(pinnedDir, { recursive: true });
  }
});

const dataDir = movieLensTestDir();

/** How long the verify subprocess may run before it counts as hung. */
const HANG_GUARD_MS = 5 * 60_000;

Deno.test({
  name:
    "real data: deno task verify --only spotlight reruns it in a temporary folder, prints the table and exits 0",
  ignore: dataDir === null,
  async fn() {
    const before = await Deno.readTextFile(
      join(ROOT, "reports", "spotlight.json"),
    );
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-sys=cpus",
        "--allow-net=files.grouplens.org",
        join(ROOT, "tools", "verify.ts"),
        "--only",
        "spotlight",
        "--data-dir",
        dataDir!,
      ],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      // A guard, not a speed check: the run takes seconds; once, under a fully
      // loaded test run, it spun for over 10 minutes inside onnxruntime-web.
      // Kill it rather than hang CI.
      signal: AbortSignal.timeout(HANG_GUARD_MS),
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, out + new TextDecoder().decode(stderr));
    assert.match(out, /== spotlight: ok/);
    assert.match(out, /test_rmse +0\.943647 +0\.943647 +0 +1e-9 +ok/);
    assert.match(out, /verify: all 1 experiments match/);
    assert.equal(
      await Deno.readTextFile(join(ROOT, "reports", "spotlight.json")),
      before,
      "verify must not touch the pinned file",
    );
  },
});
