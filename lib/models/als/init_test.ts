import assert from "node:assert/strict";
import { defaultRng } from "../../default_rng.ts";
import { csrFromCoo } from "../../sparse.ts";
import { fitAls } from "./als.ts";
import { implicitInitialFactors } from "./init.ts";

Deno.test("implicitInitialFactors: users then items from one default_rng(seed), × 0.01 in float32", () => {
  // numpy: default_rng(0).random(4, dtype=float32) = [0.8506242, 0.63696164, 0.5111365, 0.26978666]
  const f = implicitInitialFactors(1, 1, 2, 0);
  const s = Math.fround(0.01);
  assert.deepEqual(Array.from(f.users), [
    Math.fround(Math.fround(0.8506242) * s),
    Math.fround(Math.fround(0.63696164) * s),
  ]);
  assert.deepEqual(Array.from(f.items), [
    Math.fround(Math.fround(0.5111365) * s),
    Math.fround(Math.fround(0.26978666) * s),
  ]);
  const big = implicitInitialFactors(3, 5, 4, 42);
  const draws = defaultRng(42).random(32, "float32");
  assert.deepEqual(
    Array.from(big.items),
    Array.from(draws.subarray(12), (v) => Math.fround(v * s)),
  );
  assert.throws(() => implicitInitialFactors(1, 1, 0, 0), /factors 0/);
});

Deno.test("fitAls: initialFactors are the start (0 iterations return them) and are not modified", async () => {
  const m = csrFromCoo(
    Int32Array.of(0, 0, 1, 2),
    Int32Array.of(0, 1, 1, 2),
    [1, 1, 1, 1],
    3,
    3,
  );
  const init = implicitInitialFactors(3, 3, 2, 7);
  const copy = { users: init.users.slice(), items: init.items.slice() };
  const base = {
    factors: 2,
    regularization: 0.01,
    alpha: 1,
    solver: "cg" as const,
    cgSteps: 3,
    seed: 0,
  };
  const zero = await fitAls(m, {
    ...base,
    iterations: 0,
    initialFactors: init,
  });
  assert.deepEqual(zero.userFactors, copy.users);
  assert.deepEqual(zero.itemFactors, copy.items);
  const fitted = await fitAls(m, {
    ...base,
    iterations: 2,
    initialFactors: init,
  });
  assert.deepEqual(init, copy);
  const fromSeed = await fitAls(m, { ...base, iterations: 2 });
  assert.notDeepEqual(fitted.userFactors, fromSeed.userFactors);
  await assert.rejects(
    () =>
      fitAls(m, {
        ...base,
        iterations: 1,
        initialFactors: { users: init.users, items: new Float32Array(5) },
      }),
    /initialFactors\.items must be a Float32Array of 3 × 2 values, got 5/,
  );
});
