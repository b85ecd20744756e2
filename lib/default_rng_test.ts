import assert from "node:assert/strict";
import {
  DefaultRng,
  defaultRng,
  implicitDefaultRngSplit,
  Pcg64,
  scaleFloat32,
  SeedSequence,
  seedWords,
} from "./default_rng.ts";

// Reference values were generated once with numpy 2.4.6
// (np.random.default_rng / SeedSequence / PCG64, scipy 1.17 for the split)
// and agree with a separate pure-Python big-integer reimplementation of
// SeedSequence + PCG64; they are embedded here, the tests never call Python.

/** Rounds to 8 decimals, as the values are usually quoted from numpy prints. */
const round8 = (x: number) => Math.round(x * 1e8) / 1e8;

/** The shortest decimal that rounds back to float32 `x`, as numpy prints float32. */
function shortestFloat32(x: number): number {
  for (let p = 1; p < 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return d;
  }
  return Number(x.toPrecision(9));
}

Deno.test("SeedSequence.generateState(4) equals numpy's SeedSequence(42).generate_state(4, uint32)", () => {
  assert.deepEqual(
    Array.from(new SeedSequence(42).generateState(4)),
    [3444837047, 2669555309, 2046530742, 3581440988],
  );
  assert.deepEqual(
    Array.from(new SeedSequence(42).pool),
    [1662858758, 128880814, 1875164712, 753753205],
  );
});

Deno.test("SeedSequence.generateState64 pairs uint32 words little-endian like generate_state(4, uint64)", () => {
  assert.deepEqual(Array.from(new SeedSequence(42).generateState64(4)), [
    0x9f1e2e6dcd540ab7n,
    0xd57873dc79fb94b6n,
    0x7d282a1b64d420b7n,
    0x336579714692d5ffn,
  ]);
});

Deno.test("SeedSequence and defaultRng match numpy for multi-word seeds, including more words than the pool", () => {
  const cases: [number | bigint, number[], number[]][] = [
    [2 ** 32, [
      3964924996,
      1358922860,
      3894904162,
      2051610843,
      908995353,
      1006608236,
    ], [
      0.8897387912781343,
      0.5571380502062263,
    ]],
    [2n ** 64n + 7n, [
      2028854884,
      2668623899,
      1426569617,
      1373263289,
      2777597095,
      3710058470,
    ], [
      0.8331748283767769,
      0.4843365712551232,
    ]],
    // 6 entropy words: exercises the mixing of words beyond the 4-word pool.
    [2n ** 160n + 3n, [
      3271219438,
      1134289647,
      337004695,
      3358413579,
      3226814641,
      1402673023,
    ], [
      0.38733175273262976,
      0.9808624609593598,
    ]],
    [2 ** 53 - 1, [
      3367776697,
      1170575226,
      2422347966,
      3181658150,
      1605020015,
      1122250651,
    ], [
      0.7862681066761149,
      0.6063032385025929,
    ]],
  ];
  for (const [seed, state, draws] of cases) {
    assert.deepEqual(
      Array.from(new SeedSequence(seed).generateState(6)),
      state,
      `seed ${seed}`,
    );
    assert.deepEqual(
      Array.from(defaultRng(seed).random(2)),
      draws,
      `seed ${seed}`,
    );
  }
  // A number seed and the same bigint seed give the same stream.
  assert.deepEqual(defaultRng(12345).random(3), defaultRng(12345n).random(3));
});

Deno.test("seedWords splits seeds into little-endian uint32 words and rejects invalid seeds", () => {
  assert.deepEqual(Array.from(seedWords(0)), [0]);
  assert.deepEqual(Array.from(seedWords(2 ** 32 + 5)), [5, 1]);
  assert.deepEqual(Array.from(seedWords(2n ** 64n)), [0, 0, 1]);
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
    assert.throws(() => seedWords(bad), RangeError, `seed ${bad}`);
  }
  assert.throws(() => defaultRng(-3n), RangeError);
});

