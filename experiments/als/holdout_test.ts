import assert from "node:assert/strict";
import { join } from "node:path";
import { loadMovieLens, loadRatingsCsv } from "../../lib/data/load.ts";
import {
  scaledShape,
  SYNTHETIC_SHAPES,
  writeSyntheticRatingsCsv,
} from "../../lib/data/synthetic_ratings.ts";
import { movieLensTestDir } from "../../lib/data/test_data_dir.ts";
import { implicitDefaultRngSplit } from "../../lib/default_rng.ts";
import { rankingMetricsAtK } from "../../lib/metrics.ts";
import { AlsThreads } from "../../lib/models/als/als.ts";
import { RandomState } from "../../lib/rng.ts";
import { csrFromCoo } from "../../lib/sparse.ts";
import { alsConfigOf, FLAGS } from "./document.ts";
import {
  csrEntries,
  evaluateLists,
  holdoutMetrics,
  type HoldoutModel,
  holdoutParityMetrics,
  holdoutRuns,
  implicitSplit,
  PARITY_SAMPLE_USERS,
  trainPopularity,
  userValues,
} from "./holdout.ts";
import { intraListDiversity } from "../../lib/beyond_accuracy.ts";
import type { Interactions } from "../../lib/data/interactions.ts";
import type { AlsThreads as Team } from "../../lib/models/als/als.ts";
import { toCsr } from "./ratings.ts";
import { holdoutVersus, modelVersus } from "./versus.ts";
import { BPR_DEFAULTS, fitBpr } from "../../lib/models/bpr/bpr.ts";
import { recommend } from "../../lib/models/factor_model.ts";
import { parseFlags } from "../../lib/cli.ts";

const M = csrFromCoo(
  Int32Array.of(0, 0, 1, 2, 2, 2),
  Int32Array.of(1, 3, 0, 0, 2, 3),
  [5, 4, 3, 2, 1, 4],
  3,
  4,
);

Deno.test("csrEntries keeps the stored entries at the given row-major positions", () => {
  const t = csrEntries(M, Int32Array.of(1, 2, 5));
  assert.deepEqual([...t.indptr], [0, 1, 2, 3]);
  assert.deepEqual([...t.indices], [3, 0, 3]);
  assert.deepEqual([...t.data], [4, 3, 4]);
  assert.equal(t.nCols, 4);
});

Deno.test("csrEntries equals csrFromCoo of the chosen entries on a random matrix, and refuses unordered positions", () => {
  const rs = new RandomState(5);
  const n = 600;
  const m = csrFromCoo(
    Int32Array.from({ length: n }, () => rs.interval(29)),
    Int32Array.from({ length: n }, () => rs.interval(13)),
    Float32Array.from({ length: n }, () => 1 + rs.interval(4)),
    30,
    14,
    "last",
  );
  const nnz = m.indptr[m.nRows];
  const picked: number[] = [];
  for (let p = 0; p < nnz; p++) if (rs.interval(2) === 1) picked.push(p);
  const positions = Int32Array.from(picked);
  const rows = positions.map((p) => {
    let r = 0;
    while (m.indptr[r + 1] <= p) r++;
    return r;
  });
  const expected = csrFromCoo(
    rows,
    positions.map((p) => m.indices[p]),
    positions.map((p) => m.data[p]),
    m.nRows,
    m.nCols,
  );
  assert.deepEqual(csrEntries(m, positions), expected);
  assert.deepEqual(
    csrEntries(m, new Int32Array(0)).indptr,
    new Int32Array(m.nRows + 1),
  );
  assert.throws(() => csrEntries(m, Int32Array.of(3, 3)), RangeError);
  assert.throws(() => csrEntries(m, Int32Array.of(5, 2)), RangeError);
  assert.throws(() => csrEntries(m, Int32Array.of(nnz)), RangeError);
});

