import assert from "node:assert/strict";
import { rmse } from "../../metrics.ts";
import { predictMlp } from "./mlp.ts";
import { fitMlp, type MlpConfig } from "./fit.ts";
import { syntheticRatings } from "../_synthetic_ratings.ts";

const { train, test } = syntheticRatings(12, {
  user: 0.4,
  item: 0.3,
  interaction: 0.5,
});
const BASE: MlpConfig = {
  dim: 8,
  hidden: [32],
  dropout: [0.1, 0.1],
  epochs: 100,
  batchSize: 16,
  learningRate: 0.01,
  seed: 3,
  embeddingL2: 1e-6,
};

Deno.test("fitMlp lowers the loss and beats the global mean on held-out synthetic ratings", () => {
  const fit = fitMlp(train, 40, 30, BASE);
  assert.ok(fit.epochs.at(-1)!.meanLoss < 0.3 * fit.epochs[0].meanLoss);
  assert.equal(fit.steps, 100 * Math.ceil(train.users.length / 16));
  let mean = 0;
  for (const r of train.ratings) mean += r / train.ratings.length;
  const baseline = rmse(
    new Float32Array(test.ratings.length).fill(mean),
    test.ratings,
  );
  const got = rmse(predictMlp(fit.model, test.users, test.items), test.ratings);
  assert.ok(got < 0.6 * baseline, `MLP ${got} vs mean ${baseline}`);
  assert.ok(fit.epochs.at(-1)!.penalty > 0);
});

Deno.test("fitMlp is deterministic for a seed, differs across seeds, and snapshots match the final model", () => {
  const cfg = { ...BASE, epochs: 3, outputRange: [1, 5] as const };
  let last: unknown;
  const a = fitMlp(train, 40, 30, cfg, (_e, _l, snap) => {
    last = snap();
  });
  const b = fitMlp(train, 40, 30, cfg);
  const c = fitMlp(train, 40, 30, { ...cfg, seed: 4 });
  assert.deepEqual(a.model, b.model);
  assert.deepEqual(last, a.model);
  assert.notDeepEqual(a.model.layers[0].weight, c.model.layers[0].weight);
  const pred = predictMlp(a.model, test.users, test.items);
  assert.ok(pred.every((p) => p > 1 && p < 5));
});

Deno.test("fitMlp rejects bad settings and out-of-range rows, naming them", () => {
  assert.throws(
    () => fitMlp(train, 40, 30, { ...BASE, batchSize: 0 }),
    /batchSize 0/,
  );
  assert.throws(
    () => fitMlp(train, 40, 30, { ...BASE, dropout: [0.1] }),
    /dropout has 1 rates; 2 needed/,
  );
  assert.throws(
    () => fitMlp(train, 40, 30, { ...BASE, embeddingL2: -1 }),
    /embeddingL2 -1/,
  );
  assert.throws(() => fitMlp(train, 10, 30, BASE), /lies outside 10 × 30/);
});
