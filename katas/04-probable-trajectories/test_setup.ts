/**
 * Shared by kata 04's test files: the junction trajectories they train and evaluate on, the
 * learner's regressor and CVAE trained on them (each once per test process, when a test first
 * needs it), and the distances between paths the tests measure with. Test support, not a file to
 * edit: the solution has no counterpart, so it always runs from `katas/`.
 *
 * The training set arrives **sorted by branch** (every left turn, then every straight run, then
 * every right turn), as logged data often does: a training loop that does not shuffle, or that
 * reads only some of the examples, learns the branches it saw last or first.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import { once } from "@lib/testing/once.ts";
import {
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  type TrajectorySet,
  trajectoryTensors,
} from "@lib/data/trajectories.ts";
import { type Regressor, trainCvae, trainRegressor, type TrajectorySampler } from "./forecast.ts";

/** The run's seed (`KATA_SEED`). */
export const SEED: number = kataSeed();
/** Training trajectories. */
export const TRAIN_SIZE = 2000;
/** Test trajectories, from another seed. */
export const TEST_SIZE = 200;
/** A path "ends on a branch" when its last point is this close to the branch's last point. */
export const ON_BRANCH = 0.1;
/** Numbers per flattened future path. */
export const PATH: number = FUTURE_STEPS * 2;

/** `set`'s trajectories reordered by branch: left turns first, then straight, then right. */
function sortedByBranch(set: TrajectorySet): TrajectorySet {
  const order = Array.from({ length: set.count }, (_, i) => i).sort((a, b) => set.branch[a] - set.branch[b]);
  const rows = (values: Float32Array, size: number) => {
    const out = new Float32Array(values.length);
    order.forEach((from, to) => out.set(values.subarray(from * size, (from + 1) * size), to * size));
    return out;
  };
  return {
    ...set,
    past: rows(set.past, OBSERVED_STEPS * 2),
    future: rows(set.future, PATH),
    branch: Int32Array.from(order, (i) => set.branch[i]),
    branchFutures: rows(set.branchFutures, BRANCHES.length * PATH),
  };
}

/** The trajectories as tensors (created once per process, after the test file initialised tfjs). */
export interface JunctionData {
  /** The training set, sorted by branch. */
  train: TrajectorySet;
  /** The test set, with every agent's noise-free future along each branch. */
  test: TrajectorySet;
  /** Training pasts, `[TRAIN_SIZE, OBSERVED_STEPS, 2]`. */
  trainPast: tf.Tensor3D;
  /** Training futures, `[TRAIN_SIZE, FUTURE_STEPS, 2]`. */
  trainFuture: tf.Tensor3D;
  /** Test pasts, `[TEST_SIZE, OBSERVED_STEPS, 2]`. */
  testPast: tf.Tensor3D;
  /** The futures that happened, `[TEST_SIZE, FUTURE_STEPS, 2]`. */
  testFuture: tf.Tensor3D;
}

/** The kata's training and test trajectories. */
export const data: () => JunctionData = once(() => {
  const train = sortedByBranch(generateJunctionTrajectories({ count: TRAIN_SIZE, seed: SEED }));
  const test = generateJunctionTrajectories({ count: TEST_SIZE, seed: SEED + 1 });
  const training = trajectoryTensors(train);
  const testing = trajectoryTensors(test);
  return {
    train,
    test,
    trainPast: training.past,
    trainFuture: training.future,
    testPast: testing.past,
    testFuture: testing.future,
  };
});

/** A model trained by the learner's code, and how many tensors its training left allocated. */
export interface Trained<M> {
  /** The trained model. */
  model: M;
  /** `tf.memory().numTensors` after training minus before: the model's weights, and any leak. */
  tensorsAdded: number;
  /**
   * Trainable variables the training registered and kept: the model's weights. An optimizer's slots
   * (Adam's moments) are not trainable; its two bias-correction scalars are, but they come with
   * twice as many slots, so a kept optimizer always leaves more tensors than this.
   */
  weightsAdded: number;
}

/** Names of the live trainable tf.Variables. */
function trainableVariableNames(): Set<string> {
  return new Set(
    Object.entries(tf.engine().registeredVariables).filter(([, v]) => v.trainable && !v.isDisposed)
      .map(([name]) => name),
  );
}

/** Trains with `train` on the kata's training set from the seed's `Math.random`, counting tensors. */
async function trainCounted<M>(
  train: (past: tf.Tensor3D, future: tf.Tensor3D, options: { seed: number }) => Promise<M>,
): Promise<Trained<M>> {
  const { trainPast, trainFuture } = data();
  seedEverything(SEED);
  const before = tf.memory().numTensors;
  const variablesBefore = trainableVariableNames();
  const model = await train(trainPast, trainFuture, { seed: SEED });
  const weightsAdded = [...trainableVariableNames()].filter((name) => !variablesBefore.has(name)).length;
  return { model, tensorsAdded: tf.memory().numTensors - before, weightsAdded };
}

/** The learner's regressor (step 2), trained once per process. */
export const regressor: () => Promise<Trained<Regressor>> = once(() => trainCounted(trainRegressor));

/** The learner's CVAE (step 4), trained once per process. */
export const cvae: () => Promise<Trained<TrajectorySampler>> = once(() => trainCounted(trainCvae));

/** Final displacement between the paths starting at offsets `i` of `a` and `j` of `b`. */
export function finalDistance(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  return Math.hypot(a[i + PATH - 2] - b[j + PATH - 2], a[i + PATH - 1] - b[j + PATH - 1]);
}

/** Average displacement between the paths starting at offsets `i` of `a` and `j` of `b`. */
export function averageDistance(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  let sum = 0;
  for (let t = 0; t < PATH; t += 2) sum += Math.hypot(a[i + t] - b[j + t], a[i + t + 1] - b[j + t + 1]);
  return sum / FUTURE_STEPS;
}

/** The branch of test input `n` nearest (by ADE) to the path at offset `o` of `paths`, and its FDE. */
export function nearestBranch(
  paths: ArrayLike<number>,
  o: number,
  n: number,
): { branch: number; fde: number } {
  const { test } = data();
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
