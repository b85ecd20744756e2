import assert from "node:assert/strict";
import { rmse } from "../metrics.ts";
import { RandomState } from "../rng.ts";
import type { RatingTriples } from "./embedding_mf.ts";
import { predictMlp } from "./mlp.ts";
import { fitMlp, type MlpConfig } from "./mlp_fit.ts";

/** Ratings from user and item offsets plus a rank-2 interaction and noise; 60 % of 40 × 30 cells, split 80/20. */
function synthetic(): { train: RatingTriples; test: RatingTriples } {
  const rs = new RandomState(12);
  const a = Array.from({ length: 80 }, () => rs.standardNormal());
  const b = Array.from({ length: 60 }, () => rs.standardNormal());
  const rows: [number, number, number][] = [];
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 30; i++) {
      if (rs.randomSample() < 0.6) {
        const r = 3 + 0.4 * (u % 3) - 0.3 * (i % 4) +
          0.5 * (a[2 * u] * b[2 * i] + a[2 * u + 1] * b[2 * i + 1]) +
          0.1 * rs.standardNormal();
        rows.push([u, i, Math.min(5, Math.max(1, r))]);
      }
    }
  }
  const order = rs.permutation(rows.length);
  const cut = Math.floor(0.8 * rows.length);
  const take = (idx: Int32Array) => ({
    users: Int32Array.from(idx, (r) => rows[r][0]),
    items: Int32Array.from(idx, (r) => rows[r][1]),
    ratings: Float32Array.from(idx, (r) => rows[r][2]),
  });
  return {
    train: take(order.subarray(0, cut)),
    test: take(order.subarray(cut)),
  };
}

const { train, test } = synthetic();
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
