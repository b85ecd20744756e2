/**
 * Small, dependency-free statistics for judging reproductions: moments,
 * the Student t, F and normal distributions (CDFs and quantiles, to about
 * 1e-13 relative), Welch's and the paired t test with effect sizes, and a
 * seeded percentile bootstrap whose draws come from {@link RandomState}.
 *
 * Special functions: `logGamma` shifts its argument to x ≥ 10 and uses the
 * Stirling series there; the regularised incomplete beta and gamma functions
 * are evaluated by their continued fractions with the modified Lentz method
 * (and a power series for the lower incomplete gamma); quantiles are found
 * by Newton steps kept inside a bisection bracket.
 *
 * @example
 * ```ts
 * import { studentTQuantile, welchTTest } from "./stats.ts";
 * studentTQuantile(0.975, 4); // 2.7764451051977...
 * welchTTest([1, 2, 3, 4], [2, 3, 4, 5, 6]).p; // two-sided p of the mean difference
 * ```
 *
 * @module
 */

import { RandomState } from "./rng.ts";

/** Numbers the functions here read: plain arrays or typed arrays. */
export type NumericArray = ArrayLike<number>;

function checkNonEmpty(fn: string, x: NumericArray, min = 1): void {
  if (x.length < min) {
    throw new RangeError(
      `${fn}: needs at least ${min} value${
        min === 1 ? "" : "s"
      }, got ${x.length}`,
    );
  }
}

/** The arithmetic mean of `x` (length ≥ 1), accumulated in float64. */
export function mean(x: NumericArray): number {
  checkNonEmpty("mean", x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sum of squared deviations from the mean (two-pass, so no cancellation). */
function sumSquaredDeviations(x: NumericArray, m: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - m;
    s += d * d;
  }
  return s;
}

/** Sample variance with ddof 1 (divides by n − 1); needs n ≥ 2. */
export function sampleVariance(x: NumericArray): number {
  checkNonEmpty("sampleVariance", x, 2);
  return sumSquaredDeviations(x, mean(x)) / (x.length - 1);
}

/** Sample standard deviation, ddof 1 (`np.std(x, ddof=1)`); needs n ≥ 2. */
export function sampleStd(x: NumericArray): number {
  checkNonEmpty("sampleStd", x, 2);
  return Math.sqrt(sampleVariance(x));
}

/** Population standard deviation, ddof 0 (numpy's default `np.std(x)`); n ≥ 1. */
export function populationStd(x: NumericArray): number {
  checkNonEmpty("populationStd", x);
  return Math.sqrt(sumSquaredDeviations(x, mean(x)) / x.length);
}

/** Root mean square `sqrt(mean(x²))`, e.g. the RMSE of per-rating errors. */
export function rootMeanSquare(x: NumericArray): number {
  checkNonEmpty("rootMeanSquare", x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / x.length);
}

// ---------------------------------------------------------------------------
// Special functions

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LN_SQRT_PI = 0.5 * Math.log(Math.PI);

/**
 * The Stirling correction c(x) = lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], from
 * its asymptotic series (Bernoulli numbers); for x ≥ 10 the first omitted
 * term is below 4e-17.
 */
function stirlingCorrection(x: number): number {
  const r = 1 / x, r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 -
                r2 * (1 / 1188 - r2 * (691 / 360360 - r2 * (1 / 156)))))));
}

