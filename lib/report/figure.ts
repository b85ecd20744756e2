/**
 * Plotly figures for reports: a figure is plain JSON `{ data, layout }`,
 * checked so that every axis a trace uses has a title, and drawn into a div
 * whose id comes from its position on the page (`fig-1`, `fig-2`, ...).
 *
 * @module
 */

import { escapeHtml, jsonForScript } from "./escape.ts";

/** A Plotly figure block; `data` and `layout` are passed to `Plotly.newPlot`. */
export interface FigureBlock {
  /** Block tag. */
  readonly kind: "figure";
  /** Plotly traces (typed arrays are fine: they are embedded as plain arrays). */
  readonly data: readonly Record<string, unknown>[];
  /** Plotly layout; `xaxis.title`/`yaxis.title` (and those of any other axis used) are required. */
  readonly layout: Record<string, unknown>;
  /** Caption shown under the figure. */
  readonly caption?: string;
}

/** The Plotly config of every figure: resizes with the page, no Plotly logo. */
export const PLOTLY_CONFIG = { responsive: true, displaylogo: false } as const;

/** Trace types drawn without x/y axes (no axis titles to check). */
const NO_AXES = new Set([
  "pie",
  "sunburst",
  "treemap",
  "icicle",
  "funnelarea",
  "table",
  "indicator",
  "sankey",
  "parcoords",
  "parcats",
  "scatterpolar",
  "scatterpolargl",
  "barpolar",
  "scatterternary",
  "scattergeo",
  "choropleth",
  "scattermap",
  "choroplethmap",
  "densitymap",
  "scattermapbox",
  "choroplethmapbox",
  "densitymapbox",
]);
const SCENE = new Set([
  "scatter3d",
  "surface",
  "mesh3d",
  "cone",
  "streamtube",
  "volume",
  "isosurface",
]);

function titleText(axis: unknown): string {
  if (typeof axis !== "object" || axis === null) return "";
  const title = (axis as { title?: unknown }).title;
  if (typeof title === "string") return title.trim();
  if (typeof title === "object" && title !== null) {
    const text = (title as { text?: unknown }).text;
    if (typeof text === "string") return text.trim();
  }
  return "";
}

/**
 * Checks that every axis used by `figure`'s traces has a non-empty title
 * (`layout.xaxis.title` as a string or `{ text }`; `xaxis2` for traces on
 * "x2"; `scene.xaxis/yaxis/zaxis` for 3-D traces). `label` names the figure
 * in the error.
 *
 * @throws {Error} naming the figure and the untitled axis.
 */
export function checkFigure(figure: FigureBlock, label: string): void {
  if (!Array.isArray(figure.data)) {
    throw new Error(`${label}: data must be an array of traces`);
  }
  if (typeof figure.layout !== "object" || figure.layout === null) {
    throw new Error(`${label}: layout must be an object`);
  }
  const needed = new Set<string>();
  for (const trace of figure.data) {
    const type = typeof trace.type === "string" ? trace.type : "scatter";
    if (NO_AXES.has(type)) continue;
    if (SCENE.has(type)) {
      const scene = typeof trace.scene === "string" ? trace.scene : "scene";
      for (const a of ["xaxis", "yaxis", "zaxis"]) needed.add(`${scene}.${a}`);
      continue;
    }
    for (const [prop, letter] of [["xaxis", "x"], ["yaxis", "y"]] as const) {
      const ref = typeof trace[prop] === "string"
        ? trace[prop] as string
        : letter;
      needed.add(`${letter}axis${ref.slice(1)}`);
    }
  }
  for (const path of [...needed].sort()) {
    const axis = path.split(".").reduce<unknown>(
      (
        obj,
        key,
      ) => (typeof obj === "object" && obj !== null
        ? (obj as Record<string, unknown>)[key]
        : undefined),
      figure.layout,
    );
    if (titleText(axis) === "") {
      throw new Error(
        `${label}: layout.${path}.title is missing; every axis needs a title`,
      );
    }
  }
}

/** The `<figure>` holding the plot div `id` and the escaped caption. */
export function renderFigureDiv(figure: FigureBlock, id: string): string {
  const caption = figure.caption === undefined
    ? ""
    : `\n<figcaption>${escapeHtml(figure.caption)}</figcaption>`;
  return `<figure class="plot"><div id="${
    escapeHtml(id)
  }" class="plot-area"></div>${caption}</figure>`;
}

/**
 * The script that draws `figures` (id → figure) once Plotly is loaded: the
 * figures' JSON is embedded with `<` escaped, so no title can end the script.
 */
export function renderFiguresScript(
  figures: readonly { id: string; figure: FigureBlock }[],
): string {
  const payload = figures.map(({ id, figure }) => ({
    id,
    data: figure.data,
    layout: figure.layout,
  }));
  return [
    "<script>",
    '"use strict";',
    `(function () {`,
    `  const figures = ${jsonForScript(payload)};`,
    `  const config = ${jsonForScript(PLOTLY_CONFIG)};`,
    `  for (const f of figures) Plotly.newPlot(f.id, f.data, f.layout, config);`,
    `})();`,
    "</script>",
  ].join("\n");
}
