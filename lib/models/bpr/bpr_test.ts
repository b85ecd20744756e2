import assert from "node:assert/strict";
import { loadMovieLens } from "../../data/load.ts";
import { movieLensTestDir } from "../../data/test_data_dir.ts";
import { defaultRng, implicitDefaultRngSplit } from "../../default_rng.ts";
import { isUserError } from "../../errors.ts";
import { rankingMetricsAtK } from "../../metrics.ts";
import { exportFactorModel } from "../../onnx/export.ts";
import { FactorModelSession } from "../../onnx/infer.ts";
import { RandomState } from "../../rng.ts";
import { type Csr, csrFromCoo } from "../../sparse.ts";
import {
  compileWat,
  renderWasmModule,
  WASM_SOURCES,
} from "../../wasm/build.ts";
import { recommend } from "../factor_model.ts";
import { BPR_SIMD_WASM } from "./bpr_simd_wasm.ts";
import {
  BPR_DEFAULTS,
  type BprConfig,
  bprFactorModel,
  bprInitialFactors,
  bprStep,
  EntrySampler,
  fitBpr,
  validateBprConfig,
} from "./bpr.ts";

/** A CSR of ones from (user, item) pairs. */
function likes(pairs: [number, number][], nUsers: number, nItems: number): Csr {
  return csrFromCoo(
    Int32Array.from(pairs, (p) => p[0]),
    Int32Array.from(pairs, (p) => p[1]),
    pairs.map(() => 1),
    nUsers,
    nItems,
  );
}

const f32 = (a: number[]) => Float32Array.from(a);

Deno.test("bprStep: one update on a hand-computed 2-user example equals the BPR formula", () => {
  // k = 2 latent factors, column 2 is the user's 1 / the item's bias.
  const x = f32([0.1, -0.2, 1, 0.3, 0.05, 1]);
  const y = f32([0.2, 0.1, 0.05, -0.1, 0.3, -0.02, 0.4, 0.4, 0.4]);
  const x0 = Array.from(x), y0 = Array.from(y);
  const lr = Math.fround(0.1), reg = Math.fround(0.05);
  // User 1 (offset 3), liked item 0 (offset 0), negative item 1 (offset 3).
  const z = bprStep(x, 3, y, 0, 3, 2, lr, reg);
  const u = x0.slice(3, 6), i = y0.slice(0, 3), j = y0.slice(3, 6);
  const s = u[0] * (i[0] - j[0]) + u[1] * (i[1] - j[1]) + 1 * (i[2] - j[2]);
  const zWant = 1 / (1 + Math.exp(s));
  assert.ok(Math.abs(z - zWant) < 1e-7, `z ${z} vs ${zWant}`);
  const close = (got: number, want: number, what: string) =>
    assert.ok(Math.abs(got - want) < 1e-7, `${what}: ${got} vs ${want}`);
  for (let c = 0; c < 2; c++) {
    close(x[3 + c], u[c] + lr * (zWant * (i[c] - j[c]) - reg * u[c]), `x1${c}`);
    close(y[c], i[c] + lr * (zWant * u[c] - reg * i[c]), `y0${c}`);
    close(y[3 + c], j[c] + lr * (-zWant * u[c] - reg * j[c]), `y1${c}`);
  }
  close(y[2], i[2] + lr * (zWant - reg * i[2]), "bias of item 0");
  close(y[5], j[2] + lr * (-zWant - reg * j[2]), "bias of item 1");
  assert.equal(x[5], 1, "the user's constant column is not updated");
  assert.deepEqual(
    Array.from(x.slice(0, 3)),
    x0.slice(0, 3),
    "user 0 untouched",
  );
  assert.deepEqual(Array.from(y.slice(6)), y0.slice(6), "item 2 untouched");
  // The update moved the liked item's score above the negative's.
  const score = (o: number) => x[3] * y[o] + x[4] * y[o + 1] + x[5] * y[o + 2];
  assert.ok(score(0) - score(3) > s);
});

