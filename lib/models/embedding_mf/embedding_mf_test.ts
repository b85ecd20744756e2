import assert from "node:assert/strict";
import {
  createParamTables,
  type ParamTable,
  paramTable,
} from "../../optim/adam.ts";
import { RandomState } from "../../rng.ts";
import {
  batchGradient,
  type BatchSpec,
  biasSquaredNorm,
  type EmbeddingMfTables,
  factorSquaredNorm,
  initNormal,
  initUniform,
  SCRATCH_BYTES_PER_ROW,
  SQUARED_ERROR,
} from "./embedding_mf.ts";

const DATA = {
  users: Int32Array.of(0, 1, 2, 0, 1, 2, 0),
  items: Int32Array.of(0, 1, 2, 3, 3, 0, 0),
  ratings: Float32Array.of(4, 2, 5, 1, 3, 4, 5),
};
const ORDER = Int32Array.of(6, 0, 1, 2, 3, 4, 5);
const noTouch = { touch() {} };

function plainTables(dim: number, seed: number): EmbeddingMfTables {
  const t = {
    userFactors: paramTable("u", 3, dim),
    itemFactors: paramTable("i", 4, dim),
    userBias: paramTable("ub", 3, 1),
    itemBias: paramTable("ib", 4, 1),
  };
  const rs = new RandomState(seed);
  initNormal(t, 0.5, rs);
  for (const b of [t.userBias, t.itemBias]) {
    for (let j = 0; j < b.values.length; j++) {
      b.values[j] = 0.3 * rs.standardNormal();
    }
  }
  return t;
}

/** Loss of the whole ORDER batch as a function of the tables' values (float64 via a copy). */
function lossAt(t: EmbeddingMfTables, spec: BatchSpec): number {
  const r = batchGradient(t, DATA, ORDER, 0, ORDER.length, spec, noTouch);
  for (const x of all(t)) x.grad.fill(0);
  return r.loss + r.penalty;
}

function all(t: EmbeddingMfTables): ParamTable[] {
  return [t.userFactors, t.itemFactors, t.userBias!, t.itemBias!];
}

const SPECS: [string, BatchSpec][] = [
  ["squared error", { dim: 3, loss: SQUARED_ERROR }],
  ["sigmoid range [0.5, 5.5]", {
    dim: 3,
    loss: SQUARED_ERROR,
    outputRange: [0.5, 5.5],
  }],
  ["per-row L2 0.05", {
    dim: 3,
    loss: SQUARED_ERROR,
    l2: { coef: 0.05, scope: "batch" },
  }],
];

for (const [name, spec] of SPECS) {
  Deno.test(`batchGradient (${name}) matches central finite differences of the batch loss`, () => {
    const t = plainTables(3, 5);
    batchGradient(t, DATA, ORDER, 0, ORDER.length, spec, noTouch);
    const grads = all(t).map((x) => x.grad.slice());
    for (const x of all(t)) x.grad.fill(0);
    const h = 1e-2; // float32 parameters: a large step keeps rounding (≈1e-7/h) small; the loss is smooth
    for (const [k, table] of all(t).entries()) {
      for (let j = 0; j < table.values.length; j++) {
        const w = table.values[j];
        table.values[j] = w + h;
        const up = lossAt(t, spec);
        table.values[j] = w - h;
        const down = lossAt(t, spec);
        table.values[j] = w;
        const numeric = (up - down) / (2 * h);
        const tol = 2e-3 * Math.max(1, Math.abs(numeric));
        assert.ok(
          Math.abs(grads[k][j] - numeric) <= tol,
          `${table.name}[${j}]: analytic ${grads[k][j]} vs numeric ${numeric}`,
        );
      }
    }
  });
}

Deno.test("batchGradient SIMD path agrees with the JavaScript path to float32 rounding", () => {
  const dim = 8;
  const ref = plainTables(dim, 9);
  const simdList = createParamTables(
    all(ref).map((x) => ({
      name: x.name,
      rows: x.rows,
      cols: x.cols,
      values: x.values,
    })),
    { scratchBytes: SCRATCH_BYTES_PER_ROW * 16 },
  );
  const simd: EmbeddingMfTables = {
    userFactors: simdList[0],
    itemFactors: simdList[1],
    userBias: simdList[2],
    itemBias: simdList[3],
  };
  const spec: BatchSpec = { dim, loss: SQUARED_ERROR, outputRange: [1, 5] };
  const touched: string[][] = [[], []];
  const a = batchGradient(ref, DATA, ORDER, 1, 6, spec, {
    touch: (t, r) => touched[0].push(`${t}:${r}`),
  });
  const b = batchGradient(simd, DATA, ORDER, 1, 6, spec, {
    touch: (t, r) => touched[1].push(`${t}:${r}`),
  });
  assert.ok(
    Math.abs(a.loss - b.loss) < 1e-5 * a.loss,
    `${a.loss} vs ${b.loss}`,
  );
  assert.deepEqual(touched[0], touched[1]);
  for (const [k, x] of all(ref).entries()) {
    const y = all(simd)[k];
    let nonzero = 0;
    for (let j = 0; j < x.grad.length; j++) {
      if (x.grad[j] !== 0) nonzero++;
      assert.ok(
        Math.abs(x.grad[j] - y.grad[j]) <=
          1e-5 * Math.max(1e-3, Math.abs(x.grad[j])),
        `${x.name}[${j}]`,
      );
    }
    assert.ok(nonzero > 0, `${x.name} got a gradient`);
  }
});

Deno.test("initNormal draws std-scaled standard normals for users then items and leaves biases at zero", () => {
  const t = {
    userFactors: paramTable("u", 2, 2),
    itemFactors: paramTable("i", 1, 2),
    userBias: paramTable("ub", 2, 1),
    itemBias: paramTable("ib", 1, 1),
  };
  initNormal(t, 0.1, new RandomState(3));
  const rs = new RandomState(3);
  const expected = Array.from(
    { length: 6 },
    () => Math.fround(0.1 * rs.standardNormal()),
  );
  assert.deepEqual(
    [...t.userFactors.values, ...t.itemFactors.values],
    expected,
  );
  assert.deepEqual([...t.userBias.values, ...t.itemBias.values], [0, 0, 0]);
});

Deno.test("initUniform fills users, items, then biases with U(-limit, limit) draws in that order", () => {
  const t = {
    userFactors: paramTable("u", 2, 2),
    itemFactors: paramTable("i", 1, 2),
    userBias: paramTable("ub", 2, 1),
    itemBias: paramTable("ib", 1, 1),
  };
  initUniform(t, 0.05, new RandomState(4));
  const rs = new RandomState(4);
  const expected = Array.from(
    { length: 9 },
    () => Math.fround(rs.uniform(-0.05, 0.05)),
  );
  assert.deepEqual([
    ...t.userFactors.values,
    ...t.itemFactors.values,
    ...t.userBias.values,
    ...t.itemBias.values,
  ], expected);
  assert.ok(expected.every((w) => Math.abs(w) <= 0.05));
  assert.equal(
    factorSquaredNorm(t) + biasSquaredNorm(t),
    expected.reduce((a, w) => a + w * w, 0),
  );
  assert.throws(() => initUniform(t, -1, rs), /limit -1/);
});
