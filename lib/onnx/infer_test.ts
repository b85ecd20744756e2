import assert from "node:assert/strict";
import { join } from "node:path";
import type { FactorModel } from "../models/factor_model.ts";
import { exportFactorModel, writeFactorModel } from "./export.ts";
import {
  FactorModelSession,
  ModelInputError,
  onnxruntimeVersion,
} from "./infer.ts";
import { ModelFileError } from "./metadata.ts";
import {
  compareTopK,
  randomFactorModel,
  randomSeen,
  refCosines,
  refRecommend,
  refScore,
  refTopK,
} from "./_fixtures.ts";

/** Largest |onnx − reference| / max(1, |reference|) accepted for float32 outputs. */
const TOL = 1e-5;

const SIZES = { nUsers: 24, nItems: 70, factors: 8 } as const;
const plain = randomFactorModel(7, SIZES);
const biased = randomFactorModel(11, {
  ...SIZES,
  biases: true,
  outputRange: [0.5, 5.5],
  scale: 0.4, // keeps the sigmoid away from saturation, where ranks would tie
});
const seen = randomSeen(3, SIZES.nUsers, SIZES.nItems, 0.2);

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(1, Math.abs(want));
}

function allPairs(m: FactorModel): { users: Int32Array; items: Int32Array } {
  const n = m.nUsers * m.nItems;
  const users = new Int32Array(n), items = new Int32Array(n);
  for (let u = 0, j = 0; u < m.nUsers; u++) {
    for (let i = 0; i < m.nItems; i++, j++) {
      users[j] = u;
      items[j] = i;
    }
  }
  return { users, items };
}

async function withSession(
  bytes: Uint8Array,
  fn: (s: FactorModelSession) => Promise<void>,
): Promise<void> {
  const s = await FactorModelSession.load(bytes);
  try {
    await fn(s);
  } finally {
    await s.release();
  }
}

async function checkScores(m: FactorModel): Promise<void> {
  await withSession(exportFactorModel(m), async (s) => {
    const { users, items } = allPairs(m);
    const got = await s.score(users, items);
    assert.equal(got.length, users.length);
    let worst = 0;
    for (let j = 0; j < got.length; j++) {
      worst = Math.max(worst, relErr(got[j], refScore(m, users[j], items[j])));
    }
    assert.ok(worst <= TOL, `max relative difference ${worst} > ${TOL}`);
  });
}

Deno.test("FactorModelSession.score matches the float64 dot product within 1e-5 (no biases)", async () => {
  await checkScores(plain);
});

Deno.test("FactorModelSession.score honours user/item/global biases and the sigmoid range within 1e-5", async () => {
  await checkScores(biased);
  // The range is in force: every score lies strictly inside [0.5, 5.5].
  await withSession(exportFactorModel(biased), async (s) => {
    const { users, items } = allPairs(biased);
    for (const v of await s.score(users, items)) assert.ok(v > 0.5 && v < 5.5);
  });
});

async function checkRecommend(m: FactorModel, k: number): Promise<void> {
  await withSession(exportFactorModel(m, { seen }), async (s) => {
    const users = Int32Array.from({ length: m.nUsers }, (_, u) => u);
    const got = await s.recommend(users, k);
    assert.equal(got.items.length, m.nUsers * k);
    let exempt = 0;
    for (let u = 0; u < m.nUsers; u++) {
      const want = refRecommend(m, u, k, seen);
      const n = want.items.length;
      const cmp = compareTopK(
        got.items.subarray(u * k, u * k + n),
        got.scores.subarray(u * k, u * k + n),
        want,
        (i) => refScore(m, u, i),
        TOL,
      );
      if ("error" in cmp) assert.fail(`user ${u}: ${cmp.error}`);
      exempt += cmp.exempt;
      // User 0 has only 3 unseen items: the rest of its row is −∞.
      for (let r = n; r < k; r++) {
        assert.equal(got.scores[u * k + r], -Infinity);
      }
    }
    // Near-ties are rare, so almost every rank was compared item for item.
    assert.ok(exempt <= 0.05 * m.nUsers * k, `${exempt} near-tied ranks`);
  });
}

Deno.test("FactorModelSession.recommend equals the TypeScript top-k with seen items excluded", async () => {
  await checkRecommend(plain, 10);
});

Deno.test("FactorModelSession.recommend ranks by biased, range-squashed scores with seen items excluded", async () => {
  await checkRecommend(biased, 10);
});

Deno.test("FactorModelSession.recommend without a seen matrix may return seen items", async () => {
  await withSession(exportFactorModel(plain), async (s) => {
    const k = 5;
    const got = await s.recommend(Int32Array.of(0, 5), k);
    for (const [b, u] of [0, 5].entries()) {
      assert.deepEqual(
        Array.from(got.items.subarray(b * k, b * k + k)),
        refRecommend(plain, u, k).items,
      );
    }
  });
});

Deno.test("FactorModelSession.recommend gives the same rows in chunks as in one batch, in user order", async () => {
  await withSession(exportFactorModel(biased, { seen }), async (s) => {
    const users = Int32Array.of(23, 0, 5, 1, 5, 17, 2, 23, 9);
    const whole = await s.recommend(users, 4);
    // 2 users × 70 items per run: 5 runs.
    const chunked = await s.recommend(users, 4, 2 * SIZES.nItems);
    assert.deepEqual(chunked.items, whole.items);
    assert.deepEqual(chunked.scores, whole.scores);
    for (const [b, u] of users.entries()) {
      const one = await s.recommend(Int32Array.of(u), 4);
      assert.deepEqual(one.items, whole.items.subarray(b * 4, b * 4 + 4));
    }
  });
});

