/**
 * Ready-made report figures of a model's predictions on held-out ratings:
 * one box per actual rating level, and a histogram of the errors. Values are
 * rounded to 1e-4 so the embedded JSON stays small.
 *
 * @module
 */

import type { FigureBlock } from "./figure.ts";

/** Texts of {@linkcode predictionsByRatingFigure}. */
export interface PredictionsByRatingText {
  /** Title of the prediction axis, e.g. "predicted rating (ONNX)". */
  readonly valueTitle?: string;
  /** The figure's title. */
  readonly title?: string;
  readonly caption?: string;
}

/** Texts of {@linkcode errorHistogramFigure}. */
export interface ErrorHistogramText {
  /** Title of the count axis, e.g. "test ratings". */
  readonly countTitle?: string;
  /** The figure's title. */
  readonly title?: string;
  readonly caption?: string;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function checkPairs(pred: ArrayLike<number>, actual: ArrayLike<number>) {
  if (pred.length !== actual.length) {
    throw new RangeError(
      `predictions (${pred.length}) and ratings (${actual.length}) differ in length`,
    );
  }
}

/**
 * Box plot of predicted ratings grouped by actual rating: one box trace
 * (`name` "r stars") per distinct value of `actual`, ascending, holding the
 * predictions of the pairs with that rating.
 *
 * @param pred predicted ratings, shape [n]
 * @param actual actual ratings, shape [n]
 * @throws {RangeError} when the lengths differ.
 */
export function predictionsByRatingFigure(
  pred: Float32Array,
  actual: Float32Array,
  text: PredictionsByRatingText = {},
): FigureBlock {
  checkPairs(pred, actual);
  const levels = [...new Set(actual)].sort((a, b) => a - b);
  return {
    kind: "figure",
    data: levels.map((r) => ({
      type: "box",
      name: `${r} stars`,
      y: Array.from(pred.filter((_, j) => actual[j] === r), round4),
      boxpoints: false,
    })),
    layout: {
      title: { text: text.title ?? "Predicted rating by actual rating" },
      xaxis: { title: { text: "actual rating" } },
      yaxis: { title: { text: text.valueTitle ?? "predicted rating" } },
      showlegend: false,
    },
    caption: text.caption ??
      "Predicted vs actual rating: distribution of predictions for each actual rating.",
  };
}

/**
 * Histogram of `pred[j] − actual[j]` in bins of 0.1 from −4 to 4 (errors
 * outside are left out by Plotly, not clipped).
 *
 * @param pred predicted ratings, shape [n]
 * @param actual actual ratings, shape [n]
 * @throws {RangeError} when the lengths differ.
 */
export function errorHistogramFigure(
  pred: Float32Array,
  actual: Float32Array,
  text: ErrorHistogramText = {},
): FigureBlock {
  checkPairs(pred, actual);
  return {
    kind: "figure",
    data: [{
      type: "histogram",
      x: Array.from(pred, (p, j) => round4(p - actual[j])),
      xbins: { start: -4, end: 4, size: 0.1 },
      name: "error",
    }],
    layout: {
      title: { text: text.title ?? "Prediction errors" },
      xaxis: { title: { text: "prediction − rating (stars)" } },
      yaxis: { title: { text: text.countTitle ?? "ratings" } },
    },
    caption: text.caption ?? "Distribution of prediction errors.",
  };
}
