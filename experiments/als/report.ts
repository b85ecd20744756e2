/**
 * The sections of `reports/als.html` between the standard header and the
 * Configuration section; fixed prose comes from notes.md.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { type Block, paragraph, type Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import {
  type MetricSummary,
  type MetricValue,
  type Results,
  summarize,
} from "../../lib/report/results.ts";
import { comparisonTable } from "../../lib/report/summary.ts";
import { formatNumber, type TableBlock } from "../../lib/report/table.ts";
import { studentTQuantile } from "../../lib/stats.ts";
import type { Flags } from "../../lib/cli.ts";
import { type FLAGS, PUBLISHED, UNSEEDED_CAUSE } from "./document.ts";
import type { DocumentCalls } from "./document_call.ts";
import {
  ACCURACY_METRICS,
  BEYOND_ACCURACY_METRICS,
  type HoldoutRun,
  SHORT_HEAD_SHARE,
} from "./holdout.ts";
import type { Subjects } from "./load.ts";
import type { Outcomes } from "./metrics.ts";
import type { Parity, RankedList } from "./queries.ts";
import { type Versus, versusSentence } from "./versus.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** What the report shows besides the results record. */
export interface AlsReportData {
  readonly data: Interactions;
  /** Ratings per dense item, length nItems. */
  readonly popularity: Float32Array;
  readonly ownData: boolean;
  /** Release name or CSV file name. */
  readonly datasetName: string;
  readonly query: string;
  readonly match: { id: number; title: string; score: number } | null;
  /** The ONNX model's neighbours of the matched movie (itself first), or null without titles. */
  readonly similar: RankedList | null;
  /** Raw user id shown, and whether --user chose it. */
  readonly user: number;
  readonly userGiven: boolean;
  /** Rows of that user's ratings, best first. */
  readonly userRows: readonly number[];
  /** The ONNX model's top-k for the user. */
  readonly recs: RankedList;
  /** The document's call re-run once per model seed, or null when skipped. */
  readonly docCall: DocumentCalls | null;
  /** ALS − popularity over seeds and test users (empty with one seed). */
  readonly versus: readonly Versus[];
  /** train_test_split's random_state. */
  readonly splitSeed: number;
  readonly trainFraction: number;
  readonly k: number;
  readonly runs: readonly HoldoutRun[];
  /** Training loss after each iteration of the fit on all ratings. */
  readonly loss: readonly number[];
  /** Largest |ONNX − TypeScript| score differences (similar: null without titles). */
  readonly parity: Parity;
}

/** What the report shows of `data`, its subjects `s` and the run's outcomes `o`, given `flags`. */
export function alsReportData(
  data: Interactions,
  s: Subjects,
  flags: Flags<typeof FLAGS>,
  o: Outcomes,
): AlsReportData {
  return {
    data,
    popularity: s.popularity,
    ownData: s.ownData,
    datasetName: s.datasetName,
    query: s.query,
    match: s.match,
    similar: o.similar,
    user: s.user,
    userGiven: flags.user !== undefined,
    userRows: o.userRows,
    recs: o.recs,
    docCall: o.docCall,
    versus: o.versus,
    splitSeed: flags["split-seed"],
    trainFraction: flags["train-fraction"],
    k: o.k,
    runs: o.runs,
    loss: o.full.loss,
    parity: o.parity,
  };
}

const DOC_NOTES = "What the document did, and what changed here";

/** The report's sections. */
export function alsSections(r: Results, d: AlsReportData): Section[] {
  const k = d.k;
  const holdout = notesWith("Holdout evaluation", {
    train_pct: Math.round(d.trainFraction * 100),
    test_pct: Math.round((1 - d.trainFraction) * 100),
    train: d.runs[0].train,
    test: d.runs[0].test,
    split_seed: d.splitSeed,
    k,
    seeds: r.seeds.join(", "),
  });
  const bpr = r.config.bpr as Record<string, number> | null | undefined;
  if (bpr) {
    holdout.push(...notesWith("BPR", {
      factors: bpr.factors,
      learning_rate: bpr.learning_rate,
      regularization: bpr.regularization,
      iterations: bpr.iterations,
    }));
  }
  return [
    {
      heading: "Published vs reproduced",
      blocks: [comparisonTable(r.comparisons, null)],
    },
    { heading: DOC_NOTES, blocks: notesWith(DOC_NOTES, {}) },
    similarSection(d),
    userSection(d),
    documentCallSection(r, d),
    {
      heading: `Holdout evaluation at k = ${k}`,
      blocks: [
        ...holdout,
        holdoutTable(r.metrics, d.runs, k),
        metricsFigure(d.runs, k),
      ],
    },
    ...versusSections(d),
    { heading: "Training loss", blocks: [lossFigure(d.loss)] },
    {
      heading: "ONNX parity",
      blocks: [
        paragraph(
          `Largest absolute difference between the ONNX model's scores and the TypeScript computation: ` +
            (d.parity.similar === null
              ? ""
              : `similar ${d.parity.similar.toExponential(2)}, `) +
            `recommend ${d.parity.recommend.toExponential(2)}; ` +
            `the ranked lists are ${
              d.parity.sameLists ? "identical" : "NOT identical"
            }.` + sampleParityText(r),
        ),
      ],
    },
    ...scaleSection(r),
  ];
}

