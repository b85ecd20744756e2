/**
 * Surprise 1.1.x `SVDpp(random_state=seed)` at its defaults: r̂ = μ + b_u +
 * b_i + q_iᵀ(p_u + |I_u|^−½ Σ_{j∈I_u} y_j), `n_factors=20`, `n_epochs=20`,
 * `lr_all=0.007`, `reg_all=0.02`; biases start at 0, p, q and y at
 * `rng.normal(0, 0.1)` tables (users', items', implicit items') drawn in that
 * order from one `RandomState(seed)`.
 *
 * SGD over `all_ratings()` (by inner user, no reshuffling); per rating:
 * the implicit sum s_f = Σ_j (y_jf / √|I_u|) over u's items in `ur[u]`
 * order, err = r − (μ + b_u + b_i + Σ_f q_if (p_uf + s_f)), the biases, then
 * per factor p_uf and q_if from their old values (q with p_uf + s_f) and every
 * y_jf += lr·(err·q_if/√|I_u| − reg·y_jf) with the old q_if. (Surprise loops
 * f outside j there; each y_jf changes once from its own value, so the loop
 * order here, j outside f, gives the same numbers.) `cache_ratings` only
 * changes Surprise's speed. The estimate sums the y_j first and divides once,
 * as Surprise's `estimate` does.
 *
 * @module
 */

import { RandomState } from "../../rng.ts";
import type { SurpriseFactorModel, SurpriseTrainset } from "./trainset.ts";

/** SVDpp settings (Surprise names in comments). */
export interface SvdppOptions {
  /** n_factors */
  readonly nFactors?: number;
  /** n_epochs */
  readonly nEpochs?: number;
  /** lr_all */
  readonly lr?: number;
  /** reg_all */
  readonly reg?: number;
  /** init_mean, init_std_dev */
  readonly initMean?: number;
  readonly initStd?: number;
  /** random_state (an int seed) */
  readonly seed?: number;
}

/** Surprise 1.1.x's SVDpp defaults (seed 0 as in its benchmark script). */
export const SVDPP_DEFAULTS: Required<SvdppOptions> = {
  nFactors: 20,
  nEpochs: 20,
  lr: 0.007,
  reg: 0.02,
  initMean: 0,
  initStd: 0.1,
  seed: 0,
};

/** A fitted SVD++: biases and row-major factors (nUsers × f; nItems × f for q and y). */
export interface SvdppModel extends SurpriseFactorModel {
  /** Implicit-feedback factors, nItems × f. */
  readonly yj: Float64Array;
}

/** Fits SVD++ on `t` by Surprise's SGD, step for step. */
export function fitSvdpp(
  t: SurpriseTrainset,
  opts: SvdppOptions = {},
): SvdppModel {
  const o = { ...SVDPP_DEFAULTS, ...opts };
  const f = o.nFactors;
  const rs = new RandomState(o.seed);
  const draw = (n: number) => {
    const a = new Float64Array(n);
    for (let k = 0; k < n; k++) a[k] = rs.normal(o.initMean, o.initStd);
    return a;
  };
  const pu = draw(t.nUsers * f), qi = draw(t.nItems * f);
  const yj = draw(t.nItems * f);
  const bu = new Float64Array(t.nUsers), bi = new Float64Array(t.nItems);
  const mu = t.globalMean, lr = o.lr, reg = o.reg;
  const impl = new Float64Array(f), c = new Float64Array(f);
  // Row offsets of each user's items in y, in ur order (max |I_u| long).
  let maxIu = 0;
  for (let u = 0; u < t.nUsers; u++) {
    maxIu = Math.max(maxIu, t.urStart[u + 1] - t.urStart[u]);
  }
  const rows = new Int32Array(maxIu);
  for (let e = 0; e < o.nEpochs; e++) {
    for (let u = 0; u < t.nUsers; u++) {
      const a = t.urStart[u], n = t.urStart[u + 1] - a, pb = u * f;
      const sqrtIu = Math.sqrt(n);
      for (let q = 0; q < n; q++) rows[q] = t.urItem[a + q] * f;
      for (let p = a; p < a + n; p++) {
        const i = t.urItem[p], qb = i * f;
        impl.fill(0);
        for (let q = 0; q < n; q++) {
          const yb = rows[q];
          for (let k = 0; k < f; k++) impl[k] += yj[yb + k] / sqrtIu;
        }
        let dot = 0;
        for (let k = 0; k < f; k++) dot += qi[qb + k] * (pu[pb + k] + impl[k]);
        const err = t.urRating[p] - (mu + bu[u] + bi[i] + dot);
        bu[u] += lr * (err - reg * bu[u]);
        bi[i] += lr * (err - reg * bi[i]);
        for (let k = 0; k < f; k++) {
          const puf = pu[pb + k], qif = qi[qb + k];
          pu[pb + k] += lr * (err * qif - reg * puf);
          qi[qb + k] += lr * (err * (puf + impl[k]) - reg * qif);
          c[k] = err * qif / sqrtIu;
        }
        for (let q = 0; q < n; q++) {
          const yb = rows[q];
          for (let k = 0; k < f; k++) {
            const y = yb + k;
            yj[y] += lr * (c[k] - reg * yj[y]);
          }
        }
      }
    }
  }
  return {
    trainset: t,
    bu,
    bi,
    pu,
    qi,
    yj,
    nFactors: f,
    estimate(u, i) {
      let est = mu;
      if (u >= 0) est += bu[u];
      if (i >= 0) est += bi[i];
      if (u >= 0 && i >= 0) {
        const a = t.urStart[u], b = t.urStart[u + 1], sqrtIu = Math.sqrt(b - a);
        let dot = 0;
        for (let k = 0; k < f; k++) {
          let s = 0;
          for (let q = a; q < b; q++) s += yj[t.urItem[q] * f + k];
          dot += qi[i * f + k] * (pu[u * f + k] + s / sqrtIu);
        }
        est += dot;
      }
      return est;
    },
  };
}
