// Kata 01's challenge rejects the shortcuts a person would try: each cheating builder below is run through
// the challenge and must fail it, for the reason named; an honest builder passes, and nothing leaks.
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { seedEverything } from "../core/random.ts";
import { once } from "../testing/once.ts";
import { loadFashionMnist } from "./fashion_mnist.ts";
import {
  RAW_PIXEL_BUDGET,
  type RawPixelBuilder,
  type RawPixelOutcome,
  rawPixelProblems,
  runRawPixelChallenge,
} from "./raw_pixel_challenge.ts";

await initBackend();

const SEED = 3;

/**
 * Weights of an MLP trained on the fixtures' held-out split with its true labels, and a builder of a model
 * carrying them: what a shortcut would return.
 */
const pretrainedOnHeldOut = once(async () => {
  const test = await loadFashionMnist("test", { mini: true });
  seedEverything(SEED);
  const model = mlp(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
  const optimizer = tf.train.adam();
  model.compile({ optimizer, loss: (y, p) => tf.losses.softmaxCrossEntropy(y, p) });
  const x = tf.tensor2d(Float32Array.from(test.images), [test.count, 784]);
  const y = tf.oneHot(tf.tensor1d(test.labels, "int32"), 10);
  await model.fit(x, y, { epochs: 3, batchSize: 64, verbose: 0 });
  tf.dispose([x, y]);
  optimizer.dispose();
  const weights = model.getWeights().map((w) => w.clone());
  model.dispose();
  return () => {
    const copy = mlp(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
    copy.setWeights(weights);
    return copy;
  };
});

/** Step 2's MLP (784-128-10, logits), after an optional first layer. */
function mlp(first?: tf.layers.Layer): tf.Sequential {
  const model = tf.sequential();
  if (first) model.add(first);
  model.add(tf.layers.dense({ ...(first ? {} : { inputShape: [784] }), units: 128, activation: "relu" }));
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}

/** Runs the challenge for `build`; for a builder that leaks nothing itself, checks the challenge leaks nothing. */
async function problemsOf(
  build: RawPixelBuilder,
  { tidyBuilder = false } = {},
): Promise<{ outcome: RawPixelOutcome; problems: string[] }> {
  const before = tf.memory().numTensors;
  const outcome = await runRawPixelChallenge(build, { seed: SEED });
  if (tidyBuilder) assertEquals(tf.memory().numTensors, before, "the challenge must leave no tensors behind");
  return { outcome, problems: rawPixelProblems(outcome) };
}

function assertRejected(problems: string[], pattern: RegExp, what: string): void {
  assert(
    problems.some((p) => pattern.test(p)),
    `${what}: expected a problem matching ${pattern}, got ${JSON.stringify(problems)}`,
  );
}

describe("raw-pixel challenge (kata 01, step 7): honest builders pass, shortcuts fail", () => {
  it("a Rescaling(1/255) first layer passes, matching the /255 pipeline", async () => {
    const { outcome, problems } = await problemsOf(
      () => mlp(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 })),
      { tidyBuilder: true },
    );
    assertEquals(problems, []);
    assert(
      outcome.trained && Math.abs(outcome.accuracy - outcome.pipelineAccuracy) < 0.01,
      JSON.stringify(outcome),
    );
  });

  it("doing nothing (the plain MLP on raw bytes) fails: the log loss is far above the pipeline's", async () => {
    const { problems } = await problemsOf(() => mlp(), { tidyBuilder: true });
    assertRejected(problems, /log loss/, "no scaling at all");
  });

  it("training on the held-out images (the fixtures' test split, with its labels) is caught: the model arrives trained", async () => {
    const { outcome, problems } = await problemsOf(await pretrainedOnHeldOut());
    assertRejected(problems, /untrained/, "pretrained on the held-out split");
    assertRejected(problems, /freshly initialised/, "the same weights from every seed");
    assertEquals(outcome.trained, false, "a model that arrives trained is not trained further");
  });

  it("saved weights behind a fresh random head (at chance before training) are caught: they ignore the seed", async () => {
    const saved = await pretrainedOnHeldOut();
    const { outcome, problems } = await problemsOf(() => {
      const pretrained = saved();
      const input = tf.input({ shape: [784] });
      let x = input as tf.SymbolicTensor;
      for (const layer of pretrained.layers) x = layer.apply(x) as tf.SymbolicTensor;
      const head = tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: head });
    });
    assert(
      outcome.deliveredAccuracy < 0.35,
      `the random head hides the saved weights: ${outcome.deliveredAccuracy}`,
    );
    assertRejected(problems, /freshly initialised/, "saved weights, fresh head");
  });

  it("training inside the builder (on the fixtures' labels) is caught by the builder's operation budget", async () => {
    const train = await loadFashionMnist("train", { mini: true });
    const { problems } = await problemsOf((pixels) => {
      const model = mlp(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
      const optimizer = tf.train.adam();
      const y = tf.oneHot(tf.tensor1d(train.labels.subarray(0, 64), "int32"), 10);
      const x = pixels.slice(0, 64);
      for (let step = 0; step < 3; step++) {
        optimizer.minimize(() =>
          tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor) as tf.Scalar
        );
      }
      tf.dispose([x, y]);
      optimizer.dispose();
      return model;
    });
    assertRejected(problems, /tensor operations/, "three Adam steps in the builder");
  });

  it("a plain MLP whose own fit and predict divide by 255 first is caught: the judge uses tfjs's methods", async () => {
    const { outcome, problems } = await problemsOf(() => {
      const model = mlp();
      const fit = model.fit.bind(model);
      const predict = model.predict.bind(model);
      const scaled = (x: tf.Tensor | tf.Tensor[]) => tf.div(x as tf.Tensor, 255);
      model.fit = (x, y, args) => fit(scaled(x as tf.Tensor), y, args);
      model.predict = (x, args) => predict(scaled(x as tf.Tensor), args);
      return model;
    });
    assertRejected(problems, /replaces tfjs's own fit, predict/, "fit and predict scaling on the instance");
    assertEquals(outcome.trained, false, "a model with its own fit is not trained its own way");
  });

  it("a Rescaling MLP whose own fit trains 6 epochs (3x the budget) is caught, and so is a subclass", async () => {
    const { outcome, problems } = await problemsOf(() => {
      const model = mlp(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
      const fit = model.fit.bind(model);
      model.fit = (x, y, args) => fit(x, y, { ...args, epochs: 6 });
      return model;
    });
    assertRejected(problems, /replaces tfjs's own fit:/, "6 epochs on the instance");
    assertEquals(outcome.trained, false);
    class LongerSequential extends tf.Sequential {
      override fit(x: tf.Tensor, y: tf.Tensor, args: tf.ModelFitArgs = {}) {
        return super.fit(x, y, { ...args, epochs: 6 });
      }
    }
    const subclass = await problemsOf(() => {
      const model = new LongerSequential();
      model.add(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
      model.add(tf.layers.dense({ units: 128, activation: "relu" }));
      model.add(tf.layers.dense({ units: 10 }));
      return model;
    });
    assertRejected(subclass.problems, /its class LongerSequential/, "a subclass overriding fit");
    assertEquals(subclass.outcome.trained, false);
  });

  it("hard-coded outputs fail: a model that ignores its input cannot learn the renamed classes", async () => {
    const { problems } = await problemsOf(() => mlp(tf.layers.rescaling({ inputShape: [784], scale: 0 })));
    assertRejected(problems, /accuracy/, "input ignored");
  });

  it(`exceeding the budget of ${RAW_PIXEL_BUDGET.maxParameters} parameters fails before any training`, async () => {
    const { outcome, problems } = await problemsOf(() => {
      const model = tf.sequential();
      model.add(tf.layers.rescaling({ inputShape: [784], scale: 1 / 255 }));
      model.add(tf.layers.dense({ units: 512, activation: "relu" }));
      model.add(tf.layers.dense({ units: 10 }));
      return model;
    });
    assertRejected(problems, /budget/, "784-512-10");
    assertEquals(outcome.trained, false);
  });

  it("a model that does not take [null, 784] raw pixels or give 10 logits is named as such", async () => {
    const { problems } = await problemsOf(() => {
      const model = tf.sequential();
      model.add(tf.layers.flatten({ inputShape: [28, 28] }));
      model.add(tf.layers.dense({ units: 3 }));
      return model;
    });
    assertRejected(problems, /input is \[null, 28, 28\]/, "image-shaped input");
    assertRejected(problems, /output is \[null, 3\]/, "3 outputs");
  });

  it("a model without an input shape is refused with the fix", async () => {
    await assertRejects(
      () =>
        runRawPixelChallenge(() => {
          const model = tf.sequential();
          model.add(tf.layers.dense({ units: 10 }));
          return model;
        }, { seed: SEED }),
      Error,
      "inputShape: [784]",
    );
  });
});
