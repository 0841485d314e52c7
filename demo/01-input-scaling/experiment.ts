/**
 * Kata 01's experiment: the tests' MLP (784-128-10) trained for two epochs on the Fashion-MNIST subset, on
 * raw (0..255) or scaled (/255) pixels, with softmax probabilities + categorical cross-entropy or logits +
 * softmax cross-entropy; its loss per step, its test accuracy, and a row of test images with its
 * predictions. The lab fetches the subset from its `data/` folder; the demo task reads `fixtures/`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { FASHION_CLASSES, fetchFashionMnist } from "@lib/data/fashion_mnist_files.ts";
import { observeTraining } from "@lib/models/observe_training.ts";
import { seedEverything } from "@lib/core/random.ts";
import {
  accuracy,
  buildMlp,
  predictClasses,
  scalePixels,
  trainClassifier,
} from "../../solutions/01-input-scaling/input_scaling.ts";
import type { OutputKind } from "../../solutions/01-input-scaling/contract.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { lossFigure, predictionsFigure } from "./figures.ts";

/** The tests' training: 2 epochs of batch 64 over the 3,000 training images (94 Adam steps). */
const EPOCHS = 2;
const BATCH = 64;
/** Where the demo task finds the subset (the lab passes its own `data/` folder). */
const FIXTURES = new URL("../../fixtures/fashion-mnist-mini/", import.meta.url).href;

const FORMULATIONS: Record<OutputKind, string> = {
  probabilities: "probabilities + categorical CE",
  logits: "logits + softmax CE",
};

/** Kata 01's experiment. */
export const experiment: Experiment = {
  lesson: "Feed the network raw pixels (0..255) and its first layer's outputs are in the hundreds: the " +
    "softmax saturates, categorical cross-entropy clips its zero probabilities, and the gradient that " +
    "should correct the mistake is lost — training collapses to a few classes. Divide by 255 and the same " +
    "network learns; keep raw pixels but compute the loss from logits and it mostly recovers. Try the knobs: " +
    "raw vs scaled pixels, probabilities vs logits.",
  knobs: [
    {
      name: "pixels",
      label: "pixels",
      options: [{ value: "raw", label: "raw (0..255)" }, { value: "scaled", label: "scaled (/255)" }],
      default: "raw",
    },
    {
      name: "outputs",
      label: "output and loss",
      options: [
        { value: "probabilities", label: "softmax probabilities + categorical CE" },
        { value: "logits", label: "logits + softmax CE" },
      ],
      default: "probabilities",
    },
  ],
  async run(settings, { seed, onProgress, dataUrl }) {
    const inputs = settings.pixels as "raw" | "scaled";
    const outputs = settings.outputs as OutputKind;
    const name = `${inputs} pixels · ${FORMULATIONS[outputs]}`;
    onProgress({ fraction: 0, stage: "loading the Fashion-MNIST subset" });
    const [train, test] = await Promise.all([
      fetchFashionMnist("train", dataUrl ?? FIXTURES),
      fetchFashionMnist("test", dataUrl ?? FIXTURES),
    ]);
    const rawTrain = tf.tensor2d(train.images, [train.count, 784], "float32");
    const rawTest = tf.tensor2d(test.images, [test.count, 784], "float32");
    const xTrain = inputs === "raw" ? rawTrain : scalePixels(rawTrain) as tf.Tensor2D;
    const xTest = inputs === "raw" ? rawTest : scalePixels(rawTest) as tf.Tensor2D;
    const yTrain = tf.oneHot(tf.tensor1d(train.labels, "int32"), 10) as tf.Tensor2D;
    const total = Math.ceil(train.count / BATCH) * EPOCHS;
    const setup = `Fashion-MNIST subset (${train.count} train / ${test.count} test), MLP 784-128-10, ` +
      `Adam 1e-3, batch ${BATCH}, ${EPOCHS} epochs, seed ${seed}`;
    const losses: number[] = [];
    const lossChart = (): Chart => ({
      name: "training-loss",
      spec: lossFigure([{ run: name, losses }], setup),
    });
    seedEverything(seed); // the tests' initial weights and shuffling
    const model = buildMlp(outputs);
    try {
      await observeTraining(
        {
          onBatchLoss: (loss, step) => {
            losses.push(loss);
            const charts = step % 5 === 0 || step === total ? [lossChart()] : undefined;
            onProgress({ fraction: step / total, stage: `training: ${name}`, ...(charts ? { charts } : {}) });
          },
        },
        () => trainClassifier(model, xTrain, yTrain, { epochs: EPOCHS, batchSize: BATCH, outputs }),
      );
      const testAccuracy = accuracy(model, xTest, test.labels);
      const predicted = predictClasses(model, xTest);
      // The first test image of each class, left to right: no picking.
      const firsts = FASHION_CLASSES.map((_, c) => Array.from(test.labels).indexOf(c));
      const images = firsts.map((i) => ({
        pixels: test.images.subarray(i * 784, (i + 1) * 784),
        truth: FASHION_CLASSES[test.labels[i]],
        predicted: { [name]: FASHION_CLASSES[predicted[i]] },
      }));
      const classesUsed = new Set(predicted).size;
      const readings: Reading[] = [
        { label: "training loss, first step", value: losses[0] ?? NaN },
        { label: "training loss, last step", value: losses.at(-1) ?? NaN },
        { label: "test accuracy", value: testAccuracy, measure: `accuracy ${inputs}/${outputs}` },
        { label: "classes the model ever predicts (of 10)", value: classesUsed },
      ];
      const charts: Chart[] = [
        lossChart(),
        {
          name: "predictions",
          spec: predictionsFigure(images, `${name}; the first test image of each class`),
        },
      ];
      onProgress({ fraction: 1, stage: "done", charts, readings });
      return { readings, charts };
    } finally {
      tf.dispose([rawTrain, rawTest, xTrain, xTest, yTrain]);
      model.dispose();
    }
  },
};
