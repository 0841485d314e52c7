import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { adam, FusedAdam } from "./fused_adam.ts";

await initBackend();

/** Variable sizes on both sides of the loop's limit (4,096 values) and at its edges. */
const SHAPES: number[][] = [[1], [3], [7, 5], [4096], [4097], [70, 70]];

/** What `applyGradients` takes (tfjs's types call a null gradient absent; its code skips it). */
type Gradients = Parameters<tf.Optimizer["applyGradients"]>[0];

interface Trial {
  shapes: number[][];
  steps: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number | undefined;
  seed: number;
  asList: boolean;
}

/** Every value of the variables and of the optimizer's weights after `trial`'s steps, as bits. */
async function train(make: (t: Trial) => tf.Optimizer, trial: Trial): Promise<Uint32Array[]> {
  const random = fc.sample(fc.float({ noDefaultInfinity: true, noNaN: true, min: -1e3, max: 1e3 }), {
    numRuns: trial.shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0) * (trial.steps + 1),
    seed: trial.seed,
  });
  let next = 0;
  const draw = (shape: number[]) =>
    tf.tensor(random.slice(next, next += shape.reduce((a, b) => a * b, 1)), shape);
  const variables = trial.shapes.map((shape) => tf.variable(draw(shape)));
  const optimizer = make(trial);
  for (let step = 0; step < trial.steps; step++) {
    // Every third variable gets no gradient at the second step: its moments must not move.
    const gradients = variables.map((v, i) => ({
      name: v.name,
      tensor: step === 1 && i % 3 === 2 ? null : draw(v.shape),
    }));
    // tfjs pairs gradients with its moments by position: a missing gradient keeps its place, as null.
    optimizer.applyGradients(
      (trial.asList ? gradients : Object.fromEntries(gradients.map((g) => [g.name, g.tensor]))) as Gradients,
    );
    tf.dispose(gradients.flatMap((g) => g.tensor ?? []));
  }
  const weights = await optimizer.getWeights();
  const bits = [...variables, ...weights.map((w) => w.tensor)].map((t) =>
    new Uint32Array(Float32Array.from(t.dataSync()).buffer)
  );
  optimizer.dispose();
  tf.dispose(variables);
  return bits;
}

const tfjsAdam = (t: Trial) => tf.train.adam(t.learningRate, t.beta1, t.beta2, t.epsilon);
const fusedAdam = (t: Trial) => adam(t.learningRate, t.beta1, t.beta2, t.epsilon);

const trials = fc.record({
  shapes: fc.subarray(SHAPES, { minLength: 1 }),
  steps: fc.integer({ min: 1, max: 4 }),
  learningRate: fc.double({ min: 1e-5, max: 1, noNaN: true }),
  beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
  beta2: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
  epsilon: fc.option(fc.double({ min: 1e-9, max: 1e-3, noNaN: true }), { nil: undefined }),
  seed: fc.integer(),
  asList: fc.boolean(),
});

async function assertSameAsTfjs(backend: string, runs: number): Promise<void> {
  await tf.setBackend(backend);
  try {
    const cases = fc.sample(trials, { numRuns: runs, seed: 7 });
    for (const trial of cases) {
      const expected = await train(tfjsAdam, trial);
      const actual = await train(fusedAdam, trial);
      assertEquals(actual.length, expected.length, "variables + iterations + two moments per variable");
      actual.forEach((bits, i) => {
        const differing = bits.findIndex((b, k) => b !== expected[i][k]);
        assert(
          differing === -1,
          `${backend}: tensor ${i} differs from tf.train.adam's at value ${differing} ` +
            `(${JSON.stringify(trial)})`,
        );
      });
    }
  } finally {
    await tf.setBackend("wasm");
  }
}

describe("FusedAdam", () => {
  it("is bit-identical to tf.train.adam on wasm: variables, moments and iterations, any rates and shapes", async () => {
    await assertSameAsTfjs("wasm", 25);
  });

  it("is bit-identical to tf.train.adam on the cpu backend too", async () => {
    await assertSameAsTfjs("cpu", 8);
  });

  it("trains a model through fit() exactly as tf.train.adam does, and leaves as many tensors", async () => {
    const x = tf.randomNormal([64, 5], 0, 1, "float32", 1);
    const y = tf.randomNormal([64, 1], 0, 1, "float32", 2);
    const fitWith = async (optimizer: tf.Optimizer) => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 16,
            inputShape: [5],
            activation: "relu",
            kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          }),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
        ],
      });
      model.compile({ optimizer, loss: "meanSquaredError" });
      const before = tf.memory().numTensors;
      const history = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const after = tf.memory().numTensors - before;
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      optimizer.dispose();
      return { loss: history.history.loss, weights, after };
    };
    const expected = await fitWith(tf.train.adam(0.01));
    const actual = await fitWith(adam(0.01));
    assertEquals(actual, expected);
    tf.dispose([x, y]);
  });

  it("is an AdamOptimizer with tfjs's class name, config and defaults", () => {
    const optimizer = adam();
    assert(optimizer instanceof tf.AdamOptimizer && optimizer instanceof FusedAdam);
    assertEquals(optimizer.getClassName(), "Adam");
    assertEquals(optimizer.getConfig(), tf.train.adam().getConfig());
    optimizer.dispose();
  });
});
