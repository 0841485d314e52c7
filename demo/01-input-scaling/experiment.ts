/**
 * Kata 01's experiment: the tests' MLP (784-128-10) trained on the Fashion-MNIST subset, on raw (0..255) or
 * scaled (/255) pixels, with softmax probabilities + categorical cross-entropy or logits + softmax
 * cross-entropy, for the tests' 2 epochs or 5; its loss per step, its test accuracy, what changes when the
 * trained model is fed the other pixels, and a row of test images with its predictions. The lab runs one
 * configuration and fetches the subset from its `data/` folder; `deno task demo 01` runs the four
 * configurations for 5 epochs, reading `fixtures/`, and compares them.
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
  disagreement,
  meanConfidence,
  predictClasses,
  scalePixels,
  trainClassifier,
} from "../../solutions/01-input-scaling/input_scaling.ts";
import type { OutputKind } from "../../solutions/01-input-scaling/contract.ts";
import type { Chart, Experiment, ExperimentResult, Reading } from "../experiment.ts";
import { type ImagePredictions, lossFigure, predictionsFigure } from "./figures.ts";

/** The tests' training length (the calibration's reference ranges hold for it only) and batch size. */
const TEST_EPOCHS = 2;
const BATCH = 64;
/** Where the demo task finds the subset (the lab passes its own `data/` folder). */
const FIXTURES = new URL("../../fixtures/fashion-mnist-mini/", import.meta.url).href;

/** Which pixels a model is trained on. */
export type Pixels = "raw" | "scaled";
const OTHER: Record<Pixels, Pixels> = { raw: "scaled", scaled: "raw" };

const FORMULATIONS: Record<OutputKind, string> = {
  probabilities: "probabilities + categorical CE",
  logits: "logits + softmax CE",
};

/** One run: its readings and charts, and the numbers `deno task demo 01` compares across runs. */
export interface InputScalingResult extends ExperimentResult {
  /** The run, e.g. "raw pixels · probabilities + categorical CE". */
  run: string;
  /** Data, model, optimiser, epochs and seed. */
  setup: string;
  /** The training loss after every batch. */
  losses: number[];
  /** The class predicted for every test image, fed the pixels the model was trained on. */
  predicted: Int32Array;
  /** The first test image of each class, with the class predicted fed its own pixels and fed the other ones. */
  images: ImagePredictions[];
}

/** A reading with the calibration's `measured()` label, when the run has the tests' setup. */
const reading = (label: string, value: number, measure?: string): Reading =>
  measure === undefined ? { label, value } : { label, value, measure };

/** Kata 01's experiment. */
export const experiment = {
  lesson: "Feed the network raw pixels (0..255) and its first layer's outputs are in the hundreds: the " +
    "softmax saturates, categorical cross-entropy clips its zero probabilities, and the gradient that " +
    "should correct the mistake is lost — training collapses to a few classes. Divide by 255 and the same " +
    "network learns; keep raw pixels but compute the loss from logits and it mostly recovers. A model " +
    "trained on scaled pixels and fed raw ones keeps its classes but becomes near-certain. Try the knobs: " +
    "raw vs scaled pixels, probabilities vs logits, and training longer.",
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
    {
      name: "epochs",
      label: "training",
      options: [{ value: "2", label: "2 epochs (the tests')" }, { value: "5", label: "5 epochs" }],
      default: "2",
    },
  ],
  async run(settings, { seed, onProgress, dataUrl }): Promise<InputScalingResult> {
    const inputs = settings.pixels as Pixels;
    const other = OTHER[inputs];
    const outputs = settings.outputs as OutputKind;
    const epochs = Number(settings.epochs ?? TEST_EPOCHS);
    const calibrated = epochs === TEST_EPOCHS; // the calibration's setup: readings get their reference ranges
    const name = `${inputs} pixels · ${FORMULATIONS[outputs]}`;
    onProgress({ fraction: 0, stage: "loading the Fashion-MNIST subset" });
    const [train, test] = await Promise.all([
      fetchFashionMnist("train", dataUrl ?? FIXTURES),
      fetchFashionMnist("test", dataUrl ?? FIXTURES),
    ]);
    const rawTrain = tf.tensor2d(train.images, [train.count, 784], "float32");
    const rawTest = tf.tensor2d(test.images, [test.count, 784], "float32");
    const xTest: Record<Pixels, tf.Tensor2D> = { raw: rawTest, scaled: scalePixels(rawTest) as tf.Tensor2D };
    const xTrain = inputs === "raw" ? rawTrain : scalePixels(rawTrain) as tf.Tensor2D;
    const yTrain = tf.oneHot(tf.tensor1d(train.labels, "int32"), 10) as tf.Tensor2D;
    const stepsPerEpoch = Math.ceil(train.count / BATCH);
    const total = stepsPerEpoch * epochs;
    const setup = `Fashion-MNIST subset (${train.count} train / ${test.count} test), MLP 784-128-10, ` +
      `Adam 1e-3, batch ${BATCH}, ${epochs} epochs, seed ${seed}`;
    const losses: number[] = [];
    const lossChart = (): Chart => ({
      name: "training-loss",
      spec: lossFigure([{ run: name, losses }], setup),
    });
    seedEverything(seed); // the tests' initial weights and shuffling, the same for every configuration
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
        () => trainClassifier(model, xTrain, yTrain, { epochs, batchSize: BATCH, outputs }),
      );
      const predicted = predictClasses(model, xTest[inputs]);
      const predictedOther = predictClasses(model, xTest[other]);
      // The first test image of each class, left to right: no picking.
      const firsts = FASHION_CLASSES.map((_, c) => Array.from(test.labels).indexOf(c));
      const images = firsts.map((i) => ({
        pixels: test.images.subarray(i * 784, (i + 1) * 784),
        truth: FASHION_CLASSES[test.labels[i]],
        predicted: {
          [`trained and fed ${inputs}`]: FASHION_CLASSES[predicted[i]],
          [`trained ${inputs}, fed ${other}`]: FASHION_CLASSES[predictedOther[i]],
        },
      }));
      const symptom = calibrated && inputs === "scaled" && outputs === "probabilities"; // the tests' step 4
      const readings: Reading[] = [
        reading("training loss, first step", losses[0] ?? NaN),
        reading("training loss, mean of the last epoch", mean(losses.slice(-stepsPerEpoch))),
        reading(
          "test accuracy",
          accuracy(model, xTest[inputs], test.labels),
          calibrated ? `accuracy ${inputs}/${outputs}` : undefined,
        ),
        reading("classes the model ever predicts (of 10)", new Set(predicted).size),
        reading(
          "share of test classes that change when fed the other pixels",
          disagreement(predicted, predictedOther),
          symptom ? "class changes scaled→raw input" : undefined,
        ),
        // the top softmax probability; a logits model has none
        ...(outputs === "probabilities"
          ? [
            reading("mean confidence fed its own pixels", meanConfidence(model, xTest[inputs])),
            reading(
              "mean confidence fed the other pixels",
              meanConfidence(model, xTest[other]),
              symptom ? "mean confidence on raw" : undefined,
            ),
          ]
          : []),
      ];
      const charts: Chart[] = [
        lossChart(),
        {
          name: "predictions",
          spec: predictionsFigure(images, `${name}, ${epochs} epochs; the first test image of each class`),
        },
      ];
      onProgress({ fraction: 1, stage: "done", charts, readings });
      return { readings, charts, run: name, setup, losses, predicted, images };
    } finally {
      tf.dispose([rawTrain, xTrain, xTest.raw, xTest.scaled, yTrain]);
      model.dispose();
    }
  },
} satisfies Experiment;

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
