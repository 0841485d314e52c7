/**
 * Kata 06's experiment: the heat-map regressor trained with or without batch norm on raw or min-max-scaled
 * labels (or step 7's reference), and its held-out predictions against the truth. The knobs are the label
 * scaling and where batch norm sits. One configuration is trained and measured by
 * {@linkcode trainAndMeasure}: the lab's `run` calls it once with the knobs' configuration, `deno task demo 06`
 * once for each configuration it compares.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { generateHeatmapData } from "@lib/data/heatmaps.ts";
import { type FitObserver, observeTraining } from "@lib/models/observe_training.ts";
import { hostCopy, onHostBackend } from "@lib/backend/host_copy.ts";
import { createRng, seedEverything } from "@lib/core/random.ts";
import {
  type BatchNormPlacement,
  BUDGET,
  type HeatmapRegressor,
  type LabelScaling,
  rSquared,
  spreadRatio,
  trainHeatmapRegressor,
  type TrainOptions,
} from "../../solutions/06-batchnorm-regression/heatmap_regressor.ts";
import {
  trainBatchNormRegressor,
  type TrainedRegressor,
} from "../../solutions/06-batchnorm-regression/challenge.ts";
import { lineChart } from "@lib/figures/plot.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import { exportRegressor } from "../../solutions/06-batchnorm-regression/deploy.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { predictedVsTrueFigure } from "./figures.ts";

/** The tests' sizes: 400 training images (100 steps of batch 8), 128 held out. */
const TRAIN_COUNT = 400;
const TEST_COUNT = 128;
/** Held-out pixels drawn in the chart (of 128 × 256). */
const SHOWN = 400;

const PLACEMENT_NAMES: Record<BatchNormPlacement, string> = {
  both: "batch norm",
  first: "batch norm on the first layer only",
  none: "no batch norm",
};

/**
 * Step 6 in the browser: the trained network exported as ONNX (label units baked in) and run by
 * onnxruntime-web on the held-out images; the reading is the largest difference from tfjs's
 * predictions, relative to the largest prediction. A learner's code without step 6 yet gets a reading
 * that says so instead of failing the run.
 */
