/**
 * `reports/index.html`: the reproduction scorecard of every experiment. One
 * table of experiments (document, dataset, status counts, how to rerun, links
 * to its report and pinned JSON), then one row per document and metric with
 * the published figure, ours (mean ± std over seeds), the difference, the
 * status and the note. Built with `renderReport`, so it is self-contained
 * and byte-stable like every report.
 *
 * @module
 */

import { type Block, renderReport } from "./html.ts";
import type { Results } from "./results.ts";
import { scorecardRows, STATUS_LABELS, statusCounts } from "./scorecard.ts";
import type { TableCell } from "./table.ts";

/** One experiment on the index page. */
export interface IndexEntry {
  readonly results: Results;
  /** Link to its HTML report, relative to the index; null when it has not been generated. */
  readonly reportHref: string | null;
  /** Link to its pinned JSON, relative to the index. */
  readonly jsonHref: string;
}

function shortCommit(commit: string): string {
  return /^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit;
}

/** The complete HTML of the index page for `entries`, in their order. */
export function renderIndexPage(entries: readonly IndexEntry[]): string {
  const totals = { "reproduced": 0, "explained": 0, "not-reproduced": 0 };
  for (const e of entries) {
    const c = statusCounts(e.results);
    totals.reproduced += c.reproduced;
    totals.explained += c.explained;
    totals["not-reproduced"] += c["not-reproduced"];
  }
  const byName = new Map(entries.map((e) => [e.results.experiment, e]));
  const nameCell = (name: string): TableCell => {
    const href = byName.get(name)?.reportHref;
    return href ? { text: name, href } : name;
  };

  const experiments: Block = {
    kind: "table",
    caption:
      "Each experiment (linked to its report), the document it reproduces, and how many of its compared figures have each status.",
    header: [
      "experiment",
      "reproduces",
      "dataset",
      "reproduced",
      "explained",
      "not reproduced",
      "pinned results",
      "models",
    ],
    precision: 0,
    rows: entries.map((e) => {
      const r = e.results;
      const c = statusCounts(r);
      return [
        nameCell(r.experiment),
        r.document.title,
        r.dataset.release,
        c.reproduced,
        c.explained,
        c["not-reproduced"],
        { text: `${r.experiment}.json`, href: e.jsonHref },
        (r.models ?? []).length > 0
          ? {
            text: `explorer (${r.models!.length} model${
              r.models!.length > 1 ? "s" : ""
            })`,
            href: `${r.experiment}/explorer.html`,
          }
          : "none",
      ];
    }),
  };

  const missing = entries.filter((e) => e.reportHref === null).map((e) =>
    `\`${e.results.command}\``
  );
  const overview: Block[] = [
    {
      kind: "paragraph",
      text: "Statuses: reproduced (within the document's own noise), " +
        "explained (a difference, for the reason in the note), not-reproduced. " +
        "Numbers come from the pinned results files; `deno task verify` reruns every experiment and compares. " +
        "An explorer link opens the experiment's exported ONNX models in the browser (similar movies, a user's top-N, " +
        "a predicted rating): it needs `deno task serve` (then http://127.0.0.1:8642/) and an experiment run that wrote the models.",
    },
    experiments,
  ];
  if (missing.length > 0) {
    overview.push({
      kind: "paragraph",
      text: `Reports not generated yet (no link above): run ${
        missing.join(", ")
      }, or \`deno task exp:all\`.`,
    });
  }

  const perExperiment = entries.map((e) => {
    const r = e.results;
    const rows = scorecardRows([r]);
    const blocks: Block[] = [
      {
        kind: "paragraph",
        text:
          `Reproduces \`${r.document.seed_file}\` on ${r.dataset.release}. ` +
          `Rerun: \`${r.command}\`; pinned results \`${e.jsonHref}\` (commit \`${
            shortCommit(r.environment.git_commit)
          }\`, seeds ${r.seeds.length > 0 ? r.seeds.join(", ") : "none"}).`,
      },
      {
        kind: "table",
        variant: "comparison",
        caption:
          "Published vs reproduced, in the document's order; ours is mean ± std (population) where several seeds ran.",
        header: [
          "metric",
          "published",
          "reproduced",
          "difference",
          "status",
          "note",
        ],
        rows: rows.map((row) => [
          row.metric,
          { text: row.published, numeric: true },
          { text: row.reproduced, numeric: true },
          { text: row.difference, numeric: true },
          { text: row.status, status: row.status },
          row.note,
        ]),
      },
    ];
    return { heading: `${r.experiment}: ${r.title}`, blocks };
  });

  return renderReport({
    title: "Reproduction scorecard",
    subtitle:
      `${entries.length} MovieLens documents re-run: every published figure beside ours.`,
    command: "deno task exp:all && deno task report",
    facts: [
      ["Experiments", entries.map((e) => e.results.experiment).join(", ")],
      [
        "Comparisons",
        `${totals.reproduced} ${STATUS_LABELS.reproduced}, ${totals.explained} ${STATUS_LABELS.explained}, ${
          totals["not-reproduced"]
        } ${STATUS_LABELS["not-reproduced"]}`,
      ],
      [
        "Check",
        "`deno task verify` (reruns everything, compares with the pinned JSON)",
      ],
    ],
    sections: [{ heading: "Experiments", blocks: overview }, ...perExperiment],
  });
}
