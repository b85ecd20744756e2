import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleResults } from "./_fixtures.ts";
import { deterministicRule, notComparable } from "./agreement.ts";
import {
  comparison,
  countComparison,
  exactComparison,
  median,
  otherSettingsNote,
  readResults,
  referenceRun,
  type Results,
  ResultsError,
  serializeResults,
  summarize,
  validateResults,
  writeResults,
} from "./results.ts";

// deno-lint-ignore no-explicit-any
type Loose = Record<string, any>;

function rejects(
  mutate: (r: Loose) => void,
  message: string | RegExp,
): void {
  const r = structuredClone(sampleResults()) as unknown as Loose;
  mutate(r);
  assert.throws(
    () => validateResults(r, "reports/als.json"),
    (e: unknown) => {
      assert.ok(e instanceof ResultsError, String(e));
      if (typeof message === "string") assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    },
  );
}

Deno.test("validateResults accepts the sample and returns it", () => {
  const r = sampleResults();
  assert.equal(validateResults(r, "x"), r);
  r.environment.generated_at = "2025-01-01T00:00:00Z";
  r.seeds = [];
  r.comparisons = [];
  validateResults(r, "x");
});

Deno.test("validateResults names the file and the field in every error", () => {
  rejects(
    (r) => (r.schema = "cf-results/2"),
    'reports/als.json: schema: expected "cf-results/1", got "cf-results/2"',
  );
  rejects(
    (r) => delete r.command,
    "reports/als.json: command: expected a value (the field is required), got nothing",
  );
  rejects(
    (r) => (r.extra = 1),
    /^reports\/als\.json: extra: expected no such field \(allowed: schema, /,
  );
  rejects(
    (r) => (r.experiment = "ALS run"),
    /^reports\/als\.json: experiment: expected a file-name-safe id/,
  );
  rejects(
    (r) => (r.metrics.rmse = "0.9"),
    'reports/als.json: metrics.rmse: expected a finite number or { mean, std, values }, got "0.9"',
  );
  rejects(
    (r) => (r.metrics.rmse = null),
    "reports/als.json: metrics.rmse: expected a finite number or { mean, std, values }, got null",
  );
  rejects(
    (r) => (r.metrics["precision@10"].mean = 0.3),
    'reports/als.json: metrics["precision@10"].mean: expected the mean of values (0.275), got 0.3',
  );
  rejects(
    (r) => (r.metrics["precision@10"].values = []),
    /metrics\["precision@10"\]\.values: expected a non-empty array/,
  );
  rejects(
    (r) => (r.dataset.files[0].sha256 = "abc"),
    'reports/als.json: dataset.files[0].sha256: expected 64 lowercase hex digits, got "abc"',
  );
  rejects(
    (r) => (r.dataset.files[0].md5 = "ABC"),
    /dataset\.files\[0\]\.md5: expected 32 lowercase hex digits/,
  );
  rejects(
    (r) => (r.dataset.counts.users = -1),
    "reports/als.json: dataset.counts.users: expected an integer ≥ 0, got -1",
  );
  rejects(
    (r) => (r.config.factors = Infinity),
    "reports/als.json: config.factors: expected a finite number, got Infinity",
  );
  rejects(
    (r) => (r.config.split.when = new Date(0)),
    /config\.split\.when: expected plain JSON/,
  );
  rejects(
    (r) => (r.seeds = [1.5]),
    "reports/als.json: seeds[0]: expected an integer ≥ 0, got 1.5",
  );
  rejects(
    (r) => (r.comparisons[0].metric = "ndcg@10"),
    /comparisons\[0\]\.metric: expected a key of metrics, got "ndcg@10"/,
  );
  rejects(
    (r) => (r.comparisons[0].reproduced = 0.5),
    /comparisons\[0\]\.reproduced: expected metrics\["precision@10"\] \(0\.275\), got 0\.5/,
  );
  rejects(
    (r) => (r.comparisons[0].difference = 0.001),
    /comparisons\[0\]\.difference: expected reproduced − published/,
  );
  rejects(
    (r) => (r.comparisons[1].difference = 0),
    /comparisons\[1\]\.difference: expected null \(published is not a number\)/,
  );
  rejects(
    (r) => (r.comparisons[0].status = "ok"),
    /comparisons\[0\]\.status: expected one of reproduced, explained, not-reproduced/,
  );
  rejects(
    (r) => (r.comparisons[1].note = " "),
    'reports/als.json: comparisons[1].note: expected a non-empty string, got " "',
  );
  rejects(
    (r) => (r.timings_s.fit = -1),
    "reports/als.json: timings_s.fit: expected seconds ≥ 0, got -1",
  );
  rejects(
    (r) => (r.environment.cores = 0),
    "reports/als.json: environment.cores: expected an integer ≥ 1, got 0",
  );
  rejects(
    (r) => (r.document.published.rmse = true),
    "reports/als.json: document.published.rmse: expected a finite number, got true",
  );
  assert.throws(
    () => validateResults([], "f.json"),
    /^ResultsError: f\.json: \(top level\): expected an object, got an array$/,
  );
});

Deno.test("serializeResults gives the same bytes whatever the key insertion order", () => {
  const a = sampleResults();
  const b = sampleResults();
  b.metrics = {
    rmse: 0.912,
    "precision@10": { values: [0.27, 0.28], std: 0.005, mean: 0.275 },
  } as Results["metrics"];
  b.config = {
    tags: ["a", "b"],
    split: { by: "user", test_fraction: 0.2 },
    regularization: 0.01,
    factors: 50,
  };
  b.timings_s = { fit: 12.5, load: 0.41 };
  const reordered = Object.fromEntries(
    Object.entries(b).reverse(),
  ) as unknown as Results;
  const text = serializeResults(a);
  assert.equal(serializeResults(reordered), text);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(Object.keys(JSON.parse(text)), [
    "schema",
    "experiment",
    "title",
    "command",
    "document",
    "dataset",
    "config",
    "seeds",
    "metrics",
    "comparisons",
    "timings_s",
    "environment",
  ]);
  assert.deepEqual(Object.keys(JSON.parse(text).config), [
    "factors",
    "regularization",
    "split",
    "tags",
  ]);
  assert.match(text, /"difference": -0\.0010000000000000009,/); // numbers exactly as JS prints them
});

Deno.test("serializeResults refuses invalid results", () => {
  const r = sampleResults();
  r.metrics.rmse = NaN;
  assert.throws(
    () => serializeResults(r),
    /^ResultsError: results: metrics\.rmse: expected a finite number, got NaN$/,
  );
});

Deno.test("writeResults then readResults round-trips; readResults names the file on errors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "als.json");
    await writeResults(path, sampleResults());
    assert.deepEqual(
      await readResults(path),
      JSON.parse(serializeResults(sampleResults())),
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "als.json",
    ]);

    await assert.rejects(
      readResults(join(dir, "nope.json")),
      new RegExp(`^ResultsError: ${dir}/nope\\.json: no such results file$`),
    );
    await Deno.writeTextFile(path, "{ not json");
    await assert.rejects(
      readResults(path),
      (e: unknown) =>
        e instanceof ResultsError &&
        e.message.startsWith(`${path}: not valid JSON: `),
    );
    await Deno.writeTextFile(
      path,
      JSON.stringify({ ...sampleResults(), seeds: "42" }),
    );
    await assert.rejects(
      readResults(path),
      (e: unknown) =>
        e instanceof ResultsError &&
        e.message === `${path}: seeds: expected an array of integers, got "42"`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("summarize computes mean and population std", () => {
  // numpy: np.mean([1, 2, 4]) = 2.3333333333333335, np.std([1, 2, 4]) = 1.247219128924647
  const s = summarize([1, 2, 4]);
  assert.equal(s.mean, 2.3333333333333335);
  assert.ok(Math.abs(s.std - 1.5275252316519468) < 1e-15);
  assert.deepEqual(s.values, [1, 2, 4]);
  assert.throws(() => summarize([]), RangeError);
});

Deno.test("comparison takes reproduced from the metrics, computes the difference and takes its status from the rule", () => {
  const metrics = { rmse: 0.95, map: { mean: 0.2, std: 0, values: [0.2] } };
  const rule = deterministicRule("0.90", 0.95, { float: "float64" });
  assert.deepEqual(
    comparison("rmse", metrics, 0.9, rule, "different split"),
    {
      metric: "rmse",
      published: 0.9,
      reproduced: 0.95,
      difference: 0.95 - 0.9,
      status: "not-reproduced",
      note: "different split",
      rule,
    },
  );
  const na = notComparable("read off a plot");
  assert.equal(comparison("map", metrics, "about 0.2", na).difference, null);
  assert.equal(
    comparison("map", metrics, "about 0.2", na).status,
    "not-comparable",
  );
  assert.equal(comparison("map", metrics, 0.25, na).reproduced, 0.2);
  assert.throws(
    () => comparison("ndcg", metrics, 1, na),
    /no metric "ndcg"/,
  );
});

Deno.test("exactComparison: reproduced only when equal; not comparable when the run's flags changed the count; else not reproduced", () => {
  const metrics = {
    users: 943,
    items: { mean: 1682, std: 0, values: [1682] },
  };
  const same = exactComparison("users", metrics, 943, null, "ok");
  assert.equal(same.status, "reproduced");
  assert.equal(same.note, "ok");
  assert.equal(same.rule.rule, "tolerance");
  assert.equal(
    exactComparison("items", metrics, 1682, null).status,
    "reproduced",
  );
  const changed = exactComparison("users", metrics, 944, "other data");
  assert.equal(changed.status, "not-comparable");
  assert.equal(changed.note, "other data");
  const differs = exactComparison(
    "users",
    metrics,
    944,
    null,
    "users with a rating",
  );
  assert.equal(differs.status, "not-reproduced");
  assert.match(
    differs.note,
    /differs from the document's value; users with a rating/,
  );
  assert.throws(
    () => exactComparison("ratings", metrics, 1, null),
    /exactComparison: no metric "ratings"/,
  );
});

Deno.test("countComparison names the document's basis when a count differs", () => {
  const row = countComparison("users", { users: 942 }, 943, null, {
    basis: "data",
  });
  assert.equal(row.status, "not-reproduced");
  assert.match(row.note, /with the document's data/);
});

Deno.test("referenceRun: sample mean and std of the reference and Welch's test of ours against it", () => {
  const ref = referenceRun("lib 1.0, 3 seeds", [1, 2, 3], [1.1, 2.1, 2.9]);
  assert.equal(ref.mean, 2);
  assert.equal(ref.std, 1);
  assert.equal(ref.rule.rule, "welch");
  assert.equal(ref.rule.status, "reproduced");
});

Deno.test("median of odd and even counts, unrounded; empty input throws", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([0.1, 0.2]), 0.15000000000000002);
  assert.throws(() => median([]), RangeError);
});

Deno.test("countComparison: equal → reproduced with its note; changed flags explain; else not reproduced on the document's basis", () => {
  const metrics = { users: 943, items: 1680 };
  const other = otherSettingsNote(["--dim", "8"]);
  assert.equal(other, "run with other settings than the document's (--dim 8)");
  const eq = countComparison("users", metrics, 943, other, { note: "ids" });
  assert.deepEqual([eq.status, eq.note], ["reproduced", "ids"]);
  const changed = countComparison("items", metrics, 1682, other);
  assert.deepEqual([changed.status, changed.note], ["explained", other]);
  const same = countComparison("items", metrics, 1682, null);
  assert.deepEqual([same.status, same.note], [
    "not-reproduced",
    "differs from the document's count with the document's data and split",
  ]);
  const split = countComparison("items", metrics, 1682, null, {
    basis: "split",
    note: "ceil(0.25 n)",
  });
  assert.equal(
    split.note,
    "differs from the document's count with the document's split; ceil(0.25 n)",
  );
  assert.throws(
    () => countComparison("nope", metrics, 1, null),
    /no metric "nope"/,
  );
});
