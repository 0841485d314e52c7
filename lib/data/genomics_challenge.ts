/**
 * Kata 02's challenge, its data and its judge. The learner writes a function that gets 100 development
 * rows of a case–control study (10,000 features, labels) and returns a classifier; the judge draws the
 * study itself, hands the function only the development rows, and scores the classifier once per run on
 * 200 held-out rows the function never sees. It runs the function {@linkcode CHALLENGE_TARGET}`.runs`
 * times, each time with `Math.random` seeded differently, and once more with the development labels
 * shuffled (a method that learns from its labels is then at chance), and times each fit against a
 * yardstick measured in the same run: one training of kata 02's plain network on the same rows.
 *
 * Everything here is public, and so is the seed (`KATA_SEED`): code determined to re-create the judge's
 * data from it can (call {@linkcode challengeStudy} with the seed and look the held-out labels up). The
 * shuffled-label run rejects the plain forms of that shortcut (code that predicts without learning from
 * the labels it is given), not one that looks up only when its labels are the study's true ones; a study
 * drawn from {@linkcode JudgeOptions}`.studySeed` = `freshSeed()` (`crypto.getRandomValues`) rejects
 * that too, since no code can re-create it. The kata's challenge test judges one such study.
 *
 * @example Usage
 * ```ts ignore
 * import { challengeProblems, judgeChallenge } from "@lib/data/genomics_challenge.ts";
 * const judgement = await judgeChallenge(myFit, { seed: 42 });
 * console.log(judgement.mean, challengeProblems(judgement));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng, seedEverything } from "../core/random.ts";
import {
  CASE_CONTROL_STUDY,
  type Dataset,
  type Features,
  generateGenomicsData,
  splitRows,
} from "./genomics.ts";
import { deepFreeze } from "../core/freeze.ts";

/** What the challenge function returns: a classifier of rows like the development rows. */
export interface Classifier {
  /** One 0/1 label per row of `features`. */
  predict(features: Features): number[] | Promise<number[]>;
  /** Frees whatever the classifier holds (tfjs tensors, WebAssembly memory); it is not used afterwards. */
  dispose(): void;
}

/** The challenge function: development rows in, a classifier out. */
export type FitClassifier = (development: Dataset) => Promise<Classifier>;

/** The outcome to reach, over {@linkcode CHALLENGE_TARGET}`.runs` runs on one drawn study. */
export const CHALLENGE_TARGET: Readonly<{
  /** Runs, each with `Math.random` seeded differently. */
  runs: number;
  /** Lowest acceptable mean held-out accuracy over the runs. */
  meanAccuracy: number;
  /** Largest acceptable spread (highest − lowest held-out accuracy) over the runs. */
  spread: number;
  /** Highest acceptable held-out accuracy after fitting on the development rows with shuffled labels. */
  shuffledAccuracy: number;
}> = { runs: 3, meanAccuracy: 0.9, spread: 0.05, shuffledAccuracy: 0.7 };
deepFreeze(CHALLENGE_TARGET); // graded code cannot change the rules the tests read

/** What one fit may cost. */
export const CHALLENGE_BUDGET: Readonly<{
  /**
   * Wall time of a fit plus its predictions (the median over the judge's fits), in trainings of kata 02's
   * plain network on the same rows.
   */
  trainings: number;
}> = { trainings: 40 };
deepFreeze(CHALLENGE_BUDGET); // graded code cannot change the rules the tests read

/** Rows of the challenge's study. */
export const CHALLENGE_SHAPE: Readonly<{ development: number; heldOut: number }> = {
  development: 100,
  heldOut: 200,
};
deepFreeze(CHALLENGE_SHAPE); // graded code cannot change the rules the tests read

/** A challenge study: the rows the function gets, and the rows only the judge sees. */
export interface ChallengeStudy {
  /** 100 labelled rows: all the function may learn from. */
  development: Dataset;
  /** 200 rows of the same study, for scoring only. */
  heldOut: Dataset;
}

/**
 * Draws the challenge's study for `seed`: kata 02's case–control shape ({@linkcode CASE_CONTROL_STUDY}:
 * 10,000 features, 20 informative), 100 development and 200 held-out rows, from a seed derived from
 * `seed` (so not the study the kata's steps use).
 *
 * @example Usage
 * ```ts
 * import { challengeStudy } from "@lib/data/genomics_challenge.ts";
 * const { development, heldOut } = challengeStudy(1);
 * console.log(development.samples, heldOut.samples, development.features); // 100 200 10000
 * ```
 * @param seed The run's seed.
 * @returns The development and held-out rows.
 */
