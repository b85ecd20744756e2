/**
 * The self-contained HTML report: a header saying what was reproduced and
 * how to rerun it, then sections of paragraphs, tables, Plotly figures and
 * preformatted text. Plotly is inlined once (only when the page has a
 * figure), nothing is fetched from the network, and the same input always
 * gives the same bytes (no timestamps, ids derived from position).
 *
 * @example
 * ```ts
 * import { renderReport } from "./html.ts";
 * const html = renderReport({
 *   title: "Implicit ALS on ML-100K",
 *   command: "deno task exp:als",
 *   sections: [{ heading: "Results", blocks: [{ kind: "paragraph", text: "Run `deno task exp:als`." }] }],
 * });
 * if (!html.includes("<code>deno task exp:als</code>")) throw new Error();
 * ```
 *
 * @module
 */

import plotlySource from "plotly.js-cartesian-dist-min/plotly-cartesian.min.js" with {
  type: "text",
};
import { checkInlineScript, escapeHtml, inlineMarkup } from "./escape.ts";
import {
  checkFigure,
  type FigureBlock,
  renderFigureDiv,
  renderFiguresScript,
} from "./figure.ts";
import { renderTable, type TableBlock } from "./table.ts";

export type { FigureBlock } from "./figure.ts";
export type { TableBlock } from "./table.ts";

/** A paragraph; text is escaped, and `backquoted` spans become `<code>`. */
export interface ParagraphBlock {
  /** Block tag. */
  readonly kind: "paragraph";
  /** The paragraph's text (escaped when rendered). */
  readonly text: string;
}

/**
 * A paragraph block for `text` (escaped; `backquoted` spans become code).
 *
 * @example
 * ```ts
 * import { paragraph } from "./html.ts";
 * console.assert(paragraph("Hello").kind === "paragraph");
 * ```
 */
export function paragraph(text: string): ParagraphBlock {
  return { kind: "paragraph", text };
}

/** Preformatted text (logs, command output), escaped. */
export interface PreBlock {
  /** Block tag. */
  readonly kind: "pre";
  /** Preformatted text, shown as is (escaped). */
  readonly text: string;
}

/**
 * A paragraph that starts with a link to a page beside the report (a
 * relative path: no scheme, no leading `/`), then `text` (escaped,
 * `backquoted` spans as code).
 */
export interface LinkBlock {
  /** Block tag. */
  readonly kind: "link";
  /** Relative URL, e.g. "als/explorer.html". */
  readonly href: string;
  /** The link's text. */
  readonly label: string;
  /** Text after the link. */
  readonly text: string;
}

/** A line of download or navigation links, e.g. a table as Markdown, LaTeX and CSV. */
export interface LinksBlock {
  /** Block tag. */
  readonly kind: "links";
  /** Text before the links. */
  readonly text: string;
  /** The links: relative, http(s), or `data:` URLs of text (downloads generated in the page). */
  readonly links: readonly {
    readonly text: string;
    readonly href: string;
    /** File name to save as (the `download` attribute). */
    readonly download?: string;
  }[];
}

/** One piece of a section. */
export type Block =
  | ParagraphBlock
  | TableBlock
  | FigureBlock
  | PreBlock
  | LinkBlock
  | LinksBlock;

/** A titled part of the report. */
export interface Section {
  /** Section heading. */
  readonly heading: string;
  /** The section's content, in order. */
  readonly blocks: readonly Block[];
}

/** A command shown in the provenance block, with what it does. */
export interface ProvenanceCommand {
  /** What the command does, e.g. "Rerun (about 25 s)". */
  readonly label: string;
  /** The exact command line. */
  readonly command: string;
}

/** The provenance block at the top of a report: where every number comes from. */
export interface Provenance {
  /** Label → value (inline markup: `code`, URLs become links; "\n" starts a new line). */
  readonly facts: readonly (readonly [string, string])[];
  /** Commands to rerun and check the results. */
  readonly commands: readonly ProvenanceCommand[];
  /** Links to the results file, models, index, ... (relative paths or http(s)). */
  readonly links: readonly { readonly text: string; readonly href: string }[];
}

/** Everything a report page shows. */
export interface ReportSpec {
  /** Page and `<h1>` title. */
  readonly title: string;
  /** A line under the title, e.g. the document reproduced. */
  readonly subtitle?: string;
  /** The exact command that regenerates this report. */
  readonly command: string;
  /** Label → value pairs shown in the header (dataset, seed, commit, ...). */
  readonly facts?: readonly (readonly [string, string])[];
  /** The report's sections, in order. */
  readonly sections: readonly Section[];
  /** A short paragraph under the title: what reproduced, what did not, why. */
  readonly outcome?: string;
  /** The provenance block; when given it replaces `facts` and `command` in the header. */
  readonly provenance?: Provenance;
}

