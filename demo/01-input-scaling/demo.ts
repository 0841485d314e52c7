/**
 * Kata 01's demo: the reference solution trains the same MLP on raw and on scaled
 * Fashion-MNIST pixels, with both loss formulations, recording the loss of every batch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { FASHION_CLASSES, loadFashionMnist } from "@lib/data/fashion_mnist.ts";
import { observeTraining } from "@lib/console/progress_bar.ts";
import { seedEverything } from "@lib/core/random.ts";
import {
  accuracy,
  buildMlp,
  disagreement,
  meanConfidence,
  predictClasses,
  scalePixels,
  trainClassifier,
} from "../../solutions/01-input-scaling/input_scaling.ts";
import type { OutputKind } from "../../katas/01-input-scaling/contract.ts";
import type { Demo, DemoContext } from "../demo.ts";
import { drawFigures, type InputScalingNumbers, type LossCurve } from "./figures.ts";

/** Five epochs instead of the tests' two: long enough to see where each run settles. */
const EPOCHS = 5;
const BATCH = 64;

const FORMULATIONS: Record<OutputKind, string> = {
  probabilities: "probabilities + categorical CE",
  logits: "logits + softmax CE",
};

/** The demo. */
export const demo: Demo = async (context) => {
  const { table, numbers } = await measure(context);
  return { table, figures: await drawFigures(numbers) };
};

/**
 * Trains the four runs and measures what the figures and the table show.
 *
 * @param context Seed and progress.
 * @returns The table rows and the figures' numbers.
 */
export async function measure(
  { seed, progress }: DemoContext,
): Promise<{ table: Record<string, string | number>[]; numbers: InputScalingNumbers }> {
  const [train, test] = await Promise.all([
    loadFashionMnist("train", { mini: true }),
    loadFashionMnist("test", { mini: true }),
  ]);
  const raw = {
    xTrain: tf.tensor2d(train.images, [train.count, 784], "float32"),
    xTest: tf.tensor2d(test.images, [test.count, 784], "float32"),
  };
  const scaled = {
    xTrain: scalePixels(raw.xTrain) as tf.Tensor2D,
    xTest: scalePixels(raw.xTest) as tf.Tensor2D,
  };
  const yTrain = tf.oneHot(tf.tensor1d(train.labels, "int32"), 10) as tf.Tensor2D;
  const inputs = { raw, scaled };

  const curves: LossCurve[] = [];
  const table: Record<string, string | number>[] = [];
  const models = new Map<string, tf.LayersModel>();
  for (const outputs of ["probabilities", "logits"] as const) {
    for (const kind of ["scaled", "raw"] as const) {
      const run = `${kind} pixels · ${FORMULATIONS[outputs]}`;
      seedEverything(seed); // identical initial weights for raw and scaled
      const model = buildMlp(outputs);
      const losses: number[] = [];
      await observeTraining(
        { progress, label: run, onBatchLoss: (loss) => losses.push(loss) },
        () =>
          trainClassifier(model, inputs[kind].xTrain, yTrain, { epochs: EPOCHS, batchSize: BATCH, outputs }),
      );
      curves.push({ run, losses });
      models.set(`${kind}/${outputs}`, model);
      table.push({
        inputs: `${kind} pixels`,
        "output + loss": FORMULATIONS[outputs],
        "first loss": losses[0].toPrecision(3),
        "last-epoch mean loss": mean(losses.slice(-Math.ceil(train.count / BATCH))).toPrecision(3),
        "test result": accuracy(model, inputs[kind].xTest, test.labels).toFixed(3),
      });
    }
  }

  // Scaled inputs train the same with either formulation (softmax + CE is one function either way):
  // draw one line for both when the two runs' losses agree.
  const [scaledProbabilities, , scaledLogits] = curves;
  if (scaledProbabilities.losses.every((l, i) => Math.abs(l - scaledLogits.losses[i]) <= 1e-3 * l)) {
    scaledProbabilities.run = "scaled pixels · either output and loss (same curve)";
    curves.splice(2, 1);
  }

  const scaledModel = models.get("scaled/probabilities")!;
  const rawModel = models.get("raw/probabilities")!;
  const scaledOnScaled = predictClasses(scaledModel, scaled.xTest);
  const scaledOnRaw = predictClasses(scaledModel, raw.xTest);
  const rawOnRaw = predictClasses(rawModel, raw.xTest);
  table.push(
    {
      inputs: "raw-trained vs scaled-trained",
      "output + loss": FORMULATIONS.probabilities,
      "first loss": "",
      "last-epoch mean loss": "",
      "test result": `disagree on ${(100 * disagreement(rawOnRaw, scaledOnScaled)).toFixed(1)} %`,
    },
    {
      inputs: "scaled-trained, fed raw",
      "output + loss": FORMULATIONS.probabilities,
      "first loss": "",
      "last-epoch mean loss": "",
      "test result": `changes ${(100 * disagreement(scaledOnRaw, scaledOnScaled)).toFixed(1)} %, ` +
        `confidence ${meanConfidence(scaledModel, raw.xTest).toFixed(3)} vs ${
          meanConfidence(scaledModel, scaled.xTest).toFixed(3)
        }`,
    },
  );

  // The first test image of each class, left to right: no picking.
  const firsts = FASHION_CLASSES.map((_, c) => Array.from(test.labels).indexOf(c));
  const images = firsts.map((i) => ({
    pixels: test.images.subarray(i * 784, (i + 1) * 784),
    truth: FASHION_CLASSES[test.labels[i]],
    predicted: {
      "trained and fed scaled": FASHION_CLASSES[scaledOnScaled[i]],
      "trained and fed raw": FASHION_CLASSES[rawOnRaw[i]],
      "trained scaled, fed raw": FASHION_CLASSES[scaledOnRaw[i]],
    },
  }));

  tf.dispose([raw.xTrain, raw.xTest, scaled.xTrain, scaled.xTest, yTrain]);
  for (const model of models.values()) model.dispose();

  const setup = `Fashion-MNIST subset (${train.count} train / ${test.count} test), MLP 784-128-10, ` +
    `Adam 1e-3, batch ${BATCH}, ${EPOCHS} epochs, seed ${seed}`;
  const predictionSetup =
    `softmax + categorical CE, ${EPOCHS} epochs, seed ${seed}; the first test image of each class`;
  return { table, numbers: { curves, images, setup, predictionSetup } };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
