/**
 * Kata 06's challenge, as the test sees it: the rules (a heat-map regressor that keeps its batch-norm
 * layers and reaches a held-out R² in label units within a budget), the data it is scored on, and the
 * checks that reject shortcuts. Kept apart from the kata's test so that `heatmap_challenge_test.ts` can
 * show each check rejecting a shortcut without training anything for long.
 *
 * - **Score**: R² over every pixel, in label units, computed here ({@linkcode r2Score}), never with the
 *   learner's own metric.
 * - **Held-out data**: the seed's held-out images ({@linkcode challengeData}) and a fresh set drawn from an
 *   unpredictable seed ({@linkcode freshHeldOut}): no code can have seen it, so a regressor that memorised
 *   or hard-coded the seed's held-out heat-maps fails there.
 * - **Batch norm kept and used in inference mode** ({@linkcode checkBatchNormInUse}).
 * - **Budget** ({@linkcode checkBudget}): optimizer steps, counted by the judge while the learner's function
 *   trains ({@linkcode countGradientSteps}), and parameters of the returned model.
 * - **Rules out of reach**: {@linkcode CHALLENGE} is deep-frozen at module load, and the step counter lives
 *   in a non-writable slot of the tfjs engine, so graded code can change neither the target nor the count.
 * - **Target** ({@linkcode checkTarget}) on both held-out sets.
 * - **Learns from its labels** ({@linkcode checkLearnsFromItsLabels}): trained on labels shuffled among
 *   the images, an honest regressor has nothing to learn; one that still scores brought its answers from
 *   elsewhere (hard-coded or pretrained).
 *
 * @example Usage
 * ```ts
 * import { challengeData, r2Score } from "@lib/data/heatmap_challenge.ts";
 * const { train, heldOut } = challengeData(42);
 * console.log(train.images.shape, heldOut.labels.shape); // [400, 16, 16, 1] [128, 16, 16, 1]
 * console.log(r2Score([0, 1, 2], [0, 1, 2])); // 1
 * [train.images, train.labels, heldOut.images, heldOut.labels].forEach((t) => t.dispose());
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { deepFreeze } from "../core/freeze.ts";
import { createRng } from "../core/random.ts";
import { generateHeatmapData, type HeatmapData } from "./heatmaps.ts";

/** The challenge's rules: the target and the budget. Deep-frozen: graded code that writes to it throws. */
export const CHALLENGE = deepFreeze(
  {
    /** Held-out R² to reach, in label units, in inference mode. */
    targetR2: 0.8,
    /** Optimizer steps (gradient computations) training may take, counted by {@linkcode countGradientSteps}. */
    maxSteps: 100,
    /** Parameters the returned model may have (`model.countParams()`). */
    maxParams: 1_000,
    /** BatchNormalization layers the returned model must keep. */
    minBatchNormLayers: 2,
    /** Training images handed to the learner's function. */
    trainCount: 400,
    /** Images in each held-out set. */
    testCount: 128,
  } as const,
);

/**
 * Every gradient computation of the tfjs engine (`model.fit`, `optimizer.minimize`, `tf.variableGrads`,
 * `tf.grads` all go through `engine.gradients`) adds one to `count`. Installed once, at module load and so
 * before any graded module runs, in a slot graded code can neither overwrite nor redefine; the original
 * method and `Reflect.apply` are captured first.
 */
const gradientCounter = (() => {
  const engine = tf.engine();
  const original = engine.gradients;
  const apply = Reflect.apply;
  const counter = { count: 0 };
  Object.defineProperty(engine, "gradients", {
    value: function gradients(this: unknown, ...args: unknown[]) {
      counter.count++;
      return apply(original, engine, args);
    },
    writable: false,
    configurable: false,
    enumerable: false,
  });
  return counter;
})();

/**
 * Runs `train` and counts the optimizer steps it takes: the tfjs engine's gradient computations while it
 * runs (one per step of `model.fit`, `optimizer.minimize` or a hand-written loop over `tf.variableGrads`).
 * The count is the judge's own, unlike `model.optimizer.iterations`, which graded code can write.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { countGradientSteps } from "@lib/data/heatmap_challenge.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
 * const [x, y] = [tf.ones([4, 1]), tf.ones([4, 1])];
 * const { steps } = await countGradientSteps(() => model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 }));
 * console.log(steps); // 6
 * ```
 * @param train The training to count.
 * @returns What `train` returned, and the steps it took.
 */
export async function countGradientSteps<T>(train: () => Promise<T>): Promise<{ value: T; steps: number }> {
  const start = gradientCounter.count;
  const value = await train();
  return { value, steps: gradientCounter.count - start };
}

