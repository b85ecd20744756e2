import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { movieLensTestDir } from "../lib/data/test_data_dir.ts";
import { sampleResults } from "../lib/report/_fixtures.ts";
import { deterministicRule } from "../lib/report/agreement.ts";
import { referenceRun } from "../lib/report/results.ts";
import { readResults, type Results } from "../lib/report/results.ts";
import { type ExperimentEntry, EXPERIMENTS } from "../experiments/registry.ts";
import { sha256Hex } from "../lib/onnx/digest.ts";
import { exportFactorModel } from "../lib/onnx/export.ts";
import {
  checkModelFiles,
  checkVerifyOut,
  formatVerifications,
  missingForRerun,
  modelNotes,
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
        "--allow-write=data,reports",
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
    // The pinned test RMSE, printed to 6 significant digits on both sides.
    const pinnedRmse = Number(
      (JSON.parse(before).metrics.test_rmse.mean as number).toPrecision(6),
    ).toString().replace(".", "\\.");
    assert.match(
      out,
      new RegExp(`test_rmse +${pinnedRmse} +${pinnedRmse} +0 +1e-9 +ok`),
    );
    assert.match(out, /verify: all 1 experiments match/);
    assert.equal(
      await Deno.readTextFile(join(ROOT, "reports", "spotlight.json")),
      before,
      "verify must not touch the pinned file",
    );
  },
});

/** A symbolic link under reports/runs/ to `target`, removed after `fn`. */
async function withAlias(
  target: string,
  fn: (alias: string) => Promise<void>,
): Promise<void> {
  const runs = join(ROOT, "reports", "runs");
  await Deno.mkdir(runs, { recursive: true });
  const alias = join(runs, `.alias-test-${Deno.pid}-${crypto.randomUUID()}`);
  await Deno.symlink(target, alias);
  try {
    await fn(alias);
  } finally {
    await Deno.remove(alias);
  }
}

Deno.test("checkVerifyOut refuses reports/, an alias of it, the pinned folder and anything outside reports/; accepts a folder under reports/runs/", async () => {
  const reports = join(ROOT, "reports");
  const refused = (out: string, pinned = reports) =>
    assert.throws(
      () => checkVerifyOut(out, pinned),
      /^CliError: --out .*verify never overwrites the pinned files/,
      out,
    );
  refused(reports);
  refused(join(reports, "runs", ".."));
  refused("/tmp/verify-out");
  refused(join(reports, "runs", "x"), join(reports, "runs", "x"));
  await withAlias(reports, async (alias) => {
    refused(alias);
    refused(alias + "/");
    await Promise.resolve();
  });
  await withAlias("/tmp", async (alias) => {
    refused(join(alias, "fresh"));
    await Promise.resolve();
  });
  checkVerifyOut(join(reports, "runs", "verify-fresh"), reports);
});

Deno.test("verifyExperiments refuses an out folder that is the pinned folder through a symbolic link", async () => {
  const pinnedDir = await Deno.makeTempDir({ prefix: "verify-pinned-" });
  const alias = pinnedDir + "-alias";
  await Deno.symlink(pinnedDir, alias);
  try {
    let ran = false;
    await assert.rejects(
      () =>
        verifyExperiments({
          entries: [ENTRY],
          pinnedDir,
          outDir: alias,
          run: () => {
            ran = true;
            return Promise.resolve(sampleResults());
          },
          log: () => {},
        }),
      /never overwrites the pinned files/,
    );
    assert.equal(ran, false);
  } finally {
    await Deno.remove(alias);
    await Deno.remove(pinnedDir, { recursive: true });
  }
});

Deno.test("deno task verify (its permissions) with --out an alias of reports/ or a folder outside exits 2 at once, the pinned file untouched", async () => {
  const pinned = join(ROOT, "reports", "als.json");
  const before = await Deno.readFile(pinned);
  await withAlias(join(ROOT, "reports"), async (alias) => {
    for (const out of [alias, "/tmp/verify-elsewhere"]) {
      const { code, stdout, stderr } = await new Deno.Command(
        Deno.execPath(),
        {
          args: [
            "run",
            "--allow-read",
            "--allow-write=data,reports",
            "--allow-env",
            "--allow-sys=cpus",
            "--allow-run=git",
            join(ROOT, "tools", "verify.ts"),
            "--only",
            "als",
            "--out",
            out,
          ],
          cwd: ROOT,
          env: { NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        },
      ).output();
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 2, err);
      assert.equal(new TextDecoder().decode(stdout), "", "nothing was run");
      assert.match(err, /^error: --out .*verify never overwrites/);
    }
  });
  assert.deepEqual(await Deno.readFile(pinned), before);
});

Deno.test("checkModelFiles refuses a model with 100 flipped bytes, a missing required file and a SHA-256 other than the recorded one; modelNotes names changed bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "verify-models-" });
  try {
    const bytes = exportFactorModel({
      nUsers: 2,
      nItems: 3,
      factors: 2,
      userFactors: Float32Array.of(1, 0, 0, 1),
      itemFactors: Float32Array.of(1, 2, 3, 4, 5, 6),
    });
    await Deno.mkdir(join(dir, "als"));
    await Deno.writeFile(join(dir, "als", "model.onnx"), bytes);
    const r = sampleResults();
    r.models = [{
      path: "als/model.onnx",
      sha256: sha256Hex(bytes),
      bytes: bytes.length,
    }];
    const opts = { required: true, exact: true };
    assert.deepEqual(await checkModelFiles(dir, r, opts), []);
    // 100 flipped bytes (xor 0xff) at spread positions.
    const bad = bytes.slice();
    for (let k = 0; k < 100; k++) {
      bad[Math.floor((k * bad.length) / 100)] ^= 0xff;
    }
    await Deno.writeFile(join(dir, "als", "model.onnx"), bad);
    const problems = await checkModelFiles(dir, r, opts);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^model .*als\/model\.onnx: /);
    assert.doesNotMatch(problems[0], /\n/);
    // Sealed but not the recorded file.
    const other = exportFactorModel({
      nUsers: 1,
      nItems: 1,
      factors: 1,
      userFactors: Float32Array.of(1),
      itemFactors: Float32Array.of(2),
    });
    await Deno.writeFile(join(dir, "als", "model.onnx"), other);
    assert.match(
      (await checkModelFiles(dir, r, opts))[0],
      /its SHA-256 is not the one its results record/,
    );
    assert.deepEqual(
      await checkModelFiles(dir, r, { required: false, exact: false }),
      [],
    );
    await Deno.remove(join(dir, "als", "model.onnx"));
    assert.match((await checkModelFiles(dir, r, opts))[0], /: missing$/);
    assert.deepEqual(
      await checkModelFiles(dir, r, { required: false, exact: false }),
      [],
    );
    const fresh = sampleResults();
    fresh.models = [{ ...r.models[0], sha256: sha256Hex(other) }];
    assert.match(
      modelNotes(r, fresh).join("\n"),
      /model als\/model\.onnx: bytes differ from the pinned record's/,
    );
    assert.deepEqual(modelNotes(r, r), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