export function challengeStudy(seed: number): ChallengeStudy {
  if (drawn?.seed !== seed) {
    const { development, heldOut } = CHALLENGE_SHAPE;
    const data = generateGenomicsData({
      ...CASE_CONTROL_STUDY,
      samples: development + heldOut,
      seed: createRng(seed ^ 0x02c4a11e).int(2 ** 31),
    });
    const [dev, held] = splitRows(data, [development, heldOut]);
    drawn = { seed, study: { development: dev, heldOut: held } };
  }
  return { development: copy(drawn.study.development), heldOut: copy(drawn.study.heldOut) };
}

/** The last study drawn: drawing one takes a moment, and the judge and a test often ask for the same. */
let drawn: { seed: number; study: ChallengeStudy } | undefined;

/** What the judge measured. */
export interface ChallengeJudgement {
  /** Held-out accuracy of each run. */
  accuracies: number[];
  /** Their mean. */
  mean: number;
  /** Highest minus lowest. */
  spread: number;
  /** Held-out accuracy of the classifier fitted on the development rows with shuffled labels. */
  shuffledAccuracy: number;
  /** A fit with its predictions, the median over the fits, in trainings of the plain network (the yardstick). */
  trainings: number;
  /** Tensors still allocated after a fit's classifier was disposed, most over the fits. */
  leakedTensors: number;
}

/** Options of {@linkcode judgeChallenge}. */
export interface JudgeOptions {
  /** Seed of the runs' `Math.random` and of the label shuffle, and of the study unless `studySeed` is given. */
  seed: number;
  /**
   * Seed of the study (development and held-out rows); `seed` when absent. Pass `freshSeed()` from
   * `@lib/core/random.ts` for a study no code can re-create from the public seed.
   */
  studySeed?: number;
  /** Seconds of one yardstick training; measured when absent (tests of the judge pass a fake). */
  yardstickSeconds?: number;
}

/**
 * Seconds that 10 full-batch steps of kata 02's plain network (10,000 → 12 relu → 1 sigmoid, SGD 0.03,
 * binary cross-entropy) take on `rows`, after one step to warm up: the unit of {@linkcode CHALLENGE_BUDGET}.
 *
 * @example Usage
 * ```ts ignore
 * import { challengeStudy, yardstickSeconds } from "@lib/data/genomics_challenge.ts";
 * console.log(await yardstickSeconds(challengeStudy(1).development));
 * ```
 * @param rows The rows to train on.
 * @returns The seconds of one training.
 */