Deno.test("FactorModelSession.similar equals the TypeScript cosine top-k, the item itself first", async () => {
  await withSession(exportFactorModel(plain, { seen }), async (s) => {
    const k = 8;
    for (const item of [0, 13, 69]) {
      const cos = refCosines(plain, item);
      const got = await s.similar(item, k);
      assert.equal(got.items[0], item);
      assert.ok(Math.abs(got.scores[0] - 1) <= TOL);
      const cmp = compareTopK(
        got.items,
        got.scores,
        refTopK(cos, k),
        (i) => cos[i],
        TOL,
      );
      assert.deepEqual(cmp, { exempt: 0 });
    }
  });
});

Deno.test("FactorModelSession.similar gives similarity 0 for an all-zero item factor", async () => {
  const m = randomFactorModel(5, { nUsers: 2, nItems: 6, factors: 3 });
  const itemFactors = m.itemFactors.slice();
  itemFactors.fill(0, 3 * 3, 4 * 3); // item 3 is all zeros
  await withSession(exportFactorModel({ ...m, itemFactors }), async (s) => {
    const got = await s.similar(3, 6);
    assert.deepEqual(Array.from(got.scores), [0, 0, 0, 0, 0, 0]);
    const other = await s.similar(0, 6);
    const zeroAt = Array.from(other.items).indexOf(3);
    assert.equal(other.scores[zeroAt], 0);
  });
});

Deno.test("FactorModelSession.load reads metadata written by writeFactorModel, non-ASCII titles included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "nested", "model.onnx");
    const itemTitles = Array.from(
      { length: SIZES.nItems },
      (_, i) =>
        i === 0 ? "Amélie (2001)" : i === 1 ? null : `Movie ${i} — 東京`,
    );
    const config = { factors: 8, regularization: 0.01, seed: 42 };
    await writeFactorModel(path, biased, {
      seen,
      description: {
        experiment: "implicit_als",
        config,
        dataChecksum: "sha256:abc123",
        userIds: Int32Array.from({ length: SIZES.nUsers }, (_, u) => 1000 + u),
        itemIds: Int32Array.from({ length: SIZES.nItems }, (_, i) => 7 * i + 1),
        itemTitles,
      },
    });
    const s = await FactorModelSession.load(path);
    try {
      assert.equal(s.source, path);
      assert.equal(s.info.experiment, "implicit_als");
      assert.deepEqual(s.info.config, config);
      assert.equal(s.info.dataChecksum, "sha256:abc123");
      assert.equal(s.info.userIds?.[23], 1023);
      assert.equal(s.info.itemIds?.[69], 7 * 69 + 1);
      assert.deepEqual(s.info.itemTitles, itemTitles);
      assert.equal(s.metadata["cf.experiment"], "implicit_als");
      assert.deepEqual(s.layout, {
        format: "cf-factor-model",
        version: 1,
        nUsers: 24,
        nItems: 70,
        factors: 8,
        biases: true,
        outputRange: [0.5, 5.5],
        masksSeen: true,
      });
    } finally {
      await s.release();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FactorModelSession.load of a corrupt, foreign or missing file names the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const corrupt = join(dir, "corrupt.onnx");
    const good = exportFactorModel(plain);
    await Deno.writeFile(corrupt, good.subarray(0, good.length >> 1));
    await assert.rejects(
      FactorModelSession.load(corrupt),
      (e: Error) =>
        e instanceof ModelFileError && e.message.startsWith(corrupt),
    );
    const text = join(dir, "text.onnx");
    await Deno.writeTextFile(text, "this is not a model\n");
    await assert.rejects(
      FactorModelSession.load(text),
      (e: Error) => e instanceof ModelFileError && e.message.includes(text),
    );
    const missing = join(dir, "missing.onnx");
    await assert.rejects(
      FactorModelSession.load(missing),
      (e: Error) => e instanceof ModelFileError && e.message.includes(missing),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FactorModelSession rejects out-of-range users, items and k before running, naming the value", async () => {
  await withSession(exportFactorModel(plain, { seen }), async (s) => {
    const bad = (p: Promise<unknown>, text: string) =>
      assert.rejects(
        p,
        (e: Error) => e instanceof ModelInputError && e.message.includes(text),
      );
    await bad(s.recommend(Int32Array.of(0, 24), 5), "users[1] = 24");
    await bad(s.recommend(Int32Array.of(-1), 5), "users[0] = -1");
    await bad(s.recommend(Int32Array.of(0), 71), "k = 71");
    await bad(s.recommend(Int32Array.of(0), 0), "k = 0");
    await bad(s.similar(70, 3), "item[0] = 70");
    await bad(s.similar(1, 2.5), "k = 2.5");
    await bad(s.score(Int32Array.of(0), Int32Array.of(70)), "items[0] = 70");
    await bad(
      s.score(Int32Array.of(0, 1), Int32Array.of(0)),
      "2 users but 1 items",
    );
    // k = nItems is allowed.
    assert.equal((await s.similar(1, 70)).items.length, 70);
  });
});

Deno.test("FactorModelSession serialises concurrent calls and returns the same results as sequential ones", async () => {
  await withSession(exportFactorModel(biased, { seen }), async (s) => {
    const users = Int32Array.of(2, 3, 4);
    const seq = [
      await s.recommend(users, 5),
      await s.similar(4, 5),
      await s.score(users, users),
    ];
    const par = await Promise.all([
      s.recommend(users, 5),
      s.similar(4, 5),
      s.score(users, users),
    ]);
    assert.deepEqual(par, seq);
  });
});

Deno.test("onnxruntimeVersion returns the pinned onnxruntime-web version", () => {
  assert.equal(onnxruntimeVersion(), "1.30.0");
});
