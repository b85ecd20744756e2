/**
 * The sections of `reports/google.html` between the standard header and the
 * Configuration section: the document's table, why its numbers are poor, the
 * regularised model, neighbours, the 2-D projection, norms, the ONNX check
 * and timings. Fixed prose is in notes.md; figures in figures.ts.
 *
 * @module
 */

import type { Flags } from "../../lib/cli.ts";
import type { Block, Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import {
  type MetricSummary,
  type MetricValue,
  type Results,
  summarize,
} from "../../lib/report/results.ts";
import { comparisonTable, metricsTable } from "../../lib/report/summary.ts";
import type { EmbeddingFindings, NeighbourRow } from "./analysis.ts";
import {
  type FLAGS,
  PUBLISHED,
  TORCH_REFERENCE,
  TORCH_SECONDS,
} from "./document.ts";
import {
  lossFigure,
  normFigure,
  projectionFigure,
  regFigure,
} from "./figures.ts";
import type { GoogleFits } from "./fit.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** What the report shows besides the results record. */
export interface GoogleReportData {
  readonly flags: Flags<typeof FLAGS>;
  /** Seeds of the regularised model. */
  readonly regSeeds: readonly number[];
  /** The document's epochs the run reached. */
  readonly checkpoints: readonly number[];
  readonly fits: GoogleFits;
  /** Configuration 1's fit seconds per seed. */
  readonly fitSeconds: readonly number[];
  /** The title `--movie` matched. */
  readonly queryTitle: string;
  readonly found: EmbeddingFindings;
  /** The ONNX model's cosine neighbours equal the TypeScript ones. */
  readonly onnxCosineAgrees: boolean;
  /** One sampled genre per movie, titles and rating counts, in movie order. */
  readonly genres: readonly string[];
  readonly titles: readonly string[];
  readonly popularity: Int32Array;
}

/** A metric as the report prints it: 3 decimals, "mean ± std" for a summary. */
export function fmt(v: MetricValue): string {
  return typeof v === "number"
    ? v.toFixed(3)
    : `${v.mean.toFixed(3)} ± ${v.std.toFixed(3)}`;
}

/** The values of notes.md's `{{name}}` placeholders. */
function notesVars(
  r: Results,
  d: GoogleReportData,
): Record<string, string | number> {
  const m = r.metrics, f = d.flags, t = r.timings_s;
  const num = (k: string, digits = 3) => (m[k] as number).toFixed(digits);
  const count = (k: string) => m[k] as number;
  return {
    baseline: num("baseline_val_mse"),
    val_mse: fmt(m.val_mse),
    dim: f.dim,
    initial_train_mse: fmt(m.initial_train_mse),
    params: ((count("users") + count("items")) * f.dim).toLocaleString("en-US"),
    train_ratings: count("train_ratings").toLocaleString("en-US"),
    regularization: f.regularization,
    gravity: f.gravity,
    reg_dim: f["reg-dim"],
    reg_init_std: f["reg-init-std"],
    reg_lr: f["reg-lr"],
    reg_epochs: f["reg-epochs"],
    reg_seeds: d.regSeeds.length,
    reg_val_mse: fmt(m.reg_val_mse),
    l2_only_val_mse: num("l2_only_val_mse"),
    l2_only_best_val_mse: num("l2_only_best_val_mse"),
    reg_val_mean_prediction: fmt(m.reg_val_mean_prediction),
    val_mean_rating: num("val_mean_rating"),
    others: f.k - 1,
    reg_dot: count("reg_dot_neighbours_median_ratings"),
    reg_cosine: count("reg_cosine_neighbours_median_ratings"),
    adam_dot: count("adam_dot_neighbours_median_ratings"),
    adam_cosine: count("adam_cosine_neighbours_median_ratings"),
    onnx_ranking: d.onnxCosineAgrees
      ? "returns the same list"
      : "differs from this list",
    reg_corr: num("reg_norm_log_popularity_corr"),
    adam_corr: num("adam_norm_log_popularity_corr"),
    reg_seed: d.regSeeds[0],
    val_ratings: count("val_ratings"),
    onnx_val_mse: num("onnx_val_mse", 5),
    parity: count("onnx_parity_max_abs_diff").toExponential(2),
    seeds: r.seeds.length,
    adam_seconds: t.fit_adam_per_seed_median,
    epochs: f.epochs,
    reference_seconds: TORCH_SECONDS,
    init: f.init === "torch"
      ? "torch's own initial weights for torch.manual_seed(seed) (--init torch, the default: lib/torch_rng.ts draws them bit for bit), so each seed's run is the document's code run with that torch seed"
      : "initial weights from RandomState(seed).standard_normal (--init numpy): the same N(0, 1) distribution as torch's, other draws",
    reg_seconds: t.fit_regularised_per_seed_median,
  };
}

/** The report's sections. */
export function googleSections(r: Results, d: GoogleReportData): Section[] {
  const parts = prose(notesMarkdown, notesVars(r, d));
  const notes = (part: string) => proseUnder(parts, part);
  const nb = d.found.neighbours, found = d.found;
  return [
    {
      heading: "Published vs reproduced",
      blocks: [comparisonTable(r.comparisons, 3)],
    },
    {
      heading: "The document's table, every 100 epochs",
      blocks: [
        epochTable(d.fits.adam, d.checkpoints),
        lossFigure(
          d.fits.adam,
          "Configuration 1 (document): full-batch Adam, N(0, 1) init, dim 30",
        ),
      ],
    },
    {
      heading: "Why these numbers are poor",
      blocks: notes("Why these numbers are poor"),
    },
    {
      heading: "Configuration 2: the exercise's regularised model",
      blocks: [
        ...notes("Configuration 2"),
        regFigure(d.fits.reg[0], d.fits.l2),
      ],
    },
    {
      heading: `Nearest neighbours of ${d.queryTitle}`,
      blocks: [
        ...notes("Nearest neighbours"),
        neighbourTable(nb.reg_dot, "regularised model, dot product"),
        neighbourTable(nb.reg_cosine, "regularised model, cosine"),
        neighbourTable(nb.adam_dot, "configuration 1, dot product"),
        neighbourTable(nb.adam_cosine, "configuration 1, cosine"),
      ],
    },
    {
      heading: "Movie embeddings in two dimensions",
      blocks: [
        projectionFigure(
          found.projection.scores,
          d.genres,
          d.titles,
          found.projection.explainedVarianceRatio,
        ),
      ],
    },
    {
      heading: "Embedding norm against popularity",
      blocks: [
        ...notes("Embedding norm against popularity"),
        normFigure(found.regNorms, found.adamNorms, d.popularity, d.titles),
      ],
    },
    { heading: "ONNX export", blocks: notes("ONNX export") },
    {
      heading: "Timings and seeds",
      blocks: [
        ...notes("Timings and seeds"),
        seedTable(r, d.fitSeconds),
        metricsTable(r.metrics, 4),
      ],
    },
  ];
}

/** Per seed: configuration 1's train and validation MSE at its last epoch, and its fit seconds. */
function seedTable(r: Results, fitSeconds: readonly number[]): Block {
  const m = r.metrics;
  return {
    kind: "table",
    header: ["seed", "train MSE (epoch 1000)", "validation MSE", "fit (s)"],
    rows: r.seeds.map((s, k) => [
      s,
      (m.train_mse as MetricSummary).values[k],
      (m.val_mse as MetricSummary).values[k],
      fitSeconds[k],
    ]),
    precision: [null, 4, 4, 3],
  };
}

/** The document's table every 100 epochs beside ours (mean ± std over seeds). */
function epochTable(
  fits: GoogleFits["adam"],
  checkpoints: readonly number[],
): Block {
  return {
    kind: "table",
    header: [
      "epoch",
      "document train",
      "reproduced train (mean ± std)",
      "document validation",
      "reproduced validation (mean ± std)",
    ],
    rows: checkpoints.map((e) => {
      const j = PUBLISHED.epochs.indexOf(e as typeof PUBLISHED.epochs[number]);
      const tr = summarize(fits.map((f) => f.curves.trainMse[e - 1]));
      const va = summarize(fits.map((f) => f.curves.valMse[e - 1]));
      return [
        e,
        PUBLISHED.train[j],
        `${tr.mean.toFixed(3)} ± ${tr.std.toFixed(3)}`,
        PUBLISHED.val[j],
        `${va.mean.toFixed(3)} ± ${va.std.toFixed(3)}`,
      ];
    }),
    precision: [null, 3, null, 3, null],
    caption:
      `Train loss (before the epoch's step) and validation loss (after it), as the document prints them, over ${fits.length} seeds (sample sd). ` +
      `PyTorch re-run of the document's code at epoch 1000 over torch seeds ${
        TORCH_REFERENCE.seeds.join(", ")
      }: ${refText(1000, "train")} / ${refText(1000, "val")}.`,
  };
}

/** "mean ± sd" of the torch reference at `epoch`. */
function refText(epoch: number, curve: "train" | "val"): string {
  const s = summarize(TORCH_REFERENCE.at(epoch, curve));
  return `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;
}

/** A neighbour list: title, similarity and number of ratings. */
function neighbourTable(rows: readonly NeighbourRow[], caption: string): Block {
  return {
    kind: "table",
    header: ["movie", "score", "ratings"],
    rows: rows.map((r) => [r.title, r.score, r.ratings]),
    precision: [null, 3, 0],
    caption,
  };
}
