/**
 * Speed of the Keras document's configurations: `deno task bench experiments/keras/bench.ts`
 * (needs ML-100K in $MOVIELENS_DIR or data/; the fits are skipped, saying so,
 * without it). The document's Keras took 18.3 s (ExplicitMF) and 21.2 s (with
 * bias) of wall time for 5 epochs; the target here is under 1 s each. Every
 * fit is the full computation: 12,500 dense Keras-Adam steps over every
 * parameter.
 */

import { loadMovieLens } from "../../lib/data/load.ts";
import { benchDataDir } from "../../lib/data/test_data_dir.ts";
import { fitEmbeddingMf } from "../../lib/models/embedding_mf/fit.ts";
import { fitMlp } from "../../lib/models/mlp/fit.ts";
import { Adam, createParamTables } from "../../lib/optim/adam.ts";
import { perUserHoldout, takeTriples } from "../../lib/split.ts";

const dir = await benchDataDir("ml-100k", "keras_bench");
if (dir !== null) {
  const { data } = await loadMovieLens("ml-100k", {
    dataDir: dir,
    envDir: null,
    download: false,
  });
  const { train } = perUserHoldout(data, 0.2, {
    shuffle: false,
    rounding: "python-round",
  });
  const triples = takeTriples(data, train);
  const KERAS = {
    dim: 40,
    epochs: 5,
    batchSize: 32,
    learningRate: 1e-3,
    seed: 0,
    init: "uniform",
    l2: { coef: 1e-6, scope: "table", biases: true },
    epochOrder: "reshuffle",
    adamArithmetic: "keras",
  } as const;

  Deno.bench(
    "ExplicitMF, 5 epochs (80k rows, dim 40, batch 32, 12,500 dense Keras-Adam steps over 105,000 parameters)",
    { group: "fit", baseline: true, n: 5, warmup: 1 },
    () => {
      fitEmbeddingMf(triples, 943, 1682, { ...KERAS, biases: false });
    },
  );

  Deno.bench(
    "ExplicitMatrixFactorisationBias, 5 epochs (107,625 parameters, sigmoid range)",
    { group: "fit", n: 5, warmup: 1 },
    () => {
      fitEmbeddingMf(triples, 943, 1682, {
        ...KERAS,
        biases: true,
        outputRange: [1, 5],
      });
    },
  );

  Deno.bench(
    "Embedding MLP, 5 epochs (Dropout 0.25, Dense 64 relu, Dropout 0.75, Dense 1; 110,249 parameters)",
    { group: "fit", n: 5, warmup: 1 },
    () => {
      fitMlp(triples, 943, 1682, {
        dim: 40,
        hidden: [64],
        dropout: [0.25, 0.75],
        epochs: 5,
        batchSize: 32,
        learningRate: 1e-3,
        seed: 0,
        embeddingL2: 1e-6,
      });
    },
  );
}

const tables = createParamTables([
  { name: "u", rows: 943, cols: 40, weightDecay: 2e-6 },
  { name: "i", rows: 1682, cols: 40, weightDecay: 2e-6 },
  { name: "ub", rows: 943, cols: 1, weightDecay: 2e-6 },
  { name: "ib", rows: 1682, cols: 1, weightDecay: 2e-6 },
]);
const opt = new Adam(tables, { lr: 1e-3, arithmetic: "keras" });
Deno.bench(
  "12,500 dense Keras-Adam steps over 107,625 parameters (wasm SIMD), the optimiser alone",
  { group: "adam", n: 5, warmup: 1 },
  () => {
    for (let s = 0; s < 12500; s++) opt.step();
  },
);