/**
 * ln Γ(x) for x > 0 (absolute error about 1e-15 near 1 and 2, relative
 * 1e-15 elsewhere): x is shifted up to ≥ 10 with Γ(x + 1) = xΓ(x), then the
 * Stirling series is used.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isNaN(x)) return NaN;
    throw new RangeError(`logGamma: x ${x} must be > 0`);
  }
  if (x === Infinity) return Infinity;
  if (x === 0.5) return LN_SQRT_PI; // Γ(½) = √π, used by erfc and the normal CDF
  let shift = 0;
  if (x < 10) {
    let prod = 1;
    while (x < 10) {
      prod *= x;
      x += 1;
    }
    shift = Math.log(prod);
  }
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x) -
    shift;
}

/**
 * ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b), arranged so that large
 * arguments do not cancel (the Stirling terms of a, b and a + b are combined
 * analytically before evaluation).
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) {
    throw new RangeError(`logBeta: a ${a} and b ${b} must be > 0`);
  }
  const p = Math.min(a, b), q = Math.max(a, b);
  const s = p + q;
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) -
      stirlingCorrection(s);
    return LN_SQRT_2PI - 0.5 * Math.log(s) + corr +
      (p - 0.5) * Math.log(p / s) + (q - 0.5) * Math.log1p(-p / s);
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(s);
    return logGamma(p) + corr + p - p * Math.log(s) +
      (q - 0.5) * Math.log1p(-p / s);
  }
  return logGamma(p) + logGamma(q) - logGamma(s);
}

const TINY = 1e-300;
const EPS = 1e-16;
const MAX_ITERATIONS = 100000;

/**
 * The continued fraction of I_x(a, b) (without its prefactor), evaluated with
 * the modified Lentz method; converges fast for x < (a + 1)/(a + b + 2).
 * `y` is 1 − x, passed separately so that it keeps its precision.
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - qab * x / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m))
    let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1))
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) return h;
  }
  throw new Error(
    `incomplete beta: continued fraction did not converge (a ${a}, b ${b}, x ${x})`,
  );
}

/**
 * The pair [I_x(a, b), 1 − I_x(a, b)] of the regularised incomplete beta
 * function, with y = 1 − x supplied by the caller (so that both tails keep
 * full relative precision).
 */
function incompleteBetaPair(
  a: number,
  b: number,
  x: number,
  y: number,
): [number, number] {
  if (x <= 0) return [0, 1];
  if (y <= 0) return [1, 0];
  // log1p of the smaller complement keeps ln x precise when x is near 1.
  const lnX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const lnPrefactor = a * lnX + b * lnY - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const v = Math.exp(lnPrefactor) * betaContinuedFraction(a, b, x) / a;
    return [v, 1 - v];
  }
  const w = Math.exp(lnPrefactor) * betaContinuedFraction(b, a, y) / b;
  return [1 - w, w];
}

/**
 * The regularised incomplete beta function I_x(a, b) for a, b > 0 and
 * x in [0, 1] (the CDF of a Beta(a, b) variable at x).
 */
export function regularizedIncompleteBeta(
  x: number,
  a: number,
  b: number,
): number {
  if (!(a > 0) || !(b > 0)) {
    throw new RangeError(
      `regularizedIncompleteBeta: a ${a} and b ${b} must be > 0`,
    );
  }
  if (Number.isNaN(x)) return NaN;
  if (x < 0 || x > 1) {
    throw new RangeError(`regularizedIncompleteBeta: x ${x} outside [0, 1]`);
  }
  return incompleteBetaPair(a, b, x, 1 - x)[0];
}

/**
 * The pair [P(a, x), Q(a, x)] of regularised incomplete gamma functions
 * (lower, upper), by the power series for x < a + 1 and the Lentz continued
 * fraction otherwise.
 */
function incompleteGammaPair(a: number, x: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (x === Infinity) return [1, 0];
  const lnPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let ap = a, sum = 1 / a, del = sum;
    for (let n = 0; n < MAX_ITERATIONS; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) {
        const p = sum * Math.exp(lnPrefactor);
        return [p, 1 - p];
      }
    }
    throw new Error(`incomplete gamma: series did not converge (a ${a})`);
  }
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) {
      const q = Math.exp(lnPrefactor) * h;
      return [1 - q, q];
    }
  }
  throw new Error(`incomplete gamma: continued fraction did not converge`);
}

/** The complementary error function erfc(x) = 1 − erf(x), full relative precision in both tails. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return incompleteGammaPair(0.5, x * x)[1];
  return 1 + incompleteGammaPair(0.5, x * x)[0];
}

// ---------------------------------------------------------------------------
// Normal distribution

/** The standard normal CDF Φ(z) = P(Z ≤ z); relative precision ~1e-15 in the lower tail. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const [p, q] = incompleteGammaPair(0.5, 0.5 * z * z);
  return z < 0 ? 0.5 * q : 0.5 + 0.5 * p;
}

/** The standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LN_SQRT_2PI);
}

/**
 * Finds u ≥ 0 with `sf(u) = q` for a decreasing tail function `sf` (with
 * density `pdf` = −sf′), starting from `guess`: Newton steps, replaced by a
 * bisection step (geometric once the bracket spans more than a factor 4)
 * whenever they would leave the bracket or shrink it too little.
 */
