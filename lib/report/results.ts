/**
 * The pinned-results file `reports/<experiment>.json`: its schema as a
 * TypeScript type, a runtime validator with errors that name the file and
 * the field, and a serialiser with a stable key order, so the same results
 * always give the same bytes.
 *
 * Schema `cf-results/2`, top-level keys in this order: `schema`,
 * `experiment`, `title`, `command`, `document`, `dataset`, `config`, `seeds`,
 * `metrics`, `comparisons`, `models` (optional: the model files the run
 * wrote), `timings_s`, `environment`. Free-form records
 * (`config` at every depth, `document.published`, `metrics`, `timings_s`)
 * are written with their keys sorted.
 *
 * @module
 */

import { writeFileAtomic } from "../atomic_write.ts";
import { UserError } from "../errors.ts";
import { sampleStd } from "../stats.ts";
import {
  AGREEMENT_STATUSES,
  type AgreementRecord,
  type AgreementStatus,
  deterministicRule,
  notComparable,
  welchRule,
  welchSummaryRule,
} from "./agreement.ts";

/** Any plain JSON value. */
export type Json = null | boolean | number | string | Json[] | {
  [key: string]: Json;
};

/** A plain JSON object (the experiment's full configuration). */
export type JsonObject = { [key: string]: Json };

/** A metric measured over several runs (seeds, folds): mean and sample std of `values`. */
export interface MetricSummary {
  /** Mean over the runs. */
  mean: number;
  /** Sample standard deviation over the runs (ddof 1); 0 for a single run. */
  std: number;
  /** One value per seed, in the order of `Results.seeds`. */
  values: number[];
}

/** A metric: one number, or a summary over seeds. */
export type MetricValue = number | MetricSummary;

/**
 * How a reproduced number relates to the published one, as the agreement
 * rule of lib/report/agreement.ts decides it (never written by hand).
 */
export type ComparisonStatus = AgreementStatus;

/** The statuses, in the order reports list them. */
export const COMPARISON_STATUSES: readonly ComparisonStatus[] =
  AGREEMENT_STATUSES;

/**
 * A reference re-run beside the document: the library the document used,
 * re-run on the identical split with its own seeds, and Welch's test of our
 * runs against it. It carries either its per-seed `values`
 * ({@link referenceRun}) or, when only summary statistics are known, their
 * count `n` and optionally `min`/`max` ({@link referenceSummary}), never both.
 */
export interface ReferenceRun {
  /** Library and version, machine, split and seeds of the re-run. */
  source: string;
  /** One value per reference seed, when they are known. */
  values?: number[];
  /** Number of reference seeds, when only summary statistics are known. */
  n?: number;
  /** Mean over the reference seeds. */
  mean: number;
  /** Sample standard deviation over the reference seeds (ddof 1). */
  std: number;
  /** Smallest reference value, as quoted (summary statistics only). */
  min?: number;
  /** Largest reference value, as quoted (summary statistics only). */
  max?: number;
  /** Our runs against the reference (Welch's t test, α = 0.05). */
  rule: AgreementRecord;
}

/** One published-vs-reproduced row. */
export interface Comparison {
  /** A key of `Results.metrics`. */
  metric: string;
  /** As published; a string when the document gives no exact number (e.g. "≈0.9, read off a plot"). */
  published: number | string;
  /** Equal to the metric's value (its mean for a summary). */
  reproduced: number;
  /** `reproduced − published`, or null when `published` is a string. */
  difference: number | null;
  /** The verdict: always `rule.status`. */
  status: ComparisonStatus;
  /** Why it differs; required (non-empty) unless the status is "reproduced". */
  note: string;
  /** The agreement rule applied, its parameters and interval. */
  rule: AgreementRecord;
  /** A reference re-run of the document's library, when there is one. */
  reference?: ReferenceRun;
}

/** A data file the results were computed from, with its checksums (lowercase hex). */
export interface DataFile {
  /** File name (or `archive.zip:member`). */
  name: string;
  /** SHA-256, lowercase hex. */
  sha256: string;
  /** MD5, lowercase hex, when computed. */
  md5?: string;
}

/** A model file a run wrote beside its report, with its checksum. */
export interface ModelFileRecord {
  /** Path relative to the results file's folder, e.g. "als/model.onnx". */
  path: string;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
  /** File size in bytes. */
  bytes: number;
}

