import assert from "node:assert/strict";
import {
  type AgreementRecord,
  deterministicRule,
  notComparable,
  parsePublished,
  predictionIntervalRule,
  tallyAgreement,
  welchRule,
  welchSummaryRule,
} from "./agreement.ts";

// spotlight's five test RMSEs (reports/spotlight.json metrics.test_rmse.values)
const SPOTLIGHT_RMSE = [
  0.9369079435482839,
  0.9429160361823716,
  0.9422279463609089,
  0.9443233210158098,
  0.9518576498223431,
];
// google's five val MSEs (reports/google.json) and the ten torch seeds'
// final val MSE (the torch fixture google_sparse_mf_runs.json)
const GOOGLE_VAL_MSE = [
  8.551291053658838,
  9.324856716516862,
  9.469814492566167,
  9.280908326272387,
  8.868991322039601,
];
const TORCH_VAL_MSE = [
  9.00121021270752,
  9.027308464050293,
  8.937655448913574,
  9.00927734375,
  9.05700397491455,
  9.168455123901367,
  9.016338348388672,
  9.21438217163086,
  8.76362419128418,
  9.115595817565918,
];

const DEMONSTRATED = { evidence: "run X shows it", demonstrated: true };
const PROPOSED = { evidence: "maybe Y", demonstrated: false };

/** The record survives JSON unchanged (so it has no NaN, Infinity or undefined). */
function assertJsonSafe(record: AgreementRecord) {
  assert.deepEqual(JSON.parse(JSON.stringify(record)), record);
}

Deno.test("parsePublished reads printed decimals from strings, exponents and numbers", () => {
  assert.deepEqual(parsePublished("0.940"), {
    value: 0.94,
    text: "0.940",
    decimals: 3,
  });
  assert.equal(parsePublished(0.94).decimals, 2);
  assert.equal(parsePublished("944").decimals, 0);
  assert.equal(parsePublished("1.5e-3").decimals, 4);
  assert.equal(parsePublished("12e3").decimals, -3);
  assert.equal(parsePublished(".25").decimals, 2);
  assert.equal(parsePublished(" -3.10 ").value, -3.1);
  assert.throws(() => parsePublished("≈0.9, read off a plot"), RangeError);
  assert.throws(() => parsePublished(NaN), RangeError);
  assert.throws(() => parsePublished(Infinity), RangeError);
});

Deno.test("deterministicRule: tolerance is half a unit in the last printed digit plus the float term", () => {
  const r = deterministicRule("0.940", 0.9404, { float: "float64" });
  assert.equal(r.rule, "tolerance");
  assert.equal(r.status, "reproduced");
  assert.equal(r.agrees, true);
  assert.equal(r.parameters.decimals, 3);
  assert.equal(r.parameters.digits_tolerance, 0.0005);
  assert.equal(r.parameters.float_tolerance, 1e-12 * 0.9404);
  assert.equal(r.parameters.tolerance, 0.0005 + 1e-12 * 0.9404);
  assert.ok(r.interval_text.startsWith("[0.93950, 0.94050] (0.940 ± "));
  assertJsonSafe(r);
  // just past half a unit
  const out = deterministicRule("0.940", 0.94051, { float: "float64" });
  assert.equal(out.status, "not-reproduced");
  assert.equal(out.agrees, false);
  // the same number passed as 0.94 is read with 2 decimals: ±0.005
  assert.equal(
    deterministicRule(0.94, 0.944, { float: "float64" }).status,
    "reproduced",
  );
  // digits overrides the decimals read
  assert.equal(
    deterministicRule(0.94, 0.944, { float: "float64", digits: 3 }).status,
    "not-reproduced",
  );
});

Deno.test("deterministicRule: float32 term is ulps·2^-24·magnitude, or a stated constant", () => {
  const pub = 8.943120002746582; // a float32 printed in full
  const f32 = Math.fround(pub * (1 + 2 ** -23)); // one float32 ulp away
  const r = deterministicRule(pub, f32, { float: "float32" });
  assert.equal(r.status, "reproduced");
  assert.equal(r.parameters.float_tolerance, 2 * 2 ** -24 * Math.max(pub, f32));
  // float64 allows only 1e-12 relative: the same gap is not reproduced
  assert.equal(
    deterministicRule(pub, f32, { float: "float64" }).status,
    "not-reproduced",
  );
  const k = deterministicRule(pub, f32, { float: "float32", ulps: 0 });
  assert.equal(k.status, "not-reproduced");
  const stated = deterministicRule(pub, pub + 0.01, {
    float: "float32",
    floatTolerance: 0.02,
  });
  assert.equal(stated.status, "reproduced");
  assert.equal(stated.parameters.float_tolerance, 0.02);
  assert.ok(stated.interval_text.includes("stated float term"));
  assert.throws(
    () => deterministicRule(1, 1, {} as { float: "float32" }),
    RangeError,
  );
});

