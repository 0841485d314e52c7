/**
 * Kata 06's experiment: the batch-norm (or plain) heat-map regressor trained on raw or min-max-scaled labels,
 * and its held-out predictions against the truth. The knobs are the label scaling, batch norm, and batch
 * norm's momentum (tfjs's default 0.99 against the solution's 0.9). `deno task demo 06` and the lab run it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { generateHeatmapData } from "@lib/data/heatmaps.ts";
import { observeTraining } from "@lib/models/observe_training.ts";
import { hostCopy } from "@lib/backend/host_copy.ts";
import { createRng, seedEverything } from "@lib/core/random.ts";
import {
  type BatchNormPlacement,
  BUDGET,
  type HeatmapRegressor,
  type LabelScaling,
  rSquared,
  spreadRatio,
  trainHeatmapRegressor,
} from "../../solutions/06-batchnorm-regression/heatmap_regressor.ts";
import { lineChart } from "@lib/figures/plot.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import { exportRegressor } from "../../solutions/06-batchnorm-regression/deploy.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { type Panel, predictedVsTrueFigure } from "./figures.ts";

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
  onProgress: (p: { fraction: number; stage: string }) => void,
): Promise<Reading> {
  const label = "ONNX in onnxruntime-web vs tfjs: largest difference ÷ largest prediction";
  onProgress({ fraction: 1, stage: "deployment: the network as ONNX, run by onnxruntime-web" });
  try {
    const onnx = await OnnxModel.predictOnce(exportRegressor(regressor, { labelUnits: true }), images);
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
    const labelsMode = settings.labels as LabelScaling;
    const batchNorm = settings.batchNorm as BatchNormPlacement;
    const name = `${PLACEMENT_NAMES[batchNorm]}, ${labelsMode === "raw" ? "raw" : "min-max"} labels`;
    const train = generateHeatmapData({ count: TRAIN_COUNT, seed: 2 * seed });
    const test = generateHeatmapData({ count: TEST_COUNT, seed: 2 * seed + 1 });
    const truth = test.labels.dataSync();
    const rng = createRng(seed);
    const shown = Array.from({ length: SHOWN }, () => rng.int(truth.length));
    const total = (TRAIN_COUNT / BUDGET.batchSize) * BUDGET.epochs;
    const setup = `${TRAIN_COUNT} training / ${TEST_COUNT} held-out 16×16 images, ${total} Adam steps ` +
      `(${BUDGET.learningRate}), batch ${BUDGET.batchSize}, seed ${seed}; ${SHOWN} random held-out pixels`;
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
    seedEverything(seed);
    const regressor = await observeTraining(
      {
        onBatchLoss: (loss, step) => {
          if (Number.isFinite(loss) && loss > 0) losses.push({ x: step, y: loss, series: name });
          const charts = step % 5 === 0 || step === total ? [lossChart()] : undefined;
          onProgress({ fraction: step / total, stage: `training: ${name}`, ...(charts ? { charts } : {}) });
        },
      },
      () => trainHeatmapRegressor(train.images, train.labels, { labels: labelsMode, batchNorm }),
    );
    const predicted = regressor.predict(test.images);
    const predictions = await hostCopy(predicted); // the learner's metrics call dataSync(): WebGPU-safe
    predicted.dispose();
    try {
      const r2 = rSquared(test.labels, predictions);
      const spread = spreadRatio(test.labels, predictions);
      const values = predictions.dataSync();
      const panel: Panel = { name, r2, predicted: shown.map((i) => values[i]) };
      // the tests calibrate the network with batch norm after both layers under these two names
      const measure = batchNorm === "both" ? labelsMode : undefined;
      const readings: Reading[] = [
        { label: "training loss, first step", value: losses[0]?.y ?? NaN },
        { label: "training loss, last step", value: losses.at(-1)?.y ?? NaN },
        { label: "held-out R²", value: r2, ...(measure ? { measure: `R² ${measure}` } : {}) },
        {
          label: "prediction std / label std",
          value: spread,
          ...(measure ? { measure: `spread ratio ${measure}` } : {}),
        },
      ];
      readings.push(await onnxParity(regressor, test.images, values, onProgress));
      const charts = [lossChart(), {
        name: "predicted-vs-true",
        spec: predictedVsTrueFigure({ truth: shown.map((i) => truth[i]), panels: [panel], setup }),
      }];
      onProgress({ fraction: 1, stage: "done", charts, readings });
      return { readings, charts };
    } finally {
      tf.dispose([predictions, train.images, train.labels, test.images, test.labels]);
      regressor.model.dispose();
    }
  },
};