/** Where the numbers were produced (see `collectEnvironment`). */
export interface Environment {
  /** Deno version. */
  deno: string;
  /** V8 version. */
  v8: string;
  /** TypeScript version. */
  typescript: string;
  /** onnxruntime-web version. */
  onnxruntime_web: string;
  /** Operating system and architecture. */
  os: string;
  /** CPU model name. */
  cpu_model: string;
  /** Logical CPU cores. */
  cores: number;
  /** 40-hex commit, or "unknown" outside a git checkout. */
  git_commit: string;
  /** ISO time of the run; optional and never shown in the HTML. */
  generated_at?: string;
}

/** The whole results file. */
export interface Results {
  /** Schema tag of this file format. */
  schema: "cf-results/2";
  /** File-name-safe id, e.g. "als" (lowercase letters, digits, `_`, `-`). */
  experiment: string;
  /** Human-readable title of the experiment. */
  title: string;
  /** The exact command that reproduces these numbers. */
  command: string;
  /** The document reproduced and the numbers it publishes. */
  document: {
    /** The document's title, as it gives it. */
    title: string;
    /** Its authors (people or an organisation). */
    authors: string[];
    /** Year of publication, or null when unknown. */
    year: number | null;
    /** A public address of the document, or null when none is known. */
    url: string | null;
    /** Its published figures by metric key. */
    published: Record<string, number | string>;
  };
  /** The data the numbers were computed from. */
  dataset: {
    /** e.g. "ml-100k" or "ml-latest-small (2018)". */
    release: string;
    /** Download URL or local path the data was read from. */
    source: string;
    /** Every file read, with checksums. */
    files: DataFile[];
    /** Sizes of the loaded data. */
    counts: { users: number; items: number; ratings: number };
    /**
     * Repeated (user, item) pairs in a user's own file: the policy applied
     * (`keep-last`: the last rating kept) and how many earlier rows were
     * dropped before counting. Absent for a release (any repeat is refused).
     */
    duplicates?: { policy: string; dropped: number };
  };
  /** The full configuration, plain JSON. */
  config: JsonObject;
  /** Seeds of the runs, in order. */
  seeds: number[];
  /** Every measured number by key. */
  metrics: Record<string, MetricValue>;
  /** Published-vs-reproduced rows. */
  comparisons: Comparison[];
  /** The model files the run wrote (paths relative to this file's folder). */
  models?: ModelFileRecord[];
  /** Wall-clock seconds per phase, e.g. `{ load: 0.4, fit: 12.1 }`. */
  timings_s: Record<string, number>;
  /** Where the numbers were produced. */
  environment: Environment;
}

/** A results file is missing, unreadable or does not match the schema. */
export class ResultsError extends UserError {}

/** The schema id this module reads and writes. */
export const RESULTS_SCHEMA = "cf-results/2";

