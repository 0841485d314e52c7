// Kata 04's challenge rules against the shortcuts a person would try. Nothing here trains: each
// "sampler" below builds its paths by hand, from what it knows (or pretends to know) about the
// junction, so the rules are tested on their own, in well under a second each.
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { assertProperty } from "@lib/testing/property.ts";
import { assert, assertEquals, assertGreater, assertNotEquals, assertRejects } from "@std/assert";
import { initBackend } from "../backend/init.ts";
import { createRng } from "../core/random.ts";
import {
  CHALLENGE,
  type ChallengeRules,
  challengeSetting,
  freshSeed,
  judgeSampler,
  type JunctionSetting,
  meterTfjsWork,
  type SamplerTrainer,
  scoreSamples,
} from "./junction_challenge.ts";
import {
  BRANCH_PROBABILITIES,
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  TURN_ANGLES,
} from "./trajectories.ts";

await initBackend();

const PATH = FUTURE_STEPS * 2;
const DEGREE = Math.PI / 180;

/** The noise-free path of an agent at `[lane, 0]` with `speed`, turning by `turn` over 3 steps (as the generator). */
function drivePath(lane: number, speed: number, turn: number): number[] {
  const out: number[] = [];
  let [x, y] = [lane, 0];
  for (let k = 1; k <= FUTURE_STEPS; k++) {
    const heading = Math.PI / 2 + turn * Math.min(1, k / 3);
    x += speed * Math.cos(heading);
    y += speed * Math.sin(heading);
    out.push(x, y);
  }
  return out;
}

/** Speed and lane read off an observed past (the generator's geometry, known to these hand-made samplers). */
function readPast(past: Float32Array, n: number): { speed: number; lane: number } {
  const o = n * OBSERVED_STEPS * 2;
  let lane = 0;
  for (let t = 0; t < OBSERVED_STEPS; t++) lane += past[o + 2 * t] / OBSERVED_STEPS;
  return { speed: (past[o + 2 * OBSERVED_STEPS - 1] - past[o + 1]) / (OBSERVED_STEPS - 1), lane };
}

/** A branch index drawn with `probabilities`. */
function drawBranch(probabilities: readonly number[], u: number): number {
  let b = 0;
  for (let acc = probabilities[0]; u >= acc && b < BRANCHES.length - 1;) acc += probabilities[++b];
  return b;
}

/** What a hand-made sampler does with the pasts it is asked about. */
type PathsFor = (past: Float32Array, n: number, k: number) => Float32Array;

/** A "trainer" that ignores its training data and samples with `paths`. */
function handMade(paths: PathsFor, work?: () => void): SamplerTrainer {
  return () => {
    work?.();
    return Promise.resolve({
      sample: (past: tf.Tensor3D, k: number) => {
        const n = past.shape[0];
        const values = paths(past.dataSync() as Float32Array, n, k);
        return tf.tensor4d(values, [n, values.length / (n * PATH), FUTURE_STEPS, 2]);
      },
    });
  };
}

/** Samples each past's branches from its read-off speed and lane, with the given junction and shares. */
function geometric(
  setting: JunctionSetting,
  options: { ignorePast?: boolean; kUsed?: (k: number) => number } = {},
): PathsFor {
  const rng = createRng(5);
  return (past, n, k) => {
    const used = options.kUsed?.(k) ?? k;
    const out = new Float32Array(n * used * PATH);
    for (let i = 0; i < n; i++) {
      const { speed, lane } = options.ignorePast ? { speed: 0.09, lane: 0 } : readPast(past, i);
      for (let s = 0; s < used; s++) {
        const b = drawBranch(setting.branchProbabilities, rng.uniform());
        out.set(drivePath(lane, speed, setting.turnAngles[b]), (i * used + s) * PATH);
      }
    }
    return out;
  };
}

/** The junction a run with `dataSeed` draws (as judgeSampler does). */
const settingOf = (dataSeed: number) => challengeSetting(dataSeed ^ 0x5bd1e995);

/** The rules that failed. */
const failed = (checks: Record<string, { ok: boolean }>) =>
  Object.entries(checks).filter(([, c]) => !c.ok).map(([rule]) => rule);

Deno.test("challengeSetting: probabilities in [0.2, 0.6] summing to 1, never the defaults; turns away from quarter turns", () => {
  assertProperty(
    fc.property(fc.integer(), (seed) => {
      const { branchProbabilities: p, turnAngles: a } = challengeSetting(seed);
      assert(p.every((v) => v >= 0.2 && v <= 0.6), `probabilities ${p}`);
      assert(Math.abs(p.reduce((x, y) => x + y, 0) - 1) < 1e-9, `sum of ${p}`);
      assert(
        Math.max(...p.map((v, b) => Math.abs(v - BRANCH_PROBABILITIES[b]))) >= 0.1,
        `${p} near the defaults`,
      );
      for (const side of [0, 2]) {
        const off = Math.abs(a[side] - TURN_ANGLES[side]) / DEGREE;
        assert(off >= 25 && off <= 40, `turn ${BRANCHES[side]} is ${off}° off a quarter turn`);
      }
      assert(Math.abs(a[1]) <= 10 * DEGREE, `straight turns by ${a[1] / DEGREE}°`);
    }),
  );
  assertEquals(challengeSetting(3), challengeSetting(3), "the same seed, the same junction");
  assertNotEquals(freshSeed(), freshSeed(), "two fresh seeds (equal with probability 2^-31)");
});

Deno.test("freshSeed keeps the crypto.getRandomValues it found: a later replacement cannot make it predictable", () => {
  const original = crypto.getRandomValues;
  crypto.getRandomValues = (<T>(array: T) => array) as typeof crypto.getRandomValues; // leaves zeros
  try {
    assert([freshSeed(), freshSeed(), freshSeed()].some((seed) => seed !== 0), "fresh seeds, not zeros");
  } finally {
    crypto.getRandomValues = original;
  }
});

