/**
 * Comparisons between the blog's methods, with their uncertainty: for each
 * pair (e.g. NN against dot+bias), the test RMSE difference A − B over the
 * model seeds (paired t test: the same seed index, the same split) and over
 * the test ratings (paired percentile bootstrap of RMSE(A) − RMSE(B), each
 * seeded model's per-rating squared errors averaged over the seeds; a
 * deterministic method's are the same every seed).
 *
 * @module
 */

import type { MetricValue } from "../../lib/report/results.ts";
import { summarize } from "../../lib/report/results.ts";
import { pairedBootstrapCi, pairedTTest } from "../../lib/stats.ts";

/** Seed of the bootstrap's resampling generator. */
export const BOOTSTRAP_SEED = 0;
/** Bootstrap resamples. */
export const BOOTSTRAP_RESAMPLES = 1000;

/** A method's test predictions: one array per seed (one for a deterministic method). */
export interface MethodPredictions {
  readonly name: string;
  /** Per seed: predictions in test-rating order. */
  readonly perSeed: readonly ArrayLike<number>[];
}

/** A − B in test RMSE. */
export interface MethodVersus {
  readonly a: string;
  readonly b: string;
  /** Metric key prefix, e.g. "rmse_nn_minus_dot_bias". */
  readonly key: string;
  /** RMSE(A) − RMSE(B) per seed. */
  readonly differences: number[];
  /** Paired t over seeds: mean, 95 % CI, p. */
  readonly seeds: { mean: number; lo: number; hi: number; p: number };
  /** Paired bootstrap over the test ratings: estimate and 95 % CI. */
  readonly ratings: { estimate: number; lo: number; hi: number; n: number };
}

function rmseOf(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) {
    const d = pred[i] - truth[i];
    s += d * d;
  }
  return Math.sqrt(s / truth.length);
}

/** Per-rating squared errors averaged over the seeds. */
function meanSquaredErrors(
  m: MethodPredictions,
  truth: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(truth.length);
  for (const p of m.perSeed) {
    for (let i = 0; i < truth.length; i++) {
      const d = p[i] - truth[i];
      out[i] += d * d / m.perSeed.length;
    }
  }
  return out;
}

/** The RMSE of squared errors. */
function rootMean(sq: Float64Array): number {
  let s = 0;
  for (let i = 0; i < sq.length; i++) s += sq[i];
  return Math.sqrt(s / sq.length);
}

/**
 * A − B over seeds (each seeded method needs the same number of seeds, ≥ 2,
 * or one of them deterministic) and over the test ratings `truth`.
 */
export function methodVersus(
  a: MethodPredictions,
  b: MethodPredictions,
  truth: ArrayLike<number>,
): MethodVersus {
  const n = Math.max(a.perSeed.length, b.perSeed.length);
  const pick = (m: MethodPredictions, s: number) =>
    m.perSeed.length === 1 ? m.perSeed[0] : m.perSeed[s];
  if (
    n < 2 || (a.perSeed.length !== n && a.perSeed.length !== 1) ||
    (b.perSeed.length !== n && b.perSeed.length !== 1)
  ) {
    throw new RangeError(
      `methodVersus: ${a.name} has ${a.perSeed.length} seeds, ${b.name} ${b.perSeed.length}; need a common n ≥ 2 (or 1 for a deterministic method)`,
    );
  }
  const ra: number[] = [], rb: number[] = [];
  for (let s = 0; s < n; s++) {
    ra.push(rmseOf(pick(a, s), truth));
    rb.push(rmseOf(pick(b, s), truth));
  }
  const t = pairedTTest(ra, rb);
  const boot = pairedBootstrapCi(
    meanSquaredErrors(a, truth),
    meanSquaredErrors(b, truth),
    rootMean,
    { seed: BOOTSTRAP_SEED, resamples: BOOTSTRAP_RESAMPLES },
  );
  return {
    a: a.name,
    b: b.name,
    key: `rmse_${a.name}_minus_${b.name}`,
    differences: ra.map((x, i) => x - rb[i]),
    seeds: { mean: t.meanDifference, lo: t.ci[0], hi: t.ci[1], p: t.p },
    ratings: {
      estimate: boot.estimate,
      lo: boot.lo,
      hi: boot.hi,
      n: truth.length,
    },
  };
}

/** `<key>` (per-seed differences), `<key>_seeds_p`, `<key>_ratings_ci_lo`, `<key>_ratings_ci_hi`. */
export function versusMetrics(
  rows: readonly MethodVersus[],
): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  for (const r of rows) {
    out[r.key] = summarize(r.differences);
    out[`${r.key}_seeds_p`] = r.seeds.p;
    out[`${r.key}_ratings_ci_lo`] = r.ratings.lo;
    out[`${r.key}_ratings_ci_hi`] = r.ratings.hi;
  }
  return out;
}

/** "NN beats dot+bias by 0.0160 [0.0150, 0.0170] over 5 seeds …" (lower RMSE is better). */
export function versusSentence(
  r: MethodVersus,
  label: (name: string) => string,
): string {
  const f = (x: number) => x.toFixed(4);
  const verb = r.seeds.hi < 0 && r.ratings.hi < 0
    ? "beats"
    : r.seeds.lo > 0 && r.ratings.lo > 0
    ? "trails"
    : "is not distinguishable from";
  return `${label(r.a)} ${verb} ${label(r.b)}: test RMSE difference ${
    f(r.seeds.mean)
  } [${f(r.seeds.lo)}, ${
    f(r.seeds.hi)
  }] over ${r.differences.length} seeds (paired t, p = ${
    r.seeds.p.toPrecision(2)
  }), ${f(r.ratings.estimate)} [${f(r.ratings.lo)}, ${
    f(r.ratings.hi)
  }] over ${r.ratings.n} test ratings (paired bootstrap)`;
}
