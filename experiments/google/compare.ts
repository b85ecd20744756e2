/**
 * Published vs reproduced for `exp:google`, every row through the agreement
 * rule of lib/report/agreement.ts (tested row by row in compare_test.ts):
 *
 * - counts: exact;
 * - the document's table every 100 epochs and epoch 1000: its single
 *   unseeded run inside the 95 % prediction interval of our seeded runs,
 *   with torch's own re-run of the document's code (10 torch seeds,
 *   data/fixtures/torch) beside it as the reference column (Welch);
 * - a run with other settings than the document's: not comparable.
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
  type MetricSummary,
  type MetricValue,
  otherSettingsNote,
  referenceRun,
} from "../../lib/report/results.ts";
import type { Flags } from "../../lib/cli.ts";
import { type FLAGS, PUBLISHED, TORCH_REFERENCE } from "./document.ts";

/** What the rules need to know about the run besides its metrics. */
export interface CompareContext {
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** The document's split (split seed 300, test size 0.25). */
  readonly isDocument: boolean;
  /** The Adam model's settings are the document's (dim 30, 1,000 epochs, lr 1e-3, init std 1). */
  readonly sameModel: boolean;
  /** The Adam model's settings but the number of epochs are the document's (the curve up to the last epoch is). */
  readonly sameCurve: boolean;
  /** Model seeds of configuration 1, in order. */
  readonly seeds: readonly number[];
  /** Configuration 1 started from torch's own initial weights for each seed (`--init torch`). */
  readonly torchInit: boolean;
  /** The document's epochs (multiples of 100) the run reached, in order. */
  readonly checkpoints: readonly number[];
  /** The "other settings" note (see `otherSettingsNote`). */
  readonly otherNote: string;
}

/**
 * The context of a run with `flags` (command line `args`, model seeds
 * `seeds`, the document's epochs it reached `checkpoints`). The Adam curve
 * up to the last epoch is the document's whatever the number of epochs
 * (Adam has no schedule).
 */
export function compareContext(
  flags: Flags<typeof FLAGS>,
  args: readonly string[],
  metrics: Readonly<Record<string, MetricValue>>,
  seeds: readonly number[],
  checkpoints: readonly number[],
): CompareContext {
  const sameCurve = flags.dim === 30 && flags.lr === 1e-3 &&
    flags["init-std"] === 1;
  return {
    metrics,
    isDocument: flags["split-seed"] === 300 && flags["test-size"] === 0.25,
    sameModel: sameCurve && flags.epochs === 1000,
    sameCurve,
    seeds,
    torchInit: flags.init === "torch",
    checkpoints,
    otherNote: otherSettingsNote(args),
  };
}

/** `seeds` are the torch reference's seeds, in order. */
export function hasTorchSeeds(seeds: readonly number[]): boolean {
  return seeds.length === TORCH_REFERENCE.seeds.length &&
    seeds.every((s, k) => s === TORCH_REFERENCE.seeds[k]);
}

/**
 * The run is the document's code as torch ran it for the reference: torch's
 * initial weights (`--init torch`), 1,000 epochs and torch's seeds.
 */
export function isTorchReference(
  flags: Pick<Flags<typeof FLAGS>, "init" | "epochs">,
  seeds: readonly number[],
): boolean {
  return flags.init === "torch" && flags.epochs === 1000 &&
    hasTorchSeeds(seeds);
}

/**
 * Seed for seed against torch's own runs of the document's code (for a
 * run with torch's initial weights, torch's seeds and 1,000 epochs): the
 * largest |ours − torch| MSE over `checkpoints`, train and validation
 * (sparse_mf_torch_test: < 1e-4).
 */
export function torchSeedwiseMaxDiff(
  metrics: Readonly<Record<string, MetricValue>>,
  checkpoints: readonly number[],
): number {
  let worst = 0;
  for (const e of checkpoints) {
    for (const curve of ["train", "val"] as const) {
      const torch = TORCH_REFERENCE.at(e, curve);
      const ours = metrics[`${curve}_mse${e === 1000 ? "" : `_epoch_${e}`}`];
      (ours as MetricSummary).values.forEach((v, k) => {
        worst = Math.max(worst, Math.abs(v - torch[k]));
      });
    }
  }
  return worst;
}

