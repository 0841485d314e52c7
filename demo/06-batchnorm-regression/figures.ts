/**
 * Kata 06's figure, drawn from numbers: predicted against true held-out pixel values, one
 * panel per network and label scaling, with the line y = x.
 *
 * @module
 */
import { renderSvg, type TopLevelSpec } from "@lib/figures/plot.ts";
import type { Figure } from "../demo.ts";

/** One trained regressor's held-out predictions at the sampled pixels. */
export interface Panel {
  /** e.g. "batch norm, raw labels". */
  name: string;
  /** Held-out R² over every pixel. */
  r2: number;
  /** Predicted value at each sampled pixel, in label units. */
  predicted: number[];
}

/** Everything kata 06's figure shows. */
export interface BatchNormNumbers {
  /** True value at each sampled held-out pixel, in label units. */
  truth: number[];
  /** One panel per configuration, in reading order. */
  panels: Panel[];
  /** Data, budget and seed, for the subtitle. */
  setup: string;
}

/** Label units are ~1e-3: the axes show values × 1000. */
const SCALE = 1000;

/**
 * Predicted against true, a panel per configuration (each with its own vertical range), the
 * diagonal y = x drawn in every panel.
 *
 * @param numbers The sampled pixels and each configuration's predictions.
 * @returns The Vega-Lite spec.
 */
export function predictedVsTrueFigure(numbers: BatchNormNumbers): TopLevelSpec {
  const titles = numbers.panels.map((p) => `${p.name}: R² ${formatR2(p.r2)}`);
  const values = numbers.panels.flatMap((p, k) =>
    numbers.truth.map((t, i) => ({ panel: titles[k], truth: t * SCALE, predicted: p.predicted[i] * SCALE }))
  );
  const truth = { field: "truth", type: "quantitative" as const, title: "true pixel value (× 10⁻³)" };
  return {
    title: {
      text: "Held-out pixels, predicted against true: raw vs scaled labels",
      subtitle: [numbers.setup, "Grey line: y = x. Each panel has its own vertical scale."],
    },
    data: { values },
    facet: { field: "panel", type: "nominal", sort: titles, title: null, header: { labelFontSize: 12 } },
    columns: 2,
    spec: {
      width: 300,
      height: 220,
      layer: [
        {
          // y = x from the panel's smallest to its largest true value: two points, not one per pixel.
          transform: [
            {
              aggregate: [{ op: "min", field: "truth", as: "low" }, {
                op: "max",
                field: "truth",
                as: "high",
              }],
              groupby: ["panel"],
            },
            { fold: ["low", "high"], as: ["end", "value"] },
          ],
          mark: { type: "line", color: "#9a9a9a", strokeWidth: 1.5 },
          encoding: { x: { ...truth, field: "value" }, y: { field: "value", type: "quantitative" } },
        },
        {
          mark: { type: "circle", size: 10, opacity: 0.45, color: "#2f6fb3" },
          encoding: {
            x: truth,
            y: { field: "predicted", type: "quantitative", title: "predicted pixel value (× 10⁻³)" },
          },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
}

function formatR2(r2: number): string {
  return Math.abs(r2) >= 10 ? r2.toFixed(0).replace("-", "−") : r2.toFixed(2).replace("-", "−");
}

/**
 * Draws kata 06's figure.
 *
 * @param numbers What the demo measured.
 * @returns `predicted-vs-true`.
 */
export async function drawFigures(numbers: BatchNormNumbers): Promise<Figure[]> {
  return [{ name: "predicted-vs-true", svg: await renderSvg(predictedVsTrueFigure(numbers)) }];
}
