/**
 * Figures as SVG, rendered headlessly: a Vega-Lite spec is compiled by `vega-lite` and
 * drawn by `vega` without a browser. Also a builder for the chart several katas draw (a
 * line per series, optionally on log axes) and a grayscale image encoder for `image` marks.
 *
 * @example Usage
 * ```ts
 * import { lineChart, renderSvg } from "@lib/figures/plot.ts";
 * const svg = await renderSvg(lineChart({
 *   title: "Loss",
 *   points: [{ x: 1, y: 2, series: "a" }, { x: 2, y: 1, series: "a" }],
 *   x: { title: "step" },
 *   y: { title: "loss (nats)", log: true },
 *   seriesTitle: "run",
 * }));
 * console.log(svg.startsWith("<svg")); // true
 * ```
 * @module
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { encode } from "fast-png";

export type { TopLevelSpec };

/** Vega's text metrics (its types omit them); `width` may be replaced, as vl-convert does. */
const metrics = (vega as unknown as {
  textMetrics: {
    width: (item: { fontSize?: number; fontWeight?: string | number }, text: unknown) => number;
  };
}).textMetrics;
// Without a canvas vega estimates 0.8 em per character, which truncates legends and leaves wide
// gaps; about 0.6 em (bold a little more) matches the sans-serif fonts the SVG is shown with.
metrics.width = (item, text) => {
  const em = (item.fontSize ?? 11) *
    (item.fontWeight === "bold" || Number(item.fontWeight) >= 600 ? 0.65 : 0.6);
  return em * String(text ?? "").trim().length;
};

/** Fonts and sizes shared by every figure, so they read alike. */
const CONFIG = {
  background: "white",
  // No per-item aria labels: they repeat every datum in the SVG text and can triple its size.
  aria: false,
  font: "sans-serif",
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: "#444", anchor: "start", offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titleLimit: 0 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/**
 * Renders a Vega-Lite spec to an SVG document (white background, the shared fonts unless
 * the spec sets its own `config`).
 *
 * @example Usage
 * ```ts
 * import { renderSvg } from "@lib/figures/plot.ts";
 * const svg = await renderSvg({
 *   title: "Two bars",
 *   data: { values: [{ k: "a", v: 1 }, { k: "b", v: 2 }] },
 *   mark: "bar",
 *   encoding: { x: { field: "k", type: "nominal" }, y: { field: "v", type: "quantitative" } },
 * });
 * console.log(svg.includes("Two bars")); // true
 * ```
 * @param spec The chart.
 * @returns The SVG text.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(withConfig).spec), { renderer: "none" });
  try {
    return compactGeometry(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Rounds the coordinates in `d` and `transform` attributes to 1/100 pixel (vega writes them
 * to 16 digits, which makes a scatter plot's SVG several times larger than it needs to be).
 */
function compactGeometry(svg: string): string {
  return svg.replace(/ (d|transform)="([^"]*)"/g, (_, name: string, value: string) => {
    const compact = value.replace(/-?\d+(?:\.\d+)?e-\d+/g, "0").replace(/(\.\d\d)\d+/g, "$1");
    return ` ${name}="${compact}"`;
  });
}

/** An axis: its title (with units) and scale. */
export interface Axis {
  /** The axis title, with units. */
  title: string;
  /** Log scale (base 10). */
  log?: boolean;
  /** Whether the domain is widened to round values (default true; false keeps the data's extent). */
  nice?: boolean;
  /** Label exactly these values (default: Vega-Lite's ticks). */
  ticks?: number[];
}

/** One point of one series. */
export interface SeriesPoint {
  /** Horizontal value. */
  x: number;
  /** Vertical value. */
  y: number;
  /** The series (one line, in its own colour, per value). */
  series: string;
}

/** What {@linkcode lineChart} draws. */
export interface SeriesChart {
  /** Figure title. */
  title: string;
  /** Line(s) under the title: the setup (data, seeds, backend). */
  subtitle?: string | string[];
  /** The data. */
  points: SeriesPoint[];
  /** Horizontal axis. */
  x: Axis;
  /** Vertical axis. */
  y: Axis;
  /** Legend title for the series. */
  seriesTitle: string;
  /** Plot width in pixels (default 480). */
  width?: number;
  /** Plot height in pixels (default 300). */
  height?: number;
  /** Also mark each point of a line (for lines of few points). */
  markers?: boolean;
}

function position(field: "x" | "y", axis: Axis) {
  return {
    field,
    type: "quantitative" as const,
    title: axis.title,
    scale: {
      ...(axis.log ? { type: "log" as const } : {}),
      ...(axis.nice === undefined ? {} : { nice: axis.nice }),
    },
    axis: axis.ticks ? { values: axis.ticks } : {},
  };
}

/**
 * One line per series (points joined in x order), the legend below the plot.
 *
 * @example Usage
 * ```ts
 * import { lineChart } from "@lib/figures/plot.ts";
 * const spec = lineChart({
 *   title: "t", points: [{ x: 0, y: 1, series: "s" }], x: { title: "x" }, y: { title: "y" }, seriesTitle: "s",
 * });
 * console.log(spec.title); // "t"
 * ```
 * @param chart The data and labels.
 * @returns The Vega-Lite spec.
 */
export function lineChart(chart: SeriesChart): TopLevelSpec {
  return {
    title: chart.subtitle ? { text: chart.title, subtitle: chart.subtitle } : chart.title,
    width: chart.width ?? 480,
    height: chart.height ?? 300,
    data: { values: chart.points },
    mark: { type: "line", strokeWidth: 1.5, point: chart.markers ?? false },
    encoding: {
      x: position("x", chart.x),
      y: position("y", chart.y),
      color: {
        field: "series",
        type: "nominal",
        title: chart.seriesTitle,
        sort: null,
        legend: { orient: "bottom", direction: "vertical" },
      },
    },
  };
}

/**
 * Encodes a grayscale image (one byte per pixel, row-major) as a PNG data URL, for a
 * Vega-Lite `image` mark's `url`.
 *
 * @example Usage
 * ```ts
 * import { grayscalePngUrl } from "@lib/figures/plot.ts";
 * const url = grayscalePngUrl(new Uint8Array([0, 255, 255, 0]), 2, 2);
 * console.log(url.startsWith("data:image/png;base64,")); // true
 * ```
 * @param pixels `width × height` values 0..255.
 * @param width Columns.
 * @param height Rows.
 * @returns `data:image/png;base64,…`.
 */
export function grayscalePngUrl(pixels: ArrayLike<number>, width: number, height: number): string {
  if (pixels.length !== width * height) {
    throw new Error(`grayscalePngUrl: ${pixels.length} pixels is not ${width} × ${height}`);
  }
  const png = encode({ width, height, data: Uint8Array.from(pixels), channels: 1, depth: 8 });
  let binary = "";
  for (const byte of png) binary += String.fromCharCode(byte);
  return `data:image/png;base64,${btoa(binary)}`;
}