const EXPERIMENT_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** The median of `values` (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median: no values");
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * `{ mean, std, values }` of `values`: std is the sample standard deviation
 * (ddof 1, the spread a reader compares a new run with), 0 for one value.
 *
 * @example
 * ```ts
 * import { summarize } from "./results.ts";
 * const s = summarize([1, 3]);
 * console.assert(s.mean === 2 && Math.abs(s.std - Math.SQRT2) < 1e-15);
 * ```
 */
export function summarize(values: readonly number[]): MetricSummary {
  if (values.length === 0) throw new RangeError("summarize: no values");
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  const std = values.length > 1 ? sampleStd(values) : 0;
  return { mean, std, values: [...values] };
}

/** The single number of a metric: itself, or the mean of a summary. */
export function metricNumber(value: MetricValue): number {
  return typeof value === "number" ? value : value.mean;
}

/**
 * A comparison row for `metric`, with `reproduced` taken from `metrics`,
 * `difference` computed and the status taken from `rule` (the agreement
 * rule's verdict, lib/report/agreement.ts), so the row always agrees with
 * the metrics and no status is written by hand.
 *
 * @throws {Error} when `metrics` has no such metric.
 *
 * @example
 * ```ts
 * import { comparison } from "./results.ts";
 * import { deterministicRule } from "./agreement.ts";
 * const c = comparison("rmse", { rmse: 0.9401 }, 0.940, deterministicRule("0.940", 0.9401, { float: "float64" }));
 * console.assert(c.reproduced === 0.9401 && c.status === "reproduced");
 * ```
 */
export function comparison(
  metric: string,
  metrics: Readonly<Record<string, MetricValue>>,
  published: number | string,
  rule: AgreementRecord,
  note = "",
  reference?: ReferenceRun,
): Comparison {
  if (!Object.hasOwn(metrics, metric)) {
    throw new Error(`comparison: no metric "${metric}" in metrics`);
  }
  const reproduced = metricNumber(metrics[metric]);
  const difference = typeof published === "number"
    ? reproduced - published
    : null;
  const row: Comparison = {
    metric,
    published,
    reproduced,
    difference,
    status: rule.status,
    note,
    rule,
  };
  if (reference !== undefined) row.reference = reference;
  return row;
}

/**
 * A reference re-run (`source`: library, version, machine, split, seeds;
 * `values`: one per reference seed) with Welch's test of `ours` (one value
 * per our seed) against it.
 *
 * @example
 * ```ts
 * import { referenceRun } from "./results.ts";
 * const r = referenceRun("lib 1.0, 3 seeds", [0.93, 0.94, 0.95], [0.935, 0.94, 0.945]);
 * console.assert(Math.abs(r.mean - 0.94) < 1e-12 && r.rule.status === "reproduced");
 * ```
 */
export function referenceRun(
  source: string,
  values: readonly number[],
  ours: readonly number[],
): ReferenceRun {
  const s = summarize(values);
  return {
    source,
    values: [...values],
    mean: s.mean,
    std: s.std,
    rule: welchRule(ours, values),
  };
}

/** Summary statistics of a reference re-run quoted without per-seed values. */
export interface ReferenceStatistics {
  /** Number of reference seeds, an integer ≥ 1. */
  n: number;
  /** Mean over them. */
  mean: number;
  /** Their sample standard deviation (ddof 1), ≥ 0. */
  std: number;
  /** Smallest value, when quoted. */
  min?: number;
  /** Largest value, when quoted. */
  max?: number;
}

/**
 * A reference re-run known only by summary statistics (mean ± sample std
 * over `n` seeds, optionally min and max), with Welch's test of `ours` (one
 * value per our seed) computed from the summary statistics
 * (`welchSummaryRule`). The record has `n` in place of `values`.
 *
 * @throws {RangeError} when `n` is not an integer ≥ 1, a statistic is not
 *   finite, `std` < 0, or min ≤ mean ≤ max fails for the quoted bounds.
 *
 * @example
 * ```ts
 * import { referenceSummary } from "./results.ts";
 * const r = referenceSummary("lib 1.0, 10 seeds", { n: 10, mean: 0.94, std: 0.004 }, [0.938, 0.941, 0.943]);
 * console.assert(r.n === 10 && r.values === undefined && r.rule.rule === "welch");
 * ```
 */
export function referenceSummary(
  source: string,
  stats: ReferenceStatistics,
  ours: readonly number[],
): ReferenceRun {
  const { n, mean, std, min, max } = stats;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`referenceSummary: n ${n} must be an integer >= 1`);
  }
  for (
    const [k, v] of [["mean", mean], ["std", std], ["min", min], [
      "max",
      max,
    ]] as const
  ) {
    if (v !== undefined && !Number.isFinite(v)) {
      throw new RangeError(`referenceSummary: ${k} ${v} is not finite`);
    }
  }
  if (std < 0) throw new RangeError(`referenceSummary: std ${std} < 0`);
  if ((min !== undefined && min > mean) || (max !== undefined && max < mean)) {
    throw new RangeError(
      `referenceSummary: min ${min} <= mean ${mean} <= max ${max} fails`,
    );
  }
  return {
    source,
    n,
    mean,
    std,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    rule: welchSummaryRule(ours, { n, mean, std }),
  };
}

/** The note of rows whose run used other flags than the document's: names the flags given. */
export function otherSettingsNote(args: readonly string[]): string {
  return `run with other settings than the document's (${
    args.join(" ")
  }): not the document's quantity`;
}

/**
 * A row for a value that must equal the document's exactly (a count, an
 * index): the tolerance rule with exact equality, or "not-comparable" with
 * `changedBy` when the run's flags changed what is counted (e.g.
 * {@link otherSettingsNote}). `note` says what is counted.
 *
 * @throws {Error} when `metrics` has no such metric.
 */
