import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { assertProperty } from "@lib/testing/property.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertNotEquals,
} from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { measured } from "@lib/testing/measure.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import { createRng, type Rng } from "@lib/core/random.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import { DEEP, type Domain, TRAIN_DOMAIN, TRAINING, type TrainOptions } from "./contract.ts";
import { buildMlp, meanSquaredError, predictOnnx, sampleFunction, toOnnx, train } from "./network.ts";
import { deep, NOISE, SEED } from "./test_setup.ts";

// Steps 1, 2 and 5: the seed's 3×128 network. Step 4 (depth vs width) is in depth_width_test.ts, which
// runs beside this file.
await initBackend();

/** Plain arrays of a sample set, whose tensors it disposes. */
function arrays(samples: { inputs: tf.Tensor2D; targets: tf.Tensor2D }) {
  const points = samples.inputs.arraySync();
  const values = samples.targets.arraySync().map((row) => row[0]);
  tf.dispose([samples.inputs, samples.targets]);
  return { points, values };
}

/**
 * An independent oracle for `train` on a linear model y = w·x + b: the same mini-batches (`rng.int(n)`
 * draws, `batchSize` per step), the mean squared error and its gradient by hand, and Adam (β1 0.9, β2
 * 0.999, ε 1e-7, tfjs's defaults) at the rate `learningRate · (final / learningRate)^(step / steps)`,
 * in float64. Returns the loss before each step and the final weights.
 */
function adamOracle(
  points: number[][],
  values: number[],
  start: { w: number[]; b: number },
  options: TrainOptions,
  rng: Rng,
): { losses: number[]; w: number[]; b: number } {
  const { steps, batchSize, learningRate, finalLearningRate } = options;
  const params = [...start.w, start.b];
  const m = params.map(() => 0);
  const v = params.map(() => 0);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const rate = learningRate * (finalLearningRate / learningRate) ** (step / steps);
    const batch = Array.from({ length: batchSize }, () => rng.int(points.length));
    const grad = params.map(() => 0);
    let loss = 0;
    for (const i of batch) {
      const row = [...points[i], 1];
      const error = row.reduce((s, xk, k) => s + xk * params[k], 0) - values[i];
      loss += error ** 2 / batchSize;
      row.forEach((xk, k) => grad[k] += (2 * error * xk) / batchSize);
    }
    losses.push(loss);
    params.forEach((_, k) => {
      m[k] = 0.9 * m[k] + 0.1 * grad[k];
      v[k] = 0.999 * v[k] + 0.001 * grad[k] ** 2;
      const mHat = m[k] / (1 - 0.9 ** (step + 1));
      const vHat = v[k] / (1 - 0.999 ** (step + 1));
      params[k] -= (rate * mHat) / (Math.sqrt(vHat) + 1e-7);
    });
  }
  return { losses, w: params.slice(0, -1), b: params.at(-1)! };
}

