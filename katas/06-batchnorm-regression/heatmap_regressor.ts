/**
 * Kata 06, steps 2–5: a small convolutional network with batch normalisation that
 * regresses per-pixel heat-maps (labels ≥ 0, about 1e-2 at most), trained on raw or
 * min-max-scaled labels. `deno task kata 06` runs the tests; the README's steps explain
 * what each function is for.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { MinMaxScaler } from "./label_scaler.ts";

/** How the labels are presented to the network during training (steps 3 and 4). */
export type LabelScaling = "raw" | "minmax";

/**
 * The fixed training budget of every experiment in this kata: Adam with this learning
 * rate, `model.fit` for `epochs` passes in mini-batches of `batchSize`, shuffled. On the
 * tests' 400 training images that is 100 steps.
 */
export const BUDGET = { epochs: 2, batchSize: 8, learningRate: 1e-2 } as const;

/** Options for {@linkcode buildHeatmapNet}. */
export interface NetOptions {
  /** Put a BatchNormalization layer after each hidden convolution. */
  batchNorm: boolean;
}

/** Options for {@linkcode trainHeatmapRegressor}. */
export interface TrainOptions extends NetOptions {
  /** Train on the raw labels, or on labels min-max scaled to [0, 1]. */
  labels: LabelScaling;
}

/** A trained network together with what it needs to answer in the original label units. */
export interface HeatmapRegressor {
  /** The trained network; its output is in the units it was trained on. */
  model: tf.LayersModel;
  /** The scaler fitted on the training labels, or `null` when trained on raw labels. */
  scaler: MinMaxScaler | null;
  /**
   * Heat-maps in the original label units, one per image, computed in inference mode
   * (batch norm uses its moving statistics, step 5). The caller disposes the result.
   */
  predict(images: tf.Tensor4D): tf.Tensor4D;
}

/**
 * Step 2. The coefficient of determination over every element:
 * `R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²`. 1 is perfect, 0 is what predicting the mean label
 * everywhere scores, below 0 is worse than that. Throws when the shapes differ (with a
 * message naming both shapes) or every label is equal (R² is undefined).
 */
export function rSquared(_yTrue: tf.Tensor, _yPred: tf.Tensor): number {
  return notImplemented("rSquared", 2);
}

/**
 * Step 2. How spread out the predictions are next to the labels: the standard deviation
 * of `yPred` divided by that of `yTrue`, over every element. Near 0: the model predicts
 * (nearly) one value everywhere; near 1: as varied as the labels; far above 1: much more
 * varied. Throws when the shapes differ (naming both shapes) or every label is equal.
 */
export function spreadRatio(_yTrue: tf.Tensor, _yPred: tf.Tensor): number {
  return notImplemented("spreadRatio", 2);
}

/**
 * Step 3 (and step 5 for the batch-norm momentum). The network, input `[16, 16, 1]`,
 * "same" padding everywhere:
 * Conv 3×3 (8 filters) → [BatchNorm] → ReLU → Conv 3×3 (8) → [BatchNorm] → ReLU →
 * Conv 1×1 (1 filter, linear). With `batchNorm`, the two hidden convolutions have no bias
 * (batch norm's β does that job). Compiled with `tf.train.adam(BUDGET.learningRate)` and
 * mean squared error.
 */
export function buildHeatmapNet(_options: NetOptions): tf.Sequential {
  return notImplemented("buildHeatmapNet", 3);
}

/**
 * Steps 3–5. Builds the network and trains it for {@linkcode BUDGET} on `images` →
 * `labels`: the raw labels, or (`labels: "minmax"`) labels scaled by a
 * {@linkcode MinMaxScaler} fitted on these training labels. Returns the model, the scaler
 * (or `null`) and a `predict` that runs in inference mode and inverse-transforms the
 * output back to label units. Does not dispose `images` or `labels`.
 */
export function trainHeatmapRegressor(
  _images: tf.Tensor4D,
  _labels: tf.Tensor4D,
  _options: TrainOptions,
): Promise<HeatmapRegressor> {
  return notImplemented("trainHeatmapRegressor", 3);
}