Deno.test("userValues: per-user values pool to rankingMetricsAtK's", () => {
  const test = M, train = csrEntries(M, new Int32Array(0));
  const rec = Int32Array.of(1, 0, 2, 0, 3, 1);
  const pooled = rankingMetricsAtK(rec, test, 2, { train });
  const u = userValues(rec, test, 2, train);
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(sum(u.hits) / sum(u.m) - pooled.precision) < 1e-15);
  assert.ok(Math.abs(sum(u.map) / 3 - pooled.map) < 1e-15);
  assert.ok(Math.abs(sum(u.ndcg) / 3 - pooled.ndcg) < 1e-15);
  assert.ok(Math.abs(sum(u.auc) / 3 - pooled.auc) < 1e-15);
});

// 3 users × 4 items. Train: user 0 {0}, user 1 {0, 1}, user 2 {0, 1, 2}
// (training interactions per item 3, 2, 1, 0); test: user 0 {1}, user 1 {3}.
const TRAIN = csrFromCoo(
  Int32Array.of(0, 1, 1, 2, 2, 2),
  Int32Array.of(0, 0, 1, 0, 1, 2),
  [1, 1, 1, 1, 1, 1],
  3,
  4,
);
const TEST = csrFromCoo(Int32Array.of(0, 1), Int32Array.of(1, 3), [1, 1], 3, 4);

Deno.test("trainPopularity: interactions and users per item of the train split, short head holding 80 % of them", () => {
  const { pop, head } = trainPopularity(TRAIN);
  assert.deepEqual([...pop.count], [3, 2, 1, 0]);
  assert.deepEqual([...pop.users], [3, 2, 1, 0]);
  assert.equal(pop.nUsers, 3);
  assert.equal(pop.nSeenItems, 3);
  // 3 + 2 = 5 of 6 interactions ≥ 80 %: items 0 and 1 are the head.
  assert.deepEqual([...head], [1, 1, 0, 0]);
});

Deno.test("evaluateLists: accuracy over test users and beyond-accuracy over every list, by hand on a 3 × 4 split", () => {
  // Lists (k = 2): user 0 [1, 2], user 1 [2, 3], user 2 [3, padding].
  const items = Int32Array.of(1, 2, 2, 3, 3, -1);
  // Item factors: 0 and 1 along x, 2 along y, 3 on the diagonal.
  const space = {
    factors: 2,
    userFactors: new Float32Array(6),
    itemFactors: Float32Array.of(1, 0, 1, 0, 0, 1, 1, 1),
  };
  const { metrics: m, users } = evaluateLists(
    items,
    { train: TRAIN, test: TEST, k: 2, ...trainPopularity(TRAIN) },
    space,
  );
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
  // Both test users hit their one test item: at rank 1 and at rank 2.
  close(m.precision, 1, "precision");
  close(m.map, (1 + 1 / 2) / 2, "map");
  assert.deepEqual([...users.hits], [1, 1]);
  // Items 1, 2, 3 recommended; 3 training items.
  close(m.coverage, 1, "coverage");
  // Self-information of item 1 (2 of 3 users) and item 2 (1 of 3) twice; item 3 has no training user: skipped.
  close(
    m.novelty,
    (Math.log2(3 / 2) + 2 * Math.log2(3)) / 3,
    "novelty",
  );
  // Mean training interactions per list: (2 + 1)/2, (1 + 0)/2, 0/1.
  close(m.arp, (1.5 + 0.5 + 0) / 3, "arp");
  // Long-tail share per list: item 1 is head; 1/2, 2/2, 1/1.
  close(m.aplt, (0.5 + 1 + 1) / 3, "aplt");
  // 1 − cos: items 1, 2 orthogonal (1); items 2, 3 at 45° (1 − 1/√2); user 2's list has one item.
  close(m.ild, (1 + 1 - Math.SQRT1_2) / 2, "ild");
  assert.ok(Number.isNaN(
    evaluateLists(items, {
      train: TRAIN,
      test: TEST,
      k: 2,
      ...trainPopularity(TRAIN),
    }).metrics.ild,
  ));
});

