/**
 * Kata 02's contract: the constants, types and interfaces that the stubs, the reference solution and
 * the tests share, declared once. The stubs re-export what their users need; the solution imports this
 * file from `katas/02-overfitting-variance/`. Not a file to edit.
 *
 * @example Usage
 * ```ts
 * import { EPOCHS, HIDDEN_UNITS, LEARNING_RATE } from "./contract.ts";
 * console.log(HIDDEN_UNITS, LEARNING_RATE, EPOCHS); // 12 0.03 10
 * ```
 * @module
 */
import type { Dataset, Features } from "@lib/data/genomics.ts";

export type { Dataset, Features };
export {
  CHALLENGE_BUDGET,
  CHALLENGE_TARGET,
  type Classifier,
  type FitClassifier,
} from "@lib/data/genomics_challenge.ts";

/** Hidden units of the 2-layer network. */
export const HIDDEN_UNITS = 12;
/** Step size of full-batch gradient descent (`tf.train.sgd`). */
export const LEARNING_RATE = 0.03;
/** Full-batch gradient steps per training run. */
export const EPOCHS = 10;

/** How to train one network. */
export interface TrainOptions {
  /** Initialisation seed: the same seed must give the same initial weights and the same result. */
  seed: number;
  /** L2 strength on the first layer's kernel, as `tf.regularizers.l2({ l2 })` (0 or absent: none). */
  l2?: number;
  /** L1 strength on the first layer's kernel, applied as a proximal step (0 or absent: none). */
  l1?: number;
  /** Gradient steps (default {@linkcode EPOCHS}; 0 returns the initialised network). */
  epochs?: number;
}

/** Summary statistics of a list of accuracies. */
export interface Spread {
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation (divides by n − 1). */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** `max − min`. */
  range: number;
}

/** A regulariser on the first layer's kernel. */
export type Penalty = "l1" | "l2";

/** A principal component analysis fitted on one data set. */
export interface PcaModel {
  /** Per-feature mean of the data it was fitted on. */
  mean: Float64Array;
  /** The principal directions, largest variance first: unit vectors of length `features`. */
  components: Float64Array[];
  /** Per component, its share of the fitted data's total variance (decreasing). */
  explainedVarianceRatio: number[];
  /**
   * Projects `data` on the components: row `i`, column `k` is `(x_i − mean) · components[k]`.
   * Keeps the labels. Throws a `RangeError` naming the features when `data` has a
   * different number of features than the fitted data.
   */
  transform(data: Dataset): Dataset;
}

/** An RBF support vector machine's two knobs. */
export interface SvmSettings {
  /** Kernel width: `k(a, b) = exp(−gamma · ‖a − b‖²)`. */
  gamma: number;
  /** Penalty C on margin violations. */
  cost: number;
}

/** A test set that can be scored once. */
export interface SealedTestSet {
  /** Number of test samples. */
  readonly samples: number;
  /**
   * Calls `predict` with a fresh copy of the test features (never the labels: what `predict`
   * writes into its copy cannot change the sealed set) and returns the share of its
   * 0/1 predictions that match the hidden labels. A second call throws an `Error` saying
   * the test set is used only once, why, and what to use instead (cross-validation on the
   * development data). A call whose `predict` throws, or returns the wrong number of
   * predictions (a `RangeError`), scores nothing and does not use the test set up.
   */
  evaluate(predict: (features: Features) => number[] | Promise<number[]>): Promise<number>;
}
