/**
 * Surprise 1.1.x `SVD(random_state=seed)` at its defaults: biased matrix
 * factorisation r̂ = μ + b_u + b_i + q_iᵀp_u fitted by plain SGD over the
 * training ratings in `all_ratings()` order (by inner user, then each user's
 * ratings in training order; no reshuffling between epochs), `n_factors=100`,
 * `n_epochs=20`, `lr_all=0.005`, `reg_all=0.02`; biases start at 0, factors
 * at `rng.normal(0, 0.1, (n_users, n_factors))` then the same for items from
 * one `RandomState(seed)`.
 *
 * @module
 */

import { RandomState } from "../../rng.ts";
import type { SurpriseFactorModel, SurpriseTrainset } from "./trainset.ts";

/** SVD settings (Surprise names in comments). */
export interface SvdOptions {
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

/** Surprise 1.1.x's SVD defaults (seed 0 as in its benchmark script). */
export const SVD_DEFAULTS: Required<SvdOptions> = {
  nFactors: 100,
  nEpochs: 20,
  lr: 0.005,
  reg: 0.02,
  initMean: 0,
  initStd: 0.1,
  seed: 0,
};

/** A fitted SVD: biases and row-major factors (nUsers × f, nItems × f). */
export type SvdModel = SurpriseFactorModel;

/** Fits SVD on `t` by Surprise's SGD, step for step. */
export function fitSvd(t: SurpriseTrainset, opts: SvdOptions = {}): SvdModel {
  const o = { ...SVD_DEFAULTS, ...opts };
  const f = o.nFactors;
  const rs = new RandomState(o.seed);
  const pu = new Float64Array(t.nUsers * f);
  for (let k = 0; k < pu.length; k++) pu[k] = rs.normal(o.initMean, o.initStd);
  const qi = new Float64Array(t.nItems * f);
  for (let k = 0; k < qi.length; k++) qi[k] = rs.normal(o.initMean, o.initStd);
  const bu = new Float64Array(t.nUsers), bi = new Float64Array(t.nItems);
  const mu = t.globalMean, lr = o.lr, reg = o.reg;
  for (let e = 0; e < o.nEpochs; e++) {
    for (let u = 0; u < t.nUsers; u++) {
      const pb = u * f;
      for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
        const i = t.urItem[p], qb = i * f;
        let dot = 0;
        for (let k = 0; k < f; k++) dot += qi[qb + k] * pu[pb + k];
        const err = t.urRating[p] - (mu + bu[u] + bi[i] + dot);
        bu[u] += lr * (err - reg * bu[u]);
        bi[i] += lr * (err - reg * bi[i]);
        for (let k = 0; k < f; k++) {
          const puf = pu[pb + k], qif = qi[qb + k];
          pu[pb + k] += lr * (err * qif - reg * puf);
          qi[qb + k] += lr * (err * puf - reg * qif);
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
    nFactors: f,
    estimate(u, i) {
      let est = mu;
      if (u >= 0) est += bu[u];
      if (i >= 0) est += bi[i];
      if (u >= 0 && i >= 0) {
        let dot = 0;
        for (let k = 0; k < f; k++) dot += qi[i * f + k] * pu[u * f + k];
        est += dot;
      }
      return est;
    },
  };
}
