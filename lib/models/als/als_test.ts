import assert from "node:assert/strict";
import { RandomState } from "../../rng.ts";
import { type Csr, csrFromCoo } from "../../sparse.ts";
import { type AlsConfig, AlsThreads, fitAls } from "./als.ts";
import { recommend } from "../factor_model.ts";

const BASE: AlsConfig = {
  factors: 8,
  regularization: 0.1,
  iterations: 8,
  alpha: 2,
  solver: "cg",
  cgSteps: 3,
  seed: 42,
};

/**
 * Low-rank synthetic implicit data: users in `clusters` groups, each group
 * interacting mostly with its own block of items (counts 1–5), plus noise.
 * One in-block item per user is held out as the test item.
 */
function synthetic(seed: number, nUsers = 150, nItems = 120, clusters = 5) {
  const rs = new RandomState(seed);
  const block = nItems / clusters;
  const rows: number[] = [], cols: number[] = [], vals: number[] = [];
  const heldOut = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const c = u % clusters;
    const perm = rs.permutation(block);
    heldOut[u] = c * block + perm[0];
    for (let n = 1; n <= 10; n++) {
      rows.push(u);
      cols.push(c * block + perm[n]);
      vals.push(1 + rs.interval(4));
    }
    for (let n = 0; n < 2; n++) {
      const i = rs.interval(nItems - 1);
      if (i === heldOut[u]) continue;
      rows.push(u);
      cols.push(i);
      vals.push(1);
    }
  }
  const m = csrFromCoo(
    Int32Array.from(rows),
    Int32Array.from(cols),
    vals,
    nUsers,
    nItems,
  );
  return { m, heldOut };
}

function rowItems(m: Csr, u: number): Int32Array {
  return m.indices.subarray(m.indptr[u], m.indptr[u + 1]);
}

Deno.test("fitAls: with 0 iterations returns implicit 0.6's float32 initialisation for the seed", async () => {
  // np.random.RandomState(42): rand(3, 4).astype(float32) * 0.01, then rand(2, 4) likewise.
  const m = csrFromCoo(
    Int32Array.from([0, 1, 2]),
    Int32Array.from([0, 1, 0]),
    [1, 1, 1],
    3,
    2,
  );
  const fit = await fitAls(m, { ...BASE, factors: 4, iterations: 0 });
  assert.deepEqual(Array.from(fit.userFactors), [
    0.003745401045307517,
    0.009507142938673496,
    0.007319938857108355,
    0.0059865848161280155,
    0.0015601863851770759,
    0.0015599451726302505,
    0.0005808360874652863,
    0.008661760948598385,
    0.006011149846017361,
    0.007080725859850645,
    0.0002058449317701161,
    0.009699097834527493,
  ]);
  assert.deepEqual(Array.from(fit.itemFactors), [
    0.008324426598846912,
    0.0021233910229057074,
    0.0018182495841756463,
    0.0018340450478717685,
    0.003042422467842698,
    0.0052475640550255775,
    0.004319450352340937,
    0.0029122913256287575,
  ]);
});

Deno.test("fitAls: reported loss equals the brute-force weighted squared error over all pairs", async () => {
  const m = csrFromCoo(
    Int32Array.from([0, 0, 1, 2, 2, 3, 4, 5, 5]),
    Int32Array.from([0, 3, 1, 2, 4, 0, 3, 1, 4]),
    [5, 1, 3, 2, 4, 1, 2, 5, 3],
    6,
    5,
  );
  const cfg = { ...BASE, factors: 3, iterations: 4, computeLoss: true };
  const fit = await fitAls(m, cfg);
  assert.equal(fit.loss.length, 4);
  const { userFactors: x, itemFactors: y } = fit;
  let num = 0, totalConf = 0, norms = 0;
  for (let u = 0; u < 6; u++) {
    for (let i = 0; i < 5; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += x[u * 3 + j] * y[i * 3 + j];
      let c = 1, p = 0;
      for (let e = m.indptr[u]; e < m.indptr[u + 1]; e++) {
        if (m.indices[e] === i) {
          c = cfg.alpha * m.data[e];
          p = 1;
          totalConf += c;
        }
      }
      num += c * (p - s) ** 2;
    }
  }
  for (const v of x) norms += v * v;
  for (const v of y) norms += v * v;
  const expected = (num + cfg.regularization * norms) /
    (totalConf + 6 * 5 - m.indptr[6]);
  const got = fit.loss[3];
  assert.ok(
    Math.abs(got - expected) < 1e-5 * expected,
    `loss ${got} vs brute force ${expected}`,
  );
});

