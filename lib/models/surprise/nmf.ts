/**
 * Surprise 1.1.x `NMF(random_state=seed)` at its defaults: r̂ = q_iᵀp_u with
 * non-negative factors, `n_factors=15`, `n_epochs=50`, `biased=False`,
 * `reg_pu=reg_qi=0.06` (biased variant: `lr_bu=lr_bi=0.005`,
 * `reg_bu=reg_bi=0.02`), factors initialised by
 * `rng.uniform(0, 1, (n_users, f))` then the same for items from one
 * `RandomState(seed)`.
 *
 * Each epoch walks the ratings in `all_ratings()` order (by inner user)
 * accumulating, per factor, numerators Σ q_if·r / Σ p_uf·r and denominators
 * Σ q_if·r̂ / Σ p_uf·r̂ (r̂ with the epoch's current factors); then each user
 * factor becomes p_uf · num / (denom + |I_u|·reg_pu·p_uf) (left alone when it
 * is 0), then each item factor likewise with |U_i| and reg_qi. Unbiased, an
 * unknown user or item makes the estimate impossible (→ the training mean).
 *
 * @module
 */

import { RandomState } from "../../rng.ts";
import type { SurpriseFactorModel, SurpriseTrainset } from "./trainset.ts";

/** NMF settings (Surprise names in comments). */
export interface NmfOptions {
  /** n_factors */
  readonly nFactors?: number;
  /** n_epochs */
  readonly nEpochs?: number;
  /** biased */
  readonly biased?: boolean;
  /** reg_pu, reg_qi */
  readonly regPu?: number;
  readonly regQi?: number;
  /** reg_bu, reg_bi, lr_bu, lr_bi (biased only) */
  readonly regBu?: number;
  readonly regBi?: number;
  readonly lrBu?: number;
  readonly lrBi?: number;
  /** init_low, init_high */
  readonly initLow?: number;
  readonly initHigh?: number;
  /** random_state (an int seed) */
  readonly seed?: number;
}

/** Surprise 1.1.x's NMF defaults (seed 0 as in its benchmark script). */
export const NMF_DEFAULTS: Required<NmfOptions> = {
  nFactors: 15,
  nEpochs: 50,
  biased: false,
  regPu: 0.06,
  regQi: 0.06,
  regBu: 0.02,
  regBi: 0.02,
  lrBu: 0.005,
  lrBi: 0.005,
  initLow: 0,
  initHigh: 1,
  seed: 0,
};

/** A fitted NMF: biases and row-major factors (nUsers × f, nItems × f). */
export type NmfModel = SurpriseFactorModel;

/** Fits NMF on `t` by Surprise's multiplicative updates, step for step. */
export function fitNmf(t: SurpriseTrainset, opts: NmfOptions = {}): NmfModel {
  const o = { ...NMF_DEFAULTS, ...opts };
  if (o.initLow < 0) throw new RangeError("NMF: initLow must be >= 0");
  const f = o.nFactors;
  const rs = new RandomState(o.seed);
  const pu = new Float64Array(t.nUsers * f);
  for (let k = 0; k < pu.length; k++) pu[k] = rs.uniform(o.initLow, o.initHigh);
  const qi = new Float64Array(t.nItems * f);
  for (let k = 0; k < qi.length; k++) qi[k] = rs.uniform(o.initLow, o.initHigh);
  const bu = new Float64Array(t.nUsers), bi = new Float64Array(t.nItems);
  const mu = o.biased ? t.globalMean : 0;
  const userNum = new Float64Array(pu.length),
    userDen = new Float64Array(pu.length);
  const itemNum = new Float64Array(qi.length),
    itemDen = new Float64Array(qi.length);
  for (let e = 0; e < o.nEpochs; e++) {
    userNum.fill(0);
    userDen.fill(0);
    itemNum.fill(0);
    itemDen.fill(0);
    for (let u = 0; u < t.nUsers; u++) {
      const pb = u * f;
      for (let p = t.urStart[u]; p < t.urStart[u + 1]; p++) {
        const i = t.urItem[p], qb = i * f, r = t.urRating[p];
        let dot = 0;
        for (let k = 0; k < f; k++) dot += qi[qb + k] * pu[pb + k];
        const est = mu + bu[u] + bi[i] + dot;
        const err = r - est;
        if (o.biased) {
          bu[u] += o.lrBu * (err - o.regBu * bu[u]);
          bi[i] += o.lrBi * (err - o.regBi * bi[i]);
        }
        for (let k = 0; k < f; k++) {
          userNum[pb + k] += qi[qb + k] * r;
          userDen[pb + k] += qi[qb + k] * est;
          itemNum[qb + k] += pu[pb + k] * r;
          itemDen[qb + k] += pu[pb + k] * est;
        }
      }
    }
    multiplicativeStep(pu, userNum, userDen, t.urStart, f, o.regPu);
    multiplicativeStep(qi, itemNum, itemDen, t.irStart, f, o.regQi);
  }
  const biased = o.biased, gm = t.globalMean;
  return {
    trainset: t,
    bu,
    bi,
    pu,
    qi,
    nFactors: f,
    estimate(u, i) {
      const known = u >= 0 && i >= 0;
      if (!biased && !known) return null;
      let est = biased ? gm : 0;
      if (biased && u >= 0) est += bu[u];
      if (biased && i >= 0) est += bi[i];
      if (known) {
        let dot = 0;
        for (let k = 0; k < f; k++) dot += qi[i * f + k] * pu[u * f + k];
        est += dot;
      }
      return est;
    },
  };
}

/**
 * One side's update: x_f ← x_f · num_f / (den_f + n·reg·x_f) for every
 * non-zero x_f, n the row's rating count (`start[r+1] − start[r]`).
 */
function multiplicativeStep(
  x: Float64Array,
  num: Float64Array,
  den: Float64Array,
  start: Int32Array,
  f: number,
  reg: number,
): void {
  const rows = start.length - 1;
  for (let r = 0; r < rows; r++) {
    const nReg = (start[r + 1] - start[r]) * reg;
    for (let k = r * f; k < (r + 1) * f; k++) {
      if (x[k] !== 0) {
        den[k] += nReg * x[k];
        x[k] *= num[k] / den[k];
      }
    }
  }
}
