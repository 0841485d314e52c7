/**
 * Kata 04's challenge, as the test sees it: the rules (K sampled futures per past that cover every
 * branch, in each branch's share, with few samples between branches, within a budget of tfjs work),
 * the data they are scored on, and the scoring. Kept apart from the kata's test so that
 * `junction_challenge_test.ts` can show each rule rejecting a shortcut without training anything.
 *
 * - **Unknown junction, unseen pasts.** Every run draws its own junction (branch probabilities and turn
 *   angles, {@linkcode challengeSetting}), its training set and its held-out pasts from seeds nobody can
 *   predict ({@linkcode freshSeed}); the learner's code receives only the training tensors and the
 *   held-out pasts. Probabilities and angles that a program could copy from `trajectories.ts` (0.3 / 0.4 /
 *   0.3, quarter turns) are never the answer: every drawn setting is at least 0.1 away in some
 *   probability and 25° away in each turn.
 * - **Scored here** ({@linkcode scoreSamples}), never with the learner's own metric: a sample is on
 *   branch b when b is its nearest branch (by average displacement) and its last point is within
 *   {@linkcode CHALLENGE}`.onBranch` of b's last point.
 * - **Budget** ({@linkcode meterTfjsWork}): the elements tfjs kernels compute while the learner's code
 *   trains and samples.
 *
 * @example Usage
 * ```ts
 * import { CHALLENGE, challengeSetting } from "@lib/data/junction_challenge.ts";
 * const { branchProbabilities, turnAngles } = challengeSetting(7);
 * console.log(branchProbabilities.length, turnAngles.length, CHALLENGE.samplesPerPast); // 3 3 20
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng, freshSeed } from "../core/random.ts";
import {
  BRANCH_PROBABILITIES,
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  type TrajectorySet,
  trajectoryTensors,
  TURN_ANGLES,
} from "./trajectories.ts";
import { deepFreeze } from "../core/freeze.ts";

/** The challenge's rules: the data, the targets and the budget. */
export const CHALLENGE = {
  /** Training trajectories handed to the learner's function. */
  trainCount: 2000,
  /** Unseen pasts the K-sample rules are measured on. */
  heldOutCount: 500,
  /** Samples drawn per unseen past: K. */
  samplesPerPast: 20,
  /** Unseen pasts drawn once each (k = 1), for the shares of single draws. */
  singleDrawCount: 4000,
  /** A sample is on a branch when its last point is within this distance of the branch's last point. */
  onBranch: 0.1,
  /** Share of unseen pasts whose K samples must reach every branch. */
  minCoverage: 0.9,
  /** Each branch's share of the samples on a branch must be within this of the branch's probability. */
  shareTolerance: 0.05,
  /** The same for one sample per past (k = 1), over {@linkcode CHALLENGE}`.singleDrawCount` pasts. */
  singleShareTolerance: 0.06,
  /** Largest share of samples that may end on no branch. */
  maxBetween: 0.15,
  /**
   * Elements computed by tfjs kernels while the learner's code trains and samples. Only tfjs kernels are
   * metered: work done in plain JavaScript is not counted, so this bounds a method's tfjs work only.
   */
  maxWork: 2e9,
} as const;
deepFreeze(CHALLENGE); // graded code cannot change the rules the tests read

/** The rules {@linkcode judgeSampler} checks; {@linkcode CHALLENGE} unless a project test narrows one. */
export type ChallengeRules = { readonly [K in keyof typeof CHALLENGE]: number };

/** A generative forecaster: as many futures per past as asked for. */
export interface TrajectorySampler {
  /** Draws `k` futures for each past `[n, OBSERVED_STEPS, 2]`: shape `[n, k, FUTURE_STEPS, 2]`. */
  sample(past: tf.Tensor3D, k: number): tf.Tensor4D;
}

/** Trains a sampler on `past` `[n, OBSERVED_STEPS, 2]` and `future` `[n, FUTURE_STEPS, 2]`. */
export type SamplerTrainer = (
  past: tf.Tensor3D,
  future: tf.Tensor3D,
  options: { seed: number },
) => Promise<TrajectorySampler>;

/** The junction of one challenge run: what the learner's code must find out from the data. */
export interface JunctionSetting {
  /** Probability of each branch, in {@linkcode BRANCHES} order. */
  branchProbabilities: number[];
  /** Turn of each branch in radians, positive to the left, in {@linkcode BRANCHES} order. */
  turnAngles: number[];
}

const DEGREE = Math.PI / 180;

