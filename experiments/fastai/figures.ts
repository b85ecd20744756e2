/**
 * The figures of `reports/fastai.html`: the Summary table as bars, the
 * Keras fits' training curves, and the blog's exploratory plots.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import type { Block } from "../../lib/report/html.ts";
import { bandFigure } from "../../lib/report/band.ts";
import type { Comparison } from "../../lib/report/results.ts";
import { type Reading, ROW_NAMES } from "./document.ts";

/** Per-epoch history of one Keras fit. */
export interface Curve {
  readonly model: "dot" | "dot_bias" | "nn";
  readonly reading: Reading;
  readonly seed: number;
  /** Mean training loss (data term plus L2 penalty) per epoch. */
  readonly trainLoss: readonly number[];
  /** Test RMSE after each epoch. */
  readonly testRmse: readonly number[];
}

/** A fit's name in legends and progress lines, e.g. "dot, lr ignored, seed 0". */
export function fitLabel(
  c: { model: Curve["model"]; reading: Reading; seed: number },
): string {
  return `${c.model}${
    c.model === "nn" ? "" : `, lr ${c.reading}`
  }, seed ${c.seed}`;
}

/** Published and reproduced test RMSE per blog row, the extra rows beside their blog row. */
export function barFigure(rows: readonly Comparison[]): Block {
  const shown = rows.filter((r) => r.metric in ROW_NAMES);
  const labels = shown.map((r) => ROW_NAMES[r.metric]);
  const extra = rows.filter((r) => !(r.metric in ROW_NAMES));
  return {
    kind: "figure",
    data: [
      {
        type: "bar",
        name: "published",
        x: labels,
        y: shown.map((r) => r.published),
      },
      {
        type: "bar",
        name: "reproduced",
        x: labels,
        y: shown.map((r) => r.reproduced),
      },
      {
        type: "bar",
        name: "corrected / other reading",
        x: extra.map((r) =>
          ROW_NAMES[
            r.metric.replace("_train", "_leaky").replace("_lr_applied", "")
          ]
        ),
        y: extra.map((r) => r.reproduced),
      },
    ],
    layout: {
      title: { text: "Test RMSE per recommender: published and reproduced" },
      barmode: "group",
      xaxis: { title: { text: "recommender (blog's name)" }, automargin: true },
      yaxis: { title: { text: "test RMSE (stars)" }, rangemode: "tozero" },
    },
    caption:
      "Test RMSE per row: published, reproduced, and the corrected cosine rows / the lr-applied reading beside their blog row.",
  };
}

/** One line per Keras fit over epochs: test RMSE, or training loss on a log scale. */
export function curveFigure(
  curves: readonly Curve[],
  field: "testRmse" | "trainLoss",
  title: string,
): Block {
  // One band per configuration (model and lr reading) over its seeds.
  const groups = new Map<string, Curve[]>();
  for (const c of curves) {
    const key = fitLabel(c).replace(/, seed \d+$/, "");
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const longest = Math.max(0, ...curves.map((c) => c[field].length));
  return bandFigure({
    title: field === "testRmse"
      ? "Keras fits: test RMSE by epoch"
      : "Keras fits: training loss by epoch",
    xTitle: "epoch",
    yTitle: title,
    logY: field === "trainLoss",
    series: [...groups].map(([name, cs]) => ({
      name,
      x: Array.from({ length: longest }, (_, j) => j + 1),
      runs: cs.map((c) => c[field]),
      showRuns: true,
    })),
    caption: field === "testRmse"
      ? "Test RMSE after each epoch (Keras' validation_data): per configuration the mean over seeds with a ±1 std band, each seed faint."
      : "Mean training loss per epoch (data term with dropout on, plus the L2 penalty), log scale: mean over seeds ± 1 std, each seed faint.",
  });
}

/** The blog's appendix: mean rating by genre, the ratings histogram, reviews per user and per movie. */
export function edaFigures(data: Interactions): Block[] {
  const counts = new Map<number, number>();
  for (const r of data.ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
  const levels = [...counts.keys()].sort((a, b) => a - b);
  const perUser = new Int32Array(data.nUsers),
    perItem = new Int32Array(data.nItems);
  for (let r = 0; r < data.users.length; r++) {
    perUser[data.users[r]]++;
    perItem[data.items[r]]++;
  }
  return [
    genreFigure(data),
    {
      kind: "figure",
      data: [{ type: "bar", x: levels, y: levels.map((l) => counts.get(l)!) }],
      layout: {
        title: { text: "Ratings by star value" },
        xaxis: { title: { text: "Rating" }, dtick: 0.5 },
        yaxis: { title: { text: "Number of reviews" } },
      },
      caption: "Ratings histogram.",
    },
    countHistogram(perUser, "Reviews per user", [20, 120]),
    countHistogram(perItem, "Reviews per movie", [0, 100]),
  ];
}

/** Mean rating over every (rating, genre of its movie) pair, by genre. */
function genreFigure(data: Interactions): Block {
  const genreSum = new Map<string, number>(),
    genreCount = new Map<string, number>();
  for (let r = 0; r < data.users.length; r++) {
    const info = data.itemInfo.get(data.itemIds.raw[data.items[r]]);
    for (const g of info?.genres ?? []) {
      genreSum.set(g, (genreSum.get(g) ?? 0) + data.ratings[r]);
      genreCount.set(g, (genreCount.get(g) ?? 0) + 1);
    }
  }
  const genres = [...genreSum.keys()].sort();
  return {
    kind: "figure",
    data: [{
      type: "bar",
      x: genres,
      y: genres.map((g) => genreSum.get(g)! / genreCount.get(g)!),
    }],
    layout: {
      title: { text: "Mean rating by genre" },
      xaxis: { title: { text: "Genre" }, tickangle: 45, automargin: true },
      yaxis: { title: { text: "mean rating (axis from 3)" }, range: [3, 4] },
    },
    caption:
      "Rating by genre: mean rating over every (rating, genre of its movie) pair, as the blog's barplot of the unpacked table.",
  };
}

/** Density histogram of per-user or per-movie counts with unit bins, x axis cut to `range`. */
function countHistogram(
  x: Int32Array,
  label: string,
  range: [number, number],
): Block {
  return {
    kind: "figure",
    data: [{
      type: "histogram",
      x: Array.from(x),
      histnorm: "probability density",
      xbins: { start: 0.5, size: 1 },
    }],
    layout: {
      title: { text: `Distribution: ${label}` },
      xaxis: { title: { text: label }, range },
      yaxis: { title: { text: "pdf" } },
    },
    caption: `${label}: density with unit bins, x axis cut as in the blog (${
      range[0]
    }–${range[1]}; max ${Math.max(...x)}).`,
  };
}
