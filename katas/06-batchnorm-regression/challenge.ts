/**
 * Kata 06, step 7: the challenge. You decide how; the tests only measure the outcome. The
 * README's step 7 states the rules.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { TrainedRegressor } from "./contract.ts";

export { CHALLENGE, type TrainedRegressor } from "./contract.ts";

/**
 * Step 7 (challenge). Your team keeps batch normalisation in its heat-map network. Train a
 * regressor on these images and their raw labels (≥ 0, about 1e-2 at most) whose
 * heat-maps, in the labels' own units and with batch norm in inference mode, reach a
 * held-out R² of at least `CHALLENGE.targetR2` on images it has never seen.
 *
 * The budget and the rules (`CHALLENGE` in `contract.ts`, frozen): at most `maxSteps` optimizer
 * steps (the test counts gradient computations while this runs) and `maxParams` parameters; at least `minBatchNormLayers` BatchNormalization layers,
 * all on the way to the output; return the model compiled with the optimizer that trained
 * it; `predict` answers in label units, in inference mode. Train on what you are given:
 * the tests draw the held-out images themselves, with a seed your code does not get.
 */
export function trainBatchNormRegressor(
  _images: tf.Tensor4D,
  _labels: tf.Tensor4D,
): Promise<TrainedRegressor> {
  return notImplemented("trainBatchNormRegressor", 7);
}
