// deno-lint-ignore-file no-unused-vars -- the stubs name the arguments the learner will use
/**
 * Kata 02, steps 1–3: a 2-layer network on 10,000 features and 70 training samples, how
 * much its validation accuracy depends on the initialisation, and what L2 and L1 do to it.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Dataset, Features, Penalty, Spread, TrainOptions } from "./contract.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";

export {
  EPOCHS,
  HIDDEN_UNITS,
  LEARNING_RATE,
  type Penalty,
  type Spread,
  type TrainOptions,
} from "./contract.ts";

/**
 * Step 1. The number of trainable parameters of a dense layer: one weight per input and
 * unit, plus one bias per unit. Throws a `RangeError` naming the argument when `inputs` or
 * `units` is not a positive integer.
 *
 * @param inputs Inputs to the layer.
 * @param units Units (outputs) of the layer.
 * @returns The parameter count, e.g. 120,012 for (10,000, 12).
 */
export function denseParams(inputs: number, units: number): number {
  return notImplemented("denseParams", 1);
}

/**
 * Step 1. The network: `inputs` → Dense({@linkcode HIDDEN_UNITS}, relu) → Dense(1, sigmoid).
 * With `l2 > 0`, the first layer's kernel gets `tf.regularizers.l2({ l2 })`. Not compiled.
 *
 * @param inputs Features per sample.
 * @param options L2 strength of the first layer's kernel.
 * @returns An uncompiled `tf.Sequential`.
 */
export function buildNet(inputs: number, options: { l2?: number } = {}): tf.Sequential {
  return notImplemented("buildNet", 1);
}

/**
 * Steps 2–3. Trains a fresh {@linkcode buildNet} network on `train`: seed tfjs's randomness
 * with `options.seed` (`seedEverything` from `@lib/core/random.ts`) while the weights are
 * initialised, compile with `tf.train.sgd(LEARNING_RATE)` and binary cross-entropy, then
 * take `epochs` full-batch steps (`model.trainOnBatch` on all of `train`). With `l1 > 0`,
 * after every step replace each first-layer kernel weight `w` by
 * `sign(w) · max(|w| − LEARNING_RATE · l1, 0)` (soft-thresholding, the proximal step of L1).
 * Dispose the tensors you create.
 *
 * @param train Training rows.
 * @param options Seed, penalties and steps.
 * @returns The trained model (the caller disposes it).
 */
export function trainNet(train: Dataset, options: TrainOptions): Promise<tf.Sequential> {
  return notImplemented("trainNet", 2);
}

/**
 * Step 2. The network's 0/1 prediction for every row of `data`: 1 where its output
 * probability is above 0.5. Throws a `RangeError` naming the features when `data` does not
 * have as many features as the model's input.
 *
 * @param model A trained network.
 * @param data Rows to predict (labels, if any, are not used).
 * @returns One label per row.
 */
export function predictLabels(model: tf.LayersModel, data: Features): number[] {
  return notImplemented("predictLabels", 2);
}

/**
 * Step 2. The share of `predicted` equal to `labels`. Throws a `RangeError` when the lengths
 * differ or are 0.
 *
 * @param predicted 0/1 predictions.
 * @param labels The true labels, same order.
 * @returns Accuracy in [0, 1].
 */
export function accuracy(predicted: readonly number[], labels: ArrayLike<number>): number {
  return notImplemented("accuracy", 2);
}

/**
 * Step 2. How often runs disagree: the mean, over every pair of runs, of the share of
 * samples on which the two predict different labels (0: identical predictions; 0.5: as
 * unrelated as coin flips). Throws a `RangeError` for fewer than 2 runs or runs of
 * different lengths.
 *
 * @param runs One array of 0/1 predictions per run, all for the same samples.
 * @returns The mean pairwise disagreement in [0, 1].
 */
export function disagreement(runs: readonly (readonly number[])[]): number {
  return notImplemented("disagreement", 2);
}

/**
 * Step 2. Mean, sample standard deviation, minimum, maximum and range of `values`. Throws a
 * `RangeError` for fewer than 2 values (a spread needs at least two).
 *
 * @param values Accuracies.
 * @returns Their summary.
 */
export function summarize(values: readonly number[]): Spread {
  return notImplemented("summarize", 2);
}

/**
 * Step 2. Trains one network per seed on `train` (same data, same options, only the
 * initialisation changes) and returns each one's {@linkcode predictLabels} for `data`, in
 * seed order. Disposes every model.
 *
 * @param train Training rows.
 * @param data Rows to predict, e.g. the validation split.
 * @param seeds Initialisation seeds.
 * @param options Penalties and steps, shared by every run.
 * @returns One array of predicted labels per seed.
 */
export function predictOverSeeds(
  train: Dataset,
  data: Features,
  seeds: readonly number[],
  options: Omit<TrainOptions, "seed"> = {},
): Promise<number[][]> {
  return notImplemented("predictOverSeeds", 2);
}

/**
 * Step 3. Chooses a penalty's strength on the validation data: for each strength, trains one
 * network per initialisation seed, scores each on `val` ({@linkcode accuracy} of its
 * {@linkcode predictLabels}), and averages the scores over the seeds; returns the strength with
 * the best mean score, and on a tie (means within 1e-9) the stronger penalty, whatever the
 * order of `strengths`. Throws a `RangeError` for an empty list of strengths or of seeds.
 *
 * @param train Training rows.
 * @param val Validation rows.
 * @param penalty "l1" or "l2".
 * @param strengths Candidate strengths, e.g. 1e-4 … 30.
 * @param seeds Initialisation seeds: every strength is trained once from each.
 * @returns The chosen strength and every strength's mean validation accuracy (same order).
 */
export function chooseStrength(
  train: Dataset,
  val: Dataset,
  penalty: Penalty,
  strengths: readonly number[],
  seeds: readonly number[],
): Promise<{ strength: number; scores: number[] }> {
  return notImplemented("chooseStrength", 3);
}