/**
 * The junction for `seed`: branch probabilities in [0.2, 0.6] (uniform on that simplex) with at least
 * one 0.1 or more away from {@linkcode BRANCH_PROBABILITIES}; turns of 90° ± 25–40° to each side, and
 * "straight" within ±10°.
 *
 * @example Usage
 * ```ts
 * import { challengeSetting } from "@lib/data/junction_challenge.ts";
 * const { branchProbabilities } = challengeSetting(1);
 * console.log(branchProbabilities.every((p) => p >= 0.2 && p <= 0.6)); // true
 * ```
 * @param seed Any integer.
 * @returns The setting.
 */
export function challengeSetting(seed: number): JunctionSetting {
  const rng = createRng(seed);
  let branchProbabilities: number[];
  do {
    const draws = BRANCHES.map(() => -Math.log(1 - rng.uniform()));
    const total = draws.reduce((a, b) => a + b, 0);
    branchProbabilities = draws.map((d) => 0.2 + 0.4 * d / total);
  } while (Math.max(...branchProbabilities.map((p, b) => Math.abs(p - BRANCH_PROBABILITIES[b]))) < 0.1);
  const turn = (side: number) =>
    TURN_ANGLES[side] + (rng.uniform() < 0.5 ? -1 : 1) * (25 + 15 * rng.uniform()) * DEGREE;
  const straight = (rng.uniform() - 0.5) * 20 * DEGREE;
  return { branchProbabilities, turnAngles: [turn(0), straight, turn(2)] };
}

/** A seed nobody can predict: {@linkcode freshSeed} of `@lib/core/random.ts`, re-exported. */
export { freshSeed };

/** Where sampled futures ended, from {@linkcode scoreSamples}. */
export interface SampleScore {
  /** Samples scored. */
  total: number;
  /** Samples on each branch, in {@linkcode BRANCHES} order. */
  onBranch: number[];
  /** Share of the samples on no branch. */
  between: number;
  /** Each branch's share of the samples on a branch (NaN when none is). */
  shares: number[];
  /** Share of the pasts whose samples reach every branch. */
  coverage: number;
}

/**
 * Scores `k` sampled futures per past against the noise-free branch futures of `set`: a sample is on
 * branch b when b is its nearest branch by average displacement and its last point is within `onBranch`
 * of b's last point.
 *
 * @example Usage
 * ```ts
 * import { generateJunctionTrajectories } from "@lib/data/trajectories.ts";
 * import { scoreSamples } from "@lib/data/junction_challenge.ts";
 * const set = generateJunctionTrajectories({ count: 2, seed: 1 });
 * // Each past's three noise-free branch futures, as 3 samples per past: every branch covered.
 * const score = scoreSamples(set.branchFutures, set, 2, 3);
 * console.log(score.between, score.coverage, score.shares); // 0 1 [ 0.333…, 0.333…, 0.333… ]
 * ```
 * @param samples `[count, k, FUTURE_STEPS, 2]` flattened.
 * @param set The trajectories whose first `count` pasts were sampled.
 * @param count Pasts sampled.
 * @param k Samples per past.
 * @param onBranch Distance of a last point to a branch's last point that counts as on it.
 * @returns Where the samples ended.
 */
export function scoreSamples(
  samples: ArrayLike<number>,
  set: TrajectorySet,
  count: number,
  k: number,
  onBranch: number = CHALLENGE.onBranch,
): SampleScore {
  const path = FUTURE_STEPS * 2;
  if (samples.length !== count * k * path || count > set.count) {
    throw new Error(
      `scoreSamples: ${samples.length} numbers for ${count} pasts × ${k} samples × ${path} (the set has ` +
        `${set.count} pasts)`,
    );
  }
  const hits = [0, 0, 0];
  let covered = 0;
  for (let n = 0; n < count; n++) {
    const reached = [false, false, false];
    for (let s = 0; s < k; s++) {
      const o = (n * k + s) * path;
      let nearest = 0;
      let nearestAde = Infinity;
      for (let b = 0; b < BRANCHES.length; b++) {
        const at = (n * BRANCHES.length + b) * path;
        let ade = 0;
        for (let t = 0; t < path; t += 2) {
          ade += Math.hypot(
            samples[o + t] - set.branchFutures[at + t],
            samples[o + t + 1] - set.branchFutures[at + t + 1],
          );
        }
        if (ade < nearestAde) [nearest, nearestAde] = [b, ade];
      }
      const end = (n * BRANCHES.length + nearest) * path + path - 2;
      const fde = Math.hypot(
        samples[o + path - 2] - set.branchFutures[end],
        samples[o + path - 1] - set.branchFutures[end + 1],
      );
      if (fde < onBranch) {
        hits[nearest]++;
        reached[nearest] = true;
      }
    }
    if (reached.every(Boolean)) covered++;
  }
  const on = hits.reduce((a, b) => a + b, 0);
  return {
    total: count * k,
    onBranch: hits,
    between: 1 - on / (count * k),
    shares: hits.map((h) => h / on),
    coverage: covered / count,
  };
}

