/**
 * Kata 02's figure, drawn from numbers: validation accuracy of each training run, one column
 * per model variant, as dots over a box plot.
 *
 * @module
 */
import { renderSvg, type TopLevelSpec } from "@lib/figures/plot.ts";
import type { Figure } from "../demo.ts";

/** One model variant's validation accuracy per run. */
export interface Variant {
  /** The variant, e.g. "L2 (λ = 0.1)". */
  name: string;
  /** Validation accuracy of each run (one per initialisation seed; one for a deterministic model). */
  accuracies: number[];
}

/** Everything kata 02's figure shows. */
export interface VarianceNumbers {
  /** The variants, left to right. */
  variants: Variant[];
  /** Data, runs and seed, for the subtitle. */
  setup: string;
}

/** Horizontal spacing, in band fractions, of dots with the same accuracy. */
const SPREAD = 0.06;

/**
 * Dots (equal values side by side) over a min–max box plot, a column per variant.
 *
 * @param numbers The accuracies.
 * @returns The Vega-Lite spec.
 */
export function varianceFigure(numbers: VarianceNumbers): TopLevelSpec {
  const values = numbers.variants.flatMap((v) => {
    const seen = new Map<number, number>();
    const ties = new Map<number, number>();
    for (const a of v.accuracies) ties.set(a, (ties.get(a) ?? 0) + 1);
    return v.accuracies.map((accuracy) => {
      const k = seen.get(accuracy) ?? 0;
      seen.set(accuracy, k + 1);
      return { variant: v.name, accuracy, offset: (k - (ties.get(accuracy)! - 1) / 2) * SPREAD };
    });
  });
  const x = {
    field: "variant",
    type: "nominal" as const,
    sort: numbers.variants.map((v) => v.name),
    title: null,
    axis: { labelAngle: 0, labelLimit: 150, labelFontSize: 11 },
  };
  const y = {
    field: "accuracy",
    type: "quantitative" as const,
    title: "validation accuracy (share correct)",
  };
  return {
    title: { text: "Validation accuracy of every training run, same data split", subtitle: numbers.setup },
    data: { values },
    width: 130 * numbers.variants.length,
    height: 300,
    layer: [
      {
        mark: { type: "boxplot", extent: "min-max", opacity: 0.25, color: "#5b8fd6", size: 40 },
        encoding: { x, y },
      },
      {
        mark: { type: "circle", size: 45, opacity: 0.85, color: "#1f4e8c" },
        encoding: {
          x,
          xOffset: { field: "offset", type: "quantitative", scale: { domain: [-0.5, 0.5] } },
          y: { ...y, scale: { zero: false } },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Draws kata 02's figure.
 *
 * @param numbers What the demo measured.
 * @returns `accuracy-spread`.
 */
export async function drawFigures(numbers: VarianceNumbers): Promise<Figure[]> {
  return [{ name: "accuracy-spread", svg: await renderSvg(varianceFigure(numbers)) }];
}
