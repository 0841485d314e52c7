/**
 * Seeded 2D trajectories with genuinely multimodal futures: agents drive north towards a
 * junction, are observed for {@linkcode OBSERVED_STEPS} points, then turn left, go straight
 * or turn right (probabilities {@linkcode BRANCH_PROBABILITIES}) for
 * {@linkcode FUTURE_STEPS} more points. The past says how fast an agent drives and in which
 * lane, never which way it will turn: the future is a mixture of three paths.
 *
 * Every point lies in the square {@linkcode SCENE_BOUNDS}. Each agent has its own speed
 * (0.07–0.11 per step) and lane offset (±0.15); its turn angle is jittered (σ = 0.1 rad)
 * and every point gets Gaussian noise (σ = `noise`). Besides the noisy futures the
 * generator returns, for every agent, the noise-free continuation along each of the three
 * branches, so tests can tell how far a prediction is from every real future.
 *
 * @example Usage
 * ```ts
 * import { BRANCHES, generateJunctionTrajectories } from "@lib/data/trajectories.ts";
 * const data = generateJunctionTrajectories({ count: 100, seed: 1 });
 * console.log(data.past.length); // 100 * 10 * 2
 * console.log(BRANCHES[data.branch[0]]); // "left", "straight" or "right"
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../core/random.ts";

/** Number of observed points per trajectory (the input). */
export const OBSERVED_STEPS = 10;

/** Number of future points per trajectory (what is predicted). */
export const FUTURE_STEPS = 6;

/** The three ways an agent can leave the junction, in index order. */
export const BRANCHES: readonly ["left", "straight", "right"] = ["left", "straight", "right"];

/** The generator's default probability of each branch, in {@linkcode BRANCHES} order. */
export const BRANCH_PROBABILITIES: readonly number[] = [0.3, 0.4, 0.3];

/** Every coordinate of every point lies in `[min, max]`. */
export const SCENE_BOUNDS: { readonly min: number; readonly max: number } = { min: -1, max: 1 };

/** The generator's default turn of the heading, in radians, for each branch once the turn is complete. */
export const TURN_ANGLES: readonly number[] = [Math.PI / 2, 0, -Math.PI / 2];
/** Future steps over which the heading turns from north to its branch's direction. */
const TURN_STEPS = 3;
const TURN_JITTER = 0.1;
const SPEED_RANGE = [0.07, 0.11];
const LANE_RANGE = 0.15;

/** Options of {@linkcode generateJunctionTrajectories}. */
export interface JunctionOptions {
  /** Number of trajectories (a positive integer). */
  count: number;
  /** Seed of the generator: the same seed gives the same trajectories. */
  seed: number;
  /** Standard deviation of the Gaussian noise on every point (default 0.01). */
  noise?: number;
  /** Probability of each branch in {@linkcode BRANCHES} order (default {@linkcode BRANCH_PROBABILITIES}). */
  branchProbabilities?: readonly number[];
  /**
   * Turn of the heading of each branch in {@linkcode BRANCHES} order, in radians, positive to the left
   * (default {@linkcode TURN_ANGLES}: a quarter turn left, straight on, a quarter turn right); each in
   * `[-3π/4, 3π/4]`.
   */
  turnAngles?: readonly number[];
}

/** Trajectories as flat row-major arrays, ready for `tf.tensor3d(values, shape)`. */
export interface TrajectorySet {
  /** Number of trajectories `n`. */
  count: number;
  /** Observed points, shape `[n, OBSERVED_STEPS, 2]` (x, y). */
  past: Float32Array;
  /** The future that happened, shape `[n, FUTURE_STEPS, 2]`. */
  future: Float32Array;
  /** The branch each agent took, an index into {@linkcode BRANCHES}, shape `[n]`. */
  branch: Int32Array;
  /** Noise-free continuation along every branch, shape `[n, BRANCHES.length, FUTURE_STEPS, 2]`. */
  branchFutures: Float32Array;
  /** The branch probabilities the set was drawn with. */
  branchProbabilities: readonly number[];
  /** The turn angles the set was drawn with. */
  turnAngles: readonly number[];
}

function checkProbabilities(p: readonly number[]): void {
  const sum = p.reduce((a, b) => a + b, 0);
  if (p.length !== BRANCHES.length || p.some((v) => !(v >= 0)) || Math.abs(sum - 1) > 1e-6) {
    throw new Error(
      `branchProbabilities must be ${BRANCHES.length} non-negative numbers summing to 1 ` +
        `(${BRANCHES.join(", ")}); got [${p.join(", ")}]`,
    );
  }
}

function checkTurnAngles(angles: readonly number[]): void {
  const limit = (3 * Math.PI) / 4;
  if (angles.length !== BRANCHES.length || angles.some((a) => !(Math.abs(a) <= limit))) {
    throw new Error(
      `turnAngles must be ${BRANCHES.length} angles in radians within ±3π/4 (${BRANCHES.join(", ")}); ` +
        `got [${angles.join(", ")}]`,
    );
  }
}

