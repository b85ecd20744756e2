import assert from "node:assert/strict";
import { fitNmf, NMF_DEFAULTS } from "./nmf.ts";
import { buildTrainset } from "./trainset.ts";

// (u0,i0,1) (u1,i1,2) (u1,i2,3) (u0,i2,4): ur[u0] = i0, i2; ur[u1] = i1, i2
const T = buildTrainset(
  Int32Array.from([0, 1, 1, 0]),
  Int32Array.from([0, 1, 2, 2]),
  Float32Array.from([1, 2, 3, 4]),
  2,
  3,
);

Deno.test("NMF_DEFAULTS: Surprise 1.1.4's NMF() defaults", () => {
  assert.deepEqual(
    [NMF_DEFAULTS.nFactors, NMF_DEFAULTS.nEpochs, NMF_DEFAULTS.biased],
    [15, 50, false],
  );
  assert.deepEqual([NMF_DEFAULTS.regPu, NMF_DEFAULTS.regQi], [0.06, 0.06]);
  assert.deepEqual([NMF_DEFAULTS.initLow, NMF_DEFAULTS.initHigh], [0, 1]);
});

Deno.test("fitNmf: zero epochs leaves numpy's RandomState(0).uniform(0, 1) rows, users then items", () => {
  const m = fitNmf(T, { nFactors: 2, nEpochs: 0 });
  // numpy 2.4: rs = RandomState(0); rs.uniform(0, 1, (2, 2)); rs.uniform(0, 1, (3, 2))
  assert.deepEqual([...m.pu], [
    0.5488135039273248,
    0.7151893663724195,
    0.6027633760716439,
    0.5448831829968969,
  ]);
  assert.deepEqual([...m.qi].slice(0, 2), [
    0.4236547993389047,
    0.6458941130666561,
  ]);
});

Deno.test("fitNmf: one epoch on one rating is the multiplicative update written out", () => {
  const one = buildTrainset(
    Int32Array.from([0]),
    Int32Array.from([0]),
    Float32Array.from([4]),
    1,
    1,
  );
  const m = fitNmf(one, { nFactors: 1, nEpochs: 1 });
  const p = 0.5488135039273248, q = 0.7151893663724195, est = q * p;
  const p1 = p * ((q * 4) / (q * est + 1 * 0.06 * p));
  const q1 = q * ((p * 4) / (p * est + 1 * 0.06 * q));
  assert.equal(m.pu[0], p1);
  assert.equal(m.qi[0], q1);
  assert.equal(m.estimate(0, 0), q1 * p1);
});

Deno.test("fitNmf: three epochs equal a Python transcription of Surprise's loop; unknown ids are impossible", () => {
  // Python with numpy 2.4 (RandomState(0) uniform init, 2 factors, 3 epochs)
  const m = fitNmf(T, { nFactors: 2, nEpochs: 3 });
  assert.deepEqual([...m.pu], [
    2.1589752487636136,
    1.8279192492238099,
    1.6896486902761436,
    1.4331769139524937,
  ]);
  assert.deepEqual([...m.qi], [
    0.5378761339772714,
    0.785090254380455,
    1.197464486070618,
    2.105855465938768,
    3.385690514609816,
    1.5675811544129248,
  ]);
  assert.equal(m.estimate(0, 1), 6.434629928972555);
  assert.equal(m.estimate(-1, 1), null);
  assert.equal(m.estimate(0, -1), null);
  // biased: μ + b_u + b_i for unknown ids instead of impossible
  const b = fitNmf(T, { nFactors: 2, nEpochs: 1, biased: true });
  assert.equal(b.estimate(-1, -1), 2.5);
  assert.equal(b.estimate(-1, 1), 2.5 + b.bi[1]);
  assert.notEqual(b.bi[1], 0);
});

Deno.test("fitNmf: deterministic per seed, different across seeds", () => {
  const a = fitNmf(T, { seed: 3 }), b = fitNmf(T, { seed: 3 });
  assert.deepEqual(a.pu, b.pu);
  assert.notDeepEqual(a.pu, fitNmf(T, { seed: 4 }).pu);
  assert.throws(() => fitNmf(T, { initLow: -1 }), /initLow/);
});
