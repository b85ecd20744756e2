/**
 * The sections of `reports/keras.html` between the standard header and the
 * Configuration section: the comparison, the notes, the loss curves beside
 * the document's printout, the three models' summaries, the ONNX exports
 * and the per-seed table.
 *
 * @module
 */

import { mlpSummary, type SummaryRow } from "../../lib/models/mlp/mlp.ts";
import { predictionsByRatingFigure } from "../../lib/report/figures.ts";
import { type Block, paragraph, type Section } from "../../lib/report/html.ts";
import { prose, proseUnder } from "../../lib/report/prose.ts";
import {
  median,
  metricNumber,
  type MetricSummary,
  type MetricValue,
  type Results,
  summarize,
} from "../../lib/report/results.ts";
import { comparisonTable, metricsTable } from "../../lib/report/summary.ts";
import {
  type KerasFlags,
  type MlpShape,
  type ModelName,
  MODELS,
  PUBLISHED_CURVES,
} from "./document.ts";
import { type Curve, trainLoss, valLoss } from "./metrics.ts";
import {
  BOOTSTRAP_RESAMPLES,
  type PairComparison,
  pairSentence,
} from "./pairs.ts";
import notesMarkdown from "./notes.md" with { type: "text" };

/** What the report shows besides the results record. */
export interface KerasReportData {
  /** Per model, one curve per seed over the document's epochs. */
  readonly curves: Readonly<Record<ModelName, readonly Curve[]>>;
  /** ExplicitMF per seed, continued past the document's epochs. */
  readonly mfLong: readonly Curve[];
  /** The run's flags (epochs, dim, init-limit, l2). */
  readonly flags: Pick<KerasFlags, "epochs" | "dim" | "init-limit" | "l2">;
  readonly nUsers: number;
  readonly nItems: number;
  readonly mlp: MlpShape;
  /** The first seed's ONNX export per model: test MSE and parity. */
  readonly onnxMse: Readonly<Record<ModelName, number>>;
  readonly parity: Readonly<Record<ModelName, number>>;
  /** The bias model's ONNX scores of the test set, and the test ratings. */
  readonly onnxScoresBias: Float32Array;
  readonly testRatings: Float32Array;
  /** Per model and seed: fit seconds. */
  readonly fitSeconds: Readonly<Record<ModelName, readonly number[]>>;
  /** The three models against each other on the test set. */
  readonly pairs: readonly PairComparison[];
}

const NOTES = "What Keras did, and what differs here";
const CURVES = "Validation loss per epoch";
/** notes.md by heading, its placeholders filled. */
type Notes = ReturnType<typeof prose>;

/** The report's sections. */
export function kerasSections(r: Results, d: KerasReportData): Section[] {
  const { hidden, dropout } = d.mlp;
  const text = prose(notesMarkdown, {
    seeds: r.seeds.length,
    best_epoch: metricNumber(r.metrics.bias_best_epoch).toFixed(1),
    dim: d.flags.dim,
    init_limit: d.flags["init-limit"],
    l2: d.flags.l2,
    layers: [
      ...hidden.map((h, l) => `Dropout(${dropout[l]}) → Dense(${h}, relu)`),
      `Dropout(${dropout.at(-1)})`,
    ].join(" → "),
    epochs: d.flags.epochs,
    resamples: BOOTSTRAP_RESAMPLES,
  });
  return [
    {
      heading: "Published vs reproduced",
      blocks: [comparisonTable(r.comparisons, 4)],
    },
    { heading: NOTES, blocks: proseUnder(text, NOTES) },
    {
      heading: CURVES,
      blocks: [
        ...proseUnder(text, CURVES),
        curveFigure(d, valLoss, "validation loss (MSE + L2)"),
        curveFigure(d, trainLoss, "training loss (mean batch MSE + L2)"),
      ],
    },
    modelsSection(d, text),
    pairsSection(d, text),
    onnxSection(d),
    perSeedSection(r, d, text),
  ];
}

function modelsSection(d: KerasReportData, text: Notes): Section {
  const arch = { nUsers: d.nUsers, nItems: d.nItems, dim: d.flags.dim };
  return {
    heading: "Models",
    blocks: [
      summaryTable("ExplicitMF", factorSummary(arch, false)),
      summaryTable(
        "ExplicitMatrixFactorisationBias",
        factorSummary(arch, true),
      ),
      summaryTable("Neural model (MLP)", mlpSummary({ ...arch, ...d.mlp })),
      ...proseUnder(text, "Models"),
    ],
  };
}

const PAIRS = "The three models compared";

