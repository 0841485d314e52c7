/**
 * Shared by kata 01's two test files: the committed Fashion-MNIST mini subset and the learner's MLP
 * trained on it (once per input kind and loss formulation, per test file). Test support, not a
 * file to edit: the solution has no counterpart, so it always runs from `katas/`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { loadFashionMnist } from "@lib/data/fashion_mnist.ts";
import { measured } from "@lib/testing/measure.ts";
import { once, oncePer } from "@lib/testing/once.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import { accuracy, buildMlp, type OutputKind, scalePixels, trainClassifier } from "./input_scaling.ts";

/** The run's seed (`KATA_SEED`). */
export const SEED: number = kataSeed();
/** Training length of every model the tests train. */
export const EPOCHS = 2;
const BATCH = 64;

/** The committed mini subset (3,000 train / 1,000 test), raw pixels as float32 0..255. */
export const data = once(async () => {
  const [train, test] = await Promise.all([
    loadFashionMnist("train", { mini: true }),
    loadFashionMnist("test", { mini: true }),
  ]);
  return {
    xTrain: tf.tensor2d(train.images, [train.count, 784], "float32"),
    yTrain: tf.oneHot(tf.tensor1d(train.labels, "int32"), 10) as tf.Tensor2D,
    xTest: tf.tensor2d(test.images, [test.count, 784], "float32"),
    testLabels: test.labels,
    testBytes: test.images,
  };
});

/** The same splits scaled by the learner's scalePixels. */
export const scaled = once(async () => {
  const { xTrain, xTest } = await data();
  return { xTrain: scalePixels(xTrain) as tf.Tensor2D, xTest: scalePixels(xTest) as tf.Tensor2D };
});

/** A model freshly built with the seed, so raw and scaled runs start from identical weights. */
export function freshModel(outputs: OutputKind): tf.Sequential {
  seedEverything(SEED);
  return buildMlp(outputs);
}

/** Trains (once per input kind and formulation) the learner's MLP for EPOCHS epochs. */
export const trained: (inputs: "raw" | "scaled", outputs: OutputKind) => Promise<tf.LayersModel> = oncePer(
  async (inputs: "raw" | "scaled", outputs: OutputKind) => {
    const { xTrain, yTrain } = await data();
    const x = inputs === "raw" ? xTrain : (await scaled()).xTrain;
    const model = freshModel(outputs);
    await trainClassifier(model, x, yTrain, { epochs: EPOCHS, batchSize: BATCH, outputs });
    return model;
  },
);

/** Test accuracy of the model trained on `inputs` with `outputs`, reported to calibration. */
export async function testAccuracy(inputs: "raw" | "scaled", outputs: OutputKind): Promise<number> {
  const model = await trained(inputs, outputs);
  const { xTest, testLabels } = await data();
  const x = inputs === "raw" ? xTest : (await scaled()).xTest;
  return measured(`accuracy ${inputs}/${outputs}`, accuracy(model, x, testLabels));
}
