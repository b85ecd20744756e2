/**
 * Plotly figures for reports: a figure is plain JSON `{ data, layout }`,
 * checked so that it has a title, every axis a trace uses has a title, its
 * traces are of a type the page's plotly bundle draws, and no two traces
 * share a colour; drawn into a div whose id comes from its position on the
 * page (`fig-1`, `fig-2`, ...) with the report's defaults (a 24-colour
 * palette, full numbers on log axes, the legend under the plot), a CSV
 * download of its data, and the data as a table for readers without
 * JavaScript and for print.
 *
 * @module
 */

import { escapeHtml, inlineMarkup, jsonForScript } from "./escape.ts";
import { formatNumber } from "./table.ts";

/** A Plotly figure block; `data` and `layout` are passed to `Plotly.newPlot`. */
export interface FigureBlock {
  /** Block tag. */
  readonly kind: "figure";
  /** Plotly traces (typed arrays are fine: they are embedded as plain arrays). */
  readonly data: readonly Record<string, unknown>[];
  /** Plotly layout; `title` and `xaxis.title`/`yaxis.title` (and those of any other axis used) are required. */
  readonly layout: Record<string, unknown>;
  /** Caption shown under the figure. */
  readonly caption?: string;
}

/** The Plotly config of every figure: resizes with the page, no Plotly logo. */
export const PLOTLY_CONFIG = { responsive: true, displaylogo: false } as const;

/**
 * Trace types the page's plotly bundle (plotly.js-cartesian-dist-min) draws;
 * anything else (e.g. `scattergl`, 3-D) would be an empty box.
 */
export const BUNDLED_TRACE_TYPES: readonly string[] = [
  "bar",
  "box",
  "contour",
  "heatmap",
  "histogram",
  "histogram2d",
  "histogram2dcontour",
  "image",
  "pie",
  "scatter",
  "scatterternary",
  "violin",
];

/**
 * The report's qualitative palette: 24 distinct colours, used in order as
 * every figure's `colorway`, so up to 24 traces never repeat a colour.
 */