Deno.test("deterministicRule: counts must be equal (tolerance 0)", () => {
  const ok = deterministicRule(944, 944, { count: true });
  assert.equal(ok.status, "reproduced");
  assert.equal(ok.parameters.tolerance, 0);
  assert.equal(ok.interval_text, "[944, 944] (count, exact)");
  assert.equal(
    deterministicRule("944", 943, { count: true }).status,
    "not-reproduced",
  );
  assert.throws(
    () => deterministicRule("944.0", 944, { count: true }),
    RangeError,
  );
  assert.throws(() => deterministicRule(9.5, 9, { count: true }), RangeError);
});

Deno.test("deterministicRule: NaN reproduced is not reproduced, with the reason and JSON nulls", () => {
  const r = deterministicRule("0.940", NaN, { float: "float64" });
  assert.equal(r.status, "not-reproduced");
  assert.equal(r.agrees, false);
  assert.equal(r.parameters.reproduced, null);
  assert.equal(r.parameters.difference, null);
  assert.equal(r.reason, "the reproduced value is NaN");
  assertJsonSafe(r);
});

Deno.test("every rule: a cause turns not-reproduced into explained (demonstrated) or hypothesis", () => {
  const diff = deterministicRule("0.940", 0.95, {
    float: "float64",
    cause: DEMONSTRATED,
  });
  assert.equal(diff.status, "explained");
  assert.deepEqual(diff.cause, DEMONSTRATED);
  assert.equal(
    deterministicRule("0.940", 0.95, { float: "float64", cause: PROPOSED })
      .status,
    "hypothesis",
  );
  // a cause never overrides agreement
  const same = deterministicRule("0.940", 0.94, {
    float: "float64",
    cause: DEMONSTRATED,
  });
  assert.equal(same.status, "reproduced");
  assert.equal(same.cause, undefined);
  const pi = predictionIntervalRule(1.5, SPOTLIGHT_RMSE, { cause: PROPOSED });
  assert.equal(pi.status, "hypothesis");
  const w = welchRule([1, 1.1, 0.9], [5, 5.1, 4.9], { cause: DEMONSTRATED });
  assert.equal(w.status, "explained");
  assert.throws(
    () =>
      deterministicRule(1, 1, {
        float: "float64",
        cause: { evidence: " ", demonstrated: true },
      }),
    RangeError,
  );
});

Deno.test("predictionIntervalRule: spotlight's 5 test RMSEs vs published 0.940", () => {
  const r = predictionIntervalRule("0.940", SPOTLIGHT_RMSE);
  assert.equal(r.rule, "prediction-interval");
  assert.equal(r.status, "reproduced");
  // mean ± t(0.975, 4)·s·√(1 + 1/5), s (ddof 1) = 0.005381335404193467 (numpy)
  const half = 2.7764451051977934 * 0.005381335404193467 * Math.sqrt(1.2);
  assert.ok(Math.abs(r.parameters.half_width! - half) < 1e-13);
  assert.ok(Math.abs(r.interval![0] - (0.9436465793859435 - half)) < 1e-13);
  assert.equal(r.parameters.n, 5);
  assert.equal(r.parameters.df, 4);
  assert.equal(r.interval_text, "[0.9273, 0.9600] (95 % PI, n = 5)");
  assertJsonSafe(r);
  // outside the interval on either side
  assert.equal(
    predictionIntervalRule(0.925, SPOTLIGHT_RMSE).status,
    "not-reproduced",
  );
  assert.equal(
    predictionIntervalRule(0.961, SPOTLIGHT_RMSE).status,
    "not-reproduced",
  );
  // a wider level widens the interval
  const r99 = predictionIntervalRule(0.925, SPOTLIGHT_RMSE, { level: 0.99 });
  assert.equal(r99.status, "reproduced");
  assert.ok(r99.interval_text.endsWith("(99 % PI, n = 5)"));
});

