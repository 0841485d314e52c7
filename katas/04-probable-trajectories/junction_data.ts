/**
 * Shared by kata 04's two test files: the junction trajectories they train and evaluate on, and
 * the distances between paths they measure with. Test support, not a file to edit: the solution
 * has no counterpart, so it always runs from `katas/`. Each test file trains only its own model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { initBackend } from "@lib/backend/init.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import {
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
} from "@lib/data/trajectories.ts";

await initBackend();
/** The run's seed (`KATA_SEED`). */
export const SEED: number = kataSeed();
seedEverything(SEED);

/** Training trajectories. */
export const TRAIN_SIZE = 2000;
/** Test trajectories, from another seed. */
export const TEST_SIZE = 200;
/** A path "ends on a branch" when its last point is this close to the branch's last point. */
export const ON_BRANCH = 0.1;
/** Numbers per flattened future path. */
export const PATH: number = FUTURE_STEPS * 2;

const train = generateJunctionTrajectories({ count: TRAIN_SIZE, seed: SEED });
/** The test set, with every agent's noise-free future along each branch. */
export const test: ReturnType<typeof generateJunctionTrajectories> = generateJunctionTrajectories({
  count: TEST_SIZE,
  seed: SEED + 1,
});
/** Training pasts, `[TRAIN_SIZE, OBSERVED_STEPS, 2]`. */
export const trainPast: tf.Tensor3D = tf.tensor3d(train.past, [TRAIN_SIZE, OBSERVED_STEPS, 2]);
/** Training futures, `[TRAIN_SIZE, FUTURE_STEPS, 2]`. */
export const trainFuture: tf.Tensor3D = tf.tensor3d(train.future, [TRAIN_SIZE, FUTURE_STEPS, 2]);
/** Test pasts, `[TEST_SIZE, OBSERVED_STEPS, 2]`. */
export const testPast: tf.Tensor3D = tf.tensor3d(test.past, [TEST_SIZE, OBSERVED_STEPS, 2]);
/** The futures that happened, `[TEST_SIZE, FUTURE_STEPS, 2]`. */
export const testFuture: tf.Tensor3D = tf.tensor3d(test.future, [TEST_SIZE, FUTURE_STEPS, 2]);

/** Final displacement between the paths starting at offsets `i` of `a` and `j` of `b`. */
export function finalDistance(a: Float32Array, i: number, b: Float32Array, j: number): number {
  return Math.hypot(a[i + PATH - 2] - b[j + PATH - 2], a[i + PATH - 1] - b[j + PATH - 1]);
}

/** Average displacement between the paths starting at offsets `i` of `a` and `j` of `b`. */
export function averageDistance(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let sum = 0;
  for (let t = 0; t < PATH; t += 2) sum += Math.hypot(a[i + t] - b[j + t], a[i + t + 1] - b[j + t + 1]);
  return sum / FUTURE_STEPS;
}

/** The branch of test input `n` nearest (by ADE) to the path at offset `o` of `paths`, and its FDE. */
export function nearestBranch(paths: Float32Array, o: number, n: number): { branch: number; fde: number } {
  let best = { branch: -1, ade: Infinity, fde: Infinity };
  for (let b = 0; b < BRANCHES.length; b++) {
    const at = (n * BRANCHES.length + b) * PATH;
    const ade = averageDistance(paths, o, test.branchFutures, at);
    if (ade < best.ade) best = { branch: b, ade, fde: finalDistance(paths, o, test.branchFutures, at) };
  }
  return best;
}

/**
 * The values of a tensor a model returned, after checking its shape (`message` says which shape
 * the learner's function must return); disposes the tensor.
 */
export async function valuesOfShape(
  tensor: tf.Tensor,
  shape: number[],
  message: string,
): Promise<Float32Array> {
  assertEquals(tensor.shape, shape, message);
  const values = Float32Array.from(await tensor.data());
  tensor.dispose();
  return values;
}

/** The mean of `values`. */
export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