/** Writes the path of an agent at `start` with `speed` turning by `turn` radians, `FUTURE_STEPS` points. */
function drive(
  out: Float32Array,
  offset: number,
  start: [number, number],
  speed: number,
  turn: number,
): void {
  let [x, y] = start;
  for (let k = 1; k <= FUTURE_STEPS; k++) {
    const heading = Math.PI / 2 + turn * Math.min(1, k / TURN_STEPS);
    x += speed * Math.cos(heading);
    y += speed * Math.sin(heading);
    out[offset + 2 * (k - 1)] = x;
    out[offset + 2 * (k - 1) + 1] = y;
  }
}

/**
 * Draws `count` junction trajectories.
 *
 * @example Usage
 * ```ts
 * import { generateJunctionTrajectories } from "@lib/data/trajectories.ts";
 * const { future, branch } = generateJunctionTrajectories({ count: 3, seed: 7, noise: 0 });
 * console.log(branch.length, future.length); // 3 36
 * ```
 * @param options Size, seed, noise and branch probabilities.
 * @returns The trajectories and the noise-free branch futures.
 */
export function generateJunctionTrajectories(options: JunctionOptions): TrajectorySet {
  const {
    count,
    seed,
    noise = 0.01,
    branchProbabilities = BRANCH_PROBABILITIES,
    turnAngles = TURN_ANGLES,
  } = options;
  if (!Number.isInteger(count) || count <= 0) {
    throw new Error(`count must be a positive integer number of trajectories; got ${count}`);
  }
  if (!(noise >= 0)) throw new Error(`noise must be a standard deviation >= 0; got ${noise}`);
  checkProbabilities(branchProbabilities);
  checkTurnAngles(turnAngles);
  const rng = createRng(seed);
  const past = new Float32Array(count * OBSERVED_STEPS * 2);
  const future = new Float32Array(count * FUTURE_STEPS * 2);
  const branch = new Int32Array(count);
  const branchFutures = new Float32Array(count * BRANCHES.length * FUTURE_STEPS * 2);
  const futureSize = FUTURE_STEPS * 2;
  for (let i = 0; i < count; i++) {
    const speed = SPEED_RANGE[0] + (SPEED_RANGE[1] - SPEED_RANGE[0]) * rng.uniform();
    const lane = LANE_RANGE * (2 * rng.uniform() - 1);
    // The last observed point is at the junction (y = 0); earlier ones are further south.
    for (let t = 0; t < OBSERVED_STEPS; t++) {
      const o = (i * OBSERVED_STEPS + t) * 2;
      past[o] = lane + noise * rng.normal();
      past[o + 1] = -(OBSERVED_STEPS - 1 - t) * speed + noise * rng.normal();
    }
    const u = rng.uniform();
    let b = 0;
    for (let acc = branchProbabilities[0]; u >= acc && b < BRANCHES.length - 1;) {
      acc += branchProbabilities[++b];
    }
    branch[i] = b;
    for (let j = 0; j < BRANCHES.length; j++) {
      drive(branchFutures, (i * BRANCHES.length + j) * futureSize, [lane, 0], speed, turnAngles[j]);
    }
    const o = i * futureSize;
    drive(future, o, [lane, 0], speed, turnAngles[b] + TURN_JITTER * rng.normal());
    for (let k = 0; k < futureSize; k++) future[o + k] += noise * rng.normal();
  }
  return { count, past, future, branch, branchFutures, branchProbabilities, turnAngles };
}

/**
 * The probability-weighted average of the branch futures, shape `[n, FUTURE_STEPS, 2]`:
 * (almost exactly) the conditional mean E[future | past], which a model trained with
 * mean squared error converges to. No agent ever drives along it.
 *
 * @example Usage
 * ```ts
 * import { branchAverage, generateJunctionTrajectories } from "@lib/data/trajectories.ts";
 * const data = generateJunctionTrajectories({ count: 2, seed: 3 });
 * console.log(branchAverage(data).length); // 2 * 6 * 2
 * ```
 * @param set Trajectories from {@linkcode generateJunctionTrajectories}.
 * @returns The average future of every trajectory.
 */
export function branchAverage(set: TrajectorySet): Float32Array {
  const size = FUTURE_STEPS * 2;
  const out = new Float32Array(set.count * size);
  for (let i = 0; i < set.count; i++) {
    for (let j = 0; j < BRANCHES.length; j++) {
      const p = set.branchProbabilities[j];
      const from = (i * BRANCHES.length + j) * size;
      for (let k = 0; k < size; k++) out[i * size + k] += p * set.branchFutures[from + k];
    }
  }
  return out;
}

/**
 * A set's pasts and futures as the tensors the forecasters take: `[n, OBSERVED_STEPS, 2]` and
 * `[n, FUTURE_STEPS, 2]` (the caller disposes them).
 *
 * @example Usage
 * ```ts
 * import { generateJunctionTrajectories, trajectoryTensors } from "@lib/data/trajectories.ts";
 * const { past, future } = trajectoryTensors(generateJunctionTrajectories({ count: 4, seed: 1 }));
 * console.log(past.shape, future.shape); // [4, 10, 2] [4, 6, 2]
 * ```
 * @param set The trajectories.
 * @returns Their pasts and futures.
 */
export function trajectoryTensors(set: TrajectorySet): { past: tf.Tensor3D; future: tf.Tensor3D } {
  return {
    past: tf.tensor3d(set.past, [set.count, OBSERVED_STEPS, 2]),
    future: tf.tensor3d(set.future, [set.count, FUTURE_STEPS, 2]),
  };
}