/** The holdout's ONNX sample check, when the lists of all users came from recommendAll. */
function sampleParityText(r: Results): string {
  const m = r.metrics;
  const users = m.holdout_onnx_sample_users;
  if (typeof users !== "number") return "";
  const same = m.holdout_onnx_sample_same_lists as number;
  const diff = m.holdout_onnx_sample_max_abs_diff as number;
  return ` The holdout ranked all users with the exact top-k over the factor ` +
    `tables (recommendAll, too many users × items for the batched ONNX ` +
    `graph); the ONNX model checked ${users} of them: ` +
    `${(100 * same).toFixed(1)}% identical lists, largest score difference ` +
    `${diff.toExponential(2)}.`;
}

/** Size, peak memory and phase times of a run on other data than the document's. */
function scaleSection(r: Results): Section[] {
  const peak = r.metrics.peak_rss_mib;
  if (typeof peak !== "number") return [];
  const times = Object.entries(r.timings_s)
    .map(([phase, s]) => `${phase} ${s.toFixed(1)} s`).join(", ");
  return [{
    heading: "Run size, memory and time",
    blocks: [
      paragraph(
        `${r.metrics.users} users × ${r.metrics.items} items, ` +
          `${r.metrics.ratings} ratings; peak resident memory ${peak} MiB ` +
          `(sampled every 50 ms by a thread of its own); phases: ${times}.`,
      ),
    ],
  }];
}

const FIXED_VARS = {
  title_index: PUBLISHED.title_index,
  unseeded: UNSEEDED_CAUSE,
};

/** notes.md cut at its `## ` headings: heading → the part's Markdown. */
const PARTS = new Map(
  notesMarkdown.split(/^## /m).slice(1).map((part): [string, string] => {
    const eol = part.indexOf("\n");
    return [part.slice(0, eol).trim(), part.slice(eol + 1)];
  }),
);

/**
 * The paragraphs of notes.md under `heading`, with `vars` and the fixed
 * values filled in (only that part's placeholders need values).
 */
function notesWith(
  heading: string,
  vars: Record<string, string | number>,
): Block[] {
  const part = PARTS.get(heading);
  if (part === undefined) throw new Error(`notes.md: no part "## ${heading}"`);
  return proseUnder(prose(part, { ...FIXED_VARS, ...vars }), "");
}

function similarSection(d: AlsReportData): Section {
  if (d.match === null || d.similar === null) {
    return {
      heading: "Similar movies",
      blocks: notesWith("No titles", { dataset: d.datasetName }),
    };
  }
  return {
    heading: `Movies most similar to ${d.match.title}`,
    blocks: [
      ...notesWith("Similar movies", {
        query: d.query,
        title: d.match.title,
        score: d.match.score,
      }),
      movieTable(d, d.similar, "cosine"),
    ],
  };
}

function userSection(d: AlsReportData): Section {
  const rows = d.userRows;
  const ratings = d.data.ratings;
  return {
    heading: `User ${d.user}`,
    blocks: [
      paragraph(
        `User ${d.user}${
          d.ownData && !d.userGiven
            ? ` (the smallest user id in ${d.datasetName}; choose another with --user)`
            : ""
        } rated ${rows.length} movies. Best and worst rated, as the document lists them ` +
          "(equal ratings in file order; the document's pandas sort orders ties its own way):",
      ),
      ratedTable(d.data, rows.slice(0, 5)),
      ratedTable(d.data, rows.filter((x) => ratings[x] < 3).slice(-5)),
      paragraph(
        `Top ${d.k} recommendations from the ONNX model's \`recommend\` output, with the user's ${rows.length} rated movies masked in the graph.`,
      ),
      movieTable(d, d.recs, "score"),
    ],
  };
}