export function exactComparison(
  metric: string,
  metrics: Readonly<Record<string, MetricValue>>,
  published: number,
  changedBy: string | null,
  note = "",
): Comparison {
  if (!Object.hasOwn(metrics, metric)) {
    throw new Error(`exactComparison: no metric "${metric}" in metrics`);
  }
  const rule = changedBy !== null
    ? notComparable(changedBy)
    : deterministicRule(published, metricNumber(metrics[metric]), {
      float: "float64",
      count: true,
    });
  const why = rule.status === "reproduced" ? note : changedBy ??
    `differs from the document's value${note ? `; ${note}` : ""}`;
  return comparison(metric, metrics, published, rule, why);
}

/**
 * A count row (users, ratings): {@link exactComparison} on the document's
 * `basis` ("data and split" by default).
 *
 * @throws {Error} when `metrics` has no such metric.
 */
export function countComparison(
  metric: string,
  metrics: Readonly<Record<string, MetricValue>>,
  published: number,
  changedBy: string | null,
  { basis = "data and split", note = "" }: {
    readonly basis?: string;
    readonly note?: string;
  } = {},
): Comparison {
  const row = exactComparison(metric, metrics, published, changedBy, note);
  if (row.status !== "not-reproduced") return row;
  return {
    ...row,
    note: `differs from the document's count with the document's ${basis}${
      note ? `; ${note}` : ""
    }`,
  };
}

// ---------------------------------------------------------------- validation

const AGREEMENT_RULES: readonly string[] = [
  "tolerance",
  "prediction-interval",
  "welch",
  "none",
];

/**
 * Checks an agreement record's common fields (the rule's own fields are its
 * module's business): rule name, a known status, a text interval.
 */
function agreementRecord(
  v: unknown,
  path: string,
  fail: Fail,
): AgreementRecord {
  if (!isRecord(v)) return fail(path, "an agreement record (an object)", v);
  if (!AGREEMENT_RULES.includes(v.rule as string)) {
    fail(join(path, "rule"), `one of ${AGREEMENT_RULES.join(", ")}`, v.rule);
  }
  if (!COMPARISON_STATUSES.includes(v.status as ComparisonStatus)) {
    fail(
      join(path, "status"),
      `one of ${COMPARISON_STATUSES.join(", ")}`,
      v.status,
    );
  }
  string(v.interval_text, join(path, "interval_text"), fail, false);
  return v as unknown as AgreementRecord;
}

type Fail = (path: string, expected: string, got: unknown) => never;

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks `v` is an object with exactly `required` (+ some of `optional`) keys. */
function object(
  v: unknown,
  path: string,
  fail: Fail,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (!isRecord(v)) return fail(path, "an object", v);
  for (const k of required) {
    if (!Object.hasOwn(v, k)) {
      return fail(join(path, k), "a value (the field is required)", undefined);
    }
  }
  for (const k of Object.keys(v)) {
    if (!required.includes(k) && !optional.includes(k)) {
      return fail(
        join(path, k),
        `no such field (allowed: ${[...required, ...optional].join(", ")})`,
        v[k],
      );
    }
  }
  return v;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const k = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  return path === ""
    ? k
    : /^[A-Za-z_]/.test(k)
    ? `${path}.${k}`
    : `${path}[${k}]`;
}

function string(v: unknown, path: string, fail: Fail, nonEmpty = true): string {
  if (typeof v !== "string" || (nonEmpty && v.trim() === "")) {
    return fail(path, nonEmpty ? "a non-empty string" : "a string", v);
  }
  return v;
}

function finite(v: unknown, path: string, fail: Fail): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    return fail(path, "a finite number", v);
  }
  return v;
}

function count(v: unknown, path: string, fail: Fail): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    return fail(path, "an integer ≥ 0", v);
  }
  return v;
}

function closeTo(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function json(v: unknown, path: string, fail: Fail): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    finite(v, path, fail);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => json(x, join(path, i), fail));
    return;
  }
  if (
    isRecord(v) && Object.getPrototypeOf(v) === Object.prototype ||
    isRecord(v) && Object.getPrototypeOf(v) === null
  ) {
    for (const [k, x] of Object.entries(v)) json(x, join(path, k), fail);
    return;
  }
  fail(
    path,
    "plain JSON (null, boolean, finite number, string, array or plain object)",
    v,
  );
}