Deno.test("bprStep: arithmetic is float32 operation by operation", () => {
  // With float64 arithmetic this update would differ in the last bits:
  // recompute every intermediate with Math.fround and require equal bits.
  const f = Math.fround;
  const x = f32([0.123456, 1]), y = f32([0.654321, 0.1, -0.333333, 0.2]);
  const [u, c1] = [x[0], x[1]], [i0, ib, j0, jb] = Array.from(y);
  const s = f(f(0 + f(u * f(i0 - j0))) + f(c1 * f(ib - jb)));
  const z = f(1 / (1 + Math.exp(s)));
  const lr = f(0.01), reg = f(0.01);
  const got = bprStep(x, 0, y, 0, 2, 1, lr, reg);
  assert.equal(got, z);
  assert.equal(x[0], f(u + f(lr * f(f(z * f(i0 - j0)) - f(reg * u)))));
  assert.equal(y[0], f(i0 + f(lr * f(f(z * u) - f(reg * i0)))));
  assert.equal(y[2], f(j0 + f(lr * f(f(-z * u) - f(reg * j0)))));
});

Deno.test("fitBpr: one iteration equals the initial draw, the sampler's pairs and bprStep replayed", () => {
  // 2 users: user 0 likes items 0 and 2, user 1 likes item 1; item 3 unrated.
  const m = likes([[0, 0], [0, 2], [1, 1]], 2, 4);
  for (const verify of [true, false]) {
    const config = {
      ...BPR_DEFAULTS,
      factors: 3,
      learningRate: 0.5,
      iterations: 2,
      verifyNegativeSamples: verify,
      seed: 7,
    };
    const model = fitBpr(m, config);
    const rng = defaultRng(7);
    const { users: x, items: y } = bprInitialFactors(m, 3, rng);
    const sampler = new EntrySampler(rng.bitGenerator, 3);
    const rowOf = [0, 0, 1], liked = [new Set([0, 2]), new Set([1])];
    let skipped = 0, correct = 0;
    for (let s = 0; s < 2 * 3; s++) {
      const e = sampler.next(), n = sampler.next();
      const u = rowOf[e], i = m.indices[e], j = m.indices[n];
      if (verify && liked[u].has(j)) {
        skipped++;
        continue;
      }
      if (bprStep(x, u * 4, y, i * 4, j * 4, 3, 0.5, Math.fround(0.01)) < 0.5) {
        correct++;
      }
    }
    assert.deepEqual(model.userFactors, x);
    assert.deepEqual(model.itemFactors, y);
    const h = model.history;
    assert.equal(h.length, 2);
    assert.equal(h[0].skipped + h[1].skipped, skipped);
    assert.equal(h[0].correct + h[1].correct, correct);
    if (!verify) assert.equal(skipped, 0);
    assert.deepEqual(Array.from(model.itemFactors.slice(12)), [0, 0, 0, 0]);
  }
});

Deno.test("fitBpr: the wasm and js kernels give the same bytes (f32x4 quads, scalar tail, i = j aliasing)", () => {
  const { train } = plantedLikes(30, 9, 3, 2);
  for (const factors of [1, 6, 8]) {
    for (const verifyNegativeSamples of [true, false]) {
      const config: BprConfig = {
        ...BPR_DEFAULTS,
        factors,
        learningRate: 0.2,
        iterations: 8,
        verifyNegativeSamples,
        seed: factors,
      };
      const js = fitBpr(train, { ...config, kernel: "js" });
      const wasm = fitBpr(train, { ...config, kernel: "wasm" });
      const what = `factors ${factors}, verify ${verifyNegativeSamples}`;
      assert.deepEqual(wasm.userFactors, js.userFactors, what);
      assert.deepEqual(wasm.itemFactors, js.itemFactors, what);
      assert.deepEqual(
        wasm.history.map((h) => [h.correct, h.skipped]),
        js.history.map((h) => [h.correct, h.skipped]),
      );
    }
  }
});