/**
 * Runs `fn` and counts the elements that tfjs kernels compute meanwhile (the sizes of every kernel's
 * outputs, forward and backward passes and optimizer updates alike): a deterministic measure of work
 * that does not depend on the machine. Work done outside tfjs is not counted.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { meterTfjsWork } from "@lib/data/junction_challenge.ts";
 * const a = tf.ones([4]);
 * const { elements } = await meterTfjsWork(() => tf.tidy(() => tf.mul(tf.add(a, a), 2)).dispose());
 * console.log(elements); // 8: an add and a mul of 4 elements each
 * a.dispose();
 * ```
 * @param fn The work, synchronous or not.
 * @returns What `fn` returned and the elements computed.
 */
export async function meterTfjsWork<T>(fn: () => T | Promise<T>): Promise<{ value: T; elements: number }> {
  const engine = tf.engine() as unknown as { runKernel: (...args: unknown[]) => tf.Tensor | tf.Tensor[] };
  const original = engine.runKernel;
  let elements = 0;
  engine.runKernel = function (this: unknown, ...args: unknown[]) {
    const out = original.apply(this, args);
    for (const t of Array.isArray(out) ? out : [out]) elements += t.size;
    return out;
  };
  try {
    const value = await fn();
    return { value, elements };
  } finally {
    engine.runKernel = original;
  }
}

/** One rule's verdict. */
export interface Check {
  /** Whether the rule holds. */
  ok: boolean;
  /** What was measured against what the rule asks, in a sentence. */
  message: string;
}

/** What {@linkcode judgeSampler} measured, and each rule's verdict. */
export interface ChallengeReport {
  /** Seed of the junction and its training set (for reproducing a run). */
  dataSeed: number;
  /** Seed of the unseen pasts (for reproducing a run). */
  heldOutSeed: number;
  /** The junction drawn. */
  setting: JunctionSetting;
  /** Elements tfjs kernels computed while the learner's code trained and sampled. */
  work: number;
  /** Where the K samples per unseen past ended. */
  samples: SampleScore;
  /** Where one sample per unseen past ended. */
  single: SampleScore;
  /** Each rule's verdict. */
  checks: Record<"coverage" | "shares" | "between" | "k" | "budget", Check>;
}

/** Options of {@linkcode judgeSampler}. */
export interface JudgeOptions {
  /** The run's seed (`KATA_SEED`), handed to the learner's training as `options.seed`. */
  seed: number;
  /** Seed of the junction and training set; default {@linkcode freshSeed}. */
  dataSeed?: number;
  /** Seed of the unseen pasts; default {@linkcode freshSeed}. */
  heldOutSeed?: number;
  /** The rules; default {@linkcode CHALLENGE}. */
  rules?: ChallengeRules;
}

/** Tensor values after checking the shape; disposes the tensor. */
function valuesOf(tensor: tf.Tensor, shape: number[], what: string): Float32Array<ArrayBuffer> {
  try {
    if (tensor.shape.join() !== shape.join()) {
      throw new Error(`${what} returned shape [${tensor.shape}]; expected [${shape}]`);
    }
    return Float32Array.from(tensor.dataSync());
  } finally {
    tensor.dispose();
  }
}

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;

/** The verdicts of the rules on what was measured. */
function verdicts(
  rules: ChallengeRules,
  measured: Pick<ChallengeReport, "setting" | "work" | "samples" | "single">,
  kProblems: string[],
): ChallengeReport["checks"] {
  const { setting, work, samples, single } = measured;
  const K = rules.samplesPerPast;
  const shareProblems = (score: SampleScore, tolerance: number) =>
    BRANCHES.flatMap((name, b) => {
      const [share, truth] = [score.shares[b], setting.branchProbabilities[b]];
      return Math.abs(share - truth) <= tolerance
        ? []
        : [`${name} has ${percent(share)} of the samples on a branch, the data ${percent(truth)}`];
    });
  const sharesOff = [
    ...shareProblems(samples, rules.shareTolerance),
    // Without single draws (sample failed for k = 1) the k rule says so; nothing to compare here.
    ...(single.total > 0
      ? shareProblems(single, rules.singleShareTolerance).map((p) => `with k = 1, ${p}`)
      : []),
  ];
  return {
    coverage: {
      ok: samples.coverage >= rules.minCoverage,
      message:
        `for ${percent(samples.coverage)} of ${rules.heldOutCount} unseen pasts, every branch got at ` +
        `least one of the ${K} samples; the target is at least ${percent(rules.minCoverage)}`,
    },
    shares: {
      ok: sharesOff.length === 0,
      message: sharesOff.length === 0
        ? "every branch's share is within the tolerance"
        : `${sharesOff.join("; ")} (tolerance ${rules.shareTolerance} with k = ${K}, ` +
          `${rules.singleShareTolerance} with k = 1)`,
    },
    between: {
      ok: samples.between <= rules.maxBetween,
      message: `${percent(samples.between)} of the samples end more than ${rules.onBranch} from every ` +
        `branch's end; the target is at most ${percent(rules.maxBetween)}`,
    },
    k: {
      ok: kProblems.length === 0,
      message: kProblems.length === 0
        ? `sample returned k futures per past for every k`
        : kProblems.join("; "),
    },
    budget: {
      ok: work <= rules.maxWork,
      message:
        `training and sampling computed ${(work / 1e9).toFixed(2)}·10⁹ elements in tfjs kernels; the ` +
        `budget is ${(rules.maxWork / 1e9).toFixed(2)}·10⁹`,
    },
  };
}