function metricValue(v: unknown, path: string, fail: Fail): void {
  if (typeof v === "number") {
    finite(v, path, fail);
    return;
  }
  if (!isRecord(v)) {
    return fail(path, "a finite number or { mean, std, values }", v);
  }
  const s = object(v, path, fail, ["mean", "std", "values"]);
  const mean = finite(s.mean, join(path, "mean"), fail);
  const std = finite(s.std, join(path, "std"), fail);
  if (!Array.isArray(s.values) || s.values.length === 0) {
    return fail(join(path, "values"), "a non-empty array of numbers", s.values);
  }
  const values = s.values.map((x, i) =>
    finite(x, join(join(path, "values"), i), fail)
  );
  agreesWithValues(mean, std, values, path, fail);
}

/** Fails unless `mean` and `std` are the mean and sample std of `values` (within rounding). */
function agreesWithValues(
  mean: number,
  std: number,
  values: readonly number[],
  path: string,
  fail: Fail,
): void {
  const expected = summarize(values);
  if (!closeTo(mean, expected.mean)) {
    fail(join(path, "mean"), `the mean of values (${expected.mean})`, mean);
  }
  if (!closeTo(std, expected.std)) {
    fail(
      join(path, "std"),
      `the sample std (ddof 1) of values (${expected.std})`,
      std,
    );
  }
}

/**
 * Checks a reference re-run: a source, either per-seed `values` (whose mean
 * and sample std must agree with `mean` and `std`) or a count `n` (with
 * optional quoted `min` ≤ mean ≤ `max`), and a Welch rule record whose
 * `n_reference` is the reference's count.
 */
function reference(v: unknown, path: string, fail: Fail): void {
  const ref = object(v, path, fail, ["source", "mean", "std", "rule"], [
    "values",
    "n",
    "min",
    "max",
  ]);
  string(ref.source, join(path, "source"), fail);
  const mean = finite(ref.mean, join(path, "mean"), fail);
  const std = finite(ref.std, join(path, "std"), fail);
  if (std < 0) fail(join(path, "std"), "a sample std ≥ 0", std);
  let size: number;
  if (ref.values !== undefined) {
    if (ref.n !== undefined) {
      fail(join(path, "n"), "no n beside values (n is their length)", ref.n);
    }
    for (const k of ["min", "max"]) {
      if (ref[k] !== undefined) {
        fail(join(path, k), `no ${k} beside values`, ref[k]);
      }
    }
    if (!Array.isArray(ref.values) || ref.values.length === 0) {
      return fail(join(path, "values"), "a non-empty array", ref.values);
    }
    const values = ref.values.map((x, k) =>
      finite(x, join(join(path, "values"), k), fail)
    );
    agreesWithValues(mean, std, values, path, fail);
    size = values.length;
  } else {
    if (ref.n === undefined) {
      return fail(path, "either values or n", undefined);
    }
    size = count(ref.n, join(path, "n"), fail);
    if (size < 1) fail(join(path, "n"), "an integer ≥ 1", ref.n);
    if (
      ref.min !== undefined && finite(ref.min, join(path, "min"), fail) > mean
    ) fail(join(path, "min"), `at most the mean (${mean})`, ref.min);
    if (
      ref.max !== undefined && finite(ref.max, join(path, "max"), fail) < mean
    ) fail(join(path, "max"), `at least the mean (${mean})`, ref.max);
  }
  const rule = agreementRecord(ref.rule, join(path, "rule"), fail);
  if (rule.rule !== "welch") {
    fail(join(join(path, "rule"), "rule"), '"welch"', rule.rule);
  }
  const nRef = (rule.parameters as { n_reference?: unknown }).n_reference;
  if (nRef !== size) {
    fail(
      join(join(join(path, "rule"), "parameters"), "n_reference"),
      `the reference's count (${size})`,
      nRef,
    );
  }
}

/**
 * Checks that `value` is a valid `Results` and returns it typed. `source`
 * (the file path, or a label) starts every error message, followed by the
 * field path, e.g. `reports/als.json: metrics.rmse: expected a finite number, got "0.9"`.
 *
 * Beyond types it checks consistency: every comparison names a metric and
 * its `reproduced`/`difference` agree with it, a summary's mean and std agree
 * with its values, non-"reproduced" rows carry a note, checksums are hex.
 *
 * @throws {ResultsError} on the first problem found.
 */