Deno.test("Pcg64 seeding gives numpy's state and increment for seed 42", () => {
  const bg = new Pcg64(42);
  assert.equal(bg.state, 0xcea44f6798798f2aacbc7c9d68860ac8n);
  assert.equal(bg.increment, 0xfa505436c9a8416e66caf2e28d25abffn);
  assert.deepEqual([bg.nextUint64(), bg.nextUint64(), bg.nextUint64()], [
    0xc621fbcd16d92688n,
    0x705a5661a791ffc1n,
    0xdbcd12c26eda1624n,
  ]);
});

Deno.test("DefaultRng.random(5) for seed 42 equals numpy to 8 decimals and bit for bit", () => {
  const r = defaultRng(42).random(5);
  assert.ok(r instanceof Float64Array);
  assert.deepEqual(Array.from(r, round8), [
    0.77395605,
    0.43887844,
    0.85859792,
    0.69736803,
    0.09417735,
  ]);
  // Exactly (next_uint64 >> 11) / 2^53 with these 53-bit integers.
  const k = [
    6971176343755556,
    3953065555456575,
    7733562544347970,
    6281332791623697,
    848274137707120,
  ];
  assert.deepEqual(Array.from(r), k.map((v) => v / 2 ** 53));
  assert.deepEqual(Array.from(r), [
    0.7739560485559633,
    0.4388784397520523,
    0.8585979199113825,
    0.6973680290593639,
    0.09417734788764953,
  ]);
});

Deno.test("DefaultRng.random(3) for seed 0 equals numpy to 8 decimals and bit for bit", () => {
  const r = defaultRng(0).random(3);
  assert.deepEqual(Array.from(r, round8), [0.63696169, 0.26978671, 0.04097352]);
  assert.deepEqual(
    Array.from(r),
    [5737240835340368, 2430022687152954, 369056694262205].map((v) =>
      v / 2 ** 53
    ),
  );
  assert.deepEqual(Array.from(r), [
    0.6369616873214543,
    0.2697867137638703,
    0.04097352393619469,
  ]);
});

Deno.test("DefaultRng.random(4, float32) for seed 0 uses low then high uint32 halves like numpy", () => {
  const r = defaultRng(0).random(4, "float32");
  assert.ok(r instanceof Float32Array);
  // numpy prints [0.8506242, 0.63696164, 0.5111365, 0.26978666]: shortest
  // decimals that round back to the same float32.
  assert.deepEqual(Array.from(r, shortestFloat32), [
    0.8506242,
    0.63696164,
    0.5111365,
    0.26978666,
  ]);
  // (next_uint32 >> 8) / 2^24; raw outputs 0xa30febcfd9c2825f, 0x4510bdf882d9d721:
  // 0xd9c282, 0xa30feb (first output low, high), 0x82d9d7, 0x4510bd.
  assert.deepEqual(
    Array.from(r),
    [14271106, 10686443, 8575447, 4526269].map((v) => v / 2 ** 24),
  );
});

Deno.test("DefaultRng keeps the buffered uint32 half across float64 draws, as numpy does", () => {
  // rng = default_rng(5); rng.random(1, float32); rng.random(1); rng.random(2, float32)
  const rng = new DefaultRng(5);
  assert.deepEqual(Array.from(rng.random(1, "float32")), [0.6707900166511536]);
  assert.deepEqual(Array.from(rng.random(1)), [0.8079407897364937]);
  assert.deepEqual(Array.from(rng.random(2, "float32")), [
    0.8050028681755066, // high half of the first 64-bit output
    0.46885186433792114, // low half of the third
  ]);
});

Deno.test("DefaultRng.random float32 in blocks equals one nextFloat per draw, whatever the split", () => {
  const n = 2 * 1024 + 7; // crosses the 1024-output block, odd
  const ref = new Pcg64(99);
  const want = Array.from({ length: n + 12 }, () => ref.nextFloat());
  for (
    const sizes of [[n + 12], [1, n, 11], [3, 2, 2050, 1, 11], [0, 4, n + 8]]
  ) {
    const rng = defaultRng(99);
    const got = sizes.flatMap((m) => Array.from(rng.random(m, "float32")));
    assert.deepEqual(got, want, `sizes ${sizes}`);
  }
  // Odd float32 runs leave a half buffered across float64 draws: the same
  // interleaving through single draws gives the same numbers.
  const a = defaultRng(8), b = new Pcg64(8);
  assert.deepEqual(Array.from(a.random(3, "float32")), [
    b.nextFloat(),
    b.nextFloat(),
    b.nextFloat(),
  ]);
  assert.deepEqual(Array.from(a.random(2)), [b.nextDouble(), b.nextDouble()]);
  assert.deepEqual(Array.from(a.random(2, "float32")), [
    b.nextFloat(),
    b.nextFloat(),
  ]);
});