/** The plotly.js bundle inlined in pages with figures. */
export const PLOTLY_BUNDLE = "plotly.js-cartesian-dist-min 4.1.1";

/** Plotly's source, checked (at import) to be safe inside a `<script>` element. */
const PLOTLY_SOURCE: string = checkInlineScript(plotlySource);

/** The page's stylesheet (responsive: tables fold their `fold` columns at ≤ 720 px; print shows figure data). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1d232a; --muted: #5b6570; --line: #d8dee4; --bg-soft: #f5f7f9; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; padding-bottom: 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 0.25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
p, li { overflow-wrap: anywhere; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.outcome { font-size: 1.02rem; background: var(--bg-soft); border-left: 4px solid var(--accent); padding: 0.6rem 0.9rem; margin: 0 0 1rem; }
.provenance { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem 0.75rem; margin: 0 0 1rem; }
.provenance h2 { font-size: 1.05rem; margin: 0.25rem 0 0.5rem; border: none; padding: 0; }
.provenance .links { margin: 0.5rem 0 0; font-size: 0.93rem; }
.provenance .links a { margin-right: 0.9rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 1rem; margin: 0 0 1rem; font-size: 0.93rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.rerun { margin: 0 0 0.25rem; font-size: 0.93rem; color: var(--muted); }
nav ol { margin: 0.5rem 0 0; padding-left: 1.25rem; font-size: 0.93rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: var(--bg-soft); padding: 0.05em 0.3em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 4px; padding: 0.75rem 1rem; overflow-x: auto; line-height: 1.4; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; margin: 1rem 0; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.93rem; max-width: 100%; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 0.4rem; }
th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid var(--fg); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
td.status { font-weight: 600; overflow-wrap: normal; }
td.status-reproduced { color: #1a7f37; }
td.status-explained { color: #9a6700; }
td.status-not-reproduced { color: #cf222e; }
td.status-hypothesis { color: #8250df; }
td.status-cannot-judge { color: #57606a; }
td.status-not-comparable { color: #57606a; }
tr.fold-row { display: none; }
tr.fold-row td { border-bottom: 1px solid var(--line); padding-top: 0; }
tr.fold-row summary { color: var(--muted); font-size: 0.85rem; cursor: pointer; }
tr.fold-row dl { margin: 0.25rem 0; }
tr.fold-row dt { color: var(--muted); font-size: 0.85rem; }
tr.fold-row dd { margin: 0 0 0.3rem; }
ol.footnotes { font-size: 0.88rem; color: var(--muted); margin: 0.5rem 0 0; padding-left: 1.5rem; }
figure.plot { margin: 1.25rem 0; }
.plot-area { width: 100%; min-height: 420px; }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.25rem; }
.figure-links { margin: 0.25rem 0; font-size: 0.88rem; }
details.figure-data summary, details.model-card summary { cursor: pointer; color: var(--muted); font-size: 0.88rem; }
.noscript { color: #9a6700; }
footer { max-width: 72rem; margin: 3rem auto 2rem; padding: 0 1.25rem; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 720px) {
  header, main, footer { padding: 0 0.75rem; }
  header { padding-top: 1rem; }
  th, td { padding: 0.3rem 0.35rem; }
  table { font-size: 0.85rem; }
  td.num { white-space: normal; }
  table.folding th.fold, table.folding td.fold { display: none; }
  table.folding tr.fold-row { display: table-row; }
  dl.facts { grid-template-columns: minmax(0, 1fr); }
  dl.facts dd { margin-bottom: 0.4rem; }
}
@media print {
  .plot-area { min-height: 0; }
  details.figure-data, details.figure-data > * { display: block; }
  .figure-links { display: none; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  table.folding th.fold, table.folding td.fold { display: table-cell; }
}
`.trim();

const renderInline = inlineMarkup;

function linkHref(href: string, dataText = false): string {
  if (
    /^[A-Za-z][A-Za-z0-9+.-]*:/.test(href) && !/^https?:\/\//i.test(href) &&
    !(dataText && /^data:(text\/[a-z-]+|application\/x-tex);/.test(href))
  ) {
    throw new Error(
      `provenance link must be relative or http(s), got ${
        JSON.stringify(href)
      }`,
    );
  }
  return escapeHtml(href);
}

/** The provenance block's HTML (see {@link Provenance}). */
export function renderProvenance(p: Provenance): string[] {
  const out = [
    `<section class="provenance" id="provenance" aria-labelledby="provenance-heading">`,
    `<h2 id="provenance-heading">Provenance</h2>`,
    `<dl class="facts">`,
  ];
  for (const [label, value] of p.facts) {
    out.push(
      `<dt>${escapeHtml(label)}</dt><dd>${
        value.split("\n").map(renderInline).join("<br>")
      }</dd>`,
    );
  }
  out.push(`</dl>`);
  for (const c of p.commands) {
    out.push(
      `<p class="rerun">${renderInline(c.label)}</p>`,
      `<pre class="command"><code>${escapeHtml(c.command)}</code></pre>`,
    );
  }
  if (p.links.length > 0) {
    out.push(
      `<p class="links">${
        p.links.map((l) =>
          `<a href="${linkHref(l.href)}">${escapeHtml(l.text)}</a>`
        )
          .join(" ")
      }</p>`,
    );
  }
  out.push(`</section>`);
  return out;
}

