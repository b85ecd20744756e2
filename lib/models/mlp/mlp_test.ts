import assert from "node:assert/strict";
import { createParamTables, type ParamTable } from "../../optim/adam.ts";
import { RandomState } from "../../rng.ts";
import { SQUARED_ERROR } from "../embedding_mf/embedding_mf.ts";
import {
  initMlp,
  type MlpArchitecture,
  mlpBatchGradient,
  type MlpModel,
  mlpParamCount,
  MlpScratch,
  mlpSummary,
  type MlpTables,
  predictMlp,
  validateMlpArchitecture,
} from "./mlp.ts";

const ARCH: MlpArchitecture = {
  nUsers: 3,
  nItems: 4,
  dim: 2,
  hidden: [5, 3],
  dropout: [0.25, 0.5, 0.5],
  outputRange: [1, 5],
};
const DATA = {
  users: Int32Array.of(0, 1, 2, 0, 1, 2, 0),
  items: Int32Array.of(0, 1, 2, 3, 3, 0, 0),
  ratings: Float32Array.of(4, 2, 5, 1, 3, 3.5, 4),
};
const ORDER = Int32Array.of(6, 0, 3, 1, 5, 2, 4);
const NO_TOUCH = { touch() {} };

function tablesOf(model: MlpModel): MlpTables {
  const list = createParamTables([
    { name: "u", rows: 3, cols: 2, values: model.userEmbedding },
    { name: "i", rows: 4, cols: 2, values: model.itemEmbedding },
    ...model.layers.flatMap((l, j) => [
      { name: `w${j}`, rows: l.inputs, cols: l.outputs, values: l.weight },
      { name: `b${j}`, rows: 1, cols: l.outputs, values: l.bias },
    ]),
  ]);
  return {
    userEmbedding: list[0],
    itemEmbedding: list[1],
    layers: model.layers.map((_, l) => [list[2 + 2 * l], list[3 + 2 * l]]),
  };
}

function allTables(t: MlpTables): ParamTable[] {
  return [t.userEmbedding, t.itemEmbedding, ...t.layers.flat()];
}

Deno.test("mlpBatchGradient matches central finite differences of the batch loss (dropout off)", () => {
  const model = initMlp(ARCH, new RandomState(5), 0.8);
  // non-zero biases so every ReLU path is exercised away from its kink
  model.layers.forEach((l, j) => l.bias.fill(0.1 * (j + 1)));
  const t = tablesOf(model);
  const spec = { arch: ARCH, loss: SQUARED_ERROR, training: false };
  const scratch = new MlpScratch(ARCH, 8);
  const rs = new RandomState(0);
  const loss = () =>
    mlpBatchGradient(t, DATA, ORDER, 1, 6, spec, scratch, rs, NO_TOUCH);
  loss();
  const analytics = allTables(t).map((x) => x.grad.slice());
  for (const x of allTables(t)) x.grad.fill(0);
  for (const [ti, table] of allTables(t).entries()) {
    const analytic = analytics[ti];
    for (let j = 0; j < table.values.length; j++) {
      const w = table.values[j];
      const h = 1e-3;
      table.values[j] = w + h;
      const up = loss();
      table.values[j] = w - h;
      const down = loss();
      table.values[j] = w;
      for (const x of allTables(t)) x.grad.fill(0);
      const numeric = (up - down) / (2 * h);
      assert.ok(
        Math.abs(numeric - analytic[j]) <=
          2e-3 * Math.max(1, Math.abs(numeric)),
        `${table.name}[${j}]: analytic ${analytic[j]} vs numeric ${numeric}`,
      );
    }
  }
});

