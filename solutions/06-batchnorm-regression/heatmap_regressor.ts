/**
 * Kata 06, steps 2–5 (reference solution): a small convolutional network with batch
 * normalisation that regresses per-pixel heat-maps, trained on raw or min-max-scaled labels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { adam } from "@lib/models/fused_adam.ts";
import { BUDGET, type HeatmapRegressor, type NetOptions, type TrainOptions } from "./contract.ts";
import { MinMaxScaler } from "./label_scaler.ts";

export {
  type BatchNormPlacement,
  BUDGET,
  type HeatmapRegressor,
  type LabelScaling,
  type NetOptions,
  type TrainOptions,
} from "./contract.ts";

/**
 * Moving-average momentum of the BatchNormalization layers. tfjs's default, 0.99, averages
 * over ~100 steps and still carries 0.99^100 ≈ 37 % of its initial statistics (mean 0,
 * variance 1) after this kata's 100 steps; 0.9 averages over ~10 steps and forgets them.
 */
const BN_MOMENTUM = 0.9;

function sameShape(name: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(
      `${name}: labels have shape [${yTrue.shape.join(", ")}] but predictions have [${
        yPred.shape.join(", ")
      }]`,
    );
  }
}

function sumOfSquares(values: ArrayLike<number>, centre: (i: number) => number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - centre(i)) ** 2;
  return sum;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Step 2. R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² over every element. */
export function rSquared(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  sameShape("rSquared", yTrue, yPred);
  const y = yTrue.dataSync();
  const p = yPred.dataSync();
  const yMean = mean(y);
  const total = sumOfSquares(y, () => yMean);
  if (!(total > 0)) throw new Error("rSquared: every label is equal, so R² is undefined (Σ(y − ȳ)² = 0)");
  return 1 - sumOfSquares(y, (i) => p[i]) / total;
}

/** Step 2. Standard deviation of the predictions divided by that of the labels, over every element. */
export function spreadRatio(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  sameShape("spreadRatio", yTrue, yPred);
  const y = yTrue.dataSync();
  const p = yPred.dataSync();
  const [yMean, pMean] = [mean(y), mean(p)];
  const labelSpread = sumOfSquares(y, () => yMean);
  if (!(labelSpread > 0)) throw new Error("spreadRatio: every label is equal, so their spread is 0");
  return Math.sqrt(sumOfSquares(p, () => pMean) / labelSpread);
}

/**
 * Step 3. Conv 3×3 (8 filters) → [BatchNorm] → ReLU → Conv 3×3 (8) → [BatchNorm] → ReLU →
 * Conv 1×1 (1 filter, linear), "same" padding, input `[16, 16, 1]`; batch norm after the
 * hidden convolutions `batchNorm` names. Convolutions followed by batch norm have no bias
 * (batch norm's β replaces it). Compiled with Adam and MSE.
 */
export function buildHeatmapNet(
  { batchNorm, learningRate = BUDGET.learningRate }: NetOptions,
): tf.Sequential {
  const model = tf.sequential();
  for (const [layer, inputShape] of [[0, [16, 16, 1]], [1, undefined]] as const) {
    const normalised = batchNorm === "both" || (batchNorm === "first" && layer === 0);
    model.add(
      tf.layers.conv2d({
        inputShape: inputShape ? [...inputShape] : undefined,
        filters: 8,
        kernelSize: 3,
        padding: "same",
        useBias: !normalised,
      }),
    );
    if (normalised) model.add(tf.layers.batchNormalization({ momentum: BN_MOMENTUM }));
    model.add(tf.layers.reLU());
  }
  model.add(tf.layers.conv2d({ filters: 1, kernelSize: 1, padding: "same" }));
  model.compile({ optimizer: adam(learningRate), loss: "meanSquaredError" });
  return model;
}

/**
 * Steps 3–5. Builds the network and trains it for {@linkcode BUDGET} on `images` →
 * `labels` (raw, or min-max scaled with a scaler fitted on these training labels). The
 * returned `predict` runs in inference mode and answers in the original label units.
 */
export async function trainHeatmapRegressor(
  images: tf.Tensor4D,
  labels: tf.Tensor4D,
  options: TrainOptions,
): Promise<HeatmapRegressor> {
  const model = buildHeatmapNet(options);
  const scaler = options.labels === "minmax" ? new MinMaxScaler().fit(labels) : null;
  const targets = scaler ? scaler.transform(labels) : labels;
  try {
    await model.fit(images, targets, {
      epochs: BUDGET.epochs,
      batchSize: BUDGET.batchSize,
      shuffle: true,
      verbose: 0,
    });
  } finally {
    if (targets !== labels) targets.dispose();
  }
  return {
    model,
    scaler,
    predict: (x) =>
      tf.tidy(() => {
        const out = model.predict(x) as tf.Tensor4D;
        return (scaler ? scaler.inverseTransform(out) : out) as tf.Tensor4D;
      }),
  };
}
