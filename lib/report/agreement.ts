/**
 * One agreement rule for every published-vs-reproduced row. The status of a
 * row is computed here from the data, never written by the caller:
 *
 * - a deterministic figure (a count, a deterministic numpy/scipy number) is
 *   reproduced when it equals the published one within the tolerance the
 *   printed digits and the float type allow ({@link deterministicRule});
 * - a published single run of an unseeded process is reproduced when it lies
 *   inside the prediction interval for one new run from our n ≥ 2 seeded
 *   runs ({@link predictionIntervalRule});
 * - our runs against a reference re-run with its own seeds are reproduced when
 *   Welch's t test finds no difference at α = 0.05 ({@link welchRule}).
 *
 * When the rule says "not reproduced", a caller-supplied {@link Cause} turns
 * the status into "explained" (a run in the same experiment demonstrated it)
 * or "hypothesis" (proposed, not demonstrated). "not-comparable" rows come
 * from {@link notComparable}; "cannot-judge" is what a rule returns when the
 * data cannot decide (fewer than two runs).
 *
 * Every function returns an {@link AgreementRecord}: plain JSON (no NaN or
 * Infinity: those become null) meant to sit in a results comparison row as
 * its `rule` field.
 *
 * @module
 */

import {
  mean,
  sampleStd,
  studentTQuantile,
  type WelchTTest,
  welchTTest,
  welchTTestFromStats,
} from "../stats.ts";

/**
 * The verdict of a row. "reproduced", "explained" and "not-reproduced" are
 * counted; "hypothesis" (a cause proposed but not demonstrated) and
 * "cannot-judge" (too few runs to decide) are counted apart;
 * "not-comparable" (different quantities) is not counted.
 */
export type AgreementStatus =
  | "reproduced"
  | "not-reproduced"
  | "explained"
  | "hypothesis"
  | "not-comparable"
  | "cannot-judge";

/** Every status, in the order reports list them. */
export const AGREEMENT_STATUSES: readonly AgreementStatus[] = [
  "reproduced",
  "explained",
  "not-reproduced",
  "hypothesis",
  "cannot-judge",
  "not-comparable",
];

/** A cause the caller offers for a difference the rule found. */
export interface Cause {
  /** What causes the difference and, when demonstrated, which run shows it. */
  evidence: string;
  /** True only when a run in the same experiment demonstrated the cause. */
  demonstrated: boolean;
}

/** The fields every agreement record has. */
export interface AgreementRecordBase {
  /** The row's verdict: the rule's, turned by a cause into explained / hypothesis. */
  status: AgreementStatus;
  /** The rule's own verdict before any cause: agree, differ, or null when it cannot judge. */
  agrees: boolean | null;
  /** The interval the rule tested against ([lo, hi]), or null when it has none. */
  interval: [number, number] | null;
  /** A short human-readable account, e.g. "[0.9325, 0.9547] (95 % PI, n = 5)". */
  interval_text: string;
  /** The caller's cause, kept only when it decided the status (explained / hypothesis). */
  cause?: Cause;
  /** Why the rule could not judge, found a non-finite value, or the quantities differ. */
  reason?: string;
}

/** The float type a deterministic figure was computed in. */
export type FloatType = "float32" | "float64";

/** {@link deterministicRule}'s record. */
export interface ToleranceRecord extends AgreementRecordBase {
  /** The rule: deterministic figure within the printed digits and float type. */
  rule: "tolerance";
  /** The rule's inputs and intermediate numbers. */
  parameters: {
    published: number;
    /** The decimal string the printed digits were read from. */
    published_text: string;
    reproduced: number | null;
    /** reproduced − published. */
    difference: number | null;
    /** True for counts: exact equality, tolerance 0. */
    count: boolean;
    /** Decimals printed in the published figure (negative for e.g. "12e3"); null for counts. */
    decimals: number | null;
    /** Half a unit in the last printed digit. */
    digits_tolerance: number;
    float: FloatType | null;
    /** The float-type term (relative ulps times the magnitude, or a stated constant). */
    float_tolerance: number;
    /** digits_tolerance + float_tolerance; agreement is |difference| ≤ tolerance. */
    tolerance: number;
  };
}