export function validateResults(value: unknown, source: string): Results {
  const fail: Fail = (path, expected, got) => {
    throw new ResultsError(
      `${source}: ${path || "(top level)"}: expected ${expected}, got ${
        describe(got)
      }`,
    );
  };
  const r = object(value, "", fail, [
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
  ], ["models"]);
  if (r.schema !== RESULTS_SCHEMA) {
    fail("schema", JSON.stringify(RESULTS_SCHEMA), r.schema);
  }
  if (typeof r.experiment !== "string" || !EXPERIMENT_RE.test(r.experiment)) {
    fail(
      "experiment",
      "a file-name-safe id (lowercase letters, digits, _ and -)",
      r.experiment,
    );
  }
  string(r.title, "title", fail);
  string(r.command, "command", fail);

  const doc = object(r.document, "document", fail, [
    "title",
    "authors",
    "year",
    "url",
    "published",
  ]);
  string(doc.title, "document.title", fail);
  if (!Array.isArray(doc.authors) || doc.authors.length === 0) {
    fail("document.authors", "a non-empty array of names", doc.authors);
  }
  (doc.authors as unknown[]).forEach((a, i) =>
    string(a, join("document.authors", i), fail)
  );
  if (
    doc.year !== null &&
    !(Number.isInteger(doc.year) && (doc.year as number) > 1900)
  ) fail("document.year", "a year or null", doc.year);
  if (doc.url !== null && !/^https?:\/\/\S+$/.test(String(doc.url))) {
    fail("document.url", "an http(s) address or null", doc.url);
  }
  if (!isRecord(doc.published)) {
    fail("document.published", "an object", doc.published);
  }
  for (
    const [k, v] of Object.entries(doc.published as Record<string, unknown>)
  ) {
    if (typeof v !== "string") finite(v, join("document.published", k), fail);
  }

  const ds = object(r.dataset, "dataset", fail, [
    "release",
    "source",
    "files",
    "counts",
  ], ["duplicates"]);
  string(ds.release, "dataset.release", fail);
  string(ds.source, "dataset.source", fail);
  if (!Array.isArray(ds.files)) fail("dataset.files", "an array", ds.files);
  (ds.files as unknown[]).forEach((f, i) => {
    const path = join("dataset.files", i);
    const file = object(f, path, fail, ["name", "sha256"], ["md5"]);
    string(file.name, join(path, "name"), fail);
    if (
      typeof file.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(file.sha256)
    ) {
      fail(join(path, "sha256"), "64 lowercase hex digits", file.sha256);
    }
    if (
      file.md5 !== undefined &&
      (typeof file.md5 !== "string" || !/^[0-9a-f]{32}$/.test(file.md5))
    ) {
      fail(join(path, "md5"), "32 lowercase hex digits", file.md5);
    }
  });
  const counts = object(ds.counts, "dataset.counts", fail, [
    "users",
    "items",
    "ratings",
  ]);
  for (const k of ["users", "items", "ratings"]) {
    count(counts[k], join("dataset.counts", k), fail);
  }
  if (ds.duplicates !== undefined) {
    const dup = object(ds.duplicates, "dataset.duplicates", fail, [
      "policy",
      "dropped",
    ]);
    string(dup.policy, "dataset.duplicates.policy", fail);
    count(dup.dropped, "dataset.duplicates.dropped", fail);
  }

  if (!isRecord(r.config)) fail("config", "an object", r.config);
  json(r.config, "config", fail);

  if (!Array.isArray(r.seeds)) fail("seeds", "an array of integers", r.seeds);
  (r.seeds as unknown[]).forEach((s, i) => count(s, join("seeds", i), fail));

  if (!isRecord(r.metrics)) fail("metrics", "an object", r.metrics);
  const metrics = r.metrics as Record<string, unknown>;
  for (const [k, v] of Object.entries(metrics)) {
    metricValue(v, join("metrics", k), fail);
  }

  if (!Array.isArray(r.comparisons)) {
    fail("comparisons", "an array", r.comparisons);
  }
  (r.comparisons as unknown[]).forEach((c, i) => {
    const path = join("comparisons", i);
    const row = object(c, path, fail, [
      "metric",
      "published",
      "reproduced",
      "difference",
      "status",
      "note",
      "rule",
    ], ["reference"]);
    const metric = string(row.metric, join(path, "metric"), fail);
    if (!Object.hasOwn(metrics, metric)) {
      fail(join(path, "metric"), "a key of metrics", metric);
    }
    if (typeof row.published !== "string") {
      finite(row.published, join(path, "published"), fail);
    }
    const reproduced = finite(row.reproduced, join(path, "reproduced"), fail);
    const actual = metricNumber(metrics[metric] as MetricValue);
    if (!closeTo(reproduced, actual)) {
      fail(
        join(path, "reproduced"),
        `metrics[${JSON.stringify(metric)}] (${actual})`,
        reproduced,
      );
    }
    if (typeof row.published === "number") {
      const d = finite(row.difference, join(path, "difference"), fail);
      if (!closeTo(d, reproduced - row.published)) {
        fail(
          join(path, "difference"),
          `reproduced − published (${reproduced - row.published})`,
          d,
        );
      }
    } else if (row.difference !== null) {
      fail(
        join(path, "difference"),
        "null (published is not a number)",
        row.difference,
      );
    }
    if (!COMPARISON_STATUSES.includes(row.status as ComparisonStatus)) {
      fail(
        join(path, "status"),
        `one of ${COMPARISON_STATUSES.join(", ")}`,
        row.status,
      );
    }
    string(row.note, join(path, "note"), fail, row.status !== "reproduced");
    const rule = agreementRecord(row.rule, join(path, "rule"), fail);
    if (rule.status !== row.status) {
      fail(
        join(path, "status"),
        `the rule's status (${rule.status})`,
        row.status,
      );
    }
    // The rule must have judged this row's figures, not others.
    const params = (isRecord(rule.parameters) ? rule.parameters : {}) as {
      published?: unknown;
      reproduced?: unknown;
    };
    if (
      (rule.rule === "tolerance" || rule.rule === "prediction-interval") &&
      typeof row.published === "number" &&
      !(typeof params.published === "number" &&
        closeTo(params.published, row.published))
    ) {
      fail(
        join(join(join(path, "rule"), "parameters"), "published"),
        `the row's published figure (${row.published})`,
        params.published,
      );
    }
    if (
      rule.rule === "tolerance" && params.reproduced !== null &&
      !(typeof params.reproduced === "number" &&
        closeTo(params.reproduced, reproduced))
    ) {
      fail(
        join(join(join(path, "rule"), "parameters"), "reproduced"),
        `the row's reproduced figure (${reproduced})`,
        params.reproduced,
      );
    }
    if (row.reference !== undefined) {
      reference(row.reference, join(path, "reference"), fail);
    }
  });

  if (r.models !== undefined) {
    if (!Array.isArray(r.models)) fail("models", "an array", r.models);
    const paths = new Set<string>();
    (r.models as unknown[]).forEach((m, i) => {
      const path = join("models", i);
      const rec = object(m, path, fail, ["path", "sha256", "bytes"]);
      const p = string(rec.path, join(path, "path"), fail);
      if (
        !p.endsWith(".onnx") || p.startsWith("/") ||
        p.split(/[\\/]/).some((s) => s === ".." || s === "") || paths.has(p)
      ) {
        fail(
          join(path, "path"),
          "a distinct relative path to an .onnx file inside the results folder",
          p,
        );
      }
      paths.add(p);
      if (
        typeof rec.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(rec.sha256)
      ) {
        fail(join(path, "sha256"), "64 lowercase hex digits", rec.sha256);
      }
      count(rec.bytes, join(path, "bytes"), fail);
    });
  }

  if (!isRecord(r.timings_s)) fail("timings_s", "an object", r.timings_s);
  for (const [k, v] of Object.entries(r.timings_s as Record<string, unknown>)) {
    if (finite(v, join("timings_s", k), fail) < 0) {
      fail(join("timings_s", k), "seconds ≥ 0", v);
    }
  }

  const env = object(r.environment, "environment", fail, [
    "deno",
    "v8",
    "typescript",
    "onnxruntime_web",
    "os",
    "cpu_model",
    "cores",
    "git_commit",
  ], ["generated_at"]);
  for (
    const k of [
      "deno",
      "v8",
      "typescript",
      "onnxruntime_web",
      "os",
      "cpu_model",
      "git_commit",
    ]
  ) {
    string(env[k], join("environment", k), fail);
  }
  if (
    typeof env.cores !== "number" || !Number.isSafeInteger(env.cores) ||
    env.cores < 1
  ) {
    fail("environment.cores", "an integer ≥ 1", env.cores);
  }
  if (env.generated_at !== undefined) {
    string(env.generated_at, "environment.generated_at", fail);
  }
  return value as Results;
}

