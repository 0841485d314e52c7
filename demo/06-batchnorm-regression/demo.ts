/**
 * Kata 06's demo: the lab's experiment (`experiment.ts`, {@linkcode trainAndMeasure}) for six configurations —
 * the reference solution's heat-map regressor with and without batch norm (and with it on the first layer
 * only), on raw and on min-max-scaled labels, and the challenge's reference (batch norm, standardised
 * labels); held-out predictions against the truth, a panel per configuration.
 *
 * @module
 */
import type { Demo } from "../demo.ts";
import { type Configuration, type Measurement, trainAndMeasure } from "./experiment.ts";
import { drawFigures } from "./figures.ts";

const CONFIGURATIONS: Configuration[] = [
  { batchNorm: "both", labels: "raw" },
  { batchNorm: "both", labels: "minmax" },
  { batchNorm: "none", labels: "raw" },
  { batchNorm: "none", labels: "minmax" },
  { batchNorm: "first", labels: "raw" },
  "challenge",
];

/** The demo. */
export const demo: Demo = async ({ seed, progress }) => {
  const measured: Measurement[] = [];
  for (const configuration of CONFIGURATIONS) {
    measured.push(await trainAndMeasure(configuration, seed, { observer: { progress } }));
  }
  return {
    table: measured.map((m) => ({
      configuration: m.name,
      "held-out R²": m.r2.toPrecision(3),
      "prediction std / label std": m.spread.toPrecision(3),
      "mean prediction (× 10⁻³)": (1000 * m.meanPrediction).toFixed(3),
      "mean label (× 10⁻³)": (1000 * m.meanLabel).toFixed(3),
    })),
    figures: await drawFigures({
      truth: measured[0].truth,
      panels: measured.map((m) => ({ name: m.name, r2: m.r2, predicted: m.predicted })),
      setup: measured[0].setup,
    }),
  };
};