function solveTail(
  sf: (u: number) => number,
  pdf: (u: number) => number,
  q: number,
  guess: number,
): number {
  let lo = 0, hi = Math.max(guess, 1);
  while (sf(hi) > q) {
    lo = hi;
    hi *= 2;
    if (hi === Infinity) return Infinity;
  }
  let u = Math.min(Math.max(guess, lo), hi);
  for (let iter = 0; iter < 2000; iter++) {
    const f = sf(u) - q;
    if (f === 0) return u;
    if (f > 0) lo = u;
    else hi = u;
    const dens = pdf(u);
    let next = dens > 0 ? u + f / dens : NaN;
    if (!(next > lo && next < hi)) {
      next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    }
    if (
      Math.abs(next - u) <= 4e-16 * Math.abs(u) || next === lo || next === hi
    ) {
      return next;
    }
    u = next;
  }
  return u;
}

function checkProbability(fn: string, p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${fn}: probability ${p} outside [0, 1]`);
  }
}

/** Φ⁻¹(p), the standard normal quantile, for p in [0, 1] (±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  checkProbability("normalQuantile", p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Solve in the tail that holds the smaller probability, which is exact.
  const q = p < 0.5 ? p : 1 - p;
  // Starting point: the rational approximation of Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4).
  const t = Math.sqrt(-2 * Math.log(q));
  const guess = t -
    (2.515517 + t * (0.802853 + t * 0.010328)) /
      (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  const u = solveTail((v) => normalCdf(-v), normalPdf, q, guess);
  return p < 0.5 ? -u : u;
}

// ---------------------------------------------------------------------------
// Student t distribution

function checkDf(fn: string, df: number): void {
  if (!(df > 0)) throw new RangeError(`${fn}: df ${df} must be > 0`);
}

/**
 * Above this df (and for t² ≤ df/1000) the t distribution is evaluated by
 * its Cornish–Fisher expansion in 1/df around the normal: there the
 * incomplete-beta continued fraction needs O(√df) steps and loses accuracy
 * (2e-12 relative at df = 1e5, 2e-9 at 1e8), while the expansion's first
 * omitted term is below 1e-13 relative.
 */
const LARGE_DF = 1e5;

/**
 * t(z) = z + g1(z)/ν + g2(z)/ν² + g3(z)/ν³ + g4(z)/ν⁴ (Abramowitz & Stegun
 * 26.7.5) and its derivative dt/dz, for the normal deviate z and df ν.
 */
function cornishFisherT(z: number, df: number): [number, number] {
  const z2 = z * z, r = 1 / df;
  const g1 = z * (z2 + 1) / 4;
  const g2 = z * (3 + z2 * (16 + z2 * 5)) / 96;
  const g3 = z * (-15 + z2 * (17 + z2 * (19 + z2 * 3))) / 384;
  const g4 = z * (-945 + z2 * (-1920 + z2 * (1482 + z2 * (776 + z2 * 79)))) /
    92160;
  const d1 = (1 + 3 * z2) / 4;
  const d2 = (3 + z2 * (48 + z2 * 25)) / 96;
  const d3 = (-15 + z2 * (51 + z2 * (95 + z2 * 21))) / 384;
  const d4 = (-945 + z2 * (-5760 + z2 * (7410 + z2 * (5432 + z2 * 711)))) /
    92160;
  return [
    z + r * (g1 + r * (g2 + r * (g3 + r * g4))),
    1 + r * (d1 + r * (d2 + r * (d3 + r * d4))),
  ];
}

/** The normal deviate z ≥ 0 whose Cornish–Fisher t is `t` (Newton from z = t). */
function cornishFisherZ(t: number, df: number): number {
  let z = t;
  for (let iter = 0; iter < 50; iter++) {
    const [tz, dt] = cornishFisherT(z, df);
    const step = (tz - t) / dt;
    z -= step;
    if (Math.abs(step) <= 1e-16 * Math.max(1, z)) break;
  }
  return z;
}

/** P(T > t) for t ≥ 0, with full relative precision in the tail. */
function studentTUpperTail(t: number, df: number): number {
  if (df === Infinity) return normalCdf(-t);
  if (t === Infinity) return 0;
  if (df >= LARGE_DF && t * t <= 1e-3 * df) {
    return normalCdf(-cornishFisherZ(t, df));
  }
  const t2 = t * t;
  // x = df/(df + t²), y = t²/(df + t²); P(T > t) = ½ I_x(df/2, ½)
  const x = df / (df + t2), y = t2 / (df + t2);
  return 0.5 * incompleteBetaPair(0.5 * df, 0.5, x, y)[0];
}

/**
 * The Student t CDF P(T ≤ t) with `df` > 0 degrees of freedom (any real df;
 * df = Infinity gives the normal CDF).
 */
export function studentTCdf(t: number, df: number): number {
  checkDf("studentTCdf", df);
  if (Number.isNaN(t)) return NaN;
  if (t < 0) return studentTUpperTail(-t, df);
  return 1 - studentTUpperTail(t, df);
}

/** The two-sided tail probability P(|T| ≥ |t|), accurate for tiny values. */
export function studentTTwoSidedP(t: number, df: number): number {
  checkDf("studentTTwoSidedP", df);
  if (Number.isNaN(t)) return NaN;
  return Math.min(1, 2 * studentTUpperTail(Math.abs(t), df));
}

/** The Student t density at t with `df` > 0 degrees of freedom. */
export function studentTPdf(t: number, df: number): number {
  checkDf("studentTPdf", df);
  if (df === Infinity) return normalPdf(t);
  return Math.exp(
    -logBeta(0.5 * df, 0.5) - 0.5 * Math.log(df) -
      0.5 * (df + 1) * Math.log1p(t * t / df),
  );
}

/**
 * The Student t quantile: the t with P(T ≤ t) = p, for p in [0, 1] and any
 * real df > 0 (±Infinity at p = 0, 1); relative accuracy about 1e-13.
 */
export function studentTQuantile(p: number, df: number): number {
  checkProbability("studentTQuantile", p);
  checkDf("studentTQuantile", df);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  const q = p < 0.5 ? p : 1 - p;
  const z = -normalQuantile(q);
  if (df >= LARGE_DF && z * z <= 1e-3 * df) {
    const u = cornishFisherT(z, df)[0];
    return p < 0.5 ? -u : u;
  }
  // Start from the normal quantile with the first Cornish–Fisher term.
  const guess = z + (z * z * z + z) / (4 * df);
  const u = solveTail(
    (v) => studentTUpperTail(v, df),
    (v) => studentTPdf(v, df),
    q,
    guess,
  );
  return p < 0.5 ? -u : u;
}

// ---------------------------------------------------------------------------
// F distribution

/** [P(F ≤ f), P(F > f)] for the F(d1, d2) distribution. */
function fPair(f: number, d1: number, d2: number): [number, number] {
  if (!(d1 > 0) || !(d2 > 0)) {
    throw new RangeError(`F distribution: d1 ${d1} and d2 ${d2} must be > 0`);
  }
  if (f <= 0) return [0, 1];
  if (f === Infinity) return [1, 0];
  const den = d1 * f + d2;
  return incompleteBetaPair(0.5 * d1, 0.5 * d2, d1 * f / den, d2 / den);
}

/** The F(d1, d2) CDF P(F ≤ f), d1, d2 > 0 degrees of freedom. */
export function fCdf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return NaN;
  return fPair(f, d1, d2)[0];
}

/** The F(d1, d2) upper tail P(F > f), accurate for tiny values. */
export function fSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return NaN;
  return fPair(f, d1, d2)[1];
}

/** Result of {@link varianceRatioTest}. */
export interface VarianceRatioTest {
  /** s_a² / s_b² (sample variances, ddof 1). */
  f: number;
  /** Degrees of freedom n_a − 1 and n_b − 1. */
  df1: number;
  df2: number;
  /** Two-sided p: 2·min(P(F ≤ f), P(F ≥ f)), capped at 1. */
  p: number;
}

/**
 * The F test of equal variances of two independent normal samples (each
 * length ≥ 2); both constant gives f = NaN and p = 1, one constant gives
 * f = 0 or Infinity and p = 0.
 */
export function varianceRatioTest(
  a: NumericArray,
  b: NumericArray,
): VarianceRatioTest {
  checkNonEmpty("varianceRatioTest (a)", a, 2);
  checkNonEmpty("varianceRatioTest (b)", b, 2);
  const va = sampleVariance(a), vb = sampleVariance(b);
  const df1 = a.length - 1, df2 = b.length - 1;
  if (va === 0 && vb === 0) return { f: NaN, df1, df2, p: 1 };
  const f = va / vb;
  const [lower, upper] = fPair(f, df1, df2);
  return { f, df1, df2, p: Math.min(1, 2 * Math.min(lower, upper)) };
}

// ---------------------------------------------------------------------------
// t tests

/** Result of {@link welchTTest}; differences are mean(a) − mean(b). */
export interface WelchTTest {
  nA: number;
  nB: number;
  meanA: number;
  meanB: number;
  /** Sample standard deviations (ddof 1). */
  sdA: number;
  sdB: number;
  /** mean(a) − mean(b). */
  difference: number;
  /** Standard error sqrt(s_a²/n_a + s_b²/n_b). */
  se: number;
  /** difference / se (0 when both samples are constant and equal, ±Infinity when constant and different). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (NaN when se = 0). */
  df: number;
  /** Two-sided p value. */
  p: number;
  /** Confidence level of `ci`, e.g. 0.95. */
  level: number;
  /** Welch confidence interval of the difference at `level`. */
  ci: [number, number];
  /** Cohen's d: difference / pooled sd, pooled sd with n_a + n_b − 2 degrees of freedom. */
  cohensD: number;
  /** Hedges' g: Cohen's d times the exact small-sample correction J(n_a + n_b − 2). */
  hedgesG: number;
}

/**
 * Hedges' exact small-sample correction J(m) = Γ(m/2) / (√(m/2) Γ((m − 1)/2))
 * for m > 1 degrees of freedom (≈ 1 − 3/(4m − 1)).
 */
export function hedgesCorrection(m: number): number {
  if (!(m > 1)) throw new RangeError(`hedgesCorrection: m ${m} must be > 1`);
  return Math.exp(
    logGamma(0.5 * m) - logGamma(0.5 * (m - 1)) - 0.5 * Math.log(0.5 * m),
  );
}

function checkLevel(fn: string, level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`${fn}: level ${level} must be in (0, 1)`);
  }
}

/**
 * Welch's two-sample t test (unequal variances) of mean(a) = mean(b), with
 * the Welch–Satterthwaite df, a two-sided p, the confidence interval of the
 * mean difference at `level` (default 0.95) and Hedges' g. Each sample
 * needs ≥ 2 values.
 */
export function welchTTest(
  a: NumericArray,
  b: NumericArray,
  level = 0.95,
): WelchTTest {
  checkNonEmpty("welchTTest (a)", a, 2);
  checkNonEmpty("welchTTest (b)", b, 2);
  checkLevel("welchTTest", level);
  const meanA = mean(a), meanB = mean(b);
  return welchCore(
    a.length,
    meanA,
    sumSquaredDeviations(a, meanA) / (a.length - 1),
    b.length,
    meanB,
    sumSquaredDeviations(b, meanB) / (b.length - 1),
    level,
  );
}

/** A sample known only by its summary statistics. */
export interface SampleSummary {
  /** Number of values (≥ 2). */
  n: number;
  /** Their mean. */
  mean: number;
  /** Their sample standard deviation (ddof 1), ≥ 0. */
  sd: number;
}

/**
 * {@link welchTTest} from summary statistics (n, mean, sample sd with ddof 1)
 * of each sample instead of the values, as scipy's
 * `ttest_ind_from_stats(..., equal_var=False)`; same result fields.
 *
 * @throws {RangeError} when a side has n < 2 (or n not an integer), a
 *   non-finite mean or sd, or sd < 0.
 */
export function welchTTestFromStats(
  a: SampleSummary,
  b: SampleSummary,
  level = 0.95,
): WelchTTest {
  for (const [side, s] of [["a", a], ["b", b]] as const) {
    if (!Number.isInteger(s.n) || s.n < 2) {
      throw new RangeError(
        `welchTTestFromStats (${side}): n ${s.n} must be an integer >= 2`,
      );
    }
    if (!Number.isFinite(s.mean) || !Number.isFinite(s.sd) || s.sd < 0) {
      throw new RangeError(
        `welchTTestFromStats (${side}): mean ${s.mean} and sd ${s.sd} must be finite, sd >= 0`,
      );
    }
  }
  checkLevel("welchTTestFromStats", level);
  return welchCore(a.n, a.mean, a.sd * a.sd, b.n, b.mean, b.sd * b.sd, level);
}

function welchCore(
  nA: number,
  meanA: number,
  varA: number,
  nB: number,
  meanB: number,
  varB: number,
  level: number,
): WelchTTest {
  const difference = meanA - meanB;
  const wa = varA / nA, wb = varB / nB;
  const se = Math.sqrt(wa + wb);
  const pooledSd = Math.sqrt(
    ((nA - 1) * varA + (nB - 1) * varB) / (nA + nB - 2),
  );
  let t: number, df: number, p: number, ci: [number, number];
  let cohensD: number;
  if (se === 0) {
    t = difference === 0 ? 0 : difference > 0 ? Infinity : -Infinity;
    df = NaN;
    p = difference === 0 ? 1 : 0;
    ci = [difference, difference];
    cohensD = t;
  } else {
    t = difference / se;
    df = (wa + wb) * (wa + wb) /
      (wa * wa / (nA - 1) + wb * wb / (nB - 1));
    p = studentTTwoSidedP(t, df);
    const half = studentTQuantile(0.5 + 0.5 * level, df) * se;
    ci = [difference - half, difference + half];
    cohensD = pooledSd === 0 ? t : difference / pooledSd;
  }
  const m = nA + nB - 2;
  const hedgesG = m > 1 ? cohensD * hedgesCorrection(m) : NaN;
  return {
    nA,
    nB,
    meanA,
    meanB,
    sdA: Math.sqrt(varA),
    sdB: Math.sqrt(varB),
    difference,
    se,
    t,
    df,
    p,
    level,
    ci,
    cohensD,
    hedgesG,
  };
}

/** Result of {@link pairedTTest}; differences are a[i] − b[i]. */
export interface PairedTTest {
  n: number;
  /** mean(a − b). */
  meanDifference: number;
  /** Sample std (ddof 1) of a − b. */
  sdDifference: number;
  /** sdDifference / √n. */
  se: number;
  t: number;
  /** n − 1. */
  df: number;
  /** Two-sided p value. */
  p: number;
  level: number;
  /** Confidence interval of the mean difference at `level`. */
  ci: [number, number];
}

/**
 * The paired t test of mean(a − b) = 0 over n ≥ 2 pairs, with a two-sided p
 * and the confidence interval of the mean difference at `level` (default
 * 0.95). Constant differences give se = 0, t = 0 or ±Infinity, p = 1 or 0.
 */
export function pairedTTest(
  a: NumericArray,
  b: NumericArray,
  level = 0.95,
): PairedTTest {
  if (a.length !== b.length) {
    throw new RangeError(
      `pairedTTest: a has ${a.length} values but b has ${b.length}`,
    );
  }
  checkNonEmpty("pairedTTest", a, 2);
  checkLevel("pairedTTest", level);
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  const meanDifference = mean(d);
  const sdDifference = Math.sqrt(
    sumSquaredDeviations(d, meanDifference) / (n - 1),
  );
  const se = sdDifference / Math.sqrt(n);
  const df = n - 1;
  if (se === 0) {
    const t = meanDifference === 0
      ? 0
      : meanDifference > 0
      ? Infinity
      : -Infinity;
    return {
      n,
      meanDifference,
      sdDifference,
      se,
      t,
      df,
      p: meanDifference === 0 ? 1 : 0,
      level,
      ci: [meanDifference, meanDifference],
    };
  }
  const t = meanDifference / se;
  const half = studentTQuantile(0.5 + 0.5 * level, df) * se;
  return {
    n,
    meanDifference,
    sdDifference,
    se,
    t,
    df,
    p: studentTTwoSidedP(t, df),
    level,
    ci: [meanDifference - half, meanDifference + half],
  };
}

// ---------------------------------------------------------------------------
// Bootstrap

/** Options of {@link bootstrapCi} and {@link pairedBootstrapCi}. */
export interface BootstrapOptions {
  /** Seed of the {@link RandomState} that draws the resamples. */
  seed: number;
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** A percentile bootstrap confidence interval. */
export interface BootstrapInterval {
  /** The statistic on the original data. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
  seed: number;
}

/**
 * Fills `out` with n indices uniform in [0, n), drawn exactly as
 * `RandomState.randint(0, n)` draws them (masked rejection on 32-bit words),
 * so a run of calls equals numpy's `RandomState(seed).randint(0, n, size)`.
 */
function drawIndices(rs: RandomState, n: number, out: Int32Array): void {
  const max = n - 1;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  for (let i = 0; i < n; i++) {
    let v: number;
    do {
      v = rs.nextUint32() & mask;
    } while (v > max);
    out[i] = v;
  }
}

/** numpy's default ("linear") percentile of sorted values at fraction q. */
function sortedQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  if (i + 1 >= sorted.length) return sorted[sorted.length - 1];
  const frac = h - i;
  return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

function checkBootstrap(
  fn: string,
  n: number,
  opts: BootstrapOptions,
): { resamples: number; level: number } {
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  if (n < 1) throw new RangeError(`${fn}: no values`);
  if (n > 0x7fffffff) throw new RangeError(`${fn}: ${n} values is too many`);
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new RangeError(
      `${fn}: resamples ${resamples} must be an integer ≥ 2`,
    );
  }
  checkLevel(fn, level);
  return { resamples, level };
}

function percentileInterval(
  fn: string,
  stats: Float64Array,
  estimate: number,
  level: number,
  seed: number,
): BootstrapInterval {
  for (let r = 0; r < stats.length; r++) {
    if (Number.isNaN(stats[r])) {
      throw new RangeError(`${fn}: the statistic gave NaN on resample ${r}`);
    }
  }
  stats.sort();
  return {
    estimate,
    lo: sortedQuantile(stats, 0.5 - 0.5 * level),
    hi: sortedQuantile(stats, 0.5 + 0.5 * level),
    level,
    resamples: stats.length,
    seed,
  };
}

/**
 * A seeded percentile bootstrap confidence interval of `statistic` over the
 * units in `values` (e.g. per-user or per-rating errors). Resample r takes
 * n indices with replacement, drawn from `new RandomState(seed)` in the order
 * of numpy's `RandomState(seed).randint(0, n, size=(resamples, n))`; the
 * interval is numpy's linear percentile of the resampled statistics at
 * (1 ∓ level)/2.
 *
 * @param values n ≥ 1 per-unit values.
 * @param statistic Called with a resample (a reused Float64Array of length
 *   n: read it, do not keep it); must not return NaN.
 */
export function bootstrapCi(
  values: NumericArray,
  statistic: (sample: Float64Array) => number,
  opts: BootstrapOptions,
): BootstrapInterval {
  const n = values.length;
  const { resamples, level } = checkBootstrap("bootstrapCi", n, opts);
  const src = Float64Array.from(values);
  const estimate = statistic(src.slice());
  const rs = new RandomState(opts.seed);
  const idx = new Int32Array(n);
  const sample = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    drawIndices(rs, n, idx);
    for (let i = 0; i < n; i++) sample[i] = src[idx[i]];
    stats[r] = statistic(sample);
  }
  return percentileInterval("bootstrapCi", stats, estimate, level, opts.seed);
}

/**
 * A seeded paired percentile bootstrap of `statistic(a) − statistic(b)` over
 * the same n units (e.g. per-rating errors of models A and B on the same test
 * ratings: each resample draws unit indices once and recomputes both
 * statistics on them). Draws as in {@link bootstrapCi}.
 *
 * @param a Per-unit values of A, length n ≥ 1.
 * @param b Per-unit values of B, same length and unit order.
 */
export function pairedBootstrapCi(
  a: NumericArray,
  b: NumericArray,
  statistic: (sample: Float64Array) => number,
  opts: BootstrapOptions,
): BootstrapInterval {
  if (a.length !== b.length) {
    throw new RangeError(
      `pairedBootstrapCi: a has ${a.length} values but b has ${b.length}`,
    );
  }
  const n = a.length;
  const { resamples, level } = checkBootstrap("pairedBootstrapCi", n, opts);
  const srcA = Float64Array.from(a), srcB = Float64Array.from(b);
  const estimate = statistic(srcA.slice()) - statistic(srcB.slice());
  const rs = new RandomState(opts.seed);
  const idx = new Int32Array(n);
  const sA = new Float64Array(n), sB = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    drawIndices(rs, n, idx);
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      sA[i] = srcA[j];
      sB[i] = srcB[j];
    }
    stats[r] = statistic(sA) - statistic(sB);
  }
  return percentileInterval(
    "pairedBootstrapCi",
    stats,
    estimate,
    level,
    opts.seed,
  );
}
