import assert from "node:assert/strict";
import { fitSvd } from "./svd.ts";
import { buildTrainset } from "./trainset.ts";

Deno.test("fitSvd: zero epochs leaves numpy's RandomState(0).normal(0, 0.1) rows, users then items", () => {
  const t = buildTrainset(
    Int32Array.from([0, 1, 1, 0]),
    Int32Array.from([0, 1, 2, 2]),
    Float32Array.from([1, 2, 3, 4]),
    2,
    3,
  );
  const m = fitSvd(t, { nFactors: 2, nEpochs: 0 });
  // numpy 2.4: rs = RandomState(0); rs.normal(0, .1, (2, 2)); rs.normal(0, .1, (3, 2))
  assert.deepEqual([...m.pu], [
    0.1764052345967664,
    0.040015720836722335,
    0.09787379841057392,
    0.2240893199201458,
  ]);
  assert.deepEqual([...m.qi], [
    0.18675579901499675,
    -0.0977277879876411,
    0.09500884175255894,
    -0.01513572082976979,
    -0.010321885179355785,
    0.04105985019383723,
  ]);
});

Deno.test("fitSvd: two SGD steps on one rating equal Surprise's update rule", () => {
  const t = buildTrainset(
    Int32Array.from([0]),
    Int32Array.from([0]),
    Float32Array.from([4]),
    1,
    1,
  );
  const m = fitSvd(t, { nFactors: 1, nEpochs: 2 });
  // Python: the update loop of Surprise's SVD.sgd written out with the same
  // initial draws (RandomState(0)), lr 0.005, reg 0.02.
  assert.equal(m.bu[0], -7.022051532772522e-05);
  assert.equal(m.bi[0], -7.022051532772522e-05);
  assert.equal(m.pu[0], 0.1763671457466085);
  assert.equal(m.qi[0], 0.039995331491732684);
  assert.equal(m.estimate(0, 0), 4.006913421427731);
  // unknown user: μ + b_i only; unknown both: μ
  assert.equal(m.estimate(-1, 0), 4 + m.bi[0]);
  assert.equal(m.estimate(-1, -1), 4);
});
