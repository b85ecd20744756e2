/**
 * Published vs reproduced for `exp:keras`, every row through the agreement
 * rule of lib/report/agreement.ts (tested row by row in compare_test.ts):
 *
 * - counts and parameter counts: exact;
 * - the bias model's val_loss per epoch and its `evaluate()`: the
 *   document's single unseeded run inside the 95 % prediction interval of
 *   our seeded runs, like with like (our val_loss adds the L2 penalty as
 *   Keras does);
 * - ExplicitMF's val_loss per epoch: the same rule against our fresh runs;
 *   it differs, and the proposed cause (the printout continued a model
 *   trained about three epochs in a missing cell) is a hypothesis: the run
 *   continued past five epochs here is consistent with it but cannot show
 *   what the missing cell did;
 * - the continued run's epochs 4–8 beside the document's 1–5: not
 *   comparable (different epochs; comparable only under the hypothesis),
 *   the interval outcome stated in the reason;
 * - the ONNX export's test MSE: not comparable (one seed's model, MSE
 *   without the penalty);
 * - any run with other settings than the document's: not comparable.
 *
 * @module
 */

import {
  notComparable,
  predictionIntervalRule,
} from "../../lib/report/agreement.ts";
import {
  type Comparison,
  comparison,
  countComparison,
  metricNumber,
  type MetricSummary,
  type MetricValue,
} from "../../lib/report/results.ts";
import { DOCUMENT, PUBLISHED_CURVES } from "./document.ts";

/** What the rules need to know about the run besides its metrics. */
export interface CompareContext {
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Model seeds, in order. */
  readonly seeds: readonly number[];
  /** Epochs run (the document: 5). */
  readonly epochs: number;
  /** `--mf-extra-epochs`: ExplicitMF epochs run past `epochs`. */
  readonly extraEpochs: number;
  /** Data and split are the document's (ml-100k, 20 % test). */
  readonly isDocument: boolean;
  /** The model settings are the document's (dim, epochs, batch, lr, l2, init). */
  readonly sameModel: boolean;
  /** The release is not ml-100k; the dimension is not 40. */
  readonly datasetChanged: boolean;
  readonly dimChanged: boolean;
  /** The bias model's L2 penalty after the last epoch: mean over seeds, and the first seed's. */
  readonly biasPenaltyMean: number;
  readonly biasPenaltyFirst: number;
  /** The "other settings" note (see `otherSettingsNote`). */
  readonly otherNote: string;
}

/** The comparison rows, in report order. */
export function kerasComparisons(c: CompareContext): Comparison[] {
  const pub = DOCUMENT.published as Record<string, number>;
  const countRow = (m: string, changed: boolean) =>
    countComparison(m, c.metrics, pub[m], changed ? c.otherNote : null);
  const paramsChanged = c.datasetChanged || c.dimChanged;
  return [
    countRow("users", c.datasetChanged),
    countRow("items", c.datasetChanged),
    countRow("train_ratings", !c.isDocument),
    countRow("test_ratings", !c.isDocument),
    countRow("mf_params", paramsChanged),
    countRow("bias_params", paramsChanged),
    ...biasLossRows(c),
    ...mfLossRows(c),
    ...continuedRows(c),
    ...evaluateRows(c),
  ];
}

