/**
 * Report pieces built from a `Results`: the header facts, the
 * published-vs-reproduced table and the metrics table, so every experiment's
 * report presents them the same way.
 *
 * @module
 */

import type { FigureBlock } from "./figure.ts";
import type { Provenance, Section } from "./html.ts";
import type {
  Comparison,
  ComparisonStatus,
  MetricValue,
  Results,
} from "./results.ts";
import { formatNumber, type TableBlock, type TableCell } from "./table.ts";
import {
  formatFigure,
  formatReference,
  STATUS_LABELS,
  statusCounts,
} from "./scorecard.ts";

/**
 * The report's last section: the full configuration of `results`, as JSON.
 *
 * @example
 * ```ts
 * import { configurationSection } from "./summary.ts";
 * import type { Results } from "./results.ts";
 * function lastSection(results: Results) {
 *   return configurationSection(results).heading; // "Configuration"
 * }
 * ```
 */
export function configurationSection(results: Results): Section {
  return {
    heading: "Configuration",
    blocks: [{ kind: "pre", text: JSON.stringify(results.config, null, 2) }],
  };
}

/**
 * Header facts for `renderReport`: document, dataset (release, counts,
 * source), seeds, commit and runtime. No time of day, so the page stays
 * byte-stable.
 */
export function reportFacts(results: Results): [string, string][] {
  const { dataset, environment: env } = results;
  const c = dataset.counts;
  return [
    ["Reproduces", citationText(results.document)],
    [
      "Dataset",
      `${dataset.release}: ${c.users} users, ${c.items} items, ${c.ratings} ratings`,
    ],
    ["Data source", dataset.source],
    ...duplicatesFact(dataset),
    ["Seeds", results.seeds.length > 0 ? results.seeds.join(", ") : "none"],
    ["Commit", env.git_commit],
    [
      "Runtime",
      `Deno ${env.deno}, onnxruntime-web ${env.onnxruntime_web}; ${env.os}; ${env.cpu_model} (${env.cores} cores)`,
    ],
  ];
}

/** The "Repeated ratings" fact of a dataset record with a duplicates policy, else none. */
function duplicatesFact(dataset: Results["dataset"]): [string, string][] {
  const d = dataset.duplicates;
  if (d === undefined) return [];
  return [[
    "Repeated ratings",
    d.policy === "keep-last"
      ? `${d.dropped} earlier rating rows of a repeated (user, item) pair dropped before counting; the last rating in file order kept`
      : `${d.dropped} rows (policy ${d.policy})`,
  ]];
}

/** "Title" — Authors (year), url: the document as a reader cites it. */
export function citationText(doc: Results["document"]): string {
  return `"${doc.title}" — ${doc.authors.join(", ")}${
    doc.year === null ? "" : ` (${doc.year})`
  }${doc.url === null ? "" : `, ${doc.url}`}`;
}

const ACRONYMS = new Set([
  "als",
  "auc",
  "bpr",
  "cv",
  "id",
  "ids",
  "knn",
  "mae",
  "map",
  "mf",
  "mlp",
  "mse",
  "ndcg",
  "nn",
  "onnx",
  "pca",
  "rmse",
  "sgd",
  "svd",
]);

/**
 * A metric key as a reader's label: words split at `_`, known acronyms in
 * capitals (`svd_rmse` → "SVD RMSE", `epoch_200` → "epoch 200",
 * `onnx_parity_max_abs_diff` → "ONNX parity max abs diff").
 */
export function metricLabel(key: string): string {
  return key.split(/_+/).filter((w) => w !== "").map((w) =>
    ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w
  ).join(" ");
}

const COLLATOR = new Intl.Collator("en", { numeric: true });

/** Compares keys in natural order: digits as numbers (`epoch_200` before `epoch_1000`). */
export function naturalCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}

/** A metric cell: its readable label, the raw key as a tooltip. */
function metricCell(key: string): TableCell {
  return { text: metricLabel(key), title: key };
}

/**
 * Notes written once: a note used by two or more rows becomes a numbered
 * footnote ("note 1") and each row refers to it; single notes stay.
 */
export function dedupeNotes(
  notes: readonly string[],
): { cells: string[]; footnotes: string[] } {
  const uses = new Map<string, number>();
  for (const n of notes) {
    if (n.trim() !== "") uses.set(n, (uses.get(n) ?? 0) + 1);
  }
  const numbers = new Map<string, number>();
  const footnotes: string[] = [];
  const cells = notes.map((n) => {
    if ((uses.get(n) ?? 0) < 2) return n;
    let k = numbers.get(n);
    if (k === undefined) {
      footnotes.push(n);
      k = footnotes.length;
      numbers.set(n, k);
    }
    return `see note ${k} under the table`;
  });
  return { cells, footnotes };
}

