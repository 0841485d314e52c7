import * as tf from "@tensorflow/tfjs";
import { seedEverything } from "@lib/core/random.ts";
import {
  type Dataset,
  EPOCHS,
  type Features,
  HIDDEN_UNITS,
  LEARNING_RATE,
  type Penalty,
  type Spread,
  type TrainOptions,
} from "./contract.ts";

export {
  EPOCHS,
  HIDDEN_UNITS,
  LEARNING_RATE,
  type Penalty,
  type Spread,
  type TrainOptions,
} from "./contract.ts";

export function denseParams(inputs: number, units: number): number {
  for (const [name, value] of [["inputs", inputs], ["units", units]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`denseParams: ${name} must be a positive integer, got ${value}`);
    }
  }
  return inputs * units + units;
}

export function buildNet(inputs: number, options: { l2?: number } = {}): tf.Sequential {
  const { l2 = 0 } = options;
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [inputs],
    units: HIDDEN_UNITS,
    activation: "relu",
    kernelRegularizer: l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined,
  }));
  model.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
  return model;
}

function tensors(data: Dataset): [tf.Tensor2D, tf.Tensor2D] {
  return [
    tf.tensor2d(data.x, [data.samples, data.features]),
    tf.tensor2d(Float32Array.from(data.y), [data.samples, 1]),
  ];
}

/** Soft-thresholding: the proximal step of `threshold · Σ|w|`, which sets small weights to exactly 0. */
function shrinkFirstKernel(model: tf.Sequential, threshold: number): void {
  const layer = model.layers[0];
  const [kernel, bias] = layer.getWeights();
  const shrunk = tf.tidy(() => kernel.sign().mul(kernel.abs().sub(threshold).relu()));
  layer.setWeights([shrunk, bias]);
  shrunk.dispose();
}

export async function trainNet(train: Dataset, options: TrainOptions): Promise<tf.Sequential> {
  const { seed, l2 = 0, l1 = 0, epochs = EPOCHS } = options;
  const restore = seedEverything(seed);
  let model: tf.Sequential;
  try {
    model = buildNet(train.features, { l2 });
  } finally {
    restore();
  }
  const optimizer = tf.train.sgd(LEARNING_RATE);
  model.compile({ optimizer, loss: "binaryCrossentropy" });
  const [x, y] = tensors(train);
  try {
    for (let step = 0; step < epochs; step++) {
      await model.trainOnBatch(x, y);
      if (l1 > 0) shrinkFirstKernel(model, LEARNING_RATE * l1);
    }
  } finally {
    // The optimizer holds its learning rate as a tensor, and model.dispose() frees only an optimizer
    // the model created itself (one named by a string).
    tf.dispose([x, y]);
    optimizer.dispose();
  }
  return model;
}

export function predictLabels(model: tf.LayersModel, data: Features): number[] {
  if (data.features !== model.inputs[0].shape[1]) {
    throw new RangeError(
      `predictLabels: data has ${data.features} features, the model expects ${model.inputs[0].shape[1]}`,
    );
  }
  const probabilities = tf.tidy(() => {
    const x = tf.tensor2d(data.x, [data.samples, data.features]);
    return (model.predict(x) as tf.Tensor).dataSync();
  });
  return Array.from(probabilities, (p) => (p > 0.5 ? 1 : 0));
}

export function accuracy(predicted: readonly number[], labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length || labels.length === 0) {
    throw new RangeError(
      `accuracy: ${predicted.length} predictions for ${labels.length} labels; pass one per label`,
    );
  }
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

export function disagreement(runs: readonly (readonly number[])[]): number {
  if (runs.length < 2) {
    throw new RangeError(`disagreement: need at least 2 runs to compare, got ${runs.length}`);
  }
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      if (runs[a].length !== runs[b].length) {
        throw new RangeError(
          `disagreement: run ${a} has ${runs[a].length} predictions, run ${b} ${runs[b].length}`,
        );
      }
      sum += runs[a].filter((p, i) => p !== runs[b][i]).length / runs[a].length;
      pairs++;
    }
  }
  return sum / pairs;
}

export function summarize(values: readonly number[]): Spread {
  if (values.length < 2) {
    throw new RangeError(`summarize: need at least 2 values for a spread, got ${values.length}`);
  }
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { mean, std, min, max, range: max - min };
}

export async function predictOverSeeds(
  train: Dataset,
  data: Features,
  seeds: readonly number[],
  options: Omit<TrainOptions, "seed"> = {},
): Promise<number[][]> {
  const runs: number[][] = [];
  for (const seed of seeds) {
    const model = await trainNet(train, { ...options, seed });
    runs.push(predictLabels(model, data));
    model.dispose();
  }
  return runs;
}

export async function chooseStrength(
  train: Dataset,
  val: Dataset,
  penalty: Penalty,
  strengths: readonly number[],
  seeds: readonly number[],
): Promise<{ strength: number; scores: number[] }> {
  if (strengths.length === 0) throw new RangeError("chooseStrength: pass at least one strength to try");
  if (seeds.length === 0) throw new RangeError("chooseStrength: pass at least one initialisation seed");
  const scores: number[] = [];
  for (const strength of strengths) {
    const runs = await predictOverSeeds(train, val, seeds, { [penalty]: strength });
    scores.push(runs.reduce((sum, predicted) => sum + accuracy(predicted, val.y), 0) / runs.length);
  }
  // Ties go to the stronger penalty: the simpler model explains the data as well.
  let best = 0;
  scores.forEach((score, i) => {
    const tie = Math.abs(score - scores[best]) <= 1e-9;
    if ((score > scores[best] && !tie) || (tie && strengths[i] > strengths[best])) best = i;
  });
  return { strength: strengths[best], scores };
}