/** 4 users × 6 items, every user rating every item (5 stars), raw ids = index. */
function fullGrid(): Interactions {
  const n = 24, users = new Int32Array(n), items = new Int32Array(n);
  for (let r = 0; r < n; r++) [users[r], items[r]] = [r / 6 | 0, r % 6];
  const ids = (m: number) => ({
    raw: Int32Array.from({ length: m }, (_, j) => j),
    toIndex: new Map(Array.from({ length: m }, (_, j) => [j, j])),
  });
  return {
    users,
    items,
    ratings: new Float32Array(n).fill(5),
    timestamps: new Float64Array(n),
    nUsers: 4,
    nItems: 6,
    userIds: ids(4),
    itemIds: ids(6),
    itemInfo: new Map(),
  };
}

Deno.test("holdoutRuns with given models: each model's lists evaluated per seed, an unseeded model ranked once, ILD in the first model's factors of that seed", async () => {
  const data = fullGrid();
  const k = 2;
  const seededLists = (seed: number) =>
    Int32Array.from({ length: 4 * k }, (_, j) => (j + seed) % 6);
  const factorsOf = (seed: number) => ({
    factors: 2,
    userFactors: new Float32Array(8),
    itemFactors: Float32Array.from(
      { length: 12 },
      (_, j) => 1 + (j * seed) % 5,
    ),
  });
  const fixed = Int32Array.of(0, 1, 0, 1, 0, 1, 0, 1);
  let unseededCalls = 0;
  const models: HoldoutModel[] = [
    {
      name: "first",
      label: "First",
      seeded: true,
      rank: (_train, seed) =>
        Promise.resolve({
          items: seededLists(seed),
          factorModel: factorsOf(seed),
          fitSeconds: 0,
        }),
    },
    {
      name: "fixed",
      label: "Fixed",
      seeded: false,
      rank: () => {
        unseededCalls++;
        return Promise.resolve({ items: fixed, fitSeconds: 0 });
      },
    },
  ];
  const s = {
    // Unused: the models are given.
    als: {} as never,
    team: undefined as unknown as Team,
    seeds: [1, 2, 3],
    splitSeed: 42,
    trainFraction: 0.5,
    k,
    models,
  };
  const { runs } = await holdoutRuns(data, s);
  assert.equal(unseededCalls, 1);
  const { train, test } = implicitSplit(data, 0.5, 42);
  const context = { train, test, k, ...trainPopularity(train) };
  for (const run of runs) {
    assert.deepEqual(Object.keys(run.models), ["first", "fixed"]);
    const space = factorsOf(run.seed);
    assert.deepEqual(
      run.models.first.metrics,
      evaluateLists(seededLists(run.seed), context, space).metrics,
    );
    assert.deepEqual(
      run.models.fixed.metrics,
      evaluateLists(fixed, context, space).metrics,
    );
    assert.equal(
      run.models.fixed.metrics.ild,
      intraListDiversity(
        Array.from({ length: 4 }, (_, u) => fixed.subarray(2 * u, 2 * u + 2)),
        space.itemFactors,
        2,
      ),
    );
    assert.equal(run.trainItems, context.pop.nSeenItems);
  }
  const summary = holdoutMetrics(runs, k);
  assert.deepEqual(Object.keys(summary).slice(0, 4), [
    "first_precision_at_2",
    "fixed_precision_at_2",
    "first_map_at_2",
    "fixed_map_at_2",
  ]);
  assert.deepEqual(Object.keys(summary).slice(-2), [
    "first_ild_at_2",
    "fixed_ild_at_2",
  ]);
  assert.equal(summary.fixed_arp_at_2.std, 0);
  assert.ok(summary.fixed_ild_at_2.std > 0, "ILD follows the seed's space");
});

const dataDir = movieLensTestDir();