/** Runs `fn` with a `Math.random` that throws: `name` must draw from the generator it is given. */
function withoutMathRandom<T>(name: string, fn: () => T): T {
  const original = Math.random;
  Math.random = () => {
    throw new Error(`${name} must draw from the rng it is given, not Math.random`);
  };
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** A linear model (`buildMlp([])`) with the given weights, and `n` points of eighths (exact in float32). */
function linearProblem(n: number, rng: Rng) {
  const model = buildMlp([]);
  const start = { w: [0.375, -0.25], b: 0.125 };
  const weights = [tf.tensor2d(start.w.map((w) => [w])), tf.tensor1d([start.b])];
  model.setWeights(weights);
  tf.dispose(weights);
  const points = Array.from({ length: n }, () => [rng.int(64) / 8 - 4, rng.int(16) / 8 - 1]);
  const values = points.map(([x, y]) => 2 * x - y + 0.5 + rng.int(8) / 8);
  return { model, start, points, values };
}

describe("kata 05, step 1: measurements and an MLP", () => {
  it("sampleFunction draws points inside the domain, valued sin(x) + y plus noise of the asked size", () => {
    const samples = sampleFunction(4000, TRAIN_DOMAIN, 0.1, createRng(SEED));
    assertEquals(samples.inputs.shape, [4000, 2], "inputs shape");
    assertEquals(samples.targets.shape, [4000, 1], "targets shape");
    const { points, values } = arrays(samples);
    const residuals = points.map(([x, y], i) => values[i] - (Math.sin(x) + y));
    for (const axis of [0, 1] as const) {
      const [low, high] = axis === 0 ? TRAIN_DOMAIN.x : TRAIN_DOMAIN.y;
      const coords = points.map((p) => p[axis]);
      const [min, max] = [Math.min(...coords), Math.max(...coords)];
      assert(min >= low && max <= high, `${"xy"[axis]} must stay in [${low}, ${high}], got [${min}, ${max}]`);
      const spread = (max - min) / (high - low);
      assertGreater(spread, 0.99, `${"xy"[axis]} should cover its range uniformly, covered ${spread}`);
      // A uniform coordinate has mean (low + high) / 2; standard error (high − low) / √(12 · 4000) ≈ 0.0046
      // of the range, and the bound is 0.03 of it (6.5 standard errors).
      const mean = coords.reduce((a, b) => a + b, 0) / coords.length;
      assertLess(Math.abs(mean - (low + high) / 2) / (high - low), 0.03, `${"xy"[axis]} mean ${mean}`);
    }
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / residuals.length);
    // Standard errors: 0.0016 for the mean, 0.0011 for the std; the bounds are ≥ 6 of them.
    assertLess(Math.abs(mean), 0.01, `noise should have mean 0, measured ${mean}`);
    assertAlmostEquals(std, 0.1, 0.007, `noise should have standard deviation 0.1, measured ${std}`);
  });

  it("sampleFunction: any domain and size, noise 0 gives sin(x) + y exactly at points inside the domain", () => {
    const interval = fc.tuple(
      fc.double({ min: -50, max: 50, noNaN: true }),
      fc.double({ min: 0.01, max: 20, noNaN: true }),
    ).map(([low, width]) => [low, low + width] as [number, number]);
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 40 }), interval, interval, fc.integer(), (n, x, y, seed) => {
        const domain: Domain = { x, y };
        const { points, values } = arrays(sampleFunction(n, domain, 0, createRng(seed)));
        assertEquals([points.length, values.length], [n, n], "one point and one value per measurement");
        points.forEach(([px, py], i) => {
          // float32 rounding of a coordinate: at most 4e-6 of its size (|x| ≤ 70).
          assert(px >= x[0] - 3e-4 && px <= x[1] + 3e-4, `x = ${px} outside [${x}]`);
          assert(py >= y[0] - 3e-4 && py <= y[1] + 3e-4, `y = ${py} outside [${y}]`);
          assertAlmostEquals(values[i], Math.sin(px) + py, 1e-4, `value at (${px}, ${py})`);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("sampleFunction draws from its generator only: same seed, same points; another seed, others", () => {
    const draw = (seed: number) =>
      withoutMathRandom(
        "sampleFunction",
        () => arrays(sampleFunction(50, TRAIN_DOMAIN, 0.05, createRng(seed))),
      );
    const [a, b, c] = [draw(SEED), draw(SEED), draw(SEED + 1)];
    assertEquals(a, b, "the same seed must give the same measurements");
    assertNotEquals(a.points, c.points, "another seed must give other points");
  });

  it("sampleFunction draws, for each measurement in turn, x, then y (rng.uniform), then its noise (rng.normal)", () => {
    // An independent oracle of the documented stream: any other order of draws, or noise that is not
    // rng.normal() scaled by `noise`, gives other numbers.
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.integer(),
        (n, noise, seed) => {
          const domain: Domain = { x: [-3, 9], y: [-2, 0.5] };
          const { points, values } = arrays(sampleFunction(n, domain, noise, createRng(seed)));
          const rng = createRng(seed);
          for (let i = 0; i < n; i++) {
            const x = -3 + 12 * rng.uniform();
            const y = -2 + 2.5 * rng.uniform();
            const value = Math.sin(x) + y + noise * rng.normal();
            // float32 storage: 1e-6 of |x| ≤ 9 and of a value ≤ ~10 is a few ulps.
            assertAlmostEquals(points[i][0], x, 1e-5, `x of measurement ${i}: rng.uniform() first`);
            assertAlmostEquals(points[i][1], y, 1e-5, `y of measurement ${i}: rng.uniform() after x`);
            assertAlmostEquals(
              values[i],
              value,
              1e-5,
              `value of measurement ${i}: noise · rng.normal() after y`,
            );
          }
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });

  it("sampleFunction is exact without noise and rejects bad arguments", async () => {
    const a = sampleFunction(50, TRAIN_DOMAIN, 0, createRng(SEED));
    // float32 rounding of x (≤ 4e-7 at x ≈ 6) and of the value (≤ 2e-7): atol 2e-6.
    const exact = tf.tensor2d((await a.inputs.array()).map(([x, y]) => [Math.sin(x) + y]));
    assertTensorClose(a.targets, exact, { atol: 2e-6 }, "noise 0 must give sin(x) + y exactly");
    tf.dispose([a.inputs, a.targets, exact]);
    assertClearError(() => sampleFunction(2.5, TRAIN_DOMAIN, 0.1, createRng(SEED)), "2.5");
    assertClearError(() => sampleFunction(0, TRAIN_DOMAIN, 0.1, createRng(SEED)), "0");
    assertClearError(() => sampleFunction(10, TRAIN_DOMAIN, -0.5, createRng(SEED)), "noise");
    assertClearError(() => sampleFunction(10, { x: [3, 1], y: [-1, 1] }, 0.1, createRng(SEED)), "domain");
    assertClearError(() => sampleFunction(10, { x: [0, 1], y: [2, 2] }, 0.1, createRng(SEED)), "domain");
  });

  it("buildMlp stacks dense ReLU layers of the given widths on `inputs` features, then one linear output unit", () => {
    const describeLayers = (model: tf.LayersModel) =>
      model.layers.map((l) => {
        const config = l.getConfig();
        return `${l.getClassName()}(${config.units}, ${config.activation}, bias ${config.useBias})`;
      });
    const model = buildMlp(DEEP);
    assertEquals(model.inputs[0].shape, [null, 2], "the model takes [batch, 2] inputs");
    assertEquals(model.outputs[0].shape, [null, 1], "the model returns [batch, 1]");
    assertEquals(
      describeLayers(model),
      [...DEEP.map((w) => `Dense(${w}, relu, bias true)`), "Dense(1, linear, bias true)"],
      "buildMlp([128, 128, 128]) layers",
    );
    assert(model.trainableWeights.length === 8, "every kernel and bias is trainable");
    const other = buildMlp([7, 3], 5);
    assertEquals(other.inputs[0].shape, [null, 5], "buildMlp([7, 3], 5) takes [batch, 5]");
    assertEquals(describeLayers(other), [
      "Dense(7, relu, bias true)",
      "Dense(3, relu, bias true)",
      "Dense(1, linear, bias true)",
    ]);
    assertEquals(
      other.countParams(),
      6 * 7 + 8 * 3 + 4 * 1,
      "buildMlp([7, 3], 5) has (5+1)·7 + (7+1)·3 + (3+1)·1",
    );
    assertEquals(describeLayers(buildMlp([])), ["Dense(1, linear, bias true)"], "buildMlp([]) is linear");
    assertClearError(() => buildMlp([128, 0]), "0");
    assertClearError(() => buildMlp([2.5]), "2.5");
  });

  it("train takes one Adam step per mini-batch of rng.int draws at the decaying rate, like an independent Adam", () => {
    const rng = createRng(SEED);
    const { model, start, points, values } = linearProblem(12, rng);
    const data = { inputs: tf.tensor2d(points), targets: tf.tensor2d(values.map((v) => [v])) };
    const options = { steps: 6, batchSize: 5, learningRate: 0.2, finalLearningRate: 0.002 };
    const losses = train(model, data, options, createRng(SEED + 1));
    const expected = adamOracle(points, values, start, options, createRng(SEED + 1));
    tf.dispose([data.inputs, data.targets]);
    assertEquals(losses.length, options.steps, "train returns one loss per step");
    losses.forEach((loss, step) =>
      assertAlmostEquals(
        loss,
        expected.losses[step],
        1e-4 * expected.losses[step],
        `the loss of step ${step}: the mean squared error on the batch of ${options.batchSize} rng.int(${points.length}) ` +
          "draws, before the step",
      )
    );
    const [kernel, bias] = model.getWeights().map((t) => Array.from(t.dataSync()));
    // float32 against float64 after six steps of at most 0.2: 1e-5 is a thousand times the rounding.
    [...kernel, ...bias].forEach((value, k) =>
      assertAlmostEquals(
        value,
        [...expected.w, expected.b][k],
        1e-5,
        `weight ${k} after ${options.steps} Adam steps (rates 0.2 → 0.002, exponential)`,
      )
    );
  });

  it("train runs the network once per step (predict in one piece, with { batchSize }) and leaves no tensor behind", () => {
    const model = buildMlp([16]);
    const data = sampleFunction(200, TRAIN_DOMAIN, NOISE, createRng(SEED));
    const layer = model.layers[0];
    const call = layer.call.bind(layer);
    let passes = 0;
    layer.call = (inputs, kwargs) => {
      passes++;
      return call(inputs, kwargs);
    };
    // A batch of 96 (not the seed's 64): predict's default cuts it into 3 chunks, a hard-coded
    // { batchSize: 64 } into 2; only { batchSize: options.batchSize } runs it once.
    const options = { steps: 5, batchSize: 96, learningRate: 1e-3, finalLearningRate: 1e-4 };
    train(model, data, options, createRng(SEED)); // compiles what tfjs compiles once
    passes = 0;
    const before = tf.memory().numTensors;
    withoutMathRandom("train", () => train(model, data, options, createRng(SEED)));
    const leaked = tf.memory().numTensors - before;
    tf.dispose([data.inputs, data.targets]);
    assertEquals(
      passes,
      options.steps,
      `${options.steps} steps of batch ${options.batchSize} ran the first layer ${passes} times: predict cuts ` +
        "its input into chunks of 32 unless given { batchSize: options.batchSize }",
    );
    assertEquals(
      leaked,
      0,
      `train left ${leaked} tensors behind (dispose the losses, indices and the optimizer)`,
    );
  });

  it("train rejects inputs or targets that do not match the model", () => {
    const model = buildMlp([4]);
    const rng = createRng(SEED);
    const three = tf.zeros([8, 3]) as tf.Tensor2D;
    const two = tf.zeros([8, 2]) as tf.Tensor2D;
    const targets = tf.zeros([8, 1]) as tf.Tensor2D;
    const tooFew = tf.zeros([5, 1]) as tf.Tensor2D;
    assertClearError(() => train(model, { inputs: three, targets }, { ...TRAINING, steps: 1 }, rng), "3");
    assertClearError(
      () => train(model, { inputs: two, targets: tooFew }, { ...TRAINING, steps: 1 }, rng),
      "5",
    );
    tf.dispose([three, two, targets, tooFew]);
  });

  it("the trained 3×128 MLP fits sin(x) + y on its domain: test error far below the function's variance", () => {
    const { inDomain, losses } = deep();
    assertEquals(losses.length, TRAINING.steps, "train returns one loss per step");
    // f's variance on the domain is 0.83 (0.5 from sin, 1/3 from y).
    // observed 3.3e-4–1.18e-3 over seeds 1–20 (wasm); asserted < 1e-2
    assertLess(
      measured("in-domain MSE, 3×128", inDomain),
      1e-2,
      `the trained MLP's mean squared error against sin(x) + y on its domain should be < 1e-2`,
    );
  });

  it("33,537 parameters on 1,024 measurements do not memorise the noise: training error stays at its variance", () => {
    const { onTrainingSet } = deep();
    const ratio = measured("3×128 training-set MSE / noise variance", onTrainingSet / NOISE ** 2);
    // A net that memorised its measurements would fit them below the noise variance (0.0025).
    // observed 0.912–1.42 over seeds 1–20 (wasm); asserted > 0.75
    assertGreater(
      ratio,
      0.75,
      `the error on the training measurements (${
        onTrainingSet.toExponential(2)
      }) should stay near the noise ` +
        `variance ${NOISE ** 2}`,
    );
  });
});

describe("kata 05, step 2: outside the training range", () => {
  it("meanSquaredError is the mean of (prediction − target)² and leaves no tensor behind", () => {
    const model = buildMlp([]); // linear: prediction = 2x − y + 0.5
    model.setWeights([tf.tensor2d([[2], [-1]]), tf.tensor1d([0.5])]);
    const inputs = tf.tensor2d([[0, 0], [1, 1], [2, -1]]);
    const targets = tf.tensor2d([[0.5], [2], [3]]); // errors 0, -0.5, 2.5
    const before = tf.memory().numTensors;
    assertAlmostEquals(meanSquaredError(model, { inputs, targets }), (0 + 0.25 + 6.25) / 3, 1e-6);
    assertEquals(tf.memory().numTensors, before, "meanSquaredError must dispose what it computes");
    const twoTargets = tf.zeros([2, 1]) as tf.Tensor2D;
    assertClearError(() => meanSquaredError(model, { inputs, targets: twoTargets }), "2");
    const wide = tf.zeros([3, 4]) as tf.Tensor2D;
    assertClearError(() => meanSquaredError(model, { inputs: wide, targets }), "4");
    // Targets [3] or [3, 2] would broadcast against the predictions [3, 1] into a [3, 3] or [3, 2] error.
    const flat = tf.tensor1d([0.5, 2, 3]) as unknown as tf.Tensor2D;
    assertClearError(() => meanSquaredError(model, { inputs, targets: flat }), "3");
    const twoColumns = tf.zeros([3, 2]) as tf.Tensor2D;
    assertClearError(() => meanSquaredError(model, { inputs, targets: twoColumns }), "2");
    tf.dispose([inputs, targets, twoTargets, wide, flat, twoColumns]);
  });

  it("meanSquaredError averages over every row, however many (2,500: beyond any chunk of 1,000)", () => {
    const model = buildMlp([]);
    model.setWeights([tf.tensor2d([[0], [0]]), tf.tensor1d([0])]); // predicts 0 everywhere
    const n = 2500;
    // Targets 0 except the last 500 rows, which are 2: the mean of squares is 4 · 500 / 2500 = 0.8.
    const inputs = tf.zeros([n, 2]) as tf.Tensor2D;
    const targets = tf.tensor2d(Array.from({ length: n }, (_, i) => [i >= 2000 ? 2 : 0]));
    assertAlmostEquals(meanSquaredError(model, { inputs, targets }), 0.8, 1e-6, "every row counts");
    tf.dispose([inputs, targets]);
    model.dispose();
  });

  it("meanSquaredError agrees with the mean of squared differences for any network and data", () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer(),
        (n, width, seed) => {
          const rng = createRng(seed);
          const model = buildMlp([width]);
          const points = Array.from({ length: n }, () => [4 * rng.normal(), rng.normal()]);
          const values = points.map(() => 3 * rng.normal());
          const inputs = tf.tensor2d(points);
          const targets = tf.tensor2d(values.map((v) => [v]));
          const predictions = (model.predict(inputs) as tf.Tensor).dataSync();
          const expected = values.reduce((s, v, i) => s + (predictions[i] - v) ** 2, 0) / n;
          const actual = meanSquaredError(model, { inputs, targets });
          tf.dispose([inputs, targets]);
          model.dispose();
          assertAlmostEquals(actual, expected, 1e-5 * (1 + expected));
        },
      ),
      { numRuns: 15 },
    );
  });

  it("on x ∈ [4π, 6π] the same network's error is over a thousand times its in-domain error", () => {
    const { inDomain, shifted } = deep();
    const ratio = measured("shifted / in-domain MSE, 3×128", shifted / inDomain);
    measured("shifted MSE, 3×128", shifted);
    // observed 3,978–79,549 over seeds 1–20 (wasm), log10 3.60–4.90; a quarter of that spread (0.33) below
    // the lowest is 3.27 (1,862×); asserted log10(ratio) > 3, i.e. ratio > 1,000
    assertGreater(
      Math.log10(ratio),
      3,
      `error on x ∈ [4π, 6π] (${shifted.toFixed(3)}) should be > 1000× the in-domain error (${
        inDomain.toExponential(2)
      })`,
    );
  });

  it("beyond the data the ReLU network continues in a straight line, not a sine", async () => {
    const { model } = deep();
    const xs = Array.from({ length: 201 }, (_, i) => 4 * Math.PI + (2 * Math.PI * i) / 200);
    const grid = tf.tensor2d(xs.map((x) => [x, 0]));
    const output = model.predict(grid) as tf.Tensor;
    const predictions = Array.from(await output.data());
    tf.dispose([grid, output]);
    // The straight line through the predictions (least squares in closed form).
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b) / n;
    const my = predictions.reduce((a, b) => a + b) / n;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (predictions[i] - my), 0) /
      xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const rms = Math.sqrt(
      predictions.reduce((a, p, i) => a + (p - (my + slope * (xs[i] - mx))) ** 2, 0) / n,
    );
    // sin(x) itself is 0.45 (RMS) away from its best straight line there.
    // observed 3.8e-7–0.0189 over seeds 1–20 (wasm), 0.0255 at seed 42; asserted < 0.1
    assertLess(
      measured("RMS distance of shifted predictions from a line", rms),
      0.1,
      `on x ∈ [4π, 6π] the predictions should lie on a line (RMS distance < 0.1), measured ${rms}`,
    );
  });
});

