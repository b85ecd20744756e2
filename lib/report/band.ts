/**
 * Multi-seed curves as a mean line inside a ±1 sample-std band, optionally
 * with the per-seed lines faint behind it, and the document's own points
 * overlaid: `meanBand` computes the summary, `bandTraces` draws one series,
 * `bandFigure` builds the whole figure.
 *
 * @example
 * ```ts
 * import { bandFigure } from "./band.ts";
 * const fig = bandFigure({
 *   title: "Test RMSE by epoch",
 *   xTitle: "epoch",
 *   yTitle: "RMSE (stars)",
 *   series: [{ name: "ours", x: [1, 2, 3], runs: [[1.0, 0.95, 0.93], [1.02, 0.96, 0.94]] }],
 *   points: [{ name: "document", x: [3], y: [0.94] }],
 * });
 * console.assert(fig.data.length === 4); // band low, band high, mean, document
 * ```
 *
 * @module
 */

import type { FigureBlock } from "./figure.ts";
import { PALETTE } from "./figure.ts";

/** Mean and sample std (ddof 1) per point over the runs that reach it. */
export interface MeanBand {
  /** Mean per point, shape [points]. */
  readonly mean: number[];
  /** Sample std per point (0 where only one run reaches the point), shape [points]. */
  readonly std: number[];
  /** Runs that reach each point, shape [points]. */
  readonly n: number[];
}

/**
 * Mean and sample std per point of `runs` (shape [runs][points]; runs may
 * be shorter, e.g. stopped early: each point uses the runs that reach it;
 * non-finite values are skipped).
 *
 * @throws {RangeError} when there is no run.
 */
export function meanBand(runs: readonly ArrayLike<number>[]): MeanBand {
  if (runs.length === 0) throw new RangeError("meanBand: no runs");
  const points = Math.max(...runs.map((r) => r.length));
  const mean: number[] = [];
  const std: number[] = [];
  const n: number[] = [];
  for (let j = 0; j < points; j++) {
    const v: number[] = [];
    for (const r of runs) {
      if (j < r.length && Number.isFinite(r[j])) v.push(r[j]);
    }
    const m = v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
    const s = v.length < 2
      ? 0
      : Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
    mean.push(m);
    std.push(s);
    n.push(v.length);
  }
  return { mean, std, n };
}

/** One multi-seed series of a band figure. */
export interface BandSeries {
  /** Legend name, e.g. "test RMSE". */
  readonly name: string;
  /** x of each point, shape [points]. */
  readonly x: ArrayLike<number>;
  /** One curve per seed, shape [runs][≤ points]. */
  readonly runs: readonly ArrayLike<number>[];
  /** Line colour; default the palette's next colour. */
  readonly color?: string;
  /** Also draw each seed's curve, faint (default false). */
  readonly showRuns?: boolean;
  /** Plotly axis ids, e.g. "y2" for a second y axis. */
  readonly yaxis?: string;
}

/** Points the document printed, drawn as markers over the bands. */
export interface DocumentPoints {
  /** Legend name, e.g. "document". */
  readonly name: string;
  readonly x: ArrayLike<number | string>;
  readonly y: ArrayLike<number>;
  /** Marker colour; default the palette's next colour. */
  readonly color?: string;
}

const r6 = (v: number) => Number.isFinite(v) ? Number(v.toPrecision(6)) : null;

/** `#rrggbb` at `alpha` as `rgba(...)`. */
function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (m === null) return hex;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

/**
 * The traces of one series: the band's lower edge (invisible), its upper
 * edge filled down to it, the faint per-seed lines when asked, and the mean
 * line on top (the one legend entry, named "`name` (mean ± 1 std, n runs)").
 */
export function bandTraces(
  series: BandSeries,
  color: string,
): Record<string, unknown>[] {
  const { mean, std } = meanBand(series.runs);
  const x = Array.from(series.x).slice(0, mean.length);
  const axis = series.yaxis === undefined ? {} : { yaxis: series.yaxis };
  const group = series.name;
  const traces: Record<string, unknown>[] = [];
  const runs = series.runs.length;
  if (runs > 1) {
    traces.push(
      {
        type: "scatter",
        mode: "lines",
        name: `${series.name} − 1 std`,
        x,
        y: mean.map((m, j) => r6(m - std[j])),
        line: { width: 0, color },
        showlegend: false,
        hoverinfo: "skip",
        legendgroup: group,
        ...axis,
      },
      {
        type: "scatter",
        mode: "lines",
        name: `${series.name} + 1 std`,
        x,
        y: mean.map((m, j) => r6(m + std[j])),
        line: { width: 0, color },
        fill: "tonexty",
        fillcolor: withAlpha(color, 0.2),
        showlegend: false,
        hoverinfo: "skip",
        legendgroup: group,
        ...axis,
      },
    );
  }
  if (series.showRuns === true) {
    series.runs.forEach((run, k) =>
      traces.push({
        type: "scatter",
        mode: "lines",
        name: `${series.name}, run ${k + 1}`,
        x: x.slice(0, run.length),
        y: Array.from(run, r6),
        line: { width: 1, color: withAlpha(color, 0.35) },
        showlegend: false,
        legendgroup: group,
        ...axis,
      })
    );
  }
  traces.push({
    type: "scatter",
    mode: "lines",
    name: runs > 1
      ? `${series.name} (mean ± 1 std, ${runs} runs)`
      : `${series.name} (1 run)`,
    x,
    y: mean.map(r6),
    line: { width: 2, color },
    legendgroup: group,
    ...axis,
  });
  return traces;
}

/** What {@linkcode bandFigure} draws. */
export interface BandFigureSpec {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly series: readonly BandSeries[];
  /** The document's points, overlaid as markers. */
  readonly points?: readonly DocumentPoints[];
  /** A log y axis (ticks as full numbers). */
  readonly logY?: boolean;
  readonly caption?: string;
  /** Extra layout (merged over the defaults). */
  readonly layout?: Record<string, unknown>;
}

/**
 * A figure of multi-seed series as mean ± 1 std bands with the document's
 * points overlaid; colours from the report palette in order (series first,
 * then points), each legend entry its own colour.
 */
export function bandFigure(spec: BandFigureSpec): FigureBlock {
  let next = 0;
  const take = (c: string | undefined) => c ?? PALETTE[next++ % PALETTE.length];
  const data: Record<string, unknown>[] = [];
  for (const s of spec.series) data.push(...bandTraces(s, take(s.color)));
  for (const p of spec.points ?? []) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: p.name,
      x: Array.from(p.x),
      y: Array.from(p.y),
      marker: { symbol: "diamond", size: 10, color: take(p.color) },
    });
  }
  return {
    kind: "figure",
    data,
    layout: {
      title: { text: spec.title },
      xaxis: { title: { text: spec.xTitle } },
      yaxis: {
        title: { text: spec.yTitle },
        ...(spec.logY === true ? { type: "log" } : {}),
      },
      ...spec.layout,
    },
    caption: spec.caption,
  };
}