/**
 * Renders the complete HTML page for `spec`.
 *
 * @throws {Error} when a figure has an axis without a title, or a table is
 *   malformed (see `renderTable`).
 *
 * @example
 * ```ts
 * import { paragraph, renderReport } from "./html.ts";
 * const html = renderReport({ title: "Example", command: "deno task exp:example", sections: [{ heading: "Result", blocks: [paragraph("It works.")] }] });
 * console.assert(html.includes("It works."));
 * ```
 */
export function renderReport(spec: ReportSpec): string {
  const figures: { id: string; figure: FigureBlock }[] = [];
  const body: string[] = [];
  spec.sections.forEach((section, s) => {
    body.push(
      `<section id="section-${s + 1}">`,
      `<h2>${escapeHtml(section.heading)}</h2>`,
    );
    for (const block of section.blocks) {
      switch (block.kind) {
        case "paragraph":
          body.push(`<p>${renderInline(block.text)}</p>`);
          break;
        case "pre":
          body.push(`<pre>${escapeHtml(block.text)}</pre>`);
          break;
        case "link":
          if (/^[a-z][a-z0-9+.-]*:|^\/|^\\/i.test(block.href)) {
            throw new Error(
              `link block: ${
                JSON.stringify(block.href)
              } is not a relative path`,
            );
          }
          body.push(
            `<p><a href="${escapeHtml(block.href)}">${
              escapeHtml(block.label)
            }</a> ${renderInline(block.text)}</p>`,
          );
          break;
        case "table":
          body.push(renderTable(block));
          break;
        case "links":
          body.push(
            `<p class="downloads">${renderInline(block.text)} ${
              block.links.map((l) =>
                `<a href="${linkHref(l.href, true)}"${
                  l.download === undefined
                    ? ""
                    : ` download="${escapeHtml(l.download)}"`
                }>${escapeHtml(l.text)}</a>`
              ).join(", ")
            }.</p>`,
          );
          break;
        case "figure": {
          const id = `fig-${figures.length + 1}`;
          checkFigure(
            block,
            `figure ${figures.length + 1} (section "${section.heading}")`,
          );
          figures.push({ id, figure: block });
          body.push(renderFigureDiv(block, id));
          break;
        }
        default:
          throw new Error(
            `unknown block kind ${
              JSON.stringify((block as { kind?: unknown }).kind)
            }`,
          );
      }
    }
    body.push("</section>");
  });

  const header = [`<header>`, `<h1>${escapeHtml(spec.title)}</h1>`];
  if (spec.subtitle !== undefined) {
    header.push(`<p class="subtitle">${renderInline(spec.subtitle)}</p>`);
  }
  if (spec.outcome !== undefined) {
    header.push(`<p class="outcome">${renderInline(spec.outcome)}</p>`);
  }
  if (spec.provenance !== undefined) {
    header.push(...renderProvenance(spec.provenance));
  } else {
    if (spec.facts !== undefined && spec.facts.length > 0) {
      header.push(`<dl class="facts">`);
      for (const [label, value] of spec.facts) {
        header.push(
          `<dt>${escapeHtml(label)}</dt><dd>${renderInline(value)}</dd>`,
        );
      }
      header.push(`</dl>`);
    }
    header.push(
      `<p class="rerun">Regenerate this report with:</p>`,
      `<pre class="command"><code>${escapeHtml(spec.command)}</code></pre>`,
    );
  }
  if (spec.sections.length > 1) {
    header.push(`<nav><ol>`);
    spec.sections.forEach((section, s) =>
      header.push(
        `<li><a href="#section-${s + 1}">${
          escapeHtml(section.heading)
        }</a></li>`,
      )
    );
    header.push(`</ol></nav>`);
  }
  header.push(`</header>`);

  const scripts: string[] = [];
  if (figures.length > 0) {
    scripts.push(
      `<script>${PLOTLY_SOURCE}</script>`,
      renderFiguresScript(figures),
    );
  }

  return [
    "<!DOCTYPE html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(spec.title)}</title>`,
    `<style>\n${REPORT_CSS}\n</style>`,
    "</head>",
    "<body>",
    ...header,
    "<main>",
    ...body,
    "</main>",
    `<footer>Self-contained report: works offline${
      figures.length > 0
        ? `; figures drawn with ${PLOTLY_BUNDLE} (MIT), inlined`
        : ""
    }.</footer>`,
    ...scripts,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