// ------------------------------------------------------------- serialisation

function sortedDeep(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (v !== null && typeof v === "object") return sortedRecord(v, sortedDeep);
  return v;
}

function sortedRecord<T, U>(
  record: Readonly<Record<string, T>>,
  map: (v: T) => U,
): Record<string, U> {
  const out: Record<string, U> = {};
  for (const k of Object.keys(record).sort()) out[k] = map(record[k]);
  return out;
}

function canonicalMetric(v: MetricValue): MetricValue {
  return typeof v === "number"
    ? v
    : { mean: v.mean, std: v.std, values: [...v.values] };
}

function canonicalReference(ref: ReferenceRun): ReferenceRun {
  const rule = sortedDeep(
    ref.rule as unknown as Json,
  ) as unknown as AgreementRecord;
  if (ref.values !== undefined) {
    return {
      source: ref.source,
      values: [...ref.values],
      mean: ref.mean,
      std: ref.std,
      rule,
    };
  }
  return {
    source: ref.source,
    n: ref.n,
    mean: ref.mean,
    std: ref.std,
    ...(ref.min !== undefined ? { min: ref.min } : {}),
    ...(ref.max !== undefined ? { max: ref.max } : {}),
    rule,
  };
}

/**
 * Validates `results` and serialises them as 2-space-indented JSON with a
 * trailing newline, keys in the schema's order (free-form records sorted),
 * numbers as JavaScript prints them. Same results → same bytes.
 *
 * @throws {ResultsError} when `results` are invalid (source "results").
 */
