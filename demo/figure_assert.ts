/**
 * Assertions for the demos' figure tests (`demo/NN-slug/figures_test.ts`): find a figure by name and read
 * it back as an SVG summary, and check which texts it shows.
 *
 * @example Usage
 * ```ts ignore
 * import { assertShows, figure } from "../figure_assert.ts";
 * assertShows(figure(figures, "loss-per-step"), ["raw pixels"]);
 * ```
 * @module
 */
import { assert } from "@std/assert";
import { summarizeSvg, type SvgSummary } from "@lib/figures/svg_summary.ts";
import type { Figure } from "./demo.ts";

/**
 * The figure named `name`, summarised (marks, title, texts).
 *
 * @example Usage
 * ```ts ignore
 * import { figure } from "../figure_assert.ts";
 * console.log(figure(figures, "predictions").marks);
 * ```
 * @param figures A demo's figures.
 * @param name The figure's name.
 * @returns Its summary.
 */
export function figure(figures: Figure[], name: string): SvgSummary {
  const found = figures.find((f) => f.name === name);
  assert(found, `no figure "${name}" among ${figures.map((f) => f.name)}`);
  return summarizeSvg(found.svg);
}

/**
 * Asserts that every text in `expected` is shown.
 *
 * @example Usage
 * ```ts ignore
 * import { assertShows } from "../figure_assert.ts";
 * assertShows(summary, ["a title", "an axis label"]);
 * ```
 * @param summary A figure's summary.
 * @param expected The texts it must show.
 */
export function assertShows(summary: SvgSummary, expected: string[]): void {
  for (const text of expected) {
    assert(summary.texts.includes(text), `"${text}" is not shown; texts: ${JSON.stringify(summary.texts)}`);
  }
}
