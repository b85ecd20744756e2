import assert from "node:assert/strict";
import { cooRows, csrFromCoo } from "../../sparse.ts";
import { RandomState } from "../../rng.ts";
import {
  fitSparseMf,
  initFactors,
  type SparseMfConfig,
  sparseMse,
} from "./sparse_mf.ts";

/** A 6 × 5 matrix with 14 observed ratings. */
const ROWS = Int32Array.of(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 0, 3);
const COLS = Int32Array.of(0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0, 2, 4, 1);
const VALS = Float32Array.of(5, 3, 4, 1, 2, 5, 3, 4, 1, 2, 5, 4, 3, 2);
const A = csrFromCoo(ROWS, COLS, VALS, 6, 5);

/** The objective of sparse_mf.ts in float64, for finite differences. */
function objective(
  U: Float64Array,
  V: Float64Array,
  d: number,
  lambda: number,
  gamma: number,
): number {
  const n = 6, m = 5;
  let sq = 0;
  for (let e = 0; e < ROWS.length; e++) {
    let p = 0;
    for (let k = 0; k < d; k++) p += U[ROWS[e] * d + k] * V[COLS[e] * d + k];
    sq += (p - VALS[e]) ** 2;
  }
  let uu = 0, vv = 0;
  for (const x of U) uu += x * x;
  for (const x of V) vv += x * x;
  let grav = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let p = 0;
      for (let k = 0; k < d; k++) p += U[i * d + k] * V[j * d + k];
      grav += p * p; // Σ(UᵀU ∘ VᵀV) = Σ_ij ⟨U_i, V_j⟩²
    }
  }
  return sq / ROWS.length + lambda * (uu / n + vv / m) +
    gamma * grav / (n * m);
}

for (const simd of [true, false]) {
  Deno.test(`fitSparseMf gradient-descent step equals finite differences of MSE + L2 + gravity (simd ${simd})`, () => {
    const d = 3, lambda = 0.3, gamma = 2, lr = 0.5;
    const cfg: SparseMfConfig = {
      dim: d,
      epochs: 1,
      initStd: 0.7,
      optimizer: "gd",
      learningRate: lr,
      regularization: lambda,
      gravity: gamma,
      seed: 3,
      simd,
    };
    const fit = fitSparseMf(A, null, cfg);
    const rs = new RandomState(3);
    const U0 = Float64Array.from(initFactors(6, d, d, 0.7, rs));
    const V0 = Float64Array.from(initFactors(5, d, d, 0.7, rs));
    const h = 1e-6;
    for (
      const [P, after] of [[U0, fit.model.userFactors], [
        V0,
        fit.model.itemFactors,
      ]] as const
    ) {
      for (let k = 0; k < P.length; k++) {
        const keep = P[k];
        P[k] = keep + h;
        const up = objective(U0, V0, d, lambda, gamma);
        P[k] = keep - h;
        const down = objective(U0, V0, d, lambda, gamma);
        P[k] = keep;
        const grad = (up - down) / (2 * h);
        const step = (keep - after[k]) / lr;
        assert.ok(
          Math.abs(step - grad) <= 2e-5 * (1 + Math.abs(grad)) / lr + 1e-5,
          `entry ${k}: step gives ${step}, finite differences ${grad}`,
        );
      }
    }
    assert.ok(
      Math.abs(fit.curves.objective[0] - objective(U0, V0, d, lambda, gamma)) <
        1e-5,
    );
  });
}

Deno.test("fitSparseMf's first Adam step moves every observed row's entries by lr against the gradient sign", () => {
  const cfg: SparseMfConfig = {
    dim: 4,
    epochs: 1,
    initStd: 1,
    optimizer: "adam",
    learningRate: 0.01,
    seed: 1,
  };
  const fit = fitSparseMf(A, null, cfg);
  const rs = new RandomState(1);
  const U0 = initFactors(6, 4, 4, 1, rs);
  for (let k = 0; k < U0.length; k++) {
    const moved = Math.abs(U0[k] - fit.model.userFactors[k]);
    assert.ok(Math.abs(moved - 0.01) < 1e-6, `entry ${k} moved ${moved}`);
  }
});

Deno.test("fitSparseMf lowers the training MSE on low-rank data, records validation, and is deterministic", () => {
  const rs = new RandomState(5);
  const n = 40, m = 30, d = 2;
  const u = Float64Array.from({ length: n * d }, () => rs.standardNormal());
  const v = Float64Array.from({ length: m * d }, () => rs.standardNormal());
  const rows: number[] = [], cols: number[] = [], vals: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (rs.randomSample() < 0.8) {
        rows.push(i);
        cols.push(j);
        vals.push(u[i * d] * v[j * d] + u[i * d + 1] * v[j * d + 1]);
      }
    }
  }
  // Every 5th observed entry validates.
  const pick = (keep: (e: number) => boolean) => {
    const idx = rows.flatMap((_, e) => keep(e) ? [e] : []);
    return csrFromCoo(
      Int32Array.from(idx, (e) => rows[e]),
      Int32Array.from(idx, (e) => cols[e]),
      Float32Array.from(idx, (e) => vals[e]),
      n,
      m,
    );
  };
  const train = pick((e) => e % 5 !== 0), val = pick((e) => e % 5 === 0);
  const cfg: SparseMfConfig = {
    dim: 2,
    epochs: 300,
    initStd: 0.3,
    optimizer: "adam",
    learningRate: 0.03,
    seed: 0,
  };
  const a = fitSparseMf(train, val, cfg);
  const b = fitSparseMf(train, val, cfg);
  const c = fitSparseMf(train, val, { ...cfg, simd: false });
  assert.ok(a.curves.trainMse[299] < 0.05 * a.curves.trainMse[0]);
  assert.ok(a.curves.valMse[299] < a.curves.valMse[0]);
  assert.deepEqual(a.model.userFactors, b.model.userFactors);
  assert.ok(Math.abs(a.curves.valMse[299] - c.curves.valMse[299]) < 1e-4);
  // valMse after the last step equals sparseMse of the returned model.
  assert.ok(Math.abs(a.curves.valMse[299] - sparseMse(val, a.model)) < 1e-5);
});

Deno.test("fitSparseMf rejects bad settings with the setting named", () => {
  const base: SparseMfConfig = {
    dim: 2,
    epochs: 1,
    initStd: 1,
    optimizer: "gd",
    learningRate: 1,
    seed: 0,
  };
  assert.throws(() => fitSparseMf(A, null, { ...base, dim: 0 }), /dim 0/);
  assert.throws(
    () => fitSparseMf(A, null, { ...base, learningRate: -1 }),
    /learningRate -1/,
  );
  assert.throws(
    () => fitSparseMf(A, null, { ...base, gravity: NaN }),
    /gravity/,
  );
  const other = csrFromCoo(
    Int32Array.of(0),
    Int32Array.of(0),
    Float32Array.of(1),
    2,
    2,
  );
  assert.throws(() => fitSparseMf(A, other, base), /val is 2 × 2/);
});

Deno.test("cooRows expands CSR row pointers to one row index per stored entry", () => {
  assert.deepEqual([...cooRows(A)], [0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5]);
});
