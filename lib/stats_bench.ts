// deno bench lib/stats_bench.ts
import {
  bootstrapCi,
  pairedBootstrapCi,
  rootMeanSquare,
  studentTCdf,
  studentTQuantile,
  welchTTest,
} from "./stats.ts";
import { RandomState } from "./rng.ts";

// ML-100K test-split-sized units: 20,000 per-rating errors of two models.
const n = 20000;
const rs = new RandomState(3);
const errA = new Float64Array(n), errB = new Float64Array(n);
for (let i = 0; i < n; i++) {
  errA[i] = rs.normal(0, 0.94);
  errB[i] = errA[i] + rs.normal(0, 0.1);
}

Deno.bench("bootstrapCi(20,000 errors, RMSE, 1,000 resamples)", () => {
  bootstrapCi(errA, rootMeanSquare, { seed: 1, resamples: 1000 });
});

Deno.bench(
  "pairedBootstrapCi(2 × 20,000 errors, RMSE A − RMSE B, 1,000 resamples)",
  () => {
    pairedBootstrapCi(errA, errB, rootMeanSquare, { seed: 1, resamples: 1000 });
  },
);

Deno.bench("studentTQuantile(0.975, df) for df = 1..100", () => {
  for (let df = 1; df <= 100; df++) studentTQuantile(0.975, df + 0.5);
});

Deno.bench("studentTCdf(2, df) for df = 1..100", () => {
  for (let df = 1; df <= 100; df++) studentTCdf(2, df + 0.5);
});

Deno.bench("welchTTest(5 runs, 10 runs)", () => {
  welchTTest(errA.subarray(0, 5), errB.subarray(0, 10));
});