Deno.test({
  name:
    "real data: the holdout is implicit 0.7's split, and ALS seed 0 from implicit's start equals implicit random_state 0 to 3 decimals",
  ignore: dataDir === null,
  async fn() {
    const { data } = await loadMovieLens("ml-latest-small", {
      dataDir: dataDir!,
    });
    const all = toCsr(data);
    const { train, test } = implicitSplit(data, 0.8, 42);
    const sel = implicitDefaultRngSplit(all.indptr[all.nRows], 0.8, 42);
    assert.equal(train.indptr[train.nRows], sel.train.length);
    assert.equal(test.indptr[test.nRows], sel.test.length);
    assert.equal(sel.train.length + sel.test.length, 100836);
    const flags = parseFlags(FLAGS, [], { command: "deno task exp:als" });
    using team = await AlsThreads.start(1);
    const { runs } = await holdoutRuns(data, {
      als: { ...alsConfigOf(flags), threads: 1 },
      team,
      seeds: [0, 1],
      splitSeed: 42,
      trainFraction: 0.8,
      k: 10,
    });
    // implicit 0.7.3, random_state 0 on this split (issue 12): 0.311 / 0.189 / 0.311 / 0.583.
    const r = runs[0].models.als.metrics;
    assert.deepEqual(
      [r.precision, r.map, r.ndcg, r.auc].map((x) => x.toFixed(3)),
      ["0.311", "0.189", "0.311", "0.583"],
    );
    // Its popularity baseline: 0.186 precision, 0.106 MAP.
    const pop = runs[0].models.popularity.metrics;
    assert.equal(pop.precision.toFixed(3), "0.186");
    assert.equal(pop.map.toFixed(3), "0.106");
    const v = modelVersus(runs, "als", "popularity");
    assert.ok(
      Math.abs(v[0].users.estimate - (v[0].seeds.mean)) < 1e-12,
      "precision over users pools the seed-averaged hits",
    );
    assert.ok(v.every((x) => x.users.lo > 0 && x.seeds.p < 0.05));
  },
});

