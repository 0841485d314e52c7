/**
 * What kata 05's training tests share: the seeded training set, the test's own error measurement
 * against the exact function, and the trainings, each run once per test file on first use
 * (`once`/`oncePer`). `network_test.ts` (steps 1, 2, 5) and `depth_width_test.ts` (step 4) run side by
 * side, each training what it needs. Test support, not a file to edit; it never initialises the
 * backend (each test file does, at its top).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { once, oncePer } from "@lib/testing/once.ts";
import { createRng, kataSeed, type Rng, seedEverything } from "@lib/core/random.ts";
import { DEEP, type Domain, SHIFTED_DOMAIN, TRAIN_DOMAIN, TRAINING, type TrainOptions } from "./contract.ts";
import { buildMlp, sampleFunction, train } from "./network.ts";

/** The run's seed (`KATA_SEED`, default 42). */
export const SEED: number = kataSeed();
/** Training set: 1,024 measurements with noise of standard deviation 0.05. */
export const TRAIN_SIZE = 1024;
/** The standard deviation of the measurement noise. */
export const NOISE = 0.05;

/** Step 4's deep network: three hidden layers of 32 units, 2,241 parameters. */
export const DEEP_SMALL: readonly number[] = [32, 32, 32];
/**
 * Step 4's schedules, each network's own: the best of eight (start → final rate: 1e-3 → 1e-4, 2e-3 → 2e-4,
 * 3e-3 → 1e-4, 5e-3 → 5e-5, 1e-2 → 1e-4, 2e-2 → 2e-4, 3e-2 → 3e-4, 5e-2 → 5e-4) by geometric-mean error over
 * seeds 1–5, measured with a script; each optimum has a worse schedule on both sides (README, "Depth vs width").
 */
export const SCHEDULES = {
  deep: { ...TRAINING, learningRate: 3e-2, finalLearningRate: 3e-4 },
  wide: { ...TRAINING, learningRate: 1e-2, finalLearningRate: 1e-4 },
} as const satisfies Record<string, TrainOptions>;
/** Step 4's small training set: 64 of the 1,024 measurements. */
export const FEW_SAMPLES = 64;

/** `n` points of `domain` and the exact values of sin(x) + y there, drawn by the test itself. */
export function truth(n: number, domain: Domain, rng: Rng): { points: [number, number][]; values: number[] } {
  const points = Array.from({ length: n }, (): [number, number] => [
    domain.x[0] + (domain.x[1] - domain.x[0]) * rng.uniform(),
    domain.y[0] + (domain.y[1] - domain.y[0]) * rng.uniform(),
  ]);
  return { points, values: points.map(([x, y]) => Math.sin(x) + y) };
}

/** The test's own mean squared error of `model` against the exact function at 2,000 fresh points of `domain`. */
export function errorOn(model: tf.LayersModel, domain: Domain, rng: Rng): number {
  const { points, values } = truth(2000, domain, rng);
  return tf.tidy(() => {
    const predictions = model.predict(tf.tensor2d(points), { batchSize: 500 }) as tf.Tensor;
    return tf.losses.meanSquaredError(tf.tensor2d(values, [values.length, 1]), predictions).dataSync()[0];
  });
}

/** A trained network, its per-step losses and its errors. */
export interface Trained {
  /** The trained network. */
  model: tf.LayersModel;
  /** `train`'s losses, one per step. */
  losses: number[];
  /** Mean squared error against sin(x) + y at 2,000 fresh points of `TRAIN_DOMAIN`. */
  inDomain: number;
  /** Mean squared error against the noisy measurements it was trained on. */
  onTrainingSet: number;
}

/**
 * Builds `hidden` with seeded initial weights (stream `stream`) and trains it with `options` on the
 * seed's first `size` measurements.
 */
export function trainedMlp(
  hidden: readonly number[],
  stream: number,
  options: TrainOptions,
  size = TRAIN_SIZE,
): Trained {
  seedEverything(SEED * 1000 + stream);
  const rng = createRng(SEED);
  const data = sampleFunction(size, TRAIN_DOMAIN, NOISE, rng);
  const model = buildMlp(hidden);
  const losses = train(model, data, options, rng);
  const onTrainingSet = tf.tidy(() =>
    tf.losses.meanSquaredError(data.targets, model.predict(data.inputs, { batchSize: 512 }) as tf.Tensor)
      .dataSync()[0]
  );
  tf.dispose([data.inputs, data.targets]);
  return { model, losses, inDomain: errorOn(model, TRAIN_DOMAIN, createRng(SEED + 1)), onTrainingSet };
}

/**
 * The seed's 3×128 MLP trained with `TRAINING`, once per test file on first use, with its error on
 * `SHIFTED_DOMAIN` as well (2,000 fresh points there).
 */
export const deep: () => Trained & { shifted: number } = once(() => {
  const trained = trainedMlp(DEEP, 1, TRAINING);
  return { ...trained, shifted: errorOn(trained.model, SHIFTED_DOMAIN, createRng(SEED + 2)) };
});

/** {@linkcode trainedMlp} once per argument list. */
export const trainedOnce: (
  hidden: readonly number[],
  stream: number,
  options: TrainOptions,
  size?: number,
) => Trained = oncePer(trainedMlp);
