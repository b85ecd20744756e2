import assert from "node:assert/strict";
import { fitSvdpp, SVDPP_DEFAULTS } from "./svdpp.ts";
import { buildTrainset } from "./trainset.ts";

// (u0,i0,1) (u1,i1,2) (u1,i2,3) (u0,i2,4): ur[u0] = i0, i2; ur[u1] = i1, i2
const T = buildTrainset(
  Int32Array.from([0, 1, 1, 0]),
  Int32Array.from([0, 1, 2, 2]),
  Float32Array.from([1, 2, 3, 4]),
  2,
  3,
);

Deno.test("SVDPP_DEFAULTS: Surprise 1.1.4's SVDpp() defaults", () => {
  assert.deepEqual(SVDPP_DEFAULTS, {
    nFactors: 20,
    nEpochs: 20,
    lr: 0.007,
    reg: 0.02,
    initMean: 0,
    initStd: 0.1,
    seed: 0,
  });
});

Deno.test("fitSvdpp: zero epochs leaves RandomState(0).normal(0, 0.1) tables p, q, y in that order", () => {
  const m = fitSvdpp(T, { nFactors: 2, nEpochs: 0 });
  // numpy 2.4: rs.normal(0, .1, (2, 2)), then (3, 2) twice
  assert.deepEqual([...m.pu], [
    0.1764052345967664,
    0.040015720836722335,
    0.09787379841057392,
    0.2240893199201458,
  ]);
  assert.equal(m.qi[0], 0.18675579901499675);
  assert.equal(m.yj.length, 6);
  assert.notEqual(m.yj[0], m.qi[0]);
});

Deno.test("fitSvdpp: two epochs equal a Python transcription of Surprise's SGD", () => {
  // Python (numpy 2.4 RandomState(0) init), 2 factors, 2 epochs, lr .007, reg .02
  const m = fitSvdpp(T, { nFactors: 2, nEpochs: 2 });
  assert.deepEqual([...m.bu], [
    -0.00027241604072273697,
    -0.0004912969732965124,
  ]);
  assert.deepEqual([...m.bi], [
    -0.021251622659145486,
    -0.0071566918006061835,
    0.02763569128940783,
  ]);
  assert.deepEqual([...m.pu], [
    0.1721767969741992,
    0.04297711715373438,
    0.09709702360891508,
    0.22436954220712685,
  ]);
  assert.deepEqual([...m.qi], [
    0.1821183171976984,
    -0.10126932242876016,
    0.09368607943234591,
    -0.016974713575816182,
    -0.004672312514446531,
    0.04631896768558267,
  ]);
  assert.deepEqual([...m.yj], [
    0.011476173694480955,
    0.14745579398791325,
    0.07555064853021312,
    0.012447552569425717,
    0.04090730779448106,
    0.035725886179646144,
  ]);
  // estimate(u0, i1): μ + b_u + b_i + q_iᵀ(p_u + (y_0 + y_2)/√2)
  assert.ok(Math.abs(m.estimate(0, 1)! - 2.5092434185339734) < 1e-15);
  assert.equal(m.estimate(-1, 1), 2.5 + m.bi[1]);
  assert.equal(m.estimate(-1, -1), 2.5);
});

Deno.test("fitSvdpp: deterministic per seed, different across seeds", () => {
  const a = fitSvdpp(T, { seed: 2 }), b = fitSvdpp(T, { seed: 2 });
  assert.deepEqual(a.yj, b.yj);
  assert.notDeepEqual(a.yj, fitSvdpp(T, { seed: 3 }).yj);
});
