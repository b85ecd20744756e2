/**
 * The sections of `reports/surprise.html` between the standard header and
 * the Configuration section.
 *
 * @module
 */

import { type Block, type Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import { type Results, summarize } from "../../lib/report/results.ts";
import type { TableBlock } from "../../lib/report/table.ts";
import { comparisonTable } from "../../lib/report/summary.ts";
import { DOCUMENT_URL, PUBLISHED_TABLE } from "./document.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** One algorithm's cross-validation: per-fold figures and seconds. */
export interface AlgorithmRun {
  /** Metric prefix (document.ts `PublishedRow.key`). */
  readonly key: string;
  /** Surprise class name. */
  readonly algorithm: string;
  readonly rmse: number[];
  readonly mae: number[];
  readonly fitSeconds: number[];
  readonly testSeconds: number[];
}

const NOTES = "What Surprise did, and what differs here";
const MISSING = "Rows not reproduced";

/** The report's sections. */
export function surpriseSections(
  r: Results,
  runs: readonly AlgorithmRun[],
): Section[] {
  const parts = prose(notesMarkdown, { url: DOCUMENT_URL });
  return [
    {
      heading: "Published vs reproduced",
      blocks: [comparisonTable(r.comparisons, 4)],
    },
    {
      heading: "The README's table beside this run",
      blocks: [sideBySide(runs)],
    },
    { heading: NOTES, blocks: proseUnder(parts, NOTES) },
    { heading: MISSING, blocks: proseUnder(parts, MISSING) },
    { heading: "Per fold", blocks: [perFold(runs)] },
    { heading: "RMSE by algorithm", blocks: [rmseFigure(runs)] },
  ];
}

/** RMSE per algorithm: the README's figure beside this run's mean (bars: ± std over folds). */
function rmseFigure(runs: readonly AlgorithmRun[]): Block {
  const byKey = new Map(runs.map((x) => [x.key, x]));
  const rows = PUBLISHED_TABLE.filter((p) => byKey.has(p.key));
  const labels = rows.map((p) => p.label);
  const here = rows.map((p) => summarize(byKey.get(p.key)!.rmse));
  return {
    kind: "figure",
    data: [
      {
        type: "bar",
        name: "README",
        x: labels,
        y: rows.map((p) => p.rmse),
      },
      {
        type: "bar",
        name: "here (mean ± std over folds)",
        x: labels,
        y: here.map((h) => h.mean),
        error_y: { type: "data", array: here.map((h) => h.std), visible: true },
      },
    ],
    layout: {
      title: { text: "RMSE by algorithm: Surprise's README beside this run" },
      barmode: "group",
      xaxis: { title: { text: "algorithm (Surprise 1.1.4 defaults)" } },
      yaxis: { title: { text: "RMSE (stars)" }, rangemode: "tozero" },
    },
    caption:
      "RMSE of each algorithm under 5-fold cross-validation on ML-100K: the README's figure beside this run's mean over folds.",
  };
}

function sideBySide(runs: readonly AlgorithmRun[]): TableBlock {
  const byKey = new Map(runs.map((x) => [x.key, x]));
  const ms = (v: number[]) => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
    return `${m.toFixed(4)} ± ${sd.toFixed(4)}`;
  };
  const total = (v: number[]) => v.reduce((s, x) => s + x, 0);
  return {
    kind: "table",
    caption:
      "Surprise README (ML-100K, 5-fold CV) beside this run: mean ± std over folds; " +
      "fit and test seconds summed over folds on this machine.",
    header: [
      "algorithm",
      "RMSE (README)",
      "RMSE (here)",
      "MAE (README)",
      "MAE (here)",
      "time (README)",
      "fit s",
      "test s",
    ],
    precision: [null, 3, null, 3, null, null, 2, 2],
    rows: PUBLISHED_TABLE.map((p) => {
      const x = byKey.get(p.key);
      return x
        ? [
          p.label,
          p.rmse,
          ms(x.rmse),
          p.mae,
          ms(x.mae),
          p.time,
          total(x.fitSeconds),
          total(x.testSeconds),
        ]
        : [p.label, p.rmse, "not implemented", p.mae, "–", p.time, "–", "–"];
    }),
  };
}

function perFold(runs: readonly AlgorithmRun[]): TableBlock {
  const n = runs[0]?.rmse.length ?? 0;
  const folds = Array.from({ length: n }, (_, j) => `fold ${j + 1}`);
  return {
    kind: "table",
    caption: "Test RMSE / MAE of each fold (KFold order).",
    header: ["algorithm", "metric", ...folds],
    precision: [null, null, ...folds.map(() => 4)],
    rows: runs.flatMap((x) => [
      [x.algorithm, "RMSE", ...x.rmse],
      [x.algorithm, "MAE", ...x.mae],
    ]),
  };
}
