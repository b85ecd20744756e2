/**
 * The sections of `reports/fastai.html` between the standard header and the
 * Configuration section.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import { type Block, paragraph, type Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import type {
  MetricSummary,
  MetricValue,
  Results,
} from "../../lib/report/results.ts";
import { comparisonTable, metricsTable } from "../../lib/report/summary.ts";
import { PUBLISHED, type Reading } from "./document.ts";
import { barFigure, type Curve, curveFigure, edaFigures } from "./figures.ts";
import { type MethodVersus, versusSentence } from "./versus.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** What the report shows besides the results record. */
export interface FastaiReportData {
  /** Per-epoch history of every Keras fit. */
  readonly curves: readonly Curve[];
  /** All ratings, for the exploratory plots. */
  readonly data: Interactions;
  /** Comparisons between the blog's methods (empty with fewer than 2 seeds). */
  readonly versus: readonly MethodVersus[];
  /** The learning-rate readings that were run. */
  readonly readings: readonly Reading[];
}

const SUMMARY = "Summary table, sorted by RMSE";
const LEAK = "The cosine-similarity leak";
const LR = "The learning-rate switches";
const METHOD = "How the blog computed each row";
const VERSUS = "Which method is better, with its uncertainty";

/** A method's name in the comparison sentences. */
function label(name: string): string {
  return ({ nn: "NN", dot_bias: "dot+bias", dot: "dot", svd: "SVD" } as Record<
    string,
    string
  >)[name] ?? name;
}

/** The method comparisons: RMSE differences over seeds and over test ratings. */
function versusTable(rows: readonly MethodVersus[]): Block {
  const ci = (lo: number, hi: number) => `[${lo.toFixed(4)}, ${hi.toFixed(4)}]`;
  return {
    kind: "table",
    header: [
      "A − B (test RMSE)",
      "mean over seeds",
      "95 % CI over seeds (paired t)",
      "p (paired t)",
      "95 % CI over test ratings (paired bootstrap)",
    ],
    rows: rows.map((v) => [
      `${label(v.a)} − ${label(v.b)}`,
      v.seeds.mean,
      ci(v.seeds.lo, v.seeds.hi),
      v.seeds.p.toPrecision(2),
      ci(v.ratings.lo, v.ratings.hi),
    ]),
    precision: [null, 4, null, null, null],
  };
}

/** The report's sections. */
export function fastaiSections(r: Results, d: FastaiReportData): Section[] {
  const m = r.metrics;
  const notes = prose(notesMarkdown, {
    seeds: r.seeds.length,
    averaged: num(m, "rmse_averaged_mean").toFixed(4),
    cold: String(m.test_ratings_of_cold_movies),
  });
  return [
    {
      heading: SUMMARY,
      blocks: [
        ...proseUnder(notes, SUMMARY),
        comparisonTable(r.comparisons, 6),
        barFigure(r.comparisons),
      ],
    },
    {
      heading: LEAK,
      blocks: [
        ...proseUnder(notes, LEAK),
        leakTable(m),
        ...proseUnder(notes, "After the leak table"),
      ],
    },
    {
      heading: LR,
      blocks: [
        ...proseUnder(notes, LR),
        lrTable(m),
        paragraph(
          d.readings.length === 2
            ? verdict(m)
            : "Only one reading was run (--readings).",
        ),
      ],
    },
    {
      heading: VERSUS,
      blocks: d.versus.length === 0
        ? [paragraph("Needs at least two model seeds (--repeats 2).")]
        : [
          ...proseUnder(notes, VERSUS),
          versusTable(d.versus),
          ...d.versus.map((v) => paragraph(versusSentence(v, label) + ".")),
        ],
    },
    {
      heading: "Training curves of the Keras rows",
      blocks: [
        curveFigure(d.curves, "testRmse", "test RMSE (Keras validation)"),
        curveFigure(d.curves, "trainLoss", "training loss (MSE + L2 penalty)"),
      ],
    },
    {
      heading: "Exploratory plots (the blog's appendix)",
      blocks: edaFigures(d.data),
    },
    { heading: METHOD, blocks: proseUnder(notes, METHOD) },
    { heading: "All metrics", blocks: [metricsTable(m, 6)] },
  ];
}

/** A metric's value, or its mean over seeds. */
function num(m: Readonly<Record<string, MetricValue>>, key: string): number {
  const v = m[key];
  return typeof v === "number" ? v : v.mean;
}

/** The blog's (leaky) cosine rows beside the corrected ones. */
function leakTable(m: Readonly<Record<string, MetricValue>>): Block {
  return {
    kind: "table",
    header: ["row", "blog (leaky)", "corrected (from train)"],
    rows: [
      [
        "Movie-based Cosine Similarity",
        num(m, "rmse_item_cosine_leaky"),
        num(m, "rmse_item_cosine_train"),
      ],
      [
        "User-based Cosine Similarity",
        num(m, "rmse_user_cosine_leaky"),
        num(m, "rmse_user_cosine_train"),
      ],
    ],
    precision: [null, 6, 6],
  };
}

/** The two dot-product rows under both learning-rate readings, mean ± std. */
function lrTable(m: Readonly<Record<string, MetricValue>>): Block {
  const rows: (string | number)[][] = [];
  for (
    const [kind, label] of [
      ["dot", "Dot Product"],
      ["dot_bias", "Dot Product with Bias"],
    ] as const
  ) {
    const row: (string | number)[] = [label, PUBLISHED[`rmse_${kind}`]];
    for (const r of ["ignored", "applied"] as const) {
      const key = `rmse_${kind}${r === "applied" ? "_lr_applied" : ""}`;
      const v = m[key] as MetricSummary | undefined;
      row.push(v ? `${v.mean.toFixed(4)} ± ${v.std.toFixed(4)}` : "not run");
    }
    rows.push(row);
  }
  return {
    kind: "table",
    header: ["row", "published", "lr stays 0.001", "lr switches to 0.01"],
    rows,
    precision: [null, 4, null, null],
  };
}

/** Which reading lies closer to each published Keras figure, in units of the seed std. */
export function verdict(m: Readonly<Record<string, MetricValue>>): string {
  const parts = (["dot", "dot_bias"] as const).map((kind) => {
    const pub = PUBLISHED[`rmse_${kind}`];
    const a = m[`rmse_${kind}`] as MetricSummary;
    const b = m[`rmse_${kind}_lr_applied`] as MetricSummary;
    const da = Math.abs(a.mean - pub), db = Math.abs(b.mean - pub);
    const sd = (d: number, s: MetricSummary) =>
      s.std > 0 ? `${(d / s.std).toFixed(1)} std` : "n/a std";
    return `${
      kind === "dot" ? "dot product" : "dot product with bias"
    }: lr stays 0.001 is ${da.toFixed(4)} from ${pub} (${
      sd(da, a)
    }), lr switches is ${db.toFixed(4)} (${sd(db, b)}) — the ${
      da <= db ? "'stays 0.001'" : "'switches'"
    } reading is closer`;
  });
  return parts.join("; ") +
    ". The neural network has a single fit call, so no switch.";
}
