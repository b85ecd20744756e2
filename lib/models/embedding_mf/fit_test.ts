import assert from "node:assert/strict";
import { rmse } from "../../metrics.ts";
import { predictPairs } from "../factor_model.ts";
import {
  type EmbeddingMfConfig,
  fitEmbeddingMf,
  piecewiseSchedule,
} from "./fit.ts";
import { syntheticRatings } from "../_synthetic_ratings.ts";

const { train, test } = syntheticRatings(11, {
  user: 0.3,
  item: 0.2,
  interaction: 0.6,
});
const BASE: EmbeddingMfConfig = {
  dim: 8,
  epochs: 60,
  batchSize: 32,
  learningRate: 0.03,
  seed: 1,
  weightDecay: 1e-6,
};

Deno.test("fitEmbeddingMf is deterministic for a seed and differs across seeds", () => {
  const a = fitEmbeddingMf(train, 40, 30, { ...BASE, epochs: 3 });
  const b = fitEmbeddingMf(train, 40, 30, { ...BASE, epochs: 3 });
  const c = fitEmbeddingMf(train, 40, 30, { ...BASE, epochs: 3, seed: 2 });
  assert.deepEqual(a.model.userFactors, b.model.userFactors);
  assert.deepEqual(a.epochs, b.epochs);
  assert.notDeepEqual(a.model.userFactors, c.model.userFactors);
});

Deno.test("fitEmbeddingMf lowers the loss and beats the global mean on held-out synthetic ratings", () => {
  const fit = fitEmbeddingMf(train, 40, 30, BASE);
  const losses = fit.epochs.map((e) => e.meanLoss);
  assert.ok(
    losses.at(-1)! < 0.2 * losses[0],
    `loss ${losses[0]} → ${losses.at(-1)}`,
  );
  assert.equal(fit.steps, 60 * Math.ceil(train.users.length / 32));
  assert.equal(fit.epochs[0].batches, Math.ceil(train.users.length / 32));
  assert.ok(
    Math.abs(
      fit.epochs[0].sumLoss - fit.epochs[0].meanLoss * fit.epochs[0].batches,
    ) < 1e-9,
  );
  let mean = 0;
  for (const r of train.ratings) mean += r / train.ratings.length;
  const baseline = rmse(
    new Float32Array(test.ratings.length).fill(mean),
    test.ratings,
  );
  const model = rmse(
    predictPairs(fit.model, test.users, test.items),
    test.ratings,
  );
  assert.ok(
    model < 0.8 * baseline,
    `model ${model} vs global mean ${baseline}`,
  );
});

Deno.test("fitEmbeddingMf with a sigmoid range, table L2, lazy Adam and a schedule still learns and stays in range", () => {
  const lrs: number[] = [];
  const fit = fitEmbeddingMf(train, 40, 30, {
    ...BASE,
    outputRange: [0.5, 5.5],
    l2: { coef: 1e-4, scope: "table" },
    adamMode: "lazy",
    schedule: (step, total) => {
      lrs.push(step);
      return { lr: 0.03 * (1 - 0.9 * step / total), beta1: 0.9 };
    },
  });
  assert.deepEqual(lrs.slice(0, 3), [0, 1, 2]);
  assert.ok(fit.epochs.at(-1)!.penalty > 0);
  const pred = predictPairs(fit.model, test.users, test.items);
  assert.ok(pred.every((p) => p > 0.5 && p < 5.5));
  let mean = 0;
  for (const r of train.ratings) mean += r / train.ratings.length;
  const baseline = rmse(
    new Float32Array(test.ratings.length).fill(mean),
    test.ratings,
  );
  assert.ok(rmse(pred, test.ratings) < 0.8 * baseline);
});

