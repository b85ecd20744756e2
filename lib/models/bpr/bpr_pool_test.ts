import assert from "node:assert/strict";
import { csrFromCoo } from "../../sparse.ts";
import { BPR_DEFAULTS, fitBpr } from "./bpr.ts";
import { fitBprMany } from "./bpr_pool.ts";

/** A small random matrix: 30 users × 20 items, about a third stored. */
function matrix() {
  const users: number[] = [], items: number[] = [];
  let s = 7;
  for (let u = 0; u < 30; u++) {
    for (let i = 0; i < 20; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      if (s % 3 === 0) users.push(u), items.push(i);
    }
  }
  return csrFromCoo(
    Int32Array.from(users),
    Int32Array.from(items),
    users.map(() => 1),
    30,
    20,
  );
}

const CONFIG = { ...BPR_DEFAULTS, factors: 6, iterations: 5 };

Deno.test("fitBprMany gives fitBpr's bytes per seed, in the order given, for 1 and 3 threads", async () => {
  const m = matrix();
  const configs = [3, 1, 4, 1, 5].map((seed) => ({ ...CONFIG, seed }));
  const direct = configs.map((c) => fitBpr(m, c));
  for (const threads of [1, 3]) {
    const done: number[] = [];
    const fits = await fitBprMany(m, configs, threads, (d) => done.push(d));
    assert.deepEqual(done, [1, 2, 3, 4, 5]);
    fits.forEach((f, j) => {
      assert.deepEqual(f.model.userFactors, direct[j].userFactors);
      assert.deepEqual(f.model.itemFactors, direct[j].itemFactors);
      assert.ok(f.seconds >= 0);
    });
  }
  // Seeds 1 and 1 agree; 3 and 4 differ: the order is kept.
  assert.notDeepEqual(direct[0].userFactors, direct[2].userFactors);
});

Deno.test("fitBprMany rejects a bad thread count and passes a fit's error on, user-facing kept", async () => {
  const m = matrix();
  await assert.rejects(
    () => fitBprMany(m, [{ ...CONFIG, seed: 0 }], 0),
    /threads must be an integer ≥ 1/,
  );
  // A learning rate that overflows the factors fails inside the worker.
  const bad = { ...CONFIG, learningRate: 1e30, regularization: 0 };
  await assert.rejects(
    () => fitBprMany(m, [0, 1].map((seed) => ({ ...bad, seed })), 2),
    (e: unknown) =>
      e instanceof RangeError &&
      (e as { userFacing?: boolean }).userFacing === true &&
      /learningRate 1e\+30 is too high/.test(e.message),
  );
});
