/**
 * Kata 01's challenge, measured by its outcome only: a classifier that takes raw Fashion-MNIST bytes
 * (0..255) as its input must train, with the default Adam, as well as the usual pipeline that divides the
 * pixels by 255 before a plain MLP. The learner's code only builds the model; this module draws the data,
 * trains both models the same way and scores them on held-out images the learner's code never sees.
 *
 * What keeps the outcome honest:
 * - the classes are renamed by a permutation drawn from the challenge's seed (which the learner's code
 *   does not receive), in the training labels and the held-out labels alike: outputs hard-coded for the
 *   true Fashion-MNIST labels are worth nothing here;
 * - the builder gets the training pixels but no labels, and its model must arrive untrained: at chance on
 *   the held-out images (true labels) before training; its weights drawn from the seeded generator (a
 *   second build from another seed must differ in at least 90 % of its parameters, which saved or
 *   pretrained weights do not, even behind a fresh random head); and built with at most 100 tensor
 *   operations (computing statistics takes a handful; one Adam step of the MLP takes ~200);
 * - the training (optimizer, learning rate, loss, epochs, batch size) is this module's, not the learner's,
 *   and the model must fit in the parameter budget;
 * - the model must be a plain `tf.Sequential` or `tf.LayersModel` (custom layers are fine), none of its
 *   methods replaced: a model whose own `fit` divided by 255 or trained 6 epochs, or whose `predict` scaled
 *   its input, would otherwise be trained and scored its own way. This module calls tfjs's `compile`,
 *   `fit` and `predict` from the class's prototype, never the candidate's properties.
 *
 * @example Usage
 * ```ts ignore
 * import * as tf from "@tensorflow/tfjs";
 * import { rawPixelProblems, runRawPixelChallenge } from "@lib/data/raw_pixel_challenge.ts";
 * const outcome = await runRawPixelChallenge((_pixels) => {
 *   const model = tf.sequential();
 *   model.add(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
 *   model.add(tf.layers.dense({ units: 128, activation: "relu" }));
 *   model.add(tf.layers.dense({ units: 10 }));
 *   return model;
 * }, { seed: 1 });
 * console.log(rawPixelProblems(outcome)); // []
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng, seedEverything } from "../core/random.ts";
import { type ClassificationScores, classificationScores } from "../metrics/classification.ts";
import { oncePer } from "../testing/once.ts";
import { loadFashionMnist } from "./fashion_mnist.ts";
import { deepFreeze } from "../core/freeze.ts";

/** Builds an untrained classifier: raw pixels `[n, 784]` (0..255) in, 10 logits out. */
export type RawPixelBuilder = (trainPixels: tf.Tensor2D) => tf.LayersModel;

/** What the challenge allows: the training is fixed, the model's size is capped. */
export const RAW_PIXEL_BUDGET = {
  /** Parameters of the model, trainable or not (the plain MLP 784-128-10 has 101,770). */
  maxParameters: 110_000,
  /** Tensor operations (tfjs kernels) the builder may run: enough to compute statistics, not to train. */
  maxBuildOperations: 100,
  /** Passes over the 3,000 training images. */
  epochs: 2,
  /** Images per Adam step (2 epochs of 3,000 images: 94 steps). */
  batchSize: 64,
} as const;
deepFreeze(RAW_PIXEL_BUDGET); // graded code cannot change the rules the tests read

/** What the challenge asks, against the /255 pipeline trained on the same data from the same seed. */
export const RAW_PIXEL_TARGET = {
  /** Held-out accuracy at least the pipeline's minus this. */
  accuracyTolerance: 0.02,
  /** Held-out log loss at most the pipeline's plus this (nats). */
  logLossTolerance: 0.1,
  /** Before training, held-out accuracy on the true labels below this (10 classes: chance is 0.1). */
  maxDeliveredAccuracy: 0.35,
  /** Share of parameters that must differ between builds from two seeds (fresh, seeded weights). */
  minFreshShare: 0.9,
} as const;
deepFreeze(RAW_PIXEL_TARGET); // graded code cannot change the rules the tests read