/** {@link predictionIntervalRule}'s record. */
export interface PredictionIntervalRecord extends AgreementRecordBase {
  /** The rule: published single run against our seeded runs' prediction interval. */
  rule: "prediction-interval";
  /** The rule's inputs and intermediate numbers. */
  parameters: {
    published: number;
    /** Number of our seeded runs. */
    n: number;
    mean: number | null;
    /** Sample standard deviation of the runs (ddof 1). */
    sd: number | null;
    level: number;
    /** n − 1. */
    df: number | null;
    /** t((1 + level)/2, n − 1). */
    t_quantile: number | null;
    /** t_quantile · sd · √(1 + 1/n). */
    half_width: number | null;
  };
}

/** {@link welchRule}'s record; differences are ours − reference. */
export interface WelchRecord extends AgreementRecordBase {
  /** The rule: our runs against a reference re-run, Welch's t test. */
  rule: "welch";
  /** The rule's inputs and intermediate numbers. */
  parameters: {
    n: number;
    n_reference: number;
    mean: number | null;
    mean_reference: number | null;
    sd: number | null;
    sd_reference: number | null;
    difference: number | null;
    t: number | null;
    /** Welch–Satterthwaite degrees of freedom. */
    df: number | null;
    /** Two-sided p value. */
    p: number | null;
    alpha: number;
    /** Level of the CI of the difference (1 − α). */
    ci_level: number;
    /** Hedges' g with the pooled sd and the exact small-sample correction. */
    hedges_g: number | null;
  };
}

/** {@link notComparable}'s record. */
export interface NotComparableRecord extends AgreementRecordBase {
  /** The rule: different quantities: no rule applies. */
  rule: "none";
  /** The rule's inputs and intermediate numbers (none). */
  parameters: Record<string, never>;
}

/** The record of how a row's status was decided; JSON-serialisable. */
export type AgreementRecord =
  | ToleranceRecord
  | PredictionIntervalRecord
  | WelchRecord
  | NotComparableRecord;

// ---------------------------------------------------------------------------
// helpers

/** x, or null when x is NaN or infinite (JSON has neither). */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function checkCause(cause: Cause | undefined): void {
  if (cause === undefined) return;
  if (typeof cause.evidence !== "string" || cause.evidence.trim() === "") {
    throw new RangeError("agreement: a cause needs non-empty evidence text");
  }
  if (typeof cause.demonstrated !== "boolean") {
    throw new RangeError("agreement: cause.demonstrated must be a boolean");
  }
}

/** The status from the rule's verdict and the caller's cause. */
function decide(
  agrees: boolean | null,
  cause: Cause | undefined,
): { status: AgreementStatus; cause?: Cause } {
  if (agrees === null) return { status: "cannot-judge" };
  if (agrees) return { status: "reproduced" };
  if (cause === undefined) return { status: "not-reproduced" };
  return {
    status: cause.demonstrated ? "explained" : "hypothesis",
    cause: { evidence: cause.evidence, demonstrated: cause.demonstrated },
  };
}

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A published figure: its value, the string read, and its printed decimals. */
export interface PublishedFigure {
  value: number;
  text: string;
  decimals: number;
}

/**
 * Reads a published figure: a decimal string ("0.940", "1.5e-3", "944") keeps
 * its printed digits (0.940 → 3 decimals); a number is read from its
 * shortest round-trip decimal (0.94 → 2 decimals, so pass "0.940" when the
 * document prints a trailing zero).
 *
 * @throws {RangeError} For a non-finite number or a string that is not a plain decimal number.
 */
export function parsePublished(published: number | string): PublishedFigure {
  if (typeof published === "number") {
    if (!Number.isFinite(published)) {
      throw new RangeError(`agreement: published ${published} is not finite`);
    }
  }
  const text = typeof published === "number"
    ? String(published)
    : published.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m) {
    throw new RangeError(
      `agreement: published "${text}" is not a decimal number (use notComparable for figures without one)`,
    );
  }
  const fraction = m[2]
    ? m[2].length - 1
    : m[1].startsWith(".")
    ? m[1].length - 1
    : 0;
  const exponent = m[3] ? Number(m[3].slice(1)) : 0;
  return { value: Number(text), text, decimals: fraction - exponent };
}

/** Half a unit in the `decimals`-th decimal place, written exactly in decimal. */
function halfUnit(decimals: number): number {
  return Number(`5e${-(decimals + 1)}`);
}

