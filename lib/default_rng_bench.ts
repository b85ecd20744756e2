// deno bench lib/default_rng_bench.ts
import { defaultRng, SeedSequence } from "./default_rng.ts";
import { RandomState } from "./rng.ts";

Deno.bench("DefaultRng.random(1e6) float64", {
  group: "1e6 float64",
  baseline: true,
}, () => {
  defaultRng(7).random(1_000_000);
});

Deno.bench("RandomState.randomSampleArray(1e6) (legacy MT19937, for scale)", {
  group: "1e6 float64",
}, () => {
  new RandomState(7).randomSampleArray(1_000_000);
});

/** PCG64 with the 128-bit state as one BigInt: the straightforward alternative to limbs. */
function bigintRandom(seed: number, n: number): Float64Array {
  const MASK128 = (1n << 128n) - 1n;
  const MASK64 = (1n << 64n) - 1n;
  const MULT = 0x2360ed051fc65da44385df649fccf645n;
  const s = new SeedSequence(seed).generateState64(4);
  const inc = ((((s[2] << 64n) | s[3]) << 1n) | 1n) & MASK128;
  let state = (inc + ((s[0] << 64n) | s[1])) & MASK128;
  state = (state * MULT + inc) & MASK128;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    state = (state * MULT + inc) & MASK128;
    const x = ((state >> 64n) ^ state) & MASK64;
    const rot = state >> 122n;
    const v = ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
    out[k] = Number(v >> 11n) / 9007199254740992;
  }
  return out;
}

Deno.bench("BigInt PCG64 random(1e6) (alternative, not exported)", {
  group: "1e6 float64",
}, () => {
  bigintRandom(7, 1_000_000);
});

Deno.bench("DefaultRng.random(1e6, float32)", () => {
  defaultRng(7).random(1_000_000, "float32");
});
