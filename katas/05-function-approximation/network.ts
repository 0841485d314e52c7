/**
 * Kata 05: a neural network learns f(x, y) = sin(x) + y from noisy measurements.
 * You implement the functions below; the README's steps say in which order.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "@lib/core/random.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { Domain, Samples, TrainOptions } from "./contract.ts";

export { DEEP, SHIFTED_DOMAIN, TRAIN_DOMAIN, TRAINING } from "./contract.ts";
export type { Domain, Samples, TrainOptions } from "./contract.ts";

/**
 * Step 1: `n` noisy measurements of f(x, y) = sin(x) + y.
 *
 * Draw each measurement in turn, from `rng` only and in this order: x uniformly from `domain`
 * (`low + (high − low) * rng.uniform()`), then y the same way, then its Gaussian noise
 * `noise * rng.normal()` (the tests replay this exact stream). Throw a clear error, naming the argument and the value
 * you got, for `n` that is not a positive integer, a negative `noise`, or a domain whose low end is
 * not below its high end.
 *
 * @param _n How many measurements.
 * @param _domain Where to measure.
 * @param _noise The standard deviation of the measurement noise (0: exact values).
 * @param _rng The random source (the tests seed it).
 * @returns Inputs `[n, 2]` and targets `[n, 1]`.
 */
export function sampleFunction(_n: number, _domain: Domain, _noise: number, _rng: Rng): Samples {
  return notImplemented("sampleFunction", 1);
}

/**
 * Step 1: a `tf.sequential` MLP: one dense ReLU layer per entry of `hidden` (its width), then a
 * dense layer of one linear unit. `buildMlp([])` is a linear model. Throw a clear error, showing
 * the widths you got, for a width that is not a positive integer.
 *
 * @param _hidden The widths of the hidden layers, e.g. {@linkcode DEEP}.
 * @param _inputs The number of input features (2: x and y).
 * @returns The model, built (its weights exist).
 */
export function buildMlp(_hidden: readonly number[], _inputs = 2): tf.Sequential {
  return notImplemented("buildMlp", 1);
}

/**
 * Step 1: trains `model` in place on mean squared error with Adam.
 *
 * Each of `options.steps` steps draws `options.batchSize` row indices with `rng.int(n)` (with
 * replacement), and takes one Adam step on that mini-batch. The learning rate decays
 * exponentially from `learningRate` (step 0) towards `finalLearningRate` (use `ScheduledAdam` and
 * `exponentialDecay` from `@lib/models/lr_schedule.ts`). Predict the mini-batch in one piece,
 * `model.predict(x, { batchSize })`: by default `predict` cuts its input into chunks of 32 rows
 * and runs the network once per chunk, which doubles the cost of a step of 64. Dispose every
 * tensor a step creates. Throw a
 * clear error, showing the shapes you got and expected, when the inputs' width is not the model's
 * input width or the targets are not `[n, 1]`.
 *
 * @param _model The model to train.
 * @param _data The training measurements.
 * @param _options Steps, batch size, learning rates.
 * @param _rng The random source for the mini-batches.
 * @returns The loss of every step.
 */
export function train(_model: tf.LayersModel, _data: Samples, _options: TrainOptions, _rng: Rng): number[] {
  return notImplemented("train", 1);
}

/**
 * Step 2: the mean squared error of `model`'s predictions against `samples.targets`, with the
 * same shape checks as {@linkcode train}.
 *
 * @param _model A model with one output.
 * @param _samples Where to evaluate.
 * @returns The mean of (prediction − target)².
 */
export function meanSquaredError(_model: tf.LayersModel, _samples: Samples): number {
  return notImplemented("meanSquaredError", 2);
}

/**
 * Step 4: the number of weights and biases of `buildMlp(hidden, inputs)`, computed by hand (a
 * dense layer from `a` to `b` units has `(a + 1) · b`).
 *
 * @param _hidden The hidden widths.
 * @param _inputs The number of input features.
 * @returns The parameter count.
 */
export function parameterCount(_hidden: readonly number[], _inputs = 2): number {
  return notImplemented("parameterCount", 4);
}

/**
 * Step 4: the width `w` for which `depth` hidden layers of `w` units have the parameter count
 * closest to `budget`. Throw a clear error naming `depth` when it is not a positive integer, and
 * one when even width 1 exceeds the budget.
 *
 * @param _budget The parameter count to match.
 * @param _depth The number of hidden layers.
 * @param _inputs The number of input features.
 * @returns The width.
 */
export function widthForBudget(_budget: number, _depth: number, _inputs = 2): number {
  return notImplemented("widthForBudget", 4);
}

/**
 * Step 5: the model as the bytes of an `.onnx` file, written by the project's exporter
 * (`exportOnnx` in `@lib/onnx/export.ts`).
 *
 * @param _model A trained model.
 * @returns The `.onnx` bytes.
 */
export function toOnnx(_model: tf.LayersModel): Uint8Array {
  return notImplemented("toOnnx", 5);
}

/**
 * Step 5: runs an `.onnx` model in onnxruntime-web on `inputs` (`OnnxModel` from
 * `@lib/onnx/runtime.ts`: `predictOnce` loads the model, predicts and releases it).
 *
 * @param _onnx The `.onnx` bytes.
 * @param _inputs `[n, 2]`.
 * @returns The model's output, `[n, 1]`.
 */
export function predictOnnx(_onnx: Uint8Array, _inputs: tf.Tensor2D): Promise<tf.Tensor2D> {
  return notImplemented("predictOnnx", 5);
}
