import assert from "node:assert/strict";
import type { Interactions } from "../../lib/data/interactions.ts";
import type { HoldoutMetrics } from "./holdout.ts";
import { sampleResults } from "../../lib/report/_fixtures.ts";
import type { Section } from "../../lib/report/html.ts";
import {
  type AlsReportData,
  alsSections,
  alsSummary,
  holdoutTable,
  predictionInterval,
} from "./report.ts";

/** 3 users × 4 items, raw ids 11–13 and 101–104; titles when `titled`. */
function tiny(titled: boolean): Interactions {
  const raw = (ids: number[]) => ({
    raw: Int32Array.from(ids),
    toIndex: new Map(ids.map((id, j) => [id, j])),
  });
  return {
    users: Int32Array.of(0, 0, 0, 1, 2),
    items: Int32Array.of(0, 1, 2, 3, 0),
    ratings: Float32Array.of(5, 2, 4, 3, 1),
    timestamps: new Float64Array(5),
    nUsers: 3,
    nItems: 4,
    userIds: raw([11, 12, 13]),
    itemIds: raw([101, 102, 103, 104]),
    itemInfo: new Map(
      titled
        ? [101, 102, 103, 104].map((id) => [
          id,
          { title: `Film ${id} (2000)`, genres: ["Drama"] },
        ])
        : [],
    ),
  };
}

const METRICS: HoldoutMetrics = {
  precision: 0.5,
  recall: 0.4,
  map: 0.3,
  ndcg: 0.6,
  auc: 0.7,
  coverage: 0.25,
  novelty: 1.5,
  arp: 2,
  aplt: 0.5,
  ild: 0.75,
} as HoldoutMetrics;

const USERS = {
  hits: Float64Array.of(1),
  m: Float64Array.of(1),
  map: Float64Array.of(1),
  ndcg: Float64Array.of(1),
  auc: Float64Array.of(1),
};

function reportData(over: Partial<AlsReportData>): AlsReportData {
  const list = { items: Int32Array.of(2, 3), scores: Float32Array.of(1, 0.5) };
  return {
    data: tiny(true),
    popularity: Float32Array.of(2, 1, 1, 1),
    ownData: false,
    datasetName: "ml-latest-small",
    query: "film 103",
    match: { id: 103, title: "Film 103 (2000)", score: 95 },
    similar: list,
    user: 11,
    userGiven: false,
    userRows: [0, 2, 1],
    recs: list,
    docCall: null,
    versus: [],
    splitSeed: 42,
    trainFraction: 0.8,
    k: 2,
    runs: [{
      seed: 42,
      models: {
        als: { name: "als", label: "ALS", metrics: METRICS, users: USERS },
        popularity: {
          name: "popularity",
          label: "popularity",
          metrics: METRICS,
          users: USERS,
        },
      },
      train: 4,
      test: 1,
      trainItems: 4,
      headItems: 1,
      fitSeconds: 0.1,
      rankSeconds: 0.1,
    }],
    loss: [0.3, 0.2],
    parity: { similar: 1e-7, recommend: 2e-7, sameLists: true },
    ...over,
  };
}

function text(sections: Section[], heading: string): string {
  const s = sections.find((x) => x.heading === heading);
  assert.ok(s, `no section "${heading}" in ${sections.map((x) => x.heading)}`);
  return s.blocks.map((b) => "text" in b ? b.text : `[${b.kind}]`).join("\n");
}