Deno.test("Pcg64 over 100000 outputs matches numpy's random_raw (xor of all, last) and random() ends", () => {
  // default_rng(7).bit_generator.random_raw(100000): xor 0x09b1270e072fc91e,
  // last 0x2eae33df1d055145. Read through nextUint32 pairs (low half first).
  const bg = new Pcg64(7);
  let xLo = 0, xHi = 0, lo = 0, hi = 0;
  for (let k = 0; k < 100000; k++) {
    lo = bg.nextUint32();
    hi = bg.nextUint32();
    xLo ^= lo;
    xHi ^= hi;
  }
  assert.equal((xHi >>> 0).toString(16), "9b1270e");
  assert.equal((xLo >>> 0).toString(16), "72fc91e");
  assert.equal(
    hi.toString(16) + lo.toString(16).padStart(8, "0"),
    "2eae33df1d055145",
  );
  const d = defaultRng(7).random(100000);
  assert.equal(d[0], 0.625095466604667);
  assert.equal(d[99999], 0.1823456210813863);
});

Deno.test("Pcg64 limb arithmetic agrees with a BigInt PCG64 over 20000 steps and all 64 rotations", () => {
  const MASK128 = (1n << 128n) - 1n;
  const MASK64 = (1n << 64n) - 1n;
  const MULT = 0x2360ed051fc65da44385df649fccf645n;
  for (const seed of [0, 1, 42, 987654321]) {
    const s = new SeedSequence(seed).generateState64(4);
    const inc = ((((s[2] << 64n) | s[3]) << 1n) | 1n) & MASK128;
    let state = inc; // 0 · M + inc
    state = (state + ((s[0] << 64n) | s[1])) & MASK128;
    state = (state * MULT + inc) & MASK128;
    const bg = new Pcg64(seed);
    assert.equal(bg.state, state);
    assert.equal(bg.increment, inc);
    const rotations = new Set<bigint>();
    for (let k = 0; k < 20000; k++) {
      state = (state * MULT + inc) & MASK128;
      const x = ((state >> 64n) ^ state) & MASK64;
      const rot = state >> 122n;
      rotations.add(rot);
      const want = ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
      const got = bg.nextUint64();
      if (got !== want) {
        assert.fail(`seed ${seed} step ${k}: ${got} !== ${want}`);
      }
    }
    assert.equal(bg.state, state);
    assert.equal(rotations.size, 64);
  }
});

Deno.test("scaleFloat32 reproduces numpy's float32 array * 0.01 (ALS initial factors)", () => {
  // f = default_rng(3).random(6, dtype=float32); f * 0.01 (dtype float32)
  const f = defaultRng(3).random(6, "float32");
  assert.deepEqual(Array.from(f), [
    0.8115044832229614,
    0.08564913272857666,
    0.1794406771659851,
    0.23681050539016724,
    0.1813647747039795,
    0.8012744188308716,
  ]);
  const g = scaleFloat32(f, 0.01);
  assert.ok(g instanceof Float32Array);
  assert.deepEqual(Array.from(g), [
    0.008115044794976711,
    0.000856491329614073,
    0.0017944066785275936,
    0.002368105109781027,
    0.0018136476865038276,
    0.008012743666768074,
  ]);
});

Deno.test("DefaultRng.random rejects bad sizes and dtypes", () => {
  const rng = defaultRng(1);
  assert.equal(rng.random(0).length, 0);
  for (const bad of [-1, 1.5, NaN]) {
    assert.throws(() => rng.random(bad), RangeError);
  }
  assert.throws(
    () => (rng.random as (n: number, d: string) => unknown)(2, "float16"),
    RangeError,
  );
});

