/**
 * The document's three models compared with each other on the test set:
 * for each pair, the difference of test MSE (A − B) with a paired t test
 * over model seeds (the same seed's fits of A and B form a pair) and a
 * paired percentile bootstrap over test ratings (each rating's squared error
 * averaged over seeds, resampled together for A and B). Tested in
 * pairs_test.ts.
 *
 * @module
 */

import { mean, pairedBootstrapCi, pairedTTest } from "../../lib/stats.ts";
import type { ModelName } from "./document.ts";

/** The pairs compared, better-expected model first: (A, B) → MSE(A) − MSE(B). */
export const MODEL_PAIRS: readonly (readonly [ModelName, ModelName])[] = [
  ["bias", "mf"],
  ["mlp", "mf"],
  ["mlp", "bias"],
];

/** Human names of the models, for the report. */
export const MODEL_LABELS: Readonly<Record<ModelName, string>> = {
  mf: "ExplicitMF (dot product)",
  bias: "dot product + biases",
  mlp: "embedding MLP",
};

/** Bootstrap resamples of the test ratings. */
export const BOOTSTRAP_RESAMPLES = 1000;

/** One pair's comparison. */
export interface PairComparison {
  readonly a: ModelName;
  readonly b: ModelName;
  /** Seeds paired. */
  readonly n: number;
  /** mean over seeds of MSE(A) − MSE(B), squared stars; negative: A is better. */
  readonly difference: number;
  /** 95 % CI of the mean difference over seeds (paired t, n − 1 df). */
  readonly ci: [number, number];
  /** Two-sided p of the paired t test. */
  readonly p: number;
  /** MSE(A) − MSE(B) of the seed-averaged squared errors (equals `difference`). */
  readonly bootEstimate: number;
  /** 95 % paired percentile bootstrap CI over the test ratings. */
  readonly bootCi: [number, number];
}

/** Per rating, the squared error averaged over seeds' predictions (each of length N). */
export function meanSquaredErrors(
  predictions: readonly Float32Array[],
  ratings: Float32Array,
): Float64Array {
  const n = ratings.length;
  const out = new Float64Array(n);
  for (const p of predictions) {
    if (p.length !== n) {
      throw new RangeError(
        `meanSquaredErrors: ${p.length} predictions for ${n} ratings`,
      );
    }
    for (let i = 0; i < n; i++) {
      const d = p[i] - ratings[i];
      out[i] += d * d;
    }
  }
  for (let i = 0; i < n; i++) out[i] /= predictions.length;
  return out;
}

/**
 * The comparison of models `a` and `b`: `mseA`/`mseB` one test MSE per seed
 * (same seed order), `errA`/`errB` per-rating squared errors averaged over
 * those seeds ({@link meanSquaredErrors}); the bootstrap draws from
 * `RandomState(bootstrapSeed)`.
 */
export function comparePair(
  a: ModelName,
  b: ModelName,
  mseA: readonly number[],
  mseB: readonly number[],
  errA: Float64Array,
  errB: Float64Array,
  bootstrapSeed: number,
): PairComparison {
  const t = pairedTTest(mseA, mseB);
  const boot = pairedBootstrapCi(errA, errB, (s) => mean(s), {
    seed: bootstrapSeed,
    resamples: BOOTSTRAP_RESAMPLES,
  });
  return {
    a,
    b,
    n: t.n,
    difference: t.meanDifference,
    ci: t.ci,
    p: t.p,
    bootEstimate: boot.estimate,
    bootCi: [boot.lo, boot.hi],
  };
}

/** The metrics of the pair comparisons: `<a>_minus_<b>_test_mse` and its CIs and p. */
export function pairMetrics(
  pairs: readonly PairComparison[],
): Record<string, number> {
  const m: Record<string, number> = {};
  for (const c of pairs) {
    const k = `${c.a}_minus_${c.b}_test_mse`;
    m[k] = c.difference;
    m[`${k}_seeds_ci_lo`] = c.ci[0];
    m[`${k}_seeds_ci_hi`] = c.ci[1];
    m[`${k}_seeds_p`] = c.p;
    m[`${k}_ratings_ci_lo`] = c.bootCi[0];
    m[`${k}_ratings_ci_hi`] = c.bootCi[1];
  }
  return m;
}

/**
 * A sentence for one pair, e.g. "dot product + biases beats ExplicitMF (dot
 * product) by 0.0601 test MSE [0.0583, 0.0619] over 10 seeds (paired t, p =
 * 3e-12); over test ratings [0.0545, 0.0657]". "beats" only when both
 * intervals exclude 0 on the same side; otherwise "no clear difference".
 */
export function pairSentence(c: PairComparison): string {
  const f = (x: number) => x.toFixed(4);
  const better = c.difference < 0 ? c.a : c.b;
  const worse = better === c.a ? c.b : c.a;
  const sign = better === c.a ? -1 : 1;
  const [lo, hi] = [c.ci[0] * sign, c.ci[1] * sign].sort((x, y) => x - y);
  const [blo, bhi] = [c.bootCi[0] * sign, c.bootCi[1] * sign].sort((x, y) =>
    x - y
  );
  const clear = lo > 0 && blo > 0;
  const by = `${f(c.difference * sign)} test MSE [${f(lo)}, ${
    f(hi)
  }] over ${c.n} seeds (paired t, p = ${c.p.toPrecision(2)}); [${f(blo)}, ${
    f(bhi)
  }] over test ratings (paired bootstrap, ${BOOTSTRAP_RESAMPLES} resamples)`;
  return clear
    ? `${MODEL_LABELS[better]} beats ${MODEL_LABELS[worse]} by ${by}`
    : `no clear difference between ${MODEL_LABELS[c.a]} and ${
      MODEL_LABELS[c.b]
    }: ${MODEL_LABELS[better]} lower by ${by}`;
}