/** Options for {@linkcode runRawPixelChallenge}. */
export interface RawPixelChallengeOptions {
  /** Draws the class renaming, the order of the training images, and every initialisation and shuffle. */
  seed: number;
}

/** What {@linkcode runRawPixelChallenge} measured. */
export interface RawPixelOutcome {
  /** The candidate's parameter count (trainable and not). */
  parameters: number;
  /** The candidate's input shape, as built. */
  inputShape: (number | null)[];
  /** The candidate's output shape, as built. */
  outputShape: (number | null)[];
  /** Tensor operations the builder ran. */
  buildOperations: number;
  /** Share of the candidate's parameters that differ in a second build from another seed. */
  freshShare: number;
  /**
   * What the candidate replaces of tfjs's model: its methods defined on the instance (`fit`, `predict`…),
   * or its class when not tfjs's own `Sequential` or `LayersModel`. Empty for a plain model.
   */
  overrides: string[];
  /** The candidate's held-out accuracy on the true labels before any training (NaN when not measured). */
  deliveredAccuracy: number;
  /** Whether the candidate was trained (not when its shapes or size break the contract, or it came trained). */
  trained: boolean;
  /** The candidate's held-out accuracy after training (NaN when not trained). */
  accuracy: number;
  /** The candidate's held-out log loss after training, nats (NaN when not trained). */
  logLoss: number;
  /** The /255 pipeline's held-out accuracy. */
  pipelineAccuracy: number;
  /** The /255 pipeline's held-out log loss, nats. */
  pipelineLogLoss: number;
}

interface ChallengeData {
  /** Raw training pixels 0..255, float32 [3000, 784], in the seed's order. */
  xTrain: tf.Tensor2D;
  /** One-hot renamed training labels. */
  yTrain: tf.Tensor2D;
  /** Raw held-out pixels, float32 [1000, 784]. */
  xHeldOut: tf.Tensor2D;
  /** Renamed held-out labels. */
  heldOutLabels: Int32Array;
  /** True held-out labels. */
  trueHeldOutLabels: Uint8Array;
}

/** Draws the challenge's data for `seed`: the mini subset, its classes renamed, its training order shuffled. */
async function drawData(seed: number): Promise<ChallengeData> {
  const [train, test] = await Promise.all([
    loadFashionMnist("train", { mini: true }),
    loadFashionMnist("test", { mini: true }),
  ]);
  const rng = createRng(seed);
  const rename = rng.shuffle(Array.from({ length: 10 }, (_, c) => c));
  const order = rng.shuffle(Array.from({ length: train.count }, (_, i) => i));
  const pixels = new Float32Array(train.count * 784);
  const labels = new Int32Array(train.count);
  order.forEach((from, to) => {
    pixels.set(train.images.subarray(from * 784, (from + 1) * 784), to * 784);
    labels[to] = rename[train.labels[from]];
  });
  return {
    xTrain: tf.tensor2d(pixels, [train.count, 784]),
    yTrain: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10) as tf.Tensor2D),
    xHeldOut: tf.tensor2d(Float32Array.from(test.images), [test.count, 784]),
    heldOutLabels: Int32Array.from(test.labels, (label) => rename[label]),
    trueHeldOutLabels: test.labels,
  };
}

/** tfjs's own methods for `model`'s class: the ones this module calls, whatever the instance defines. */
function tfjsMethods(model: tf.LayersModel): tf.LayersModel {
  return model instanceof tf.Sequential ? tf.Sequential.prototype : tf.LayersModel.prototype;
}

/**
 * What `model` replaces of tfjs's model: a class other than `tf.Sequential` / `tf.LayersModel` itself,
 * and each method (or getter/setter) defined on the instance. A model tfjs built has none.
 */
