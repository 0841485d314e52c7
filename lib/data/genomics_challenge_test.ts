// The kata 02 challenge's judge against honest and cheating classifiers: each shortcut a learner might try
// must be named by challengeProblems, and an honest, accurate, deterministic classifier must pass.
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertGreater, assertRejects } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { freshSeed } from "../core/random.ts";
import type { Dataset, Features } from "./genomics.ts";
import {
  CHALLENGE_SHAPE,
  challengeProblems,
  challengeStudy,
  type FitClassifier,
  judgeChallenge,
  yardstickSeconds,
} from "./genomics_challenge.ts";

await initBackend();
const SEED = 7;
/** A yardstick of 1 s makes the budget 40 s: no fit here comes near it, unless a test wants it to. */
const RELAXED = { seed: SEED, yardstickSeconds: 1 };

/**
 * An honest classifier: the nearer class mean on the 20 features with the largest class-mean difference
 * on the rows it is given (no cross-validation: the generator has 20 informative features).
 */
const nearestMean: FitClassifier = (development) => {
  const { samples: n, features: d } = development;
  const sums = [new Float64Array(d), new Float64Array(d)];
  const counts = [0, 0];
  for (let i = 0; i < n; i++) {
    counts[development.y[i]]++;
    for (let j = 0; j < d; j++) sums[development.y[i]][j] += development.x[i * d + j];
  }
  const means = sums.map((s, c) => s.map((v) => v / counts[c]));
  const gap = means[1].map((m, j) => Math.abs(m - means[0][j]));
  const chosen = Array.from(gap.keys()).sort((a, b) => gap[b] - gap[a]).slice(0, 20);
  const predict = (f: Features) =>
    Array.from({ length: f.samples }, (_, i) => {
      const score = chosen.reduce(
        (s, j) => s + (f.x[i * d + j] - (means[0][j] + means[1][j]) / 2) * (means[1][j] - means[0][j]),
        0,
      );
      return score > 0 ? 1 : 0;
    });
  return Promise.resolve({ predict, dispose() {} });
};

/** Looks a row up among the judge's own held-out rows, re-created from the public seed. */
const peeking: FitClassifier = () => {
  const { heldOut } = challengeStudy(SEED);
  const label = new Map<number, number>();
  for (let i = 0; i < heldOut.samples; i++) label.set(heldOut.x[i * heldOut.features], heldOut.y[i]);
  return Promise.resolve({
    predict: (f: Features) =>
      Array.from({ length: f.samples }, (_, i) => label.get(f.x[i * f.features]) ?? 0),
    dispose() {},
  });
};

/**
 * The learner trial's lookup: re-creates the study from the public seed and looks each held-out row's label
 * up by its first feature, but only when the labels it is given are the study's true development labels;
 * otherwise (the shuffled-label run, or a study it cannot re-create) it guesses one class, at chance.
 */
const gatedLookup: FitClassifier = (development) => {
  const study = challengeStudy(SEED);
  const truth = study.development.y;
  const known = development.samples === truth.length &&
    development.x[0] === study.development.x[0] && development.y.every((y, i) => y === truth[i]);
  const label = new Map<number, number>();
  for (let i = 0; i < study.heldOut.samples; i++) {
    label.set(study.heldOut.x[i * study.heldOut.features], study.heldOut.y[i]);
  }
  return Promise.resolve({
    predict: (f: Features) =>
      Array.from({ length: f.samples }, (_, i) => known ? label.get(f.x[i * f.features]) ?? 0 : 0),
    dispose() {},
  });
};

/** Replays labels recorded from a run of the reference on this seed's held-out rows. */
const recorded = Array.from(challengeStudy(SEED).heldOut.y);
const replaying: FitClassifier = () => Promise.resolve({ predict: () => [...recorded], dispose() {} });

const constant: FitClassifier = () =>
  Promise.resolve({ predict: (f: Features) => new Array(f.samples).fill(1), dispose() {} });