/**
 * With its labels shuffled among the first {@linkcode SHUFFLED_COUNT} training images, a regressor that
 * learns from its labels has nothing to learn: its held-out R² must stay below this. Kata 06's reference
 * scored −0.0179 to 0.21 (seeds 1–20, wasm), 0.19 below the threshold (a quarter of the spread is 0.057);
 * a regressor that ignores its labels scores what it scores with the right ones (≥ the target, 0.8).
 */
export const SHUFFLED_MAX_R2 = 0.4;

/** Training images, with shuffled labels, that {@linkcode checkLearnsFromItsLabels} trains on. */
export const SHUFFLED_COUNT = 80;

/** A trained heat-map regressor: its network, and heat-maps in label units. */
export interface TrainedRegressor {
  /** The trained network (compiled with the optimizer that trained it). */
  model: tf.LayersModel;
  /**
   * Heat-maps in the original label units, one per image, in inference mode. The caller disposes the
   * result.
   */
  predict(images: tf.Tensor4D): tf.Tensor4D;
}

/**
 * Draws the challenge's training set and the seed's held-out set, the data every step of kata 06 uses
 * (seeds `2·seed` and `2·seed + 1`). The caller disposes the tensors.
 *
 * @example Usage
 * ```ts
 * import { challengeData } from "@lib/data/heatmap_challenge.ts";
 * const { train } = challengeData(1);
 * console.log(train.labels.max().dataSync()[0] < 0.02); // true
 * ```
 * @param seed The run's seed (`KATA_SEED`).
 * @returns Training and held-out images with heat-map labels.
 */
export function challengeData(seed: number): { train: HeatmapData; heldOut: HeatmapData } {
  return {
    train: generateHeatmapData({ count: CHALLENGE.trainCount, seed: 2 * seed }),
    heldOut: generateHeatmapData({ count: CHALLENGE.testCount, seed: 2 * seed + 1 }),
  };
}

/**
 * A held-out set drawn from a seed nobody can predict (`crypto.getRandomValues`); the seed is returned so
 * that a failure can be reproduced. The caller disposes the tensors.
 *
 * @example Usage
 * ```ts
 * import { freshHeldOut } from "@lib/data/heatmap_challenge.ts";
 * const { seed, data } = freshHeldOut();
 * console.log(Number.isInteger(seed), data.images.shape[0]); // true 128
 * ```
 * @returns The seed and the images with their labels.
 */
export function freshHeldOut(): { seed: number; data: HeatmapData } {
  const seed = crypto.getRandomValues(new Uint32Array(1))[0] >>> 1;
  return { seed, data: generateHeatmapData({ count: CHALLENGE.testCount, seed }) };
}

/**
 * R² over every element, in float64: `1 − Σ(y − ŷ)² / Σ(y − ȳ)²`. Throws when the lengths differ or every
 * label is equal.
 *
 * @example Usage
 * ```ts
 * import { r2Score } from "@lib/data/heatmap_challenge.ts";
 * console.log(r2Score([0, 2], [1, 1])); // 0
 * ```
 * @param labels The true values.
 * @param predictions The predictions, as many as the labels.
 * @returns R².
 */
export function r2Score(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  if (labels.length !== predictions.length) {
    throw new Error(`r2Score: ${labels.length} labels but ${predictions.length} predictions`);
  }
  let mean = 0;
  for (let i = 0; i < labels.length; i++) mean += labels[i];
  mean /= labels.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    residual += (labels[i] - predictions[i]) ** 2;
    total += (labels[i] - mean) ** 2;
  }
  if (!(total > 0)) throw new Error("r2Score: every label is equal, so R² is undefined");
  return 1 - residual / total;
}

/**
 * Held-out R² of `regressor.predict` on `data`, in label units.
 *
 * @example Usage
 * ```ts ignore
 * import { challengeData, heldOutR2 } from "@lib/data/heatmap_challenge.ts";
 * const r2 = heldOutR2(regressor, challengeData(42).heldOut);
 * ```
 * @param regressor The trained regressor.
 * @param data Held-out images and labels.
 * @returns R² over every pixel.
 */
export function heldOutR2(regressor: TrainedRegressor, data: HeatmapData): number {
  const predictions = regressor.predict(data.images);
  try {
    if (predictions.shape.join() !== data.labels.shape.join()) {
      throw new Error(
        `predict gave shape [${predictions.shape}] for ${data.images.shape[0]} images; expected ` +
          `[${data.labels.shape}], one heat-map per image`,
      );
    }
    return r2Score(data.labels.dataSync(), predictions.dataSync());
  } finally {
    predictions.dispose();
  }
}

/**
 * Disposes a trained model and its optimizer's state, whether or not the model owns the optimizer
 * (compiled with a name such as `"adam"`, `model.dispose()` disposes it; with an optimizer object, not).
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { disposeModel } from "@lib/data/heatmap_challenge.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
 * disposeModel(model);
 * ```
 * @param model A compiled or uncompiled model.
 */
