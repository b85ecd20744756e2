/**
 * Report pieces built from a `Results`: the header facts, the
 * published-vs-reproduced table and the metrics table, so every experiment's
 * report presents them the same way.
 *
 * @module
 */

import type { Section } from "./html.ts";
import type { Comparison, MetricValue, Results } from "./results.ts";
import { formatNumber, type TableBlock, type TableCell } from "./table.ts";
import { formatReference } from "./scorecard.ts";

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
    ...(dataset.duplicates === undefined ? [] : [[
      "Repeated ratings",
      dataset.duplicates.policy === "keep-last"
        ? `${dataset.duplicates.dropped} earlier rating rows of a repeated (user, item) pair dropped before counting; the last rating in file order kept`
        : `${dataset.duplicates.dropped} rows (policy ${dataset.duplicates.policy})`,
    ] as [string, string]]),
    ["Seeds", results.seeds.length > 0 ? results.seeds.join(", ") : "none"],
    ["Commit", env.git_commit],
    [
      "Runtime",
      `Deno ${env.deno}, onnxruntime-web ${env.onnxruntime_web}; ${env.os}; ${env.cpu_model} (${env.cores} cores)`,
    ],
  ];
}

/** "Title" — Authors (year), url: the document as a reader cites it. */
export function citationText(doc: Results["document"]): string {
  return `"${doc.title}" — ${doc.authors.join(", ")}${
    doc.year === null ? "" : ` (${doc.year})`
  }${doc.url === null ? "" : `, ${doc.url}`}`;
}

/**
 * The published-vs-reproduced table: metric, published, reproduced,
 * difference, status, note; numbers with `decimals` digits (null: integers
 * as they are, other numbers with 4), statuses coloured.
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
  caption?: string,
): TableBlock {
  return {
    kind: "table",
    variant: "comparison",
    caption,
    header: [
      "metric",
      "published",
      "reproduced",
      "difference",
      "rule and interval",
      "reference re-run",
      "status",
      "note",
    ],
    precision: [null, decimals, decimals, decimals, null, null, null, null],
    rows: comparisons.map((c) => {
      // A count (users, ratings) published and reproduced as integers reads
      // as one, not as 943.0000.
      const count = Number.isInteger(c.published) &&
        Number.isInteger(c.reproduced);
      const cell = (v: TableCell): TableCell =>
        count && typeof v === "number"
          ? { text: formatNumber(v, null), numeric: true }
          : v;
      return [
        c.metric,
        cell(c.published),
        cell(c.reproduced),
        cell(c.difference ?? "n/a"),
        c.rule.interval_text,
        c.reference === undefined ? "—" : formatReference(c.reference),
        c.status,
        c.note,
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
  caption?: string,
): TableBlock {
  return {
    kind: "table",
    caption,
    header: ["metric", "value", "std", "runs"],
    precision: [null, decimals, decimals, 0],
    rows: Object.keys(metrics).sort().map((name) => {
      const m = metrics[name];
      if (typeof m !== "number") {
        return [name, m.mean, m.std, m.values.length];
      }
      // A single integer is a count (users, steps): no decimals.
      const value: TableCell = Number.isInteger(m)
        ? { text: formatNumber(m, null), numeric: true }
        : m;
      return [name, value, "–", 1];
    }),
  };
}
