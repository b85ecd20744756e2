/**
 * `reports/index.html`: the reproduction scorecard of every experiment. One
 * table of experiments (document, dataset, status counts, how to rerun, links
 * to its report and pinned JSON), then one row per document and metric with
 * the published figure, ours (mean ± sample std over seeds), the difference,
 * the agreement rule with its interval, the reference re-run, the status and
 * the note. Built with `renderReport`, so it is self-contained
 * and byte-stable like every report.
 *
 * @module
 */

import { type Block, renderReport } from "./html.ts";
import type { Results } from "./results.ts";
import { scorecardRows, STATUS_LABELS, statusCounts } from "./scorecard.ts";
import { COMPARISON_STATUSES, type ComparisonStatus } from "./results.ts";
import {
  citationText,
  comparisonFold,
  comparisonHeader,
  dedupeNotes,
  metricLabel,
} from "./summary.ts";
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
  const totals = Object.fromEntries(
    COMPARISON_STATUSES.map((s) => [s, 0]),
  ) as Record<ComparisonStatus, number>;
  for (const e of entries) {
    const c = statusCounts(e.results);
    for (const s of COMPARISON_STATUSES) totals[s] += c[s];
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
      "figures by status",
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
        // One cell, not one column per status: the table fits the page.
        COMPARISON_STATUSES.filter((s) => c[s] > 0)
          .map((s) => `${c[s]} ${STATUS_LABELS[s]}`).join("; "),
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
      text:
        "One agreement rule for every row: a deterministic figure must equal the published one within the " +
        "tolerance its printed digits and float type allow; a published single run of an unseeded process must lie " +
        "inside the 95 % prediction interval of our seeded runs; our runs against a reference re-run are compared " +
        "by Welch's t test. Statuses: reproduced; explained (a difference whose cause a run in the same experiment " +
        "demonstrates); not reproduced; hypothesis (a difference with a proposed, undemonstrated cause; counted " +
        "apart); cannot judge (too few runs); not comparable (different quantities; not counted). " +
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
    const withReference = rows.some((row) => row.reference !== "—");
    const { cells: notes, footnotes } = dedupeNotes(rows.map((x) => x.note));
    const header = comparisonHeader(withReference);
    const blocks: Block[] = [
      {
        kind: "paragraph",
        text:
          `Reproduces ${citationText(r.document)} on ${r.dataset.release}. ` +
          `Rerun: \`${r.command}\`; pinned results \`${e.jsonHref}\` (commit \`${
            shortCommit(r.environment.git_commit)
          }\`, seeds ${r.seeds.length > 0 ? r.seeds.join(", ") : "none"}).`,
      },
      {
        kind: "table",
        variant: "comparison",
        caption:
          `${r.experiment}: published vs reproduced, in the document's order; ours is mean ± sample std where several runs ran. On a narrow screen the difference, rule, reference and note fold under each row.`,
        header,
        fold: comparisonFold(header),
        footnotes,
        rows: rows.map((row, i) => [
          { text: metricLabel(row.metric), title: row.metric },
          { text: row.published, numeric: true },
          { text: row.reproduced, numeric: true },
          { text: row.status, status: row.status },
          { text: row.difference, numeric: true },
          row.rule,
          ...(withReference ? [row.reference] : []),
          notes[i],
        ]),
      },
    ];
    return { heading: `${r.experiment}: ${r.title}`, blocks };
  });

  const commits = [
    ...new Set(entries.map((e) => e.results.environment.git_commit)),
  ];
  return renderReport({
    title: "Reproduction scorecard",
    subtitle:
      `${entries.length} MovieLens documents re-run: every published figure beside ours.`,
    outcome: `${totals.reproduced} of ${
      COMPARISON_STATUSES.filter((s) => s !== "not-comparable").reduce(
        (n, s) => n + totals[s],
        0,
      )
    } comparable published figures reproduced; ${
      COMPARISON_STATUSES.filter((s) => s !== "reproduced").map((s) =>
        `${totals[s]} ${STATUS_LABELS[s]}`
      ).join(", ")
    }. Each experiment's page says which rows differ and why.`,
    provenance: {
      facts: [
        [
          "Comparisons",
          COMPARISON_STATUSES.map((s) => `${totals[s]} ${STATUS_LABELS[s]}`)
            .join(", "),
        ],
        [
          "Documents",
          entries.map((e) =>
            `${e.results.experiment}: ${citationText(e.results.document)}`
          )
            .join("\n"),
        ],
        [
          "Commits",
          commits.map((c) =>
            `\`${c}\`: ${
              entries.filter((e) => e.results.environment.git_commit === c).map(
                (
                  e,
                ) => e.results.experiment,
              ).join(", ")
            }`
          ).join("\n"),
        ],
      ],
      commands: [
        {
          label:
            "Rerun everything (writes every report, pinned JSON, model and this page; MOVIELENS_DIR is the folder holding the MovieLens releases):",
          command: "MOVIELENS_DIR=/path/to/movielens deno task exp:all",
        },
        {
          label: "Check every pinned number:",
          command: "deno task verify",
        },
      ],
      links: entries.map((e) => ({
        text: `${e.results.experiment}.json`,
        href: e.jsonHref,
      })),
    },
    command: "deno task exp:all && deno task report",
    facts: [
      ["Experiments", entries.map((e) => e.results.experiment).join(", ")],
      [
        "Comparisons",
        COMPARISON_STATUSES.map((s) => `${totals[s]} ${STATUS_LABELS[s]}`)
          .join(", "),
      ],
      [
        "Check",
        "`deno task verify` (reruns everything, compares with the pinned JSON)",
      ],
    ],
    sections: [{ heading: "Experiments", blocks: overview }, ...perExperiment],
  });
}
