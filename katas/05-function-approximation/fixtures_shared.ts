/**
 * What `network_test.ts` and `depth_width_test.ts` share: the seeded training set, the test's own
 * error measurement against the exact function, and the seed's 3×128 MLP trained with `TRAINING`.
 * The two test files run side by side (one `deno test` process each), each training what it needs; a
 * network trained here from the same seed stream is the same network in both.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@lib/backend/init.ts";
import { once } from "@lib/testing/once.ts";
import { createRng, kataSeed, type Rng, seedEverything } from "@lib/core/random.ts";
import {
  buildMlp,
  DEEP,
  type Domain,
  sampleFunction,
  SHIFTED_DOMAIN,
  train,
  TRAIN_DOMAIN,
  TRAINING,
} from "./network.ts";

await initBackend();

/** The run's seed (`KATA_SEED`, default 42). */
export const SEED: number = kataSeed();
/** Training set: 1,024 measurements with noise of standard deviation 0.05. */
export const TRAIN_SIZE = 1024;
/** The standard deviation of the measurement noise. */
export const NOISE = 0.05;

/** `n` exact values of sin(x) + y at random points of `domain`, drawn by the test itself. */
function truth(n: number, domain: Domain, rng: Rng): { inputs: tf.Tensor2D; values: tf.Tensor2D } {
  const points = Array.from({ length: n }, () => [
    domain.x[0] + (domain.x[1] - domain.x[0]) * rng.uniform(),
    domain.y[0] + (domain.y[1] - domain.y[0]) * rng.uniform(),
  ]);
  return {
    inputs: tf.tensor2d(points),
    values: tf.tensor2d(points.map(([x, y]) => [Math.sin(x) + y])),
  };
}

/** The test's own mean squared error of `model` against the exact function on `domain`. */
function errorOn(model: tf.LayersModel, domain: Domain, rng: Rng): number {
  const { inputs, values } = truth(2000, domain, rng);
  const mse = tf.tidy(() =>
    tf.losses.meanSquaredError(values, model.predict(inputs, { batchSize: 500 }) as tf.Tensor).dataSync()[0]
  );
  tf.dispose([inputs, values]);
  return mse;
}

/** A trained network, its per-step losses and its errors on both domains. */
export interface Trained {
  /** The trained network. */
  model: tf.LayersModel;
  /** `train`'s losses, one per step. */
  losses: number[];
  /** Mean squared error against sin(x) + y at 2,000 fresh points of `TRAIN_DOMAIN`. */
  inDomain: number;
}

/** Builds `hidden` with seeded initial weights (stream `stream`) and trains it on the seeded training set. */
export function trainedMlp(hidden: readonly number[], stream: number): Trained {
  seedEverything(SEED * 1000 + stream);
  const rng = createRng(SEED);
  const data = sampleFunction(TRAIN_SIZE, TRAIN_DOMAIN, NOISE, rng);
  const model = buildMlp(hidden);
  const losses = train(model, data, TRAINING, rng);
  tf.dispose([data.inputs, data.targets]);
  return { model, losses, inDomain: errorOn(model, TRAIN_DOMAIN, createRng(SEED + 1)) };
}

/**
 * The seed's 3×128 MLP, trained once per test file on first use, with its error on
 * `SHIFTED_DOMAIN` as well (2,000 fresh points there).
 */
export const deep: () => Trained & { shifted: number } = once(() => {
  const trained = trainedMlp(DEEP, 1);
  return { ...trained, shifted: errorOn(trained.model, SHIFTED_DOMAIN, createRng(SEED + 2)) };
});