export const PALETTE: readonly string[] = [
  "#1f5fa8", // blue
  "#e0700f", // orange
  "#2a9d4a", // green
  "#c9283e", // red
  "#7b52b9", // purple
  "#8a5a3c", // brown
  "#d45fa8", // pink
  "#5f6b76", // slate grey
  "#a8a21c", // olive
  "#1aa7b8", // cyan
  "#0c2d5e", // navy
  "#f2a33a", // amber
  "#73c86b", // light green
  "#ff8f8f", // salmon
  "#b99be0", // lavender
  "#c49a6c", // tan
  "#6b0f3a", // maroon
  "#9fb3c8", // light steel
  "#4d5a0f", // dark olive
  "#7fe0e8", // light cyan
  "#3d3d3d", // charcoal
  "#ffd23f", // yellow
  "#2f6f5e", // dark teal
  "#e8a0c8", // light pink
];
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
  if (titleText(figure.layout) === "") {
    throw new Error(
      `${label}: layout.title is missing; every figure needs a title`,
    );
  }
  checkColours(figure, label);
  const needed = new Set<string>();
  for (const trace of figure.data) {
    const type = typeof trace.type === "string" ? trace.type : "scatter";
    if (!BUNDLED_TRACE_TYPES.includes(type)) {
      throw new Error(
        `${label}: trace type "${type}" is not in the page's plotly bundle (${
          BUNDLED_TRACE_TYPES.join(", ")
        }); use "scatter" for "scattergl"`,
      );
    }
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

/** The explicit colour a trace sets (line, marker or fill), if any. */
function explicitColour(trace: Record<string, unknown>): string | null {
  for (const key of ["line", "marker"]) {
    const part = trace[key];
    if (typeof part === "object" && part !== null) {
      const c = (part as { color?: unknown }).color;
      if (typeof c === "string") return c.toLowerCase();
    }
  }
  return typeof trace.fillcolor === "string"
    ? trace.fillcolor.toLowerCase()
    : null;
}

/**
 * Checks that no two traces in the legend share a colour: traces without
 * an explicit colour take the palette's colours in trace order (so at most
 * `PALETTE.length` of them), and explicit colours must differ from each
 * other and from those. Traces hidden from the legend (`showlegend: false`,
 * e.g. a band around a mean line) may reuse a colour.
 */
function checkColours(figure: FigureBlock, label: string): void {
  const layout = figure.layout as { colorway?: unknown };
  const palette = Array.isArray(layout.colorway)
    ? (layout.colorway as string[]).map((c) => String(c).toLowerCase())
    : PALETTE.map((c) => c.toLowerCase());
  const seen = new Map<string, string>();
  figure.data.forEach((trace, i) => {
    const explicit = explicitColour(trace);
    const type = typeof trace.type === "string" ? trace.type : "scatter";
    // Pie slices, heatmaps and box/bar traces coloured per point are not one colour.
    if (["pie", "heatmap", "contour", "histogram2d", "image"].includes(type)) {
      return;
    }
    if (explicit === null && i >= palette.length) {
      throw new Error(
        `${label}: ${figure.data.length} traces but ${palette.length} palette colours; give trace ${
          i + 1
        } a colour or draw fewer traces`,
      );
    }
    if (trace.showlegend === false) return;
    const colour = explicit ?? palette[i];
    const name = typeof trace.name === "string" ? trace.name : `trace ${i + 1}`;
    const before = seen.get(colour);
    if (before !== undefined) {
      throw new Error(
        `${label}: traces "${before}" and "${name}" share the colour ${colour}`,
      );
    }
    seen.set(colour, name);
  });
}

const LOG_TICKFORMAT = "~g";

/**
 * `figure`'s layout with the report's defaults filled in where the figure
 * does not set them: the palette, full numbers on log axes (no bare "2 5"
 * minor labels), a left-aligned title, and a horizontal legend under the
 * plot (taller figures for long legends), so no legend becomes a scroll box.
 */
export function layoutWithDefaults(
  figure: FigureBlock,
): Record<string, unknown> {
  const layout: Record<string, unknown> = { ...figure.layout };
  layout.colorway ??= [...PALETTE];
  for (const [key, axis] of Object.entries(layout)) {
    if (!/^(x|y)axis\d*$/.test(key) || typeof axis !== "object" || !axis) {
      continue;
    }
    const a = axis as Record<string, unknown>;
    if (
      a.type === "log" && a.tickformat === undefined && a.dtick === undefined
    ) {
      layout[key] = { ...a, tickformat: LOG_TICKFORMAT };
    }
  }
  const title = layout.title;
  layout.title = typeof title === "string"
    ? { text: title, x: 0, xanchor: "left" }
    : { x: 0, xanchor: "left", ...(title as Record<string, unknown>) };
  const entries = figure.data.filter((t) => t.showlegend !== false).length;
  if (entries > 1 || layout.showlegend === true) {
    layout.legend = {
      orientation: "h",
      x: 0,
      xanchor: "left",
      y: -0.18,
      yanchor: "top",
      ...(layout.legend as Record<string, unknown> | undefined),
    };
    if (layout.height === undefined) {
      layout.height = 440 + 24 * Math.max(0, Math.ceil(entries / 3) - 1);
    }
  }
  return layout;
}

/** The values a trace draws, as columns (x, y, error) of equal length. */
function traceColumns(trace: Record<string, unknown>): Map<string, unknown[]> {
  const cols = new Map<string, unknown[]>();
  for (const key of ["x", "y", "text"]) {
    const v = trace[key];
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      cols.set(key, Array.from(v as ArrayLike<unknown>));
    }
  }
  for (const key of ["error_y", "error_x"]) {
    const e = trace[key] as { array?: unknown } | undefined;
    if (e && (Array.isArray(e.array) || ArrayBuffer.isView(e.array))) {
      cols.set(
        `${key.slice(-1)} error`,
        Array.from(e.array as ArrayLike<unknown>),
      );
    }
  }
  return cols;
}

/** Figures with at most this many drawn values get their full data table; larger ones a summary. */
export const FALLBACK_FULL_ROWS = 400;

function cellOf(v: unknown): string {
  if (typeof v === "number") return formatNumber(v, null);
  if (v === null || v === undefined) return "";
  return String(v);
}

/**
 * The figure's data as HTML tables, for readers without JavaScript and for
 * print: every point when there are at most `FALLBACK_FULL_ROWS`, else per
 * trace the number of points and the range and mean of its values.
 */
