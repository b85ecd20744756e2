// deno bench lib/metrics_bench.ts
import { rankingMetricsAtK } from "./metrics.ts";
import { topKExcluding } from "./models/factor_model.ts";
import { RandomState } from "./rng.ts";
import { csrFromCoo } from "./sparse.ts";

// ml-latest-small-sized shapes: 610 users × 9724 items, k = 10.
const nUsers = 610, nItems = 9724, k = 10;
const rs = new RandomState(1);
const scores = new Float32Array(nItems).map(() => rs.randomSample());
const exclude = Int32Array.from(
  Array.from({ length: 165 }, () => rs.randint(0, nItems)).sort((a, b) =>
    a - b
  ),
);
const recs = new Int32Array(nUsers * k);
for (let u = 0; u < nUsers; u++) {
  for (let i = 0; i < k; i++) recs[u * k + i] = rs.randint(0, nItems);
}
const rows = new Int32Array(20000), cols = new Int32Array(20000);
for (let e = 0; e < rows.length; e++) {
  rows[e] = rs.randint(0, nUsers);
  cols[e] = rs.randint(0, nItems);
}
const test = csrFromCoo(
  rows,
  cols,
  new Float32Array(rows.length).fill(1),
  nUsers,
  nItems,
);

Deno.bench("topKExcluding(9724 scores, k = 10, 165 excluded)", () => {
  topKExcluding(scores, k, exclude);
});

Deno.bench("rankingMetricsAtK(610 users, k = 10, 20k test entries)", () => {
  rankingMetricsAtK(recs, test, k);
});