function documentCallSection(r: Results, d: AlsReportData): Section {
  const heading = "The document's call, re-run";
  const calls = d.docCall;
  const call = calls?.first ?? null;
  if (calls === null || call === null) {
    return {
      heading,
      blocks: d.ownData
        ? notesWith("Document call on own data", {})
        : notesWith("Document call on a small release", {
          dataset: d.datasetName,
          users: d.data.nUsers,
        }),
    };
  }
  return {
    heading,
    blocks: [
      ...notesWith(heading, {
        neighbours: PUBLISHED.similarIds.length - 1,
        overlap: call.overlap,
        seed: r.seeds[0],
        seeds: calls.overlaps.length,
        overlaps: calls.overlaps.join(", "),
        min_between: calls.minOverlapBetweenSeeds,
      }),
      {
        kind: "table",
        header: [
          "rank",
          "document: user index",
          "document: cosine",
          "re-run: user index",
          "re-run: cosine",
        ],
        rows: PUBLISHED.similarIds.map((id, j) => [
          j + 1,
          id,
          PUBLISHED.similarScores[j],
          call.similar.items[j],
          call.similar.scores[j],
        ]),
        precision: [null, null, 4, null, 4],
      },
    ],
  };
}

/** One section per model pair of `d.versus` (ALS − popularity first), or a note when there are too few seeds. */
function versusSections(d: AlsReportData): Section[] {
  if (d.versus.length === 0) {
    return [{
      heading: `ALS against popularity at k = ${d.k}`,
      blocks: [paragraph("Needs at least two model seeds (--repeats 2).")],
    }];
  }
  const pairs = new Map<string, Versus[]>();
  for (const v of d.versus) {
    const key = `${v.a.name}-${v.b.name}`;
    pairs.set(key, [...(pairs.get(key) ?? []), v]);
  }
  return [...pairs.values()].map((rows) => {
    const { a, b } = rows[0];
    return {
      heading: `${a.label} against ${b.label} at k = ${d.k}`,
      blocks: [
        ...notesWith("Model against model", {
          a: a.label,
          b: b.label,
          seeds: d.runs.length,
          users: rows[0].users.n,
        }),
        {
          kind: "table",
          header: [
            "metric",
            `${a.label} − ${b.label} (mean over seeds)`,
            "95 % CI over seeds (paired t)",
            "p (paired t)",
            "95 % CI over test users (paired bootstrap)",
          ],
          rows: rows.map((v) => [
            `${v.metric}@${d.k}`,
            v.seeds.mean,
            `[${v.seeds.lo.toFixed(4)}, ${v.seeds.hi.toFixed(4)}]`,
            v.seeds.p.toPrecision(2),
            `[${v.users.lo.toFixed(4)}, ${v.users.hi.toFixed(4)}]`,
          ]),
          precision: [null, 4, null, null, null],
        },
        ...rows.map((v) => paragraph(versusSentence(v, d.k) + ".")),
      ],
    };
  });
}

/** A ranked list of movies with titles and genres, or item ids only without titles. */
function movieTable(d: AlsReportData, list: RankedList, label: string): Block {
  const { data, popularity } = d;
  const items = [...list.items];
  if (data.itemInfo.size === 0) {
    // A user's own data without --movies: ids only.
    return {
      kind: "table",
      header: ["rank", "item id", "ratings", label],
      rows: items.map((j, rank) => [
        rank + 1,
        data.itemIds.raw[j],
        popularity[j],
        list.scores[rank],
      ]),
      precision: [null, null, null, 4],
    };
  }
  return {
    kind: "table",
    header: ["rank", "movie id", "title", "genres", "ratings", label],
    rows: items.map((j, rank) => {
      const id = data.itemIds.raw[j];
      const info = data.itemInfo.get(id);
      return [
        rank + 1,
        id,
        info?.title ?? "(unknown)",
        info?.genres.join(", ") ?? "",
        popularity[j],
        list.scores[rank],
      ];
    }),
    precision: [null, null, null, null, null, 4],
  };
}

/** Rated movies (rows of `data`) with their ratings. */
function ratedTable(data: Interactions, rows: readonly number[]): Block {
  if (data.itemInfo.size === 0) {
    return {
      kind: "table",
      header: ["item id", "rating"],
      rows: rows.map((r) => [data.itemIds.raw[data.items[r]], data.ratings[r]]),
      precision: [null, 1],
    };
  }
  return {
    kind: "table",
    header: ["movie id", "title", "rating"],
    rows: rows.map((r) => {
      const id = data.itemIds.raw[data.items[r]];
      return [id, data.itemInfo.get(id)?.title ?? "(unknown)", data.ratings[r]];
    }),
    precision: [null, null, 1],
  };
}