export async function yardstickSeconds(rows: Dataset): Promise<number> {
  const restore = seedEverything(0);
  const model = tf.sequential();
  try {
    model.add(tf.layers.dense({ inputShape: [rows.features], units: 12, activation: "relu" }));
    model.add(tf.layers.dense({ units: 1, activation: "sigmoid" }));
  } finally {
    restore();
  }
  model.compile({ optimizer: tf.train.sgd(0.03), loss: "binaryCrossentropy" });
  const x = tf.tensor2d(rows.x, [rows.samples, rows.features]);
  const y = tf.tensor2d(Float32Array.from(rows.y), [rows.samples, 1]);
  try {
    await model.trainOnBatch(x, y);
    const start = performance.now();
    for (let step = 0; step < 10; step++) await model.trainOnBatch(x, y);
    return (performance.now() - start) / 1000;
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function copy(data: Dataset, labels: Int32Array = data.y): Dataset {
  return { x: data.x.slice(), y: labels.slice(), samples: data.samples, features: data.features };
}

function heldOutAccuracy(predicted: number[], heldOut: Dataset): number {
  if (!Array.isArray(predicted) || predicted.length !== heldOut.samples) {
    throw new RangeError(
      `challenge: predict returned ${
        Array.isArray(predicted) ? predicted.length : typeof predicted
      } labels for ${heldOut.samples} rows; return one 0/1 label per row`,
    );
  }
  return predicted.filter((p, i) => p === heldOut.y[i]).length / heldOut.samples;
}

/** Fits once with `Math.random` seeded by `seed`, scores once, disposes; returns accuracy, seconds, leaks. */
async function run(fit: FitClassifier, development: Dataset, heldOut: Dataset, seed: number) {
  const tensors = tf.memory().numTensors;
  const start = performance.now();
  const restore = seedEverything(seed);
  let classifier: Classifier;
  let predicted: number[];
  try {
    classifier = await fit(development);
    predicted = await classifier.predict({
      x: heldOut.x.slice(),
      samples: heldOut.samples,
      features: heldOut.features,
    });
  } finally {
    restore();
  }
  const seconds = (performance.now() - start) / 1000;
  classifier.dispose();
  return {
    accuracy: heldOutAccuracy(predicted, heldOut),
    seconds,
    leaked: tf.memory().numTensors - tensors,
  };
}

/**
 * Runs the challenge for `fit`: draws {@linkcode challengeStudy}(`studySeed ?? seed`), fits and scores
 * {@linkcode CHALLENGE_TARGET}`.runs` times with `Math.random` seeded differently each time, then once on
 * development rows with shuffled labels, each fit on a fresh copy of the rows. Throws what `fit` or
 * `predict` throws, and a `RangeError` when `predict` does not return one label per row.
 *
 * @example Usage
 * ```ts ignore
 * import { judgeChallenge } from "@lib/data/genomics_challenge.ts";
 * const judgement = await judgeChallenge(myFit, { seed: 42 });
 * ```
 * @param fit The challenge function.
 * @param options The seed, and optionally the yardstick's seconds.
 * @returns What was measured.
 */
export async function judgeChallenge(fit: FitClassifier, options: JudgeOptions): Promise<ChallengeJudgement> {
  const { development, heldOut } = challengeStudy(options.studySeed ?? options.seed);
  const yardstick = options.yardstickSeconds ?? await yardstickSeconds(development);
  const rng = createRng(options.seed ^ 0x5eed);
  const runs = [];
  for (let r = 0; r < CHALLENGE_TARGET.runs; r++) {
    runs.push(await run(fit, copy(development), heldOut, rng.int(2 ** 31)));
  }
  const shuffled = Int32Array.from(rng.shuffle(Array.from(development.y)));
  const control = await run(fit, copy(development, shuffled), heldOut, rng.int(2 ** 31));
  const accuracies = runs.map((r) => r.accuracy);
  return {
    accuracies,
    mean: accuracies.reduce((sum, a) => sum + a, 0) / accuracies.length,
    spread: Math.max(...accuracies) - Math.min(...accuracies),
    shuffledAccuracy: control.accuracy,
    trainings: median([...runs, control].map((r) => r.seconds)) / yardstick,
    leakedTensors: Math.max(...[...runs, control].map((r) => r.leaked)),
  };
}

/** Which of the challenge's conditions a judgement fails, each with a sentence saying so (absent: met). */
export interface ChallengeProblems {
  /** The mean held-out accuracy is below the target. */
  accuracy?: string;
  /** The runs spread more than the target allows. */
  spread?: string;
  /** The classifier does as well with shuffled labels: it did not learn from the labels it was given. */
  labels?: string;
  /** A fit took longer than the budget. */
  budget?: string;
  /** A disposed classifier left tensors behind. */
  memory?: string;
}

/**
 * Checks a judgement against {@linkcode CHALLENGE_TARGET} and {@linkcode CHALLENGE_BUDGET}.
 *
 * @example Usage
 * ```ts
 * import { challengeProblems } from "@lib/data/genomics_challenge.ts";
 * const problems = challengeProblems({
 *   accuracies: [0.6, 0.7, 0.65], mean: 0.65, spread: 0.1, shuffledAccuracy: 0.5, trainings: 3, leakedTensors: 0,
 * });
 * console.log(Object.keys(problems)); // ["accuracy", "spread"]
 * ```
 * @param judgement What {@linkcode judgeChallenge} measured.
 * @returns The conditions not met.
 */
export function challengeProblems(judgement: ChallengeJudgement): ChallengeProblems {
  const { meanAccuracy, spread, shuffledAccuracy, runs } = CHALLENGE_TARGET;
  const shown = judgement.accuracies.map((a) => a.toFixed(3)).join(", ");
  const problems: ChallengeProblems = {};
  if (!(judgement.mean >= meanAccuracy)) {
    problems.accuracy = `mean held-out accuracy ${judgement.mean.toFixed(3)} over ${runs} runs (${shown}) ` +
      `is below the target ${meanAccuracy}`;
  }
  if (!(judgement.spread <= spread)) {
    problems.spread =
      `held-out accuracy spreads ${judgement.spread.toFixed(3)} over ${runs} runs (${shown}), ` +
      `more than the target ${spread}`;
  }
  if (!(judgement.shuffledAccuracy <= shuffledAccuracy)) {
    problems.labels = `fitted on development rows with shuffled labels, the classifier still scored ` +
      `${judgement.shuffledAccuracy.toFixed(3)} on held-out rows (at most ${shuffledAccuracy} allowed): ` +
      `its predictions do not come from the labels it was given`;
  }
  if (!(judgement.trainings <= CHALLENGE_BUDGET.trainings)) {
    problems.budget = `a fit took as long as ${judgement.trainings.toFixed(1)} trainings of the plain ` +
      `network (the median over the fits); the budget is ${CHALLENGE_BUDGET.trainings}`;
  }
  if (judgement.leakedTensors > 0) {
    problems.memory = `${judgement.leakedTensors} tensors were left allocated after a fit's classifier ` +
      `was disposed; dispose what the fit creates`;
  }
  return problems;
}