describe("kata 05, step 5: deployment", () => {
  it("the exported model declares one [batch, 2] input and one [batch, 1] output", async () => {
    const onnx = await OnnxModel.load(toOnnx(deep().model));
    assertEquals(
      onnx.inputs.map((i) => [i.type, i.shape.length, i.shape[1]]),
      [["float32", 2, 2]],
      "inputs",
    );
    assertEquals(
      onnx.outputs.map((o) => [o.type, o.shape.length, o.shape[1]]),
      [["float32", 2, 1]],
      "outputs",
    );
    await onnx.release();
  });

  it("onnxruntime-web's predictions match tfjs's within 1e-5 on a grid of the domain", async () => {
    const { model } = deep();
    const points: number[][] = [];
    for (let i = 0; i <= 40; i++) {
      for (let j = 0; j <= 10; j++) points.push([(2 * Math.PI * i) / 40, -1 + j / 5]);
    }
    const grid = tf.tensor2d(points);
    const fromOnnx = await predictOnnx(toOnnx(model), grid);
    const fromTfjs = model.predict(grid) as tf.Tensor;
    // the contract is float32 parity (a fixed 1e-5), not a calibrated statistic
    assertTensorClose(fromOnnx, fromTfjs, { atol: 1e-5 }, "onnxruntime-web vs tfjs on a 41 × 11 grid");
    measured(
      "max |ONNX − tfjs| on the grid",
      tf.tidy(() => tf.max(tf.abs(tf.sub(fromOnnx, fromTfjs))).dataSync()[0]),
    );
    tf.dispose([grid, fromOnnx, fromTfjs]);
  });
});
