import assert from "node:assert/strict";
import {
  bootstrapCi,
  erfc,
  fCdf,
  fSf,
  hedgesCorrection,
  logBeta,
  logGamma,
  mean,
  normalCdf,
  normalQuantile,
  pairedBootstrapCi,
  pairedTTest,
  populationStd,
  regularizedIncompleteBeta,
  rootMeanSquare,
  sampleStd,
  sampleVariance,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  varianceRatioTest,
  welchTTest,
  welchTTestFromStats,
} from "./stats.ts";
import { RandomState } from "./rng.ts";

// Expected values below come from scipy 1.17.1 / numpy 2.4.6 (stats.t, stats.f,
// stats.norm, special.betainc, stats.ttest_ind/ttest_rel, np.percentile) and
// mpmath at 30–60 digits where scipy underflows; printed with repr.

/** |actual − expected| ≤ rel·|expected| (or ≤ rel when expected is 0). */
function near(actual: number, expected: number, rel: number, what: string) {
  const tol = rel * Math.max(Math.abs(expected), expected === 0 ? 1 : 0);
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: ${actual} != ${expected} (relative tolerance ${rel})`,
  );
}

// spotlight's five test RMSEs (reports/spotlight.json) and a made-up second sample
const RMSE5 = [
  0.9369079435482839,
  0.9429160361823716,
  0.9422279463609089,
  0.9443233210158098,
  0.9518576498223431,
];
const OTHER7 = [0.95, 0.93, 0.96, 0.945, 0.955, 0.94, 0.962];

Deno.test("mean, sampleStd (ddof 1) and populationStd (ddof 0) match numpy", () => {
  near(mean(RMSE5), 0.9436465793859435, 1e-15, "mean");
  near(sampleStd(RMSE5), 0.005381335404193467, 1e-13, "ddof 1");
  near(populationStd(RMSE5), 0.00481321270940116, 1e-13, "ddof 0");
  near(
    sampleVariance(Float32Array.from([1, 2, 4])),
    7 / 3,
    1e-15,
    "variance of a Float32Array",
  );
  near(rootMeanSquare([3, 4]), Math.sqrt(12.5), 1e-15, "rms");
  assert.throws(() => sampleStd([1]), RangeError);
  assert.throws(() => mean([]), RangeError);
  assert.equal(populationStd([5]), 0);
});

Deno.test("logGamma and logBeta match math.lgamma and scipy betaln", () => {
  const cases: [number, number][] = [
    [0.1, 2.2527126517342055],
    [3.7, 1.4280723266653883],
    [10, 12.801827480081467],
    [55.5, 166.32150615984034],
    [1e6, 12815504.569147611],
  ];
  for (const [x, v] of cases) near(logGamma(x), v, 2e-15, `lgamma(${x})`);
  assert.ok(Math.abs(logGamma(1)) < 2e-15 && Math.abs(logGamma(2)) < 2e-15);
  near(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-16, "lgamma(0.5)");
  // mpmath at 40 digits; scipy's betaln gives -5.988816495984793 (off by 2e-11 relative)
  near(logBeta(5e5, 0.5), -5.988816495777464, 1e-14, "lbeta(5e5, .5)");
  near(logBeta(30, 40), -48.30174909591612, 1e-14, "betaln(30, 40)");
  near(logBeta(2.5, 3.5), -3.3018352699620523, 1e-14, "betaln(2.5, 3.5)");
  assert.throws(() => logGamma(0), RangeError);
});

Deno.test("regularizedIncompleteBeta matches scipy betainc on both sides of the switch", () => {
  near(
    regularizedIncompleteBeta(0.3, 2.5, 3.5),
    0.29675298929566646,
    1e-13,
    "I_0.3(2.5, 3.5)",
  );
  near(
    regularizedIncompleteBeta(0.5, 50, 60),
    0.8309072939016693,
    1e-13,
    "I_0.5(50, 60)",
  );
  near(
    regularizedIncompleteBeta(0.999, 0.5, 0.5),
    0.9798649583666235,
    1e-13,
    "I_0.999(.5, .5)",
  );
  // I_x(1, 1) = x and I_x(a, 1) = x^a
  near(regularizedIncompleteBeta(0.37, 1, 1), 0.37, 1e-14, "uniform");
  near(regularizedIncompleteBeta(0.6, 3, 1), 0.216, 1e-14, "x^3");
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
  assert.throws(() => regularizedIncompleteBeta(1.2, 2, 3), RangeError);
});

Deno.test("studentTQuantile gives the tabulated 0.975 quantiles to 1e-10", () => {
  const table: [number, number][] = [
    [1, 12.7062047362],
    [4, 2.7764451052],
    [9, 2.2621571628],
    [19, 2.0930240544],
    [29, 2.0452296421],
  ];
  for (const [df, t] of table) {
    assert.ok(
      Math.abs(studentTQuantile(0.975, df) - t) < 1e-10,
      `t(0.975, ${df}) = ${studentTQuantile(0.975, df)}, table ${t}`,
    );
  }
  assert.ok(Math.abs(studentTQuantile(0.975, 1e6) - 1.959966) < 1e-6);
});

Deno.test("studentTQuantile matches scipy t.ppf to 1e-12 relative for real df and far tails", () => {
  const cases: [number, number, number][] = [
    [0.975, 1, 12.706204736174694],
    [0.975, 4, 2.7764451051977934],
    [0.975, 9, 2.262157162798205],
    [0.975, 19, 2.0930240544083087],
    [0.975, 29, 2.045229642132703],
    [0.975, 1e6, 1.959966356814107],
    [0.995, 3.3, 5.344306069721078],
    [0.01, 0.5, -1028.4910104716218],
    [1e-10, 7, -53.83557948467374],
    [0.6, 12, 0.25903274567688733],
  ];
  for (const [p, df, t] of cases) {
    near(studentTQuantile(p, df), t, 1e-12, `t(${p}, ${df})`);
  }
  assert.equal(studentTQuantile(0.5, 3), 0);
  assert.equal(studentTQuantile(1, 3), Infinity);
  assert.equal(studentTQuantile(0, 3), -Infinity);
  assert.throws(() => studentTQuantile(0.9, 0), RangeError);
  assert.throws(() => studentTQuantile(1.1, 3), RangeError);
});

Deno.test("studentTQuantile has the closed forms for df = 1 (Cauchy) and df = 2", () => {
  for (const p of [0.001, 0.2, 0.7, 0.975, 0.99999]) {
    // tan(π(p − ½)) written as ±cot(π·tail), which stays exact near the pole
    const tail = Math.min(p, 1 - p);
    near(
      studentTQuantile(p, 1),
      Math.sign(p - 0.5) / Math.tan(Math.PI * tail),
      1e-12,
      `cauchy ${p}`,
    );
    near(
      studentTQuantile(p, 2),
      (2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
      1e-12,
      `df 2 ${p}`,
    );
  }
});

Deno.test("studentTCdf matches scipy t.cdf, including P(T <= 2 | df 5) = 0.9490302605", () => {
  near(studentTCdf(2, 5), 0.9490302605850708, 1e-14, "P(T<=2, 5)");
  assert.ok(Math.abs(studentTCdf(2, 5) - 0.9490302605) < 1e-10);
  const cases: [number, number, number][] = [
    [-3, 2.5, 0.036288047774515914],
    [0.3, 0.7, 0.5853824068143325],
    [-40, 3, 1.7190340394579253e-05],
    [1.5, 150, 0.9321418721189643],
    // large df (Cornish–Fisher branch) and its far tail
    [-7, 1e5, 1.2878278339080033e-12],
    [-9.9, 1e5, 2.1329703905794484e-23],
    [-10.1, 1e5, 2.836297722764356e-24],
    [-30, 1e6, 6.010047116832059e-198],
  ];
  for (const [t, df, p] of cases) {
    near(studentTCdf(t, df), p, 1e-12, `cdf(${t}, ${df})`);
  }
  assert.equal(studentTCdf(0, 4), 0.5);
  assert.ok(Number.isNaN(studentTCdf(NaN, 4)));
  near(studentTCdf(1.3, Infinity), normalCdf(1.3), 1e-15, "df = Infinity");
  near(
    studentTTwoSidedP(-2, 5),
    2 * (1 - 0.9490302605850708),
    1e-13,
    "2-sided",
  );
});

Deno.test("studentTQuantile inverts studentTCdf over a grid of p and df", () => {
  for (const df of [0.3, 1, 2.5, 7, 40, 1000, 3e5, 1e9]) {
    for (const p of [1e-9, 0.001, 0.05, 0.3, 0.51, 0.9, 0.999]) {
      const t = studentTQuantile(p, df);
      near(studentTCdf(t, df), p, 1e-11, `cdf(quantile(${p}, ${df}))`);
    }
  }
});

Deno.test("normalCdf, erfc and normalQuantile match scipy and mpmath", () => {
  near(normalCdf(1.3), 0.9031995154143897, 1e-15, "Phi(1.3)");
  near(normalCdf(-8), 6.22096057427174e-16, 1e-13, "Phi(-8)");
  near(normalCdf(-38), 2.8854283600687843e-316, 1e-9, "Phi(-38)");
  near(erfc(3), 2.2090496998585441e-5, 1e-14, "erfc(3)");
  near(erfc(-0.5), 1.5204998778130465, 1e-15, "erfc(-0.5)");
  near(normalQuantile(0.975), 1.959963984540054, 1e-14, "z(0.975)");
  near(normalQuantile(1e-20), -9.262340089798409, 1e-13, "z(1e-20)");
  near(normalQuantile(0.3), -0.5244005127080409, 1e-14, "z(0.3)");
  assert.equal(normalQuantile(0.5), 0);
});

Deno.test("fCdf and fSf match scipy and tie to the t distribution", () => {
  near(fCdf(2.5, 3, 7), 0.8564905437210608, 1e-13, "F cdf");
  near(fSf(2.5, 3, 7), 0.14350945627893932, 1e-13, "F sf");
  near(fCdf(0.4, 10, 4.5), 0.10544881325292127, 1e-13, "F cdf real df");
  near(fSf(50, 5, 5), 0.00028634393165790495, 1e-12, "F sf tail");
  // T² ~ F(1, df): P(F ≤ t²) = 2·P(T ≤ t) − 1
  near(fCdf(4, 1, 5), 2 * studentTCdf(2, 5) - 1, 1e-13, "F(1, 5) vs t(5)");
  assert.equal(fCdf(0, 2, 3), 0);
});

Deno.test("varianceRatioTest matches the two-sided F test computed with scipy", () => {
  const r = varianceRatioTest(RMSE5, OTHER7);
  near(r.f, 0.22138121055003626, 1e-13, "F");
  assert.equal(r.df1, 4);
  assert.equal(r.df2, 6);
  near(r.p, 0.1660838137806034, 1e-12, "p");
  assert.equal(varianceRatioTest([1, 1], [2, 2]).p, 1);
  assert.equal(varianceRatioTest([1, 1], [2, 3]).p, 0);
});

Deno.test("welchTTest matches scipy ttest_ind(equal_var=False) and hand-computed Hedges' g", () => {
  const w = welchTTest(RMSE5, OTHER7);
  near(w.t, -1.0531479130221726, 1e-13, "t");
  near(w.df, 8.998918460780702, 1e-13, "df");
  near(w.p, 0.319728601145286, 1e-12, "p");
  near(w.ci[0], -0.016403036325746398, 1e-12, "ci lo");
  near(w.ci[1], 0.005981909383348012, 1e-12, "ci hi");
  near(w.cohensD, -0.5490305153786894, 1e-13, "d");
  near(w.hedgesG, -0.5066154967528079, 1e-13, "g");
  assert.equal(w.level, 0.95);
  assert.equal(w.nA, 5);
  assert.equal(w.nB, 7);
  // swapping the samples flips the sign only
  const s = welchTTest(OTHER7, RMSE5);
  near(s.t, -w.t, 1e-15, "swapped t");
  near(s.p, w.p, 1e-15, "swapped p");
});

Deno.test("welchTTest handles constant samples: equal → p 1, different → p 0", () => {
  const same = welchTTest([2, 2, 2], [2, 2]);
  assert.equal(same.p, 1);
  assert.equal(same.t, 0);
  assert.deepEqual(same.ci, [0, 0]);
  const diff = welchTTest([3, 3, 3], [2, 2]);
  assert.equal(diff.p, 0);
  assert.equal(diff.t, Infinity);
  assert.ok(Number.isNaN(diff.df));
  assert.throws(() => welchTTest([1], [1, 2]), RangeError);
});

Deno.test("welchTTestFromStats matches scipy ttest_ind_from_stats(equal_var=False)", () => {
  // scipy.stats.ttest_ind_from_stats(0.874, 0.0123, 12, 0.861, 0.004, 3,
  // equal_var=False); df and CI from the Welch–Satterthwaite formula with
  // scipy.stats.t.ppf(0.975, df)
  const w = welchTTestFromStats(
    { n: 12, mean: 0.874, sd: 0.0123 },
    { n: 3, mean: 0.861, sd: 0.004 },
  );
  near(w.t, 3.0691777876586053, 1e-12, "t");
  near(w.df, 11.226003388919091, 1e-12, "df");
  near(w.p, 0.010444072454549693, 1e-10, "p");
  near(w.ci[0], 0.003700218198282739, 1e-10, "ci lo");
  near(w.ci[1], 0.022299781801717284, 1e-10, "ci hi");
  assert.equal(w.nA, 12);
  assert.equal(w.nB, 3);
  const v = welchTTestFromStats(
    { n: 5, mean: 0.9436465793859435, sd: 0.005381335404193467 },
    { n: 30, mean: 0.95, sd: 0.02 },
  );
  near(v.t, -1.4528002055390623, 1e-12, "t (2)");
  near(v.df, 25.19699588180301, 1e-12, "df (2)");
  near(v.p, 0.1586201987443733, 1e-10, "p (2)");
  near(v.ci[0], -0.015356674667647662, 1e-10, "ci lo (2)");
  near(v.ci[1], 0.002649833439534831, 1e-10, "ci hi (2)");
});

Deno.test("welchTTestFromStats equals welchTTest on the summaries of the same samples", () => {
  const a = { n: RMSE5.length, mean: mean(RMSE5), sd: sampleStd(RMSE5) };
  const b = { n: OTHER7.length, mean: mean(OTHER7), sd: sampleStd(OTHER7) };
  const s = welchTTestFromStats(a, b, 0.9);
  const w = welchTTest(RMSE5, OTHER7, 0.9);
  for (const k of ["t", "df", "p", "cohensD", "hedgesG"] as const) {
    near(s[k], w[k], 1e-13, k);
  }
  near(s.ci[0], w.ci[0], 1e-13, "ci lo");
  near(s.ci[1], w.ci[1], 1e-13, "ci hi");
  assert.equal(s.level, 0.9);
});

Deno.test("welchTTestFromStats rejects n < 2, non-finite statistics and sd < 0", () => {
  const ok = { n: 3, mean: 1, sd: 0.1 };
  assert.throws(
    () => welchTTestFromStats({ n: 1, mean: 1, sd: 0 }, ok),
    /n 1 must be an integer >= 2/,
  );
  assert.throws(
    () => welchTTestFromStats(ok, { n: 2.5, mean: 1, sd: 0 }),
    /\(b\): n 2.5/,
  );
  assert.throws(
    () => welchTTestFromStats(ok, { n: 3, mean: NaN, sd: 0.1 }),
    RangeError,
  );
  assert.throws(
    () => welchTTestFromStats(ok, { n: 3, mean: 1, sd: -0.1 }),
    RangeError,
  );
  assert.throws(() => welchTTestFromStats(ok, ok, 1), RangeError);
  // constant and equal summaries: p 1, as welchTTest
  assert.equal(
    welchTTestFromStats({ n: 3, mean: 2, sd: 0 }, { n: 2, mean: 2, sd: 0 }).p,
    1,
  );
});

Deno.test("hedgesCorrection is the exact gamma ratio, close to 1 − 3/(4m − 1)", () => {
  near(hedgesCorrection(10), 0.9227456080530859, 1e-14, "J(10)");
  for (const m of [5, 20, 200]) {
    assert.ok(
      Math.abs(hedgesCorrection(m) - (1 - 3 / (4 * m - 1))) < 3 / m ** 2,
    );
  }
});

Deno.test("pairedTTest matches scipy ttest_rel", () => {
  const r = pairedTTest(RMSE5, OTHER7.slice(0, 5));
  near(r.t, -0.8157260821149842, 1e-13, "t");
  near(r.p, 0.46044395202601773, 1e-12, "p");
  near(r.ci[0], -0.01917093548795331, 1e-12, "ci lo");
  near(r.ci[1], 0.010464094259840306, 1e-12, "ci hi");
  assert.equal(r.df, 4);
  assert.equal(pairedTTest([1, 2, 3], [0, 1, 2]).p, 0);
  assert.throws(() => pairedTTest([1, 2], [1, 2, 3]), RangeError);
});

Deno.test("bootstrapCi draws numpy's randint(0, n, size=(B, n)) and takes numpy's linear percentile", () => {
  const n = 50;
  const vals = Float64Array.from({ length: n }, (_, i) => (i ** 1.5) % 7);
  const ci = bootstrapCi(vals, mean, { seed: 12345, resamples: 200 });
  near(ci.estimate, 3.362990326330366, 1e-15, "estimate");
  near(ci.lo, 2.8039674301179573, 1e-13, "lo");
  near(ci.hi, 3.9053597262052637, 1e-13, "hi");
  assert.equal(ci.level, 0.95);
  assert.equal(ci.resamples, 200);
  // the first draws are numpy's: idx[0, :5] = 34 37 29 1 36
  const rs = new RandomState(12345);
  assert.deepEqual(
    Array.from({ length: 5 }, () => rs.randint(0, n)),
    [34, 37, 29, 1, 36],
  );
  // same seed → same interval; another seed → another one
  assert.deepEqual(
    bootstrapCi(vals, mean, { seed: 12345, resamples: 200 }),
    ci,
  );
  assert.notEqual(
    bootstrapCi(vals, mean, { seed: 1, resamples: 200 }).lo,
    ci.lo,
  );
});

Deno.test("pairedBootstrapCi resamples both arrays with the same indices (numpy reference)", () => {
  const n = 50;
  const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: n }, (_, i) => 0.9 * Math.cos(i));
  const ci = pairedBootstrapCi(a, b, rootMeanSquare, {
    seed: 7,
    resamples: 300,
    level: 0.9,
  });
  near(ci.estimate, 0.07196986256209814, 1e-14, "estimate");
  near(ci.lo, -0.04376554592750801, 1e-12, "lo");
  near(ci.hi, 0.17177199308814103, 1e-12, "hi");
  // identical arrays: every resampled difference is 0
  const zero = pairedBootstrapCi(a, a, rootMeanSquare, { seed: 7 });
  assert.deepEqual([zero.lo, zero.hi], [0, 0]);
  assert.throws(
    () => pairedBootstrapCi(a, b.subarray(1), rootMeanSquare, { seed: 7 }),
    RangeError,
  );
  assert.throws(
    () => bootstrapCi(a, () => NaN, { seed: 7, resamples: 10 }),
    RangeError,
  );
});
