/**
 * "Cite this": BibTeX for the software at the results' commit, the
 * reproduced document and the MovieLens paper, and the comparison table
 * as Markdown, LaTeX and CSV downloads (data: URLs, nothing fetched).
 *
 * @module
 */

import type { Block } from "./html.ts";
import type { Results } from "./results.ts";
import {
  formatDifference,
  formatFigure,
  formatMetric,
  runsWord,
} from "./scorecard.ts";
import { metricLabel } from "./summary.ts";

/** The software's citation data (CITATION.cff). */
export interface SoftwareCitation {
  readonly title: string;
  readonly authors: readonly string[];
  readonly version: string;
  readonly dateReleased: string;
  readonly url: string | null;
}

/**
 * Reads the fields `SoftwareCitation` needs from CITATION.cff text (the
 * flat subset this repository's file uses: `title`, `version`,
 * `date-released`, `repository-code`/`url`, and `authors` as
 * `- name:` / `family-names:`+`given-names:` entries).
 */
export function parseCitationCff(text: string): SoftwareCitation {
  const scalar = (key: string) => {
    const m = new RegExp(`^${key}:\\s*(.+)$`, "m").exec(text);
    return m === null ? null : m[1].trim().replace(/^["']|["']$/g, "");
  };
  const authors: string[] = [];
  const block = /^authors:\s*\n((?:[ \t-].*\n?)*)/m.exec(text)?.[1] ?? "";
  for (
    const entry of block.split(/\n\s*-\s+/).map((e) =>
      e.replace(/^\s*-\s+/, "")
    )
  ) {
    const get = (k: string) =>
      new RegExp(`(?:^|\\n)\\s*${k}:\\s*(.+)`).exec(entry)?.[1].trim()
        .replace(/^["']|["']$/g, "");
    const name = get("name") ??
      [get("given-names"), get("family-names")].filter(Boolean).join(" ");
    if (name) authors.push(name);
  }
  return {
    title: scalar("title") ?? "cf-reproductions",
    authors,
    version: scalar("version") ?? "unversioned",
    dateReleased: scalar("date-released") ?? "",
    url: scalar("repository-code") ?? scalar("url"),
  };
}

const bibEscape = (s: string) => s.replace(/([{}&%$#_])/g, "\\$1");

/** A BibTeX key from a name and year: letters and digits only. */
function bibKey(...parts: (string | number | null)[]): string {
  return parts.filter((p) => p !== null && p !== "").join("_").replace(
    /[^A-Za-z0-9_]+/g,
    "",
  ).toLowerCase();
}

/** BibTeX entries: the software at the results' commit, the document, MovieLens. */
export function bibtex(results: Results, software: SoftwareCitation): string {
  const commit = results.environment.git_commit.replace(/-dirty$/, "");
  const doc = results.document;
  const year = software.dateReleased.slice(0, 4);
  const sw = [
    `@software{${bibKey("cf_reproductions", software.version)},`,
    `  title = {${bibEscape(software.title)}},`,
    `  author = {${software.authors.map(bibEscape).join(" and ")}},`,
    `  version = {${bibEscape(software.version)}},`,
    ...(year ? [`  year = {${year}},`] : []),
    ...(software.dateReleased ? [`  date = {${software.dateReleased}},`] : []),
    `  note = {commit ${commit}; experiment ${bibEscape(results.experiment)}, ${
      bibEscape(results.command)
    }},`,
    ...(software.url ? [`  url = {${software.url}},`] : []),
    `}`,
  ];
  const docEntry = [
    `@misc{${
      bibKey(
        doc.authors[0]?.split(" ").at(-1) ?? "anon",
        doc.year,
        results.experiment,
      )
    },`,
    `  title = {${bibEscape(doc.title)}},`,
    `  author = {${doc.authors.map(bibEscape).join(" and ")}},`,
    ...(doc.year === null ? [] : [`  year = {${doc.year}},`]),
    ...(doc.url === null
      ? [`  note = {no public copy known}`]
      : [`  howpublished = {\\url{${doc.url}}},`]),
    `}`,
  ];
  const movielens = [
    `@article{harper2015movielens,`,
    `  title = {The MovieLens Datasets: History and Context},`,
    `  author = {F. Maxwell Harper and Joseph A. Konstan},`,
    `  journal = {ACM Transactions on Interactive Intelligent Systems},`,
    `  volume = {5},`,
    `  number = {4},`,
    `  pages = {19:1--19:19},`,
    `  year = {2015},`,
    `  doi = {10.1145/2827872},`,
    `}`,
  ];
  return [sw, docEntry, movielens].map((e) => e.join("\n")).join("\n\n");
}

/** The comparison rows as plain strings: metric, published, reproduced, difference, rule, status. */
function comparisonRows(results: Results): string[][] {
  return results.comparisons.map((c) => [
    metricLabel(c.metric),
    typeof c.published === "number" ? formatFigure(c.published) : c.published,
    formatMetric(results.metrics[c.metric], runsWord(results)),
    c.difference === null ? "" : formatDifference(c.difference),
    c.rule.interval_text,
    c.status,
  ]);
}

const HEADER = [
  "metric",
  "published",
  "reproduced",
  "difference",
  "rule and interval",
  "status",
];

/** The comparison table as GitHub Markdown. */
export function comparisonMarkdown(results: Results): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    `| ${HEADER.join(" | ")} |`,
    `| ${HEADER.map(() => "---").join(" | ")} |`,
    ...comparisonRows(results).map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n") + "\n";
}

/** The comparison table as a LaTeX tabular (booktabs). */
export function comparisonLatex(results: Results): string {
  const esc = (s: string) =>
    s.replace(/\\/g, "\\textbackslash{}").replace(/([&%$#_{}])/g, "\\$1")
      .replace(/~/g, "\\textasciitilde{}").replace(/\^/g, "\\textasciicircum{}")
      .replace(/±/g, "$\\pm$").replace(/−/g, "$-$").replace(/…/g, "\\ldots{}");
  return [
    `\\begin{tabular}{lrrrll}`,
    `\\toprule`,
    `${HEADER.join(" & ")} \\\\`,
    `\\midrule`,
    ...comparisonRows(results).map((r) => `${r.map(esc).join(" & ")} \\\\`),
    `\\bottomrule`,
    `\\end{tabular}`,
  ].join("\n") + "\n";
}

/** The comparison table as CSV (RFC 4180 quoting), with raw numbers. */
export function comparisonCsv(results: Results): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = results.comparisons.map((c) => [
    c.metric,
    c.published,
    c.reproduced,
    c.difference,
    c.rule.rule,
    c.rule.interval === null ? null : c.rule.interval[0],
    c.rule.interval === null ? null : c.rule.interval[1],
    c.status,
    c.note,
  ]);
  return [
    [
      "metric",
      "published",
      "reproduced",
      "difference",
      "rule",
      "interval_low",
      "interval_high",
      "status",
      "note",
    ],
    ...rows,
  ].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

function dataUrl(mime: string, text: string): string {
  return `data:${mime};charset=utf-8,${encodeURIComponent(text)}`;
}

/** The "Cite this" section's blocks. */
export function citeBlocks(
  results: Results,
  software: SoftwareCitation,
): Block[] {
  const name = results.experiment;
  return [
    {
      kind: "paragraph",
      text:
        "Cite the software at the commit that produced these numbers, the reproduced document, and the MovieLens data:",
    },
    { kind: "pre", text: bibtex(results, software) },
    {
      kind: "links",
      text: "The published-vs-reproduced table as",
      links: [
        {
          text: "Markdown",
          href: dataUrl("text/markdown", comparisonMarkdown(results)),
          download: `${name}-comparison.md`,
        },
        {
          text: "LaTeX",
          href: dataUrl("application/x-tex", comparisonLatex(results)),
          download: `${name}-comparison.tex`,
        },
        {
          text: "CSV",
          href: dataUrl("text/csv", comparisonCsv(results)),
          download: `${name}-comparison.csv`,
        },
      ],
    },
  ];
}
