import assert from "node:assert/strict";
import { join } from "node:path";
import { defineFlags } from "../cli.ts";
import { sampleResults } from "../report/_fixtures.ts";
import { deterministicRule } from "../report/agreement.ts";
import { referenceRun } from "../report/results.ts";
import {
  OUTPUT_FLAGS,
  repeatsFlag,
  seedFlag,
  threadsFlag,
} from "./common_flags.ts";
import {
  changedFlags,
  configHash,
  planOutput,
  resultDifferences,
} from "./pinning.ts";

const SPEC = defineFlags({
  dim: { type: "int", default: 8, help: "d" },
  ratings: { type: "string", optional: true },
  fast: { type: "bool" },
  seed: seedFlag(0, "s"),
  repeats: repeatsFlag(5, "r"),
  threads: threadsFlag(),
  ...OUTPUT_FLAGS,
});
const DEFAULTS = {
  dim: 8,
  ratings: undefined,
  fast: false,
  seed: 0,
  repeats: 5,
  threads: 2,
  "data-dir": undefined,
  out: undefined,
  pin: false,
};

Deno.test("changedFlags: result-neutral flags (data-dir, out, threads, pin) never count; optional and bool flags do", () => {
  assert.deepEqual(changedFlags(SPEC, DEFAULTS), []);
  assert.deepEqual(
    changedFlags(SPEC, {
      ...DEFAULTS,
      threads: 7,
      out: "x",
      "data-dir": "d",
      pin: true,
    }),
    [],
  );
  assert.deepEqual(
    changedFlags(SPEC, { ...DEFAULTS, ratings: "my.csv", fast: true, dim: 4 }),
    [["dim", 4], ["ratings", "my.csv"], ["fast", true]],
  );
});

Deno.test("configHash: 8 hex digits, equal for equal changes, different otherwise", () => {
  const a = configHash([["dim", 4]]);
  assert.match(a, /^[0-9a-f]{8}$/);
  assert.equal(a, configHash([["dim", 4]]));
  assert.notEqual(a, configHash([["dim", 5]]));
});

Deno.test("planOutput: the default configuration writes to reports/, any other to reports/runs/<name>-<hash>/", () => {
  const reports = "/tmp/does-not-exist-reports";
  const d = planOutput("x", SPEC, DEFAULTS, reports);
  assert.equal(d.dir, reports);
  assert.ok(d.pinnedDir && d.isDefault);
  const o = planOutput("x", SPEC, { ...DEFAULTS, dim: 4 }, reports);
  assert.equal(
    o.dir,
    join(reports, "runs", `x-${configHash([["dim", 4]])}`),
  );
  assert.ok(!o.pinnedDir && !o.isDefault);
  const elsewhere = planOutput(
    "x",
    SPEC,
    { ...DEFAULTS, out: "/tmp/y" },
    reports,
  );
  assert.equal(elsewhere.dir, "/tmp/y");
  assert.ok(!elsewhere.pinnedDir);
});

Deno.test("planOutput: --pin or --out reports/ with a non-default configuration is a usage error naming the flags", () => {
  const reports = "/tmp/does-not-exist-reports";
  assert.throws(
    () => planOutput("x", SPEC, { ...DEFAULTS, dim: 4, pin: true }, reports),
    /--pin: only the document's configuration is pinned, and this run changes --dim/,
  );
  assert.throws(
    () =>
      planOutput("x", SPEC, { ...DEFAULTS, repeats: 1, out: reports }, reports),
    /--out .*holds the pinned results.*changes --repeats/,
  );
});

Deno.test("resultDifferences: none for the same numbers; timings, environment, command and data source do not count", () => {
  const a = sampleResults(), b = sampleResults();
  b.timings_s = { fit: 99 };
  b.environment.git_commit = "f".repeat(40);
  b.command = "deno task exp:als --out /tmp/x";
  b.dataset.source = "elsewhere";
  assert.deepEqual(resultDifferences(a, b, { default: 0 }), []);
});

Deno.test("resultDifferences: a metric past tolerance, a per-seed value, the config, a status or a note are differences", () => {
  const tol = { default: 1e-6 };
  const a = sampleResults();
  const near = sampleResults();
  (near.metrics.rmse as number) += 1e-7;
  near.comparisons[1].reproduced += 1e-7;
  assert.deepEqual(resultDifferences(a, near, tol), []);
  const far = sampleResults();
  far.metrics.rmse = 0.95;
  assert.match(resultDifferences(a, far, tol).join("\n"), /metric rmse/);
  const seed = sampleResults();
  (seed.metrics["precision@10"] as { values: number[] }).values[1] = 0.2;
  assert.match(resultDifferences(a, seed, tol).join("\n"), /per-seed/);
  const cfg = sampleResults();
  cfg.config.factors = 51;
  assert.match(resultDifferences(a, cfg, tol).join("\n"), /config\.factors/);
  const st = sampleResults();
  st.comparisons[0].rule = deterministicRule("0.276", 0.275, {
    float: "float64",
  });
  st.comparisons[0].status = st.comparisons[0].rule.status;
  assert.match(
    resultDifferences(a, st, tol).join("\n"),
    /comparison row precision@10/,
  );
  // the same status from another rule is a different verdict
  const rule = sampleResults();
  rule.comparisons[0].rule = deterministicRule("0.27", 0.275, {
    float: "float64",
  });
  assert.equal(rule.comparisons[0].rule.status, "reproduced");
  assert.match(
    resultDifferences(a, rule, tol).join("\n"),
    /comparison row precision@10/,
  );
  // a reference re-run added, or one whose verdict changed
  const ours = [0.27, 0.28];
  const ref = sampleResults();
  ref.comparisons[0].reference = referenceRun("lib", [0.27, 0.28, 0.275], ours);
  assert.match(
    resultDifferences(a, ref, tol).join("\n"),
    /comparison row precision@10/,
  );
  assert.deepEqual(resultDifferences(ref, structuredClone(ref), tol), []);
  const moved = structuredClone(ref);
  moved.comparisons[0].reference = referenceRun("lib", [0.5, 0.51, 0.52], ours);
  assert.match(
    resultDifferences(ref, moved, tol).join("\n"),
    /comparison row precision@10/,
  );
  const note = sampleResults();
  note.comparisons[1].note = "other";
  assert.match(
    resultDifferences(a, note, tol).join("\n"),
    /comparison row rmse/,
  );
});

Deno.test("resultDifferences: a pinned file without the run's model files differs; the models' bytes do not count", () => {
  const pinned = sampleResults();
  const fresh = sampleResults();
  fresh.models = [{
    path: "als/model.onnx",
    sha256: "a".repeat(64),
    bytes: 10,
  }];
  assert.deepEqual(resultDifferences(pinned, fresh, { default: 1e-9 }), [
    "models differ: the pinned file records none, the run wrote als/model.onnx",
  ]);
  pinned.models = [{ ...fresh.models[0], sha256: "b".repeat(64) }];
  assert.deepEqual(resultDifferences(pinned, fresh, { default: 1e-9 }), []);
});