Deno.test("mlpBatchGradient without dropout has predictMlp's loss; with dropout it drops about p of the units and rescales the rest", () => {
  const model = initMlp(ARCH, new RandomState(6), 0.5);
  const t = tablesOf(model);
  const scratch = new MlpScratch(ARCH, 8);
  const inference = mlpBatchGradient(
    t,
    DATA,
    ORDER,
    0,
    7,
    { arch: ARCH, loss: SQUARED_ERROR, training: false },
    scratch,
    new RandomState(0),
    NO_TOUCH,
  );
  const pred = predictMlp(model, DATA.users, DATA.items);
  let mse = 0;
  for (let j = 0; j < 7; j++) mse += (pred[j] - DATA.ratings[j]) ** 2 / 7;
  assert.ok(Math.abs(inference - mse) < 1e-6, `${inference} vs ${mse}`);
  // Dropout statistics over many batches of the first layer's mask.
  const big = { ...ARCH, dropout: [0.25, 0.75, 0] };
  const s2 = new MlpScratch(big, 7);
  const rs = new RandomState(1);
  let kept = 0, total = 0;
  for (let rep = 0; rep < 400; rep++) {
    mlpBatchGradient(
      t,
      DATA,
      ORDER,
      0,
      7,
      { arch: big, loss: SQUARED_ERROR, training: true },
      s2,
      rs,
      NO_TOUCH,
    );
    for (const m of s2.masks[0].subarray(0, 7 * 4)) {
      assert.ok(m === 0 || m === 1 / 0.75, `mask value ${m}`);
      kept += m > 0 ? 1 : 0;
      total++;
    }
  }
  assert.ok(Math.abs(kept / total - 0.75) < 0.02, `kept ${kept / total}`);
});

Deno.test("mlpBatchGradient touches the batch's embedding rows and every dense row", () => {
  const model = initMlp(ARCH, new RandomState(7));
  const t = tablesOf(model);
  const touched = new Set<string>();
  mlpBatchGradient(
    t,
    DATA,
    ORDER,
    0,
    2,
    { arch: ARCH, loss: SQUARED_ERROR, training: true },
    new MlpScratch(ARCH, 2),
    new RandomState(0),
    { touch: (table, row) => touched.add(`${table}:${row}`) },
  );
  // rows 6 and 0: (user 0, item 0) twice
  assert.ok(touched.has("0:0") && touched.has("1:0"));
  assert.ok(!touched.has("0:1") && !touched.has("1:3"));
  for (let r = 0; r < 4; r++) assert.ok(touched.has(`2:${r}`));
  assert.ok(touched.has("3:0") && touched.has("7:0"));
});

Deno.test("mlpParamCount and mlpSummary: Keras' count for dim 40, Dense(64), Dense(1) on 943 × 1682", () => {
  const keras = {
    nUsers: 943,
    nItems: 1682,
    dim: 40,
    hidden: [64],
    dropout: [0.25, 0.75],
  };
  // 105,000 embedding weights + 80·64 + 64 + 64·1 + 1
  assert.equal(mlpParamCount(keras), 110_249);
  const rows = mlpSummary(keras);
  assert.equal(rows.reduce((a, r) => a + r.params, 0), 110_249);
  assert.deepEqual(rows.find((r) => r.layer.startsWith("Dense1"))!.shape, [
    null,
    64,
  ]);
});

Deno.test("initMlp draws embeddings within ±limit and Glorot-uniform kernels with zero biases", () => {
  const m = initMlp(
    { ...ARCH, nUsers: 50, nItems: 60, dim: 8, hidden: [32], dropout: [0, 0] },
    new RandomState(2),
  );
  assert.ok(m.userEmbedding.every((w) => Math.abs(w) <= 0.05));
  assert.ok(m.itemEmbedding.every((w) => Math.abs(w) <= 0.05));
  const a = Math.sqrt(6 / (16 + 32));
  assert.ok(m.layers[0].weight.every((w) => Math.abs(w) <= a));
  assert.ok(m.layers[0].weight.some((w) => Math.abs(w) > 0.8 * a));
  assert.ok(m.layers.every((l) => l.bias.every((b) => b === 0)));
});

Deno.test("validateMlpArchitecture and predictMlp reject bad shapes and pairs, naming them", () => {
  assert.throws(
    () => validateMlpArchitecture({ ...ARCH, dropout: [0.1] }),
    /dropout has 1 rates; 3 needed/,
  );
  assert.throws(
    () => validateMlpArchitecture({ ...ARCH, dropout: [0, 1, 0] }),
    /dropout\[1\] 1 must lie in \[0, 1\)/,
  );
  assert.throws(
    () => validateMlpArchitecture({ ...ARCH, hidden: [5, 0] }),
    /hidden\[1\] 0/,
  );
  const m = initMlp(ARCH, new RandomState(1));
  assert.throws(
    () => predictMlp(m, Int32Array.of(3), Int32Array.of(0)),
    /pair 0 \(user 3, item 0\) lies outside 3 × 4/,
  );
});