/** Decimals that show an interval of this width to three digits of its width. */
function decimalsFor(width: number, fallback: number): number {
  if (!(width > 0) || !Number.isFinite(width)) return fallback;
  return Math.max(0, Math.min(15, 2 - Math.floor(Math.log10(width))));
}

function fmt(x: number, decimals: number): string {
  return Number.isFinite(x) ? x.toFixed(decimals) : String(x);
}

function levelText(level: number): string {
  return `${Number((level * 100).toFixed(6))} %`;
}

// ---------------------------------------------------------------------------
// the rules

/** Options of {@link deterministicRule}. */
export interface DeterministicOptions {
  /** A count: exact equality (tolerance 0); published must be an integer. */
  count?: boolean;
  /** The float type the figure was computed in; required unless `count`. */
  float?: FloatType;
  /** Override the printed decimals read from the published figure. */
  digits?: number;
  /** float32 only: k in k·2⁻²⁴·|value| (default 2: one rounding of each figure). */
  ulps?: number;
  /** A stated absolute float term replacing the relative one. */
  floatTolerance?: number;
  /** A cause for a difference: explained when demonstrated, else hypothesis. */
  cause?: Cause;
}

/** float64's relative term: room for differently ordered float64 arithmetic. */
const FLOAT64_RELATIVE = 1e-12;

/**
 * The tolerance rule for a deterministic figure: reproduced iff
 * |reproduced − published| ≤ half a unit in the last printed digit of the
 * published figure + a float term (float32: ulps·2⁻²⁴·max(|published|,
 * |reproduced|); float64: 1e-12 relative; or `floatTolerance`). Counts
 * (`count: true`) must be equal. A non-finite reproduced value is not
 * reproduced.
 *
 * @param published The document's figure; a string keeps its printed digits.
 * @param reproduced Our figure, in the same units.
 */
export function deterministicRule(
  published: number | string,
  reproduced: number,
  opts: DeterministicOptions,
): ToleranceRecord {
  checkCause(opts.cause);
  const pub = parsePublished(published);
  const count = opts.count === true;
  let decimals: number | null, digitsTol: number, floatTol: number;
  let float: FloatType | null = null;
  if (count) {
    if (!Number.isInteger(pub.value) || pub.decimals > 0) {
      throw new RangeError(
        `deterministicRule: count published "${pub.text}" is not an integer`,
      );
    }
    decimals = null;
    digitsTol = 0;
    floatTol = 0;
  } else {
    if (opts.float !== "float32" && opts.float !== "float64") {
      throw new RangeError(
        `deterministicRule: float must be "float32" or "float64" (or count: true)`,
      );
    }
    float = opts.float;
    decimals = opts.digits ?? pub.decimals;
    if (!Number.isInteger(decimals)) {
      throw new RangeError(
        `deterministicRule: digits ${decimals} is not an integer`,
      );
    }
    digitsTol = halfUnit(decimals);
    const magnitude = Math.max(
      Math.abs(pub.value),
      Number.isFinite(reproduced) ? Math.abs(reproduced) : 0,
    );
    if (opts.floatTolerance !== undefined) {
      if (
        !(opts.floatTolerance >= 0) || !Number.isFinite(opts.floatTolerance)
      ) {
        throw new RangeError(
          `deterministicRule: floatTolerance ${opts.floatTolerance} must be finite and >= 0`,
        );
      }
      floatTol = opts.floatTolerance;
    } else if (float === "float32") {
      const k = opts.ulps ?? 2;
      if (!(k >= 0)) {
        throw new RangeError(`deterministicRule: ulps ${k} must be >= 0`);
      }
      floatTol = k * 2 ** -24 * magnitude;
    } else {
      floatTol = FLOAT64_RELATIVE * magnitude;
    }
  }
  const tolerance = digitsTol + floatTol;
  const lo = pub.value - tolerance, hi = pub.value + tolerance;
  const difference = reproduced - pub.value;
  const isFinite = Number.isFinite(reproduced);
  const agrees = isFinite && Math.abs(difference) <= tolerance;
  const { status, cause } = decide(agrees, opts.cause);
  const d = count ? 0 : decimalsFor(2 * tolerance, 6);
  const how = count
    ? "count, exact"
    : `${pub.text} ± ${tolerance.toPrecision(3)}: ${
      decimals === 1 ? "1 printed decimal" : `${decimals} printed decimals`
    } + ${
      opts.floatTolerance !== undefined ? "stated float term" : `${float} term`
    }`;
  const record: ToleranceRecord = {
    rule: "tolerance",
    status,
    agrees,
    interval: [lo, hi],
    interval_text: `[${fmt(lo, d)}, ${fmt(hi, d)}] (${how})`,
    parameters: {
      published: pub.value,
      published_text: pub.text,
      reproduced: finite(reproduced),
      difference: finite(difference),
      count,
      decimals,
      digits_tolerance: digitsTol,
      float,
      float_tolerance: floatTol,
      tolerance,
    },
  };
  if (cause) record.cause = cause;
  if (!isFinite) record.reason = `the reproduced value is ${reproduced}`;
  return record;
}