async function onnxParity(
  regressor: HeatmapRegressor,
  images: tf.Tensor4D,
  tfjs: Float32Array | Int32Array | Uint8Array,
): Promise<Reading> {
  const label = "ONNX in onnxruntime-web vs tfjs: largest difference ÷ largest prediction";
  try {
    // The export and the feed read the weights and images with dataSync(): off the GPU.
    const weights = regressor.model.weights.map((w) => w.read());
    const onnx = await onHostBackend(
      [...weights, images],
      () => OnnxModel.predictOnce(exportRegressor(regressor, { labelUnits: true }), images),
    );
    const values = await onnx.data();
    onnx.dispose();
    let largest = 0;
    let difference = 0;
    for (let i = 0; i < tfjs.length; i++) {
      largest = Math.max(largest, Math.abs(tfjs[i]));
      difference = Math.max(difference, Math.abs(values[i] - tfjs[i]));
    }
    return { label, value: difference / largest };
  } catch (error) {
    return { label: `${label} (${(error as Error).message})`, value: NaN };
  }
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** What is trained: steps 3–5's regressor with these options, or step 7's reference (`"challenge"`). */
export type Configuration = TrainOptions | "challenge";

/**
 * The configuration's name in charts and tables.
 *
 * @example Usage
 * ```ts
 * import { configurationName } from "./experiment.ts";
 * console.log(configurationName({ batchNorm: "none", labels: "minmax" })); // "no batch norm, min-max labels"
 * ```
 * @param configuration The configuration.
 * @returns e.g. "batch norm, raw labels".
 */
export function configurationName(configuration: Configuration): string {
  if (configuration === "challenge") return "batch norm, standardised labels (step 7)";
  const labels = configuration.labels === "raw" ? "raw" : "min-max";
  return `${PLACEMENT_NAMES[configuration.batchNorm]}, ${labels} labels`;
}

/** One configuration trained on the seed's training images and measured on its held-out images. */
export interface Measurement {
  /** {@linkcode configurationName}. */
  name: string;
  /** Held-out R² over every pixel, in label units. */
  r2: number;
  /** Standard deviation of the held-out predictions ÷ that of the labels. */
  spread: number;
  /** Mean held-out prediction, in label units. */
  meanPrediction: number;
  /** Mean held-out label. */
  meanLabel: number;
  /** True value at each of the 400 held-out pixels a figure shows (the same pixels for every configuration). */
  truth: number[];
  /** Prediction at those pixels, in label units. */
  predicted: number[];
  /** Data, budget and seed, for a figure's subtitle. */
  setup: string;
  /** Step 6 (only when asked for): onnxruntime-web's predictions against tfjs's. */
  onnx?: Reading;
}

/** How {@linkcode trainAndMeasure} reports as it works. */
export interface MeasureOptions {
  /** Watches training: a progress bar (labelled with the configuration's name), the loss after each step. */
  observer?: FitObserver;
  /**
   * When given, the network is also exported as ONNX and run by onnxruntime-web (step 6; not for
   * `"challenge"`); called as that starts.
   */
  onDeploy?: () => void;
}

/**
 * Trains one configuration on the seed's 400 training images (every random draw seeded from `seed`, so every
 * configuration starts from the same data) and measures it on the seed's 128 held-out images.
 *
 * @example Usage
 * ```ts ignore
 * import { trainAndMeasure } from "./experiment.ts";
 * const { r2, spread } = await trainAndMeasure({ batchNorm: "both", labels: "minmax" }, 42);
 * ```
 * @param configuration What to train.
 * @param seed The seed of the data, the initial weights and the batch order.
 * @param options Progress, and whether to check the ONNX export.
 * @returns The held-out measurements.
 */
export async function trainAndMeasure(
  configuration: Configuration,
  seed: number,
  { observer = {}, onDeploy }: MeasureOptions = {},
): Promise<Measurement> {
  const train = generateHeatmapData({ count: TRAIN_COUNT, seed: 2 * seed });
  const test = generateHeatmapData({ count: TEST_COUNT, seed: 2 * seed + 1 });
  const truth = test.labels.dataSync();
  const rng = createRng(seed);
  const shown = Array.from({ length: SHOWN }, () => rng.int(truth.length));
  const name = configurationName(configuration);
  const steps = (TRAIN_COUNT / BUDGET.batchSize) * BUDGET.epochs;
  let regressor: TrainedRegressor | undefined;
  let predictions: tf.Tensor4D | undefined;
  try {
    seedEverything(seed);
    regressor = await observeTraining(
      { label: name, ...observer },
      () =>
        configuration === "challenge"
          ? trainBatchNormRegressor(train.images, train.labels)
          : trainHeatmapRegressor(train.images, train.labels, configuration),
    );
    const predicted = regressor.predict(test.images);
    predictions = await hostCopy(predicted); // the learner's metrics call dataSync(): WebGPU-safe
    predicted.dispose();
    const values = predictions.dataSync();
    const measurement: Measurement = {
      name,
      r2: rSquared(test.labels, predictions),
      spread: spreadRatio(test.labels, predictions),
      meanPrediction: mean(values),
      meanLabel: mean(truth),
      truth: shown.map((i) => truth[i]),
      predicted: shown.map((i) => values[i]),
      setup: `${TRAIN_COUNT} training / ${TEST_COUNT} held-out 16×16 images, ${steps} Adam steps ` +
        `(${BUDGET.learningRate}), batch ${BUDGET.batchSize}, seed ${seed}; ${SHOWN} random held-out pixels`,
    };
    if (onDeploy && configuration !== "challenge") {
      onDeploy();
      measurement.onnx = await onnxParity(regressor as HeatmapRegressor, test.images, values);
    }
    return measurement;
  } finally {
    tf.dispose([train.images, train.labels, test.images, test.labels]);
    predictions?.dispose();
    regressor?.model.optimizer?.dispose(); // compiled with its own Adam, which the model does not dispose
    regressor?.model.dispose();
  }
}

/** Kata 06's experiment. */
export const experiment: Experiment = {
  lesson: "With labels around 1e-3, a batch-norm network on raw labels does not predict the mean: its " +
    "predictions spread far wider than the labels (R² ≪ 0). Scale the labels to [0, 1] and invert at " +
    "inference, and the same network fits; exported as ONNX, onnxruntime-web runs it like tfjs. Try the knobs: " +
    "raw vs min-max labels, and where batch norm sits.",
  knobs: [
    {
      name: "labels",
      label: "labels",
      options: [{ value: "raw", label: "raw (≈ 1e-3)" }, { value: "minmax", label: "min-max scaled" }],
      default: "raw",
    },
    {
      name: "batchNorm",
      label: "batch norm",
      options: [
        { value: "both", label: "after both hidden layers" },
        { value: "first", label: "after the first layer only" },
        { value: "none", label: "without" },
      ],
      default: "both",
    },
  ],
  async run(settings, { seed, onProgress }) {
    const configuration = {
      labels: settings.labels as LabelScaling,
      batchNorm: settings.batchNorm as BatchNormPlacement,
    };
    const name = configurationName(configuration);
    const total = (TRAIN_COUNT / BUDGET.batchSize) * BUDGET.epochs;
    const losses: { x: number; y: number; series: string }[] = [];
    const lossChart = (): Chart => ({
      name: "training-loss",
      spec: lineChart({
        title: "Training loss per step",
        subtitle: `${name}; mean squared error in the units trained on`,
        points: losses,
        x: { title: "step (batch of 8 images)" },
        y: { title: "training loss (log scale)", log: true },
        seriesTitle: "network",
        width: 420,
        height: 220,
      }),
    });
    const measured = await trainAndMeasure(configuration, seed, {
      observer: {
        onBatchLoss: (loss, step) => {
          if (Number.isFinite(loss) && loss > 0) losses.push({ x: step, y: loss, series: name });
          const charts = step % 5 === 0 || step === total ? [lossChart()] : undefined;
          onProgress({ fraction: step / total, stage: `training: ${name}`, ...(charts ? { charts } : {}) });
        },
      },
      onDeploy: () =>
        onProgress({ fraction: 1, stage: "deployment: the network as ONNX, run by onnxruntime-web" }),
    });
    // the tests calibrate the network with batch norm after both layers under these two names
    const measure = configuration.batchNorm === "both" ? configuration.labels : undefined;
    const readings: Reading[] = [
      { label: "training loss, first step", value: losses[0]?.y ?? NaN },
      { label: "training loss, last step", value: losses.at(-1)?.y ?? NaN },
      { label: "held-out R²", value: measured.r2, ...(measure ? { measure: `R² ${measure}` } : {}) },
      {
        label: "prediction std / label std",
        value: measured.spread,
        ...(measure ? { measure: `spread ratio ${measure}` } : {}),
      },
      { label: "mean held-out prediction", value: measured.meanPrediction },
      { label: "mean held-out label", value: measured.meanLabel },
      measured.onnx!,
    ];
    const charts = [lossChart(), {
      name: "predicted-vs-true",
      spec: predictedVsTrueFigure({
        truth: measured.truth,
        panels: [{ name, r2: measured.r2, predicted: measured.predicted }],
        setup: measured.setup,
      }),
    }];
    onProgress({ fraction: 1, stage: "done", charts, readings });
    return { readings, charts };
  },
};