/** Column headings and decimals of the holdout table, by metric. */
const HOLDOUT_COLUMNS: Record<
  (typeof ACCURACY_METRICS)[number] | (typeof BEYOND_ACCURACY_METRICS)[number],
  { heading: (k: number) => string; decimals: number }
> = {
  precision: { heading: (k) => `precision@${k}`, decimals: 4 },
  map: { heading: (k) => `MAP@${k}`, decimals: 4 },
  ndcg: { heading: (k) => `NDCG@${k}`, decimals: 4 },
  auc: { heading: (k) => `AUC@${k}`, decimals: 4 },
  coverage: {
    heading: () => "coverage (share of training items)",
    decimals: 4,
  },
  novelty: { heading: () => "novelty (bits)", decimals: 3 },
  arp: { heading: () => "ARP (training interactions)", decimals: 1 },
  aplt: { heading: () => "APLT (long-tail share)", decimals: 4 },
  ild: { heading: () => "ILD (1 − cosine)", decimals: 4 },
};

/**
 * 95 % prediction interval of one more run, mean ± t(0.975, n − 1)·s·√(1 + 1/n)
 * (as the holdout's comparison rows use), or null below two runs.
 */
export function predictionInterval(
  m: MetricSummary,
): [number, number] | null {
  const n = m.values.length;
  if (n < 2) return null;
  const half = studentTQuantile(0.975, n - 1) * m.std * Math.sqrt(1 + 1 / n);
  return [m.mean - half, m.mean + half];
}

/**
 * The holdout table at `k`: a row per model (mean ± std over the seeds, or
 * the value alone when every seed gives it) and, for a model whose values
 * vary, a row of 95 % prediction intervals; columns accuracy then
 * beyond-accuracy, read from `metrics` (`<model>_<metric>_at_<k>`).
 */
export function holdoutTable(
  metrics: Readonly<Record<string, MetricValue>>,
  runs: readonly HoldoutRun[],
  k: number,
): TableBlock {
  const columns = [...ACCURACY_METRICS, ...BEYOND_ACCURACY_METRICS];
  const models = Object.values(runs[0].models);
  const summary = (model: string, metric: string): MetricSummary => {
    const v = metrics[`${model}_${metric}_at_${k}`] ?? NaN;
    return typeof v === "number" ? { mean: v, std: 0, values: [v] } : v;
  };
  const constant = (m: MetricSummary) =>
    m.values.every((x) => x === m.values[0]);
  const rows: { text: string; numeric?: boolean; title?: string }[][] = [];
  for (const { name, label } of models) {
    const cells = columns.map((c) => {
      const m = summary(name, c), d = HOLDOUT_COLUMNS[c].decimals;
      const text = Number.isNaN(m.mean)
        ? "–"
        : constant(m)
        ? formatNumber(m.mean, d)
        : `${formatNumber(m.mean, d)} ± ${formatNumber(m.std, d)}`;
      return { text, numeric: true, title: `${name}_${c}_at_${k}` };
    });
    rows.push([{ text: label }, ...cells]);
    const pis = columns.map((c) => {
      const m = summary(name, c);
      return constant(m) || Number.isNaN(m.mean) ? null : predictionInterval(m);
    });
    if (pis.every((p) => p === null)) continue;
    rows.push([
      { text: `${label}: 95 % PI of one more seed` },
      ...pis.map((p, j) => ({
        text: p === null
          ? "–"
          : `[${
            p.map((x) => formatNumber(x, HOLDOUT_COLUMNS[columns[j]].decimals))
              .join(", ")
          }]`,
        numeric: true,
      })),
    ]);
  }
  const run = runs[0];
  const testUsers = models[0].users.m.length;
  return {
    kind: "table",
    caption:
      `Holdout at k = ${k}, every model on the same split: mean ± sample std over the ${runs.length} model seeds ` +
      "(a value alone: the same for every seed), and the 95 % prediction interval of one more seed " +
      "(mean ± t·s·√(1 + 1/n)). Accuracy first, then beyond-accuracy (notes below).",
    header: ["model", ...columns.map((c) => HOLDOUT_COLUMNS[c].heading(k))],
    rows,
    footnotes: [
      `Accuracy over the ${testUsers} users with test ratings, as implicit's ranking_metrics_at_k defines it.`,
      `Beyond-accuracy over every user's top ${k} (all ${metrics.users} users), popularity counted on ` +
      `the train split (${run.train} ratings, ${run.trainItems} items with one): ` +
      "definitions of lib/beyond_accuracy.ts.",
      "Coverage: distinct recommended items / items with a training interaction " +
      "(catalog coverage as Microsoft Recommenders' python_evaluation.catalog_coverage defines it).",
      "Novelty: mean over the recommended (user, item) pairs of the self-information " +
      "−log2(training users of the item / training users), in bits (Vargas & Castells, " +
      '"Rank and Relevance in Novelty and Diversity Metrics for Recommender Systems", RecSys 2011; ' +
      "Microsoft Recommenders' novelty).",
      "ARP, average recommendation popularity: per list the mean number of training interactions " +
      "of its items, averaged over the lists; APLT, average percentage of long-tail items: per list " +
      "the share of its items outside the short head, averaged over the lists (Abdollahpouri, Mansoury, " +
      'Burke & Mobasher, "The Unfairness of Popularity Bias in Recommendation", RMSE workshop at RecSys 2019).',
      `Short head: the ${run.headItems} most popular training items, which together hold ` +
      `${
        Math.round(SHORT_HEAD_SHARE * 100)
      } % of the training interactions; the other ` +
      `${
        run.trainItems - run.headItems
      } training items are the long tail (the cut of Elliot's Popularity, ` +
      `pop_ratio 0.8: Anelli et al., \"Elliot: a Comprehensive and Rigorous Framework for Reproducible ` +
      'Recommender Systems Evaluation", SIGIR 2021).',
      "ILD, intra-list diversity: per list the mean over its item pairs of 1 − cosine similarity of " +
      "the items' factors, averaged over the lists (Ziegler, McNee, Konstan & Lausen, WWW 2005; " +
      "Castells, Vargas & Wang, DDR 2011). The factors are that seed's ALS item factors for every " +
      "model, one space for all so the values compare; the popularity baseline's lists are the same " +
      "every seed, so its ILD varies only with that space.",
    ],
  };
}

