/**
 * Holdout models against each other (ALS − popularity; with BPR also
 * ALS − BPR and BPR − popularity), with the uncertainty of each gap: a
 * paired t test over the model seeds (same split, so the pairs differ only
 * in the models' random starts) and a paired percentile bootstrap over the
 * test users (per-user values, a seeded model's averaged over the seeds),
 * for precision, MAP, NDCG and AUC at k.
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

/** One metric's comparison of two holdout models: a − b. */
export interface Versus {
  /** Model keys (e.g. "als", "popularity") and labels (e.g. "ALS"). */
  readonly a: { readonly name: string; readonly label: string };
  readonly b: { readonly name: string; readonly label: string };
  readonly metric: (typeof VERSUS_METRICS)[number];
  /** a − b per seed. */
  readonly differences: number[];
  /** Paired t test over seeds: mean difference, its 95 % CI, p. */
  readonly seeds: { mean: number; lo: number; hi: number; p: number };
  /** Paired bootstrap over test users (per user, averaged over seeds): estimate and 95 % CI. */
  readonly users: { estimate: number; lo: number; hi: number; n: number };
}

/**
 * Per-user values of model `name` averaged over the runs; a model whose runs
 * share one set of values (not seeded: ranked once) gives that set as is.
 */
function averageUsers(runs: readonly HoldoutRun[], name: string): UserValues {
  const first = runs[0].models[name].users;
  if (runs.every((r) => r.models[name].users === first)) return first;
  const n = first.hits.length;
  const avg = (pick: (u: UserValues) => Float64Array) => {
    const out = new Float64Array(n);
    for (const r of runs) {
      const v = pick(r.models[name].users);
      for (let j = 0; j < n; j++) out[j] += v[j] / runs.length;
    }
    return out;
  };
  return {
    hits: avg((u) => u.hits),
    m: first.m,
    map: avg((u) => u.map),
    ndcg: avg((u) => u.ndcg),
    auc: avg((u) => u.auc),
  };
}

/**
 * The holdout's pairs in table order: ALS − popularity, and with BPR in the
 * runs ALS − BPR and BPR − popularity; each as {@link modelVersus}.
 */
export function holdoutVersus(runs: readonly HoldoutRun[]): Versus[] {
  const pairs: [string, string][] = [["als", "popularity"]];
  if (runs[0].models.bpr !== undefined) {
    pairs.push(["als", "bpr"], ["bpr", "popularity"]);
  }
  return pairs.flatMap(([a, b]) => modelVersus(runs, a, b));
}

/**
 * Model `a` − model `b` for each metric: over seeds (paired t, n ≥ 2 runs)
 * and over test users (paired bootstrap; precision is implicit's pooled
 * Σ hits / Σ min(k, |T_u|), so its resamples recompute that ratio).
 */
export function modelVersus(
  runs: readonly HoldoutRun[],
  a: string,
  b: string,
): Versus[] {
  const ua = averageUsers(runs, a), ub = averageUsers(runs, b);
  const label = (name: string) => ({
    name,
    label: runs[0].models[name].label,
  });
  const opts = { seed: BOOTSTRAP_SEED, resamples: BOOTSTRAP_RESAMPLES };
  return VERSUS_METRICS.map((metric) => {
    const va = runs.map((r) => r.models[a].metrics[metric]);
    const vb = runs.map((r) => r.models[b].metrics[metric]);
    const t = pairedTTest(va, vb);
    let boot;
    if (metric === "precision") {
      const idx = Float64Array.from(ua.m, (_, j) => j);
      const m = ua.m, ha = ua.hits, hb = ub.hits;
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
      boot = pairedBootstrapCi(ua[metric], ub[metric], mean, opts);
    }
    return {
      a: label(a),
      b: label(b),
      metric,
      differences: va.map((x, i) => x - vb[i]),
      seeds: { mean: t.meanDifference, lo: t.ci[0], hi: t.ci[1], p: t.p },
      users: {
        estimate: boot.estimate,
        lo: boot.lo,
        hi: boot.hi,
        n: ua.m.length,
      },
    };
  });
}

/**
 * The comparisons as metrics: `<a>_minus_<b>_<m>_at_<k>` (per-seed
 * differences, e.g. `als_minus_popularity_precision_at_10`), `…_seeds_p` (paired t), `…_users_ci_lo` / `…_users_ci_hi`
 * (bootstrap over test users).
 */
export function versusMetrics(
  rows: readonly Versus[],
  k: number,
): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  for (const r of rows) {
    const key = `${r.a.name}_minus_${r.b.name}_${r.metric}_at_${k}`;
    out[key] = summarize(r.differences);
    out[`${key}_seeds_p`] = r.seeds.p;
    out[`${key}_users_ci_lo`] = r.users.lo;
    out[`${key}_users_ci_hi`] = r.users.hi;
  }
  return out;
}

/** One sentence per metric: "ALS beats popularity on precision@10: x [lo, hi] …". */
export function versusSentence(r: Versus, k: number): string {
  const f = (x: number) => x.toFixed(4);
  const verb = r.seeds.lo > 0 && r.users.lo > 0
    ? "beats"
    : r.seeds.hi < 0 && r.users.hi < 0
    ? "trails"
    : "is not distinguishable from";
  return `${r.a.label} ${verb} ${r.b.label} on ${r.metric}@${k}: ${
    f(r.seeds.mean)
  } ` +
    `[${f(r.seeds.lo)}, ${
      f(r.seeds.hi)
    }] over ${r.differences.length} seeds (paired t, p = ${
      r.seeds.p.toPrecision(2)
    }), ${f(r.users.estimate)} [${f(r.users.lo)}, ${
      f(r.users.hi)
    }] over ${r.users.n} test users (paired bootstrap)`;
}
