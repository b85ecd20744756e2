/**
 * Test fixtures for lib/onnx: seeded random factor models and seen matrices,
 * and float64 TypeScript references for score, recommend and similar that the
 * ONNX outputs are compared against.
 *
 * @module
 */

import { RandomState } from "../rng.ts";
import { type Csr, csrFromCoo } from "../sparse.ts";
import type { FactorModel } from "../models/factor_model.ts";

/** Options for `randomFactorModel`. */
export interface RandomModelOptions {
  readonly nUsers: number;
  readonly nItems: number;
  readonly factors: number;
  readonly biases?: boolean;
  readonly outputRange?: readonly [number, number];
  /** Standard deviation of the factors (default 1). */
  readonly scale?: number;
}

/** A factor model with N(0, scale²) factors (and N(0, 0.25) biases) from `seed`. */
export function randomFactorModel(
  seed: number,
  o: RandomModelOptions,
): FactorModel {
  const rs = new RandomState(seed);
  const fill = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => rs.normal(0, scale));
  const userFactors = fill(o.nUsers * o.factors, o.scale ?? 1);
  const itemFactors = fill(o.nItems * o.factors, o.scale ?? 1);
  return {
    nUsers: o.nUsers,
    nItems: o.nItems,
    factors: o.factors,
    userFactors,
    itemFactors,
    ...(o.biases
      ? {
        userBias: fill(o.nUsers, 0.5),
        itemBias: fill(o.nItems, 0.5),
        globalBias: 0.75,
      }
      : {}),
    ...(o.outputRange ? { outputRange: o.outputRange } : {}),
  };
}

/**
 * Checks a top-k list from ONNX against a reference, allowing only swaps
 * between near-tied ranks: every rank's value must be within `tol` (relative
 * to max(1, |value|)) of the reference value at that rank, and the item must
 * be the reference item wherever that rank's value is separated by more than
 * 10·tol from its neighbours. Returns the number of ranks exempted as
 * near-ties, or a message describing the first mismatch.
 */
export function compareTopK(
  gotItems: ArrayLike<number>,
  gotValues: ArrayLike<number>,
  want: Ranked,
  valueOf: (item: number) => number,
  tol: number,
): { exempt: number } | { error: string } {
  const k = want.items.length;
  const scale = (v: number) => Math.max(1, Math.abs(v));
  const all = [...want.values, want.nextValue];
  let exempt = 0;
  const seen = new Set<number>();
  for (let r = 0; r < k; r++) {
    const g = gotItems[r], w = want.values[r];
    if (seen.has(g)) return { error: `rank ${r}: item ${g} repeated` };
    seen.add(g);
    if (Math.abs(gotValues[r] - w) > tol * scale(w)) {
      return { error: `rank ${r}: value ${gotValues[r]} vs ${w}` };
    }
    if (Math.abs(valueOf(g) - w) > tol * scale(w)) {
      return {
        error: `rank ${r}: item ${g} has value ${valueOf(g)}, rank needs ${w}`,
      };
    }
    const gapAbove = r > 0 ? all[r - 1] - w : Infinity;
    const gapBelow = w - all[r + 1];
    if (Math.min(gapAbove, gapBelow) <= 10 * tol * scale(w)) exempt++;
    else if (g !== want.items[r]) {
      return { error: `rank ${r}: item ${g}, expected ${want.items[r]}` };
    }
  }
  return { exempt };
}

/**
 * Seen matrix (nUsers × nItems) where each item is seen with probability
 * `density`, except: user 0 has seen every item but 3, user 1 and the last
 * user have seen nothing (empty rows at the start of a batch and at its end).
 */
export function randomSeen(
  seed: number,
  nUsers: number,
  nItems: number,
  density: number,
): Csr {
  const rs = new RandomState(seed);
  const rows: number[] = [], cols: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      const keep = u === 0
        ? i >= 3
        : u === 1 || u === nUsers - 1
        ? false
        : rs.randomSample() < density;
      if (keep) {
        rows.push(u);
        cols.push(i);
      }
    }
  }
  return csrFromCoo(
    Int32Array.from(rows),
    Int32Array.from(cols),
    new Float32Array(rows.length).fill(1),
    nUsers,
    nItems,
  );
}

/** Float64 score of (u, i): dot + biases, then the sigmoid range if any. */
export function refScore(m: FactorModel, u: number, i: number): number {
  let s = 0;
  for (let f = 0; f < m.factors; f++) {
    s += m.userFactors[u * m.factors + f] * m.itemFactors[i * m.factors + f];
  }
  s += (m.userBias?.[u] ?? 0) + (m.itemBias?.[i] ?? 0) + (m.globalBias ?? 0);
  if (m.outputRange) {
    const [lo, hi] = m.outputRange;
    s = lo + (hi - lo) / (1 + Math.exp(-s));
  }
  return s;
}

/** A ranked list: item indices and their reference values, best first. */
export interface Ranked {
  readonly items: number[];
  readonly values: number[];
  /** Value at rank k + 1 (−∞ when there is none), to judge near-ties at rank k. */
  readonly nextValue: number;
}

/** The k largest of `values` (index ties by lower index), skipping `exclude`. */
export function refTopK(
  values: ArrayLike<number>,
  k: number,
  exclude: ReadonlySet<number> = new Set(),
): Ranked {
  const order = Array.from({ length: values.length }, (_, i) => i)
    .filter((i) => !exclude.has(i))
    .sort((a, b) => values[b] - values[a] || a - b);
  const items = order.slice(0, k);
  const nextValue = k < order.length ? values[order[k]] : -Infinity;
  return { items, values: items.map((i) => values[i]), nextValue };
}

/** Reference recommendations for user `u`: top k by `refScore`, seen items excluded. */
export function refRecommend(
  m: FactorModel,
  u: number,
  k: number,
  seen?: Csr,
): Ranked {
  const scores = Array.from({ length: m.nItems }, (_, i) => refScore(m, u, i));
  const ex = new Set<number>();
  if (seen) {
    for (let e = seen.indptr[u]; e < seen.indptr[u + 1]; e++) {
      ex.add(seen.indices[e]);
    }
  }
  return refTopK(scores, k, ex);
}

/** Reference cosine similarities of item `item` to every item, float64. */
export function refCosines(m: FactorModel, item: number): number[] {
  const F = m.factors, V = m.itemFactors;
  const norm = (i: number) => {
    let s = 0;
    for (let f = 0; f < F; f++) s += V[i * F + f] ** 2;
    return Math.max(Math.sqrt(s), 1e-12);
  };
  const nq = norm(item);
  return Array.from({ length: m.nItems }, (_, i) => {
    let d = 0;
    for (let f = 0; f < F; f++) d += V[item * F + f] * V[i * F + f];
    return d / (nq * norm(i));
  });
}
