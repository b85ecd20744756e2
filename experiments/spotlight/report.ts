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
import { bandFigure } from "../../lib/report/band.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import { type Results, summarize } from "../../lib/report/results.ts";
import { comparisonTable, metricsTable } from "../../lib/report/summary.ts";
import { PUBLISHED_EPOCH_LOSS } from "./document.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** What the report shows besides the results record. */
export interface SpotlightReportData {
  /** Per-epoch summed and mean loss of the first seed. */
  readonly firstEpochs: readonly { sumLoss: number; meanLoss: number }[];
  /** Every seed's loss per epoch, summed over minibatches: shape [seeds][epochs]. */
  readonly epochLosses: readonly (readonly number[])[];
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
          `Per-epoch loss summed over minibatches, as the document printed it, for every model seed (seed ${seed0}'s mean per minibatch: ` +
            `${d.firstEpochs.map((e) => e.meanLoss.toFixed(3)).join(", ")}).`,
        ),
        lossFigure(d.epochLosses),
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

/** Every seed's summed loss per epoch as mean ± 1 std, the document's printout overlaid. */
function lossFigure(losses: readonly (readonly number[])[]): Block {
  const x = losses[0].map((_, j) => j);
  return bandFigure({
    title:
      `Training loss per epoch over ${losses.length} seeds beside the document's`,
    xTitle: "epoch",
    yTitle: "loss summed over minibatches",
    logY: true,
    series: [{
      name: `reproduced (mean ± 1 std over ${losses.length} seeds)`,
      x,
      runs: losses,
    }],
    points: [{
      name: "document (one unseeded run)",
      x,
      y: PUBLISHED_EPOCH_LOSS.slice(0, x.length),
    }],
    caption:
      "Training loss per epoch (log scale): the mean over model seeds with a ±1 std band, beside the document's printout.",
  });
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