function overriddenParts(model: tf.LayersModel): string[] {
  const parts: string[] = [];
  const prototype = Object.getPrototypeOf(model);
  if (prototype !== tf.Sequential.prototype && prototype !== tf.LayersModel.prototype) {
    parts.push(`its class ${prototype?.constructor?.name ?? "(none)"}`);
  }
  for (const key of Reflect.ownKeys(model)) {
    const property = Object.getOwnPropertyDescriptor(model, key)!;
    if (property.get || property.set || typeof property.value === "function") parts.push(String(key));
  }
  return parts;
}

/** The /255 pipeline's model: the plain MLP 784-128-10 (ReLU, logits) the kata trains on scaled pixels. */
function pipelineMlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 128, activation: "relu" }));
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}

/** Held-out accuracy and log loss of a logits model. */
function score(model: tf.LayersModel, x: tf.Tensor2D, labels: ArrayLike<number>) {
  const predict = tfjsMethods(model).predict;
  const probabilities = tf.tidy(() => tf.softmax(predict.call(model, x) as tf.Tensor) as tf.Tensor2D);
  try {
    return classificationScores(probabilities, labels);
  } finally {
    probabilities.dispose();
  }
}

/** Trains `model` the challenge's way: default Adam, softmax cross-entropy on its logits, the fixed budget. */
async function train(model: tf.LayersModel, x: tf.Tensor2D, y: tf.Tensor2D, seed: number): Promise<void> {
  const optimizer = tf.train.adam();
  const methods = tfjsMethods(model);
  methods.compile.call(model, {
    optimizer,
    loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  seedEverything(seed);
  await methods.fit.call(model, x, y, {
    epochs: RAW_PIXEL_BUDGET.epochs,
    batchSize: RAW_PIXEL_BUDGET.batchSize,
    shuffle: true,
    verbose: 0,
  });
  optimizer.dispose();
}

/**
 * Runs the challenge for `build`: draws the data from `options.seed`, trains the /255 pipeline and the
 * candidate the same way from the same seed, and scores both on the held-out images. A candidate whose
 * shapes break the contract, whose size exceeds the budget, that replaces tfjs's methods or that arrives
 * already trained is measured but not trained. The pipeline is trained once per seed and process. Leaves no tensors behind and
 * restores `Math.random`.
 *
 * @example Usage
 * ```ts ignore
 * import { runRawPixelChallenge } from "@lib/data/raw_pixel_challenge.ts";
 * const outcome = await runRawPixelChallenge(myBuilder, { seed: 7 });
 * console.log(outcome.accuracy - outcome.pipelineAccuracy);
 * ```
 * @param build The learner's builder.
 * @param options The seed.
 * @returns What was measured.
 */
export async function runRawPixelChallenge(
  build: RawPixelBuilder,
  options: RawPixelChallengeOptions,
): Promise<RawPixelOutcome> {
  const reference = await pipelineScores(options.seed);
  const data = await drawData(options.seed);
  const restore = seedEverything(options.seed);
  const built: tf.LayersModel[] = [];
  try {
    const first = await buildCounted(build, data.xTrain, options.seed);
    built.push(first.model);
    const candidate = first.model;
    const second = await buildCounted(build, data.xTrain, options.seed + 1);
    if (second.model !== candidate) built.push(second.model);
    const inputShape = candidate.inputs[0].shape;
    const outputShape = candidate.outputs[0].shape;
    const outcome: RawPixelOutcome = {
      parameters: candidate.countParams(),
      inputShape,
      outputShape,
      buildOperations: first.operations,
      freshShare: freshShare(candidate, second.model),
      overrides: overriddenParts(candidate),
      deliveredAccuracy: NaN,
      trained: false,
      accuracy: NaN,
      logLoss: NaN,
      pipelineAccuracy: reference.accuracy,
      pipelineLogLoss: reference.logLoss,
    };
    const fits = candidate.inputs.length === 1 && candidate.outputs.length === 1 &&
      sameShape(inputShape, [null, 784]) && sameShape(outputShape, [null, 10]);
    if (!fits) return outcome;
    outcome.deliveredAccuracy = score(candidate, data.xHeldOut, data.trueHeldOutLabels).accuracy;
    if (rawPixelProblems(outcome).length > 0) return outcome;
    await train(candidate, data.xTrain, data.yTrain, options.seed);
    const result = score(candidate, data.xHeldOut, data.heldOutLabels);
    return { ...outcome, trained: true, accuracy: result.accuracy, logLoss: result.logLoss };
  } finally {
    for (const model of built) model.dispose();
    tf.dispose([data.xTrain, data.yTrain, data.xHeldOut]);
    restore();
  }
}

/** Calls `build` on a copy of the training pixels from `seed`, counting the tensor operations it runs. */
async function buildCounted(
  build: RawPixelBuilder,
  pixels: tf.Tensor2D,
  seed: number,
): Promise<{ model: tf.LayersModel; operations: number }> {
  const given = pixels.clone();
  seedEverything(seed);
  let model: tf.LayersModel | undefined;
  try {
    const fix = "give its first layer `inputShape: [784]` (or build it from `tf.input({ shape: [784] })`)";
    const profile = await tf.profile(() => {
      try {
        model = build(given);
      } catch (error) {
        // tfjs refuses a Sequential's first layer without an input shape as the layer is added.
        if (error instanceof Error && /inputShape/.test(error.message)) {
          throw new Error(`the builder failed: ${error.message} (${fix})`, { cause: error });
        }
        throw error;
      }
      return [];
    });
    if (!model || !model.inputs?.length || !model.outputs?.length) {
      throw new Error(`the builder must return a built tf.LayersModel: ${fix}`);
    }
    return { model, operations: profile.kernels.length };
  } finally {
    given.dispose();
  }
}

/** The share of `a`'s parameters whose value differs in `b` (1 where the shapes differ, 0 for one model). */
function freshShare(a: tf.LayersModel, b: tf.LayersModel): number {
  if (a === b) return 0;
  const [wa, wb] = [a.getWeights(), b.getWeights()];
  let total = 0, differ = 0;
  wa.forEach((w, i) => {
    const values = w.dataSync();
    total += values.length;
    const other = wb[i];
    if (!other || other.size !== w.size) {
      differ += values.length;
      return;
    }
    const otherValues = other.dataSync();
    for (let j = 0; j < values.length; j++) if (values[j] !== otherValues[j]) differ++;
  });
  return total === 0 ? 1 : differ / total;
}

function sameShape(actual: (number | null)[], expected: (number | null)[]): boolean {
  return actual.length === expected.length && actual.every((d, i) => d === expected[i]);
}

/** The /255 pipeline's held-out scores for `seed`, trained once per seed and process. */
const pipelineScores = oncePer(async (seed: number): Promise<ClassificationScores> => {
  const data = await drawData(seed);
  const restore = seedEverything(seed);
  const pipeline = pipelineMlp();
  const xScaled = tf.tidy(() => data.xTrain.div(255) as tf.Tensor2D);
  const xHeldOutScaled = tf.tidy(() => data.xHeldOut.div(255) as tf.Tensor2D);
  try {
    await train(pipeline, xScaled, data.yTrain, seed);
    return score(pipeline, xHeldOutScaled, data.heldOutLabels);
  } finally {
    pipeline.dispose();
    tf.dispose([xScaled, xHeldOutScaled, data.xTrain, data.yTrain, data.xHeldOut]);
    restore();
  }
});

/**
 * What keeps `outcome` from meeting the challenge, each problem in a sentence naming the fix; empty
 * when it meets the target within the budget.
 *
 * @example Usage
 * ```ts
 * import { rawPixelProblems } from "@lib/data/raw_pixel_challenge.ts";
 * const problems = rawPixelProblems({
 *   parameters: 101_770, inputShape: [null, 784], outputShape: [null, 10], buildOperations: 4,
 *   freshShare: 0.998, overrides: [], deliveredAccuracy: 0.1,
 *   trained: true, accuracy: 0.70, logLoss: 6.2, pipelineAccuracy: 0.78, pipelineLogLoss: 0.62,
 * });
 * console.log(problems.length); // 2: accuracy and log loss both miss
 * ```
 * @param outcome What {@linkcode runRawPixelChallenge} measured.
 * @returns The problems, empty when none.
 */
export function rawPixelProblems(outcome: RawPixelOutcome): string[] {
  const problems: string[] = [];
  const shape = (s: (number | null)[]) => `[${s.map((d) => d ?? "null").join(", ")}]`;
  if (outcome.inputShape.length !== 2 || outcome.inputShape[1] !== 784) {
    problems.push(`the model's input is ${shape(outcome.inputShape)}; it must take raw pixels [null, 784]`);
  }
  if (outcome.outputShape.length !== 2 || outcome.outputShape[1] !== 10) {
    problems.push(`the model's output is ${shape(outcome.outputShape)}; it must give 10 logits [null, 10]`);
  }
  if (outcome.parameters > RAW_PIXEL_BUDGET.maxParameters) {
    problems.push(
      `the model has ${outcome.parameters} parameters; the budget is ${RAW_PIXEL_BUDGET.maxParameters}`,
    );
  }
  if (outcome.buildOperations > RAW_PIXEL_BUDGET.maxBuildOperations) {
    problems.push(
      `building the model ran ${outcome.buildOperations} tensor operations; the budget is ` +
        `${RAW_PIXEL_BUDGET.maxBuildOperations} (build the model, do not train it: the test trains it)`,
    );
  }
  if (outcome.freshShare < RAW_PIXEL_TARGET.minFreshShare) {
    problems.push(
      `only ${(100 * outcome.freshShare).toFixed(1)} % of the parameters changed when the model was built ` +
        `from another seed: its weights must be freshly initialised (from Math.random), not saved or pretrained`,
    );
  }
  if (outcome.overrides.length > 0) {
    problems.push(
      `the model replaces tfjs's own ${outcome.overrides.join(", ")}: the challenge compiles, trains and ` +
        `scores it with tfjs's methods, its own way; return a plain tf.sequential() or tf.model() ` +
        `(custom layers are fine) and put the scaling in a layer`,
    );
  }
  if (outcome.deliveredAccuracy >= RAW_PIXEL_TARGET.maxDeliveredAccuracy) {
    problems.push(
      `before any training the model already scores ${outcome.deliveredAccuracy} on held-out images ` +
        `(chance is 0.1): it must arrive untrained, with no labels or saved weights from elsewhere`,
    );
  }
  if (!outcome.trained) return problems;
  const minAccuracy = outcome.pipelineAccuracy - RAW_PIXEL_TARGET.accuracyTolerance;
  if (!(outcome.accuracy >= minAccuracy)) {
    problems.push(
      `held-out accuracy ${outcome.accuracy} is below the /255 pipeline's ${outcome.pipelineAccuracy} ` +
        `minus ${RAW_PIXEL_TARGET.accuracyTolerance}`,
    );
  }
  const maxLogLoss = outcome.pipelineLogLoss + RAW_PIXEL_TARGET.logLossTolerance;
  if (!(outcome.logLoss <= maxLogLoss)) {
    problems.push(
      `held-out log loss ${outcome.logLoss.toFixed(3)} nats is above the /255 pipeline's ` +
        `${outcome.pipelineLogLoss.toFixed(3)} plus ${RAW_PIXEL_TARGET.logLossTolerance}`,
    );
  }
  return problems;
}