Deno.test("predictionIntervalRule: n = 1 and n = 0 cannot be judged, and say so", () => {
  const one = predictionIntervalRule(0.94, [0.95]);
  assert.equal(one.status, "cannot-judge");
  assert.equal(one.agrees, null);
  assert.equal(one.interval, null);
  assert.match(one.reason!, /n = 1: one run has no spread/);
  assert.equal(one.parameters.mean, 0.95);
  assertJsonSafe(one);
  // a cause does not change a case the rule cannot judge
  assert.equal(
    predictionIntervalRule(0.94, [], { cause: DEMONSTRATED }).status,
    "cannot-judge",
  );
});

Deno.test("predictionIntervalRule: s = 0 leaves a single point; NaN runs are not reproduced", () => {
  const flat = predictionIntervalRule(2, [2, 2, 2]);
  assert.equal(flat.status, "reproduced");
  assert.deepEqual(flat.interval, [2, 2]);
  assert.match(flat.reason!, /s = 0/);
  assert.equal(
    predictionIntervalRule(2.0001, [2, 2, 2]).status,
    "not-reproduced",
  );
  const nan = predictionIntervalRule(2, [2, NaN, 2.1]);
  assert.equal(nan.status, "not-reproduced");
  assert.equal(nan.interval, null);
  assert.equal(nan.parameters.mean, null);
  assert.match(nan.reason!, /1 of 3 runs are not finite/);
  assertJsonSafe(nan);
});

Deno.test("predictionIntervalRule: google val MSE (5 runs) vs published 8.943", () => {
  const r = predictionIntervalRule("8.943", GOOGLE_VAL_MSE);
  assert.equal(r.status, "reproduced");
  assert.equal(r.interval_text, "[7.95, 10.25] (95 % PI, n = 5)");
});

Deno.test("welchRule: google val MSE (5 runs) vs 10 torch seeds matches scipy's Welch test", () => {
  const r = welchRule(GOOGLE_VAL_MSE, TORCH_VAL_MSE);
  assert.equal(r.rule, "welch");
  assert.equal(r.status, "reproduced");
  // scipy.stats.ttest_ind(ours, torch, equal_var=False)
  const close = (a: number | null, b: number, what: string) =>
    assert.ok(Math.abs(a! - b) <= 1e-12 * Math.abs(b), `${what}: ${a} != ${b}`);
  close(r.parameters.t, 0.39112459728405663, "t");
  close(r.parameters.df, 4.445992602005614, "df");
  close(r.parameters.p, 0.7137355299988182, "p");
  close(r.interval![0], -0.39670482969927334, "ci lo");
  close(r.interval![1], 0.532879374699429, "ci hi");
  close(r.parameters.hedges_g, 0.27287793655326936, "g");
  assert.equal(r.parameters.n, 5);
  assert.equal(r.parameters.n_reference, 10);
  assert.equal(
    r.interval_text,
    "difference 0.068 [-0.397, 0.533] (95 % Welch CI, p = 0.71, df = 4.4, g = 0.27, n = 5 vs 10)",
  );
  assertJsonSafe(r);
});

Deno.test("welchRule: a clear difference is not reproduced; alpha sets the CI level", () => {
  const r = welchRule([1, 1.1, 0.9, 1.05], [2, 2.1, 1.9, 2.05]);
  assert.equal(r.status, "not-reproduced");
  assert.ok(r.parameters.p! < 0.05);
  assert.ok(r.interval![1] < 0);
  const strict = welchRule(GOOGLE_VAL_MSE, TORCH_VAL_MSE, { alpha: 0.8 });
  assert.equal(strict.status, "not-reproduced"); // p = 0.71 < 0.8
  assert.equal(strict.parameters.ci_level, 1 - 0.8);
});

Deno.test("welchRule: fewer than 2 runs a side cannot be judged; constant sides and NaN", () => {
  const few = welchRule([1], [1, 2, 3]);
  assert.equal(few.status, "cannot-judge");
  assert.match(few.reason!, /at least 2 runs on each side/);
  assertJsonSafe(few);
  const equal = welchRule([3, 3], [3, 3, 3]);
  assert.equal(equal.status, "reproduced");
  assert.match(equal.reason!, /both sides are constant/);
  assertJsonSafe(equal);
  const differ = welchRule([3, 3], [4, 4]);
  assert.equal(differ.status, "not-reproduced");
  assert.equal(differ.parameters.t, null); // Infinity is not JSON
  assertJsonSafe(differ);
  const nan = welchRule([1, NaN], [1, 2], { cause: PROPOSED });
  assert.equal(nan.status, "hypothesis");
  assert.match(nan.reason!, /1 of 4 runs are not finite/);
  assertJsonSafe(nan);
});