Deno.test("alsSections on MovieLens: similar movies, the user, the holdout prose with its numbers, parity", () => {
  const r = { ...sampleResults(), seeds: [42, 43] };
  const d = reportData({});
  const sections = alsSections(r, d);
  assert.equal(sections[0].heading, "Published vs reproduced");
  assert.match(
    text(sections, "What the document did, and what changed here"),
    /similar_items\(314\)` returned user indices \(the first, 314,/,
  );
  assert.match(
    text(sections, "Movies most similar to Film 103 (2000)"),
    /"film 103" matched Film 103 \(2000\) with WRatio 95;[^\n]*\n\[table\]$/,
  );
  const user = text(sections, "User 11");
  assert.match(user, /^User 11 rated 3 movies\./);
  assert.match(
    text(sections, "Holdout evaluation at k = 2"),
    /^80\/20 split exactly as implicit 0\.7's\s+`train_test_split\(ratings, 0\.8, random_state=42\)` [^]*\(4 train \/ 1 test ratings\)[^]*once per model seed \(42, 43\)[^]*top 2 /,
  );
  assert.match(
    text(sections, "The document's call, re-run"),
    /^Skipped: ml-latest-small has 3 users, and the document's call asks about user index 314\.$/,
  );
  assert.match(
    text(sections, "ONNX parity"),
    /similar 1\.00e-7, recommend 2\.00e-7; the ranked lists are identical\./,
  );
});

Deno.test("alsSections on a user's own data without titles: skips similar movies and the document's call, names the default user", () => {
  const d = reportData({
    data: tiny(false),
    ownData: true,
    datasetName: "mine.csv",
    match: null,
    similar: null,
    parity: { similar: null, recommend: 0, sameLists: false },
  });
  const sections = alsSections(sampleResults(), d);
  assert.match(
    text(sections, "Similar movies"),
    /^Skipped: mine\.csv comes without titles, [^\n]*--movies/,
  );
  assert.match(
    text(sections, "User 11"),
    /^User 11 \(the smallest user id in mine\.csv; choose another with --user\)/,
  );
  assert.match(
    text(sections, "The document's call, re-run"),
    /^Skipped: the document's call asks about index 314 of MovieLens ml-latest-small, which means nothing on a user's own data\.$/,
  );
  assert.match(
    text(sections, "ONNX parity"),
    /computation: recommend 0\.00e\+0; the ranked lists are NOT identical\./,
  );
});

Deno.test("alsSections with the document's call: overlap prose and the side-by-side table", () => {
  const first = {
    similar: {
      items: Int32Array.from({ length: 10 }, (_, j) => 314 + j),
      scores: new Float32Array(10).fill(0.5),
    },
    overlap: 7,
  };
  const call = {
    first,
    secondScores: [0.5, 0.6],
    overlaps: [7, 8],
    minOverlapBetweenSeeds: 6,
  };
  const sections = alsSections(
    { ...sampleResults(), seeds: [0, 1] },
    reportData({ docCall: call }),
  );
  assert.match(
    text(sections, "The document's call, re-run"),
    /Ours \(model seed 0\) beside the document's: of its 9 neighbours after the query, 7 are among ours\. The lists cannot agree exactly: the document called AlternatingLeastSquares[^]*the first 2 model seeds, the overlaps with the\s+document's list are 7, 8, [^]*as few as 6 of 9 [^]*\n\[table\]$/,
  );
});

Deno.test("alsSummary prints sizes and mean ± std of the holdout metrics at k", () => {
  const s = (mean: number) => ({ mean, std: 0.01, values: [mean] });
  const metrics = {
    users: 3,
    items: 4,
    ratings: 5,
    als_precision_at_2: s(0.5),
    als_map_at_2: s(0.25),
    als_ndcg_at_2: s(0.125),
    popularity_precision_at_2: s(0.1),
    popularity_map_at_2: s(0.2),
    popularity_ndcg_at_2: 0.3,
  };
  assert.equal(
    alsSummary(metrics, 2, 1),
    "als: 3 users × 4 items, 5 ratings; holdout metrics at k = 2, mean ± std over 1 seeds\n" +
      "  ALS        precision 0.5000 ± 0.0100  map 0.2500 ± 0.0100  ndcg 0.1250 ± 0.0100\n" +
      "  popularity precision 0.1000 ± 0.0100  map 0.2000 ± 0.0100  ndcg 0.3",
  );
});

Deno.test("holdoutTable: a row per model, accuracy then beyond-accuracy columns, mean ± std, a PI row for varying metrics, definitions in the notes", () => {
  const s = (values: number[]) => {
    const mean = values.reduce((a, x) => a + x, 0) / values.length;
    const std = Math.sqrt(
      values.reduce((a, x) => a + (x - mean) ** 2, 0) / (values.length - 1),
    );
    return { mean, std, values };
  };
  const metrics: Record<string, ReturnType<typeof s> | number> = { users: 3 };
  for (const m of ["precision", "map", "ndcg", "auc", "coverage", "aplt"]) {
    metrics[`als_${m}_at_2`] = s([0.3, 0.5]);
    metrics[`popularity_${m}_at_2`] = s([0.2, 0.2]);
  }
  metrics.als_novelty_at_2 = s([3, 5]);
  metrics.popularity_novelty_at_2 = s([1.25, 1.25]);
  metrics.als_arp_at_2 = s([10, 20]);
  metrics.popularity_arp_at_2 = s([40, 40]);
  metrics.als_ild_at_2 = s([0.5, 0.7]);
  metrics.popularity_ild_at_2 = s([0.25, 0.35]);
  const d = reportData({});
  const runs = [d.runs[0], { ...d.runs[0], seed: 43 }];
  const t = holdoutTable(metrics, runs, 2);
  assert.deepEqual(t.header, [
    "model",
    "precision@2",
    "MAP@2",
    "NDCG@2",
    "AUC@2",
    "coverage (share of training items)",
    "novelty (bits)",
    "ARP (training interactions)",
    "APLT (long-tail share)",
    "ILD (1 − cosine)",
  ]);
  const texts = t.rows.map((r) =>
    r.map((c) => typeof c === "object" ? c.text : String(c))
  );
  const sd = Math.SQRT1_2 * 0.2; // std of {0.3, 0.5}
  assert.deepEqual(texts[0], [
    "ALS",
    ...Array(4).fill(`0.4000 ± ${sd.toFixed(4)}`),
    `0.4000 ± ${sd.toFixed(4)}`,
    `4.000 ± ${Math.SQRT2.toFixed(3)}`,
    `15.0 ± ${(5 * Math.SQRT2).toFixed(1)}`,
    `0.4000 ± ${sd.toFixed(4)}`,
    `0.6000 ± ${sd.toFixed(4)}`,
  ]);
  // mean ± t(0.975, 1)·s·√(3/2), t = 12.7062…
  const half = 12.706204736174707 * sd * Math.sqrt(1.5);
  assert.equal(texts[1][0], "ALS: 95 % PI of one more seed");
  assert.equal(
    texts[1][1],
    `[${(0.4 - half).toFixed(4)}, ${(0.4 + half).toFixed(4)}]`.replace(
      "-",
      "−",
    ),
  );
  const pi = predictionInterval(metrics.als_map_at_2 as ReturnType<typeof s>)!;
  assert.ok(Math.abs(pi[1] - (0.4 + half)) < 1e-12);
  // popularity: the same every seed except ILD (the ALS space of each seed).
  assert.deepEqual(texts[2], [
    "popularity",
    "0.2000",
    "0.2000",
    "0.2000",
    "0.2000",
    "0.2000",
    "1.250",
    "40.0",
    "0.2000",
    "0.3000 ± 0.0707",
  ]);
  assert.deepEqual(texts[3].slice(0, 9), [
    "popularity: 95 % PI of one more seed",
    ...Array(8).fill("–"),
  ]);
  assert.equal(t.rows.length, 4);
  const notes = t.footnotes!.join("\n");
  for (
    const needle of [
      "catalog_coverage",
      "−log2(training users of the item / training users), in bits",
      "Vargas & Castells",
      "Abdollahpouri, Mansoury",
      "Short head: the 1 most popular training items, which together hold 80 %",
      "the other 3 training items are the long tail",
      "pop_ratio 0.8",
      "1 − cosine similarity",
      "that seed's ALS item factors for every model",
      "all 3 users",
    ]
  ) assert.ok(notes.includes(needle), needle);
});

Deno.test("alsSections: BPR's settings from the configuration record in the holdout prose, and a section per model pair", () => {
  const bpr = {
    factors: 64,
    learning_rate: 0.05,
    regularization: 0.02,
    iterations: 30,
  };
  const base = sampleResults();
  const r = { ...base, config: { ...base.config, bpr } };
  const row = (a: string, b: string, metric: "precision" | "map") => ({
    a: { name: a, label: a === "als" ? "ALS" : "BPR" },
    b: { name: b, label: b === "bpr" ? "BPR" : "popularity" },
    metric,
    differences: [0.1, 0.12],
    seeds: { mean: 0.11, lo: 0.05, hi: 0.17, p: 0.01 },
    users: { estimate: 0.11, lo: 0.04, hi: 0.18, n: 3 },
  });
  const versus = [
    row("als", "popularity", "precision"),
    row("als", "bpr", "precision"),
    row("als", "bpr", "map"),
  ];
  const sections = alsSections(r, reportData({ versus }));
  const holdout = text(sections, "Holdout evaluation at k = 2");
  assert.match(
    holdout,
    /64 factors plus an item bias column[^]*learning rate 0\.05, regularization 0\.02,\s+30 epochs/,
  );
  assert.match(
    text(sections, "ALS against BPR at k = 2"),
    /^ALS − BPR on the same split/,
  );
  assert.match(
    text(sections, "ALS against BPR at k = 2"),
    /ALS beats BPR on map@2: 0\.1100/,
  );
  assert.ok(
    sections.some((s) => s.heading === "ALS against popularity at k = 2"),
  );
  // Without BPR in the configuration: no BPR prose.
  const plain = alsSections(
    { ...base, config: { ...base.config, bpr: null } },
    reportData({}),
  );
  assert.doesNotMatch(
    text(plain, "Holdout evaluation at k = 2"),
    /item bias column/,
  );
});
