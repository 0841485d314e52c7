/**
 * Kata 01's contract: the types and constants the stub, the reference solution and the tests share,
 * declared once. The stub (`input_scaling.ts`) imports them from here and re-exports them.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_LEARNING_RATE, PIXELS, type TrainOptions } from "./contract.ts";
 * const options: TrainOptions = { epochs: 2, batchSize: 64, outputs: "logits" };
 * console.log(PIXELS, options.learningRate ?? DEFAULT_LEARNING_RATE); // 784 0.001
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** Pixels per Fashion-MNIST image (28 × 28): the models' input width. */
export const PIXELS = 784;

/** The largest raw pixel value (a byte). */
export const PIXEL_MAX = 255;

/** Adam's default learning rate in tfjs (and Keras, PyTorch): what `trainClassifier` uses unless told. */
export const DEFAULT_LEARNING_RATE = 1e-3;

/** How the classifier's output and loss are formulated (step 2). */
export type OutputKind = "probabilities" | "logits";

/** Per-feature standardisation fitted on one split and applied to any (step 1). */
export interface Standardizer {
  /** Per-feature mean of the fitting data, shape [features]. */
  mean: tf.Tensor1D;
  /** Per-feature standard deviation of the fitting data (population: divided by n), shape [features]. */
  std: tf.Tensor1D;
  /** `(x - mean) / std`; a constant feature (std 0) is only centred (divided by 1), as scikit-learn does. */
  transform(x: tf.Tensor2D): tf.Tensor2D;
}

/** What the first training step looks like (step 2). */
export interface FirstStep {
  /** Largest absolute activation of the first Dense layer (after its activation). */
  maxActivation: number;
  /** The loss before any update. */
  loss: number;
  /** Global L2 norm of the gradients of every trainable weight. */
  gradNorm: number;
}

/** Options for `trainClassifier` (step 3). */
export interface TrainOptions {
  /** Passes over the training data. */
  epochs: number;
  /** Examples per step. */
  batchSize: number;
  /** Must match the model's output. */
  outputs: OutputKind;
  /** Adam's learning rate; {@linkcode DEFAULT_LEARNING_RATE} when omitted. */
  learningRate?: number;
}
