import assert from "node:assert/strict";
import { RandomState } from "../rng.ts";
import { csrFromCoo } from "../sparse.ts";
import { recommend } from "./factor_model.ts";
import { recommendAll } from "./recommend_all.ts";

function randomModel(nUsers: number, nItems: number, f: number, seed: number) {
  const rs = new RandomState(seed);
  // Skewed norms, as trained factors have: popular items large.
  const itemFactors = new Float32Array(nItems * f).map((_, j) =>
    rs.standardNormal() / (1 + Math.floor(j / f) % 17)
  );
  const userFactors = new Float32Array(nUsers * f).map(() =>
    rs.standardNormal()
  );
  const us: number[] = [], is: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      if (rs.randomSample() < 0.1) {
        us.push(u);
        is.push(i);
      }
    }
  }
  const seen = csrFromCoo(
    Int32Array.from(us),
    Int32Array.from(is),
    us.map(() => 1),
    nUsers,
    nItems,
  );
  return { userFactors, itemFactors, seen };
}

Deno.test("recommendAll: the same lists as recommend() per user, seen items excluded", () => {
  const f = 7, k = 5;
  const { userFactors, itemFactors, seen } = randomModel(60, 300, f, 1);
  const all = recommendAll(userFactors, itemFactors, f, seen, k);
  assert.ok(all.scanned > 0 && all.scanned < 1, `scanned ${all.scanned}`);
  for (let u = 0; u < 60; u++) {
    const one = recommend(
      userFactors,
      itemFactors,
      f,
      u,
      k,
      seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1]),
    );
    assert.deepEqual(
      all.items.subarray(u * k, u * k + k),
      one.items,
      `user ${u}`,
    );
    for (let p = 0; p < k; p++) {
      assert.ok(Math.abs(all.scores[u * k + p] - one.scores[p]) <= 1e-6);
    }
  }
});

Deno.test("recommendAll: ties go to the lower item index; short lists pad with -1", () => {
  // Items 0..3 score 1, 1, 2, 1 for the single user; item 2 is seen.
  const seen = csrFromCoo(Int32Array.of(0), Int32Array.of(2), [1], 1, 4);
  const r = recommendAll(
    Float32Array.of(1),
    Float32Array.of(1, 1, 2, 1),
    1,
    seen,
    5,
  );
  assert.deepEqual([...r.items], [0, 1, 3, -1, -1]);
  assert.deepEqual([...r.scores], [1, 1, 1, -Infinity, -Infinity]);
  assert.throws(
    () => recommendAll(Float32Array.of(1), Float32Array.of(1), 1, seen, 1),
    RangeError,
  );
});
