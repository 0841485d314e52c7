/**
 * Kata 04's challenge (step 6): a sampler of futures whose samples land on the branches, in the
 * data's shares. README step 6 states the target, the budget and what is off limits.
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { TrainOptions, TrajectorySampler } from "./contract.ts";

export { CHALLENGE } from "./contract.ts";

/**
 * Step 6, the challenge. Trains a sampler of futures on `past` and `future`. For pasts it has
 * never seen, `sample(past, k)` must return `k` futures per past (`[n, k, FUTURE_STEPS, 2]`)
 * that reach every branch, split over the branches like the data, and rarely end between two
 * branches; see `CHALLENGE` for the exact targets and the budget (elements computed by tfjs kernels:
 * work in plain JavaScript is not metered).
 *
 * @param _past Observed points, `[n, OBSERVED_STEPS, 2]`.
 * @param _future What happened next, `[n, FUTURE_STEPS, 2]`.
 * @param _options Seed of the training's randomness.
 * @returns The trained sampler; samples are absolute coordinates.
 */
export function trainBranchSampler(
  _past: tf.Tensor3D,
  _future: tf.Tensor3D,
  _options?: TrainOptions,
): Promise<TrajectorySampler> {
  return notImplemented("trainBranchSampler", 6);
}
