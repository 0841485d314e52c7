import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertNotEquals, assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { isDeepFrozen } from "../core/freeze.ts";
import { seedEverything } from "../core/random.ts";
import { once } from "../testing/once.ts";
import {
  CHALLENGE,
  challengeData,
  checkBatchNormInUse,
  checkBudget,
  checkLearnsFromItsLabels,
  checkTarget,
  countGradientSteps,
  disposeModel,
  freshHeldOut,
  heldOutR2,
  r2Score,
  SHUFFLED_MAX_R2,
  shuffleLabels,
  type TrainedRegressor,
} from "./heatmap_challenge.ts";
import { buildHeatmapNet } from "../../solutions/06-batchnorm-regression/heatmap_regressor.ts";
import { trainBatchNormRegressor } from "../../solutions/06-batchnorm-regression/challenge.ts";

// Kata 06's challenge checks, each shown rejecting the shortcut it exists for. Only the "pretrained"
// shortcut trains a network for the full budget (once); the others need a few steps or none.
await initBackend();

const SEED = 3;
const data = once(() => challengeData(SEED));

/** The kata's network (`batchNorm` as in buildHeatmapNet), trained `steps` steps of 8 images. */
async function trainedNet(batchNorm: "both" | "none", steps: number): Promise<tf.Sequential> {
  const { train } = data();
  seedEverything(SEED);
  const model = buildHeatmapNet({ batchNorm });
  const [images, labels] = [train.images.slice([0], [8 * steps]), train.labels.slice([0], [8 * steps])];
  await model.fit(images, labels.mul(500), { epochs: 1, batchSize: 8, verbose: 0 });
  tf.dispose([images, labels]);
  return model;
}

/** A regressor answering in label units for a model trained on labels × 500. */
function regressorOf(model: tf.LayersModel): TrainedRegressor {
  return { model, predict: (x) => tf.tidy(() => (model.predict(x) as tf.Tensor4D).div(500)) };
}

/** Rejects with an error whose message matches `pattern`, and shows the message. */
function assertRejected(use: () => unknown, pattern: RegExp, what: string): void {
  const error = assertThrows(use, Error, undefined, `${what} must be rejected`);
  assert(pattern.test(error.message), `${what}: message "${error.message}" should match ${pattern}`);
}

describe("kata 06 challenge: scoring and data", () => {
  it("r2Score is 1 for a perfect fit, 0 for the mean, and rejects constant labels or other lengths", () => {
    assertEquals(r2Score([1, 2, 3], [1, 2, 3]), 1);
    assertEquals(r2Score([1, 2, 3], [2, 2, 2]), 0);
    assertEquals(r2Score([0, 2], [2, 0]), -3);
    assertThrows(() => r2Score([1, 1], [1, 2]), Error, "every label is equal");
    assertThrows(() => r2Score([1, 2], [1]), Error, "2 labels but 1 predictions");
  });

  it("shuffleLabels keeps every label, moves every one to another image, and is seeded", () => {
    const labels = tf.tensor4d(Array.from({ length: 50 }, (_, i) => i), [50, 1, 1, 1]);
    const a = Array.from(shuffleLabels(labels, 1).dataSync());
    const b = Array.from(shuffleLabels(labels, 1).dataSync());
    const c = Array.from(shuffleLabels(labels, 2).dataSync());
    assertEquals([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i), "the same labels");
    assert(a.every((v, i) => v !== i), "an image kept its own label");
    assertEquals(a, b, "the same seed");
    assertNotEquals(a, c, "another seed");
    labels.dispose();
  });

  it("challengeData is the kata's data for a seed; freshHeldOut draws unpredictable seeds", () => {
    const { train, heldOut } = data();
    assertEquals(train.images.shape, [CHALLENGE.trainCount, 16, 16, 1]);
    assertEquals(heldOut.labels.shape, [CHALLENGE.testCount, 16, 16, 1]);
    const [x, y] = [freshHeldOut(), freshHeldOut()];
    assertNotEquals(x.seed, y.seed, "two fresh held-out sets with the same seed");
    assertEquals(x.data.images.shape, [CHALLENGE.testCount, 16, 16, 1]);
    tf.dispose([x.data.images, x.data.labels, y.data.images, y.data.labels]);
  });

  it("disposeModel frees the weights and the optimizer's state, owned or not", async () => {
    for (const owned of [true, false]) {
      const before = tf.memory().numTensors;
      const optimizer = owned ? "adam" : tf.train.adam(1e-3);
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      model.compile({ optimizer, loss: "meanSquaredError" });
      const [x, y] = [tf.ones([2, 1]), tf.ones([2, 1])];
      await model.fit(x, y, { epochs: 2, verbose: 0 });
      tf.dispose([x, y]);
      disposeModel(model);
      assertEquals(
        tf.memory().numTensors,
        before,
        `tensors left (optimizer ${owned ? "owned" : "passed in"})`,
      );
    }
  });
});

