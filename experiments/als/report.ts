/**
 * The sections of `reports/als.html` between the standard header and the
 * Configuration section; fixed prose comes from notes.md.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import type { RankingMetrics } from "../../lib/metrics.ts";
import { type Block, paragraph, type Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import {
  type MetricValue,
  type Results,
  summarize,
} from "../../lib/report/results.ts";
import { comparisonTable, metricsTable } from "../../lib/report/summary.ts";
import type { Flags } from "../../lib/cli.ts";
import { type FLAGS, PUBLISHED, UNSEEDED_CAUSE } from "./document.ts";
import type { DocumentCalls } from "./document_call.ts";
import type { HoldoutRun } from "./holdout.ts";
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
        metricsTable(
          Object.fromEntries(
            Object.entries(r.metrics).filter(([m]) => m.endsWith(`_at_${k}`)),
          ),
          4,
        ),
        metricsFigure(d.runs, k),
      ],
    },
    versusSection(d),
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

function versusSection(d: AlsReportData): Section {
  const heading = `ALS against popularity at k = ${d.k}`;
  if (d.versus.length === 0) {
    return {
      heading,
      blocks: [paragraph("Needs at least two model seeds (--repeats 2).")],
    };
  }
  return {
    heading,
    blocks: [
      ...notesWith("ALS against popularity", {
        seeds: d.runs.length,
        users: d.versus[0].users.n,
      }),
      {
        kind: "table",
        header: [
          "metric",
          "ALS − popularity (mean over seeds)",
          "95 % CI over seeds (paired t)",
          "p (paired t)",
          "95 % CI over test users (paired bootstrap)",
        ],
        rows: d.versus.map((v) => [
          `${v.metric}@${d.k}`,
          v.seeds.mean,
          `[${v.seeds.lo.toFixed(4)}, ${v.seeds.hi.toFixed(4)}]`,
          v.seeds.p.toPrecision(2),
          `[${v.users.lo.toFixed(4)}, ${v.users.hi.toFixed(4)}]`,
        ]),
        precision: [null, 4, null, null, null],
      },
      ...d.versus.map((v) => paragraph(versusSentence(v, d.k) + ".")),
    ],
  };
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

/** Grouped bars of the holdout metrics at `k`, mean ± std over seeds. */
function metricsFigure(runs: readonly HoldoutRun[], k: number): Block {
  const names = ["precision", "map", "ndcg", "auc"] as const;
  const bar = (label: string, pick: (r: HoldoutRun) => RankingMetrics) => {
    const s = names.map((n) => summarize(runs.map((r) => pick(r)[n])));
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
    data: [bar("ALS", (r) => r.als), bar("popularity", (r) => r.popularity)],
    layout: {
      title: { text: "Ranking metrics: ALS beside the popularity baseline" },
      barmode: "group",
      xaxis: { title: { text: "metric" } },
      yaxis: {
        title: { text: "value (mean ± std over seeds)" },
        range: [0, 1],
      },
    },
    caption:
      `Holdout ranking metrics at k = ${k}: ALS against the popularity baseline.`,
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
    `  popularity ${line("popularity")}`,
  ].join("\n");
}
