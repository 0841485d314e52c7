/**
 * Kata 06's contract: the types and constants that the stubs, the reference solution and the tests
 * share, declared once. Not a file to edit.
 *
 * @example Usage
 * ```ts
 * import { BUDGET, CHALLENGE } from "./contract.ts";
 * console.log(BUDGET.learningRate, CHALLENGE.targetR2); // 0.01 0.8
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { TrainedRegressor } from "@lib/data/heatmap_challenge.ts";
import { deepFreeze } from "@lib/core/freeze.ts";

export { CHALLENGE, type TrainedRegressor } from "@lib/data/heatmap_challenge.ts";

/**
 * The fixed training budget of steps 3–6: Adam at this learning rate (unless an experiment asks for
 * another), `model.fit` for `epochs` passes in mini-batches of `batchSize`, shuffled. On the tests' 400
 * training images that is 100 steps.
 */
export const BUDGET = { epochs: 2, batchSize: 8, learningRate: 1e-2 } as const;
deepFreeze(BUDGET); // graded code cannot change the rules the tests read

/** How the labels are presented to the network during training (steps 3 and 4). */
export type LabelScaling = "raw" | "minmax";

/**
 * Where the network has batch normalisation: after `"both"` hidden convolutions, after the `"first"`
 * only (the penultimate layer without it), or after `"none"`.
 */
export type BatchNormPlacement = "both" | "first" | "none";

/** Options for `buildHeatmapNet`. */
export interface NetOptions {
  /** Which hidden convolutions a BatchNormalization layer follows. */
  batchNorm: BatchNormPlacement;
  /** Adam's learning rate (default {@linkcode BUDGET}`.learningRate`). */
  learningRate?: number;
}

/** Options for `trainHeatmapRegressor`. */
export interface TrainOptions extends NetOptions {
  /** Train on the raw labels, or on labels min-max scaled to [0, 1]. */
  labels: LabelScaling;
}

/** What a regressor needs of a fitted label scaler (step 1's `MinMaxScaler` is one). */
export interface LabelScaler {
  /** The smallest fitted label. */
  readonly min: number;
  /** The largest fitted label. */
  readonly max: number;
  /** Labels → training units. */
  transform(labels: tf.Tensor): tf.Tensor;
  /** Training units → labels. */
  inverseTransform(scaled: tf.Tensor): tf.Tensor;
}

/** A trained network together with what it needs to answer in the original label units (steps 3–6). */
export interface HeatmapRegressor extends TrainedRegressor {
  /** The trained network; its output is in the units it was trained on. */
  model: tf.LayersModel;
  /** The scaler fitted on the training labels, or `null` when trained on raw labels. */
  scaler: LabelScaler | null;
  /**
   * Heat-maps in the original label units, one per image, computed in inference mode (batch norm uses
   * its moving statistics, step 5). The caller disposes the result.
   */
  predict(images: tf.Tensor4D): tf.Tensor4D;
}

/** Options for `exportRegressor` (step 6). */
export interface DeployOptions {
  /**
   * `false`: export the network as trained (its output is in the training units, e.g. [0, 1]);
   * `true`: bake the inverse label transform into the graph, so it outputs label units.
   */
  labelUnits: boolean;
}