/** Options of {@link predictionIntervalRule}. */
export interface PredictionIntervalOptions {
  /** Coverage of the prediction interval (default 0.95). */
  level?: number;
  /** A cause for a difference: explained when demonstrated, else hypothesis. */
  cause?: Cause;
}

/**
 * The prediction-interval rule for a published single run of an unseeded
 * process against our n seeded runs: reproduced iff published lies in
 * mean ± t((1 + level)/2, n − 1)·s·√(1 + 1/n), s the sample std (ddof 1).
 * n < 2 cannot be judged ("cannot-judge"); any non-finite run is not
 * reproduced; s = 0 leaves the single point `mean` (said in `reason`).
 *
 * @param published The document's single-run figure.
 * @param runs Our n seeded runs of the same quantity.
 */
export function predictionIntervalRule(
  published: number | string,
  runs: ArrayLike<number>,
  opts: PredictionIntervalOptions = {},
): PredictionIntervalRecord {
  checkCause(opts.cause);
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) {
    throw new RangeError(
      `predictionIntervalRule: level ${level} must be in (0, 1)`,
    );
  }
  const pub = parsePublished(published).value;
  const n = runs.length;
  const base = { published: pub, n, level };
  if (n < 2) {
    return {
      rule: "prediction-interval",
      status: "cannot-judge",
      agrees: null,
      interval: null,
      interval_text: `no interval (${
        levelText(level)
      } PI needs n >= 2, n = ${n})`,
      reason: `n = ${n}: ${
        n === 1 ? "one run has no spread" : "no runs"
      }, so no prediction interval can be formed; at least 2 seeded runs are needed`,
      parameters: {
        ...base,
        mean: n === 1 ? finite(runs[0]) : null,
        sd: null,
        df: null,
        t_quantile: null,
        half_width: null,
      },
    };
  }
  let nonFinite = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(runs[i])) nonFinite++;
  const m = mean(runs), s = sampleStd(runs), df = n - 1;
  const tq = studentTQuantile(0.5 + 0.5 * level, df);
  const half = tq * s * Math.sqrt(1 + 1 / n);
  const lo = m - half, hi = m + half;
  const agrees = nonFinite === 0 && pub >= lo && pub <= hi;
  const { status, cause } = decide(agrees, opts.cause);
  const d = decimalsFor(hi - lo, 6);
  const record: PredictionIntervalRecord = {
    rule: "prediction-interval",
    status,
    agrees,
    interval: nonFinite === 0 ? [lo, hi] : null,
    interval_text: nonFinite === 0
      ? `[${fmt(lo, d)}, ${fmt(hi, d)}] (${levelText(level)} PI, n = ${n})`
      : `no interval (${nonFinite} of ${n} runs not finite)`,
    parameters: {
      ...base,
      mean: finite(m),
      sd: finite(s),
      df,
      t_quantile: tq,
      half_width: finite(half),
    },
  };
  if (cause) record.cause = cause;
  if (nonFinite > 0) {
    record.reason = `${nonFinite} of ${n} runs are not finite`;
  } else if (s === 0) {
    record.reason =
      `s = 0: the ${n} runs are identical, so the interval is the single point ${m}; a deterministic figure is better judged by the tolerance rule`;
  }
  return record;
}

/** Options of {@link welchRule}. */
export interface WelchOptions {
  /** Significance level (default 0.05); the CI of the difference has level 1 − alpha. */
  alpha?: number;
  /** A cause for a difference: explained when demonstrated, else hypothesis. */
  cause?: Cause;
}