/** "mean ± std over n seeds a ± b" of a summary metric. */
export function spread(s: MetricSummary, seeds: number): string {
  return `mean ± std over ${seeds} seeds ${s.mean.toFixed(4)} ± ${
    s.std.toFixed(4)
  }`;
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(4)}`;
}

/**
 * How our means sit against the document's values at these epochs: "a
 * one-sided offset: ours lies above … by +a…+b (z–z of our std)", or on
 * both sides.
 */
export function offsets(
  metrics: Readonly<Record<string, MetricValue>>,
  rows: readonly { m: string; pub: number }[],
): string {
  const d = rows.map((r) => metricNumber(metrics[r.m]) - r.pub);
  const lo = Math.min(...d), hi = Math.max(...d);
  const z = rows.map((r, k) =>
    Math.abs(d[k]) / (metrics[r.m] as MetricSummary).std
  );
  // One-sided: nearest to farthest (+0.0017…+0.0045); mixed: lowest to highest.
  const [from, to] = hi < 0 ? [hi, lo] : [lo, hi];
  const range = `${signed(from)}…${signed(to)}${
    z.every(Number.isFinite)
      ? ` (${Math.min(...z).toFixed(1)}–${
        Math.max(...z).toFixed(1)
      } of our std)`
      : ""
  }`;
  return lo > 0 || hi < 0
    ? `a one-sided offset: ours lies ${
      lo > 0 ? "above" : "below"
    } the document's at each of these ${rows.length} epochs, by ${range}`
    : `ours lies on both sides of the document's across these epochs (${range})`;
}

/** Our runs at the document's settings: the rows' rules apply. */
function comparable(c: CompareContext): boolean {
  return c.isDocument && c.sameModel;
}

/** The "other settings" row: not comparable, the note naming the flags. */
function otherRow(
  m: string,
  pub: number,
  c: CompareContext,
): Comparison {
  return comparison(m, c.metrics, pub, notComparable(c.otherNote), c.otherNote);
}

/**
 * The document's single unseeded run against our seeds: the 95 %
 * prediction interval for one new run; not comparable with other settings.
 */
export function lossRow(
  m: string,
  pub: number,
  note: string,
  c: CompareContext,
): Comparison {
  if (!comparable(c)) return otherRow(m, pub, c);
  const s = c.metrics[m] as MetricSummary;
  return comparison(
    m,
    c.metrics,
    pub,
    predictionIntervalRule(pub, s.values),
    `${spread(s, c.seeds.length)} (sample sd); ${note}`,
  );
}

/** The bias model's val_loss at the document's epochs 1 … min(E, 5). */
function biasLossRows(c: CompareContext): Comparison[] {
  const rows = Array.from({ length: Math.min(c.epochs, 5) }, (_, e) => ({
    m: `bias_val_loss_epoch${e + 1}`,
    pub: PUBLISHED_CURVES.bias.valLoss[e],
  }));
  const offset = comparable(c) ? `; ${offsets(c.metrics, rows)}` : "";
  return rows.map(({ m, pub }) =>
    lossRow(
      m,
      pub,
      `like with like: val_loss is the validation MSE + the L2 penalty, as Keras reports it and as computed here${offset}`,
      c,
    )
  );
}

/** The continued ExplicitMF run's epochs (shifted by three) and how many hold the document's value inside their 95 % PI. */
export function continuedEvidence(
  c: CompareContext,
): { inside: number; of: number; text: string } | null {
  const shift = 3;
  const rows = PUBLISHED_CURVES.mf.valLoss.map((pub, e) => ({
    pub,
    m: `mf_continued_val_loss_epoch${e + shift + 1}`,
  })).filter((r) => Object.hasOwn(c.metrics, r.m));
  if (rows.length === 0) return null;
  const inside =
    rows.filter((r) =>
      predictionIntervalRule(r.pub, (c.metrics[r.m] as MetricSummary).values)
        .agrees === true
    ).length;
  return {
    inside,
    of: rows.length,
    text:
      `continued past the document's epochs, our ExplicitMF puts the document's epochs 1–${rows.length} inside the ` +
      `95 % prediction interval of our epochs 4–${
        rows.length + shift
      } at ${inside} of ${rows.length} epochs`,
  };
}

/** Why the document's ExplicitMF printout differs from a fresh model: the proposed cause, with the evidence this run has for it. */
export function mfHypothesis(c: CompareContext): string {
  const ev = continuedEvidence(c);
  return `the document's ExplicitMF printout apparently continued a model already trained about 3 epochs in its missing cell In[21] ` +
    `(its first printed training loss 0.9112 is unreachable from a fresh ±0.05 dot-product model, whose first-epoch loss is ${
      metricNumber(c.metrics.mf_loss_epoch1).toFixed(2)
    } here, and the cell numbers skip In[21] between plot_model, In[20], and the printed fit, In[22])` +
    (ev === null ? "" : `; ${ev.text}`) +
    "; consistent with the hypothesis, not a demonstration: the missing cell cannot be re-run";
}