// A 4 × 5 ratings matrix given to scipy out of order with a duplicate (2, 1)
// (2 + 3), an explicit zero (0, 0) and a negative (3, 2); its CSR → COO
// entries in row-major order:
const ENTRIES: [number, number, number][] = [
  [0, 0, 0],
  [0, 2, 5],
  [0, 4, 3],
  [1, 0, 3],
  [1, 1, 4],
  [1, 2, 1],
  [2, 0, 3],
  [2, 1, 5],
  [2, 3, 4],
  [3, 2, -1],
];
const VALUES = ENTRIES.map((e) => e[2]);
const pairs = (idx: Int32Array) =>
  Array.from(idx, (k) => [ENTRIES[k][0], ENTRIES[k][1]]);

Deno.test("implicitDefaultRngSplit matches implicit's train_test_split on a CSR input (numpy + scipy reference)", () => {
  // seed 3, 0.5: draws .086 .237 .801 .582 .094 .433 .479 .160 .735 .114
  let s = implicitDefaultRngSplit(ENTRIES.length, 0.5, 3, VALUES);
  assert.deepEqual(pairs(s.train), [[0, 0], [0, 2], [1, 1], [1, 2], [2, 0], [
    2,
    1,
  ], [3, 2]]);
  assert.deepEqual(pairs(s.test), [[0, 4], [1, 0], [2, 3]]);
  // seed 11, 0.6: draws .129 .499 .601 .029 .148 .928 .070 .130 .948 .622; the
  // negative (3, 2) draws test and is dropped from test, so it is in neither.
  s = implicitDefaultRngSplit(ENTRIES.length, 0.6, 11, VALUES);
  assert.deepEqual(pairs(s.train), [[0, 0], [0, 2], [1, 0], [1, 1], [2, 0], [
    2,
    1,
  ]]);
  assert.deepEqual(pairs(s.test), [[0, 4], [1, 2], [2, 3]]);
  // Without values, nothing is filtered: position 9 is in test.
  s = implicitDefaultRngSplit(ENTRIES.length, 0.6, 11);
  assert.deepEqual(Array.from(s.test), [2, 5, 8, 9]);
  // seed 42, 0.8: draws .774 .439 .859 .697 .094 .976 .761 .786 .128 .450
  s = implicitDefaultRngSplit(ENTRIES.length, 0.8, 42, VALUES);
  assert.deepEqual(pairs(s.train), [
    [0, 0],
    [0, 2],
    [1, 0],
    [1, 1],
    [2, 0],
    [2, 1],
    [2, 3],
    [3, 2],
  ]);
  assert.deepEqual(pairs(s.test), [[0, 4], [1, 2]]);
});

Deno.test("implicitDefaultRngSplit reproduces a 14814-entry scipy/numpy split (counts, position sums, heads)", () => {
  // 300 × 500 matrix with 14814 positive entries, train_test_split(m, 0.8, random_state=1).
  const s = implicitDefaultRngSplit(14814, 0.8, 1);
  assert.equal(s.train.length, 11834);
  assert.equal(s.test.length, 2980);
  assert.equal(s.train.reduce((a, b) => a + b, 0), 87744525);
  assert.equal(s.test.reduce((a, b) => a + b, 0), 21975366);
  assert.deepEqual(Array.from(s.train.subarray(0, 5)), [0, 2, 4, 5, 7]);
  assert.deepEqual(Array.from(s.test.subarray(0, 5)), [1, 3, 6, 23, 24]);
});

Deno.test("implicitDefaultRngSplit rejects bad nnz, trainPercentage and value lengths", () => {
  assert.throws(() => implicitDefaultRngSplit(-1, 0.8, 1), RangeError);
  assert.throws(() => implicitDefaultRngSplit(10, 1.5, 1), RangeError);
  assert.throws(() => implicitDefaultRngSplit(10, NaN, 1), RangeError);
  assert.throws(() => implicitDefaultRngSplit(3, 0.8, 1, [1, 2]), RangeError);
  const all = implicitDefaultRngSplit(5, 1, 1);
  assert.deepEqual([all.train.length, all.test.length], [5, 0]);
});