/** Grouped bars of the holdout's accuracy metrics at `k`, mean ± std over seeds, a group per model. */
function metricsFigure(runs: readonly HoldoutRun[], k: number): Block {
  const names = ACCURACY_METRICS;
  const bar = (name: string, label: string) => {
    const s = names.map((n) =>
      summarize(runs.map((r) => r.models[name].metrics[n]))
    );
    return {
      type: "bar",
      name: label,
      x: names.map((n) => `${n}@${k}`),
      y: s.map((v) => v.mean),
      error_y: { type: "data", array: s.map((v) => v.std), visible: true },
    };
  };
  return {
    kind: "figure",
    data: Object.values(runs[0].models).map((m) => bar(m.name, m.label)),
    layout: {
      title: {
        text: `Ranking metrics: ${
          Object.values(runs[0].models).map((m) => m.label).join(", ")
        }`,
      },
      barmode: "group",
      xaxis: { title: { text: "metric" } },
      yaxis: {
        title: { text: "value (mean ± std over seeds)" },
        range: [0, 1],
      },
    },
    caption: `Holdout ranking metrics at k = ${k}, a group of bars per model.`,
  };
}

/** The training loss per iteration (implicit's definition). */
function lossFigure(loss: readonly number[]): Block {
  return {
    kind: "figure",
    data: [{
      type: "scatter",
      mode: "lines+markers",
      x: loss.map((_, j) => j + 1),
      y: loss,
      name: "loss",
    }],
    layout: {
      title: { text: "ALS training loss by iteration" },
      xaxis: { title: { text: "iteration" }, dtick: 1 },
      yaxis: { title: { text: "training loss (implicit's definition)" } },
    },
    caption: "Training loss after each ALS iteration, all ratings.",
  };
}

/** The lines printed before "wrote …": sizes and the holdout metrics at `k`, mean ± std over `nSeeds` seeds. */
export function alsSummary(
  metrics: Readonly<Record<string, MetricValue>>,
  k: number,
  nSeeds: number,
): string {
  const fmt = (v: MetricValue) =>
    typeof v === "number"
      ? String(v)
      : `${v.mean.toFixed(4)} ± ${v.std.toFixed(4)}`;
  const line = (model: string) =>
    ["precision", "map", "ndcg"].map((n) =>
      `${n} ${fmt(metrics[`${model}_${n}_at_${k}`])}`
    ).join("  ");
  return [
    `als: ${metrics.users} users × ${metrics.items} items, ${metrics.ratings} ratings; holdout metrics at k = ${k}, mean ± std over ${nSeeds} seeds`,
    `  ALS        ${line("als")}`,
    ...(metrics[`bpr_precision_at_${k}`] === undefined
      ? []
      : [`  BPR        ${line("bpr")}`]),
    `  popularity ${line("popularity")}`,
  ].join("\n");
}
