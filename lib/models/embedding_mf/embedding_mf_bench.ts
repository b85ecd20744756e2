/**
 * Speed of the Spotlight configuration: `deno task bench lib/models/embedding_mf/embedding_mf_bench.ts`
 * (needs ML-100K in $MOVIELENS_DIR or data/ for the fit, which is skipped,
 * saying so, without it; the Adam steps need no data). The
 * reference (Spotlight on torch, 2 threads) fits it in 0.88 s on this machine.
 */

import { loadMovieLens } from "../../data/load.ts";
import { benchDataDir } from "../../data/test_data_dir.ts";
import { Adam, createParamTables, paramTable } from "../../optim/adam.ts";
import { RandomState } from "../../rng.ts";
import { randomTrainTestSplit } from "../../split.ts";
import { fitEmbeddingMf } from "./fit.ts";

const dir = await benchDataDir("ml-100k", "embedding_mf_bench");
if (dir !== null) {
  const { data } = await loadMovieLens("ml-100k", {
    dataDir: dir,
    envDir: null,
    download: false,
  });
  const { train } = randomTrainTestSplit(
    data.users.length,
    0.2,
    new RandomState(42),
  );
  const triples = {
    users: Int32Array.from(train, (r) => data.userIds.raw[data.users[r]]),
    items: Int32Array.from(train, (r) => data.itemIds.raw[data.items[r]]),
    ratings: Float32Array.from(train, (r) => data.ratings[r]),
  };

  Deno.bench(
    "fitEmbeddingMf, Spotlight document config (ML-100K 80k rows, dim 128, 10 epochs, batch 1024, dense Adam)",
    {
      group: "fit",
      baseline: true,
    },
    () => {
      fitEmbeddingMf(triples, 944, 1683, {
        dim: 128,
        epochs: 10,
        batchSize: 1024,
        learningRate: 1e-3,
        weightDecay: 1e-9,
        seed: 0,
      });
    },
  );
}

const SPECS = [
  { name: "u", rows: 944, cols: 128 },
  { name: "i", rows: 1683, cols: 128 },
  { name: "ub", rows: 944, cols: 1 },
  { name: "ib", rows: 1683, cols: 1 },
];
for (const kind of ["wasm SIMD", "JavaScript"] as const) {
  const tables = kind === "wasm SIMD"
    ? createParamTables(SPECS)
    : SPECS.map((s) => paramTable(s.name, s.rows, s.cols));
  const opt = new Adam(tables, { lr: 1e-3, weightDecay: 1e-9 });
  Deno.bench(`Adam.step dense over 338,883 parameters (${kind})`, {
    group: "adam",
  }, () => {
    opt.step();
  });
}