/** ExplicitMF's val_loss at epochs 1 … min(E, 5) against our fresh runs; a difference gets the (undemonstrated) cause. */
function mfLossRows(c: CompareContext): Comparison[] {
  return Array.from({ length: Math.min(c.epochs, 5) }, (_, e) => {
    const m = `mf_val_loss_epoch${e + 1}`;
    const pub = PUBLISHED_CURVES.mf.valLoss[e];
    if (!comparable(c)) return otherRow(m, pub, c);
    const s = c.metrics[m] as MetricSummary;
    const rule = predictionIntervalRule(pub, s.values, {
      cause: { evidence: mfHypothesis(c), demonstrated: false },
    });
    return comparison(
      m,
      c.metrics,
      pub,
      rule,
      `${spread(s, c.seeds.length)} (sample sd), a fresh model; ${
        rule.cause?.evidence ??
          "the document's printout agrees with a fresh model at this epoch"
      }`,
    );
  });
}

/** The continued ExplicitMF run, shifted three epochs, beside the document's printout (needs 3 extra epochs): not comparable, its interval stated. */
function continuedRows(c: CompareContext): Comparison[] {
  if (c.extraEpochs < 3) return [];
  const shift = 3;
  const rows = Array.from({ length: 5 }, (_, e) => ({
    e,
    m: `mf_continued_val_loss_epoch${e + shift + 1}`,
    pub: PUBLISHED_CURVES.mf.valLoss[e],
  })).filter((r) => r.e + shift < c.epochs + c.extraEpochs);
  return rows.map(({ e, m, pub }) => {
    if (!comparable(c)) return otherRow(m, pub, c);
    const s = c.metrics[m] as MetricSummary;
    const pi = predictionIntervalRule(pub, s.values);
    const reason =
      `our ExplicitMF epoch ${
        e + shift + 1
      } (a run continued past the document's 5 epochs) beside the document's epoch ${
        e + 1
      }: different epochs, comparable only under the hypothesis of rows mf_val_loss_epoch*; ` +
      `${spread(s, c.seeds.length)} (sample sd), 95 % PI ${
        pi.interval_text.replace(/ \(.*$/, "")
      }, the document's value ${pi.agrees ? "inside" : "outside"} it`;
    return comparison(m, c.metrics, pub, notComparable(reason), reason);
  });
}

/**
 * The document's `evaluate()` of the bias model (test MSE + L2 penalty,
 * full precision) against ours, like with like (`bias_evaluate_loss`: our
 * test MSE + penalty after the last epoch); the ONNX export's test MSE
 * (one seed, no penalty) is not comparable with it.
 */
function evaluateRows(c: CompareContext): Comparison[] {
  const pub = PUBLISHED_CURVES.bias.evaluate;
  const onnxReason =
    `the test MSE of seed ${
      c.seeds[0]
    }'s model as onnxruntime-web scores its ONNX export: one model, and an MSE without the L2 penalty ` +
    `(that model's penalty is ${
      c.biasPenaltyFirst.toFixed(4)
    }), while the document's value is model.evaluate's MSE + penalty; an export check, not the document's quantity`;
  return [
    lossRow(
      "bias_evaluate_loss",
      pub,
      "like with like: model.evaluate's total loss is the test MSE + the L2 penalty, computed so here " +
        `(our penalty adds ${c.biasPenaltyMean.toFixed(4)} on average)`,
      c,
    ),
    comparison(
      "bias_onnx_test_mse",
      c.metrics,
      pub,
      notComparable(onnxReason),
      onnxReason,
    ),
  ];
}