Deno.test("scoreSamples: a branch's own path is on it, a path 0.2 to the side on none", () => {
  const set = generateJunctionTrajectories({ count: 4, seed: 9 });
  const exact = scoreSamples(set.branchFutures, set, 4, 3);
  assertEquals([exact.between, exact.coverage, exact.onBranch], [0, 1, [4, 4, 4]]);
  const aside = set.branchFutures.map((v, i) => i % 2 === 0 ? v + 0.2 : v);
  const missed = scoreSamples(aside, set, 4, 3);
  assertEquals([missed.between, missed.coverage], [1, 0]);
  // The first sample of every past, three times: every branch still counted once per past.
  const first = Float32Array.from({ length: 4 * 3 * PATH }, (_, i) => set.branchFutures[i]);
  assertEquals(scoreSamples(first, set, 4, 3).shares, [1 / 3, 1 / 3, 1 / 3]);
});

Deno.test("meterTfjsWork counts the elements of every kernel's outputs, gradients included, and restores tfjs", async () => {
  const { elements } = await meterTfjsWork(() =>
    tf.tidy(() => tf.mul(tf.add(tf.ones([4]), tf.ones([4])), 2)).dispose()
  );
  assertEquals(elements, 8, "an add and a mul of 4 elements each (making a tensor from values is no kernel)");
  const w = tf.variable(tf.ones([3]));
  const optimizer = tf.train.sgd(0.1);
  const { elements: step } = await meterTfjsWork(() =>
    optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w])
  );
  assertGreater(step, 3 * 3, "forward, backward and the update each compute elements");
  await assertRejects(() => meterTfjsWork(() => Promise.reject(new Error("boom"))), Error, "boom");
  const { elements: after } = await meterTfjsWork(() => 0);
  assertEquals(after, 0);
  tf.tidy(() => tf.ones([5])); // runs unmetered: the wrapper is gone
  tf.dispose([w]);
  optimizer.dispose();
});

Deno.test("judgeSampler accepts a sampler that knows the junction and reads each past", async () => {
  const dataSeed = 11;
  const report = await judgeSampler(handMade(geometric(settingOf(dataSeed))), { seed: 1, dataSeed });
  assertEquals(failed(report.checks), [], JSON.stringify(report.checks));
  assert(report.samples.between < 0.01 && report.samples.coverage > 0.95, JSON.stringify(report.samples));
});

Deno.test("judgeSampler rejects the shortcuts: templates, default shares or geometry, guessed held-out data, ignoring k, over budget", async () => {
  const dataSeed = 12;
  const setting = settingOf(dataSeed);
  const judge = (train: SamplerTrainer, rules: ChallengeRules = CHALLENGE) =>
    judgeSampler(train, { seed: 1, dataSeed, rules });
  // The branches of an average agent, whatever the past: right junction, right shares, wrong paths.
  const templates = await judge(handMade(geometric(setting, { ignorePast: true })));
  assert(failed(templates.checks).includes("between"), `templates: ${templates.checks.between.message}`);
  // Hard-coded shares: the generator's defaults, which the challenge's junction never has.
  const shares = await judge(
    handMade(geometric({ ...setting, branchProbabilities: [...BRANCH_PROBABILITIES] })),
  );
  assertEquals(failed(shares.checks), ["shares"], shares.checks.shares.message);
  // Hard-coded geometry: the generator's default quarter turns.
  const turns = await judge(handMade(geometric({ ...setting, turnAngles: [...TURN_ANGLES] })));
  assert(failed(turns.checks).includes("between"), `default turns: ${turns.checks.between.message}`);
  assert(failed(turns.checks).includes("coverage"), `default turns: ${turns.checks.coverage.message}`);
  // Regenerating "the test's" data from the run's seed, as steps 1–5's test set is made (seed + 1).
  const guessed = generateJunctionTrajectories({ count: CHALLENGE.singleDrawCount, seed: 2, ...setting });
  const leak = await judge(handMade((_, n, k) => {
    const out = new Float32Array(n * k * PATH);
    for (let i = 0; i < n * k; i++) {
      const [past, b] = [Math.floor(i / k), drawBranch(setting.branchProbabilities, (i * 0.618) % 1)];
      out.set(guessed.branchFutures.subarray((past * 3 + b) * PATH, (past * 3 + b + 1) * PATH), i * PATH);
    }
    return out;
  }));
  assert(failed(leak.checks).includes("between"), `regenerated data: ${leak.checks.between.message}`);
  // Always K samples, whatever k was asked for.
  const fixedK = await judge(handMade(geometric(setting, { kUsed: () => CHALLENGE.samplesPerPast })));
  assertEquals(failed(fixedK.checks), ["k"], fixedK.checks.k.message);
  // Always 3 samples: nothing to score.
  await assertRejects(
    () => judge(handMade(geometric(setting, { kUsed: () => 3 }))),
    Error,
    "expected [500,20,6,2]",
  );
  // Wasted tfjs work beyond the budget (a budget of 10⁶ elements here, so the test stays fast).
  const small = { ...CHALLENGE, maxWork: 1e6 };
  const waste = () => tf.tidy(() => tf.square(tf.ones([2e6])));
  const over = await judge(handMade(geometric(setting), () => waste().dispose()), small);
  assertEquals(failed(over.checks), ["budget"], over.checks.budget.message);
  const within = await judge(handMade(geometric(setting)), small);
  assertEquals(failed(within.checks), [], within.checks.budget.message);
});
