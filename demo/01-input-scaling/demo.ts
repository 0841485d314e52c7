/**
 * Kata 01's demo: the lab's experiment (`experiment.ts`) run for 5 epochs in each of its four
 * configurations — raw and scaled Fashion-MNIST pixels, each with both loss formulations, from the same
 * initial weights — and compared: its readings side by side, how often each model disagrees with the
 * scaled-trained one, every run's loss per step in one figure, and a row of test images with what the
 * scaled- and raw-trained models predict.
 *
 * @module
 */
import { disagreement } from "../../solutions/01-input-scaling/input_scaling.ts";
import type { Demo } from "../demo.ts";
import { drawFigures, type LossCurve } from "./figures.ts";
import { experiment, type InputScalingResult } from "./experiment.ts";

/** Five epochs instead of the tests' two: long enough to see where each run settles. */
const EPOCHS = "5";
const RUNS = [
  ["scaled", "probabilities"],
  ["raw", "probabilities"],
  ["scaled", "logits"],
  ["raw", "logits"],
] as const;

/** The demo. */
export const demo: Demo = async ({ seed, progress }) => {
  const results = new Map<string, InputScalingResult>();
  for (const [pixels, outputs] of RUNS) {
    const column = `${pixels} · ${outputs}`;
    progress.start(column, 1);
    results.set(
      column,
      await experiment.run({ pixels, outputs, epochs: EPOCHS }, {
        seed,
        onProgress: ({ fraction }) => progress.update(fraction),
      }),
    );
    progress.stop();
  }
  const scaled = results.get("scaled · probabilities")!;
  const raw = results.get("raw · probabilities")!;

  // One row per reading (a logits model has no confidence), then each model against the scaled-trained one.
  const row = (measurement: string, cell: (r: InputScalingResult) => string) => ({
    measurement,
    ...Object.fromEntries([...results].map(([column, r]) => [column, cell(r)])),
  });
  const table = [
    ...scaled.readings.map(({ label }) =>
      row(label, (r) => format(r.readings.find((x) => x.label === label)?.value))
    ),
    row(
      "share of test classes that differ from the scaled · probabilities model's",
      (r) => r === scaled ? "" : format(disagreement(r.predicted, scaled.predicted)),
    ),
  ];

  // Scaled inputs train the same with either formulation (softmax + CE is one function either way):
  // draw one line for both when the two runs' losses agree.
  const curves: LossCurve[] = [...results.values()].map((r) => ({ run: r.run, losses: r.losses }));
  const [scaledProbabilities, , scaledLogits] = curves;
  if (scaledProbabilities.losses.every((l, i) => Math.abs(l - scaledLogits.losses[i]) <= 1e-3 * l)) {
    scaledProbabilities.run = "scaled pixels · either output and loss (same curve)";
    curves.splice(2, 1);
  }

  // The rows are the experiment's: each model fed its own pixels, and the scaled-trained one fed raw pixels.
  const images = scaled.images.map((image, i) => ({
    ...image,
    predicted: {
      "trained and fed scaled": image.predicted["trained and fed scaled"],
      "trained and fed raw": raw.images[i].predicted["trained and fed raw"],
      "trained scaled, fed raw": image.predicted["trained scaled, fed raw"],
    },
  }));

  return {
    table,
    figures: await drawFigures({
      curves,
      images,
      setup: scaled.setup,
      predictionSetup:
        `softmax + categorical CE, ${EPOCHS} epochs, seed ${seed}; the first test image of each class`,
    }),
  };
};

/** A count as it is, any other number to 3 significant digits; nothing when the run has no such reading. */
function format(value: number | undefined): string {
  return value === undefined ? "" : Number.isInteger(value) ? String(value) : value.toPrecision(3);
}
