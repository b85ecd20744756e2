import assert from "node:assert/strict";
import { Adam, arenaOf, createParamTables, paramTable } from "./adam.ts";

/** torch.optim.Adam's formula evaluated by hand in float64 (Python), lr 0.01, weight_decay 0.1. */
const HAND = [
  {
    p: [0.49000000039999997, -0.99000000025],
    m: [0.025, -0.04],
    v: [6.25e-5, 1.6e-4],
  },
  {
    p: [0.4819926864745116, -0.9817072219547431],
    m: [0.027400000004, -0.0459000000025],
    v: [6.483850000392007e-5, 1.696410000049502e-4],
  },
  {
    p: [0.47720144556930344, -0.9803147356086885],
    m: [0.019479926868345113, -0.011127072221797433],
    v: [6.745697727257509e-5, 2.605722719449469e-4],
  },
];
const GRADS = [[0.2, -0.3], [0, 0], [-0.1, 0.4]];

function close(
  actual: ArrayLike<number>,
  expected: readonly number[],
  rel: number,
  what: string,
) {
  for (let j = 0; j < expected.length; j++) {
    const tol = rel * Math.max(1e-30, Math.abs(expected[j]));
    assert.ok(
      Math.abs(actual[j] - expected[j]) <= tol,
      `${what}[${j}]: ${actual[j]} vs ${expected[j]}`,
    );
  }
}

for (const kind of ["plain", "wasm"] as const) {
  Deno.test(`Adam.step (${kind} tables) equals three hand-computed torch Adam steps within float32 rounding`, () => {
    const specs = [{
      name: "w",
      rows: 1,
      cols: 2,
      values: Float32Array.of(0.5, -1),
    }];
    const [w] = kind === "plain"
      ? [paramTable("w", 1, 2, specs[0].values)]
      : createParamTables(specs);
    assert.equal(arenaOf(w) !== undefined, kind === "wasm");
    const opt = new Adam([w], { lr: 0.01, weightDecay: 0.1 });
    for (const [t, g] of GRADS.entries()) {
      w.grad.set(g);
      opt.touch(0, 0);
      opt.step();
      // float32 storage and arithmetic: a few ulps of 6e-8 relative
      close(w.values, HAND[t].p, 1e-6, `p after step ${t + 1}`);
      close(opt.firstMoment(0), HAND[t].m, 1e-5, `m after step ${t + 1}`);
      close(opt.secondMoment(0), HAND[t].v, 1e-5, `v after step ${t + 1}`);
      assert.deepEqual([...w.grad], [0, 0], "step zeroes the touched gradient");
    }
    assert.equal(opt.steps, 3);
  });
}

Deno.test("Adam dense mode moves an untouched row by its momentum; lazy mode leaves it alone", () => {
  for (const mode of ["dense", "lazy"] as const) {
    const w = paramTable("w", 2, 1, Float32Array.of(1, 1));
    const opt = new Adam([w], { lr: 0.1, mode });
    w.grad[0] = 1;
    w.grad[1] = 1;
    opt.touch(0, 0);
    opt.touch(0, 1);
    opt.step();
    w.grad[0] = 1;
    opt.touch(0, 0);
    opt.step(); // row 1 has no gradient in this step
    const after = w.values[1];
    if (mode === "dense") {
      assert.ok(
        after < 0.9 - 0.05,
        `dense: momentum carries row 1 on (${after})`,
      );
      assert.ok(opt.firstMoment(0)[1] < 0.1, "dense: m of row 1 decayed");
    } else {
      assert.ok(
        Math.abs(after - 0.9) < 1e-6,
        `lazy: row 1 stays after its step (${after})`,
      );
      assert.ok(
        Math.abs(opt.firstMoment(0)[1] - 0.1) < 1e-7,
        "lazy: m of row 1 kept",
      );
    }
  }
});

Deno.test("Adam wasm kernel and JavaScript loop agree bit for bit over 50 dense steps", () => {
  const specs = [
    { name: "a", rows: 7, cols: 5, weightDecay: 0.01 },
    { name: "b", rows: 3, cols: 1 },
  ];
  const init = (t: { values: Float32Array }, k: number) => {
    for (let j = 0; j < t.values.length; j++) t.values[j] = Math.sin(3 * j + k);
  };
  const wasm = createParamTables(specs);
  const plain = specs.map((s) =>
    paramTable(s.name, s.rows, s.cols, undefined, s.weightDecay)
  );
  const runs = [wasm, plain].map((tables) => {
    tables.forEach(init);
    const opt = new Adam(tables, {
      lr: 0.01,
      weightDecay: 1e-3,
      decoupledWeightDecay: 0.05,
    });
    for (let s = 0; s < 50; s++) {
      const row = s % 7;
      for (let c = 0; c < 5; c++) tables[0].grad[row * 5 + c] = Math.cos(s + c);
      opt.touch(0, row);
      tables[1].grad[s % 3] = 0.3;
      opt.touch(1, s % 3);
      if (s === 25) opt.lr = 0.02;
      opt.step();
    }
    return tables.map((t) => [...t.values]);
  });
  assert.deepEqual(runs[0], runs[1]);
});

