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
import type { HeatmapRegressor, NetOptions, TrainOptions } from "./contract.ts";

export {
  type BatchNormPlacement,
  BUDGET,
  type HeatmapRegressor,
  type LabelScaling,
  type NetOptions,
  type TrainOptions,
} from "./contract.ts";

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
 * Conv 1×1 (1 filter, linear). `batchNorm` says which hidden convolutions are followed by
 * batch norm: `"both"`, `"first"` or `"none"`. A convolution followed by batch norm has no
 * bias (batch norm's β does that job); the others have one. Compiled with Adam,
 * `adam(learningRate ?? BUDGET.learningRate)` from `@lib/models/fused_adam.ts` (tfjs's `tf.train.adam`, the
 * same numbers in fewer kernel calls on wasm), and mean squared error.
 */
export function buildHeatmapNet(_options: NetOptions): tf.Sequential {
  return notImplemented("buildHeatmapNet", 3);
}

/**
 * Steps 3–5. Builds the network ({@linkcode buildHeatmapNet} with these options) and
 * trains it for {@linkcode BUDGET}`.epochs` passes over `images` → `labels` in shuffled
 * mini-batches of {@linkcode BUDGET}`.batchSize`: the raw labels, or (`labels: "minmax"`)
 * labels scaled by a `MinMaxScaler` fitted on these training labels. Returns the model,
 * the scaler (or `null`) and a `predict` that runs in inference mode and
 * inverse-transforms the output back to label units. Does not dispose `images` or
 * `labels`, and leaves no tensors behind but the model's weights and its optimizer's
 * state.
 */
export function trainHeatmapRegressor(
  _images: tf.Tensor4D,
  _labels: tf.Tensor4D,
  _options: TrainOptions,
): Promise<HeatmapRegressor> {
  return notImplemented("trainHeatmapRegressor", 3);
}