Deno.test("fitEmbeddingMf Keras options: uniform init, L2 on biases, in-place reshuffles, Keras Adam, epoch snapshots", () => {
  const keras: EmbeddingMfConfig = {
    ...BASE,
    epochs: 4,
    weightDecay: 0,
    init: "uniform",
    l2: { coef: 1e-3, scope: "table", biases: true },
    epochOrder: "reshuffle",
    adamArithmetic: "keras",
    outputRange: [1, 5],
  };
  const snaps: number[] = [];
  const fit = fitEmbeddingMf(train, 40, 30, keras, (_e, loss, snapshot) => {
    const m = snapshot();
    let sq = 0;
    for (
      const w of [m.userFactors, m.itemFactors, m.userBias!, m.itemBias!]
    ) for (const x of w) sq += x * x;
    // the reported penalty covers factors and biases
    assert.ok(Math.abs(loss.penalty - 1e-3 * sq) < 1e-9 * Math.max(1, sq));
    snaps.push(m.userBias![0]);
  });
  assert.equal(
    snaps.at(-1),
    fit.model.userBias![0],
    "last snapshot = final model",
  );
  const again = fitEmbeddingMf(train, 40, 30, keras);
  assert.deepEqual(again.model, fit.model, "deterministic for a seed");
  // each option changes the run
  for (
    const other of [
      { ...keras, epochOrder: "permutation" as const },
      { ...keras, adamArithmetic: "torch" as const },
      { ...keras, l2: { coef: 1e-3, scope: "table" as const } },
      { ...keras, init: "normal" as const },
    ]
  ) {
    const o = fitEmbeddingMf(train, 40, 30, other);
    assert.notDeepEqual(o.model.userBias, fit.model.userBias);
  }
  const pred = predictPairs(fit.model, test.users, test.items);
  assert.ok(pred.every((p) => p > 1 && p < 5));
  assert.ok(fit.epochs.at(-1)!.meanLoss < fit.epochs[0].meanLoss);
  assert.throws(
    () =>
      fitEmbeddingMf(train, 40, 30, {
        ...BASE,
        l2: { coef: 1, scope: "batch", biases: true },
      }),
    /l2.biases needs l2.scope "table"/,
  );
  assert.throws(
    () =>
      fitEmbeddingMf(train, 40, 30, {
        ...BASE,
        epochOrder: "sorted" as "reshuffle",
      }),
    /epochOrder "sorted"/,
  );
});

Deno.test("fitEmbeddingMf rejects bad settings and out-of-range rows, naming them", () => {
  assert.throws(
    () => fitEmbeddingMf(train, 40, 30, { ...BASE, dim: 0 }),
    /dim 0 must be a positive integer/,
  );
  assert.throws(
    () => fitEmbeddingMf(train, 40, 30, { ...BASE, learningRate: -1 }),
    /learningRate -1/,
  );
  assert.throws(
    () => fitEmbeddingMf(train, 40, 30, { ...BASE, outputRange: [5, 1] }),
    /outputRange \[5,1\] must have lo < hi/,
  );
  assert.throws(
    () => fitEmbeddingMf(train, 10, 30, BASE),
    /row \d+ \(user \d+, item \d+, rating [\d.]+\) lies outside 10 × 30/,
  );
});

Deno.test("piecewiseSchedule gives each piece's rate below its end, the last one past it", () => {
  const s = piecewiseSchedule([{ until: 3, lr: 0.1 }, { until: 5, lr: 0.01 }]);
  assert.deepEqual(
    [0, 2, 3, 4, 5, 99].map((step) => s(step, 5).lr),
    [0.1, 0.1, 0.01, 0.01, 0.01, 0.01],
  );
  assert.throws(() => piecewiseSchedule([]), /no pieces/);
  assert.throws(
    () => piecewiseSchedule([{ until: 3, lr: 0.1 }, { until: 3, lr: 0.2 }]),
    /piece 1 \(until 3, lr 0.2\)/,
  );
  assert.throws(() => piecewiseSchedule([{ until: 3, lr: 0 }]), /piece 0/);
});