export function serializeResults(results: Results): string {
  const r = validateResults(results, "results");
  const env: Environment = {
    deno: r.environment.deno,
    v8: r.environment.v8,
    typescript: r.environment.typescript,
    onnxruntime_web: r.environment.onnxruntime_web,
    os: r.environment.os,
    cpu_model: r.environment.cpu_model,
    cores: r.environment.cores,
    git_commit: r.environment.git_commit,
  };
  if (r.environment.generated_at !== undefined) {
    env.generated_at = r.environment.generated_at;
  }
  const canonical: Results = {
    schema: r.schema,
    experiment: r.experiment,
    title: r.title,
    command: r.command,
    document: {
      title: r.document.title,
      authors: [...r.document.authors],
      year: r.document.year,
      url: r.document.url,
      published: sortedRecord(r.document.published, (v) => v),
    },
    dataset: {
      release: r.dataset.release,
      source: r.dataset.source,
      files: r.dataset.files.map((
        f,
      ) => (f.md5 === undefined
        ? { name: f.name, sha256: f.sha256 }
        : { name: f.name, sha256: f.sha256, md5: f.md5 })
      ),
      counts: {
        users: r.dataset.counts.users,
        items: r.dataset.counts.items,
        ratings: r.dataset.counts.ratings,
      },
      ...(r.dataset.duplicates === undefined ? {} : {
        duplicates: {
          policy: r.dataset.duplicates.policy,
          dropped: r.dataset.duplicates.dropped,
        },
      }),
    },
    config: sortedDeep(r.config) as JsonObject,
    seeds: [...r.seeds],
    metrics: sortedRecord(r.metrics, canonicalMetric),
    comparisons: r.comparisons.map((c) => {
      const row: Comparison = {
        metric: c.metric,
        published: c.published,
        reproduced: c.reproduced,
        difference: c.difference,
        status: c.status,
        note: c.note,
        rule: sortedDeep(
          c.rule as unknown as Json,
        ) as unknown as AgreementRecord,
      };
      if (c.reference !== undefined) {
        row.reference = canonicalReference(c.reference);
      }
      return row;
    }),
    ...(r.models === undefined ? {} : {
      models: r.models.map((m) => ({
        path: m.path,
        sha256: m.sha256,
        bytes: m.bytes,
      })),
    }),
    timings_s: sortedRecord(r.timings_s, (v) => v),
    environment: env,
  };
  return JSON.stringify(canonical, null, 2) + "\n";
}

/**
 * Reads and validates a results file.
 *
 * @throws {ResultsError} naming `path` when it cannot be read, is not JSON, or
 *   does not match the schema (then also naming the field).
 */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new ResultsError(`${path}: no such results file`, { cause: err });
    }
    throw new ResultsError(
      `${path}: cannot read: ${err instanceof Error ? err.message : err}`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ResultsError(
      `${path}: not valid JSON: ${err instanceof Error ? err.message : err}`,
      { cause: err },
    );
  }
  return validateResults(value, path);
}

/** Validates, serialises (`serializeResults`) and writes `results` to `path` atomically. */
export async function writeResults(
  path: string,
  results: Results,
): Promise<void> {
  await writeFileAtomic(path, serializeResults(results));
}