Deno.test("Adam rejects out-of-range hyper-parameters and mismatched tables, naming them", () => {
  const w = paramTable("w", 1, 1);
  assert.throws(
    () => new Adam([w], { lr: 0 }),
    /lr 0 must be a finite number > 0/,
  );
  assert.throws(
    () => new Adam([w], { lr: 1, beta1: 1 }),
    /beta1 1 must lie in \[0, 1\)/,
  );
  assert.throws(() => new Adam([w], { lr: 1, eps: 0 }), /eps 0 must be > 0/);
  assert.throws(
    () => new Adam([w], { lr: 1, weightDecay: -1 }),
    /weightDecay -1/,
  );
  assert.throws(
    () => paramTable("x", 2, 2, new Float32Array(3)),
    /paramTable x: values has length 3, expected 2 × 2 = 4/,
  );
  const opt = new Adam([w], { lr: 1 });
  opt.lr = NaN;
  assert.throws(() => opt.step(), /lr NaN/);
});

/**
 * Keras' Adam (`lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ)`, `p −= lr_t·m/(√v + 1e-7)`,
 * `1. - beta` of float32 β's) emulated in numpy float32, lr 0.01, an L2
 * gradient 0.1·p added: p, m, v after each step, printed as float64.
 */
const KERAS = [
  {
    p: [0.4900001287460327, -0.9900000691413879],
    m: [0.025000005960464478, -0.040000010281801224],
    v: [6.249919533729553e-05, 0.00015999794413801283],
  },
  {
    p: [0.4819929301738739, -0.9817073941230774],
    m: [0.027400007471442223, -0.04590001329779625],
    v: [6.483766628662124e-05, 0.00016963882080744952],
  },
  {
    p: [0.4772017300128937, -0.9803149104118347],
    m: [0.019479934126138687, -0.011127077043056488],
    v: [6.745610880898312e-05, 0.0002605689223855734],
  },
];

for (const kind of ["plain", "wasm"] as const) {
  Deno.test(`Adam.step with Keras arithmetic (${kind} tables) equals numpy-float32 Keras Adam bit for bit`, () => {
    const init = Float32Array.of(0.5, -1);
    const [w] = kind === "plain"
      ? [paramTable("w", 1, 2, init, 0.1)]
      : createParamTables([{
        name: "w",
        rows: 1,
        cols: 2,
        values: init,
        weightDecay: 0.1,
      }]);
    const opt = new Adam([w], { lr: 0.01, arithmetic: "keras" });
    assert.equal(opt.eps, 1e-7, "Keras' default epsilon is K.epsilon() = 1e-7");
    for (const [t, g] of GRADS.entries()) {
      w.grad.set(g);
      opt.touch(0, 0);
      opt.step();
      assert.deepEqual([...w.values], KERAS[t].p, `p after step ${t + 1}`);
      assert.deepEqual([...opt.firstMoment(0)], KERAS[t].m, `m, step ${t + 1}`);
      assert.deepEqual(
        [...opt.secondMoment(0)],
        KERAS[t].v,
        `v, step ${t + 1}`,
      );
    }
  });
}

Deno.test("Adam Keras and torch arithmetic differ only through where epsilon enters", () => {
  // With ε → tiny both forms are lr·m̂/√v̂; with ε = 1e-3 the Keras step is smaller early on.
  const run = (arithmetic: "torch" | "keras", eps: number) => {
    const w = paramTable("w", 1, 1, Float32Array.of(1));
    const opt = new Adam([w], { lr: 0.1, eps, arithmetic });
    w.grad[0] = 0.01;
    opt.touch(0, 0);
    opt.step();
    return w.values[0];
  };
  assert.ok(Math.abs(run("torch", 1e-12) - run("keras", 1e-12)) < 1e-6);
  const torch = 1 - run("torch", 1e-3), keras = 1 - run("keras", 1e-3);
  // torch: 0.1·0.01/(0.01 + 1e-3); Keras: 0.1·0.01/(0.01 + 1e-3/√0.001)
  assert.ok(Math.abs(torch - 0.1 * 0.01 / 0.011) < 1e-6, `torch ${torch}`);
  assert.ok(
    Math.abs(keras - 0.1 * 0.01 / (0.01 + 1e-3 / Math.sqrt(0.001))) < 1e-6,
    `keras ${keras}`,
  );
  assert.throws(
    () => new Adam([], { lr: 0.1, arithmetic: "tf" as "keras" }),
    /arithmetic "tf"/,
  );
});
