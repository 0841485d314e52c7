/**
 * The contract between `deno task demo` (`tools/demo/run_demos.ts`) and a kata's demo,
 * `demo/NN-slug/demo.ts`, which exports `demo: Demo`. A demo runs the reference
 * solution's experiments and returns its key numbers and figures; the runner prints the
 * numbers and writes the figures. Each kata's drawing lives apart, in
 * `demo/NN-slug/figures.ts`, as functions from numbers to Vega-Lite specs, so the figures
 * can be tested on fixed numbers (`tools/demo/figures_test.ts`).
 *
 * @module
 */
import type { Progress } from "@lib/console/progress_bar.ts";

/** What a demo is given. */
export interface DemoContext {
  /** The seed behind every random draw (`KATA_SEED`, default 42). */
  seed: number;
  /** Reports long work: a bar per training run on a terminal, periodic lines otherwise. */
  progress: Progress;
}

/** One figure: its file name (without `.svg`) and the SVG text. */
export interface Figure {
  /** File name without extension, e.g. `loss-per-step`. */
  name: string;
  /** The SVG document. */
  svg: string;
}

/** What a demo produced. */
export interface DemoResult {
  /** The key numbers, one object per table row (same keys in every row). */
  table: Record<string, string | number>[];
  /** The figures, in the order the README shows them. */
  figures: Figure[];
}

/** A kata's demo. */
export type Demo = (context: DemoContext) => Promise<DemoResult>;