Deno.test("holdoutRuns at scale: recommendAll with the ONNX sample check gives the ONNX path's lists and metrics (synthetic ml-25m shape, 30k ratings)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-scale-" });
  try {
    const path = join(dir, "r.csv");
    await writeSyntheticRatingsCsv(path, {
      ...scaledShape(SYNTHETIC_SHAPES["ml-25m"], 30_000),
      seed: 7,
    });
    const { data } = await loadRatingsCsv(path, { ratingRange: [0.5, 5] });
    assert.ok(data.nUsers > PARITY_SAMPLE_USERS, `${data.nUsers} users`);
    using team = await AlsThreads.start(2);
    const settings = {
      als: {
        factors: 16,
        regularization: 0.01,
        iterations: 3,
        alpha: 1,
        solver: "cg" as const,
        cgSteps: 3,
        seed: 0,
      },
      team,
      seeds: [3, 4],
      splitSeed: 42,
      trainFraction: 0.8,
      k: 10,
    };
    const blocked = await holdoutRuns(data, {
      ...settings,
      onnxAllUsersMaxCells: 0,
    });
    const onnx = await holdoutRuns(data, settings);
    assert.equal(onnx.runs[0].models.als.parity, undefined);
    assert.deepEqual(holdoutParityMetrics(onnx.runs), {});
    for (const run of blocked.runs) {
      const p = run.models.als.parity!;
      assert.equal(p.users, PARITY_SAMPLE_USERS);
      assert.equal(p.sameLists, 1);
      assert.ok(p.maxAbsDiff < 1e-5, `max abs diff ${p.maxAbsDiff}`);
      assert.ok(run.fitSeconds > 0 && run.rankSeconds > 0);
    }
    const a = holdoutMetrics(blocked.runs, 10);
    const b = holdoutMetrics(onnx.runs, 10);
    assert.deepEqual(Object.keys(a), Object.keys(b));
    for (const m of ["coverage", "novelty", "arp", "aplt", "ild"]) {
      assert.ok(Number.isFinite(b[`als_${m}_at_10`].mean), m);
      assert.ok(Number.isFinite(b[`popularity_${m}_at_10`].mean), m);
    }
    for (const key of Object.keys(b)) {
      assert.ok(
        Math.abs(a[key].mean - b[key].mean) < 1e-4,
        `${key}: ${a[key].mean} vs ${b[key].mean}`,
      );
    }
    assert.deepEqual(holdoutParityMetrics(blocked.runs), {
      holdout_onnx_sample_users: PARITY_SAMPLE_USERS,
      holdout_onnx_sample_same_lists: 1,
      holdout_onnx_sample_max_abs_diff: Math.max(
        ...blocked.runs.map((r) => r.models.als.parity!.maxAbsDiff),
      ),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("holdoutRuns with BPR: one fit per seed (fitBpr's model for that seed), ranked by its ONNX model or recommendAll, and compared with ALS and popularity", async () => {
  const dir = await Deno.makeTempDir({ prefix: "als-bpr-" });
  try {
    const path = join(dir, "r.csv");
    await writeSyntheticRatingsCsv(path, {
      ...scaledShape(SYNTHETIC_SHAPES["ml-25m"], 20_000),
      seed: 11,
    });
    const { data } = await loadRatingsCsv(path, { ratingRange: [0.5, 5] });
    using team = await AlsThreads.start(2);
    const bprConfig = { ...BPR_DEFAULTS, factors: 8, iterations: 4 };
    const settings = {
      als: {
        ...alsConfigOf(
          parseFlags(FLAGS, [], { command: "deno task exp:als" }),
        ),
        factors: 8,
        iterations: 2,
        computeLoss: false,
      },
      team,
      seeds: [5, 6],
      splitSeed: 42,
      trainFraction: 0.8,
      k: 10,
      bpr: { config: bprConfig, threads: 2 },
    };
    const { runs } = await holdoutRuns(data, settings);
    assert.deepEqual(Object.keys(runs[0].models), ["als", "bpr", "popularity"]);
    const { train } = implicitSplit(data, 0.8, 42);
    for (const run of runs) {
      const bpr = fitBpr(train, { ...bprConfig, seed: run.seed });
      // The lists are the model's own top 10 with train items masked.
      const lists = new Int32Array(train.nRows * 10).fill(-1);
      for (let u = 0; u < train.nRows; u++) {
        const seen = train.indices.subarray(
          train.indptr[u],
          train.indptr[u + 1],
        );
        const top = recommend(
          bpr.userFactors,
          bpr.itemFactors,
          bpr.factors,
          u,
          10,
          seen,
        );
        lists.set(top.items, u * 10);
      }
      const context = {
        train,
        test: implicitSplit(data, 0.8, 42).test,
        k: 10,
        ...trainPopularity(train),
      };
      const expected = evaluateLists(lists, context).metrics;
      const got = run.models.bpr.metrics;
      for (
        const m of ["precision", "map", "ndcg", "coverage", "novelty"] as const
      ) {
        assert.ok(
          Math.abs(got[m] - expected[m]) < 1e-12,
          `${m}: ${got[m]} vs ${expected[m]}`,
        );
      }
    }
    // Seeds differ, so the BPR fits do; the fits' wall time is on the first run.
    assert.notEqual(
      runs[0].models.bpr.metrics.novelty,
      runs[1].models.bpr.metrics.novelty,
    );
    const versus = holdoutVersus(runs);
    assert.deepEqual(
      [...new Set(versus.map((v) => `${v.a.label} − ${v.b.label}`))],
      ["ALS − popularity", "ALS − BPR", "BPR − popularity"],
    );
    assert.equal(versus.length, 12);
    // At scale BPR is checked against its ONNX model on a sample, like ALS.
    const blocked = await holdoutRuns(data, {
      ...settings,
      onnxAllUsersMaxCells: 0,
    });
    for (const run of blocked.runs) {
      assert.equal(run.models.bpr.parity!.sameLists, 1);
    }
    assert.deepEqual(
      blocked.runs.map((r) => r.models.bpr.metrics.precision),
      runs.map((r) => r.models.bpr.metrics.precision),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