/** The comparison rows, in report order. */
export function googleComparisons(c: CompareContext): Comparison[] {
  return [
    countRow("users", PUBLISHED.users, false, c),
    countRow("items", PUBLISHED.items, false, c),
    countRow(
      "train_ratings",
      75000,
      !c.isDocument,
      c,
      "train_test_split's 75 % of 100,000 (the document does not print it; implied by test_size 0.25)",
    ),
    countRow("val_ratings", 25000, !c.isDocument, c, "ceil(0.25 · 100,000)"),
    ...c.checkpoints.filter((e) => e < 1000).flatMap((e) => {
      const j = PUBLISHED.epochs.indexOf(e as typeof PUBLISHED.epochs[number]);
      return [
        curveRow(`train_mse_epoch_${e}`, PUBLISHED.train[j], c),
        curveRow(`val_mse_epoch_${e}`, PUBLISHED.val[j], c),
      ];
    }),
    finalRow("train_mse", PUBLISHED.train[9], c),
    finalRow("val_mse", PUBLISHED.val[9], c),
  ];
}

/** A count row: reproduced when equal; a changed split explains a difference. */
export function countRow(
  m: string,
  published: number,
  changed: boolean,
  c: CompareContext,
  note = "",
): Comparison {
  return countComparison(
    m,
    c.metrics,
    published,
    changed ? c.otherNote : null,
    {
      basis: "split",
      note,
    },
  );
}

/** "mean ± sd (sample sd) over n seeds" of a summary metric. */
function spread(s: MetricSummary): string {
  return `${s.mean.toFixed(3)} ± ${
    s.std.toFixed(3)
  } (sample sd) over ${s.values.length} seeds`;
}

/**
 * What the reference column means for this run: with `--init torch` and
 * seeds equal to the torch seeds, each of our runs starts from the same
 * weights as the torch run of its seed (lib/models/sparse_mf/
 * sparse_mf_torch_test.ts shows they then agree to 1e-4).
 */
export function referenceNote(c: CompareContext): string {
  const same = c.torchInit && hasTorchSeeds(c.seeds);
  return same
    ? "our seeds are torch's seeds, drawn by torch's own generator: seed for seed the document's code run with torch.manual_seed(seed)"
    : c.torchInit
    ? "our runs start from torch's own initial weights for our seeds, which are not the reference's seeds"
    : "our initial weights come from RandomState(seed) (--init numpy), the same N(0, 1) distribution as torch's, not torch's draws";
}

/**
 * A figure of configuration 1 at `epoch` against the document's single
 * unseeded run: the 95 % prediction interval of our seeds, with the torch
 * re-run at that epoch beside it (Welch). Not comparable when the split is
 * not the document's or `comparable` (the model's settings) is false.
 */
function mseRow(
  m: string,
  published: number,
  epoch: number,
  curve: "train" | "val",
  comparable: boolean,
  what: string,
  c: CompareContext,
): Comparison {
  if (!(c.isDocument && comparable)) {
    return comparison(
      m,
      c.metrics,
      published,
      notComparable(c.otherNote),
      c.otherNote,
    );
  }
  const s = c.metrics[m] as MetricSummary;
  return comparison(
    m,
    c.metrics,
    published,
    predictionIntervalRule(published, s.values),
    `${what}; ours ${
      spread(s)
    }; the document's run was unseeded (one draw of the same process)`,
    referenceRun(
      `${TORCH_REFERENCE.source}; ${referenceNote(c)}`,
      TORCH_REFERENCE.at(epoch, curve),
      s.values,
    ),
  );
}

/** A checkpoint of the document's table (epoch < 1000): see {@link mseRow}; needs the document's model but not its epoch count. */
export function curveRow(
  m: string,
  published: number,
  c: CompareContext,
): Comparison {
  const [, kind, e] = /^(train|val)_mse_epoch_(\d+)$/.exec(m) ?? [];
  if (kind === undefined) throw new RangeError(`curveRow: bad metric ${m}`);
  const epoch = Number(e);
  return mseRow(
    m,
    published,
    epoch,
    kind as "train" | "val",
    c.sameCurve,
    kind === "train"
      ? `train MSE at epoch ${epoch} (before that epoch's step, as the document logs it)`
      : `validation MSE after epoch ${epoch}'s step`,
    c,
  );
}

/** Epoch 1000, the document's final train and validation MSE: see {@link mseRow}. */
export function finalRow(
  m: "train_mse" | "val_mse",
  published: number,
  c: CompareContext,
): Comparison {
  return mseRow(
    m,
    published,
    1000,
    m === "train_mse" ? "train" : "val",
    c.sameModel,
    m === "train_mse"
      ? "train MSE at epoch 1000 (before its step)"
      : "validation MSE after epoch 1000",
    c,
  );
}
