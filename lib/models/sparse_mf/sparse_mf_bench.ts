/**
 * Speed of the Google exercise's configurations:
 * `deno task bench lib/models/sparse_mf/sparse_mf_bench.ts` (needs ML-100K in
 * $MOVIELENS_DIR or data/; skipped, saying so, without it). The reference (the document's
 * PyTorch code, 1 thread) fits configuration 1 in 9.3 s on this machine.
 */

import { loadMovieLens } from "../../data/load.ts";
import { benchDataDir } from "../../data/test_data_dir.ts";
import { RandomState } from "../../rng.ts";
import { csrFromCoo } from "../../sparse.ts";
import { sklearnTrainTestSplit } from "../../split.ts";
import { fitSparseMf } from "./sparse_mf.ts";

const dir = await benchDataDir("ml-100k", "sparse_mf_bench");
if (dir !== null) {
  const { data } = await loadMovieLens("ml-100k", {
    dataDir: dir,
    envDir: null,
    download: false,
  });
  const split = sklearnTrainTestSplit(
    data.users.length,
    0.25,
    new RandomState(300),
  );
  const sparse = (rows: Int32Array) =>
    csrFromCoo(
      Int32Array.from(rows, (r) => data.users[r]),
      Int32Array.from(rows, (r) => data.items[r]),
      Float32Array.from(rows, (r) => data.ratings[r]),
      data.nUsers,
      data.nItems,
    );
  const train = sparse(split.train), val = sparse(split.test);

  Deno.bench(
    "fitSparseMf, document config 1 (75k entries, dim 30, 1000 full-batch Adam epochs, validation every epoch)",
    { group: "adam", baseline: true, n: 5, warmup: 1 },
    () => {
      fitSparseMf(train, val, {
        dim: 30,
        epochs: 1000,
        initStd: 1,
        optimizer: "adam",
        learningRate: 1e-3,
        seed: 0,
      });
    },
  );

  Deno.bench(
    "fitSparseMf, config 1 without WebAssembly SIMD (plain loops)",
    { group: "adam", n: 2, warmup: 0 },
    () => {
      fitSparseMf(train, val, {
        dim: 30,
        epochs: 1000,
        initStd: 1,
        optimizer: "adam",
        learningRate: 1e-3,
        seed: 0,
        simd: false,
      });
    },
  );

  Deno.bench(
    "fitSparseMf, regularised config 2 (dim 35, 2000 gradient-descent iterations, L2 + gravity)",
    { group: "gd", n: 3, warmup: 0 },
    () => {
      fitSparseMf(train, val, {
        dim: 35,
        epochs: 2000,
        initStd: 0.05,
        optimizer: "gd",
        learningRate: 20,
        regularization: 0.1,
        gravity: 1,
        seed: 0,
      });
    },
  );
}