export function disposeModel(model: tf.LayersModel): void {
  const owned = (model as unknown as { isOptimizerOwned?: boolean }).isOptimizerOwned === true;
  if (!owned) (model.optimizer as tf.Optimizer | undefined)?.dispose();
  model.dispose();
}

/** A function that trains a regressor on images and their raw labels: the learner's challenge entry. */
export type ChallengeEntry = (images: tf.Tensor4D, labels: tf.Tensor4D) => Promise<TrainedRegressor>;

/**
 * Throws unless a held-out R² reaches {@linkcode CHALLENGE}`.targetR2`, naming `which` held-out set it
 * was measured on.
 *
 * @example Usage
 * ```ts
 * import { checkTarget } from "@lib/data/heatmap_challenge.ts";
 * checkTarget(0.93, "the seed's held-out images"); // passes
 * ```
 * @param r2 The held-out R² ({@linkcode heldOutR2}).
 * @param which What the held-out set is, for the message.
 */
export function checkTarget(r2: number, which: string): void {
  if (!(r2 >= CHALLENGE.targetR2)) {
    throw new Error(
      `held-out R² on ${which} is ${r2}; the target is ${CHALLENGE.targetR2} (in label units, batch norm in ` +
        "inference mode)",
    );
  }
}

/**
 * Trains `entry` on the first {@linkcode SHUFFLED_COUNT} training images with their labels shuffled among
 * them and returns the held-out R² it then reaches; throws when that reaches {@linkcode SHUFFLED_MAX_R2}:
 * such a regressor did not learn from the labels it was given (hard-coded or pretrained answers). Disposes
 * what it trained.
 *
 * @example Usage
 * ```ts ignore
 * import { challengeData, checkLearnsFromItsLabels } from "@lib/data/heatmap_challenge.ts";
 * const { train, heldOut } = challengeData(42);
 * const r2 = await checkLearnsFromItsLabels(trainBatchNormRegressor, train, heldOut, 42);
 * ```
 * @param entry The learner's training function.
 * @param train The training set.
 * @param heldOut The held-out set.
 * @param seed Seed of the shuffle.
 * @returns Held-out R² after training on shuffled labels.
 */
export async function checkLearnsFromItsLabels(
  entry: ChallengeEntry,
  train: HeatmapData,
  heldOut: HeatmapData,
  seed: number,
): Promise<number> {
  const images = train.images.slice([0], [SHUFFLED_COUNT]);
  const labels = train.labels.slice([0], [SHUFFLED_COUNT]);
  const shuffled = shuffleLabels(labels, seed);
  try {
    const regressor = await entry(images, shuffled);
    let r2: number;
    try {
      r2 = heldOutR2(regressor, heldOut);
    } finally {
      disposeModel(regressor.model);
    }
    if (r2 >= SHUFFLED_MAX_R2) {
      throw new Error(
        `trained on ${SHUFFLED_COUNT} images whose labels were shuffled among them, the regressor still ` +
          `reached a held-out R² of ${r2} (at most ${SHUFFLED_MAX_R2} expected): its answers do not come from ` +
          "the labels it was given",
      );
    }
    return r2;
  } finally {
    tf.dispose([images, labels, shuffled]);
  }
}

/**
 * The labels with their images' order shuffled (a seeded permutation with no image keeping its own
 * heat-map): the same label values, no longer related to the images. The caller disposes the result.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { shuffleLabels } from "@lib/data/heatmap_challenge.ts";
 * const labels = tf.tensor4d([1, 2, 3], [3, 1, 1, 1]);
 * const shuffled = shuffleLabels(labels, 7);
 * console.log(shuffled.sum().dataSync()[0]); // 6
 * ```
 * @param labels Labels `[count, ...]`, count ≥ 2.
 * @param seed Seed of the permutation.
 * @returns The shuffled labels.
 */
export function shuffleLabels(labels: tf.Tensor4D, seed: number): tf.Tensor4D {
  const count = labels.shape[0];
  if (count < 2) throw new Error(`shuffleLabels: need at least 2 labels to shuffle, got ${count}`);
  // Sattolo's algorithm: a uniformly random cyclic permutation, so no image keeps its own label.
  const rng = createRng(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return tf.tidy(() => tf.gather(labels, order) as tf.Tensor4D);
}

/** The BatchNormalization layers of `model`, nested models included, in order. */
function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((layer) =>
    layer instanceof tf.LayersModel
      ? batchNormLayers(layer)
      : layer.getClassName() === "BatchNormalization"
      ? [layer]
      : []
  );
}

/** Largest absolute difference between two tensors of one shape. */
function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

/** Largest absolute value of a tensor. */
function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => t.abs().max().dataSync()[0]);
}

