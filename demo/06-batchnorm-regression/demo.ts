/**
 * Kata 06's demo: the reference solution's heat-map regressor trained with and without batch
 * norm (and with it on the first layer only), on raw and on min-max-scaled labels, and the
 * challenge's reference (batch norm, standardised labels); held-out predictions against the truth.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { CHALLENGE, challengeData } from "@lib/data/heatmap_challenge.ts";
import { observeTraining } from "@lib/console/progress_bar.ts";
import { createRng, seedEverything } from "@lib/core/random.ts";
import {
  BUDGET,
  rSquared,
  spreadRatio,
  trainHeatmapRegressor,
  type TrainOptions,
} from "../../solutions/06-batchnorm-regression/heatmap_regressor.ts";
import {
  trainBatchNormRegressor,
  type TrainedRegressor,
} from "../../solutions/06-batchnorm-regression/challenge.ts";
import type { Demo, DemoContext } from "../demo.ts";
import { type BatchNormNumbers, drawFigures, type Panel } from "./figures.ts";

/** The tests' sizes: 400 training images (100 steps of batch 8), 128 held out. */
const { trainCount: TRAIN_COUNT, testCount: TEST_COUNT } = CHALLENGE;
/** Held-out pixels drawn in each panel (of 128 × 256). */
const SHOWN = 400;

/** A configuration of the steps' regressor (`TrainOptions`), or the challenge's reference. */
type Config = { name: string } & ({ options: TrainOptions } | { challenge: true });

const CONFIGS: Config[] = [
  { name: "batch norm, raw labels", options: { batchNorm: "both", labels: "raw" } },
  { name: "batch norm, min-max labels", options: { batchNorm: "both", labels: "minmax" } },
  { name: "no batch norm, raw labels", options: { batchNorm: "none", labels: "raw" } },
  { name: "no batch norm, min-max labels", options: { batchNorm: "none", labels: "minmax" } },
  { name: "batch norm on the first layer only, raw labels", options: { batchNorm: "first", labels: "raw" } },
  { name: "batch norm, standardised labels (step 7)", challenge: true },
];

function trainConfig(config: Config, images: tf.Tensor4D, labels: tf.Tensor4D): Promise<TrainedRegressor> {
  return "options" in config
    ? trainHeatmapRegressor(images, labels, config.options)
    : trainBatchNormRegressor(images, labels);
}

/** The demo. */
export const demo: Demo = async (context) => {
  const { table, numbers } = await measure(context);
  return { table, figures: await drawFigures(numbers) };
};

/**
 * Trains the six configurations from the same seed and scores them on held-out images.
 *
 * @param context Seed and progress.
 * @returns The table rows and the figure's numbers.
 */
export async function measure(
  { seed, progress }: DemoContext,
): Promise<{ table: Record<string, string | number>[]; numbers: BatchNormNumbers }> {
  const { train, heldOut: test } = challengeData(seed);
  const labels = test.labels.dataSync();
  const rng = createRng(seed);
  const shown = Array.from({ length: SHOWN }, () => rng.int(labels.length));

  const table: Record<string, string | number>[] = [];
  const panels: Panel[] = [];
  for (const config of CONFIGS) {
    seedEverything(seed);
    const regressor = await observeTraining(
      { progress, label: config.name },
      () => trainConfig(config, train.images, train.labels),
    );
    const predictions = regressor.predict(test.images);
    const values = predictions.dataSync();
    const r2 = rSquared(test.labels, predictions);
    table.push({
      configuration: config.name,
      "held-out R²": r2.toPrecision(3),
      "prediction std / label std": spreadRatio(test.labels, predictions).toPrecision(3),
      "mean prediction (× 10⁻³)": (1000 * mean(values)).toFixed(3),
      "mean label (× 10⁻³)": (1000 * mean(labels)).toFixed(3),
    });
    panels.push({ name: config.name, r2, predicted: shown.map((i) => values[i]) });
    predictions.dispose();
    regressor.model.optimizer.dispose();
    regressor.model.dispose();
  }
  tf.dispose([train.images, train.labels, test.images, test.labels]);

  const steps = (TRAIN_COUNT / BUDGET.batchSize) * BUDGET.epochs;
  return {
    table,
    numbers: {
      truth: shown.map((i) => labels[i]),
      panels,
      setup: `${TRAIN_COUNT} training / ${TEST_COUNT} held-out 16×16 images, ${steps} Adam steps ` +
        `(${BUDGET.learningRate}), batch ${BUDGET.batchSize}, seed ${seed}; ${SHOWN} random held-out pixels`,
    },
  };
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