Deno.test("BPR_SIMD_WASM: is what wat2wasm makes of bpr_simd.wat", async () => {
  const wasm = await compileWat(WASM_SOURCES.bpr);
  const text = renderWasmModule(WASM_SOURCES.bpr, wasm);
  const generated = await Deno.readTextFile(
    new URL("./bpr_simd_wasm.ts", import.meta.url),
  );
  const payload = (t: string) => t.replace(/[^"]*"([^"]*)"[^"]*/g, "$1");
  assert.equal(payload(generated), payload(text));
  assert.equal(atob(BPR_SIMD_WASM).length, wasm.length);
});

Deno.test("bprInitialFactors: (float32 uniform − 0.5) / k, items then users, empty rows 0, users' last column 1", () => {
  const m = likes([[0, 1], [2, 1], [2, 2]], 3, 4); // user 1, items 0 and 3 empty
  const k = 5, k1 = 6;
  const { users, items } = bprInitialFactors(m, k, defaultRng(3));
  const r = defaultRng(3).random((4 + 3) * k1, "float32");
  const want = (t: number) => Math.fround((r[t] - 0.5) / k);
  for (let i = 0; i < 4; i++) {
    for (let c = 0; c < k1; c++) {
      const v = i === 0 || i === 3 ? 0 : want(i * k1 + c);
      assert.equal(items[i * k1 + c], v, `item ${i} column ${c}`);
    }
  }
  for (let u = 0; u < 3; u++) {
    for (let c = 0; c < k1; c++) {
      const v = c === k ? 1 : u === 1 ? 0 : want((4 + u) * k1 + c);
      assert.equal(users[u * k1 + c], v, `user ${u} column ${c}`);
    }
  }
  assert.ok(items.some((v) => v !== 0) && Math.max(...items) < 0.5 / k);
});

Deno.test("bprInitialFactors: bit for bit numpy 2.4's default_rng(42) draws as implicit 0.7's fit makes them", () => {
  // Produced with numpy 2.4.6: rs = np.random.default_rng(42); k = 4;
  // items = rs.random((3, k + 1), dtype=np.float32) - .5; items /= k;
  // users = rs.random((2, k + 1), dtype=np.float32) - .5; users /= k;
  // printed as float32 bit patterns.
  const items = [
    0xbdd24db4,
    0x3d8c43f6,
    0x3d1e47fc,
    0xbc7a5aa0,
    0xbc892f50,
    0x3db79a24,
    0xbdd3fef0,
    0x3d4a1ad8,
    0xbd98d8fe,
    0xbdcfc7fe,
    0x3bd8ea60,
    0x3df384c4,
    0x3d716910,
    0x3d85b41a,
    0x3d5eb25c,
  ];
  const users = [
    0x3d927704,
    0x3b58b440,
    0xbdbe67e4,
    0x3dadf37a,
    0xbc4b3820,
    0x38b88000,
    0xbd044d88,
    0xbda288dc,
    0x3dda80f0,
    0x3d90299c,
  ];
  // implicit then zeroes item 1 (no likes) and sets the users' last column to 1.
  items.fill(0, 5, 10);
  users[4] = users[9] = 0x3f800000;
  const m = likes([[0, 0], [0, 2], [1, 2]], 2, 3);
  const got = bprInitialFactors(m, 4, defaultRng(42));
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer));
  assert.deepEqual(bits(got.items), items);
  assert.deepEqual(bits(got.users), users);
});

Deno.test("fitBpr: both kernels equal an independent numpy float32 transcription of implicit's update, bit for bit", () => {
  // Reference made with numpy 2.4.6 (not a project dependency): implicit
  // 0.7's fit and bpr_update written out with np.float32 scalars, one thread,
  // each sample's two entries drawn as rng.integers(0, nnz) from the
  // default_rng(11) that drew the start (the stream EntrySampler reproduces);
  // 4 users (user 3 without likes) × 5 items (item 4 unrated), k = 3,
  // learning rate 0.3, regularization 0.05, 3 iterations; float32 bits.
  const m = likes(
    [[0, 0], [0, 1], [0, 3], [1, 1], [1, 2], [2, 0], [2, 3]],
    4,
    5,
  );
  const want = {
    true: {
      stats: [[2, 5], [2, 3], [0, 5]],
      users: [
        0x3dfb730b,
        0xbd32de3b,
        0xbdf1d768,
        0x3f800000,
        0xbc924ca2,
        0x3e0211af,
        0x3e22bf8c,
        0x3f800000,
        0x3d9208df,
        0xbe5d02f7,
        0xbd15452b,
        0x3f800000,
        0x0,
        0x0,
        0x0,
        0x3f800000,
      ],
      items: [
        0xbd8c3c1e,
        0xbe424292,
        0x3d34df11,
        0x3e861b11,
        0xbc74c1a2,
        0x3de1cd02,
        0x3de87c01,
        0xbec19ee8,
        0xbcffd5d0,
        0xbd3511f9,
        0x3c2f81ae,
        0xbbfe5180,
        0x3d232d8c,
        0xbe55912d,
        0xbceb4576,
        0xbb8c15c0,
        0x0,
        0x0,
        0x0,
        0x0,
      ],
    },
    false: {
      stats: [[3, 0], [5, 0], [3, 0]],
      users: [
        0x3ddb840a,
        0xbdf48fda,
        0xbe03b038,
        0x3f800000,
        0xbd2a17e2,
        0x3dfb4b6a,
        0x3e2e2b67,
        0x3f800000,
        0x3deba503,
        0xbe4a2e30,
        0xbd9011fc,
        0x3f800000,
        0x0,
        0x0,
        0x0,
        0x3f800000,
      ],
      items: [
        0xbd731791,
        0xbe14a556,
        0x3cc9c6cc,
        0x3e246887,
        0xbd78e28d,
        0x3deb1bac,
        0x3e148cb5,
        0xbf3341bb,
        0xbd14842e,
        0xbd4b568a,
        0x3cd57d6c,
        0x3de54ee4,
        0x3dac17b8,
        0xbe5e8861,
        0xbd8df452,
        0x3ea5fc62,
        0x0,
        0x0,
        0x0,
        0x0,
      ],
    },
  };
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer));
  for (const verify of [true, false]) {
    for (const kernel of ["wasm", "js"] as const) {
      const model = fitBpr(m, {
        factors: 3,
        learningRate: 0.3,
        regularization: 0.05,
        iterations: 3,
        verifyNegativeSamples: verify,
        seed: 11,
        kernel,
      });
      const w = want[`${verify}`];
      assert.deepEqual(
        model.history.map((h) => [h.correct, h.skipped]),
        w.stats,
      );
      assert.deepEqual(bits(model.userFactors), w.users, `users, ${kernel}`);
      assert.deepEqual(bits(model.itemFactors), w.items, `items, ${kernel}`);
    }
  }
});

Deno.test("fitBpr: the same seed gives the same bytes, another seed other bytes", () => {
  const m = plantedLikes(40, 30, 4, 11).train;
  const config = { ...BPR_DEFAULTS, factors: 6, iterations: 5, seed: 1 };
  const a = fitBpr(m, config), b = fitBpr(m, config);
  const c = fitBpr(m, { ...config, seed: 2 });
  const bytes = (x: Float32Array) => new Uint8Array(x.buffer);
  assert.deepEqual(bytes(a.userFactors), bytes(b.userFactors));
  assert.deepEqual(bytes(a.itemFactors), bytes(b.itemFactors));
  assert.deepEqual(
    a.history.map((h) => h.correct),
    b.history.map((h) => h.correct),
  );
  assert.notDeepEqual(bytes(a.itemFactors), bytes(c.itemFactors));
  assert.notDeepEqual(bytes(a.userFactors), bytes(c.userFactors));
});

Deno.test("EntrySampler: draws what numpy's default_rng(7).integers(0, n) draws", () => {
  // numpy 2.4.6: [int(r.integers(0, 1000)) for _ in range(12)], and after
  // r.random(3, dtype=np.float32) (which leaves a buffered 32-bit half),
  // list(r.integers(0, 100003, size=6)).
  let s = new EntrySampler(defaultRng(7).bitGenerator, 1000);
  assert.deepEqual(
    Array.from({ length: 12 }, () => s.next()),
    [944, 625, 684, 897, 578, 775, 833, 225, 55, 300, 285, 873],
  );
  const r = defaultRng(7);
  r.random(3, "float32");
  s = new EntrySampler(r.bitGenerator, 100003);
  assert.deepEqual(
    Array.from({ length: 6 }, () => s.next()),
    [89724, 57830, 77570, 83367, 22521, 5553],
  );
  assert.throws(
    () => new EntrySampler(r.bitGenerator, 0),
    /n 0 must be an integer/,
  );
});

Deno.test("EntrySampler: uniform over [0, n), and negatives drawn through entries follow item popularity", () => {
  const n = 7, draws = 70_000;
  const s = new EntrySampler(defaultRng(5).bitGenerator, n);
  const counts = new Array(n).fill(0);
  for (let t = 0; t < draws; t++) {
    const v = s.next();
    assert.ok(Number.isInteger(v) && v >= 0 && v < n);
    counts[v]++;
  }
  const sd = Math.sqrt(draws * (1 / n) * (1 - 1 / n));
  for (const c of counts) {
    assert.ok(Math.abs(c - draws / n) < 5 * sd, `${counts}`);
  }

  // Items with 1, 2, 5 and 12 likes: an entry's item is item i with
  // probability count_i / nnz.
  const pop = [1, 2, 5, 12];
  const pairs: [number, number][] = [];
  pop.forEach((c, i) => {
    for (let u = 0; u < c; u++) pairs.push([u, i]);
  });
  const m = likes(pairs, 12, 4);
  const nnz = m.indptr[12];
  const es = new EntrySampler(defaultRng(6).bitGenerator, nnz);
  const byItem = [0, 0, 0, 0];
  const N = 100_000;
  for (let t = 0; t < N; t++) byItem[m.indices[es.next()]]++;
  pop.forEach((c, i) => {
    const p = c / nnz, sdi = Math.sqrt(N * p * (1 - p));
    assert.ok(Math.abs(byItem[i] - N * p) < 5 * sdi, `item ${i}: ${byItem}`);
  });
});

Deno.test("fitBpr: verifyNegativeSamples skips exactly the pairs whose negative the user has, at the expected rate", () => {
  const m = plantedLikes(60, 25, 3, 4).train;
  const nnz = m.indptr[m.nRows];
  // P(skip) = Σ_e (1/nnz) · (Σ_{i ∈ items(user(e))} count_i) / nnz.
  const count = new Float64Array(m.nCols);
  for (let e = 0; e < nnz; e++) count[m.indices[e]]++;
  let p = 0;
  for (let u = 0; u < m.nRows; u++) {
    let mass = 0;
    for (let e = m.indptr[u]; e < m.indptr[u + 1]; e++) {
      mass += count[m.indices[e]];
    }
    p += (m.indptr[u + 1] - m.indptr[u]) * mass;
  }
  p /= nnz * nnz;
  const iterations = 40;
  const config = { ...BPR_DEFAULTS, factors: 4, iterations, seed: 3 };
  const on = fitBpr(m, config);
  const skipped = on.history.reduce((a, h) => a + h.skipped, 0);
  const N = iterations * nnz, sd = Math.sqrt(N * p * (1 - p));
  assert.ok(Math.abs(skipped - N * p) < 5 * sd, `${skipped} vs ${N * p}`);
  assert.ok(on.history.every((h) => h.skippedFraction === h.skipped / nnz));
  const off = fitBpr(m, { ...config, verifyNegativeSamples: false });
  assert.ok(off.history.every((h) => h.skipped === 0));
});

/**
 * Users in `groups` clusters; a user likes each item of their cluster's block
 * with probability 0.6 and any other item with probability 0.02. One liked
 * in-block item per user (when they have two or more) goes to `test`.
 */
function plantedLikes(
  nUsers: number,
  nItems: number,
  groups: number,
  seed: number,
): {
  train: Csr;
  test: Csr;
  group: (u: number) => number;
  block: (i: number) => number;
} {
  const rs = new RandomState(seed);
  const group = (u: number) => u % groups;
  const block = (i: number) => Math.floor((i * groups) / nItems);
  const train: [number, number][] = [], test: [number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const row: number[] = [];
    for (let i = 0; i < nItems; i++) {
      const p = block(i) === group(u) ? 0.6 : 0.02;
      if (rs.randomSample() < p) row.push(i);
    }
    const inBlock = row.filter((i) => block(i) === group(u));
    const held = inBlock.length >= 2 ? inBlock[inBlock.length - 1] : -1;
    for (const i of row) (i === held ? test : train).push([u, i]);
  }
  return {
    train: likes(train, nUsers, nItems),
    test: likes(test, nUsers, nItems),
    group,
    block,
  };
}

/** Mean over users with test items of the AUC of test items against items in neither side. */
function heldOutAuc(
  scoreOf: (u: number, i: number) => number,
  train: Csr,
  test: Csr,
): number {
  let sum = 0, users = 0;
  for (let u = 0; u < test.nRows; u++) {
    const t = new Set(
      test.indices.subarray(test.indptr[u], test.indptr[u + 1]),
    );
    if (t.size === 0) continue;
    const r = new Set(
      train.indices.subarray(train.indptr[u], train.indptr[u + 1]),
    );
    const neg: number[] = [];
    for (let i = 0; i < test.nCols; i++) {
      if (!t.has(i) && !r.has(i)) neg.push(scoreOf(u, i));
    }
    let wins = 0;
    for (const i of t) {
      const s = scoreOf(u, i);
      for (const n of neg) wins += s > n ? 1 : s === n ? 0.5 : 0;
    }
    sum += wins / (t.size * neg.length);
    users++;
  }
  return sum / users;
}

Deno.test("fitBpr: on planted clusters the training AUC rises well above 0.5 and held-out items beat random", () => {
  const { train, test } = plantedLikes(200, 80, 4, 21);
  const model = fitBpr(train, {
    ...BPR_DEFAULTS,
    factors: 8,
    learningRate: 0.05,
    iterations: 40,
    seed: 0,
  });
  const h = model.history;
  assert.ok(h[0].trainAuc < 0.7, `first iteration ${h[0].trainAuc}`);
  assert.ok(h.at(-1)!.trainAuc > 0.85, `last iteration ${h.at(-1)!.trainAuc}`);
  const k1 = model.factors;
  const score = (u: number, i: number) => {
    let s = 0;
    for (let c = 0; c < k1; c++) {
      s += model.userFactors[u * k1 + c] * model.itemFactors[i * k1 + c];
    }
    return s;
  };
  // Measured 0.80: the held-out item is a popular in-block item the user
  // "did not like" in train, so popularity-proportional negatives push it
  // down as training goes on (0.73 after 100 iterations); random is 0.5.
  const auc = heldOutAuc(score, train, test);
  assert.ok(auc > 0.7, `held-out AUC ${auc}`);
});

Deno.test("bprFactorModel: the exported ONNX graph ranks like factor_model.ts (ids equal, scores within 1e-6)", async () => {
  const { train } = plantedLikes(30, 40, 3, 8);
  const model = fitBpr(train, {
    ...BPR_DEFAULTS,
    factors: 6,
    learningRate: 0.05,
    iterations: 10,
    seed: 4,
  });
  const fm = bprFactorModel(model);
  assert.equal(fm.factors, 7);
  const session = await FactorModelSession.load(
    exportFactorModel(fm, { seen: train }),
    "bpr test model",
  );
  try {
    const k = 8;
    const users = Int32Array.from({ length: 30 }, (_, u) => u);
    const onnx = await session.recommend(users, k);
    for (const u of users) {
      const seen = train.indices.subarray(train.indptr[u], train.indptr[u + 1]);
      const ts = recommend(
        fm.userFactors,
        fm.itemFactors,
        fm.factors,
        u,
        k,
        seen,
      );
      assert.deepEqual(
        Array.from(onnx.items.subarray(u * k, u * k + ts.items.length)),
        Array.from(ts.items),
        `user ${u}`,
      );
      for (let r = 0; r < ts.items.length; r++) {
        assert.ok(Math.abs(onnx.scores[u * k + r] - ts.scores[r]) <= 1e-6);
      }
    }
  } finally {
    await session.release();
  }
});

Deno.test("validateBprConfig: one-line RangeErrors naming the field", () => {
  const ok: BprConfig = { ...BPR_DEFAULTS, seed: 0 };
  validateBprConfig(ok);
  const cases: [Partial<Record<keyof BprConfig, unknown>>, RegExp][] = [
    [{ factors: 0 }, /^BPR config: factors must be an integer ≥ 1, got 0$/],
    [{ factors: 2.5 }, /factors/],
    [{ iterations: -1 }, /^BPR config: iterations must be an integer ≥ 0/],
    [
      { learningRate: 0 },
      /^BPR config: learningRate must be a finite number > 0/,
    ],
    [{ learningRate: NaN }, /learningRate/],
    [
      { regularization: -0.1 },
      /^BPR config: regularization must be a finite number ≥ 0/,
    ],
    [{ regularization: Infinity }, /regularization/],
    [
      { verifyNegativeSamples: "yes" },
      /^BPR config: verifyNegativeSamples must be true or false/,
    ],
    [{ seed: -1 }, /^BPR config: seed must be an integer/],
    [{ seed: 1.5 }, /seed/],
    [{ kernel: "gpu" }, /^BPR config: kernel must be "wasm" or "js", got gpu$/],
  ];
  const m = likes([[0, 0]], 1, 1);
  for (const [patch, re] of cases) {
    const bad = { ...ok, ...patch } as BprConfig;
    for (const call of [() => validateBprConfig(bad), () => fitBpr(m, bad)]) {
      assert.throws(call, (e: Error) => {
        assert.ok(e instanceof RangeError);
        assert.match(e.message, re);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
    }
  }
});

Deno.test("fitBpr: malformed matrices and diverging factors are RangeErrors, the latter user-facing with advice", () => {
  const unsorted: Csr = {
    nRows: 1,
    nCols: 3,
    indptr: Int32Array.of(0, 2),
    indices: Int32Array.of(2, 0),
    data: f32([1, 1]),
  };
  const config = { ...BPR_DEFAULTS, factors: 2, iterations: 1, seed: 0 };
  assert.throws(
    () => fitBpr(unsorted, config),
    /userItems row 0 is not sorted/,
  );
  assert.throws(
    () => fitBpr({ ...unsorted, indices: Int32Array.of(0, 3) }, config),
    /indices\[1\] = 3 is not a column of 3/,
  );
  const m = plantedLikes(20, 10, 2, 1).train;
  const diverging: [number, RegExp][] = [
    [50, /learningRate 50 is too high for these data: decrease it/],
    [1e5, /learningRate × regularization = 1000 makes the L2 decay overshoot/],
  ];
  for (const [learningRate, advice] of diverging) {
    assert.throws(
      () => fitBpr(m, { ...config, iterations: 50, learningRate }),
      (e: Error) => {
        assert.ok(e instanceof RangeError && isUserError(e));
        assert.match(
          e.message,
          /^fitBpr: non-finite (user|item) factors \(row \d+\) after iteration \d+; /,
        );
        assert.match(e.message, advice);
        return true;
      },
    );
  }
});

Deno.test("fitBpr: an empty matrix and zero iterations give the initial tables, NaN rates", () => {
  const empty = likes([], 2, 3);
  const model = fitBpr(empty, {
    ...BPR_DEFAULTS,
    factors: 2,
    iterations: 2,
    seed: 0,
  });
  assert.deepEqual(Array.from(model.userFactors), [0, 0, 1, 0, 0, 1]);
  assert.ok(model.itemFactors.every((v) => v === 0));
  assert.ok(Number.isNaN(model.history[0].trainAuc));
  const m = likes([[0, 1]], 2, 3);
  const none = fitBpr(m, {
    ...BPR_DEFAULTS,
    factors: 2,
    iterations: 0,
    seed: 5,
  });
  assert.deepEqual(
    none.itemFactors,
    bprInitialFactors(m, 2, defaultRng(5)).items,
  );
  assert.equal(none.history.length, 0);
});

const DATA_DIR = movieLensTestDir();

Deno.test({
  name:
    "real data: fitBpr on ML-100K ranks held-out items far better than random",
  ignore: DATA_DIR === null,
}, async () => {
  const { data } = await loadMovieLens("ml-100k", {
    dataDir: DATA_DIR!,
    download: false,
    items: false,
  });
  const all = csrFromCoo(
    data.users,
    data.items,
    data.ratings,
    data.nUsers,
    data.nItems,
  );
  const split = implicitDefaultRngSplit(
    all.indptr[all.nRows],
    0.8,
    0,
    all.data,
  );
  const rowOf = new Int32Array(all.indptr[all.nRows]);
  for (let u = 0; u < all.nRows; u++) {
    rowOf.fill(u, all.indptr[u], all.indptr[u + 1]);
  }
  const part = (entries: Int32Array) =>
    csrFromCoo(
      Int32Array.from(entries, (e) => rowOf[e]),
      Int32Array.from(entries, (e) => all.indices[e]),
      Array.from(entries, () => 1),
      all.nRows,
      all.nCols,
    );
  const train = part(split.train), test = part(split.test);
  const model = fitBpr(train, {
    ...BPR_DEFAULTS,
    factors: 32,
    learningRate: 0.05,
    iterations: 20,
    seed: 0,
  });
  const fm = bprFactorModel(model);
  const k = 10;
  const lists = new Int32Array(fm.nUsers * k).fill(-1);
  let randomHits = 0, possible = 0;
  for (let u = 0; u < fm.nUsers; u++) {
    const seen = train.indices.subarray(train.indptr[u], train.indptr[u + 1]);
    lists.set(
      recommend(fm.userFactors, fm.itemFactors, fm.factors, u, k, seen).items,
      u * k,
    );
    const t = test.indptr[u + 1] - test.indptr[u];
    if (t === 0) continue;
    // A uniformly random list of k unseen items hits k·t / unseen test items.
    randomHits += (k * t) / (fm.nItems - seen.length);
    possible += Math.min(k, t);
  }
  const metrics = rankingMetricsAtK(lists, test, k, { train });
  const randomPrecision = randomHits / possible;
  assert.ok(
    metrics.precision > 5 * randomPrecision,
    `precision@10 ${metrics.precision} vs random ${randomPrecision}`,
  );
  assert.ok(
    model.history.at(-1)!.trainAuc > 0.8,
    `train AUC ${model.history.at(-1)!.trainAuc}`,
  );
});
