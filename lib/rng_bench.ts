// deno bench lib/rng_bench.ts
import { RandomState } from "./rng.ts";

Deno.bench("RandomState.randomSampleArray(1e6)", () => {
  new RandomState(7).randomSampleArray(1_000_000);
});

Deno.bench("RandomState.permutation(1e5)", () => {
  new RandomState(300).permutation(100_000);
});

Deno.bench("RandomState.standardNormal × 1e6", () => {
  const rs = new RandomState(0);
  let s = 0;
  for (let i = 0; i < 1_000_000; i++) s += rs.standardNormal();
  if (!Number.isFinite(s)) throw new Error("non-finite sum");
});
