/**
 * What kata 01's test files share: the committed Fashion-MNIST mini subset, the learner's MLP trained on
 * it (once per input kind, loss formulation and learning rate, per test file), and the first training
 * batch. Test support, not a file to edit: the solution has no counterpart, so it always runs from
 * `katas/`.
 *
 * @example Usage
 * ```ts ignore
 * import { heldOutScores, trained } from "./test_setup.ts";
 * const model = await trained("scaled", "logits");
 * console.log((await heldOutScores("raw", "logits")).logLoss);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { loadFashionMnist } from "@lib/data/fashion_mnist.ts";
import { classificationScores } from "@lib/metrics/classification.ts";
import { measured } from "@lib/testing/measure.ts";
import { once, oncePer } from "@lib/testing/once.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import { DEFAULT_LEARNING_RATE, type OutputKind, PIXELS } from "./contract.ts";
import { accuracy, buildMlp, scalePixels, trainClassifier } from "./input_scaling.ts";

/** The run's seed (`KATA_SEED`). */
export const SEED: number = kataSeed();
/** Training length of every model the tests train: 2 epochs of the 3,000 images, 94 Adam steps. */
export const EPOCHS = 2;
/** Examples per Adam step. */
export const BATCH = 64;
/** Images of the first training batch that step 2 measures. */
export const FIRST_BATCH = 128;

/** Which pixels a model is trained and evaluated on. */
export type Inputs = "raw" | "scaled";

/** The committed mini subset (3,000 train / 1,000 test), raw pixels as float32 0..255. */
export const data = once(async () => {
  const [train, test] = await Promise.all([
    loadFashionMnist("train", { mini: true }),
    loadFashionMnist("test", { mini: true }),
  ]);
  return {
    xTrain: tf.tensor2d(train.images, [train.count, PIXELS], "float32"),
    yTrain: tf.oneHot(tf.tensor1d(train.labels, "int32"), 10) as tf.Tensor2D,
    trainLabels: train.labels,
    xTest: tf.tensor2d(test.images, [test.count, PIXELS], "float32"),
    testLabels: test.labels,
    testBytes: test.images,
  };
});

/** The same splits scaled by the learner's scalePixels. */
export const scaled = once(async () => {
  const { xTrain, xTest } = await data();
  return { xTrain: scalePixels(xTrain) as tf.Tensor2D, xTest: scalePixels(xTest) as tf.Tensor2D };
});

/** The split of `inputs`: raw, or scaled by the learner's scalePixels. */
export async function split(inputs: Inputs): Promise<{ xTrain: tf.Tensor2D; xTest: tf.Tensor2D }> {
  return inputs === "raw" ? await data() : await scaled();
}

/** The first training batch (raw pixels), its labels and their one-hot rows. */
export const firstBatch = once(async () => {
  const { xTrain, yTrain, trainLabels } = await data();
  return {
    x: xTrain.slice(0, FIRST_BATCH) as tf.Tensor2D,
    y: yTrain.slice(0, FIRST_BATCH) as tf.Tensor2D,
    labels: trainLabels.subarray(0, FIRST_BATCH),
  };
});

/** A model freshly built with the seed, so raw and scaled runs start from identical weights. */
export function freshModel(outputs: OutputKind): tf.Sequential {
  seedEverything(SEED);
  return buildMlp(outputs);
}

/**
 * Trains (once per input kind, formulation and learning rate) the learner's MLP for EPOCHS epochs from
 * the seed's initial weights.
 */
export function trained(
  inputs: Inputs,
  outputs: OutputKind,
  learningRate: number = DEFAULT_LEARNING_RATE,
): Promise<tf.LayersModel> {
  return trainedOnce(inputs, outputs, learningRate);
}

const trainedOnce = oncePer(
  async (inputs: Inputs, outputs: OutputKind, learningRate: number) => {
    const { yTrain } = await data();
    const model = freshModel(outputs);
    await trainClassifier(model, (await split(inputs)).xTrain, yTrain, {
      epochs: EPOCHS,
      batchSize: BATCH,
      outputs,
      learningRate,
    });
    return model;
  },
);

/** Test accuracy of the model trained on `inputs` with `outputs` (default learning rate), reported. */
export async function testAccuracy(inputs: Inputs, outputs: OutputKind): Promise<number> {
  const model = await trained(inputs, outputs);
  const { testLabels } = await data();
  return measured(`accuracy ${inputs}/${outputs}`, accuracy(model, (await split(inputs)).xTest, testLabels));
}

/**
 * Held-out accuracy and log loss (nats, probabilities floored at 1e-7) of the model trained on `inputs`
 * with `outputs` at `learningRate`, scored by the test itself (not by the learner's `accuracy`).
 */
export function heldOutScores(
  inputs: Inputs,
  outputs: OutputKind,
  learningRate: number = DEFAULT_LEARNING_RATE,
): Promise<{ accuracy: number; logLoss: number }> {
  return heldOutScoresOnce(inputs, outputs, learningRate);
}

const heldOutScoresOnce = oncePer(
  async (inputs: Inputs, outputs: OutputKind, learningRate: number) => {
    const model = await trained(inputs, outputs, learningRate);
    const { testLabels } = await data();
    const x = (await split(inputs)).xTest;
    const probabilities = tf.tidy(() => {
      const out = model.predict(x) as tf.Tensor2D;
      return outputs === "logits" ? tf.softmax(out) as tf.Tensor2D : out;
    });
    const { accuracy, logLoss } = classificationScores(probabilities, testLabels);
    probabilities.dispose();
    return { accuracy, logLoss };
  },
);
