/**
 * Timings of the exported factor model at MovieLens-small scale: 610 users ×
 * 9,724 items × 50 factors with 100,836 seen entries (random, seeded).
 *
 *     deno bench --allow-read --allow-env lib/onnx/infer_bench.ts
 *
 * @module
 */

import { exportFactorModel } from "./export.ts";
import { FactorModelSession } from "./infer.ts";
import { randomFactorModel } from "./_fixtures.ts";
import { RandomState } from "../rng.ts";
import { csrFromCoo } from "../sparse.ts";

const nUsers = 610, nItems = 9724, factors = 50, nnz = 100_836;
const model = randomFactorModel(42, { nUsers, nItems, factors, scale: 0.3 });
const rs = new RandomState(7);
const rows = new Int32Array(nnz), cols = new Int32Array(nnz);
for (let e = 0; e < nnz; e++) {
  rows[e] = rs.randint(0, nUsers);
  cols[e] = rs.randint(0, nItems);
}
const seen = csrFromCoo(
  rows,
  cols,
  new Float32Array(nnz).fill(1),
  nUsers,
  nItems,
);
const bytes = exportFactorModel(model, { seen });
const session = await FactorModelSession.load(bytes);
const unmasked = await FactorModelSession.load(exportFactorModel(model));
const allUsers = Int32Array.from({ length: nUsers }, (_, u) => u);
const pairUsers = rows.slice(0, 20_000), pairItems = cols.slice(0, 20_000);

Deno.bench("exportFactorModel 610 × 9,724 × 50 with 100k seen entries", () => {
  exportFactorModel(model, { seen });
});

Deno.bench("FactorModelSession.load of that model", async () => {
  const s = await FactorModelSession.load(bytes);
  await s.release();
});

Deno.bench("recommend 610 users, k = 10, one batched call, seen masked", {
  baseline: true,
  group: "recommend",
}, async () => {
  await session.recommend(allUsers, 10);
});

Deno.bench("recommend 610 users, k = 10, no seen mask", {
  group: "recommend",
}, async () => {
  await unmasked.recommend(allUsers, 10);
});

Deno.bench("recommend 610 users, k = 10, 610 single-user calls", {
  group: "recommend",
}, async () => {
  for (let u = 0; u < nUsers; u++) {
    await session.recommend(allUsers.subarray(u, u + 1), 10);
  }
});

Deno.bench("score 20,000 user–item pairs", async () => {
  await session.score(pairUsers, pairItems);
});

Deno.bench("similar one item, k = 10", async () => {
  await session.similar(123, 10);
});
