/**
 * Kata 01 — input scaling. Implement each function; `deno task kata 01` runs the tests.
 * The README's steps explain what each one is for.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { FirstStep, OutputKind, Standardizer, TrainOptions } from "./contract.ts";

export type { FirstStep, OutputKind, Standardizer, TrainOptions } from "./contract.ts";
export { DEFAULT_LEARNING_RATE, PIXEL_MAX, PIXELS } from "./contract.ts";

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
 * `"probabilities"` or no activation for `"logits"`. Both layers keep tfjs's Dense defaults for their
 * weights: Glorot-normal kernels and zero biases (the README's numbers are measured with them).
 */
export function buildMlp(_outputs: OutputKind): tf.Sequential {
  return notImplemented("buildMlp", 2);
}

/**
 * Step 2. The cross-entropy loss `(yTrue, yPred) => scalar`, averaged over the batch, matching
 * `outputs`: for `"probabilities"` tfjs's categorical cross-entropy (the one `loss:
 * "categoricalCrossentropy"` uses: probabilities clipped to [1e-7, 1 − 1e-7] before the log), for
 * `"logits"` softmax cross-entropy computed from the logits directly.
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
 * Step 3. Compiles `model` with Adam (`options.learningRate`, else the default 1e-3) and the loss for
 * `options.outputs`, trains it on every example of `(x, yOneHot)` for `options.epochs` epochs in
 * batches of `options.batchSize`, shuffled every epoch from `Math.random` (so a seeded run repeats),
 * and returns the loss per epoch. Leaves no tensors behind but the optimizer's state. (`adam()` from
 * `@lib/models/fused_adam.ts` is tfjs's `tf.train.adam`, the same numbers in fewer kernel calls on wasm.)
 */
export function trainClassifier(
  _model: tf.LayersModel,
  _x: tf.Tensor2D,
  _yOneHot: tf.Tensor2D,
  _options: TrainOptions,
): Promise<number[]> {
  return notImplemented("trainClassifier", 3);
}

/**
 * Step 3. The predicted class (the index of the largest output) of each row of `x`; on a tie, the
 * first such index, as `tf.argMax` gives.
 */
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

/**
 * Step 7, the challenge. Your camera hands the model raw bytes, 0..255, and nothing may run between the
 * camera and the model. Build a classifier that takes those raw pixels (`[n, 784]`, float32 0..255) and
 * returns 10 logits per image; the test trains it (Adam at its default learning rate, softmax
 * cross-entropy, 2 epochs of batch 64) and it must match the pipeline that divides by 255 first. You get
 * the training pixels (no labels) in case your model wants to learn something from them; the model must
 * arrive untrained and hold at most 110,000 parameters. README step 7 has the target and the rules.
 */
export function buildRawPixelClassifier(_trainPixels: tf.Tensor2D): tf.LayersModel {
  return notImplemented("buildRawPixelClassifier", 7);
}
