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
  referenceSummary,
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
    (r) => (r.schema = "cf-results/1"),
    'reports/als.json: schema: expected "cf-results/2", got "cf-results/1"',
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
    "precision@10": {
      values: [0.27, 0.28],
      std: 0.007071067811865481,
      mean: 0.275,
    },
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

Deno.test("summarize computes mean and sample std (ddof 1), 0 for one value", () => {
  // numpy: np.mean([1, 2, 4]) = 2.3333333333333335,
  // np.std([1, 2, 4], ddof=1) = 1.5275252316519468 (ddof 0 would be 1.247219128924647)
  const s = summarize([1, 2, 4]);
  assert.equal(s.mean, 2.3333333333333335);
  assert.ok(Math.abs(s.std - 1.5275252316519468) < 1e-15);
  assert.deepEqual(s.values, [1, 2, 4]);
  assert.deepEqual(summarize([0.5]), { mean: 0.5, std: 0, values: [0.5] });
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

Deno.test("referenceRun keeps the values and tests ours against them (differs → not reproduced)", () => {
  const ref = referenceRun("lib 1.0", [0.95, 0.951, 0.949], [
    0.9,
    0.901,
    0.899,
  ]);
  assert.deepEqual(ref.values, [0.95, 0.951, 0.949]);
  assert.equal(ref.n, undefined);
  assert.equal(ref.rule.status, "not-reproduced");
  assert.deepEqual(Object.keys(ref), [
    "source",
    "values",
    "mean",
    "std",
    "rule",
  ]);
});

const OURS4 = [0.938, 0.941, 0.943, 0.945];

Deno.test("referenceSummary: Welch's test from summary statistics matches scipy ttest_ind_from_stats", () => {
  // scipy.stats.ttest_ind_from_stats(mean(OURS4), std(OURS4, ddof=1), 4,
  //   0.95, 0.004, 10, equal_var=False) → t -4.216011760972861, p 0.003333697359403937
  const differs = referenceSummary(
    "lib 1.0, 10 seeds",
    { n: 10, mean: 0.95, std: 0.004, min: 0.944, max: 0.957 },
    OURS4,
  );
  assert.deepEqual(Object.keys(differs), [
    "source",
    "n",
    "mean",
    "std",
    "min",
    "max",
    "rule",
  ]);
  assert.equal(differs.values, undefined);
  assert.deepEqual([
    differs.n,
    differs.mean,
    differs.std,
    differs.min,
    differs.max,
  ], [
    10,
    0.95,
    0.004,
    0.944,
    0.957,
  ]);
  assert.equal(differs.rule.rule, "welch");
  assert.equal(differs.rule.status, "not-reproduced");
  const p = differs.rule.parameters as {
    t: number;
    p: number;
    n_reference: number;
  };
  assert.ok(Math.abs(p.t - -4.216011760972861) < 1e-12 * 4.3, String(p.t));
  assert.ok(Math.abs(p.p - 0.003333697359403937) < 1e-10 * 0.0034, String(p.p));
  assert.equal(p.n_reference, 10);
  assert.match(differs.rule.interval_text, /reference from summary statistics/);
  // scipy: same with reference mean 0.9425 → p 0.7120755071610878
  const agrees = referenceSummary(
    "lib",
    { n: 10, mean: 0.9425, std: 0.004 },
    OURS4,
  );
  assert.equal(agrees.rule.status, "reproduced");
  assert.ok(
    Math.abs((agrees.rule.parameters as { p: number }).p - 0.7120755071610878) <
      1e-10,
  );
  assert.deepEqual(Object.keys(agrees), ["source", "n", "mean", "std", "rule"]);
});

Deno.test("referenceSummary agrees with referenceRun on the summary of the same values", () => {
  const values = [0.951, 0.947, 0.955, 0.949, 0.944];
  const full = referenceRun("lib", values, OURS4);
  const s = summarize(values);
  const summary = referenceSummary(
    "lib",
    { n: 5, mean: s.mean, std: s.std },
    OURS4,
  );
  const a = full.rule.parameters as Record<string, number>;
  const b = summary.rule.parameters as Record<string, number>;
  for (const k of ["t", "df", "p", "hedges_g", "difference"]) {
    assert.ok(
      Math.abs(a[k] - b[k]) <= 1e-12 * Math.abs(a[k]),
      `${k}: ${a[k]} vs ${b[k]}`,
    );
  }
  assert.equal(summary.rule.status, full.rule.status);
});

Deno.test("referenceSummary: one reference seed cannot be judged; bad statistics throw", () => {
  const one = referenceSummary("lib", { n: 1, mean: 0.94, std: 0 }, OURS4);
  assert.equal(one.rule.status, "cannot-judge");
  assert.throws(
    () => referenceSummary("lib", { n: 0, mean: 0.94, std: 0 }, OURS4),
    /n 0 must be an integer >= 1/,
  );
  assert.throws(
    () => referenceSummary("lib", { n: 2.5, mean: 0.94, std: 0 }, OURS4),
    RangeError,
  );
  assert.throws(
    () => referenceSummary("lib", { n: 3, mean: NaN, std: 0.1 }, OURS4),
    /mean NaN is not finite/,
  );
  assert.throws(
    () => referenceSummary("lib", { n: 3, mean: 0.9, std: -0.1 }, OURS4),
    /std -0\.1 < 0/,
  );
  assert.throws(
    () =>
      referenceSummary("lib", { n: 3, mean: 0.9, std: 0.1, min: 0.91 }, OURS4),
    /min 0\.91 <= mean 0\.9/,
  );
  assert.throws(
    () =>
      referenceSummary("lib", { n: 3, mean: 0.9, std: 0.1, max: 0.89 }, OURS4),
    RangeError,
  );
});

/** The sample with a reference on its first row: per-seed values, or summary statistics. */
function withReference(kind: "values" | "summary"): Results {
  const r = sampleResults();
  const ours = (r.metrics["precision@10"] as { values: number[] }).values;
  r.comparisons[0].reference = kind === "values"
    ? referenceRun("lib 1.0, 3 seeds", [0.27, 0.275, 0.281], ours)
    : referenceSummary(
      "lib 1.0, 10 seeds",
      { n: 10, mean: 0.276, std: 0.004, min: 0.27, max: 0.283 },
      ours,
    );
  return r;
}

function rejectsReference(
  kind: "values" | "summary",
  mutate: (ref: Loose) => void,
  message: string | RegExp,
): void {
  const r = structuredClone(withReference(kind)) as unknown as Loose;
  mutate(r.comparisons[0].reference);
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

Deno.test("validateResults accepts a reference with values and one with summary statistics", () => {
  validateResults(withReference("values"), "x");
  validateResults(withReference("summary"), "x");
});

Deno.test("validateResults rejects a row whose status differs from its rule's, a missing or unknown rule", () => {
  rejects(
    (r) => {
      r.comparisons[0].status = "explained";
      r.comparisons[0].note = "a cause";
    },
    'reports/als.json: comparisons[0].status: expected the rule\'s status (reproduced), got "explained"',
  );
  rejects(
    (r) => (r.comparisons[0].rule.status = "not-reproduced"),
    'reports/als.json: comparisons[0].status: expected the rule\'s status (not-reproduced), got "reproduced"',
  );
  rejects(
    (r) => delete r.comparisons[0].rule,
    "reports/als.json: comparisons[0].rule: expected a value (the field is required), got nothing",
  );
  rejects(
    (r) => (r.comparisons[0].rule = "prediction-interval"),
    /comparisons\[0\]\.rule: expected an agreement record \(an object\)/,
  );
  rejects(
    (r) => (r.comparisons[0].rule.rule = "eyeballed"),
    /comparisons\[0\]\.rule\.rule: expected one of tolerance, prediction-interval, welch, none, got "eyeballed"/,
  );
  rejects(
    (r) => (r.comparisons[0].rule.status = "fine"),
    /comparisons\[0\]\.rule\.status: expected one of reproduced, /,
  );
  rejects(
    (r) => (r.comparisons[0].status = "fine"),
    /comparisons\[0\]\.status: expected one of reproduced, explained, not-reproduced, hypothesis, cannot-judge, not-comparable, got "fine"/,
  );
});

Deno.test("validateResults rejects a rule that judged other figures than its row's", () => {
  rejects(
    (r) => (r.comparisons[0].rule.parameters.published = 0.3),
    "reports/als.json: comparisons[0].rule.parameters.published: expected the row's published figure (0.276), got 0.3",
  );
  rejects(
    (r) => {
      r.metrics.n = 943;
      r.comparisons.push(
        comparison(
          "n",
          r.metrics,
          943,
          deterministicRule(943, 942, { count: true }),
          "x",
        ),
      );
      r.comparisons[2].status = "reproduced";
      r.comparisons[2].rule.status = "reproduced";
    },
    "reports/als.json: comparisons[2].rule.parameters.reproduced: expected the row's reproduced figure (943), got 942",
  );
  const ok = sampleResults();
  ok.metrics.n = 943;
  ok.comparisons.push(
    comparison(
      "n",
      ok.metrics,
      943,
      deterministicRule(943, 943, { count: true }),
    ),
  );
  validateResults(ok, "x");
});

Deno.test("validateResults rejects a bad reference", () => {
  rejectsReference(
    "values",
    (ref) => delete ref.source,
    "reports/als.json: comparisons[0].reference.source: expected a value (the field is required), got nothing",
  );
  rejectsReference(
    "values",
    (ref) => (ref.mean = 0.3),
    /comparisons\[0\]\.reference\.mean: expected the mean of values \(0\.275333/,
  );
  rejectsReference(
    "values",
    (ref) => (ref.std = 0.001),
    /comparisons\[0\]\.reference\.std: expected the sample std \(ddof 1\) of values/,
  );
  rejectsReference(
    "values",
    (ref) => (ref.values = []),
    /comparisons\[0\]\.reference\.values: expected a non-empty array/,
  );
  rejectsReference(
    "values",
    (ref) => (ref.n = 3),
    /comparisons\[0\]\.reference\.n: expected no n beside values/,
  );
  rejectsReference(
    "values",
    (ref) => (ref.min = 0.27),
    /comparisons\[0\]\.reference\.min: expected no min beside values/,
  );
  rejectsReference(
    "values",
    (ref) => ref.values.push(0.28),
    /reference\.(mean|rule\.parameters\.n_reference): expected/,
  );
  rejectsReference(
    "summary",
    (ref) => delete ref.n,
    "reports/als.json: comparisons[0].reference: expected either values or n, got nothing",
  );
  rejectsReference(
    "summary",
    (ref) => (ref.n = 1.5),
    /comparisons\[0\]\.reference\.n: expected an integer ≥ 0, got 1\.5/,
  );
  rejectsReference(
    "summary",
    (ref) => (ref.n = 0),
    /comparisons\[0\]\.reference\.n: expected an integer ≥ 1, got 0/,
  );
  rejectsReference(
    "summary",
    (ref) => (ref.n = 12),
    "reports/als.json: comparisons[0].reference.rule.parameters.n_reference: expected the reference's count (12), got 10",
  );
  rejectsReference(
    "summary",
    (ref) => (ref.std = -0.004),
    /comparisons\[0\]\.reference\.std: expected a sample std ≥ 0, got -0\.004/,
  );
  rejectsReference(
    "summary",
    (ref) => (ref.min = 0.28),
    /comparisons\[0\]\.reference\.min: expected at most the mean \(0\.276\), got 0\.28/,
  );
  rejectsReference(
    "summary",
    (ref) => (ref.max = 0.2),
    /comparisons\[0\]\.reference\.max: expected at least the mean \(0\.276\), got 0\.2/,
  );
  rejectsReference(
    "summary",
    (ref) => (ref.rule = notComparable("x")),
    /comparisons\[0\]\.reference\.rule\.rule: expected "welch", got "none"/,
  );
  rejectsReference(
    "summary",
    (ref) => (ref.extra = 1),
    /comparisons\[0\]\.reference\.extra: expected no such field \(allowed: source, mean, std, rule, values, n, min, max\)/,
  );
});

Deno.test("validateResults rejects a document without authors, with a non-http url, a bad year or an old seed_file", () => {
  rejects(
    (r) => (r.document.authors = []),
    /^reports\/als\.json: document\.authors: expected a non-empty array of names, got /,
  );
  rejects(
    (r) => delete r.document.authors,
    /^reports\/als\.json: document\.authors: expected a value \(the field is required\)/,
  );
  rejects(
    (r) => (r.document.authors = [" "]),
    'reports/als.json: document.authors[0]: expected a non-empty string, got " "',
  );
  rejects(
    (r) => (r.document.url = "ftp://example.org/als"),
    'reports/als.json: document.url: expected an http(s) address or null, got "ftp://example.org/als"',
  );
  rejects(
    (r) => (r.document.url = "seeds/als.ipynb"),
    /document\.url: expected an http\(s\) address or null/,
  );
  rejects(
    (r) => (r.document.year = "2020"),
    'reports/als.json: document.year: expected a year or null, got "2020"',
  );
  rejects(
    (r) => (r.document.seed_file = "seeds/001.ipynb"),
    /document\.seed_file: expected no such field \(allowed: title, authors, year, url, published\)/,
  );
  const ok = sampleResults();
  ok.document.year = null;
  ok.document.url = null;
  validateResults(ok, "x");
});

Deno.test("serializeResults writes references in a stable key order, values or summary", () => {
  for (const kind of ["values", "summary"] as const) {
    const a = withReference(kind);
    const b = withReference(kind);
    const ref = b.comparisons[0].reference!;
    b.comparisons[0].reference = Object.fromEntries(
      Object.entries(ref).reverse(),
    ) as unknown as typeof ref;
    b.comparisons[0].rule = Object.fromEntries(
      Object.entries(b.comparisons[0].rule).reverse(),
    ) as unknown as typeof b.comparisons[0]["rule"];
    const text = serializeResults(a);
    assert.equal(serializeResults(b), text);
    const row = JSON.parse(text).comparisons[0];
    assert.deepEqual(Object.keys(row), [
      "metric",
      "published",
      "reproduced",
      "difference",
      "status",
      "note",
      "rule",
      "reference",
    ]);
    assert.deepEqual(
      Object.keys(row.rule),
      Object.keys(row.rule).toSorted(),
    );
    assert.deepEqual(
      Object.keys(row.reference),
      kind === "values"
        ? ["source", "values", "mean", "std", "rule"]
        : ["source", "n", "mean", "std", "min", "max", "rule"],
    );
    assert.deepEqual(
      validateResults(JSON.parse(text), "x").comparisons[0].reference,
      JSON.parse(JSON.stringify(a.comparisons[0].reference)),
    );
  }
});

Deno.test("median of odd and even counts, unrounded; empty input throws", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([0.1, 0.2]), 0.15000000000000002);
  assert.throws(() => median([]), RangeError);
});

Deno.test("countComparison: equal → reproduced with its note; other settings → not comparable even when equal; else not reproduced on the document's basis", () => {
  const metrics = { users: 943, items: 1680 };
  const other = otherSettingsNote(["--dim", "8"]);
  assert.equal(
    other,
    "run with other settings than the document's (--dim 8): not the document's quantity",
  );
  const eq = countComparison("users", metrics, 943, null, { note: "ids" });
  assert.deepEqual([eq.status, eq.note, eq.rule.rule], [
    "reproduced",
    "ids",
    "tolerance",
  ]);
  for (const published of [943, 944]) {
    const changed = countComparison("users", metrics, published, other);
    assert.deepEqual([changed.status, changed.note, changed.rule.rule], [
      "not-comparable",
      other,
      "none",
    ]);
  }
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

Deno.test("validateResults: models records path, sha256 and bytes; serializeResults keeps them after comparisons; bad paths are refused", () => {
  const r = sampleResults();
  r.models = [{ path: "als/model.onnx", sha256: "0".repeat(64), bytes: 12 }];
  const text = serializeResults(r);
  assert.ok(text.indexOf('"models"') > text.indexOf('"comparisons"'));
  assert.ok(text.indexOf('"models"') < text.indexOf('"timings_s"'));
  assert.deepEqual(JSON.parse(text).models, r.models);
  for (const path of ["../x.onnx", "/abs/model.onnx", "als/model.json"]) {
    const bad = sampleResults();
    bad.models = [{ path, sha256: "0".repeat(64), bytes: 1 }];
    assert.throws(
      () => validateResults(bad, "r.json"),
      /r\.json: models\[0\]\.path: expected a distinct relative path/,
    );
  }
  const hex = sampleResults();
  hex.models = [{ path: "a.onnx", sha256: "XYZ", bytes: 1 }];
  assert.throws(() => validateResults(hex, "r.json"), /models\[0\]\.sha256/);
});
