/**
 * Kata 05's figure, drawn from numbers: f(x, 0) = sin x, the MLP and the sin-feature model
 * along x, with the training range and the shifted test range shaded.
 *
 * @module
 */
import { renderSvg, type TopLevelSpec } from "@lib/figures/plot.ts";
import type { Figure } from "../demo.ts";

/** One model's prediction along x. */
export interface Curve {
  /** The model, e.g. "MLP 3×128". */
  model: string;
  /** Its value at each of {@linkcode ExtrapolationNumbers.xs}. */
  values: number[];
}

/** A shaded range of x. */
export interface Band {
  /** What the range is, e.g. "training range". */
  label: string;
  /** Low end of x. */
  from: number;
  /** High end of x. */
  to: number;
}

/** Everything kata 05's figure shows. */
export interface ExtrapolationNumbers {
  /** The x values of every curve (y = 0). */
  xs: number[];
  /** The curves, the true function first. */
  curves: Curve[];
  /** Ranges of x to shade. */
  bands: Band[];
  /** The vertical range shown; curves leaving it are clipped. */
  yRange: [number, number];
  /** Data, model, training and seed, for the subtitle. */
  setup: string;
}

/** The x encoding: the grid's extent, labelled at each multiple of π. */
function xEncoding(xs: number[]) {
  const first = Math.ceil(xs[0] / Math.PI);
  const last = Math.floor(xs.at(-1)! / Math.PI);
  return {
    field: "x",
    type: "quantitative" as const,
    title: "x (radians), at y = 0",
    scale: { domain: [xs[0], xs.at(-1)!], nice: false },
    axis: {
      values: Array.from({ length: last - first + 1 }, (_, i) => (first + i) * Math.PI),
      labelExpr: "datum.value === 0 ? '0' : abs(datum.value - PI) < 1e-9 ? 'π' : " +
        "abs(datum.value + PI) < 1e-9 ? '−π' : format(datum.value / PI, 'd') + 'π'",
    },
  };
}

/** One layer of curves; every layer maps each curve to the same colour and dash pattern. */
function curveLayer(numbers: ExtrapolationNumbers, curves: Curve[], strokeWidth: number) {
  const names = numbers.curves.map((c) => c.model);
  return {
    data: {
      values: curves.flatMap((c) => numbers.xs.map((x, i) => ({ x, value: c.values[i], model: c.model }))),
    },
    mark: { type: "line" as const, clip: true, strokeWidth },
    encoding: {
      x: xEncoding(numbers.xs),
      y: {
        field: "value",
        type: "quantitative" as const,
        title: "f(x, 0) and the models' predictions",
        scale: { domain: numbers.yRange },
      },
      stroke: {
        field: "model",
        type: "nominal" as const,
        title: "curve",
        scale: { domain: names, range: ["#9a9a9a", "#cf222e", "#1a7f37"] },
      },
      strokeDash: {
        field: "model",
        type: "nominal" as const,
        title: "curve",
        scale: { domain: names, range: [[1, 0], [6, 3], [2, 2]] },
      },
    },
  };
}

/**
 * The curves along x on a π-labelled axis, bands shaded behind them; the first curve (the
 * truth) is drawn wide and grey, the models thin on top of it.
 *
 * @param numbers The curves and bands.
 * @returns The Vega-Lite spec.
 */
export function extrapolationFigure(numbers: ExtrapolationNumbers): TopLevelSpec {
  return {
    title: {
      text: "Outside its training range an MLP continues in a straight line",
      subtitle: numbers.setup,
    },
    width: 640,
    height: 300,
    layer: [
      {
        data: { values: numbers.bands },
        mark: { type: "rect", opacity: 0.15 },
        encoding: {
          x: { ...xEncoding(numbers.xs), field: "from" },
          x2: { field: "to" },
          color: {
            field: "label",
            type: "nominal",
            title: "shaded",
            scale: { domain: numbers.bands.map((b) => b.label), range: ["#2f7ed8", "#e8a33d"] },
          },
        },
      },
      curveLayer(numbers, numbers.curves.slice(0, 1), 5),
      curveLayer(numbers, numbers.curves.slice(1), 2),
    ],
  };
}

/**
 * Draws kata 05's figure.
 *
 * @param numbers What the demo measured.
 * @returns `extrapolation`.
 */
export async function drawFigures(numbers: ExtrapolationNumbers): Promise<Figure[]> {
  return [{ name: "extrapolation", svg: await renderSvg(extrapolationFigure(numbers)) }];
}