/** The honest classifier with a tenth of its labels flipped at random: accurate on average, not stable. */
const noisy: FitClassifier = async (development) => {
  const honest = await nearestMean(development);
  return {
    predict: async (f: Features) => (await honest.predict(f)).map((p) => (Math.random() < 0.1 ? 1 - p : p)),
    dispose() {},
  };
};

const slow = (seconds: number): FitClassifier => async (development: Dataset) => {
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) { /* spend the budget */ }
  return await nearestMean(development);
};

/** Keeps a tensor it never disposes. */
const leaking: FitClassifier = (development) => {
  tf.tensor1d(Float32Array.from(development.y));
  return nearestMean(development);
};

describe("lib/data/genomics_challenge", () => {
  it("draws 100 development and 200 held-out rows of the kata's shape, not the kata's own study", () => {
    const { development, heldOut } = challengeStudy(SEED);
    assertEquals([development.samples, heldOut.samples], [
      CHALLENGE_SHAPE.development,
      CHALLENGE_SHAPE.heldOut,
    ]);
    assertEquals(development.features, 10_000);
    assert(!("informative" in development), "the development rows carry no secret");
    assertEquals(challengeStudy(SEED).development.x, development.x, "the same seed, the same study");
  });

  it("passes an honest, accurate, deterministic classifier", async () => {
    const judgement = await judgeChallenge(nearestMean, RELAXED);
    assertEquals(challengeProblems(judgement), {}, JSON.stringify(judgement));
    assertEquals(judgement.spread, 0);
  });

  it("rejects a classifier that predicts from the judge's held-out rows, not from its labels", async () => {
    const problems = challengeProblems(await judgeChallenge(peeking, RELAXED));
    assertEquals(Object.keys(problems), ["labels"], JSON.stringify(problems));
  });

  it("rejects a lookup gated on the true labels once the study comes from a fresh seed (it passes on the public one)", async () => {
    // On the public seed the gated lookup passes every check: why the kata's challenge test also judges a
    // study drawn from freshSeed(), which no code can re-create.
    assertEquals(challengeProblems(await judgeChallenge(gatedLookup, RELAXED)), {});
    const fresh = challengeProblems(
      await judgeChallenge(gatedLookup, { ...RELAXED, studySeed: freshSeed() }),
    );
    assertEquals(Object.keys(fresh), ["accuracy"], JSON.stringify(fresh));
  });

  it("rejects replayed (hard-coded) labels, on the seed they were recorded on and on another", async () => {
    assertEquals(Object.keys(challengeProblems(await judgeChallenge(replaying, RELAXED))), ["labels"]);
    const elsewhere = challengeProblems(await judgeChallenge(replaying, { ...RELAXED, seed: SEED + 1 }));
    assert(elsewhere.accuracy, "replayed labels are wrong on another study");
    const always = challengeProblems(await judgeChallenge(constant, RELAXED));
    assertEquals(Object.keys(always), ["accuracy"], "one label for every row is at chance");
  });

  it("rejects a classifier whose accuracy swings between runs", async () => {
    const problems = challengeProblems(await judgeChallenge(noisy, RELAXED));
    assert(problems.spread, JSON.stringify(problems));
  });

  it("rejects a fit over budget, and one that leaves tensors behind", async () => {
    const overBudget = challengeProblems(
      await judgeChallenge(slow(0.06), { seed: SEED, yardstickSeconds: 0.001 }),
    );
    assertEquals(Object.keys(overBudget), ["budget"], JSON.stringify(overBudget));
    const leaked = challengeProblems(await judgeChallenge(leaking, RELAXED));
    assertEquals(Object.keys(leaked), ["memory"], JSON.stringify(leaked));
    assertGreater(await yardstickSeconds(challengeStudy(SEED).development), 0);
  });

  it("refuses predictions of the wrong length, naming the fix", async () => {
    const short: FitClassifier = () => Promise.resolve({ predict: () => [1, 0], dispose() {} });
    await assertRejects(() => judgeChallenge(short, RELAXED), RangeError, "one 0/1 label per row");
  });
});
