/**
 * Shared by kata 06's two training test files: the seeded blob images and the learner's batch-norm
 * regressor trained on them (once per label scaling, per test file). Test support, not a file to
 * edit: the solution has no counterpart, so it always runs from `katas/`.
 *
 * `heatmap_regressor_test.ts` trains on raw labels and `scaled_labels_test.ts` on min-max labels;
 * `deno task kata 06` runs the two files side by side.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { generateHeatmapData } from "@lib/data/heatmaps.ts";
import { measured } from "@lib/testing/measure.ts";
import { once, oncePer } from "@lib/testing/once.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import {
  type HeatmapRegressor,
  type LabelScaling,
  rSquared,
  spreadRatio,
  trainHeatmapRegressor,
} from "./heatmap_regressor.ts";

/** The run's seed (`KATA_SEED`). */
export const SEED: number = kataSeed();
/** Training images: `BUDGET` (2 epochs of batch 8) makes that 100 steps. */
export const TRAIN_COUNT = 400;
/** Held-out images every measurement is taken on. */
export const TEST_COUNT = 128;

/** Training and held-out blob images with heat-map labels in [0, ~1e-2]. */
export const data = once(() => {
  const train = generateHeatmapData({ count: TRAIN_COUNT, seed: 2 * SEED });
  const test = generateHeatmapData({ count: TEST_COUNT, seed: 2 * SEED + 1 });
  return { train, test };
});

/** What a trained regressor does on the held-out images, in label units. */
export interface Outcome {
  /** The learner's trained regressor. */
  regressor: HeatmapRegressor;
  /** Held-out R² of `regressor.predict` (inference mode, label units). */
  r2: number;
  /** Held-out prediction std / label std. */
  spread: number;
}

/**
 * Trains the learner's batch-norm regressor once per label scaling, from the seed's initial
 * weights (the same for both scalings), and scores it on the held-out images.
 */
export const trained: (labels: LabelScaling) => Promise<Outcome> = oncePer(async (labels: LabelScaling) => {
  const { train, test } = data();
  seedEverything(SEED);
  const regressor = await trainHeatmapRegressor(train.images, train.labels, {
    labels,
    batchNorm: true,
  });
  const predictions = regressor.predict(test.images);
  try {
    return {
      regressor,
      r2: measured(`R² ${labels}`, rSquared(test.labels, predictions)),
      spread: measured(`spread ratio ${labels}`, spreadRatio(test.labels, predictions)),
    };
  } finally {
    predictions.dispose();
  }
});

/**
 * The regressor's heat-maps in label units with batch norm in training mode, i.e. normalising
 * with the statistics of `images` themselves instead of the moving statistics. In tfjs, calling
 * a model in training mode also updates batch norm's moving statistics, so this keeps a copy of
 * the weights and puts it back afterwards: the regressor is unchanged. The caller disposes the
 * result.
 */
export function predictWithBatchStatistics(regressor: HeatmapRegressor, images: tf.Tensor4D): tf.Tensor {
  const saved = regressor.model.getWeights().map((w) => w.clone());
  try {
    return tf.tidy(() => {
      const out = regressor.model.apply(images, { training: true }) as tf.Tensor;
      return regressor.scaler ? regressor.scaler.inverseTransform(out) : out;
    });
  } finally {
    regressor.model.setWeights(saved);
    tf.dispose(saved);
  }
}
