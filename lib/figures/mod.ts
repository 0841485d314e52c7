/**
 * Figures for the demos and READMEs: Vega-Lite specs rendered to SVG without a browser, and read back for tests.
 *
 * `plot.ts` renders; `svg_summary.ts` reads an SVG back (marks, title, axis labels) with an XML parser.
 *
 * @example Usage
 * ```ts
 * import { renderSvg } from "@lib/figures/mod.ts";
 * const svg = await renderSvg({ mark: "point", data: { values: [{ x: 1, y: 2 }] }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 * console.log(svg.startsWith("<svg")); // true
 * ```
 * @module
 */
export * from "./plot.ts";
export * from "./svg_summary.ts";
