/**
 * Kata 01 — input scaling. Implement each function; `deno task kata 01` runs the tests.
 * The README's steps explain what each one is for.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";

/** How the classifier's output and loss are formulated (step 2). */
export type OutputKind = "probabilities" | "logits";

/** Per-feature standardisation fitted on one split and applied to any (step 1). */
export interface Standardizer {
  /** Per-feature mean of the fitting data, shape [features]. */
  mean: tf.Tensor1D;
  /** Per-feature standard deviation of the fitting data, shape [features]. */
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

/** Options for {@linkcode trainClassifier} (step 3). */
export interface TrainOptions {
  /** Passes over the training data. */
  epochs: number;
  /** Examples per step. */
  batchSize: number;
  /** Must match the model's output. */
  outputs: OutputKind;
}

/**
 * Step 1. Scales raw pixels 0..255 to float32 in [0, 1] (0 → 0, 255 → 1), keeping the
 * shape and leaving the input tensor unchanged.
 */
export function scalePixels(_pixels: tf.Tensor): tf.Tensor {
  return notImplemented("scalePixels", 1);
}

/**
 * Step 1. Fits per-feature standardisation on `train` only: its mean and standard
 * deviation per column. `transform` applies those training statistics to any split.
 */
export function fitStandardizer(_train: tf.Tensor2D): Standardizer {
  return notImplemented("fitStandardizer", 1);
}

/**
 * Step 2. A 784-128-10 MLP: Dense(128, relu), then Dense(10) with softmax for
 * `"probabilities"` or no activation for `"logits"`.
 */
export function buildMlp(_outputs: OutputKind): tf.Sequential {
  return notImplemented("buildMlp", 2);
}

/**
 * Step 2. The cross-entropy loss `(yTrue, yPred) => scalar` matching `outputs`: categorical
 * cross-entropy on probabilities, or softmax cross-entropy on logits.
 */
export function lossFunction(_outputs: OutputKind): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  return notImplemented("lossFunction", 2);
}

/**
 * Step 2. Measures the first training step without changing the model: the largest
 * first-layer activation, the loss, and the global gradient norm on `(x, yOneHot)`.
 */
export function firstStep(
  _model: tf.LayersModel,
  _x: tf.Tensor2D,
  _yOneHot: tf.Tensor2D,
  _outputs: OutputKind,
): FirstStep {
  return notImplemented("firstStep", 2);
}

/**
 * Step 3. Compiles `model` with Adam (default learning rate) and the loss for
 * `options.outputs`, trains it, and returns the loss per epoch.
 */
export function trainClassifier(
  _model: tf.LayersModel,
  _x: tf.Tensor2D,
  _yOneHot: tf.Tensor2D,
  _options: TrainOptions,
): Promise<number[]> {
  return notImplemented("trainClassifier", 3);
}

/** Step 3. The predicted class (0..9) of each row of `x`. */
export function predictClasses(_model: tf.LayersModel, _x: tf.Tensor2D): Int32Array {
  return notImplemented("predictClasses", 3);
}

/** Step 3. The fraction of rows of `x` whose predicted class equals the label. */
export function accuracy(_model: tf.LayersModel, _x: tf.Tensor2D, _labels: ArrayLike<number>): number {
  return notImplemented("accuracy", 3);
}

/** Step 4. The fraction of positions where two equally long lists of classes differ. */
export function disagreement(_a: ArrayLike<number>, _b: ArrayLike<number>): number {
  return notImplemented("disagreement", 4);
}

/** Step 4. The mean over rows of the largest predicted probability (a softmax model). */
export function meanConfidence(_model: tf.LayersModel, _x: tf.Tensor2D): number {
  return notImplemented("meanConfidence", 4);
}

/** Step 5. `a + b` computed the way a float32 tensor would: operands and result rounded to float32. */
export function addFloat32(_a: number, _b: number): number {
  return notImplemented("addFloat32", 5);
}

/** Step 5. The gap between `|x|` (as float32) and the next larger float32. */
export function float32Spacing(_x: number): number {
  return notImplemented("float32Spacing", 5);
}

/**
 * Step 6. The deployed model's input contract: float32 `[count, 784]`, each pixel byte divided
 * by 255. Throws when `images` does not hold `count × 784` bytes.
 */
export function toModelInput(_images: Uint8Array, _count: number): Float32Array {
  return notImplemented("toModelInput", 6);
}

/**
 * Step 6. A model that takes raw pixels: an input of 784 values, a `Rescaling(1/255)` layer,
 * then the layers of `model` applied in order (sharing its weights).
 */
export function withRescaling(_model: tf.LayersModel): tf.LayersModel {
  return notImplemented("withRescaling", 6);
}