/**
 * Columns of a published-vs-reproduced table (a page's and the scorecard's),
 * with the reference re-run column when a row has one.
 */
export function comparisonHeader(withReference: boolean): string[] {
  return [
    "metric",
    "published",
    "reproduced",
    "status",
    "difference",
    "rule and interval",
    ...(withReference ? ["reference re-run"] : []),
    "note",
  ];
}

/** The columns of `header` ({@link comparisonHeader}) that fold under a row on a narrow screen: difference onwards. */
export function comparisonFold(header: readonly string[]): number[] {
  return header.map((_, i) => i).filter((i) => i >= 4);
}

/**
 * The published-vs-reproduced table: metric (readable label), published,
 * reproduced, difference, the rule and its interval, the reference re-run
 * (only when a row has one), status and note; numbers with `decimals` digits
 * (null: integers as they are, other numbers with 4; a non-zero number
 * those digits would show as zero in exponent form), counts as integers,
 * statuses coloured. A note shared by several rows is printed once under
 * the table; on a narrow screen the difference, rule, reference and note
 * fold into a line under each row.
 *
 * @example
 * ```ts
 * import { comparisonTable } from "./summary.ts";
 * import { comparison } from "./results.ts";
 * import { deterministicRule } from "./agreement.ts";
 * const t = comparisonTable([
 *   comparison("rmse", { rmse: 0.93 }, 0.93, deterministicRule(0.93, 0.93, { float: "float64" })),
 * ]);
 * console.assert(t.rows.length === 1);
 * ```
 */
export function comparisonTable(
  comparisons: readonly Comparison[],
  decimals: number | null = 4,
  caption =
    "Published vs reproduced: each row's status is the output of its agreement rule (the interval column); notes say why a row differs.",
): TableBlock {
  const withReference = comparisons.some((c) => c.reference !== undefined);
  const { cells: notes, footnotes } = dedupeNotes(
    comparisons.map((c) => c.note),
  );
  const header = comparisonHeader(withReference);
  return {
    kind: "table",
    variant: "comparison",
    caption,
    header,
    precision: [
      null,
      decimals,
      decimals,
      null,
      decimals,
      null,
      ...(withReference ? [null] : []),
      null,
    ],
    fold: comparisonFold(header),
    footnotes,
    rows: comparisons.map((c, i) => {
      // A count (users, ratings) published and reproduced as integers reads
      // as one, not as 943.0000.
      const count = Number.isInteger(c.published) &&
        Number.isInteger(c.reproduced);
      const cell = (v: TableCell): TableCell =>
        count && typeof v === "number"
          ? { text: formatNumber(v, null), numeric: true }
          : v;
      return [
        metricCell(c.metric),
        cell(c.published),
        cell(c.reproduced),
        c.status,
        cell(c.difference ?? "n/a"),
        c.rule.interval_text,
        ...(withReference
          ? [c.reference === undefined ? "—" : formatReference(c.reference)]
          : []),
        notes[i],
      ];
    }),
  };
}

/**
 * All metrics: one row each with value (the mean for a summary), std and the
 * number of seeds (std "–" and n 1 for a single number).
 *
 * @example
 * ```ts
 * import { metricsTable } from "./summary.ts";
 * const t = metricsTable({ rmse: 0.93, mae: { mean: 0.7, std: 0.01, values: [0.69, 0.71] } });
 * console.assert(t.rows.length === 2);
 * ```
 */
export function metricsTable(
  metrics: Readonly<Record<string, MetricValue>>,
  decimals = 4,
  caption =
    "Every measured number, in natural order of its key: the value (the mean over runs), its sample std and the number of runs.",
): TableBlock {
  const integer = (v: number): TableCell => ({
    text: formatNumber(v, null),
    numeric: true,
  });
  return {
    kind: "table",
    caption,
    header: ["metric", "value", "std", "runs"],
    precision: [null, decimals, decimals, 0],
    rows: Object.keys(metrics).sort(naturalCompare).map((name) => {
      const m = metrics[name];
      if (typeof m !== "number") {
        // Counts summarised over runs (all integers) stay integers.
        const counts = m.values.every(Number.isInteger);
        return [
          metricCell(name),
          counts && Number.isInteger(m.mean) ? integer(m.mean) : m.mean,
          m.std,
          m.values.length,
        ];
      }
      // A single integer is a count (users, steps): no decimals.
      return [metricCell(name), Number.isInteger(m) ? integer(m) : m, "–", 1];
    }),
  };
}

/** Timing keys that restate others (medians, totals, per-seed figures). */
const DERIVED_TIMING = /median|total|per_seed|_mean$/;

/**
 * The run's wall time in seconds: `timings_s.total` when recorded, else
 * the sum of its phases (leaving out medians and totals of phases).
 */
