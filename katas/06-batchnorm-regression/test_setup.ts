/**
 * What kata 06's test files share: the seeded blob images, and the learner's regressors trained on them
 * (once per setting, per test file). Test support, not a file to edit: the solution has no counterpart,
 * so it always runs from `katas/`.
 *
 * `heatmap_regressor_test.ts` and `without_batch_norm_test.ts` train on raw labels, `scaled_labels_test.ts`
 * on min-max labels, `challenge_test.ts` runs the challenge; `deno task kata 06` runs the files side by
 * side.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { challengeData } from "@lib/data/heatmap_challenge.ts";
import { measured } from "@lib/testing/measure.ts";
import { once, oncePer } from "@lib/testing/once.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import { BUDGET, type HeatmapRegressor, type TrainOptions } from "./contract.ts";
import { rSquared, spreadRatio, trainHeatmapRegressor } from "./heatmap_regressor.ts";

/** The run's seed (`KATA_SEED`). */
export const SEED: number = kataSeed();

/**
 * 400 training images (`BUDGET`, 2 epochs of batch 8, makes that 100 steps) and 128 held-out images
 * with heat-map labels in [0, ~1e-2]; the challenge's data too.
 */
export const data = once(() => {
  const { train, heldOut } = challengeData(SEED);
  return { train, test: heldOut };
});

/** What a trained regressor does on the held-out images, in label units. */
export interface Outcome {
  /** The learner's trained regressor. */
  regressor: HeatmapRegressor;
  /** Held-out R² of `regressor.predict` (inference mode, label units). */
  r2: number;
  /** Held-out prediction std / label std. */
  spread: number;
}

/**
 * The name a setting's measurements carry: `raw` / `minmax` for the batch-norm network at the budget's
 * learning rate, then what differs, e.g. `raw, no batch norm, Adam 0.001`.
 *
 * @example Usage
 * ```ts ignore
 * settingName({ labels: "raw", batchNorm: "first" }); // "raw, batch norm on the first layer only"
 * ```
 */
export function settingName({ labels, batchNorm, learningRate = BUDGET.learningRate }: TrainOptions): string {
  const parts: string[] = [labels];
  if (batchNorm === "none") parts.push("no batch norm");
  if (batchNorm === "first") parts.push("batch norm on the first layer only");
  if (learningRate !== BUDGET.learningRate) parts.push(`Adam ${learningRate}`);
  return parts.join(", ");
}

/**
 * Trains the learner's regressor once per setting from the seed's initial weights (the same for every
 * setting with the same layers) and scores it on the held-out images, reporting `R² <setting>` and
 * `spread ratio <setting>`.
 */
export const trained: (options: TrainOptions) => Promise<Outcome> = oncePer(async (options: TrainOptions) => {
  const { train, test } = data();
  seedEverything(SEED);
  const regressor = await trainHeatmapRegressor(train.images, train.labels, options);
  const predictions = regressor.predict(test.images);
  try {
    const name = settingName(options);
    return {
      regressor,
      r2: measured(`R² ${name}`, rSquared(test.labels, predictions)),
      spread: measured(`spread ratio ${name}`, spreadRatio(test.labels, predictions)),
    };
  } finally {
    predictions.dispose();
  }
});

/**
 * The share of the last hidden layer's units (the layer before the 1×1 head) that are active (> 0)
 * over the held-out images: near 0 when its ReLUs have died.
 */
export function activeShare(regressor: HeatmapRegressor, images: tf.Tensor4D): number {
  const { model } = regressor;
  const hidden = tf.model({ inputs: model.inputs, outputs: model.layers[model.layers.length - 2].output });
  return tf.tidy(() => (hidden.predict(images) as tf.Tensor).greater(0).mean().dataSync()[0]);
}

/**
 * The regressor's heat-maps in label units with batch norm in training mode, i.e. normalising
 * with the statistics of `images` themselves instead of the moving statistics. In tfjs, calling
 * a model in training mode also updates batch norm's moving statistics, so this keeps a copy of
 * the weights and puts it back afterwards: the regressor is unchanged. The caller disposes the
 * result.
 */
export function predictWithBatchStatistics(regressor: HeatmapRegressor, images: tf.Tensor4D): tf.Tensor {
  const saved = regressor.model.getWeights().map((w) => w.clone());
  try {
    return tf.tidy(() => {
      const out = regressor.model.apply(images, { training: true }) as tf.Tensor;
      return regressor.scaler ? regressor.scaler.inverseTransform(out) : out;
    });
  } finally {
    regressor.model.setWeights(saved);
    tf.dispose(saved);
  }
}