function pairsSection(d: KerasReportData, text: Notes): Section {
  const ci = (x: readonly [number, number]) =>
    `[${x[0].toFixed(4)}, ${x[1].toFixed(4)}]`;
  return {
    heading: PAIRS,
    blocks: d.pairs.length === 0
      ? [
        paragraph(
          "One seed only (--repeats 1): the models are compared over two seeds at least.",
        ),
      ]
      : [
        ...proseUnder(text, PAIRS),
        {
          kind: "table",
          header: [
            "A − B",
            "test MSE difference (mean over seeds)",
            "95 % CI over seeds (paired t)",
            "p",
            "95 % CI over test ratings (paired bootstrap)",
            "result",
          ],
          rows: d.pairs.map((c) => [
            `${c.a} − ${c.b}`,
            c.difference,
            ci(c.ci),
            c.p.toPrecision(2),
            ci(c.bootCi),
            pairSentence(c),
          ]),
          precision: [null, 4, null, null, null, null],
          caption:
            `Differences of test MSE (no penalty) after the document's last epoch; negative: A is better. ` +
            `Seeds pair the same seed's fits; the bootstrap resamples test ratings, each rating's squared error averaged over seeds.`,
        },
      ],
  };
}

function onnxSection(d: KerasReportData): Section {
  return {
    heading: "ONNX exports scoring the test set",
    blocks: [
      {
        kind: "table",
        header: [
          "model",
          "ONNX graph",
          "test MSE (ONNX)",
          "max |ONNX − TypeScript|",
        ],
        rows: MODELS.map((name) => [
          name,
          name === "mlp"
            ? "Gather ×2 → Concat → (Gemm → Relu)… → Gemm → Reshape"
            : "lib/onnx/export.ts factor graph (score, recommend, similar)",
          d.onnxMse[name],
          d.parity[name],
        ]),
        precision: [null, null, 4, 8],
      },
      predictionsByRatingFigure(d.onnxScoresBias, d.testRatings, {
        valueTitle: "predicted rating (bias model, ONNX)",
        caption:
          "The bias model's ONNX predictions on the test set, by actual rating.",
      }),
    ],
  };
}

function perSeedSection(
  r: Results,
  d: KerasReportData,
  text: Notes,
): Section {
  return {
    heading: `Per seed (${r.seeds.length} seeds)`,
    blocks: [
      ...proseUnder(text, "Per seed"),
      {
        kind: "table",
        header: [
          "seed",
          ...MODELS.flatMap((m) => [`${m} val MSE`, `${m} fit (s)`]),
        ],
        rows: r.seeds.map((s, k) => [
          s,
          ...MODELS.flatMap((m) => [
            (r.metrics[`${m}_val_mse`] as MetricSummary).values[k],
            d.fitSeconds[m][k],
          ]),
        ]),
        precision: [null, 4, 3, 4, 3, 4, 3],
      },
      metricsTable(r.metrics, 4),
    ],
  };
}

/** Keras' `model.summary()` rows of ExplicitMF (`biases` false) or the bias model. */
function factorSummary(
  a: { nUsers: number; nItems: number; dim: number },
  biases: boolean,
): SummaryRow[] {
  const { nUsers, nItems, dim } = a;
  const rows: SummaryRow[] = [
    { layer: "Item (InputLayer)", shape: [null, 1], params: 0 },
    { layer: "User (InputLayer)", shape: [null, 1], params: 0 },
    {
      layer: "ItemEmbedding (Embedding)",
      shape: [null, 1, dim],
      params: nItems * dim,
    },
    {
      layer: "UserEmbedding (Embedding)",
      shape: [null, 1, dim],
      params: nUsers * dim,
    },
    { layer: "FlattenItemE (Flatten)", shape: [null, dim], params: 0 },
    { layer: "FlattenUserE (Flatten)", shape: [null, dim], params: 0 },
  ];
  if (biases) {
    rows.push(
      { layer: "ItemBias (Embedding)", shape: [null, 1, 1], params: nItems },
      { layer: "UserBias (Embedding)", shape: [null, 1, 1], params: nUsers },
    );
  }
  rows.push({ layer: "DotProduct (Dot)", shape: [null, 1], params: 0 });
  if (biases) {
    rows.push(
      { layer: "FlattenItemBiasE (Flatten)", shape: [null, 1], params: 0 },
      { layer: "FlattenUserBiasE (Flatten)", shape: [null, 1], params: 0 },
      { layer: "AddBias (Add)", shape: [null, 1], params: 0 },
      { layer: "activation (Activation sigmoid)", shape: [null, 1], params: 0 },
      {
        layer: "lambda (Lambda × (max − min) + min)",
        shape: [null, 1],
        params: 0,
      },
    );
  }
  return rows;
}

function summaryTable(name: string, rows: SummaryRow[]): Block {
  const total = rows.reduce((a, r) => a + r.params, 0);
  return {
    kind: "table",
    header: [`${name}: layer (type)`, "output shape", "parameters"],
    rows: [
      ...rows.map((r) => [
        r.layer,
        `(${r.shape.map((s) => s === null ? "None" : String(s)).join(", ")})`,
        r.params,
      ]),
      ["Total params", "", total],
    ],
    precision: [null, null, 0],
  };
}

