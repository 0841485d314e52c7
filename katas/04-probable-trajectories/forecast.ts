/**
 * Kata 04 — probable trajectories. Predict every likely future of a trajectory, not one.
 *
 * The data come from `@lib/data/trajectories.ts`: agents observed for 10 points while they
 * drive north to a junction, then turning left (30 %), going straight (40 %) or turning
 * right (30 %) for 6 more points. Implement the functions below in the order of the
 * README's steps; the types and constants are given (in `contract.ts`).
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { BestOfK, GridSpec, Regressor, TrainOptions, TrajectorySampler } from "./contract.ts";

export { KATA_GRID } from "./contract.ts";
export type { BestOfK, GridSpec, Regressor, TrainOptions, TrajectorySampler } from "./contract.ts";

/**
 * Step 1. The number of classes a softmax needs to give every path its own probability:
 * a path visits one of `gridSize²` cells at each of `futureSteps` steps, and every
 * combination is a different class.
 *
 * Throws an `Error` naming the parameter when `gridSize` or `futureSteps` is not a
 * positive integer.
 *
 * @param _gridSize Cells per side of the grid.
 * @param _futureSteps Points per future path.
 * @returns The number of distinct cell sequences, exactly (a `bigint`: it overflows a `number`).
 */
export function pathClassCount(_gridSize: number, _futureSteps: number): bigint {
  return notImplemented("pathClassCount", 1);
}

/**
 * Step 2. Trains a deterministic sequence regressor with mean squared error: a recurrent
 * encoder (RNN, GRU or LSTM) reads the observed points, a dense head outputs the 6 future
 * points.
 *
 * Throws an `Error` when `past` is not `[n, OBSERVED_STEPS, 2]` or `future` is not
 * `[n, FUTURE_STEPS, 2]` with the same `n` (say which shape was expected and which came);
 * `predict` checks its input the same way.
 *
 * `options.seed` drives the training's own randomness (the same seed, the same model; another
 * seed, another); the training frees what each step allocates and leaves `past` and `future`
 * as they were.
 *
 * @param _past Observed points, `[n, OBSERVED_STEPS, 2]`.
 * @param _future What happened next, `[n, FUTURE_STEPS, 2]`.
 * @param _options Seed of the training's randomness.
 * @returns The trained model; `predict` returns absolute coordinates.
 */
export function trainRegressor(
  _past: tf.Tensor3D,
  _future: tf.Tensor3D,
  _options?: TrainOptions,
): Promise<Regressor> {
  return notImplemented("trainRegressor", 2);
}

/**
 * Step 3. Best-of-K errors of `k` sampled futures against the future that happened:
 * for each input, ADE of a sample is its mean distance to the truth over the steps, FDE
 * its distance at the last step; minADE takes the smallest ADE among the `k` samples and
 * minFDE the smallest FDE (each minimised on its own), both averaged over the inputs.
 *
 * Throws an `Error` when `samples` is not `[n, k, steps, 2]` or `truth` is not
 * `[n, steps, 2]` with the same `n` and `steps`.
 *
 * @param _samples Sampled futures, `[n, k, steps, 2]`; a deterministic model is `k = 1`.
 * @param _truth The futures that happened, `[n, steps, 2]`.
 * @returns minADE and minFDE.
 */
export function minAdeFde(_samples: tf.Tensor4D, _truth: tf.Tensor3D): BestOfK {
  return notImplemented("minAdeFde", 3);
}

/**
 * Step 4. Trains a conditional variational auto-encoder of the future given the past: a
 * recurrent encoder of the past, a posterior network q(z | past, future) giving the mean
 * and log-variance of a latent z (reparameterisation trick: z = μ + σ·ε), a decoder of
 * the future from (past encoding, z), and the loss reconstruction + KL(q ‖ N(0, I)),
 * minimised in a custom training loop. `sample` draws z from N(0, I) `k` times per past.
 *
 * Throws an `Error` on the same bad shapes as {@linkcode trainRegressor}; `sample` also
 * rejects a `k` that is not a positive integer.
 *
 * @param _past Observed points, `[n, OBSERVED_STEPS, 2]`.
 * @param _future What happened next, `[n, FUTURE_STEPS, 2]`.
 * @param _options Seed of the training's randomness.
 * @returns The trained sampler; samples are absolute coordinates.
 */
export function trainCvae(
  _past: tf.Tensor3D,
  _future: tf.Tensor3D,
  _options?: TrainOptions,
): Promise<TrajectorySampler> {
  return notImplemented("trainCvae", 4);
}

/**
 * Step 5. The occupancy map of one input's sampled futures: for every future step, the
 * share of the `k` samples in each grid cell. `map[t][row][col]` counts the samples whose
 * point `t` has `y` in row `row` and `x` in column `col` (row 0 and column 0 at `grid.min`);
 * a point outside the grid counts in the nearest border cell, so each step sums to 1.
 *
 * Throws an `Error` when `samples` is not `[k, steps, 2]` with `k ≥ 1`, or when the grid
 * has a size that is not a positive integer or `max <= min`.
 *
 * @param _samples One input's sampled futures, `[k, steps, 2]`.
 * @param _grid The grid.
 * @returns The probability maps, `[steps, grid.size, grid.size]`.
 */
export function occupancyGrid(_samples: tf.Tensor3D, _grid: GridSpec): tf.Tensor3D {
  return notImplemented("occupancyGrid", 5);
}