/** Welch's record when a side has fewer than two runs: no test, status "cannot-judge". */
function welchCannotJudge(
  n: number,
  nRef: number,
  parameters: WelchRecord["parameters"],
): WelchRecord {
  return {
    rule: "welch",
    status: "cannot-judge",
    agrees: null,
    interval: null,
    interval_text:
      `no test (Welch needs >= 2 runs a side, n = ${n} vs ${nRef})`,
    reason:
      `n = ${n} vs ${nRef}: Welch's test needs at least 2 runs on each side`,
    parameters,
  };
}

/**
 * The Welch rule for our runs against a reference re-run with its own seeds:
 * reproduced iff Welch's two-sided t test does not reject equal means at
 * `alpha` (p ≥ alpha). The record carries the difference (ours −
 * reference), its (1 − alpha) Welch CI and Hedges' g. Either side with fewer
 * than 2 runs cannot be judged; any non-finite run is not reproduced.
 */
export function welchRule(
  runs: ArrayLike<number>,
  reference: ArrayLike<number>,
  opts: WelchOptions = {},
): WelchRecord {
  checkCause(opts.cause);
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`welchRule: alpha ${alpha} must be in (0, 1)`);
  }
  const ciLevel = 1 - alpha;
  const n = runs.length, nRef = reference.length;
  const empty = {
    n,
    n_reference: nRef,
    mean: n > 0 ? finite(mean(runs)) : null,
    mean_reference: nRef > 0 ? finite(mean(reference)) : null,
    sd: n > 1 ? finite(sampleStd(runs)) : null,
    sd_reference: nRef > 1 ? finite(sampleStd(reference)) : null,
    difference: null,
    t: null,
    df: null,
    p: null,
    alpha,
    ci_level: ciLevel,
    hedges_g: null,
  };
  if (n < 2 || nRef < 2) return welchCannotJudge(n, nRef, empty);
  let nonFinite = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(runs[i])) nonFinite++;
  for (let i = 0; i < nRef; i++) {
    if (!Number.isFinite(reference[i])) nonFinite++;
  }
  if (nonFinite > 0) {
    const { status, cause } = decide(false, opts.cause);
    const record: WelchRecord = {
      rule: "welch",
      status,
      agrees: false,
      interval: null,
      interval_text: `no test (${nonFinite} runs not finite)`,
      reason: `${nonFinite} of ${n + nRef} runs are not finite`,
      parameters: empty,
    };
    if (cause) record.cause = cause;
    return record;
  }
  return welchRecord(welchTTest(runs, reference, ciLevel), alpha, opts.cause);
}

/** A {@link welchRule} record from a finished test (both sides ≥ 2 finite runs). */
function welchRecord(
  w: WelchTTest,
  alpha: number,
  given: Cause | undefined,
  textSuffix = "",
): WelchRecord {
  const agrees = w.p >= alpha;
  const { status, cause } = decide(agrees, given);
  const d = decimalsFor(w.ci[1] - w.ci[0], 6);
  const g = Number.isFinite(w.hedgesG)
    ? w.hedgesG.toFixed(2)
    : String(w.hedgesG);
  const record: WelchRecord = {
    rule: "welch",
    status,
    agrees,
    interval: [w.ci[0], w.ci[1]],
    interval_text: `difference ${fmt(w.difference, d)} [${fmt(w.ci[0], d)}, ${
      fmt(w.ci[1], d)
    }] (${levelText(1 - alpha)} Welch CI, p = ${w.p.toPrecision(2)}, df = ${
      Number.isFinite(w.df) ? w.df.toFixed(1) : "n/a"
    }, g = ${g}, n = ${w.nA} vs ${w.nB}${textSuffix})`,
    parameters: {
      n: w.nA,
      n_reference: w.nB,
      mean: w.meanA,
      mean_reference: w.meanB,
      sd: w.sdA,
      sd_reference: w.sdB,
      difference: w.difference,
      t: finite(w.t),
      df: finite(w.df),
      p: w.p,
      alpha,
      ci_level: 1 - alpha,
      hedges_g: finite(w.hedgesG),
    },
  };
  if (cause) record.cause = cause;
  if (w.se === 0) {
    record.reason =
      "both sides are constant: the test reduces to equality of the two values";
  }
  return record;
}