const LABEL: Record<ModelName, string> = {
  mf: "ExplicitMF",
  bias: "with bias",
  mlp: "MLP",
};

/**
 * `f` per epoch, mean ± std over seeds, for each model, the continued
 * ExplicitMF run shifted left by three epochs, and the document's printout.
 */
function curveFigure(
  d: KerasReportData,
  f: (c: Curve, e: number) => number,
  what: string,
): Block {
  const E = d.flags.epochs;
  const r4 = (x: number) => Math.round(x * 1e5) / 1e5;
  const series = (cs: readonly Curve[], n: number, name: string) => {
    const s = Array.from(
      { length: n },
      (_, e) => summarize(cs.map((c) => f(c, e))),
    );
    return {
      type: "scatter",
      mode: "lines+markers",
      name,
      x: s.map((_, e) => e + 1),
      y: s.map((v) => r4(v.mean)),
      error_y: { type: "data", array: s.map((v) => r4(v.std)), visible: true },
    };
  };
  const isVal = what.startsWith("validation");
  const doc = (k: "mf" | "bias", name: string) => ({
    type: "scatter",
    mode: "lines+markers",
    name,
    x: [1, 2, 3, 4, 5].slice(0, E),
    y: (isVal ? PUBLISHED_CURVES[k].valLoss : PUBLISHED_CURVES[k].loss)
      .slice(0, E),
    marker: { symbol: "x", size: 9 },
    line: { dash: "dot" },
  });
  const long = d.mfLong[0]?.valMse.length ?? 0;
  const continued = long > E
    ? [{
      ...series(d.mfLong, long, "ExplicitMF continued, shifted 3 epochs"),
      line: { dash: "dash" },
      x: Array.from({ length: long }, (_, e) => e + 1 - 3),
    }].map((t) => {
      // Epochs 1-3 of the continued run would sit at -2…0: start at epoch 1.
      const keep = (_: unknown, j: number) => t.x[j] >= 1;
      return {
        ...t,
        x: t.x.filter(keep),
        y: t.y.filter(keep),
        error_y: { ...t.error_y, array: t.error_y.array.filter(keep) },
      };
    })
    : [];
  return {
    kind: "figure",
    data: [
      ...MODELS.map((m) => series(d.curves[m], E, `${LABEL[m]} (ours)`)),
      ...continued,
      doc("mf", "ExplicitMF (document)"),
      doc("bias", "with bias (document)"),
    ],
    layout: {
      title: { text: `${what[0].toUpperCase()}${what.slice(1)} per epoch` },
      xaxis: { title: { text: "epoch" }, dtick: 1 },
      yaxis: { title: { text: what } },
    },
    caption:
      `${what[0].toUpperCase()}${
        what.slice(1)
      } per epoch: ours (mean ± std over seeds) and the document's. ` +
      "The dashed line is ExplicitMF run past the document's epochs and shifted left by three.",
  };
}

/**
 * The printed summary (issue 18: like with like). Line 1: our validation
 * MSE per model (mean ± std over seeds) and median fit seconds. Line 2: our
 * val_loss — validation MSE + L2 penalty, the quantity the document printed
 * — beside the document's val_loss at the same epoch (its last, 5, for
 * longer runs), and our ExplicitMF three epochs further on when the run
 * continued it (the document's printout apparently started three epochs in).
 */
export function summaryText(
  metrics: Readonly<Record<string, MetricValue>>,
  fitSeconds: Readonly<Record<ModelName, readonly number[]>>,
  epochs: number,
  seeds: number,
): string {
  const at = (key: string) => {
    const s = metrics[key] as MetricSummary;
    return `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;
  };
  const valMse = MODELS.map((m) =>
    `${m} ${at(`${m}_val_mse`)} (fit ${median(fitSeconds[m]).toFixed(2)} s)`
  );
  const valLoss = MODELS.map((m) =>
    `${m} ${at(`${m}_val_loss_epoch${epochs}`)}`
  );
  // The document's epoch nearest ours (it printed 5).
  const doc = Math.min(epochs, PUBLISHED_CURVES.bias.valLoss.length);
  const continued = `mf_continued_val_loss_epoch${doc + 3}`;
  const shifted = metrics[continued] === undefined
    ? ""
    : `; our ExplicitMF continued 3 more epochs, as the document's apparently was: ${
      at(continued)
    }`;
  return `Validation MSE (no penalty) after ${epochs} epochs over ${seeds} seeds: ${
    valMse.join(", ")
  }\n` +
    `val_loss (validation MSE + L2 penalty, the quantity the document printed) after ${epochs} epochs: ${
      valLoss.join(", ")
    } (document, epoch ${doc}: mf ${
      PUBLISHED_CURVES.mf.valLoss[doc - 1]
    }, bias ${PUBLISHED_CURVES.bias.valLoss[doc - 1]}${shifted})`;
}
