/**
 * The figures of `reports/google.html`: configuration 1's loss curves with
 * the document's printed values, the regularised model's curves beside the
 * γ = 0 run's, the 2-D projection of the movie embeddings by genre and the
 * embedding norms against popularity. Plotted values are rounded to 4
 * decimals to keep the page small.
 *
 * @module
 */

import type { SparseMfFit } from "../../lib/models/sparse_mf/sparse_mf.ts";
import { bandFigure } from "../../lib/report/band.ts";
import type { Block } from "../../lib/report/html.ts";
import { PUBLISHED } from "./document.ts";

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Every `STEP`-th epoch of each seed's curve (and the last), rounded to 4 decimals: the page stays small. */
const STEP = 5;

/** The sampled epochs (1-based) of curves `n` epochs long. */
function sampledEpochs(n: number): number[] {
  const x: number[] = [];
  for (let e = 1; e <= n; e++) {
    if (e === 1 || e % STEP === 0 || e === n) x.push(e);
  }
  return x;
}

/** Configuration 1: train and validation MSE as mean ± 1 std over seeds, and the document's points. */
export function lossFigure(fits: SparseMfFit[], title: string): Block {
  const x = sampledEpochs(fits[0].curves.trainMse.length);
  const runs = (key: "trainMse" | "valMse") =>
    fits.map((f) => x.map((e) => r4(f.curves[key][e - 1])));
  const band = bandFigure({
    title,
    xTitle: "epoch",
    yTitle: "MSE",
    logY: true,
    series: [
      {
        name: `train (mean ± 1 std over ${fits.length} seeds)`,
        x,
        runs: runs("trainMse"),
      },
      {
        name: `validation (mean ± 1 std over ${fits.length} seeds)`,
        x,
        runs: runs("valMse"),
      },
    ],
    points: [
      {
        name: "document train",
        x: [...PUBLISHED.epochs],
        y: [...PUBLISHED.train],
      },
      {
        name: "document validation",
        x: [...PUBLISHED.epochs],
        y: [...PUBLISHED.val],
      },
    ],
    caption:
      `Loss curves of configuration 1 (log scale; every ${STEP}th epoch): the mean over seeds with a ±1 std band, with the document's printed values.`,
  });
  return band;
}

/** The regularised model's curves (first seed) beside those of the γ = 0 run. */
export function regFigure(fit: SparseMfFit, l2: SparseMfFit): Block {
  const x = Array.from({ length: fit.curves.trainMse.length }, (_, e) => e + 1);
  const y = (a: Float64Array) => Array.from(a, r4);
  return {
    kind: "figure",
    data: [
      {
        type: "scatter",
        mode: "lines",
        x,
        y: y(fit.curves.trainMse),
        name: "train MSE",
      },
      {
        type: "scatter",
        mode: "lines",
        x,
        y: y(fit.curves.valMse),
        name: "validation MSE",
      },
      {
        type: "scatter",
        mode: "lines",
        x,
        y: y(fit.curves.objective),
        name: "objective (MSE + L2 + gravity)",
      },
      {
        type: "scatter",
        mode: "lines",
        x,
        y: y(l2.curves.trainMse),
        name: "train MSE, L2 only",
        line: { dash: "dot" },
      },
      {
        type: "scatter",
        mode: "lines",
        x,
        y: y(l2.curves.valMse),
        name: "validation MSE, L2 only",
        line: { dash: "dot" },
      },
    ],
    layout: {
      title: { text: "Regularised model: errors and objective by iteration" },
      xaxis: { title: { text: "iteration" } },
      yaxis: { title: { text: "MSE / objective" }, type: "log" },
    },
    caption:
      "Loss curves of the regularised model (first seed), and of the same model without gravity.",
  };
}

/** Movie embeddings on PC 1 and PC 2 (`scores`: nItems × 2), one trace per sampled genre. */
export function projectionFigure(
  scores: Float64Array,
  genres: readonly string[],
  titles: readonly string[],
  ratio: Float64Array,
): Block {
  const names = [...new Set(genres)].sort();
  return {
    kind: "figure",
    data: names.map((g) => {
      const idx = genres.flatMap((x, i) => (x === g ? [i] : []));
      return {
        type: "scatter",
        mode: "markers",
        name: g,
        x: idx.map((i) => r4(scores[2 * i])),
        y: idx.map((i) => r4(scores[2 * i + 1])),
        text: idx.map((i) => titles[i]),
        marker: { size: 4 },
      };
    }),
    layout: {
      title: { text: "Movie embeddings: first two principal components" },
      xaxis: {
        title: { text: `PC 1 (${(100 * ratio[0]).toFixed(1)} % of variance)` },
      },
      yaxis: {
        title: { text: `PC 2 (${(100 * ratio[1]).toFixed(1)} % of variance)` },
      },
    },
    caption:
      "Movie embeddings of the regularised model projected on their first two principal components, coloured by one sampled genre.",
  };
}

/** Embedding norm of each movie against its number of ratings, both models. */
export function normFigure(
  reg: Float64Array,
  adam: Float64Array,
  popularity: Int32Array,
  titles: readonly string[],
): Block {
  const x = Array.from(popularity);
  return {
    kind: "figure",
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: "regularised model",
        x,
        y: Array.from(reg, r4),
        text: titles,
        marker: { size: 4 },
      },
      {
        type: "scatter",
        mode: "markers",
        name: "configuration 1",
        x,
        y: Array.from(adam, r4),
        text: titles,
        marker: { size: 4 },
        yaxis: "y2",
      },
    ],
    layout: {
      title: { text: "Embedding norm by number of ratings" },
      xaxis: {
        title: { text: "number of ratings (all of ML-100K)" },
        type: "log",
      },
      yaxis: { title: { text: "embedding norm, regularised model" } },
      yaxis2: {
        title: { text: "embedding norm, configuration 1" },
        overlaying: "y",
        side: "right",
      },
    },
    caption: "Embedding norm of each movie against its number of ratings.",
  };
}