/**
 * Plays the challenge once: draws a junction, its training set and unseen pasts from fresh seeds; trains
 * the learner's sampler on the training set (with `options.seed`); draws K samples for each of
 * {@linkcode CHALLENGE}`.heldOutCount` unseen pasts, one sample for each of
 * {@linkcode CHALLENGE}`.singleDrawCount`, and 3 for a few; meters the tfjs work of all of it; scores the
 * samples and judges each rule. Throws when the K samples do not have the shape `[n, K, FUTURE_STEPS, 2]`.
 *
 * @example Usage
 * ```ts ignore
 * import { judgeSampler } from "@lib/data/junction_challenge.ts";
 * const report = await judgeSampler(trainBranchSampler, { seed: 42 });
 * console.log(report.checks.between.ok, report.checks.between.message);
 * ```
 * @param train The learner's training function.
 * @param options The run's seed, and fixed data seeds or rules for the project's own tests.
 * @returns The measurements and the verdicts.
 */
export async function judgeSampler(train: SamplerTrainer, options: JudgeOptions): Promise<ChallengeReport> {
  const rules = options.rules ?? CHALLENGE;
  const dataSeed = options.dataSeed ?? freshSeed();
  const heldOutSeed = options.heldOutSeed ?? freshSeed();
  // The setting has its own stream: the generator below starts from `dataSeed` itself.
  const setting = challengeSetting(dataSeed ^ 0x5bd1e995);
  const trainSet = generateJunctionTrajectories({ count: rules.trainCount, seed: dataSeed, ...setting });
  const heldOut = generateJunctionTrajectories({
    count: Math.max(rules.heldOutCount, rules.singleDrawCount),
    seed: heldOutSeed,
    ...setting,
  });
  const { past, future } = trajectoryTensors(trainSet);
  const pasts = (count: number) =>
    tf.tensor3d(heldOut.past.subarray(0, count * OBSERVED_STEPS * 2), [count, OBSERVED_STEPS, 2]);
  const unseen = pasts(rules.heldOutCount);
  const singles = pasts(rules.singleDrawCount);
  const few = pasts(3);
  const K = rules.samplesPerPast;
  const kProblems: string[] = [];
  try {
    const { value, elements } = await meterTfjsWork(async () => {
      const sampler = await train(past, future, { seed: options.seed });
      const drawn = valuesOf(
        sampler.sample(unseen, K),
        [rules.heldOutCount, K, FUTURE_STEPS, 2],
        `sample(${rules.heldOutCount} pasts, ${K})`,
      );
      let single: Float32Array<ArrayBuffer> = new Float32Array(0);
      for (const [input, k] of [[singles, 1], [few, 3]] as const) {
        try {
          const values = valuesOf(
            sampler.sample(input, k),
            [input.shape[0], k, FUTURE_STEPS, 2],
            `sample(${input.shape[0]} pasts, ${k})`,
          );
          if (k === 1) single = values;
        } catch (error) {
          kProblems.push((error as Error).message);
        }
      }
      return { drawn, single };
    });
    const samples = scoreSamples(value.drawn, heldOut, rules.heldOutCount, K, rules.onBranch);
    const single = value.single.length
      ? scoreSamples(value.single, heldOut, rules.singleDrawCount, 1, rules.onBranch)
      : { total: 0, onBranch: [0, 0, 0], between: NaN, shares: [NaN, NaN, NaN], coverage: NaN };
    const measured = { setting, work: elements, samples, single };
    return { dataSeed, heldOutSeed, ...measured, checks: verdicts(rules, measured, kProblems) };
  } finally {
    tf.dispose([past, future, unseen, singles, few]);
  }
}
