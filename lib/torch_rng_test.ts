import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  cephesLogF32,
  cephesSinCosF32,
  fmaF32,
  torchEmbeddingInit,
  TorchGenerator,
} from "./torch_rng.ts";

// Reference values are torch 1.13 CPU outputs (data/fixtures/torch/README.md);
// the tests never call Python.

interface TorchVector {
  readonly call: string;
  readonly values: number[];
}

const VECTORS: TorchVector[] = JSON.parse(
  await Deno.readTextFile(
    new URL("../data/fixtures/torch/normal_vectors.json", import.meta.url),
  ),
).vectors;

/** Indices where a and b differ as float32 bit patterns. */
function bitDiffs(a: Float32Array, b: Float32Array): number[] {
  const ia = new Int32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Int32Array(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let i = 0; i < ia.length; i++) if (ia[i] !== ib[i]) out.push(i);
  return out;
}

Deno.test("TorchGenerator.normal_ and uniform_ equal torch 1.13 bit for bit on every fixture vector", () => {
  assert.equal(VECTORS.length, 13);
  const sizes = new Set<number>();
  for (const v of VECTORS) {
    const m = v.call.match(
      /^torch\.manual_seed\((\d+)\); torch\.empty\((\d+)\)\.(normal|uniform)_\(\)$/,
    );
    assert.ok(m, `unexpected call ${v.call}`);
    const [seed, n, kind] = [Number(m[1]), Number(m[2]), m[3]];
    sizes.add(n);
    const g = new TorchGenerator(seed);
    const out = new Float32Array(n);
    if (kind === "normal") g.normal_(out);
    else g.uniform_(out);
    const ref = Float32Array.from(v.values);
    assert.equal(ref.length, n);
    assert.deepEqual(bitDiffs(out, ref), [], v.call);
  }
  // Both torch paths, with and without the recomputed tail.
  assert.deepEqual([...sizes].sort((a, b) => a - b), [8, 16, 17, 1000]);
});

Deno.test("torchEmbeddingInit reproduces torch's nn.Embedding(943, 30) and nn.Embedding(1682, 30) weights (SHA-256 of the .f32 tables)", () => {
  // SHA-256 of google_embedding_init_seed{0,1}.f32 (README beside the fixtures).
  const expected = [
    "63290b699db6f8e614555165813069f14ce2e70defda24f1f2c18f944a81cdd5",
    "406b0f9272c4a49bd9f1b7d23e8e53c69089f6e204160b49c5fbccab0f5eb6b8",
  ];
  assert.equal(new Uint8Array(Float32Array.of(1).buffer)[3], 0x3f); // little-endian host
  for (const seed of [0, 1]) {
    const [users, items] = torchEmbeddingInit(seed, [[943, 30], [1682, 30]]);
    assert.equal(users.length, 943 * 30);
    assert.equal(items.length, 1682 * 30);
    const hash = createHash("sha256");
    hash.update(new Uint8Array(users.buffer));
    hash.update(new Uint8Array(items.buffer));
    assert.equal(hash.digest("hex"), expected[seed], `seed ${seed}`);
  }
  // The tables come from one stream: the items' table differs from a fresh
  // generator's first table of that shape.
  const [, items0] = torchEmbeddingInit(0, [[943, 30], [1682, 30]]);
  const [alone] = torchEmbeddingInit(0, [[1682, 30]]);
  assert.notDeepEqual(bitDiffs(items0, alone), []);
});

Deno.test("TorchGenerator scalar normal path caches the second Box–Muller value until manualSeed", () => {
  // 7 values use 4 pairs and leave one value cached; the next single draw
  // returns it, so 7 + 1 equals 8 in one call.
  const a = new TorchGenerator(5);
  const split = [
    ...a.normal_(new Float32Array(7)),
    ...a.normal_(new Float32Array(1)),
  ];
  const whole = [...new TorchGenerator(5).normal_(new Float32Array(8))];
  assert.deepEqual(split, whole);
  // manualSeed drops the cache: after 7 values and a re-seed, one value is
  // the first value of a fresh generator.
  const b = new TorchGenerator(5);
  b.normal_(new Float32Array(7));
  b.manualSeed(5);
  assert.equal(b.normal_(new Float32Array(1))[0], whole[0]);
  // mean and std scale the standard draw.
  const c = new TorchGenerator(5).normal_(new Float32Array(3), 2, 0.5);
  assert.deepEqual(
    [...c],
    whole.slice(0, 3).map((z) => Math.fround(z * 0.5 + 2)),
  );
});

