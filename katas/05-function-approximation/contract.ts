/**
 * Kata 05's contract: the types and constants that the stubs, the reference solution and the tests
 * share, declared once. The stubs re-export what their users need; the solution imports this file.
 *
 * @example Usage
 * ```ts
 * import { DEEP, TRAIN_DOMAIN, TRAINING } from "./contract.ts";
 * console.log(DEEP, TRAIN_DOMAIN.x, TRAINING.steps); // [128, 128, 128] [0, 6.28…] 800
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { deepFreeze } from "@lib/core/freeze.ts";
export type { FarChallenge, Point, Predictor, Sensor } from "@lib/data/periodic_signal.ts";

/** A rectangle of the (x, y) plane: `x` in `[x[0], x[1]]`, `y` in `[y[0], y[1]]`. */
export interface Domain {
  /** The range of x, low then high. */
  x: readonly [number, number];
  /** The range of y, low then high. */
  y: readonly [number, number];
}

/** Where the measurements come from: one period of sin in x, y in [-1, 1]. */
export const TRAIN_DOMAIN: Domain = { x: [0, 2 * Math.PI], y: [-1, 1] };
deepFreeze(TRAIN_DOMAIN); // graded code cannot change the rules the tests read

/** The same rectangle moved to x in [4π, 6π]: sin repeats there, the data does not. */
export const SHIFTED_DOMAIN: Domain = { x: [4 * Math.PI, 6 * Math.PI], y: [-1, 1] };
deepFreeze(SHIFTED_DOMAIN); // graded code cannot change the rules the tests read

/** Measurements: inputs `[n, 2]` (columns x, y) and targets `[n, 1]`. */
export interface Samples {
  /** `[n, 2]`: x then y. */
  inputs: tf.Tensor2D;
  /** `[n, 1]`: sin(x) + y plus noise. */
  targets: tf.Tensor2D;
}

/** How `train` trains. */
export interface TrainOptions {
  /** Optimizer steps (one mini-batch each). */
  steps: number;
  /** Samples per mini-batch, drawn with replacement. */
  batchSize: number;
  /** Adam's learning rate at the first step. */
  learningRate: number;
  /** The learning rate at the last step; it decays exponentially in between. */
  finalLearningRate: number;
}

/** The budget every test trains with (calibrated: see the README). */
export const TRAINING: TrainOptions = {
  steps: 800,
  batchSize: 64,
  learningRate: 1e-2,
  finalLearningRate: 1e-4,
};
deepFreeze(TRAINING); // graded code cannot change the rules the tests read

/** The seed's architecture: three hidden layers of 128 ReLU units. */
export const DEEP: readonly number[] = [128, 128, 128];
deepFreeze(DEEP); // graded code cannot change the rules the tests read

/**
 * Step 6, the challenge. A {@linkcode Sensor} measures the machine (noisily, inside its domain, up to
 * its budget); a {@linkcode Predictor} maps `[x, y]` points to predictions; {@linkcode FAR_CHALLENGE}
 * holds the rules (where to measure, where predictions are scored, the budget, the target);
 * {@linkcode PERIOD_RANGE} is what is known of the machine's period.
 */
export { FAR_CHALLENGE, PERIOD_RANGE } from "@lib/data/periodic_signal.ts";
