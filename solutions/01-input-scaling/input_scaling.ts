/**
 * Kata 01 — input scaling: reference solution.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { adam } from "@lib/models/fused_adam.ts";
import {
  DEFAULT_LEARNING_RATE,
  type FirstStep,
  type OutputKind,
  PIXEL_MAX,
  PIXELS,
  type Standardizer,
  type TrainOptions,
} from "./contract.ts";

export function scalePixels(pixels: tf.Tensor): tf.Tensor {
  return tf.tidy(() => pixels.toFloat().div(PIXEL_MAX));
}

export function fitStandardizer(train: tf.Tensor2D): Standardizer {
  const { mean, variance } = tf.moments(train, 0);
  const std = variance.sqrt() as tf.Tensor1D;
  variance.dispose();
  return {
    mean: mean as tf.Tensor1D,
    std,
    transform: (x) =>
      tf.tidy(() => {
        const safe = tf.where(std.greater(0), std, tf.onesLike(std));
        return x.sub(mean).div(safe) as tf.Tensor2D;
      }),
  };
}

export function buildMlp(outputs: OutputKind): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [PIXELS], units: 128, activation: "relu" }));
  model.add(tf.layers.dense({ units: 10, activation: outputs === "logits" ? "linear" : "softmax" }));
  return model;
}

export function lossFunction(outputs: OutputKind): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  return outputs === "logits"
    ? (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred)
    : (yTrue, yPred) => tf.metrics.categoricalCrossentropy(yTrue, yPred).mean();
}

export function firstStep(
  model: tf.LayersModel,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  outputs: OutputKind,
): FirstStep {
  return tf.tidy(() => {
    const first = model.layers[0].apply(x) as tf.Tensor;
    const maxActivation = first.abs().max().dataSync()[0];
    const loss = lossFunction(outputs);
    const { value, grads } = tf.variableGrads(() =>
      loss(yOneHot, model.predict(x) as tf.Tensor) as tf.Scalar
    );
    const squares = Object.values(grads).map((g) => g.square().sum());
    const gradNorm = tf.addN(squares).sqrt().dataSync()[0];
    return { maxActivation, loss: value.dataSync()[0], gradNorm };
  });
}

export async function trainClassifier(
  model: tf.LayersModel,
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  options: TrainOptions,
): Promise<number[]> {
  model.compile({
    optimizer: adam(options.learningRate ?? DEFAULT_LEARNING_RATE),
    loss: lossFunction(options.outputs),
  });
  const history = await model.fit(x, yOneHot, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    shuffle: true,
    verbose: 0,
  });
  return history.history.loss as number[];
}

export function predictClasses(model: tf.LayersModel, x: tf.Tensor2D): Int32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync() as Int32Array);
}

export function accuracy(model: tf.LayersModel, x: tf.Tensor2D, labels: ArrayLike<number>): number {
  const predicted = predictClasses(model, x);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / predicted.length;
}

export function disagreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`disagreement: ${a.length} predictions vs ${b.length}`);
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return changed / a.length;
}

export function meanConfidence(model: tf.LayersModel, x: tf.Tensor2D): number {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).max(-1).mean().dataSync()[0]);
}

export function addFloat32(a: number, b: number): number {
  return Math.fround(Math.fround(a) + Math.fround(b));
}

export function float32Spacing(x: number): number {
  const f = Math.fround(Math.abs(x));
  const bits = new Float32Array([f]);
  const ints = new Uint32Array(bits.buffer);
  ints[0] += 1;
  return bits[0] - f;
}

export function toModelInput(images: Uint8Array, count: number): Float32Array {
  if (images.length !== count * PIXELS) {
    throw new Error(
      `toModelInput: expected ${count} × ${PIXELS} = ${count * PIXELS} pixel bytes, got ${images.length}`,
    );
  }
  return Float32Array.from(images, (v) => v / PIXEL_MAX);
}

export function withRescaling(model: tf.LayersModel): tf.LayersModel {
  const pixels = tf.input({ shape: [PIXELS], name: "pixels" });
  let x = tf.layers.rescaling({ scale: 1 / PIXEL_MAX }).apply(pixels) as tf.SymbolicTensor;
  for (const layer of model.layers) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: pixels, outputs: x });
}

export function buildRawPixelClassifier(_trainPixels: tf.Tensor2D): tf.LayersModel {
  // One honest way: the /255 moves inside the model, as its first layer. The MLP behind it is step 2's.
  const model = tf.sequential();
  model.add(tf.layers.rescaling({ inputShape: [PIXELS], scale: 1 / PIXEL_MAX }));
  model.add(tf.layers.dense({ units: 128, activation: "relu" }));
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}
