/**
 * Kata 05, reference solution: an MLP learns f(x, y) = sin(x) + y from noisy measurements on a
 * compact domain (step 1), fails outside it (step 2), deep vs wide at an equal parameter budget
 * (step 4), and the trained model deployed through ONNX (step 5).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "@lib/core/random.ts";
import { exponentialDecay, ScheduledAdam } from "@lib/models/lr_schedule.ts";
import { exportOnnx } from "@lib/onnx/export.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import type { Domain, Samples, TrainOptions } from "./contract.ts";

export { DEEP, SHIFTED_DOMAIN, TRAIN_DOMAIN, TRAINING } from "./contract.ts";
export type { Domain, Samples, TrainOptions } from "./contract.ts";

function checkDomain(domain: Domain): void {
  for (const axis of ["x", "y"] as const) {
    const [low, high] = domain[axis];
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
      throw new Error(`domain.${axis} must be [low, high] with low < high, got [${low}, ${high}]`);
    }
  }
}

/** Step 1: `n` measurements of sin(x) + y at uniform random points of `domain`, plus N(0, noise²). */
export function sampleFunction(n: number, domain: Domain, noise: number, rng: Rng): Samples {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`sampleFunction: n must be a positive integer, got ${n}`);
  }
  if (!(noise >= 0)) {
    throw new Error(`sampleFunction: noise is a standard deviation and must be ≥ 0, got ${noise}`);
  }
  checkDomain(domain);
  const inputs: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = domain.x[0] + (domain.x[1] - domain.x[0]) * rng.uniform();
    const y = domain.y[0] + (domain.y[1] - domain.y[0]) * rng.uniform();
    inputs.push(x, y);
    targets.push(Math.sin(x) + y + noise * rng.normal());
  }
  return { inputs: tf.tensor2d(inputs, [n, 2]), targets: tf.tensor2d(targets, [n, 1]) };
}

/** Step 1: dense ReLU layers of the given widths, then one linear output unit. */
export function buildMlp(hidden: readonly number[], inputs = 2): tf.Sequential {
  hidden.forEach((units) => {
    if (!Number.isInteger(units) || units < 1) {
      throw new Error(`buildMlp: every hidden width must be a positive integer, got [${hidden.join(", ")}]`);
    }
  });
  const model = tf.sequential();
  const first = { inputShape: [inputs] };
  hidden.forEach((units, i) =>
    model.add(tf.layers.dense({ units, activation: "relu", ...(i === 0 ? first : {}) }))
  );
  model.add(tf.layers.dense({ units: 1, ...(hidden.length === 0 ? first : {}) }));
  return model;
}

function checkSamples(name: string, model: tf.LayersModel, samples: Samples): void {
  const width = model.inputs[0].shape[1];
  const [n, columns] = samples.inputs.shape;
  if (columns !== width) {
    throw new Error(`${name}: inputs have shape [${n}, ${columns}] but the model takes [batch, ${width}]`);
  }
  const shape = samples.targets.shape;
  if (shape.length !== 2 || shape[0] !== n || shape[1] !== 1) {
    throw new Error(
      `${name}: targets have shape [${shape.join(", ")}]; expected [${n}, 1], one per input row`,
    );
  }
}

/**
 * Step 1: trains `model` in place with Adam on mean squared error, `options.steps` mini-batches
 * drawn with `rng`, the learning rate decaying exponentially. Returns the loss of every step.
 */
export function train(model: tf.LayersModel, data: Samples, options: TrainOptions, rng: Rng): number[] {
  checkSamples("train", model, data);
  const { steps, batchSize, learningRate, finalLearningRate } = options;
  const n = data.inputs.shape[0];
  const rate = exponentialDecay(learningRate, finalLearningRate, steps);
  const optimizer = new ScheduledAdam(learningRate);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.setLearningRate(rate(step));
    const batch = tf.tensor1d(Array.from({ length: batchSize }, () => rng.int(n)), "int32");
    const loss = optimizer.minimize(() => {
      // predict() cuts its input into chunks of 32 rows unless told otherwise: one chunk, one pass.
      const predictions = model.predict(tf.gather(data.inputs, batch), { batchSize }) as tf.Tensor;
      return tf.losses.meanSquaredError(tf.gather(data.targets, batch), predictions) as tf.Scalar;
    }, true)!;
    losses.push(loss.dataSync()[0]);
    tf.dispose([loss, batch]);
  }
  optimizer.dispose();
  return losses;
}

/** Step 2: the mean squared error of `model`'s predictions on `samples`. */
export function meanSquaredError(model: tf.LayersModel, samples: Samples): number {
  checkSamples("meanSquaredError", model, samples);
  return tf.tidy(() =>
    tf.losses.meanSquaredError(samples.targets, model.predict(samples.inputs) as tf.Tensor).dataSync()[0]
  );
}

/** Step 4: the number of weights and biases of `buildMlp(hidden, inputs)`. */
export function parameterCount(hidden: readonly number[], inputs = 2): number {
  let count = 0;
  let fanIn = inputs;
  for (const units of [...hidden, 1]) {
    count += (fanIn + 1) * units;
    fanIn = units;
  }
  return count;
}

/** Step 4: the width `w` for which `depth` hidden layers of `w` units come closest to `budget` parameters. */
export function widthForBudget(budget: number, depth: number, inputs = 2): number {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new Error(`widthForBudget: depth must be ≥ 1, got ${depth}`);
  }
  const count = (width: number) => parameterCount(Array(depth).fill(width), inputs);
  if (budget < count(1)) {
    throw new Error(
      `widthForBudget: ${depth} layers need at least ${count(1)} parameters, budget is ${budget}`,
    );
  }
  let low = 1;
  let high = 1;
  while (count(high) < budget) high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (count(middle) < budget) low = middle;
    else high = middle;
  }
  return budget - count(low) <= count(high) - budget ? low : high;
}

/** Step 5: the model as the bytes of an `.onnx` file, written by the project's exporter. */
export function toOnnx(model: tf.LayersModel): Uint8Array {
  return exportOnnx(model);
}

/** Step 5: runs the ONNX model in onnxruntime-web on `inputs` `[n, 2]`; returns its `[n, 1]` output. */
export async function predictOnnx(onnx: Uint8Array, inputs: tf.Tensor2D): Promise<tf.Tensor2D> {
  return (await OnnxModel.predictOnce(onnx, inputs)) as tf.Tensor2D;
}
