/**
 * The sections of `reports/spotlight.html` between the standard header and
 * the Configuration section.
 *
 * @module
 */

import {
  errorHistogramFigure,
  predictionsByRatingFigure,
} from "../../lib/report/figures.ts";
import { type Block, paragraph, type Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import { type Results, summarize } from "../../lib/report/results.ts";
import { comparisonTable, metricsTable } from "../../lib/report/summary.ts";
import { PUBLISHED_EPOCH_LOSS } from "./document.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** What the report shows besides the results record. */
export interface SpotlightReportData {
  /** Per-epoch summed and mean loss of the first seed. */
  readonly firstEpochs: readonly { sumLoss: number; meanLoss: number }[];
  /** The first seed's ONNX scores of the test set and the test ratings. */
  readonly onnxScores: Float32Array;
  readonly testRatings: Float32Array;
  readonly onnxRmse: number;
  readonly parity: number;
  /** Per seed: train RMSE, test RMSE, fit seconds. */
  readonly trainRmse: readonly number[];
  readonly testRmse: readonly number[];
  readonly fitSeconds: readonly number[];
}

const NOTES = "What Spotlight did, and what differs here";

/** The report's sections. */
export function spotlightSections(
  r: Results,
  d: SpotlightReportData,
): Section[] {
  const seed0 = r.seeds[0];
  return [
    {
      heading: "Published vs reproduced",
      blocks: [comparisonTable(r.comparisons, null)],
    },
    { heading: NOTES, blocks: proseUnder(prose(notesMarkdown), NOTES) },
    {
      heading: "Training loss",
      blocks: [
        paragraph(
          `Per-epoch loss of seed ${seed0}, summed over minibatches as the document printed it (mean per minibatch: ` +
            `${d.firstEpochs.map((e) => e.meanLoss.toFixed(3)).join(", ")}).`,
        ),
        lossFigure(d.firstEpochs.map((e) => e.sumLoss)),
      ],
    },
    {
      heading: "Test predictions",
      blocks: [
        paragraph(
          `Seed ${seed0}'s ONNX model scoring the ${d.testRatings.length} test ratings: RMSE ${
            d.onnxRmse.toFixed(4)
          }; largest difference from the TypeScript forward pass ${
            d.parity.toExponential(2)
          } (float32 rounding).`,
        ),
        predictionsByRatingFigure(d.onnxScores, d.testRatings, {
          valueTitle: "predicted rating (ONNX)",
          caption:
            "Predicted vs actual rating on the test set: distribution of predictions for each actual rating.",
        }),
        errorHistogramFigure(d.onnxScores, d.testRatings, {
          countTitle: "test ratings",
          caption: "Distribution of test errors (ONNX predictions).",
        }),
      ],
    },
    {
      heading: `RMSE over ${r.seeds.length} model seeds`,
      blocks: [
        {
          kind: "table",
          header: ["seed", "train RMSE", "test RMSE", "fit (s)"],
          rows: r.seeds.map((
            s,
            k,
          ) => [s, d.trainRmse[k], d.testRmse[k], d.fitSeconds[k]]),
          precision: [null, 4, 4, 3],
        },
        metricsTable(r.metrics, 4),
      ],
    },
  ];
}

function lossFigure(loss: readonly number[]): Block {
  const x = loss.map((_, j) => j);
  return {
    kind: "figure",
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        x,
        y: loss,
        name: "reproduced",
      },
      {
        type: "scatter",
        mode: "lines+markers",
        x,
        y: PUBLISHED_EPOCH_LOSS.slice(0, loss.length),
        name: "document",
      },
    ],
    layout: {
      title: { text: "Training loss per epoch (seed 0) beside the document's" },
      xaxis: { title: { text: "epoch" }, dtick: 1 },
      yaxis: { title: { text: "loss summed over minibatches" }, type: "log" },
    },
    caption:
      "Training loss per epoch (log scale), reproduced beside the document's printout.",
  };
}

/** The printed summary: train and test RMSE over the seeds beside the document's, and the ONNX test RMSE. */
export function summaryLine(
  trainRmse: readonly number[],
  testRmse: readonly number[],
  onnxRmse: number,
): string {
  const tr = summarize(trainRmse), t = summarize(testRmse);
  return `Train RMSE ${tr.mean.toFixed(3)} ± ${tr.std.toFixed(3)}, test RMSE ${
    t.mean.toFixed(3)
  } ± ${
    t.std.toFixed(3)
  } over ${testRmse.length} seeds (document: 0.897, 0.940); ` +
    `ONNX test RMSE ${onnxRmse.toFixed(4)}`;
}