for (const solver of ["cg", "cholesky"] as const) {
  Deno.test(`fitAls: training loss never increases across iterations (${solver})`, async () => {
    const { m } = synthetic(1);
    const fit = await fitAls(m, {
      ...BASE,
      solver,
      iterations: 12,
      computeLoss: true,
    });
    assert.equal(fit.loss.length, 12);
    for (let it = 1; it < fit.loss.length; it++) {
      assert.ok(
        fit.loss[it] <= fit.loss[it - 1] * (1 + 1e-9),
        `loss rose at iteration ${it}: ${fit.loss[it - 1]} → ${fit.loss[it]}`,
      );
    }
    assert.ok(fit.loss.at(-1)! < 0.8 * fit.loss[0]);
  });
}

Deno.test("fitAls: bit-identical factors for a seed, across runs and thread counts", async () => {
  const { m } = synthetic(2);
  const a = await fitAls(m, BASE);
  const b = await fitAls(m, BASE);
  const c = await fitAls(m, { ...BASE, threads: 2 });
  const d = await fitAls(m, { ...BASE, threads: 3, solver: "cg" });
  for (const other of [b, c, d]) {
    assert.deepEqual(other.userFactors, a.userFactors);
    assert.deepEqual(other.itemFactors, a.itemFactors);
  }
  const e = await fitAls(m, { ...BASE, solver: "cholesky" });
  const f = await fitAls(m, { ...BASE, solver: "cholesky", threads: 2 });
  assert.deepEqual(f.itemFactors, e.itemFactors);
  const other = await fitAls(m, { ...BASE, seed: 43 });
  assert.notDeepEqual(other.userFactors, a.userFactors);
  // k = 7: rows padded to 8 floats in the fit, returned unpadded.
  const p1 = await fitAls(m, { ...BASE, factors: 7 });
  const p3 = await fitAls(m, { ...BASE, factors: 7, threads: 3 });
  assert.equal(p1.userFactors.length, m.nRows * 7);
  assert.deepEqual(p3.userFactors, p1.userFactors);
  assert.deepEqual(p3.itemFactors, p1.itemFactors);
});

Deno.test("fitAls: a reused AlsThreads team gives the factors of a fit without one", async () => {
  const { m } = synthetic(4);
  const alone = await fitAls(m, BASE);
  const cholesky = await fitAls(m, { ...BASE, solver: "cholesky" });
  using team = await AlsThreads.start(2);
  assert.equal(team.threads, 2);
  for (let r = 0; r < 2; r++) {
    const a = await fitAls(m, { ...BASE, team });
    assert.deepEqual(a.userFactors, alone.userFactors);
    assert.deepEqual(a.itemFactors, alone.itemFactors);
    const c = await fitAls(m, { ...BASE, solver: "cholesky", team });
    assert.deepEqual(c.itemFactors, cholesky.itemFactors);
  }
});

Deno.test("fitAls: a team reusing its memory across a larger, a smaller and a larger fit gives the factors of fits without one", async () => {
  const big = synthetic(6).m, smaller = synthetic(7, 40, 60).m;
  const alone = [
    await fitAls(big, BASE),
    await fitAls(smaller, BASE),
    await fitAls(big, { ...BASE, seed: 9 }),
  ];
  using team = await AlsThreads.start(2);
  const withTeam = [
    await fitAls(big, { ...BASE, team }),
    await fitAls(smaller, { ...BASE, team }),
    await fitAls(big, { ...BASE, seed: 9, team }),
  ];
  for (let f = 0; f < 3; f++) {
    assert.deepEqual(withTeam[f].userFactors, alone[f].userFactors);
    assert.deepEqual(withTeam[f].itemFactors, alone[f].itemFactors);
  }
});

