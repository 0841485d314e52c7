/**
 * Kata 03's figures, drawn from numbers: the bytes tfjs's kernels write in one training
 * step, and the step's time, against the vocabulary, one line per optimizer design.
 *
 * @module
 */
import { lineChart, renderSvg, type TopLevelSpec } from "@lib/figures/plot.ts";
import type { Figure } from "../demo.ts";
import type { Chart } from "../experiment.ts";

/** One design at one vocabulary size: a measured quantity. */
export interface DesignPoint {
  /** The design, e.g. "Adam, trainable table". */
  design: string;
  /** Rows of the embedding table. */
  vocab: number;
  /** The measurement (bytes, or milliseconds). */
  value: number;
}

/** Step times and where they come from. */
export interface StepTimes {
  /** One point per design and vocabulary, in milliseconds. */
  points: DesignPoint[];
  /** What was timed and how, for the subtitle (e.g. "median CPU time of 5 steps"). */
  source: string;
}

/** Everything kata 03's figures show. */
export interface EmbeddingCostNumbers {
  /** Bytes written into new tfjs buffers in one step, per design and vocabulary. */
  bytes: DesignPoint[];
  /** Bytes of one embedding table per vocabulary (V × dim × 4), drawn as a reference line. */
  tableBytes: { vocab: number; bytes: number }[];
  /** Time of one step, per design and vocabulary. */
  times: StepTimes;
  /** The model and batch, for the subtitles. */
  setup: string;
}

/** The reference line's name in the legend. */
export const ONE_TABLE = "one table (V × 64 float32), for reference";

/** A log-scale vocabulary axis labelled at the vocabularies measured. */
function vocabAxis(points: DesignPoint[]) {
  return {
    title: "vocabulary V (rows of the embedding table, log scale)",
    log: true,
    nice: false,
    ticks: [...new Set(points.map((p) => p.vocab))].sort((a, b) => a - b),
  };
}

/**
 * Bytes written per step against the vocabulary, one line per design, with one table's size for reference.
 *
 * @param numbers What was measured.
 * @returns The Vega-Lite spec.
 */
export function bytesFigure(
  numbers: Pick<EmbeddingCostNumbers, "bytes" | "tableBytes" | "setup">,
): TopLevelSpec {
  return lineChart({
    title: "What one training step writes, against the vocabulary",
    subtitle: numbers.setup,
    points: [
      ...numbers.bytes.map((c) => ({ x: c.vocab, y: c.value / 1e6, series: c.design })),
      ...numbers.tableBytes.map((t) => ({ x: t.vocab, y: t.bytes / 1e6, series: ONE_TABLE })),
    ],
    x: vocabAxis(numbers.bytes),
    y: { title: "bytes written into new tfjs buffers per step (MB, log scale)", log: true },
    seriesTitle: "design",
    markers: true,
  });
}

/**
 * Time per step against the vocabulary, one line per design.
 *
 * @param numbers What was measured.
 * @returns The Vega-Lite spec.
 */
export function timeFigure(numbers: Pick<EmbeddingCostNumbers, "times" | "setup">): TopLevelSpec {
  return lineChart({
    title: "Time of one training step, against the vocabulary",
    subtitle: [numbers.setup, numbers.times.source],
    points: numbers.times.points.map((c) => ({ x: c.vocab, y: c.value, series: c.design })),
    x: vocabAxis(numbers.times.points),
    y: { title: "time per step (ms, log scale)", log: true },
    seriesTitle: "design",
    markers: true,
  });
}

/**
 * Kata 03's charts: the lab draws them live, the demo writes them as SVG.
 *
 * @example Usage
 * ```ts
 * import { charts } from "./figures.ts";
 * const point = { design: "SGD", vocab: 20_000, value: 31e6 };
 * const numbers = {
 *   bytes: [point],
 *   tableBytes: [{ vocab: 20_000, bytes: 5.12e6 }],
 *   times: { points: [{ ...point, value: 38 }], source: "fixed" },
 *   setup: "fixed",
 * };
 * console.log(charts(numbers).map((c) => c.name)); // ["bytes-per-step", "step-time"]
 * ```
 * @param numbers What was measured.
 * @returns `bytes-per-step` and `step-time`, as Vega-Lite specs.
 */
export function charts(numbers: EmbeddingCostNumbers): Chart[] {
  return [
    { name: "bytes-per-step", spec: bytesFigure(numbers) },
    { name: "step-time", spec: timeFigure(numbers) },
  ];
}

/**
 * Draws kata 03's figures: {@linkcode charts} as SVG.
 *
 * @example Usage
 * ```ts ignore
 * import { drawFigures } from "./figures.ts";
 * const figures = await drawFigures(numbers); // numbers: EmbeddingCostNumbers
 * ```
 * @param numbers What the demo measured.
 * @returns `bytes-per-step` and `step-time`.
 */
export async function drawFigures(numbers: EmbeddingCostNumbers): Promise<Figure[]> {
  return await Promise.all(
    charts(numbers).map(async (c) => ({ name: c.name, svg: await renderSvg(c.spec) })),
  );
}