export function renderFigureData(figure: FigureBlock): string {
  const traces = figure.data.map((t, i) => ({
    name: typeof t.name === "string" ? t.name : `trace ${i + 1}`,
    cols: traceColumns(t),
  }));
  const total = traces.reduce(
    (s, t) => s + Math.max(0, ...[...t.cols.values()].map((c) => c.length)),
    0,
  );
  const rows: string[] = [];
  let header: string[];
  if (total <= FALLBACK_FULL_ROWS) {
    const keys = [...new Set(traces.flatMap((t) => [...t.cols.keys()]))];
    header = ["trace", ...keys];
    for (const t of traces) {
      const n = Math.max(0, ...[...t.cols.values()].map((c) => c.length));
      for (let j = 0; j < n; j++) {
        rows.push(
          [t.name, ...keys.map((k) => cellOf(t.cols.get(k)?.[j]))].map((c) =>
            `<td>${escapeHtml(c)}</td>`
          ).join(""),
        );
      }
    }
  } else {
    header = ["trace", "values", "points", "min", "mean", "max"];
    for (const t of traces) {
      for (const [k, col] of t.cols) {
        const nums = col.filter((v): v is number =>
          typeof v === "number" && Number.isFinite(v)
        );
        if (nums.length === 0) continue;
        const mean = nums.reduce((a, b) => a + b, 0) / nums.length;
        rows.push(
          [
            t.name,
            k,
            String(col.length),
            cellOf(Math.min(...nums)),
            formatNumber(mean, 4),
            cellOf(Math.max(...nums)),
          ].map((c) => `<td>${escapeHtml(c)}</td>`).join(""),
        );
      }
    }
  }
  return `<details class="figure-data"><summary>Figure data${
    total > FALLBACK_FULL_ROWS
      ? " (summary per trace; the CSV has every point)"
      : ""
  }</summary><div class="table-wrap"><table><caption>The values drawn in “${
    escapeHtml(titleText(figure.layout))
  }”.</caption><thead><tr>${
    header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((r) => `<tr>${r}</tr>`).join("")
  }</tbody></table></div></details>`;
}

/**
 * The `<figure>` holding the plot div `id`, the caption, a CSV download
 * link (filled in by the figures script) and the data fallback.
 */
export function renderFigureDiv(figure: FigureBlock, id: string): string {
  const caption = figure.caption === undefined
    ? ""
    : `\n<figcaption>${inlineMarkup(figure.caption)}</figcaption>`;
  const safe = escapeHtml(id);
  return `<figure class="plot"><div id="${safe}" class="plot-area" role="img" aria-label="${
    escapeHtml(titleText(figure.layout))
  }"></div><noscript><p class="noscript">Figure “${
    escapeHtml(titleText(figure.layout))
  }” needs JavaScript; its data is below.</p></noscript>${caption}\n<p class="figure-links"><a class="csv" data-figure="${safe}" href="#${safe}" hidden>Download the data (CSV)</a></p>\n${
    renderFigureData(figure)
  }</figure>`;
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
    data: roundFigureData(figure.data),
    layout: layoutWithDefaults(figure),
  }));
  return [
    "<script>",
    '"use strict";',
    `(function () {`,
    `  const figures = ${jsonForScript(payload)};`,
    `  const config = ${jsonForScript(PLOTLY_CONFIG)};`,
    CSV_SCRIPT,
    `  for (const f of figures) {`,
    `    Plotly.newPlot(f.id, f.data, f.layout, config);`,
    `    const a = document.querySelector('a.csv[data-figure="' + f.id + '"]');`,
    `    if (a) { a.hidden = false; a.addEventListener("click", (e) => { e.preventDefault(); download(f); }); }`,
    `  }`,
    `})();`,
    "</script>",
  ].join("\n");
}

/** Significant digits kept for drawn values (page weight; far below screen resolution). */
export const FIGURE_DIGITS = 6;

/** `data` with every non-integer number (also in typed arrays) rounded to `FIGURE_DIGITS` significant digits. */
export function roundFigureData(
  data: readonly Record<string, unknown>[],
): unknown[] {
  const round = (v: unknown): unknown => {
    if (typeof v === "number") {
      return Number.isInteger(v) || !Number.isFinite(v)
        ? v
        : Number(v.toPrecision(FIGURE_DIGITS));
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<number>, round);
    }
    if (Array.isArray(v)) return v.map(round);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, round(x)]),
      );
    }
    return v;
  };
  return data.map(round);
}

/**
 * In-page CSV of a figure: one row per drawn value, columns trace, x, y and
 * the error bars; downloaded through a Blob link as `<figure id>.csv`.
 */
const CSV_SCRIPT = `  const cell = (v) => {
    if (v === null || v === undefined) return "";
    const s = String(v);
    return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const column = (t, key) => {
    if (key === "x error" || key === "y error") {
      const e = t[key === "x error" ? "error_x" : "error_y"];
      return e && Array.isArray(e.array) ? e.array : null;
    }
    return Array.isArray(t[key]) ? t[key] : null;
  };
  const download = (f) => {
    const keys = ["x", "y", "x error", "y error", "text"].filter((k) => f.data.some((t) => column(t, k)));
    const lines = [["trace", ...keys].map(cell).join(",")];
    f.data.forEach((t, i) => {
      const cols = keys.map((k) => column(t, k));
      const n = Math.max(0, ...cols.map((c) => (c ? c.length : 0)));
      for (let j = 0; j < n; j++) lines.push([t.name || "trace " + (i + 1), ...cols.map((c) => (c ? c[j] : ""))].map(cell).join(","));
    });
    const blob = new Blob([lines.join("\\n") + "\\n"], { type: "text/csv" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = (document.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") || "figure") + "-" + f.id + ".csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  };`;