Deno.test("welchSummaryRule: Welch's test against mean ± std over n seeds matches scipy ttest_ind_from_stats", () => {
  // scipy.stats.ttest_ind_from_stats(mean(g), std(g, ddof=1), 5, 9.02, 0.13, 10, equal_var=False)
  const r = welchSummaryRule(GOOGLE_VAL_MSE, { n: 10, mean: 9.02, std: 0.13 });
  assert.equal(r.rule, "welch");
  assert.equal(r.status, "reproduced");
  const close = (a: number | null, b: number, what: string) =>
    assert.ok(Math.abs(a! - b) <= 1e-10 * Math.abs(b), `${what}: ${a} != ${b}`);
  close(r.parameters.t, 0.453974926169559, "t");
  close(r.parameters.p, 0.6709929732956472, "p");
  assert.deepEqual(
    [
      r.parameters.n_reference,
      r.parameters.mean_reference,
      r.parameters.sd_reference,
    ],
    [10, 9.02, 0.13],
  );
  assert.match(
    r.interval_text,
    /n = 5 vs 10; reference from summary statistics\)$/,
  );
  assertJsonSafe(r);
  // the same test as welchRule on the values whose summary it is
  const s = welchSummaryRule(GOOGLE_VAL_MSE, {
    n: TORCH_VAL_MSE.length,
    mean: TORCH_VAL_MSE.reduce((a, b) => a + b) / TORCH_VAL_MSE.length,
    std: welchRule(TORCH_VAL_MSE, TORCH_VAL_MSE).parameters.sd!,
  });
  const v = welchRule(GOOGLE_VAL_MSE, TORCH_VAL_MSE);
  close(s.parameters.p, v.parameters.p!, "p vs welchRule");
  close(s.interval![0], v.interval![0], "ci lo vs welchRule");
});

Deno.test("welchSummaryRule: differs, causes, too few runs, non-finite statistics, bad n", () => {
  const differ = welchSummaryRule([1, 1.1, 0.9, 1.05], {
    n: 4,
    mean: 2,
    std: 0.08,
  });
  assert.equal(differ.status, "not-reproduced");
  assert.equal(
    welchSummaryRule([1, 1.1, 0.9], { n: 4, mean: 2, std: 0.08 }, {
      cause: DEMONSTRATED,
    }).status,
    "explained",
  );
  const one = welchSummaryRule([1, 1.1], { n: 1, mean: 1, std: 0 });
  assert.equal(one.status, "cannot-judge");
  assert.equal(
    welchSummaryRule([1], { n: 5, mean: 1, std: 0.1 }).status,
    "cannot-judge",
  );
  const nan = welchSummaryRule([1, 1.1], { n: 5, mean: NaN, std: 0.1 });
  assert.equal(nan.status, "not-reproduced");
  assert.match(nan.reason!, /reference mean NaN/);
  assertJsonSafe(nan);
  assert.throws(
    () => welchSummaryRule([1, 2], { n: 0, mean: 1, std: 0 }),
    RangeError,
  );
  assert.throws(
    () => welchSummaryRule([1, 2], { n: 3, mean: 1, std: -1 }),
    RangeError,
  );
});

Deno.test("notComparable and tallyAgreement: not-comparable is left out of the count", () => {
  const nc = notComparable("the document reports MAE, we report RMSE");
  assert.equal(nc.status, "not-comparable");
  assert.equal(nc.rule, "none");
  assertJsonSafe(nc);
  assert.throws(() => notComparable(""), RangeError);
  const t = tallyAgreement([
    predictionIntervalRule("0.940", SPOTLIGHT_RMSE),
    deterministicRule(944, 944, { count: true }),
    deterministicRule("0.940", 0.95, { float: "float64" }),
    deterministicRule("0.940", 0.95, { float: "float64", cause: PROPOSED }),
    deterministicRule("0.940", 0.95, { float: "float64", cause: DEMONSTRATED }),
    predictionIntervalRule(1, [1]),
    nc,
  ]);
  assert.deepEqual(t, {
    reproduced: 2,
    explained: 1,
    "not-reproduced": 1,
    hypothesis: 1,
    "cannot-judge": 1,
    "not-comparable": 1,
    counted: 4,
  });
});
