import assert from "node:assert/strict";
import { buildTrainset, predictRows, type SurpriseModel } from "./trainset.ts";

// Dense ids as the loader gives them; training rows in Surprise's order.
const USERS = Int32Array.from([2, 0, 2, 1]);
const ITEMS = Int32Array.from([1, 1, 0, 0]);
const RATINGS = Float32Array.from([4, 2, 5, 3]);

Deno.test("buildTrainset: inner ids by first appearance, ur/ir in training order", () => {
  const t = buildTrainset(USERS, ITEMS, RATINGS, 4, 3);
  assert.deepEqual([...t.innerUser], [1, 2, 0, -1]);
  assert.deepEqual([...t.innerItem], [1, 0, -1]);
  assert.equal(t.nUsers, 3);
  assert.equal(t.nItems, 2);
  // ur[0] (dense user 2): items (inner 0, 4), (inner 1, 5)
  assert.deepEqual([...t.urStart], [0, 2, 3, 4]);
  assert.deepEqual([...t.urItem], [0, 1, 0, 1]);
  assert.deepEqual([...t.urRating], [4, 5, 2, 3]);
  // ir[0] (dense item 1): users inner 0 then 1
  assert.deepEqual([...t.irStart], [0, 2, 4]);
  assert.deepEqual([...t.irUser], [0, 1, 0, 2]);
  assert.deepEqual([...t.irRating], [4, 2, 5, 3]);
  assert.equal(t.globalMean, 3.5);
});

Deno.test("predictRows: impossible → global mean, then clipped to [1, 5]", () => {
  const t = buildTrainset(USERS, ITEMS, RATINGS, 4, 3);
  const seen: [number, number][] = [];
  const model: SurpriseModel = {
    trainset: t,
    estimate(u, i) {
      seen.push([u, i]);
      return u < 0 ? null : u === 0 ? 7 : -2;
    },
  };
  const p = predictRows(
    model,
    Int32Array.from([2, 3, 1, 0]),
    Int32Array.from([1, 2, 0, 5]),
  );
  assert.deepEqual([...p], [5, 3.5, 1, 1]);
  assert.deepEqual(seen, [[0, 0], [-1, -1], [2, 1], [1, -1]]);
});