describe("kata 06 challenge: each shortcut is rejected", () => {
  it("hard-coded or memorised held-out heat-maps score 1 on the seed's set and fail the fresh set", async () => {
    const model = await trainedNet("both", 1);
    const known = challengeData(SEED).heldOut;
    const memoriser: TrainedRegressor = {
      model,
      predict: (x) =>
        tf.tidy(() =>
          x.shape[0] === known.images.shape[0] && x.sub(known.images).abs().max().dataSync()[0] === 0
            ? known.labels.clone()
            : tf.zerosLike(x)
        ),
    };
    const r2 = heldOutR2(memoriser, data().heldOut);
    assertEquals(r2, 1, "the memoriser on the seed's held-out images");
    checkTarget(r2, "the seed's held-out images");
    const fresh = freshHeldOut();
    assertRejected(
      () => checkTarget(heldOutR2(memoriser, fresh.data), "fresh images"),
      /fresh images is .* target is 0.8/,
      "memoriser",
    );
    tf.dispose([fresh.data.images, fresh.data.labels]);
    // The check disposes the model it was handed.
    await assertRejects(
      () => checkLearnsFromItsLabels(() => Promise.resolve(memoriser), data().train, data().heldOut, SEED),
      Error,
      "its answers do not come from the labels it was given",
    );
    tf.dispose([known.images, known.labels]);
  });

  it("a network without batch norm, or whose batch norm never trained, is rejected", async () => {
    const images = data().heldOut.images;
    const plain = await trainedNet("none", 1);
    assertRejected(
      () => checkBatchNormInUse(regressorOf(plain), images),
      /0 BatchNormalization/,
      "no batch norm",
    );
    const untrained = buildHeatmapNet({ batchNorm: "both" });
    assertRejected(
      () => checkBatchNormInUse(regressorOf(untrained), images),
      /initial moving statistics/,
      "batch norm never run in training mode",
    );
    disposeModel(plain);
    disposeModel(untrained);
  });

  it("predicting with batch statistics, or around the batch-norm network, is rejected", async () => {
    const images = data().heldOut.images;
    const model = await trainedNet("both", 2);
    const other = await trainedNet("none", 2);
    const batchStatistics: TrainedRegressor = {
      model,
      predict: (x) => tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor4D).div(500)),
    };
    assertRejected(
      () => checkBatchNormInUse(batchStatistics, images),
      /alone than in a batch/,
      "batch statistics",
    );
    const around: TrainedRegressor = { model, predict: regressorOf(other).predict };
    assertRejected(() => checkBatchNormInUse(around, images), /did not change/, "batch norm off the path");
    const before = model.getWeights().map((w) => w.dataSync().slice());
    checkBatchNormInUse(regressorOf(model), images);
    assertEquals(
      model.getWeights().map((w) => w.dataSync()),
      before,
      "the check must leave the model as it was",
    );
    disposeModel(model);
    disposeModel(other);
  });

  it("more optimizer steps or parameters than the budget, or no optimizer, is rejected", async () => {
    const tiny = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    tiny.compile({ optimizer: tf.train.adam(1e-2), loss: "meanSquaredError" });
    const regressor: TrainedRegressor = { model: tiny, predict: (x) => x };
    assertRejected(() => checkBudget(regressor, 0), /took 0 optimizer steps/, "an untrained model");
    const [x, y] = [tf.ones([1, 1]), tf.ones([1, 1])];
    const within = await countGradientSteps(() => tiny.fit(x, y, { epochs: CHALLENGE.maxSteps, verbose: 0 }));
    assertEquals(within.steps, CHALLENGE.maxSteps, "one gradient computation per step of fit");
    checkBudget(regressor, within.steps);
    const over = await countGradientSteps(() =>
      tiny.fit(x, y, { epochs: CHALLENGE.maxSteps + 1, verbose: 0 })
    );
    assertRejected(
      () => checkBudget(regressor, over.steps),
      new RegExp(`took ${CHALLENGE.maxSteps + 1} optimizer steps`),
      "over budget",
    );
    tf.dispose([x, y]);
    disposeModel(tiny);
    const wide = tf.sequential({ layers: [tf.layers.dense({ units: 1001, inputShape: [1] })] });
    wide.compile({ optimizer: "adam", loss: "meanSquaredError" });
    assertRejected(
      () => checkBudget({ model: wide, predict: (x) => x }, 1),
      /parameters/,
      "too many parameters",
    );
    disposeModel(wide);
    const uncompiled = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    assertRejected(
      () => checkBudget({ model: uncompiled, predict: (x) => x }, 1),
      /not compiled/,
      "no optimizer",
    );
    uncompiled.dispose();
  });

  it("graded code cannot spoof the step count: optimizer.iterations is not read, the counter cannot be replaced", async () => {
    const tiny = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    const optimizer = tf.train.adam(1e-2);
    tiny.compile({ optimizer, loss: "meanSquaredError" });
    const [x, y] = [tf.ones([1, 1]), tf.ones([1, 1])];
    const spoof = await countGradientSteps(async () => {
      await tiny.fit(x, y, { epochs: 4 * CHALLENGE.maxSteps, verbose: 0 });
      (optimizer as unknown as { iterations_: number }).iterations_ = CHALLENGE.maxSteps;
      return { model: tiny, predict: (t: tf.Tensor4D) => t } as TrainedRegressor;
    });
    assertEquals(optimizer.iterations, CHALLENGE.maxSteps, "the spoof did write the optimizer's count");
    assertRejected(
      () => checkBudget(spoof.value, spoof.steps),
      new RegExp(`took ${4 * CHALLENGE.maxSteps} optimizer steps`),
      "iterations spoofed",
    );
    // A hand-written loop over tf.variableGrads is counted too, and the counter cannot be swapped out.
    const hidden = await countGradientSteps(() => {
      const engine = tf.engine() as unknown as { gradients: unknown };
      assertThrows(() => engine.gradients = () => ({ value: null, grads: {} }), TypeError);
      assertThrows(() => Object.defineProperty(engine, "gradients", { value: () => 0 }), TypeError);
      for (let i = 0; i < 3; i++) {
        const { value, grads } = tf.variableGrads(() =>
          (tiny.apply(x) as tf.Tensor).sub(y).square().mean() as tf.Scalar
        );
        optimizer.applyGradients(
          grads as tf.NamedTensorMap as Parameters<typeof optimizer.applyGradients>[0],
        );
        tf.dispose([value, ...Object.values(grads)]);
      }
      return Promise.resolve();
    });
    assertEquals(hidden.steps, 3);
    tf.dispose([x, y]);
    disposeModel(tiny);
  });

  it("graded code cannot lower the target: CHALLENGE is frozen", () => {
    assert(isDeepFrozen(CHALLENGE), "CHALLENGE and everything in it are frozen at module load");
    assertThrows(() => {
      (CHALLENGE as { targetR2: number }).targetR2 = -Infinity;
    }, TypeError);
    assertThrows(() => {
      (CHALLENGE as { maxSteps: number }).maxSteps = 1e9;
    }, TypeError);
    assertEquals([CHALLENGE.targetR2, CHALLENGE.maxSteps], [0.8, 100]);
    assertRejected(() => checkTarget(-183, "the seed's held-out images"), /target is 0.8/, "R² −183");
  });

  it("a regressor trained elsewhere (the reference's weights) passes every other check but not the labels check", async () => {
    const { train, heldOut } = data();
    seedEverything(SEED);
    const { value: pretrained, steps } = await countGradientSteps(() =>
      trainBatchNormRegressor(train.images, train.labels)
    );
    checkTarget(heldOutR2(pretrained, heldOut), "held-out images");
    checkBatchNormInUse(pretrained, heldOut.images);
    checkBudget(pretrained, steps);
    const ignoresItsLabels = () => Promise.resolve(pretrained);
    // The check disposes the model it was handed.
    await assertRejects(
      () => checkLearnsFromItsLabels(ignoresItsLabels, train, heldOut, SEED),
      Error,
      `(at most ${SHUFFLED_MAX_R2} expected)`,
    );
  });
});
