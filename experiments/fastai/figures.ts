/**
 * The figures of `reports/fastai.html`: the Summary table as bars, the
 * Keras fits' training curves, and the blog's exploratory plots.
 *
 * @module
 */

import type { Interactions } from "../../lib/data/interactions.ts";
import type { Block } from "../../lib/report/html.ts";
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
      barmode: "group",
      xaxis: { title: { text: "recommender (blog's name)" } },
      yaxis: { title: { text: "test RMSE" }, range: [0.7, 1.3] },
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
  return {
    kind: "figure",
    data: curves.map((c) => ({
      type: "scatter",
      mode: "lines+markers",
      name: fitLabel(c),
      x: c[field].map((_, j) => j + 1),
      y: c[field],
    })),
    layout: {
      xaxis: { title: { text: "epoch" } },
      yaxis: {
        title: { text: title },
        ...(field === "trainLoss" ? { type: "log" } : {}),
      },
    },
    caption: field === "testRmse"
      ? "Test RMSE after each epoch (Keras' validation_data) for every Keras fit."
      : "Mean training loss per epoch (data term with dropout on, plus the L2 penalty), log scale.",
  };
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
      xaxis: { title: { text: "Genre" }, tickangle: 45 },
      yaxis: { title: { text: "mean rating" }, range: [3, 4] },
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
      xaxis: { title: { text: label }, range },
      yaxis: { title: { text: "pdf" } },
    },
    caption: `${label}: density with unit bins, x axis cut as in the blog (${
      range[0]
    }–${range[1]}; max ${Math.max(...x)}).`,
  };
}