/** A reference known only by summary statistics (no per-seed values). */
export interface ReferenceStats {
  /** Number of reference runs (seeds), an integer ≥ 1. */
  n: number;
  /** Their mean. */
  mean: number;
  /** Their sample standard deviation (ddof 1), ≥ 0. */
  std: number;
}

/**
 * {@link welchRule} against a reference known only by its summary statistics
 * (n, mean, sample std): the same test from summary statistics
 * (`welchTTestFromStats`), the same record; its `interval_text` says the
 * reference came from summary statistics. Either side with fewer than 2 runs
 * cannot be judged; a non-finite run or reference statistic is not
 * reproduced.
 *
 * @throws {RangeError} when `reference.n` is not an integer ≥ 1 or
 *   `reference.std` is negative.
 */
export function welchSummaryRule(
  runs: ArrayLike<number>,
  reference: ReferenceStats,
  opts: WelchOptions = {},
): WelchRecord {
  checkCause(opts.cause);
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`welchSummaryRule: alpha ${alpha} must be in (0, 1)`);
  }
  const nRef = reference.n;
  if (!Number.isInteger(nRef) || nRef < 1) {
    throw new RangeError(
      `welchSummaryRule: reference n ${nRef} must be an integer >= 1`,
    );
  }
  if (reference.std < 0) {
    throw new RangeError(
      `welchSummaryRule: reference std ${reference.std} must be >= 0`,
    );
  }
  const n = runs.length;
  const empty = {
    n,
    n_reference: nRef,
    mean: n > 0 ? finite(mean(runs)) : null,
    mean_reference: finite(reference.mean),
    sd: n > 1 ? finite(sampleStd(runs)) : null,
    sd_reference: nRef > 1 ? finite(reference.std) : null,
    difference: null,
    t: null,
    df: null,
    p: null,
    alpha,
    ci_level: 1 - alpha,
    hedges_g: null,
  };
  if (n < 2 || nRef < 2) return welchCannotJudge(n, nRef, empty);
  let nonFinite = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(runs[i])) nonFinite++;
  const refFinite = Number.isFinite(reference.mean) &&
    Number.isFinite(reference.std);
  if (nonFinite > 0 || !refFinite) {
    const { status, cause } = decide(false, opts.cause);
    const record: WelchRecord = {
      rule: "welch",
      status,
      agrees: false,
      interval: null,
      interval_text: `no test (${
        refFinite ? `${nonFinite} runs` : "reference statistics"
      } not finite)`,
      reason: refFinite
        ? `${nonFinite} of ${n} runs are not finite`
        : `the reference mean ${reference.mean} or std ${reference.std} is not finite`,
      parameters: empty,
    };
    if (cause) record.cause = cause;
    return record;
  }
  const w = welchTTestFromStats(
    { n, mean: mean(runs), sd: sampleStd(runs) },
    { n: nRef, mean: reference.mean, sd: reference.std },
    1 - alpha,
  );
  return welchRecord(
    w,
    alpha,
    opts.cause,
    "; reference from summary statistics",
  );
}

/**
 * The record of a row whose published and reproduced figures are different
 * quantities (not counted in any tally).
 *
 * @param reason What differs, e.g. "the document reports MAE, we report RMSE".
 */
export function notComparable(reason: string): NotComparableRecord {
  if (typeof reason !== "string" || reason.trim() === "") {
    throw new RangeError("notComparable: the reason must be non-empty");
  }
  return {
    rule: "none",
    status: "not-comparable",
    agrees: null,
    interval: null,
    interval_text: "not comparable",
    reason,
    parameters: {},
  };
}

/** Counts of each status, plus `counted` = reproduced + explained + not-reproduced. */
export type AgreementTally = Record<AgreementStatus, number> & {
  counted: number;
};

/**
 * Tallies records by status; "hypothesis" and "cannot-judge" are reported
 * apart and "not-comparable" is left out of `counted`.
 */
export function tallyAgreement(
  records: readonly { status: AgreementStatus }[],
): AgreementTally {
  const tally = Object.fromEntries(
    AGREEMENT_STATUSES.map((s) => [s, 0]),
  ) as Record<AgreementStatus, number>;
  for (const r of records) tally[r.status]++;
  return {
    ...tally,
    counted: tally.reproduced + tally.explained + tally["not-reproduced"],
  };
}
