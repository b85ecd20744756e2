/**
 * ALS against the popularity baseline on the holdout, with its uncertainty:
 * a paired t test over the model seeds (same split, so the pairs differ
 * only in ALS's random start) and a paired percentile bootstrap over the
 * test users (per-user values, ALS's averaged over the seeds), for
 * precision, MAP, NDCG and AUC at k.
 *
 * @module
 */

import {
  bootstrapCi,
  mean,
  pairedBootstrapCi,
  pairedTTest,
} from "../../lib/stats.ts";
import type { MetricValue } from "../../lib/report/results.ts";
import { summarize } from "../../lib/report/results.ts";
import type { HoldoutRun, UserValues } from "./holdout.ts";

/** The metrics compared, in table order. */
export const VERSUS_METRICS = ["precision", "map", "ndcg", "auc"] as const;

/** Seed of the bootstrap's resampling generator. */
export const BOOTSTRAP_SEED = 0;
/** Bootstrap resamples. */
export const BOOTSTRAP_RESAMPLES = 2000;

/** One metric's comparison: ALS − popularity. */
export interface Versus {
  readonly metric: (typeof VERSUS_METRICS)[number];
  /** ALS − popularity per seed. */
  readonly differences: number[];
  /** Paired t test over seeds: mean difference, its 95 % CI, p. */
  readonly seeds: { mean: number; lo: number; hi: number; p: number };
  /** Paired bootstrap over test users (ALS per user averaged over seeds): estimate and 95 % CI. */
  readonly users: { estimate: number; lo: number; hi: number; n: number };
}

/** Per-user ALS values averaged over the runs. */
function averageUsers(runs: readonly HoldoutRun[]): UserValues {
  const n = runs[0].models.als.users.hits.length;
  const avg = (pick: (u: UserValues) => Float64Array) => {
    const out = new Float64Array(n);
    for (const r of runs) {
      const v = pick(r.models.als.users);
      for (let j = 0; j < n; j++) out[j] += v[j] / runs.length;
    }
    return out;
  };
  return {
    hits: avg((u) => u.hits),
    m: runs[0].models.als.users.m,
    map: avg((u) => u.map),
    ndcg: avg((u) => u.ndcg),
    auc: avg((u) => u.auc),
  };
}

/**
 * ALS − popularity for each metric: over seeds (paired t, n ≥ 2 runs) and
 * over test users (paired bootstrap; precision is implicit's pooled
 * Σ hits / Σ min(k, |T_u|), so its resamples recompute that ratio). The
 * runs hold the models `als` and `popularity` (the latter's per-user values
 * are the same every run).
 */
export function alsVersusPopularity(runs: readonly HoldoutRun[]): Versus[] {
  const als = averageUsers(runs);
  const popularityUsers = runs[0].models.popularity.users;
  const opts = { seed: BOOTSTRAP_SEED, resamples: BOOTSTRAP_RESAMPLES };
  return VERSUS_METRICS.map((metric) => {
    const a = runs.map((r) => r.models.als.metrics[metric]);
    const b = runs.map((r) => r.models.popularity.metrics[metric]);
    const t = pairedTTest(a, b);
    let boot;
    if (metric === "precision") {
      const idx = Float64Array.from(als.m, (_, j) => j);
      const m = als.m, ha = als.hits, hb = popularityUsers.hits;
      boot = bootstrapCi(idx, (sample) => {
        let d = 0, s = 0;
        for (let i = 0; i < sample.length; i++) {
          const j = sample[i];
          d += ha[j] - hb[j];
          s += m[j];
        }
        return d / s;
      }, opts);
    } else {
      boot = pairedBootstrapCi(
        als[metric],
        popularityUsers[metric],
        mean,
        opts,
      );
    }
    return {
      metric,
      differences: a.map((x, i) => x - b[i]),
      seeds: { mean: t.meanDifference, lo: t.ci[0], hi: t.ci[1], p: t.p },
      users: {
        estimate: boot.estimate,
        lo: boot.lo,
        hi: boot.hi,
        n: als.m.length,
      },
    };
  });
}

/**
 * The comparison as metrics: `als_minus_popularity_<m>_at_<k>` (per-seed
 * differences), `…_seeds_p` (paired t), `…_users_ci_lo` / `…_users_ci_hi`
 * (bootstrap over test users).
 */
export function versusMetrics(
  rows: readonly Versus[],
  k: number,
): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  for (const r of rows) {
    const key = `als_minus_popularity_${r.metric}_at_${k}`;
    out[key] = summarize(r.differences);
    out[`${key}_seeds_p`] = r.seeds.p;
    out[`${key}_users_ci_lo`] = r.users.lo;
    out[`${key}_users_ci_hi`] = r.users.hi;
  }
  return out;
}

/** One sentence per metric: "ALS beats popularity on precision@10 by x [lo, hi] …". */
export function versusSentence(r: Versus, k: number): string {
  const f = (x: number) => x.toFixed(4);
  const verb = r.seeds.lo > 0 && r.users.lo > 0
    ? "beats"
    : r.seeds.hi < 0 && r.users.hi < 0
    ? "trails"
    : "is not distinguishable from";
  return `ALS ${verb} popularity on ${r.metric}@${k}: ${f(r.seeds.mean)} ` +
    `[${f(r.seeds.lo)}, ${
      f(r.seeds.hi)
    }] over ${r.differences.length} seeds (paired t, p = ${
      r.seeds.p.toPrecision(2)
    }), ${f(r.users.estimate)} [${f(r.users.lo)}, ${
      f(r.users.hi)
    }] over ${r.users.n} test users (paired bootstrap)`;
}