Deno.test("AlsThreads: rejects a thread mismatch, a second concurrent fit and use after close", async () => {
  const { m } = synthetic(5);
  const team = await AlsThreads.start(2);
  try {
    await assert.rejects(
      fitAls(m, { ...BASE, threads: 3, team }),
      /threads \(3\) differs from team.threads \(2\)/,
    );
    const first = fitAls(m, { ...BASE, team });
    await assert.rejects(fitAls(m, { ...BASE, team }), /already running/);
    await first;
  } finally {
    team.close();
  }
  await assert.rejects(fitAls(m, { ...BASE, team }), /closed/);
  await assert.rejects(AlsThreads.start(0), /threads must be an integer/);
});

Deno.test("fitAls: recovers held-out items far better than popularity on low-rank data", async () => {
  const { m, heldOut } = synthetic(3);
  const fit = await fitAls(m, { ...BASE, iterations: 15 });
  const pop = new Float64Array(m.nCols);
  for (let e = 0; e < m.indices.length; e++) pop[m.indices[e]] += 1;
  let hitsAls = 0, hitsPop = 0;
  for (let u = 0; u < m.nRows; u++) {
    const seen = rowItems(m, u);
    const rec = recommend(fit.userFactors, fit.itemFactors, 8, u, 10, seen);
    if (rec.items.includes(heldOut[u])) hitsAls++;
    const seenSet = new Set(seen);
    const popTop = Array.from(pop.keys())
      .filter((i) => !seenSet.has(i))
      .sort((a, b) => pop[b] - pop[a] || a - b)
      .slice(0, 10);
    if (popTop.includes(heldOut[u])) hitsPop++;
  }
  const recallAls = hitsAls / m.nRows, recallPop = hitsPop / m.nRows;
  assert.ok(
    recallAls > 0.5 && recallAls > 2 * recallPop,
    `recall@10 ALS ${recallAls} vs popularity ${recallPop}`,
  );
});

Deno.test("fitAls: users and items with no interactions get zero factors", async () => {
  const m = csrFromCoo(
    Int32Array.from([0, 0, 2, 2]),
    Int32Array.from([0, 1, 1, 2]),
    [1, 2, 3, 1],
    3,
    4,
  );
  const fit = await fitAls(m, { ...BASE, factors: 2, iterations: 2 });
  assert.deepEqual(Array.from(fit.userFactors.subarray(2, 4)), [0, 0]);
  assert.deepEqual(Array.from(fit.itemFactors.subarray(6, 8)), [0, 0]);
  assert.ok(fit.userFactors.some((v) => v !== 0));
});

Deno.test("fitAls: rejects a bad config with a message naming the parameter", async () => {
  const { m } = synthetic(4, 10, 10, 2);
  const bad: [Partial<AlsConfig>, RegExp][] = [
    [{ factors: 0 }, /factors must be an integer ≥ 1/],
    [{ factors: 2.5 }, /factors/],
    [{ iterations: -1 }, /iterations must be an integer ≥ 0/],
    [{ regularization: -0.1 }, /regularization must be a finite number ≥ 0/],
    [{ regularization: NaN }, /regularization/],
    [{ alpha: Infinity }, /alpha must be a finite number > 0/],
    [{ alpha: 0 }, /alpha/],
    [{ cgSteps: 0 }, /cgSteps/],
    [{ threads: 0 }, /threads/],
    [{ seed: -1 }, /seed/],
    [{ solver: "lu" as "cg" }, /solver must be "cg" or "cholesky"/],
  ];
  for (const [patch, msg] of bad) {
    await assert.rejects(fitAls(m, { ...BASE, ...patch }), msg);
  }
  const nan = { ...m, data: m.data.slice() };
  nan.data[3] = NaN;
  await assert.rejects(fitAls(nan, BASE), /entry 3 is not finite/);
});