export function runSeconds(results: Results): number {
  const t = results.timings_s;
  if (typeof t.total === "number") return t.total;
  return Object.entries(t).filter(([k]) => !DERIVED_TIMING.test(k))
    .reduce((s, [, v]) => s + v, 0);
}

/** Seconds as a reader would say them: "about 25 s", "about 2 min". */
export function aboutTime(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** Where a report page links to: its results file, models and the index. */
export interface ProvenanceLinks {
  /** The results JSON, relative to the page (e.g. "als.json"). */
  readonly json: string;
  /** The models beside the page: path relative to the page and SHA-256 (hex). */
  readonly models: readonly {
    readonly path: string;
    readonly sha256: string;
  }[];
  /** The index page, relative to the page. */
  readonly index: string;
  /** The experiment's `deno task verify --only` name. */
  readonly verifyName: string;
}

/**
 * The provenance block of a report: the document's citation and URL, the
 * data files with SHA-256, the commit (and whether the tree was dirty),
 * the versions, the exact rerun command with `MOVIELENS_DIR` and its
 * expected time, the verify command, and links to the JSON, models and index.
 */
export function reportProvenance(
  results: Results,
  links: ProvenanceLinks,
): Provenance {
  const { dataset, environment: env } = results;
  const c = dataset.counts;
  const commit = env.git_commit.replace(/-dirty$/, "");
  const dirty = env.git_commit.endsWith("-dirty");
  const files = dataset.files.map((f) =>
    `\`${f.name}\` SHA-256 \`${f.sha256}\``
  );
  const doc = results.document;
  return {
    facts: [
      [
        "Reproduces",
        `${citationText({ ...doc, url: null })}${
          doc.url === null ? " (no public copy known)" : `\n${doc.url}`
        }`,
      ],
      [
        "Dataset",
        `${dataset.release}: ${c.users} users, ${c.items} items, ${c.ratings} ratings (read from ${dataset.source})`,
      ],
      ["Data files", files.join("\n")],
      ...duplicatesFact(dataset),
      ["Seeds", results.seeds.length > 0 ? results.seeds.join(", ") : "none"],
      [
        "Commit",
        `\`${commit}\`${
          dirty
            ? " with uncommitted changes (the working tree was dirty)"
            : " (clean working tree)"
        }`,
      ],
      [
        "Versions",
        `Deno ${env.deno} (V8 ${env.v8}, TypeScript ${env.typescript}), onnxruntime-web ${env.onnxruntime_web}; ${env.os}; ${env.cpu_model} (${env.cores} cores)`,
      ],
      ...(links.models.length > 0
        ? [[
          "Models",
          links.models.map((m) => `\`${m.path}\` SHA-256 \`${m.sha256}\``)
            .join("\n"),
        ] as [string, string]]
        : []),
    ],
    commands: [
      {
        label: `Rerun (${
          aboutTime(runSeconds(results))
        } on the machine above; MOVIELENS_DIR is the folder holding ${dataset.release}/, downloaded from files.grouplens.org when absent):`,
        command: `MOVIELENS_DIR=/path/to/movielens ${results.command}`,
      },
      {
        label:
          "Check the pinned numbers (reruns the experiment and compares every row, rule and status):",
        command: `deno task verify --only ${links.verifyName}`,
      },
    ],
    links: [
      { text: `results (${links.json})`, href: links.json },
      ...links.models.map((m) => ({ text: `model (${m.path})`, href: m.path })),
      { text: "all experiments (index)", href: links.index },
    ],
  };
}

/** The first sentence of `text` (at most `max` characters). */
function firstSentence(text: string, max = 180): string {
  const m = /^(.+?[.;])(\s|$)/.exec(text.trim());
  const s = (m === null ? text.trim() : m[1]).replace(/;$/, "");
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The outcome paragraph at the top of a page: how many compared figures
 * reproduced, then each status with its count, naming the rows that did not
 * reproduce and those whose cause is not demonstrated, with the first
 * sentence of their notes.
 */
export function outcomeText(results: Results): string {
  const counts = statusCounts(results);
  const total = results.comparisons.length;
  const judged = total - counts["not-comparable"];
  const parts = [
    `${counts.reproduced} of ${judged} comparable published figures reproduced`,
  ];
  const others =
    (["explained", "not-reproduced", "hypothesis", "cannot-judge"] as const)
      .filter((s) => counts[s] > 0).map((s) =>
        `${counts[s]} ${STATUS_LABELS[s]}`
      );
  if (counts["not-comparable"] > 0) {
    others.push(
      `${
        counts["not-comparable"]
      } not comparable (different quantities; not counted)`,
    );
  }
  let text = `${parts[0]}${others.length > 0 ? `; ${others.join(", ")}` : ""}.`;
  const named = (status: ComparisonStatus, lead: string) => {
    const rows = results.comparisons.filter((c) => c.status === status);
    if (rows.length === 0) return;
    text += ` ${lead}: ${
      rows.map((c) =>
        `${metricLabel(c.metric)}${
          c.note.trim() === "" ? "" : ` (${firstSentence(c.note)})`
        }`
      ).join("; ")
    }.`;
  };
  named("not-reproduced", "Not reproduced");
  named("hypothesis", "Differs, cause not demonstrated");
  named("explained", "Explained differences");
  return text;
}

/** Status colours of the agreement figure (as in the tables). */
const STATUS_COLOURS: Readonly<Record<ComparisonStatus, string>> = {
  "reproduced": "#1a7f37",
  "explained": "#9a6700",
  "not-reproduced": "#cf222e",
  "hypothesis": "#8250df",
  "cannot-judge": "#57606a",
  "not-comparable": "#8c959f",
};

/** Agreement figure values beyond ±this are drawn at the edge (hover gives the value). */
export const AGREEMENT_CLAMP = 5;

/**
 * A row's (reproduced − published) in units of its interval's half-width,
 * or null when it has no interval of positive width. Tolerance and
 * prediction-interval rows: (reproduced − published) / half-width; a Welch
 * row: its difference (ours − reference) / the CI's half-width. Within
 * [−1, 1] is agreement.
 */
export function scaledDifference(c: Comparison): number | null {
  const iv = c.rule.interval;
  if (iv === null) return null;
  const half = (iv[1] - iv[0]) / 2;
  if (!(half > 0) || !Number.isFinite(half)) return null;
  if (c.rule.rule === "welch") return (iv[0] + iv[1]) / 2 / half;
  if (typeof c.published !== "number") return null;
  return (c.reproduced - c.published) / half;
}

/**
 * The page's summary figure: every row with an interval as a point at
 * (reproduced − published) / half-width, coloured by status, with the
 * agreement band [−1, 1] shaded; null when no row has an interval.
 */
export function agreementFigure(results: Results): FigureBlock | null {
  const rows = results.comparisons.map((c, i) => ({
    c,
    i,
    z: scaledDifference(c),
  })).filter((r) => r.z !== null) as {
    c: Comparison;
    i: number;
    z: number;
  }[];
  if (rows.length === 0) return null;
  // Row labels, unique even when a metric is compared twice.
  const label = (r: { c: Comparison; i: number }) => {
    const l = metricLabel(r.c.metric);
    const dup = results.comparisons.filter((c) => c.metric === r.c.metric)
      .length > 1;
    return dup ? `${l} (row ${r.i + 1})` : l;
  };
  const order = rows.map(label);
  const data = (Object.keys(STATUS_COLOURS) as ComparisonStatus[]).flatMap(
    (status) => {
      const mine = rows.filter((r) => r.c.status === status);
      if (mine.length === 0) return [];
      const clamp = (z: number) =>
        Math.max(-AGREEMENT_CLAMP, Math.min(AGREEMENT_CLAMP, z));
      return [{
        type: "scatter",
        mode: "markers",
        name: STATUS_LABELS[status],
        x: mine.map((r) => Number(clamp(r.z).toPrecision(4))),
        y: mine.map(label),
        text: mine.map((r) =>
          `${formatFigure(r.z)} half-widths; ${r.c.rule.interval_text}`
        ),
        hovertemplate: "%{y}: %{text}<extra></extra>",
        marker: {
          color: STATUS_COLOURS[status],
          size: 10,
          symbol: mine.map((r) =>
            r.z > AGREEMENT_CLAMP
              ? "triangle-right"
              : r.z < -AGREEMENT_CLAMP
              ? "triangle-left"
              : "circle"
          ),
        },
      }];
    },
  );
  return {
    kind: "figure",
    data,
    layout: {
      title: { text: "Agreement of every row with an interval" },
      xaxis: {
        title: {
          text:
            "(reproduced − published) / interval half-width (Welch rows: ours − reference)",
        },
        range: [-AGREEMENT_CLAMP - 0.5, AGREEMENT_CLAMP + 0.5],
        zeroline: true,
      },
      yaxis: {
        title: { text: "row" },
        type: "category",
        categoryorder: "array",
        categoryarray: [...order].reverse(),
        automargin: true,
      },
      shapes: [{
        type: "rect",
        xref: "x",
        yref: "paper",
        x0: -1,
        x1: 1,
        y0: 0,
        y1: 1,
        fillcolor: "rgba(26,127,55,0.12)",
        line: { width: 0 },
        layer: "below",
      }],
      height: 200 + 26 * order.length,
      showlegend: true,
    },
    caption:
      `Each row's difference in units of its interval's half-width: inside the shaded band [−1, 1] the rule finds agreement. Points beyond ±${AGREEMENT_CLAMP} sit at the edge as triangles (hover or the data table give the value). Rows without an interval of positive width (exact counts, not comparable) are left out.`,
  };
}