Deno.test("TorchGenerator.random and random64 follow MT19937 init_genrand on the seed's low 32 bits", () => {
  // mt19937 seeded with 0 (std::mt19937(0)): 2357136044, 2546248239, ...
  const g = new TorchGenerator(0);
  assert.equal(g.random(), 2357136044);
  assert.equal(g.random(), 2546248239);
  assert.equal(g.random64(), (3071714933n << 32n) | 3626093760n);
  // torch keeps the 64-bit seed but seeds the engine with its low 32 bits;
  // negative seeds wrap modulo 2^64.
  const hi = new TorchGenerator(2n ** 32n + 7n), lo = new TorchGenerator(7);
  assert.equal(hi.initialSeed(), 2n ** 32n + 7n);
  assert.deepEqual([hi.random(), hi.random()], [lo.random(), lo.random()]);
  assert.equal(new TorchGenerator(-1).initialSeed(), 2n ** 64n - 1n);
  assert.equal(
    new TorchGenerator(-1).random(),
    new TorchGenerator(0xffffffff).random(),
  );
  for (const bad of [1.5, NaN, 2 ** 53]) {
    assert.throws(() => new TorchGenerator(bad), /seed/);
  }
  assert.throws(() => new TorchGenerator(2n ** 64n), /seed/);
  assert.throws(() => new TorchGenerator(-(2n ** 63n) - 1n), /seed/);
});

Deno.test("TorchGenerator.uniform_ maps 24-bit uniforms to [from, to) and rejects from > to", () => {
  const u = new TorchGenerator(3).uniform_(new Float32Array(1000));
  const r = new TorchGenerator(3);
  for (let i = 0; i < u.length; i++) {
    const x = u[i];
    assert.ok(x >= 0 && x < 1);
    assert.equal(x, (r.random() & 0xffffff) / 2 ** 24);
  }
  const w = new TorchGenerator(3).uniform_(new Float32Array(1000), -2, 6);
  for (let i = 0; i < w.length; i++) {
    assert.equal(w[i], Math.fround(u[i] * 8 - 2)); // 8·u is exact: one rounding
  }
  assert.throws(
    () => new TorchGenerator(0).uniform_(new Float32Array(2), 1, 0),
    /from ≤ to/,
  );
  assert.throws(
    () => new TorchGenerator(0).normal_(new Float32Array(2), 0, -1),
    /std ≥ 0/,
  );
});

Deno.test("fmaF32 rounds a·b + c once where double-then-float rounding errs", () => {
  // a·b + c = 1 + 2^-23 + 2^-24 − 2^-70: just below a float32 midpoint.
  const a = 2 ** -24 * (1 + 2 ** -23), b = 1 - 2 ** -23, c = 1 + 2 ** -23;
  assert.equal(Math.fround(a), a);
  assert.equal(Math.fround(b), b);
  assert.equal(Math.fround(a * b + c), 1 + 2 ** -22); // two roundings: up
  assert.equal(fmaF32(a, b, c), 1 + 2 ** -23); // one rounding: down
  assert.equal(fmaF32(-a, b, -c), -(1 + 2 ** -23));
  assert.equal(fmaF32(3, 0.5, 0.25), 1.75);
});

Deno.test("cephesLogF32 and cephesSinCosF32 stay within 1e-6 of log, sin and cos over their torch ranges", () => {
  // Box–Muller feeds log with (0, 1] and sincos with [0, 2π).
  let worstLog = 0, worstTrig = 0;
  for (let k = 1; k <= 20000; k++) {
    const u = Math.fround(k / 20000);
    worstLog = Math.max(
      worstLog,
      Math.abs(cephesLogF32(u) - Math.log(u)) /
        Math.max(1, Math.abs(Math.log(u))),
    );
    const t = Math.fround((2 * Math.PI * (k - 1)) / 20000);
    const [s, c] = cephesSinCosF32(t);
    worstTrig = Math.max(
      worstTrig,
      Math.abs(s - Math.sin(t)),
      Math.abs(c - Math.cos(t)),
    );
    const [sn, cn] = cephesSinCosF32(-t); // odd sine, even cosine
    assert.equal(sn, -s);
    assert.equal(cn, c);
  }
  assert.ok(worstLog < 1e-6, `log error ${worstLog}`);
  assert.ok(worstTrig < 1e-6, `sin/cos error ${worstTrig}`);
  assert.equal(cephesLogF32(1), 0);
});