/**
 * Throws unless the regressor keeps its batch norm and uses it in inference mode: `model` holds at
 * least {@linkcode CHALLENGE}`.minBatchNormLayers` BatchNormalization layers, training moved each one's
 * moving statistics away from their start (mean 0, variance 1), `predict` gives one image the same
 * heat-map alone as in a batch (batch statistics would not), and changing any one layer's moving
 * variance changes `predict`'s answers (the layer is on the output's path and `predict` reads its moving
 * statistics). Leaves the model as it found it.
 *
 * @example Usage
 * ```ts ignore
 * import { checkBatchNormInUse } from "@lib/data/heatmap_challenge.ts";
 * checkBatchNormInUse(regressor, images); // throws with the rule it broke
 * ```
 * @param regressor The trained regressor.
 * @param images At least 4 images to predict.
 */
export function checkBatchNormInUse(regressor: TrainedRegressor, images: tf.Tensor4D): void {
  const layers = batchNormLayers(regressor.model);
  if (layers.length < CHALLENGE.minBatchNormLayers) {
    throw new Error(
      `the model has ${layers.length} BatchNormalization layer(s); the challenge keeps at least ` +
        `${CHALLENGE.minBatchNormLayers} (layers: ${regressor.model.layers.map((l) => l.getClassName())})`,
    );
  }
  for (const layer of layers) {
    const [, , movingMean, movingVariance] = layer.getWeights();
    const moved = tf.tidy(() => Math.max(maxAbs(movingMean), maxAbs(movingVariance.sub(1))));
    if (!(moved > 1e-6)) {
      throw new Error(
        `BatchNormalization layer "${layer.name}" still has its initial moving statistics (mean 0, ` +
          `variance 1): it was never run in training mode`,
      );
    }
  }
  const batch = images.slice([0], [4]);
  const reference = regressor.predict(batch);
  try {
    const scale = maxAbs(reference) + 1e-12;
    const alone = tf.concat([0, 1, 2, 3].map((i) => tf.tidy(() => regressor.predict(batch.slice([i], [1])))));
    const apart = maxDifference(alone, reference);
    alone.dispose();
    if (apart > 1e-4 * scale) {
      throw new Error(
        `predict gave an image another heat-map alone than in a batch of 4 (max difference ${apart}): ` +
          `predict must run batch norm in inference mode (model.predict), not with batch statistics`,
      );
    }
    for (const layer of layers) {
      const saved = layer.getWeights().map((w) => w.clone());
      try {
        const [gamma, beta, mean, variance] = saved;
        const changed = tf.tidy(() => variance.mul(4).add(1));
        layer.setWeights([gamma, beta, mean, changed]);
        changed.dispose();
        const perturbed = regressor.predict(batch);
        const effect = maxDifference(perturbed, reference);
        perturbed.dispose();
        if (!(effect > 1e-3 * scale)) {
          throw new Error(
            `changing the moving variance of BatchNormalization layer "${layer.name}" did not change ` +
              `predict's heat-maps: the layer must be on the output's path, and predict must use its ` +
              `moving statistics`,
          );
        }
      } finally {
        layer.setWeights(saved);
        tf.dispose(saved);
      }
    }
  } finally {
    tf.dispose([batch, reference]);
  }
}

/**
 * Throws unless training stayed within the budget: `steps` (counted by {@linkcode countGradientSteps}, never
 * read from the model) is at least one and at most {@linkcode CHALLENGE}`.maxSteps`, the model is compiled
 * with the optimizer that trained it, and it has at most {@linkcode CHALLENGE}`.maxParams` parameters.
 *
 * @example Usage
 * ```ts ignore
 * import { checkBudget, countGradientSteps } from "@lib/data/heatmap_challenge.ts";
 * const { value: regressor, steps } = await countGradientSteps(() => entry(images, labels));
 * checkBudget(regressor, steps); // throws with the limit it broke
 * ```
 * @param regressor The trained regressor.
 * @param steps The optimizer steps its training took, as the judge counted them.
 */
export function checkBudget(regressor: TrainedRegressor, steps: number): void {
  const { model } = regressor;
  const optimizer = model.optimizer as tf.Optimizer | undefined;
  if (optimizer === undefined) {
    throw new Error(
      "the model is not compiled: compile it with the optimizer you train it with",
    );
  }
  const params = model.countParams();
  if (params > CHALLENGE.maxParams) {
    throw new Error(`the model has ${params} parameters; the budget is at most ${CHALLENGE.maxParams}`);
  }
  if (!(steps >= 1 && steps <= CHALLENGE.maxSteps)) {
    throw new Error(
      `training took ${steps} optimizer steps (gradient computations, counted by the test); the budget is ` +
        `1 to ${CHALLENGE.maxSteps}`,
    );
  }
}
